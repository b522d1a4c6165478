//! Waivers files: any bytes through the loader (encoding, line ends, YAML,
//! unknown rules and categories, dates, patterns) must give waivers or an
//! error whose line lies inside the text, never a panic; waivers that load
//! are applied to a product's findings.
#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
use cncomply::evaluate::{evaluate, Finding};
use cncomply::model::RuleSet;
use cncomply::profile::Profile;
use cncomply::waiver::Waivers;
use libfuzzer_sys::fuzz_target;

const AS_OF: (i32, u32, u32) = (2026, 11, 23);

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::load(&cncomply::bundled::rule_files()).expect("bundled rules"))
}

/// The product waivers are applied to, evaluated once: the findings are the
/// same for every input, and evaluating 256 rules per run would spend most
/// of the target's time outside the code under test.
fn product() -> &'static (Profile, Vec<Finding<'static>>) {
    static PRODUCT: OnceLock<(Profile, Vec<Finding<'static>>)> = OnceLock::new();
    PRODUCT.get_or_init(|| {
        let rules = rules();
        let profile = Profile::from_yaml(
            "catalogue/m.yaml",
            "name: M-230 fan motor\ncategory: small-power motor\nattributes:\n  rated_voltage_ac_v: 230\n",
            &rules.vocabulary,
        )
        .expect("fixed profile");
        let findings = evaluate(rules, &profile, as_of());
        (profile, findings)
    })
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(AS_OF.0, AS_OF.1, AS_OF.2).unwrap()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rules = rules();
    match Waivers::from_yaml("fuzz-waivers.yaml", text, rules) {
        Ok(waivers) => {
            let (profile, findings) = product();
            let mut findings = findings.clone();
            waivers.apply(rules, profile, &mut findings, as_of());
            let _ = waivers.expired(as_of()).count();
        }
        Err(e) => {
            if let Some(line) = e.line {
                // Lines as YAML counts them: LF, CRLF or a lone CR ends one.
                let lines = text.replace("\r\n", "\n").matches(['\n', '\r']).count() + 1;
                assert!(
                    line >= 1 && line <= lines,
                    "line {line} outside the text ({lines} lines)"
                );
            }
        }
    }
});

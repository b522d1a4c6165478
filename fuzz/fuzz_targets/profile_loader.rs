//! Profiles: any bytes through the loader (size, encoding, YAML, types,
//! vocabulary) must give a profile or an error with a position inside the
//! text, never a panic; a profile that loads is evaluated and reported in
//! the formats whose content is the product's own (the table, JUnit and
//! GitHub annotations). JSON and SARIF also carry the rule library's table,
//! the same for every input: rendering it on each run made the target 15
//! times slower without reaching code the renderers target does not.
//! Every document the loader's fast path reads must read the same through
//! serde_yaml, the parser it stands in for.
#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
use cncomply::evaluate::evaluate;
use cncomply::model::RuleSet;
use cncomply::policy::ExitPolicy;
use cncomply::profile::Profile;
use cncomply::report::{self, Format, ProductReport, RunInfo};
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::load(&cncomply::bundled::rule_files()).expect("bundled rules"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The fast path reads a document exactly as serde_yaml does, or leaves
    // it to serde_yaml.
    assert_ne!(
        cncomply::profile::fast_path_agrees(text),
        Some(false),
        "the fast path reads the document differently"
    );
    let rules = rules();
    match Profile::from_yaml("fuzz.yaml", text, &rules.vocabulary) {
        Ok(profile) => {
            let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
            let findings = evaluate(rules, &profile, as_of);
            let policy = ExitPolicy::default();
            let info = RunInfo {
                as_of,
                rules,
                rules_source: "bundled".into(),
                show_all: false,
                details: true,
                color: false,
                policy: &policy,
                waivers: None,
                company: None,
                watch: false,
                baseline: None,
            };
            let products = [ProductReport::new(profile, findings)];
            for format in [Format::Table, Format::Junit, Format::Github] {
                let _ = report::render(format, &info, &products, &[], 100);
            }
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

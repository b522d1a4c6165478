//! The renderers people read: any text as a product's name, its profile
//! path and a certificate number, through the table, Markdown, HTML and
//! iCalendar. Output must stay well formed: no control character but line
//! feeds and tabs (iCalendar: CRLF line ends only, lines of at most 75
//! octets), no line a CI runner would read as a workflow command.
//! libFuzzer's -timeout catches time that grows faster than the text.
#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
use cncomply::evaluate::evaluate;
use cncomply::model::{RuleSet, SourceFile};
use cncomply::policy::ExitPolicy;
use cncomply::profile::Profile;
use cncomply::report::{self, Format, ProductReport, RunInfo};
use libfuzzer_sys::fuzz_target;

/// Five bundled rules that give the motor below one finding of each kind a
/// reader sees (applies with an expired certificate, applies, upcoming with
/// a date for the calendar, needs-info, a draft), with the whole vocabulary.
/// Rendering all 256 rules' findings made each run 50 ms; the renderers'
/// code paths are the same for five.
const RULES_KEPT: [&str; 5] = [
    "ccc.small-power-motor",
    "mandatory-standard.gb-18613-2020",
    "rohs.gb-26572-2025",
    "barcode.overseas-code-filing",
    "mandatory-standard.gb-18613-revision-draft",
];

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let files: Vec<SourceFile> = cncomply::bundled::rule_files()
            .into_iter()
            .map(|f| SourceFile {
                text: kept_declarations(&f.text),
                name: f.name,
            })
            .collect();
        let rules = RuleSet::load(&files).expect("the kept rules load");
        assert_eq!(rules.rules.len(), RULES_KEPT.len(), "every kept rule found");
        rules
    })
}

/// A rule file's text without the rules not kept: every declaration that is
/// not a rule (vocabulary, categories) stays.
fn kept_declarations(text: &str) -> String {
    let mut out = String::new();
    let mut keep = true;
    for line in text.lines() {
        if let Some(id) = line.strip_prefix("rule ") {
            keep = RULES_KEPT.contains(&id.trim());
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
        if line == "end" {
            keep = true;
        }
    }
    out
}

/// A YAML double-quoted scalar holding exactly `s`.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

#[track_caller]
fn readable(what: &str, text: &str) {
    for c in text.chars() {
        assert!(
            !c.is_control() || c == '\n' || c == '\t',
            "{what}: control character {c:?}"
        );
    }
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("::") && !line.contains("##["),
            "{what}: workflow command {line:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\u{0}');
    let name = parts.next().unwrap_or_default();
    let origin = parts.next().unwrap_or("m.yaml");
    let number = parts.next().unwrap_or("N-1");
    let rules = rules();
    let yaml = format!(
        "name: {}\ncategory: small-power motor\nattributes:\n  rated_voltage_ac_v: 230\nevidence:\n  certificates:\n    - scheme: ccc\n      number: {}\n      valid_until: 2020-01-01\n",
        quoted(name),
        quoted(number)
    );
    let Ok(profile) = Profile::from_yaml(origin, &yaml, &rules.vocabulary) else {
        return;
    };
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
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
    let findings = evaluate(rules, &profile, as_of);
    let second = Profile::from_yaml("b.yaml", "name: B\ncategory: motor\n", &rules.vocabulary)
        .expect("fixed profile");
    let products = [
        ProductReport::new(profile.clone(), findings),
        ProductReport::new(second, Vec::new()),
    ];
    for format in [Format::Table, Format::Markdown] {
        readable(format.name(), &report::render(format, &info, &products, &[], 80));
        readable(format.name(), &report::render(format, &info, &products[..1], &[], 80));
    }
    let profiles = vec![profile];
    let events = cncomply::timeline::events(rules, &profiles, None, None);
    let ics = report::ics::render(&events, &profiles, as_of);
    assert!(ics.ends_with("\r\n"));
    for line in ics.split_terminator("\r\n") {
        assert!(line.len() <= 75, "ics line of {} octets", line.len());
        assert!(
            !line.chars().any(|c| c.is_control()),
            "ics: control character in {line:?}"
        );
    }
});

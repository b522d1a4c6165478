//! Invariants over generated profiles (fixture rules): the same input gives
//! byte-identical output; an obligation with no end date that binds on D
//! still binds on D+1; brief findings (what `check` keeps without `--all`)
//! agree with complete ones. The rule language's fmt round trip is checked
//! in tests/format.rs.

mod common;
use common::*;

use chrono::{Days, NaiveDate};
use cncomply::evaluate::{evaluate, evaluate_with, Detail, Status};
use cncomply::model::{RuleSet, SourceFile};
use cncomply::policy::ExitPolicy;
use cncomply::profile::Profile;
use cncomply::report::{self, Format, ProductReport, RunInfo};
use proptest::prelude::*;

fn rules() -> RuleSet {
    let path = fixture("rules/fixture.rules");
    RuleSet::load(&[SourceFile {
        name: path.display().to_string(),
        text: std::fs::read_to_string(&path).unwrap(),
    }])
    .unwrap()
}

const CATEGORIES: [&str; 8] = [
    "product",
    "appliance",
    "washer",
    "motor",
    "belt",
    "webbing",
    "camera",
    "car",
];

/// A profile of the fixture vocabulary: each fact given, given as none
/// (`~`), or left out.
fn profile_yaml() -> impl Strategy<Value = String> {
    let fact = |values: Vec<&'static str>| {
        prop_oneof![
            2 => Just(None),
            1 => Just(Some("~")),
            4 => proptest::sample::select(values).prop_map(Some),
        ]
    };
    (
        proptest::sample::select(CATEGORIES.to_vec()),
        fact(vec!["12", "36", "37", "230", "999", "1000", "1499.5"]),
        fact(vec!["0", "48", "1500"]),
        fact(vec!["yes", "no"]),
        fact(vec!["\"new type\"", "\"existing type\""]),
        fact(vec!["[wifi]", "[camera, wifi]", "[]"]),
        fact(vec!["2025-12-31", "2026-01-01"]),
        fact(vec!["Acme", "\"\""]),
        proptest::collection::vec(
            proptest::sample::select(vec![
                "    - scheme: ccc\n      valid_until: 2026-09-30\n",
                "    - scheme: ccc\n",
            ]),
            0..2,
        ),
        proptest::collection::vec(
            proptest::sample::select(vec![
                "    - scheme: ccc-mark\n",
                "    - scheme: energy-label\n      grade: 2\n",
                "    - scheme: energy-label\n      grade: 5\n",
                "    - scheme: cyber-label\n      tier: 1\n",
                "    - scheme: cyber-label\n",
            ]),
            0..3,
        ),
    )
        .prop_map(
            |(cat, ac, dc, net, approval, functions, first, brand, certs, labels)| {
                let mut y = format!("name: generated\ncategory: {cat}\nattributes:\n");
                for (name, v) in [
                    ("rated_voltage_ac_v", ac),
                    ("rated_voltage_dc_v", dc),
                    ("connects_to_network", net),
                    ("approval", approval),
                    ("functions", functions),
                    ("first_approved", first),
                    ("brand", brand),
                ] {
                    if let Some(v) = v {
                        y.push_str(&format!("  {name}: {v}\n"));
                    }
                }
                y.push_str("evidence:\n  certificates:\n");
                y.push_str(&certs.concat());
                y.push_str("  labels:\n");
                y.push_str(&labels.concat());
                y
            },
        )
}

fn as_of() -> impl Strategy<Value = NaiveDate> {
    (0u64..1500).prop_map(|d| NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Days::new(d))
}

fn json(rules: &RuleSet, profile: Profile, as_of: NaiveDate, all: bool, detail: Detail) -> String {
    let evaluation = evaluate_with(rules, &profile, as_of, detail);
    let policy = ExitPolicy::default();
    let info = RunInfo {
        as_of,
        rules,
        rules_source: "fixture".into(),
        show_all: all,
        details: true,
        color: false,
        policy: &policy,
        waivers: None,
        company: None,
        watch: false,
        baseline: None,
    };
    report::render(
        Format::Json,
        &info,
        &[ProductReport::from_evaluation(profile, evaluation)],
        &[],
        120,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn same_input_same_output(yaml in profile_yaml(), day in as_of()) {
        let rules = rules();
        let load = || Profile::from_yaml("p.yaml", &yaml, &rules.vocabulary).unwrap();
        for all in [true, false] {
            let a = json(&rules, load(), day, all, Detail::Full);
            let b = json(&rules, load(), day, all, Detail::Full);
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn brief_findings_change_no_report(yaml in profile_yaml(), day in as_of()) {
        // Without --all, rules settled as not applicable are only counted;
        // the report must be the same as from complete findings.
        let rules = rules();
        let load = || Profile::from_yaml("p.yaml", &yaml, &rules.vocabulary).unwrap();
        let full = json(&rules, load(), day, false, Detail::Full);
        let brief = json(&rules, load(), day, false, Detail::Brief);
        prop_assert_eq!(full, brief);
        // Every finding kept is the complete one; every finding left out is
        // a not-applicable one.
        let p = load();
        let full = evaluate(&rules, &p, day);
        let brief = evaluate_with(&rules, &p, day, Detail::Brief);
        let mut kept = brief.findings.iter().peekable();
        let mut omitted = 0;
        for f in &full {
            match kept.peek() {
                Some(b) if b.rule.id == f.rule.id => {
                    prop_assert_eq!(format!("{f:?}"), format!("{b:?}"));
                    kept.next();
                }
                _ => {
                    prop_assert_eq!(f.status, Status::NotApplicable, "{} left out", &f.rule.id);
                    omitted += 1;
                }
            }
        }
        prop_assert!(kept.next().is_none());
        prop_assert_eq!(omitted, brief.omitted);
    }

    #[test]
    fn needs_info_exactly_when_facts_are_missing(yaml in profile_yaml(), day in as_of()) {
        let rules = rules();
        let p = Profile::from_yaml("p.yaml", &yaml, &rules.vocabulary).unwrap();
        for f in evaluate(&rules, &p, day) {
            // A draft or a plan never asks: it is informational and names
            // the facts that would tell whether it concerns the product.
            prop_assert_eq!(
                f.status == Status::NeedsInfo
                    || (f.rule.is_watch() && f.status == Status::Informational && f.reason.contains("depends on")),
                !f.missing.is_empty(),
                "{} is {} with missing {:?}", f.rule.id, f.status, f.missing
            );
        }
    }

    #[test]
    fn an_obligation_without_end_date_still_binds_the_next_day(yaml in profile_yaml(), day in as_of()) {
        let rules = rules();
        let p = Profile::from_yaml("p.yaml", &yaml, &rules.vocabulary).unwrap();
        let today = evaluate(&rules, &p, day);
        let tomorrow = evaluate(&rules, &p, day + Days::new(1));
        for (t, n) in today.iter().zip(&tomorrow) {
            let r = t.rule;
            // A condition that asks what the product holds can change when
            // evidence expires (tests/evaluate.rs pins that down).
            let open_ended = r.repealed.is_none()
                && r.superseded_by.is_none()
                && r.transitions.is_empty()
                && !r.reads_evidence();
            if open_ended && matches!(t.status, Status::Applies | Status::Met) {
                // Met can become applies when a certificate expires; it never
                // stops binding.
                prop_assert!(
                    matches!(n.status, Status::Applies | Status::Met),
                    "{} is {} on {day} and {} on the next day", r.id, t.status, n.status
                );
            }
            if t.status == Status::Upcoming {
                let d = t.effective.unwrap();
                prop_assert!(d > day);
            }
        }
    }
}

/// Found by the evaluator fuzz target (tests/fixtures/fuzz/evaluator-missing-
/// after-false-case.bin): a dated case or transition whose condition was
/// false, with a fact unknown inside it, left that fact in `missing_facts`
/// of an upcoming, met or informational finding.
#[test]
fn a_false_case_leaves_no_missing_facts() {
    let mut text = std::fs::read_to_string(fixture("rules/fixture.rules")).unwrap();
    text.push_str(
        r#"
rule ccc.cased
  title "Cased"
  topic ccc
  instrument "X"
  authority "CNCA"
  status adopted
  mandatory
  source "001_5bcde08ab577292b.txt", section "Eleven CCC Implementation Rules Released for 16 Products"
  effective 2026-01-01 for "networked" when connects_to_network is yes and rated_voltage_ac_v is above 10 V
  effective 2027-01-01
  transition until 2027-06-30 for "old" when connects_to_network is yes and brand is given
  applies when category is motor
  obligation certify "Certify"
  met by certificate ccc
  explain "x"
end
"#,
    );
    let rules = RuleSet::load(&[SourceFile {
        name: "cased.rules".into(),
        text,
    }])
    .unwrap();
    let p = Profile::from_yaml(
        "p.yaml",
        "category: motor\nattributes:\n  connects_to_network: no\n",
        &rules.vocabulary,
    )
    .unwrap();
    for (day, want) in [
        ("2026-06-01", Status::Upcoming),
        ("2027-03-01", Status::Applies),
    ] {
        let day: NaiveDate = day.parse().unwrap();
        let f = evaluate(&rules, &p, day)
            .into_iter()
            .find(|f| f.rule.id == "ccc.cased")
            .unwrap();
        assert_eq!(f.status, want, "{}", f.reason);
        assert!(f.missing.is_empty(), "{want}: missing {:?}", f.missing);
    }
}

//! `cncomply explain`: a rule in plain words, and for a profile, why it
//! applies or not, condition by condition, with the values read.

mod common;
use common::*;

use predicates::prelude::*;

fn explain(args: &[&str]) -> (i32, String, String) {
    let out = cncomply()
        .arg("explain")
        .args(args)
        .arg("--rules")
        .arg(fixture("rules"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_rule_in_plain_words() {
    let (code, out, _) = explain(&["ccc.belt"]);
    assert_eq!(code, 0);
    for line in [
        "ccc.belt — CCC for safety belts",
        "Topic        ccc (CCC)",
        "Instrument   CNCA-C11-04:2026, issued by CNCA",
        "Status       in-force, mandatory",
        "Dates        effective 2026-07-01",
        "Applies when category is Safety belt (belt) or one under it",
        "Except when  category is Seat-belt webbing (webbing) or one under it — because seat-belt components (webbing, retractors, buckles) are excluded",
        "Obligation   Obtain CCC certification (certify)",
        "Met by       certificate ccc",
        "certificate ccc: CCC certificate",
        "Source       China Standardisation Newsletter, March–April 2026, article 13 “Eleven CCC Implementation Rules Released for 16 Products” (001_5bcde08ab577292b.txt § \"Eleven CCC Implementation Rules Released for 16 Products\"",
        "Explanation  Safety belts need CCC.",
    ] {
        assert!(out.contains(line), "lacks {line:?}:\n{out}");
    }
}

#[test]
fn nested_scope_is_an_outline() {
    let (_, out, _) = explain(&["ccc.motor"]);
    let expected = "\
Applies when all of:
               - category is Small-power motor (motor) or one under it
               - any of:
                   - all of:
                       - rated_voltage_ac_v is above 36 V
                       - rated_voltage_ac_v is below 1000 V
                   - all of:
                       - rated_voltage_dc_v is above 36 V
                       - rated_voltage_dc_v is below 1500 V
";
    assert!(out.contains(expected), "{out}");
}

#[test]
fn dated_cases_transitions_and_supersession_are_spelled_out() {
    let (_, out, _) = explain(&["vehicle.energy"]);
    assert!(
        out.contains("effective 2026-01-01 for new vehicle types (when approval is \"new type\")"),
        "{out}"
    );
    assert!(
        out.contains(
            "effective 2027-01-01 for types already approved (when approval is \"existing type\")"
        ),
        "{out}"
    );
    let (_, out, _) = explain(&["ccc.qr-mark"]);
    assert!(out.contains("transition (grace period) until 2027-02-28 for products already certified (when the product holds certificate ccc)"), "{out}");
    let (_, out, _) = explain(&["cybersecurity-label.draft"]);
    assert!(
        out.contains("superseded by cybersecurity-label.tiers on 2026-04-10"),
        "{out}"
    );
    assert!(out.contains("reported as informational"), "{out}");
    let (_, out, _) = explain(&["ccc.repealed"]);
    assert!(out.contains("repealed 2026-05-01"), "{out}");
}

#[test]
fn with_a_profile_every_condition_shows_path_value_and_result() {
    let (code, out, _) = explain(&[
        "ccc.motor",
        "--profile",
        "tests/fixtures/profiles/motor.yaml",
        "--as-of",
        "2026-07-01",
    ]);
    assert_eq!(code, 0);
    for line in [
        "For M-230 motor (tests/fixtures/profiles/motor.yaml) on 2026-07-01:",
        "Status       applies — in force since 2026-07-01; not shown met",
        "Evidence     no certificate ccc is recorded; no label ccc-mark is recorded",
        "Explanation  Rated 230 V AC;",
        "  true     category is motor                   category = motor  [tests/fixtures/profiles/motor.yaml:2]",
        "  true     rated_voltage_ac_v is above 36 V    attributes.rated_voltage_ac_v = 230  [tests/fixtures/profiles/motor.yaml:7]",
        "  unknown  rated_voltage_dc_v is above 36 V    attributes.rated_voltage_dc_v = (not given)",
    ] {
        assert!(out.contains(line), "lacks {line:?}:\n{out}");
    }
}

#[test]
fn with_a_profile_outside_the_scope_says_which_test_failed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("webbing.yaml");
    std::fs::write(&p, "name: W\ncategory: webbing\n").unwrap();
    let (code, out, _) = explain(&[
        "ccc.belt",
        "--profile",
        p.to_str().unwrap(),
        "--as-of",
        "2026-07-01",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Status       not-applicable — excluded: seat-belt components"),
        "{out}"
    );
    assert!(out.contains("true     category is webbing"), "{out}");

    std::fs::write(&p, "category: motor\n").unwrap();
    let (_, out, _) = explain(&["ccc.motor", "--profile", p.to_str().unwrap()]);
    assert!(out.contains("needs-info"), "{out}");
    assert!(
        out.contains("Missing      add rated_voltage_ac_v, rated_voltage_dc_v to the profile"),
        "{out}"
    );
}

#[test]
fn unknown_rule_is_exit_2_with_did_you_mean() {
    let (code, out, err) = explain(&["ccc.moter"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("no rule `ccc.moter`"), "{err}");
    assert!(err.contains("did you mean `ccc.motor`?"), "{err}");
}

#[test]
fn bad_profile_is_exit_2_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.yaml");
    std::fs::write(
        &p,
        "category: motor\nattributes:\n  rated_voltge_ac_v: 230\n",
    )
    .unwrap();
    let (code, out, err) = explain(&["ccc.motor", "--profile", p.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("bad.yaml:3"), "{err}");
    assert!(
        err.contains("unknown attribute `rated_voltge_ac_v`"),
        "{err}"
    );
}

#[test]
fn help_shows_an_example() {
    cncomply()
        .args(["explain", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "cncomply explain ccc.small-power-motor --profile",
        ));
}

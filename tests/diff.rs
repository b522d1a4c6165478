//! `cncomply diff`: what changes between two days, and between two versions
//! of the rules, on the fixture library (whose dates are known).

mod common;
use common::*;

use serde_json::Value;

const MOTOR: &str = "timeline/motor.yaml";
const WASHER: &str = "timeline/washer.yaml";
const CAR: &str = "timeline/car.yaml";

fn diff(profiles: &[&str], args: &[&str]) -> (i32, String, String) {
    run_on_fixtures("diff", profiles, args)
}

fn diff_json(profiles: &[&str], from: &str, to: &str) -> Value {
    let (code, out, err) = diff(profiles, &["--from", from, "--to", to, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// (date, change, rule, before → after) of the first product's changes.
fn changes(v: &Value, product: usize) -> Vec<(String, String, String, String)> {
    v["products"][product]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["date"].as_str().unwrap().to_string(),
                c["change"].as_str().unwrap().to_string(),
                c["rule_id"].as_str().unwrap().to_string(),
                format!(
                    "{} → {}",
                    c["before"]["status"].as_str().unwrap(),
                    c["after"]["status"].as_str().unwrap()
                ),
            )
        })
        .collect()
}

fn change(date: &str, kind: &str, rule: &str, statuses: &str) -> (String, String, String, String) {
    (date.into(), kind.into(), rule.into(), statuses.into())
}

#[test]
fn a_rule_taking_effect_is_a_change_on_its_first_day_only() {
    // ccc.motor is effective 2026-07-01: --from is the baseline, --to is inclusive.
    let v = diff_json(&[MOTOR], "2026-06-30", "2026-07-01");
    assert_eq!(
        changes(&v, 0),
        vec![change(
            "2026-07-01",
            "starts",
            "ccc.motor",
            "upcoming → applies"
        )]
    );
    assert!(changes(&diff_json(&[MOTOR], "2026-07-01", "2026-12-31"), 0).is_empty());
    assert!(changes(&diff_json(&[MOTOR], "2026-05-01", "2026-06-30"), 0).is_empty());
}

#[test]
fn every_kind_of_change_in_date_order() {
    let v = diff_json(&[WASHER], "2026-01-01", "2028-12-31");
    assert_eq!(
        changes(&v, 0),
        vec![
            change(
                "2026-03-01",
                "starts",
                "ccc.qr-mark",
                "upcoming → in-transition"
            ),
            change(
                "2026-04-10",
                "ends",
                "cybersecurity-label.draft",
                "informational → not-applicable"
            ),
            // The final measures are published that day: known from then on.
            change(
                "2026-04-10",
                "starts",
                "cybersecurity-label.tiers",
                "not-applicable → informational"
            ),
            change(
                "2026-05-01",
                "ends",
                "ccc.repealed",
                "applies → not-applicable"
            ),
            // A voluntary scheme taking effect stays informational.
            change(
                "2026-07-01",
                "starts",
                "cybersecurity-label.tiers",
                "informational → informational"
            ),
            // "transition until 2027-02-28" still holds on the 28th.
            change(
                "2027-03-01",
                "status",
                "ccc.qr-mark",
                "in-transition → applies"
            ),
            change(
                "2027-04-01",
                "starts",
                "energy-label.washer",
                "upcoming → met"
            ),
            // The energy label is valid until 2028-03-31.
            change(
                "2028-04-01",
                "status",
                "energy-label.washer",
                "met → applies"
            ),
        ]
    );
    let c = &v["products"][0]["changes"];
    assert_eq!(c[5]["cause"], "transition-ends");
    assert_eq!(c[7]["cause"], "evidence-expires");
    assert_eq!(c[3]["cause"], "repealed");
    assert_eq!(c[1]["cause"], "superseded");
    assert_eq!(c[2]["cause"], "reported");
    assert_eq!(c[4]["before"]["in_effect"], false);
    assert_eq!(c[4]["after"]["in_effect"], true);
    assert_eq!(c[0]["after"]["transition_until"], "2027-02-28");
    assert_eq!(c[0]["instrument"], "SAMR pilot");
    assert_eq!(c[0]["source"]["file"], "001_5bcde08ab577292b.txt");
}

#[test]
fn a_certificate_nothing_relies_on_after_the_transition_changes_nothing() {
    // The washer's CCC certificate (valid until 2027-06-30) only mattered for
    // the QR-mark transition, which ended on 2027-02-28.
    let v = diff_json(&[WASHER], "2027-06-01", "2027-08-01");
    assert!(changes(&v, 0).is_empty(), "{v:#}");
}

#[test]
fn the_date_for_the_products_case_is_the_one_reported() {
    // vehicle.energy: 2026-01-01 for new types, 2027-01-01 for existing ones.
    let v = diff_json(&[CAR], "2025-12-01", "2027-12-31");
    assert_eq!(
        changes(&v, 0),
        vec![change(
            "2027-01-01",
            "starts",
            "vehicle.energy",
            "upcoming → applies"
        )]
    );
    assert_eq!(
        v["products"][0]["changes"][0]["after"]["case"],
        "types already approved"
    );
}

#[test]
fn table_lists_each_product_with_its_changes_and_a_tally() {
    let (code, out, _) = diff(
        &[MOTOR, CAR],
        &["--from", "2026-06-30", "--to", "2027-01-01"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("M-230 motor — motor (Small-power motor)"),
        "{out}"
    );
    assert!(out.contains("Sedan E5 — car (Passenger car)"), "{out}");
    assert!(out.contains("2026-07-01"), "{out}");
    assert!(out.contains("upcoming →"), "{out}");
    assert!(
        out.contains("Now: in force since 2027-01-01; not shown met."),
        "{out}"
    );
    assert!(
        out.contains("2 products from 2026-06-30 to 2027-01-01 against 8 rules: 2 changes"),
        "{out}"
    );
}

#[test]
fn reversed_dates_are_a_usage_error() {
    let (code, out, err) = diff(&[MOTOR], &["--from", "2027-01-01", "--to", "2026-01-01"]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("--from 2027-01-01 is after --to 2026-01-01"),
        "{err}"
    );
}

#[test]
fn diff_needs_to_or_against() {
    let (code, _, err) = diff(&[MOTOR], &["--from", "2026-01-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("--to"), "{err}");
    assert!(err.contains("--against"), "{err}");
}

#[test]
fn an_invalid_profile_is_reported_and_the_others_still_diffed() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "category: toaster\n").unwrap();
    let out = cncomply()
        .args([
            "diff",
            "--from",
            "2026-06-30",
            "--to",
            "2026-07-01",
            "--rules",
        ])
        .arg(fixture("rules"))
        .arg(fixture(MOTOR))
        .arg(&bad)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout.contains("ccc.motor"), "{stdout}");
    assert!(stdout.contains("bad.yaml"), "{stdout}");
    assert!(String::from_utf8(out.stderr).unwrap().contains("toaster"));
}

/// The fixture library with a rule update applied: ccc.motor moves to
/// 2026-09-01, energy-label.washer is withdrawn, ccc.washer is new.
fn updated_rules() -> tempfile::TempDir {
    let text = std::fs::read_to_string(fixture("rules/fixture.rules")).unwrap();
    let moved = text.replace(
        "published 2026-04-16\n  effective 2026-07-01",
        "published 2026-04-16\n  effective 2026-09-01",
    );
    assert_ne!(
        moved, text,
        "the fixture's ccc.motor dates changed; update this test"
    );
    let start = moved.find("rule energy-label.washer").unwrap();
    let end = start + moved[start..].find("\nend\n").unwrap() + "\nend\n".len();
    let mut updated = format!("{}{}", &moved[..start], &moved[end..]);
    updated.push_str(
        r#"
rule ccc.washer
  title "CCC for washing machines"
  topic ccc
  instrument "CNCA-C07-01:2027"
  authority "CNCA"
  status adopted
  mandatory
  source "001_5bcde08ab577292b.txt", section "Eleven CCC Implementation Rules Released for 16 Products"
  effective 2027-01-01
  applies when category is washer
  obligation certify "Obtain CCC certification"
  met by certificate ccc
  explain "Washing machines need CCC."
end
"#,
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fixture.rules"), updated).unwrap();
    dir
}

#[test]
fn rule_update_lists_added_removed_and_changed_findings_per_product() {
    let new = updated_rules();
    let (code, out, err) = diff(
        &[MOTOR, WASHER, CAR],
        &[
            "--against",
            new.path().to_str().unwrap(),
            "--as-of",
            "2026-08-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["command"], "diff-rules");
    assert_eq!(v["as_of"], "2026-08-01");
    assert_eq!(v["old_rules"]["count"], 8);
    assert_eq!(v["new_rules"]["count"], 8);
    let diffs = |i: usize| -> Vec<(String, String)> {
        v["products"][i]["differences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["rule_id"].as_str().unwrap().to_string(),
                    d["difference"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(diffs(0), vec![pair("ccc.motor", "changed")]);
    assert_eq!(
        diffs(1),
        vec![
            pair("ccc.washer", "added"),
            pair("energy-label.washer", "removed")
        ]
    );
    assert!(diffs(2).is_empty(), "the car is not affected");

    let motor = &v["products"][0]["differences"][0];
    assert_eq!(motor["old"]["status"], "applies");
    assert_eq!(motor["new"]["status"], "upcoming");
    let fields: Vec<(&str, &str, &str)> = motor["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap(),
                f["old"].as_str().unwrap(),
                f["new"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        vec![
            ("status", "applies", "upcoming"),
            ("effective", "2026-07-01", "2026-09-01")
        ]
    );
    let added = &v["products"][1]["differences"][0];
    assert!(added["old"].is_null());
    assert_eq!(added["new"]["status"], "upcoming");
    assert_eq!(added["instrument"], "CNCA-C07-01:2027");
}

#[test]
fn rule_update_table_says_what_changed() {
    let new = updated_rules();
    let (code, out, _) = diff(
        &[MOTOR, CAR],
        &[
            "--against",
            new.path().to_str().unwrap(),
            "--as-of",
            "2026-08-01",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("effective: 2026-07-01 → 2026-09-01"), "{out}");
    assert!(out.contains("status: applies → upcoming"), "{out}");
    assert!(
        out.contains("The findings are the same under both versions."),
        "{out}"
    );
    assert!(
        out.contains("2 products as of 2026-08-01: 1 difference (8 → 8 rules)"),
        "{out}"
    );
}

#[test]
fn same_rules_on_both_sides_differ_in_nothing() {
    let (code, out, _) = diff(
        &[MOTOR, WASHER],
        &[
            "--against",
            fixture("rules").to_str().unwrap(),
            "--as-of",
            "2026-08-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    for p in v["products"].as_array().unwrap() {
        assert_eq!(p["differences"], serde_json::json!([]), "{p:#}");
    }
}

#[test]
fn as_of_belongs_to_the_rule_version_diff() {
    let (code, _, err) = diff(
        &[MOTOR],
        &[
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--as-of",
            "2026-05-01",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with '--as-of"), "{err}");
}

//! `--waivers FILE`: a waived finding is shown and counted as `waived`, an
//! expired waiver stops applying and is reported, a malformed file stops the
//! run with exit 2.

mod common;
use common::*;

use predicates::prelude::*;

fn with_waivers(file: &str, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let mut args = vec!["--waivers", file, "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = check_catalogue(&args);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\n{err}"));
    (code, v, err)
}

fn finding_in(v: &serde_json::Value, file: &str, rule: &str) -> serde_json::Value {
    product(v, file)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule)
        .unwrap_or_else(|| panic!("no {rule} for {file}"))
        .clone()
}

#[test]
fn a_valid_waiver_marks_the_finding_waived_and_keeps_it_visible() {
    let (_, v, err) = with_waivers("tests/fixtures/waivers/valid.yaml", &[]);
    let f = finding_in(&v, "m230-uncertified.yaml", "ccc.motor");
    assert_eq!(f["status"], "waived");
    assert_eq!(f["fails"], false);
    let w = &f["waiver"];
    assert_eq!(w["approver"], "J. Chen, Head of Compliance");
    assert_eq!(w["expires"], "2027-01-31");
    assert_eq!(w["expired"], false);
    assert_eq!(w["status_without_waiver"], "applies");
    assert_eq!(w["waiver"], "tests/fixtures/waivers/valid.yaml:3");
    assert!(f["reason"].as_str().unwrap().starts_with(
        "waived until 2027-01-31 (approved by J. Chen, Head of Compliance: CCC application filed"
    ));
    let p = product(&v, "m230-uncertified.yaml");
    assert_eq!(p["summary"]["waived"], 1);
    assert_eq!(p["summary"]["applies"], 0);
    // The glob matched that product only.
    assert_eq!(
        finding_in(&v, "m48-dc.yaml", "ccc.motor")["status"],
        "applies"
    );
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn a_category_waiver_covers_the_category_and_is_valid_through_its_last_day() {
    let (_, v, _) = with_waivers("tests/fixtures/waivers/valid.yaml", &[]);
    // expires 2026-11-23, the as-of day.
    assert_eq!(
        finding_in(&v, "belt-uncertified.yaml", "ccc.belt")["status"],
        "waived"
    );
    // Met findings are not touched by a waiver.
    assert_eq!(
        finding_in(&v, "belt-certified.yaml", "ccc.belt")["status"],
        "met"
    );
    let entries = v["waivers"]["entries"].as_array().unwrap();
    assert_eq!(entries[1]["products"], "category belt");
    assert_eq!(entries[1]["matched"], 1);
    assert_eq!(entries[0]["matched"], 1);
}

#[test]
fn waived_findings_do_not_fail_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w.yaml");
    std::fs::write(
        &w,
        "waivers:\n  - rule: ccc.belt\n    product: Belt B1\n    justification: test track only\n    approver: A. Weber\n    expires: 2027-01-01\n",
    )
    .unwrap();
    let run = |waivers: bool| {
        let mut cmd = cncomply();
        cmd.args([
            "check",
            "tests/fixtures/catalogue/belts",
            "--rules",
            "tests/fixtures/rules",
        ])
        .args(["--as-of", CATALOGUE_AS_OF]);
        if waivers {
            cmd.arg("--waivers").arg(&w);
        }
        cmd.output().unwrap()
    };
    assert_eq!(run(false).status.code(), Some(1));
    let out = run(true);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1 waived"), "{text}");
    assert!(
        text.contains("0 unmet obligations in force, 1 waived"),
        "{text}"
    );
}

#[test]
fn an_expired_waiver_stops_applying_and_is_reported() {
    let (code, v, err) = with_waivers("tests/fixtures/waivers/expired.yaml", &[]);
    assert_eq!(code, 2, "the catalogue's broken profile");
    let f = finding_in(&v, "m230-uncertified.yaml", "ccc.motor");
    assert_eq!(f["status"], "applies");
    assert_eq!(f["fails"], true);
    assert_eq!(f["waiver"]["expired"], true);
    assert!(f["reason"]
        .as_str()
        .unwrap()
        .ends_with("the waiver approved by J. Chen expired on 2026-11-22 and no longer applies"));
    assert!(
        err.contains("warning: tests/fixtures/waivers/expired.yaml:2: the waiver for ccc.motor (product tests/fixtures/catalogue/motors/m230-uncertified.yaml) approved by J. Chen expired on 2026-11-22; it no longer applies"),
        "{err}"
    );
    assert_eq!(v["waivers"]["entries"][0]["expired"], true);
    // The table says so too.
    let (_, out, _) = check_catalogue(&[
        "--waivers",
        "tests/fixtures/waivers/expired.yaml",
        "--details",
    ]);
    assert!(
        out.contains("Waiver expired on 2026-11-22 (tests/fixtures/waivers/expired.yaml:2)"),
        "{out}"
    );
}

fn assert_fatal(waivers_yaml: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("waivers.yaml");
    std::fs::write(&w, waivers_yaml).unwrap();
    let out = cncomply()
        .args([
            "check",
            "tests/fixtures/catalogue/belts",
            "--rules",
            "tests/fixtures/rules",
        ])
        .arg("--waivers")
        .arg(&w)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        out.stdout.is_empty(),
        "nothing is checked with a malformed waivers file"
    );
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}:\n{err}");
    }
}

#[test]
fn a_waiver_without_expiry_is_fatal() {
    let text = std::fs::read_to_string(fixture("waivers/no-expiry.yaml")).unwrap();
    assert_fatal(
        &text,
        &[
            "waivers.yaml:2",
            "waiver 1 has no `expires` date",
            "add `expires: YYYY-MM-DD`",
        ],
    );
}

#[test]
fn a_waiver_for_an_unknown_rule_is_fatal_with_a_suggestion() {
    let text = std::fs::read_to_string(fixture("waivers/unknown-rule.yaml")).unwrap();
    assert_fatal(
        &text,
        &[
            "waivers.yaml:2",
            "unknown rule `ccc.motr`",
            "did you mean `ccc.motor`?",
        ],
    );
}

/// Found by the `waivers_loader` fuzz target: a file of one comment line
/// with no final line feed was reported on line 2, a line it does not have.
#[test]
fn an_error_at_the_end_of_a_file_without_a_final_newline_names_its_last_line() {
    assert_fatal(
        "# Waivers for the example catalogue, as of ",
        &["waivers.yaml:1: missing field `waivers`", "waivers.yaml:1:"],
    );
}

#[test]
fn malformed_waivers_files_are_fatal() {
    let entry = |extra: &str| {
        format!("waivers:\n  - rule: ccc.belt\n    product: \"*\"\n    justification: j\n    approver: a\n    expires: 2027-01-01\n{extra}")
    };
    assert_fatal("", &["the waivers file is empty"]);
    assert_fatal("waivers: [\n", &["waivers.yaml:"]);
    assert_fatal("- rule: ccc.belt\n", &["waivers file"]);
    assert_fatal(&entry("    owner: me\n"), &["unknown field `owner`"]);
    assert_fatal(
        &entry("").replace("2027-01-01", "2027-02-30"),
        &["waivers.yaml:6", "\"2027-02-30\" is not a calendar date"],
    );
    assert_fatal(
        &entry("").replace("    approver: a\n", ""),
        &["waiver 1 has no `approver`"],
    );
    assert_fatal(
        &entry("").replace("    justification: j\n", "    justification: \"  \"\n"),
        &["waiver 1 has no `justification`"],
    );
    assert_fatal(
        &entry("").replace("    product: \"*\"\n", ""),
        &["waiver 1 names no product and no category"],
    );
    assert_fatal(
        &entry("").replace("    product: \"*\"\n", "    category: sea belt\n"),
        &["unknown category \"sea belt\"", "did you mean"],
    );
    assert_fatal(
        &entry("").replace("\"*\"", "\"[\""),
        &["is not a valid pattern"],
    );
}

#[test]
fn a_missing_waivers_file_is_fatal() {
    cncomply()
        .args([
            "check",
            "tests/fixtures/catalogue/belts",
            "--rules",
            "tests/fixtures/rules",
        ])
        .args(["--waivers", "no/such/waivers.yaml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("cannot read the waivers file"));
}

/// Rules merged into one keep their former ids (`formerly`): a waiver, a
/// baseline and `explain` naming the old id mean the rule that has it now.
#[test]
fn a_former_rule_id_still_names_the_merged_rule() {
    const OLD: &str = "carbon-footprint.gb-t-24067-2024-quantification";
    const NOW: &str = "carbon-footprint.gbt-24067-2024";
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("washer.yaml");
    // The carbon-footprint declaration is not given: the rule needs it (open).
    std::fs::write(&profile, "name: Washer\ncategory: washing-machine\n").unwrap();
    let waivers = dir.path().join("waivers.yaml");
    std::fs::write(
        &waivers,
        format!("waivers:\n  - rule: {OLD}\n    product: \"*\"\n    justification: PCF study booked\n    approver: J. Chen\n    expires: 2027-01-31\n"),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = cncomply()
            .arg("check")
            .arg(&profile)
            .args(["--as-of", "2026-12-01", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        (out.status.code(), v)
    };
    let w = waivers.display().to_string();
    let (_, v) = run(&["--waivers", &w]);
    let f = finding(&v, NOW);
    assert_eq!(f["status"], "waived", "{f:#}");
    assert_eq!(f["waiver"]["status_without_waiver"], "needs-info");

    // A baseline written when the rule had its old id: the finding is
    // unchanged, not one resolved and one new.
    let (_, v) = run(&[]);
    let baseline = dir.path().join("previous.json");
    std::fs::write(&baseline, v.to_string().replace(NOW, OLD)).unwrap();
    let (_, v) = run(&["--baseline", &baseline.display().to_string()]);
    assert_eq!(finding(&v, NOW)["baseline"], "unchanged");
    let resolved = v["products"][0]["resolved"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !resolved.iter().any(|r| r["rule_id"] == OLD),
        "{resolved:?}"
    );

    // `explain` and `source` find it, and say its former id.
    let out = cncomply().args(["explain", OLD]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(text.starts_with(&format!("{NOW} — ")), "{text}");
    assert!(text.contains(&format!("Formerly     {OLD}")), "{text}");
    let out = cncomply().args(["source", OLD]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("GB/T 24067-2024"));
}

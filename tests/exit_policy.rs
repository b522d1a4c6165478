//! Exit codes for pipelines: 0 / 1 / 2, `--fail-on` and `--horizon` widen
//! what fails, `--exit-zero` reports without failing.

mod common;
use common::*;

use predicates::prelude::*;

/// Exit code of `check` over some catalogue folders (no broken profile).
fn code(folders: &[&str], extra: &[&str]) -> i32 {
    let mut cmd = cncomply();
    cmd.args([
        "check",
        "--rules",
        "tests/fixtures/rules",
        "--as-of",
        CATALOGUE_AS_OF,
    ]);
    for f in folders {
        cmd.arg(format!("tests/fixtures/catalogue/{f}"));
    }
    cmd.args(extra).output().unwrap().status.code().unwrap()
}

#[test]
fn by_default_only_applies_fails() {
    // Cameras: informational and nothing else.
    assert_eq!(code(&["cameras"], &[]), 0);
    // EV-0 is upcoming, EV-2 needs info; EV-1 applies.
    assert_eq!(
        code(
            &[
                "vehicles/ev-existing-type.yaml",
                "vehicles/ev-unknown-approval.yaml"
            ],
            &[]
        ),
        0
    );
    assert_eq!(code(&["vehicles"], &[]), 1);
}

#[test]
fn fail_on_upcoming_fails_on_upcoming_obligations() {
    let ev0 = ["vehicles/ev-existing-type.yaml"];
    assert_eq!(code(&ev0, &["--fail-on", "upcoming"]), 1);
    assert_eq!(code(&ev0, &["--fail-on", "in-transition"]), 0);
}

#[test]
fn horizon_limits_upcoming_to_dates_within_reach() {
    // EV-0's limits apply from 2027-01-01, 39 days after the as-of day.
    let ev0 = ["vehicles/ev-existing-type.yaml"];
    assert_eq!(
        code(&ev0, &["--fail-on", "upcoming", "--horizon", "39d"]),
        1
    );
    assert_eq!(
        code(&ev0, &["--fail-on", "upcoming", "--horizon", "38d"]),
        0
    );
    assert_eq!(code(&ev0, &["--fail-on", "upcoming", "--horizon", "6w"]), 1);
    // The washer's energy label is 129 days away.
    let washer = ["appliances/washer-basic.yaml"];
    assert_eq!(
        code(&washer, &["--fail-on", "upcoming", "--horizon", "90d"]),
        0
    );
    assert_eq!(
        code(&washer, &["--fail-on", "upcoming", "--horizon", "180d"]),
        1
    );
}

#[test]
fn fail_on_needs_info_fails_on_missing_facts() {
    let ev2 = ["vehicles/ev-unknown-approval.yaml"];
    assert_eq!(code(&ev2, &[]), 0);
    assert_eq!(code(&ev2, &["--fail-on", "needs-info"]), 1);
}

#[test]
fn fail_on_in_transition_and_comma_lists() {
    let connected = ["appliances/washer-wifi-certified.yaml"];
    assert_eq!(code(&connected, &[]), 0);
    assert_eq!(code(&connected, &["--fail-on", "in-transition"]), 1);
    // The transition ends 2027-02-28, 97 days away.
    assert_eq!(
        code(
            &connected,
            &["--fail-on", "in-transition", "--horizon", "90d"]
        ),
        0
    );
    assert_eq!(
        code(
            &["cameras", "vehicles/ev-existing-type.yaml"],
            &["--fail-on", "needs-info,upcoming"]
        ),
        1
    );
}

#[test]
fn exit_zero_reports_without_failing_but_input_errors_stay_2() {
    assert_eq!(code(&["vehicles"], &["--exit-zero"]), 0);
    assert_eq!(
        code(&["vehicles"], &["--exit-zero", "--fail-on", "needs-info"]),
        0
    );
    let (c, out, _) = check_catalogue(&["--exit-zero"]);
    assert_eq!(c, 2, "a broken profile is an error, not a finding");
    assert!(out.contains("7 unmet obligations in force"), "{out}");
}

#[test]
fn the_tally_names_the_policy_when_widened() {
    let (_, out, _) = check_catalogue(&["--fail-on", "upcoming", "--horizon", "90d"]);
    assert!(
        out.contains("findings failing (fail on: applies, upcoming within 90 days)"),
        "{out}"
    );
}

#[test]
fn horizon_needs_fail_on_and_a_valid_length() {
    cncomply()
        .args(["check", "x.yaml", "--horizon", "90d"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--fail-on"));
    cncomply()
        .args([
            "check",
            "x.yaml",
            "--fail-on",
            "upcoming",
            "--horizon",
            "3 months",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a horizon"));
    cncomply()
        .args(["check", "x.yaml", "--fail-on", "soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("possible values"));
}

#[test]
fn help_documents_the_exit_policy() {
    cncomply()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--fail-on <STATUS>"))
        .stdout(predicate::str::contains("--horizon <DAYS>"))
        .stdout(predicate::str::contains("--exit-zero"))
        .stdout(predicate::str::contains("--waivers <FILE>"))
        .stdout(predicate::str::contains("-o, --output <FORMAT:PATH>"))
        .stdout(predicate::str::contains("waived"));
}

#[test]
fn drafts_and_voluntary_rules_never_fail_even_on_needs_info() {
    // The camera lacks `connects_to_network`: the voluntary label rule needs
    // it, but an open question about a voluntary scheme never fails.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cam.yaml");
    std::fs::write(&p, "category: camera\n").unwrap();
    let out = cncomply()
        .arg("check")
        .arg(&p)
        .args([
            "--rules",
            "tests/fixtures/rules",
            "--as-of",
            "2026-07-01",
            "--fail-on",
            "needs-info",
            "--format",
            "json",
            "--all",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        finding(&v, "cybersecurity-label.tiers")["status"],
        "needs-info"
    );
    assert_eq!(out.status.code(), Some(0));
}

//! `cncomply test`: rule test files, failure reports, coverage.

mod common;
use common::*;

use predicates::prelude::*;

fn run(args: &[&str]) -> assert_cmd::assert::Assert {
    cncomply()
        .args(["test", "--rules", "tests/fixtures/rules"])
        .args(args)
        .assert()
}

#[test]
fn passing_cases_are_counted() {
    run(&["tests/fixtures/ruletests/pass.yaml"])
        .success()
        .stdout(predicate::str::contains("3 passed, 0 failed"));
}

#[test]
fn failures_show_expected_got_and_what_was_read() {
    run(&["tests/fixtures/ruletests/fail.yaml"])
        .code(1)
        .stdout(predicate::str::contains(
            "FAIL tests/fixtures/ruletests/fail.yaml › wrong expectation [ccc.motor]",
        ))
        .stdout(predicate::str::contains(
            "expected applies, got upcoming (applies from 2026-07-01)",
        ))
        .stdout(predicate::str::contains(
            "rated_voltage_ac_v is above 36 v [attributes.rated_voltage_ac_v = 230] → true",
        ))
        .stdout(predicate::str::contains(
            "no rule `ccc.motr`; did you mean `ccc.motor`?",
        ))
        .stdout(predicate::str::contains(
            "the profile is invalid: unknown attribute `voltage`",
        ))
        .stdout(predicate::str::contains("0 passed, 3 failed"));
}

#[test]
fn coverage_lists_untested_rules_and_one_sided_conditions() {
    run(&["tests/fixtures/ruletests/pass.yaml", "--coverage"])
        .success()
        .stdout(predicate::str::contains("7 of 8 rules have no test case"))
        .stdout(predicate::str::contains(
            "ccc.belt: `category is belt` never evaluated",
        ))
        .stdout(predicate::str::contains(
            "ccc.motor: `category is motor` only ever true",
        ))
        .stdout(predicate::str::contains("coverage: 1 of 8 rules tested"));
}

#[test]
fn min_coverage_fails_below_the_threshold() {
    run(&["tests/fixtures/ruletests/pass.yaml", "--min-coverage", "50"])
        .code(1)
        .stdout(predicate::str::contains("is below the minimum of 50%"));
    run(&["tests/fixtures/ruletests/pass.yaml", "--min-coverage", "0"]).success();
}

#[test]
fn no_test_files_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    cncomply()
        .args(["test", "--rules", "tests/fixtures/rules"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no test files"));
}

#[test]
fn bundled_rule_tests_pass_cover_every_rule_and_85_percent_of_conditions() {
    let out = cncomply()
        .args(["test", "rules/tests", "--min-coverage", "85"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.trim_end().ends_with(" 0 failed"), "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("coverage: "))
        .unwrap();
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[1], words[3], "every rule has a test case: {line}");
}

/// A rule test names a rule by its current id: a former one (`formerly`)
/// fails with the id to write instead.
#[test]
fn a_test_naming_a_former_rule_id_is_told_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old-id.yaml");
    std::fs::write(
        &file,
        "tests:\n  - name: old id\n    as_of: 2026-07-01\n    profile: { category: washing-machine, attributes: { declares_carbon_footprint: yes } }\n    expect: { carbon-footprint.gb-t-24067-2024-quantification: informational }\n",
    )
    .unwrap();
    cncomply()
        .arg("test")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "no rule `carbon-footprint.gb-t-24067-2024-quantification`; it is a former id of `carbon-footprint.gbt-24067-2024`: write `carbon-footprint.gbt-24067-2024`",
        ));
}

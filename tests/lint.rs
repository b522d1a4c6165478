//! `cncomply lint`: every diagnostic on a fixture that triggers it, with its
//! position, plus output formats and exit codes.

mod common;
use common::*;

use predicates::prelude::*;

fn lint_json(fixture_file: &str) -> (i32, Vec<serde_json::Value>) {
    let out = cncomply()
        .args([
            "lint",
            "tests/fixtures/lint/base.rules",
            "tests/fixtures/lint/good.rules",
        ])
        .arg(format!("tests/fixtures/lint/{fixture_file}"))
        .args([
            "--tests",
            "tests/fixtures/lint/tests",
            "--error-format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap(), v)
}

/// (fixture, code, level, line, column, words of the message)
const CASES: &[(&str, &str, &str, usize, usize, &str)] = &[
    (
        "missing-binds.rules",
        "missing-binds",
        "error",
        1,
        6,
        "rule `bad.binds` does not say whom it binds",
    ),
    (
        "unknown-party.rules",
        "meaning",
        "error",
        14,
        9,
        "unknown party `produkt`",
    ),
    (
        "syntax.rules",
        "syntax",
        "error",
        2,
        3,
        "expected a rule clause",
    ),
    (
        "citation-file.rules",
        "citation-file",
        "error",
        8,
        10,
        "cited newsletter `no_such_newsletter.txt` is not in seeds/",
    ),
    (
        "citation-section.rules",
        "citation-section",
        "error",
        8,
        46,
        "does not occur in 001_5bcde08ab577292b.txt",
    ),
    (
        "unreachable.rules",
        "unreachable",
        "error",
        1,
        6,
        "rule `bad.unreachable` can never apply",
    ),
    (
        "unreachable-range.rules",
        "unreachable",
        "error",
        1,
        6,
        "rule `bad.range` can never apply",
    ),
    (
        "unknown-topic.rules",
        "meaning",
        "error",
        3,
        9,
        "unknown topic `cc`",
    ),
    (
        "unknown-status.rules",
        "meaning",
        "error",
        6,
        10,
        "unknown status `in-forse`",
    ),
    (
        "unknown-category.rules",
        "meaning",
        "error",
        10,
        28,
        "unknown category `motr`",
    ),
    (
        "unknown-attribute.rules",
        "meaning",
        "error",
        10,
        38,
        "no profile can give `rated_voltge_ac_v`",
    ),
    (
        "duplicate-id.rules",
        "meaning",
        "error",
        1,
        6,
        "duplicate rule id `good.one`",
    ),
    (
        "dangling-successor.rules",
        "meaning",
        "error",
        10,
        17,
        "superseded by `bad.nowhere`, which does not exist",
    ),
    (
        "inverted-dates.rules",
        "meaning",
        "error",
        10,
        3,
        "is published (2026-08-01) after it takes effect (2026-07-01)",
    ),
    (
        "impossible-date.rules",
        "meaning",
        "error",
        9,
        13,
        "`2026-02-30` is not a calendar date",
    ),
    (
        "unknown-successor.rules",
        "unknown-successor",
        "warning",
        1,
        6,
        "rule `bad.early-draft` is superseded on 2026-04-08, but `bad.final-text` is known only from 2026-04-30: for 22 days neither is reported",
    ),
    (
        "never-met.rules",
        "never-met",
        "warning",
        1,
        6,
        "has no `met by`",
    ),
    (
        "never-met.rules",
        "untested",
        "warning",
        1,
        6,
        "rule `bad.nevermet` has no test case",
    ),
    (
        "unused.rules",
        "unused",
        "warning",
        1,
        11,
        "attribute `spare_w` is declared but no rule uses it",
    ),
];

#[test]
fn every_diagnostic_fires_where_it_should() {
    for (fixture, code, level, line, column, words) in CASES {
        let (exit, lints) = lint_json(fixture);
        let hit = lints
            .iter()
            .find(|l| l["code"] == *code && l["file"].as_str().unwrap().ends_with(fixture));
        let hit = hit.unwrap_or_else(|| panic!("{fixture}: no `{code}` in {lints:#?}"));
        assert_eq!(hit["level"], *level, "{fixture}");
        assert_eq!(
            (
                hit["line"].as_u64().unwrap() as usize,
                hit["column"].as_u64().unwrap() as usize
            ),
            (*line, *column),
            "{fixture}: {hit:#}"
        );
        assert!(
            hit["message"].as_str().unwrap().contains(words),
            "{fixture}: {hit:#}"
        );
        assert!(
            hit["help"].is_string(),
            "{fixture}: every lint says what to do: {hit:#}"
        );
        let expected_exit = if lints.iter().any(|l| l["level"] == "error") {
            2
        } else {
            0
        };
        assert_eq!(exit, expected_exit, "{fixture}");
    }
}

#[test]
fn the_good_fixture_is_clean() {
    let out = cncomply()
        .args([
            "lint",
            "tests/fixtures/lint/base.rules",
            "tests/fixtures/lint/good.rules",
            "--tests",
            "tests/fixtures/lint/tests",
            "--deny-warnings",
        ])
        .assert()
        .success();
    out.stderr(predicate::str::contains(
        "2 files checked: 0 errors, 0 warnings",
    ));
}

#[test]
fn all_problems_of_all_files_are_reported_at_once() {
    let out = cncomply()
        .args([
            "lint",
            "tests/fixtures/lint",
            "--tests",
            "tests/fixtures/lint/tests",
            "--error-format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let lints: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    // The syntax error in one file does not hide the others' problems.
    for code in ["syntax", "citation-file", "citation-section", "meaning"] {
        assert!(
            lints.iter().any(|l| l["code"] == code),
            "missing {code}: {lints:#?}"
        );
    }
}

#[test]
fn human_format_points_at_the_text() {
    cncomply()
        .args([
            "lint",
            "tests/fixtures/lint/base.rules",
            "tests/fixtures/lint/unknown-topic.rules",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown-topic.rules:3:9"))
        .stderr(predicate::str::contains("unknown topic `cc`"))
        .stderr(predicate::str::contains("did you mean `ccc`?"))
        .stderr(predicate::str::contains("1 error"));
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let args = [
        "lint",
        "tests/fixtures/lint/base.rules",
        "tests/fixtures/lint/good.rules",
        "tests/fixtures/lint/unused.rules",
        "--tests",
        "tests/fixtures/lint/tests",
    ];
    cncomply().args(args).assert().code(0);
    cncomply()
        .args(args)
        .arg("--deny-warnings")
        .assert()
        .code(1);
}

#[test]
fn bundled_rules_are_lint_clean() {
    cncomply()
        .args(["lint", "rules", "--tests", "rules/tests", "--deny-warnings"])
        .assert()
        .success()
        .stderr(predicate::str::contains("0 errors, 0 warnings"));
}

#[test]
fn a_transition_until_an_attribute_needs_a_declared_date_attribute() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.rules"), r#"topic ccc: "CCC"
attribute volts is a number: "v"
rule ccc.x
  title "x"
  topic ccc
  instrument "X"
  authority "A"
  status in-force
  mandatory
  binds product
  source "001_5bcde08ab577292b.txt", section "Eleven CCC Implementation Rules Released for 16 Products"
  effective 2026-01-01
  transition until volts
  transition until nothing_declared
  applies when volts is above 3
  obligation certify "x"
  explain "x"
end
"#).unwrap();
    let out = cncomply().arg("lint").arg(dir.path()).output().unwrap();
    let err =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`volts` is not a date attribute"), "{err}");
    assert!(err.contains("bad.rules:13:20"), "{err}");
    assert!(
        err.contains("unknown attribute `nothing_declared`"),
        "{err}"
    );
}

/// A former id (`formerly`) names one rule: not a current rule's id, not
/// another rule's former id, not the rule itself.
#[test]
fn a_former_id_must_name_exactly_one_rule() {
    let dir = tempfile::tempdir().unwrap();
    let rule = |id: &str, formerly: &str| {
        format!(
            "rule {id}\n  title \"x\"\n  topic ccc\n  instrument \"X\"\n  authority \"A\"\n  status in-force\n  mandatory\n  binds product\n  source \"001_5bcde08ab577292b.txt\", section \"Eleven CCC Implementation Rules Released for 16 Products\"\n  formerly {formerly}\n  applies when volts is above 3\n  obligation certify \"x\"\n  explain \"x\"\nend\n"
        )
    };
    let text = format!(
        "topic ccc: \"CCC\"\nattribute volts is a number: \"v\"\n{}{}{}",
        rule("ccc.a", "ccc.old"),
        rule("ccc.b", "ccc.old, ccc.a"),
        rule("ccc.c", "ccc.c"),
    );
    std::fs::write(dir.path().join("bad.rules"), text).unwrap();
    let out = cncomply().arg("lint").arg(dir.path()).output().unwrap();
    let err =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("`ccc.old` is already a former id of rule `ccc.a`"),
        "{err}"
    );
    assert!(err.contains("`ccc.a` is the id of a rule at"), "{err}");
    assert!(
        err.contains("rule `ccc.c` names itself as a former id"),
        "{err}"
    );
    assert!(err.contains("bad.rules:26:12"), "{err}");
}

#[test]
fn a_name_declared_twice_points_at_both_declarations() {
    let dir = tempfile::tempdir().unwrap();
    let text = "topic ccc: \"CCC\"\ntopic ccc: \"CCC again\"\n\
                attribute volts is a number: \"v\"\nattribute volts is yes/no: \"v\"\n\
                evidence ccc is a certificate: \"CCC certificate\"\nevidence ccc is a label: \"again\"\n\
                category product: \"Any product\"\ncategory product: \"Any product again\"\n";
    std::fs::write(dir.path().join("twice.rules"), text).unwrap();
    let out = cncomply().arg("lint").arg(dir.path()).output().unwrap();
    let err =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for (what, second) in [
        ("topic `ccc`", 2),
        ("attribute `volts`", 4),
        ("evidence `ccc`", 6),
        ("category `product`", 8),
    ] {
        assert!(
            err.contains(&format!("{what} is declared twice")),
            "{what}: {err}"
        );
        assert!(
            err.contains(&format!("twice.rules:{second}:")),
            "{what} on line {second}: {err}"
        );
        let first = format!(
            "first declared at {}:{}",
            dir.path().join("twice.rules").display(),
            second - 1
        );
        assert!(err.contains(&first), "{what}: {first}: {err}");
    }
}

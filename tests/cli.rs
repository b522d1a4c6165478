//! The binary as users and pipelines see it: output, exit codes, errors.

mod common;
use common::*;

use predicates::prelude::*;

const MOTOR: &str = "name: M-230\ncategory: motor\nattributes:\n  rated_voltage_ac_v: 230\n";

#[test]
fn exit_1_when_an_obligation_in_force_is_unmet() {
    let (code, out, _) = check_fixture(MOTOR, "2026-07-01", &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("ccc.motor"));
    assert!(out.contains("applies"));
    assert!(out.contains("1 unmet obligation in force"), "{out}");
}

#[test]
fn exit_0_when_nothing_in_force_is_unmet() {
    let (code, out, _) = check_fixture(MOTOR, "2026-06-30", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("upcoming"));
    assert!(out.contains("2026-07-01"));
    assert!(out.contains("(1 day)"), "{out}");
}

#[test]
fn table_hides_not_applicable_unless_all() {
    let (_, out, _) = check_fixture(MOTOR, "2026-07-01", &[]);
    assert!(!out.contains("ccc.belt"), "{out}");
    let (_, out, _) = check_fixture(MOTOR, "2026-07-01", &["--all"]);
    assert!(out.contains("ccc.belt"), "{out}");
    assert!(out.contains("not-applicable"));
    assert!(out.contains("outside the scope"));
}

#[test]
fn table_shows_citation_and_explanation() {
    // The citation (as a person cites it: newsletter, issue, article) and
    // the explanation are in --details; by default one
    // line of what to do and why.
    let (_, out, _) = check_fixture(MOTOR, "2026-07-01", &[]);
    assert!(!out.contains("Rated 230 V AC"), "{out}");
    let (_, out, _) = check_fixture(MOTOR, "2026-07-01", &["--details"]);
    assert!(out.contains("CNCA-C04-01:2026"), "{out}");
    assert!(out.contains("China Standardisation Newsletter, March–April 2026, article 13 “Eleven CCC Implementation Rules Released for 16 Products”"), "{out}");
    assert!(out.contains("Rated 230 V AC"), "{out}");
    assert!(out.contains("M-230 — motor (Small-power motor)"), "{out}");
}

#[test]
fn needs_info_names_the_fact_to_add() {
    let (code, out, _) = check_fixture("category: motor\n", "2026-07-01", &[]);
    assert_eq!(code, 0, "needs-info alone does not fail: {out}");
    assert!(
        out.contains("1 mandatory rule depends on facts the profile does not give"),
        "{out}"
    );
    assert!(
        out.contains("attributes.rated_voltage_ac_v (a number (in V)) AC voltage"),
        "{out}"
    );
    assert!(out.contains("needed by ccc.motor"), "{out}");
    // Drafts and voluntary rules that also lack a fact are only counted.
    assert!(
        out.contains("1 draft, voluntary or advisory rule also depends on facts not given"),
        "{out}"
    );
    // --all shows each needs-info finding as a row with the facts to add.
    let (_, all, _) = check_fixture("category: motor\n", "2026-07-01", &["--all"]);
    assert!(
        all.contains("Add rated_voltage_ac_v, rated_voltage_dc_v to the profile"),
        "{all}"
    );
}

#[test]
fn json_has_the_documented_shape() {
    let (code, v) = json_check(MOTOR, "2026-07-01");
    assert_eq!(code, 1);
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["tool"]["name"], "cncomply");
    // The rule's text is stated once, in the rules table, not in the finding.
    let raw = &v["products"][0]["findings"][0];
    assert!(
        raw.get("title").is_none() && raw.get("instrument").is_none(),
        "{raw:#}"
    );
    assert_eq!(
        v["rules"]["by_id"]["ccc.motor"]["instrument"],
        "CNCA-C04-01:2026"
    );
    assert_eq!(v["as_of"], "2026-07-01");
    assert_eq!(v["rules"]["count"], 8);
    let p = &v["products"][0];
    assert_eq!(p["name"], "M-230");
    assert_eq!(p["category"]["id"], "motor");
    assert_eq!(p["summary"]["applies"], 1);
    let f = finding(&v, "ccc.motor");
    for key in [
        "rule_id",
        "title",
        "topic",
        "status",
        "reason",
        "instrument",
        "authority",
        "standards",
        "rule_status",
        "binding",
        "source",
        "dates",
        "obligation",
        "evidence",
        "missing_facts",
        "explanation",
        "conditions",
    ] {
        assert!(f.get(key).is_some(), "finding lacks {key}: {f:#}");
    }
    assert_eq!(f["source"]["file"], "001_5bcde08ab577292b.txt");
    assert_eq!(f["dates"]["effective"], "2026-07-01");
    assert_eq!(f["obligation"]["kind"], "certify");
    assert_eq!(
        f["obligation"]["met_by"],
        "certificate ccc and label ccc-mark"
    );
    assert_eq!(v["totals"]["by_status"]["applies"], 1);
}

#[test]
fn json_findings_are_sorted_by_urgency() {
    let p = "category: washer\nattributes: {functions: [wifi], connects_to_network: yes}\n";
    let (_, v) = json_check(p, "2026-07-01");
    let statuses: Vec<String> = v["products"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap().to_string())
        .collect();
    let order = [
        "applies",
        "in-transition",
        "needs-info",
        "upcoming",
        "met",
        "informational",
        "not-applicable",
    ];
    let ranks: Vec<usize> = statuses
        .iter()
        .map(|s| order.iter().position(|o| o == s).unwrap())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{statuses:?}");
}

#[test]
fn output_is_byte_identical_across_runs() {
    let run = |format: &str| {
        cncomply()
            .args([
                "check",
                "tests/fixtures/profiles/motor.yaml",
                "--rules",
                "tests/fixtures/rules",
            ])
            .args(["--as-of", "2026-07-01", "--all", "--format", format])
            .output()
            .unwrap()
            .stdout
    };
    for format in ["json", "table"] {
        let first = run(format);
        assert!(!first.is_empty());
        assert_eq!(first, run(format), "{format} output differs between runs");
    }
}

#[test]
fn several_profiles_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.yaml");
    std::fs::write(&a, MOTOR).unwrap();
    cncomply()
        .args(["check", "--rules"])
        .arg(fixture("rules"))
        .args(["--as-of", "2026-07-01", "--format", "json"])
        .arg(&a)
        .arg("-")
        .write_stdin("name: from stdin\ncategory: washer\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"name\": \"from stdin\""))
        .stdout(predicate::str::contains("\"name\": \"M-230\""));
}

#[test]
fn help_teaches_statuses_and_exit_codes() {
    cncomply()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("needs-info"))
        .stdout(predicate::str::contains("Exit codes"))
        .stdout(predicate::str::contains("--as-of"));
    cncomply()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples"));
}

// ---------------------------------------------------------------- errors

fn assert_rejected(profile: &str, needle: &[&str]) {
    let (code, out, err) = check_fixture(profile, "2026-07-01", &[]);
    assert_eq!(code, 2, "stdout: {out}\nstderr: {err}");
    assert!(
        out.is_empty(),
        "no findings may be printed for a rejected profile: {out}"
    );
    for n in needle {
        assert!(err.contains(n), "stderr lacks {n:?}:\n{err}");
    }
}

#[test]
fn broken_yaml_names_file_and_line() {
    assert_rejected(
        "name: x\ncategory: [motor\n",
        &["product.yaml:3", "did not find expected"],
    );
}

#[test]
fn unknown_attribute_suggests_the_right_name() {
    assert_rejected(
        "category: motor\nattributes:\n  rated_voltge_ac_v: 230\n",
        &[
            "product.yaml:3",
            "unknown attribute `rated_voltge_ac_v`",
            "did you mean",
            "rated_voltage_ac_v",
        ],
    );
}

#[test]
fn wrong_type_names_the_expected_type() {
    assert_rejected(
        "category: motor\nattributes:\n  rated_voltage_ac_v: \"230 V\"\n",
        &["product.yaml:3", "must be a number", "\"230 V\""],
    );
    assert_rejected(
        "category: camera\nattributes:\n  connects_to_network: sometimes\n",
        &["must be yes or no"],
    );
}

#[test]
fn unknown_category_suggests_an_alias() {
    assert_rejected(
        "category: washing machin\n",
        &[
            "product.yaml:1",
            "unknown category \"washing machin\"",
            "washing machine",
        ],
    );
}

#[test]
fn impossible_date_is_rejected() {
    assert_rejected(
        "category: motor\nplaced_on_market: 2026-02-30\n",
        &["product.yaml:2", "2026-02-30", "not a calendar date"],
    );
}

#[test]
fn unknown_top_level_key_is_rejected() {
    assert_rejected(
        "category: motor\ncolour: red\n",
        &["unknown field `colour`"],
    );
}

#[test]
fn missing_category_is_rejected() {
    assert_rejected("name: nothing\n", &["no `category`"]);
}

#[test]
fn empty_and_multi_document_profiles_are_rejected() {
    assert_rejected("", &["empty"]);
    assert_rejected(
        "category: motor\n---\ncategory: washer\n",
        &["more than one YAML document"],
    );
}

#[test]
fn missing_profile_file_is_exit_2() {
    cncomply()
        .args(["check", "does/not/exist.yaml", "--rules"])
        .arg(fixture("rules"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("does/not/exist.yaml"));
}

#[test]
fn bad_as_of_is_a_usage_error() {
    cncomply()
        .args(["check", "x.yaml", "--as-of", "2026-02-30"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a calendar date"));
}

fn rules_error(rule_text: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("rules/fixture.rules"), dir.path().join("a.rules")).unwrap();
    std::fs::write(dir.path().join("b.rules"), rule_text).unwrap();
    let profile = dir.path().join("p.yaml");
    std::fs::write(&profile, MOTOR).unwrap();
    let out = cncomply()
        .arg("check")
        .arg(&profile)
        .arg("--rules")
        .arg(dir.path())
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const GOOD_RULE: &str = r#"rule extra.one
  title "t"
  topic ccc
  instrument "i"
  authority "a"
  status in-force
  mandatory
  source "001_5bcde08ab577292b.txt", section "s"
  effective 2026-01-01
  applies when category is motor
  obligation certify "o"
  explain "e"
end
"#;

#[test]
fn a_valid_extra_rule_file_loads() {
    let (code, out, err) = rules_error(GOOD_RULE);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("extra.one"));
}

#[test]
fn rule_syntax_error_points_at_line_and_column() {
    let (code, out, err) = rules_error(&GOOD_RULE.replace("  title \"t\"", "  titel \"t\""));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("b.rules:2:3"), "{err}");
    assert!(err.contains("expected a rule clause"), "{err}");
}

#[test]
fn unterminated_string_in_rules_gets_help() {
    let (code, _, err) = rules_error(&GOOD_RULE.replace("title \"t\"", "title \"t"));
    assert_eq!(code, 2);
    assert!(err.contains("closing `\"`"), "{err}");
}

#[test]
fn meaning_errors_are_all_reported_at_once() {
    let bad = GOOD_RULE
        .replace("topic ccc", "topic cc")
        .replace("effective 2026-01-01", "effective 2026-02-30")
        .replace("status in-force", "status in-forse")
        .replace("category is motor", "category is motr");
    let (code, out, err) = rules_error(&bad);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    for needle in [
        "unknown topic `cc`",
        "did you mean `ccc`?",
        "`2026-02-30` is not a calendar date",
        "unknown status `in-forse`",
        "did you mean `in-force`?",
        "unknown category `motr`",
        "b.rules:3:9",
        "the rule files have 4 problems",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
}

#[test]
fn duplicate_rule_id_is_an_error() {
    let (code, _, err) = rules_error(&GOOD_RULE.replace("extra.one", "ccc.motor"));
    assert_eq!(code, 2);
    assert!(err.contains("duplicate rule id `ccc.motor`"), "{err}");
    assert!(err.contains("already used at"), "{err}");
}

#[test]
fn wrong_unit_and_type_mismatch_are_errors() {
    let bad = GOOD_RULE.replace(
        "category is motor",
        "category is motor and rated_voltage_ac_v is above 36 W and connects_to_network is above 3",
    );
    let (code, _, err) = rules_error(&bad);
    assert_eq!(code, 2);
    assert!(err.contains("`rated_voltage_ac_v` is in V, not W"), "{err}");
    assert!(
        err.contains("`connects_to_network` is yes or no; `a numeric comparison` does not apply"),
        "{err}"
    );
}

#[test]
fn missing_clauses_are_listed() {
    let bad = GOOD_RULE
        .replace("  title \"t\"\n", "")
        .replace("  explain \"e\"\n", "");
    let (_, _, err) = rules_error(&bad);
    assert!(
        err.contains("rule `extra.one` has no `title` clause"),
        "{err}"
    );
    assert!(
        err.contains("rule `extra.one` has no `explain` clause"),
        "{err}"
    );
}

#[test]
fn successor_must_exist_and_not_loop() {
    let (_, _, err) = rules_error(&GOOD_RULE.replace(
        "effective 2026-01-01",
        "effective 2026-01-01\n  superseded by extra.nope",
    ));
    assert!(
        err.contains("superseded by `extra.nope`, which does not exist"),
        "{err}"
    );
    let (_, _, err) = rules_error(&GOOD_RULE.replace(
        "effective 2026-01-01",
        "effective 2026-01-01\n  superseded by extra.one",
    ));
    assert!(err.contains("superseded by itself"), "{err}");
}

#[test]
fn category_cycle_is_an_error() {
    let (code, _, err) =
        rules_error("category loop-a under loop-b: \"A\"\ncategory loop-b under loop-a: \"B\"\n");
    assert_eq!(code, 2);
    assert!(err.contains("is under itself"), "{err}");
}

#[test]
fn rules_dir_that_does_not_exist_is_exit_2() {
    cncomply()
        .args(["check", "x.yaml", "--rules", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read rules from no/such/dir",
        ));
}

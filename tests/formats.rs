//! Machine formats, each checked by a real consumer: SARIF against the
//! official SARIF 2.1.0 JSON schema (Python `jsonschema`), JUnit XML read by
//! `junitparser` (a JUnit consumer used by CI dashboards), JSON parsed and
//! checked field by field against the README's schema. GitHub workflow
//! commands and Markdown are checked for what GitHub and a reader see.

mod common;
use common::*;

use std::path::Path;

/// Writes the catalogue's reports with `-o` into a temporary directory.
fn catalogue_reports(extra: &[&str]) -> (tempfile::TempDir, i32) {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    for (format, file) in [
        ("sarif", "out.sarif"),
        ("junit", "out.xml"),
        ("json", "out.json"),
        ("markdown", "out.md"),
        ("github", "out.txt"),
    ] {
        args.push("-o".into());
        args.push(format!("{format}:{}", dir.path().join(file).display()));
    }
    let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let (code, _, _) = check_catalogue(&args);
    (dir, code)
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

const SARIF_VALIDATE: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.Draft4Validator.check_schema(schema)
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=str)
for e in errors:
    print("/".join(map(str, e.absolute_path)), e.message)
print(len(errors), "schema errors")
sys.exit(1 if errors else 0)
"#;

fn assert_valid_sarif(path: &Path) {
    if !python_has("jsonschema") {
        return;
    }
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json");
    let (ok, out) = python(SARIF_VALIDATE, &[&schema, path]);
    assert!(
        ok,
        "SARIF does not validate against the 2.1.0 schema:\n{out}"
    );
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let (dir, code) = catalogue_reports(&["--all"]);
    assert_eq!(code, 2);
    assert_valid_sarif(&dir.path().join("out.sarif"));
    // With waivers (suppressions) and the failing-policy levels too.
    let (dir, _) = catalogue_reports(&[
        "--waivers",
        "tests/fixtures/waivers/valid.yaml",
        "--fail-on",
        "upcoming",
    ]);
    assert_valid_sarif(&dir.path().join("out.sarif"));
}

#[test]
fn sarif_describes_rules_and_locates_results_at_the_deciding_key() {
    let (dir, _) = catalogue_reports(&[]);
    let v: serde_json::Value = serde_json::from_str(&read(dir.path(), "out.sarif")).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let motor = rules.iter().find(|r| r["id"] == "ccc.motor").unwrap();
    assert_eq!(motor["name"], "CccMotor");
    let help = motor["help"]["text"].as_str().unwrap();
    assert!(help.contains("CNCA-C04-01:2026"), "{help}");
    assert!(
        help.contains("China Standardisation Newsletter, March–April 2026, article 13 “Eleven CCC Implementation Rules Released for 16 Products”"),
        "{help}"
    );
    let results = run["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "ccc.motor" && r["properties"]["product"] == "M-230 fan motor")
        .unwrap();
    assert_eq!(r["level"], "error");
    assert_eq!(r["kind"], "fail");
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "ccc.motor"
    );
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "tests/fixtures/catalogue/motors/m230-uncertified.yaml"
    );
    // `rated_voltage_ac_v: 230` is the last condition that held: the
    // category alone would not have brought the rule in.
    assert_eq!(loc["region"]["startLine"], 6);
    assert_eq!(
        run["tool"]["driver"]["informationUri"],
        "https://github.com/cncomply/cncomply#readme"
    );
    let upcoming = results
        .iter()
        .find(|r| r["properties"]["status"] == "upcoming")
        .unwrap();
    assert_eq!(upcoming["level"], "warning");
    let met = results
        .iter()
        .find(|r| r["properties"]["status"] == "met")
        .unwrap();
    assert_eq!(
        (met["kind"].as_str(), met["level"].as_str()),
        (Some("pass"), Some("none"))
    );
    // The broken profile is a tool notification with its line.
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let n = &inv["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "error");
    assert_eq!(
        n["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
}

#[test]
fn sarif_line_is_the_attribute_that_brought_the_rule_in_not_the_category() {
    let (_, out, _) = check_fixture(
        "name: x\nmade_in: DE\ncategory: motor\nattributes:\n  rated_voltage_ac_v: 230\n",
        CATALOGUE_AS_OF,
        &["--format", "sarif"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "ccc.motor");
    // Line 3 is `category: motor`; line 5, the voltage, decided.
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
}

const JUNIT_READ: &str = r#"
import json, sys
from junitparser import JUnitXml, Failure, Skipped, Error
xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    cases = []
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        cases.append({"name": case.name, "classname": case.classname,
                      "result": kinds[0] if kinds else "Passed",
                      "message": case.result[0].message if case.result else None})
    suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures,
                   "errors": suite.errors, "skipped": suite.skipped, "cases": cases})
print(json.dumps(suites))
"#;

/// The JUnit file as junitparser reads it.
fn junit_as_read(path: &Path) -> Option<serde_json::Value> {
    if !python_has("junitparser") {
        return None;
    }
    let (ok, out) = python(JUNIT_READ, &[path]);
    assert!(ok, "junitparser cannot read the JUnit XML:\n{out}");
    Some(serde_json::from_str(&out).unwrap())
}

#[test]
fn junit_is_read_by_a_junit_consumer_one_suite_per_product() {
    let (dir, _) = catalogue_reports(&[]);
    let Some(suites) = junit_as_read(&dir.path().join("out.xml")) else {
        return;
    };
    let suites = suites.as_array().unwrap();
    assert_eq!(suites.len(), 23, "22 products and the broken profile");
    for s in suites {
        // The counts in the attributes agree with the cases a consumer sees.
        let cases = s["cases"].as_array().unwrap();
        let count = |k: &str| cases.iter().filter(|c| c["result"] == k).count();
        assert_eq!(s["tests"].as_u64().unwrap() as usize, cases.len(), "{s}");
        assert_eq!(
            s["failures"].as_u64().unwrap() as usize,
            count("Failure"),
            "{s}"
        );
        assert_eq!(
            s["skipped"].as_u64().unwrap() as usize,
            count("Skipped"),
            "{s}"
        );
        assert_eq!(
            s["errors"].as_u64().unwrap() as usize,
            count("Error"),
            "{s}"
        );
    }
    let suite = |name: &str| {
        suites
            .iter()
            .find(|s| s["name"].as_str().unwrap().starts_with(name))
            .unwrap_or_else(|| panic!("no suite {name}"))
    };
    let case = |s: &serde_json::Value, rule: &str| {
        s["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"].as_str().unwrap().starts_with(rule))
            .unwrap()
            .clone()
    };
    let failing = suite("M-230 fan motor");
    assert_eq!(failing["failures"], 1);
    let c = case(failing, "ccc.motor:");
    assert_eq!(c["result"], "Failure");
    assert_eq!(c["classname"], "cncomply.ccc");
    assert!(c["message"]
        .as_str()
        .unwrap()
        .starts_with("applies: in force since 2026-07-01"));
    assert_eq!(
        case(suite("AquaWash 8 ("), "energy-label.washer:")["result"],
        "Skipped"
    );
    assert_eq!(
        case(suite("M-230C certified"), "ccc.motor:")["result"],
        "Passed"
    );
    let broken = suite("tests/fixtures/catalogue/broken/unknown-attribute.yaml");
    assert_eq!(broken["errors"], 1);
}

#[test]
fn junit_failures_follow_the_exit_policy_and_waivers_pass() {
    let (dir, _) = catalogue_reports(&[
        "--fail-on",
        "upcoming",
        "--waivers",
        "tests/fixtures/waivers/valid.yaml",
    ]);
    let Some(suites) = junit_as_read(&dir.path().join("out.xml")) else {
        return;
    };
    let find = |name: &str| {
        suites
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"].as_str().unwrap().starts_with(name))
            .unwrap()
            .clone()
    };
    let washer = find("AquaWash 8 (");
    assert_eq!(
        washer["failures"], 1,
        "upcoming fails under --fail-on upcoming"
    );
    let waived = find("M-230 fan motor");
    assert_eq!(waived["failures"], 0, "{waived}");
}

#[test]
fn json_v1_report_has_every_documented_field() {
    let (dir, _) = catalogue_reports(&[
        "--waivers",
        "tests/fixtures/waivers/valid.yaml",
        "--json-schema-version",
        "1",
    ]);
    let v: serde_json::Value = serde_json::from_str(&read(dir.path(), "out.json")).unwrap();
    for key in [
        "schema_version",
        "tool",
        "as_of",
        "rules",
        "products",
        "errors",
        "totals",
        "waivers",
    ] {
        assert!(v.get(key).is_some(), "document lacks {key}");
    }
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["rules"]["count"], 8);
    let statuses = [
        "applies",
        "in_transition",
        "needs_info",
        "upcoming",
        "met",
        "waived",
        "informational",
        "not_applicable",
    ];
    for p in v["products"].as_array().unwrap() {
        for key in [
            "profile",
            "name",
            "category",
            "summary",
            "nearest_deadline",
            "failing",
            "findings",
        ] {
            assert!(p.get(key).is_some(), "product lacks {key}: {p}");
        }
        let summary = p["summary"].as_object().unwrap();
        assert_eq!(summary.len(), statuses.len(), "{summary:?}");
        let total: u64 = statuses.iter().map(|s| summary[*s].as_u64().unwrap()).sum();
        assert_eq!(total, 8, "every rule is counted once per product");
        for f in p["findings"].as_array().unwrap() {
            for key in [
                "rule_id",
                "title",
                "topic",
                "status",
                "fails",
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
                "waiver",
            ] {
                assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
            }
        }
    }
    let t = &v["totals"];
    assert_eq!(t["products"], 22);
    assert_eq!(t["errors"], 1);
    assert_eq!(t["by_status"]["waived"], 2);
    assert_eq!(t["failing"], 5);
    assert_eq!(v["errors"][0]["line"], 4);
}

#[test]
fn github_annotations_point_at_the_profile_line() {
    let (dir, _) = catalogue_reports(&[]);
    let out = read(dir.path(), "out.txt");
    assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
    assert!(
        out.contains("::error file=tests/fixtures/catalogue/motors/m230-uncertified.yaml,line=6,title=ccc.motor::M-230 fan motor: applies — in force since 2026-07-01; not shown met; to do: Obtain CCC certification"),
        "{out}"
    );
    assert!(
        out.contains("::warning file=tests/fixtures/catalogue/vehicles/ev-existing-type.yaml,line=4,title=vehicle.energy::EV-0 (approved type): upcoming — applies from 2027-01-01"),
        "{out}"
    );
    assert!(
        out.contains("::error file=tests/fixtures/catalogue/broken/unknown-attribute.yaml,line=4,title=cncomply%3A profile not checked::unknown attribute"),
        "{out}"
    );
    assert_eq!(
        out.matches("::error ").count(),
        8,
        "7 unmet and 1 broken:\n{out}"
    );
    assert!(
        out.ends_with("::notice title=cncomply::22 products checked as of 2026-11-23: 7 unmet obligations in force, 7 findings failing (fail on: applies), 1 profile with errors\n"),
        "{out}"
    );
}

#[test]
fn markdown_report_reads_as_a_pull_request_comment() {
    let (dir, _) = catalogue_reports(&[]);
    let md = read(dir.path(), "out.md");
    assert!(md.starts_with("# China market-access check — as of 2026-11-23\n"));
    assert!(md.contains("**7 unmet obligations in force**"), "{md}");
    assert!(md.contains("| M-230 fan motor (`tests/fixtures/catalogue/motors/m230-uncertified.yaml`) | 1 | 0 | 1 | 0 | 0 | 0 | — | ❌ fail (1) |"), "{md}");
    assert!(md.contains("## EV-0 (approved type)"), "{md}");
    assert!(
        md.contains("| upcoming | `vehicle.energy` EV energy consumption limits"),
        "{md}"
    );
    assert!(md.contains("## Profiles not checked"), "{md}");
    // Every table row has the same number of columns as its header.
    for block in md.split("\n\n").filter(|b| b.starts_with('|')) {
        let cols: Vec<usize> = block
            .lines()
            .map(|l| l.replace("\\|", "").matches('|').count())
            .collect();
        assert!(cols.windows(2).all(|w| w[0] == w[1]), "{block}");
    }
}

#[test]
fn several_formats_in_one_run_and_one_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("r/x.sarif");
    let out = cncomply()
        .args([
            "check",
            "tests/fixtures/catalogue/belts",
            "--rules",
            "tests/fixtures/rules",
        ])
        .args(["--as-of", CATALOGUE_AS_OF, "--format", "json", "-o"])
        .arg(format!("sarif:{}", sarif.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["products"], 3);
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(s["version"], "2.1.0");
}

#[test]
fn a_bad_output_spec_is_a_usage_error() {
    for spec in ["sarif", "xml:out.xml", "json:-"] {
        cncomply()
            .args(["check", "x.yaml", "-o", spec])
            .assert()
            .code(2)
            .stdout("");
    }
}

#[test]
fn an_unwritable_output_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "").unwrap();
    let (code, out, err) = check_fixture(
        "category: camera\n",
        CATALOGUE_AS_OF,
        &["-o", &format!("json:{}/x.json", blocker.display())],
    );
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("cannot write the json report"), "{err}");
}

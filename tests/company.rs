//! The company file: company facts stated once, company obligations reported
//! once per run in every format, never in a product's pass/fail.

mod common;
use common::*;

use std::path::Path;

const WASHER: &str = "name: Washer\ncategory: washing-machine\nmade_in: DE\n";

/// A catalogue directory with two products and, when given, a company.yaml.
fn catalogue(company: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("washer.yaml"), WASHER).unwrap();
    std::fs::write(
        dir.path().join("kettle.yaml"),
        "name: Kettle\ncategory: kettle\nmade_in: DE\n",
    )
    .unwrap();
    if let Some(c) = company {
        std::fs::write(dir.path().join("company.yaml"), c).unwrap();
    }
    dir
}

fn check(args: &[&str]) -> (i32, String, String) {
    outcome(
        cncomply()
            .arg("check")
            .args(args)
            .args(["--as-of", "2026-12-01"])
            .output()
            .unwrap(),
    )
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

const COMPANY: &str =
    "name: Example GmbH\nattributes:\n  processes_data_in_china: yes\n  is_ciio: no\n";

#[test]
fn an_explicit_company_file_that_is_missing_stops_the_run() {
    let dir = catalogue(None);
    let missing = dir.path().join("nope.yaml");
    let (code, out, err) = check(&[&path(dir.path()), "--company", &path(&missing)]);
    assert_eq!(code, 2, "{err}");
    assert!(
        out.is_empty(),
        "no findings that could look like a pass: {out}"
    );
    assert!(
        err.contains(&path(&missing)) && err.contains("the company file"),
        "{err}"
    );
}

#[test]
fn a_broken_company_file_is_located() {
    let dir = catalogue(Some("name: X\nattributes: [unclosed\n"));
    let (code, out, err) = check(&[&path(dir.path())]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("company.yaml:"),
        "names the file and line: {err}"
    );
}

#[test]
fn an_unknown_key_in_the_company_file_gets_line_and_did_you_mean() {
    let dir = catalogue(Some("name: X\natributes:\n  is_ciio: no\n"));
    let (code, out, err) = check(&[&path(dir.path())]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("company.yaml:2"), "line of the key: {err}");
    assert!(err.contains("did you mean `attributes`"), "{err}");
}

#[test]
fn a_product_fact_in_the_company_file_is_refused_at_its_line() {
    let dir = catalogue(Some(
        "attributes:\n  is_ciio: no\n  rated_voltage_ac_v: 230\n",
    ));
    let (code, _, err) = check(&[&path(dir.path())]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("company.yaml:3"), "{err}");
    assert!(
        err.contains("`rated_voltage_ac_v` is a product fact"),
        "{err}"
    );
}

#[test]
fn company_obligations_are_reported_once_and_never_fail_a_product() {
    let dir = catalogue(Some(COMPANY));
    let (code, out, err) = check(&[&path(dir.path()), "--details"]);
    assert_ne!(code, 2, "{err}");
    assert_eq!(
        out.matches("data-security.dsl-data-security-regime")
            .count(),
        1,
        "once for the run, not per product: {out}"
    );
    assert!(out.contains("Company obligations — Example GmbH"), "{out}");
    assert!(out.contains("every product"), "{out}");
    // The company file is not read as a product.
    assert!(out.contains("2 products checked"), "{out}");

    // By default it does not fail the run; with --fail-on company it does.
    let failing = |extra: &[&str]| {
        let mut args = vec![path(dir.path()), "--format".into(), "json".into()];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        let (_, out, _) = check(&args);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["company"]["failing"].as_u64().unwrap()
    };
    assert_eq!(failing(&[]), 0);
    assert_eq!(failing(&["--fail-on", "company"]), 1);
    let washer_only = tempfile::tempdir().unwrap();
    std::fs::write(
        washer_only.path().join("washer.yaml"),
        std::fs::read_to_string("examples/washing-machine.yaml").unwrap(),
    )
    .unwrap();
    std::fs::write(washer_only.path().join("company.yaml"), COMPANY).unwrap();
    let (code, _, err) = check(&[&path(washer_only.path())]);
    assert_eq!(code, 0, "the washer meets its product obligations: {err}");
    let (code, _, _) = check(&[&path(washer_only.path()), "--fail-on", "company"]);
    assert_eq!(
        code, 1,
        "the company's unmet DSL duty fails the run when asked"
    );
}

#[test]
fn the_json_report_has_the_company_section_and_each_finding_its_section() {
    let dir = catalogue(Some(COMPANY));
    let (_, out, _) = check(&[&path(dir.path()), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let company = &v["company"];
    assert!(company["file"].as_str().unwrap().ends_with("company.yaml"));
    assert_eq!(company["name"], "Example GmbH");
    let dsl = company["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "data-security.dsl-data-security-regime")
        .expect("the DSL regime is a company finding");
    // Schema 2: a finding's rule, with its section, is in `rules.by_id`.
    let rule = |f: &serde_json::Value| v["rules"]["by_id"][f["rule_id"].as_str().unwrap()].clone();
    assert_eq!(dsl["status"], "applies");
    assert_eq!(rule(dsl)["section"], "company");
    assert_eq!(dsl["fails"], false);
    assert_eq!(dsl["products"].as_array().unwrap().len(), 2);
    for p in v["products"].as_array().unwrap() {
        for f in p["findings"].as_array().unwrap() {
            assert_ne!(rule(f)["section"], "company", "{}", f["rule_id"]);
            assert!(rule(f)["binds"].is_string());
        }
    }
}

#[test]
fn markdown_sarif_and_junit_report_company_obligations_once() {
    let dir = catalogue(Some(COMPANY));
    let (_, md, _) = check(&[&path(dir.path()), "--format", "markdown"]);
    assert!(md.contains("## Company obligations — Example GmbH"), "{md}");
    assert_eq!(
        md.matches("data-security.dsl-data-security-regime").count(),
        1,
        "{md}"
    );
    let (_, sarif, _) = check(&[&path(dir.path()), "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results: Vec<&serde_json::Value> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "data-security.dsl-data-security-regime")
        .collect();
    assert_eq!(results.len(), 1, "{sarif}");
    let uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.ends_with("company.yaml"),
        "located at the company file: {uri}"
    );
    let (_, junit, _) = check(&[&path(dir.path()), "--format", "junit"]);
    assert!(junit.contains("testsuite name=\"company"), "{junit}");
    assert_eq!(
        junit
            .matches("data-security.dsl-data-security-regime")
            .count(),
        1,
        "{junit}"
    );
}

#[test]
fn without_a_company_file_company_obligations_are_one_line() {
    let dir = catalogue(None);
    let (_, out, _) = check(&[&path(dir.path())]);
    assert!(
        out.contains(
            "company obligations depend on facts not given: add a company file (see README)"
        ),
        "{out}"
    );
    assert!(
        !out.contains("industrial_internet_role"),
        "no company question per product: {out}"
    );
}

#[test]
fn a_company_fact_left_in_a_product_profile_still_loads_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("washer.yaml");
    std::fs::write(&p, format!("{WASHER}attributes:\n  is_ciio: no\n")).unwrap();
    let (code, out, err) = check(&[&path(&p)]);
    assert_ne!(code, 2, "{err}");
    assert!(out.contains("Washer"), "{out}");
    assert!(
        err.contains("washer.yaml:5:3: `is_ciio` is a company fact; move it to the company file"),
        "{err}"
    );
    // `--quiet` drops warnings, this one too; the report is the same.
    let (quiet_code, quiet_out, quiet_err) = check(&[&path(&p), "--quiet"]);
    assert_eq!(quiet_code, code);
    assert_eq!(quiet_out, out);
    assert!(!quiet_err.contains("company fact"), "{quiet_err}");
}

#[test]
fn the_company_file_named_among_the_profiles_is_not_a_product() {
    let dir = catalogue(Some(COMPANY));
    let washer = path(&dir.path().join("washer.yaml"));
    let company = path(&dir.path().join("company.yaml"));
    let (code, out, err) = check(&[&washer, &company]);
    assert_ne!(code, 2, "{err}");
    assert!(out.contains("1 product checked"), "{out}");
    assert!(out.contains("Company obligations — Example GmbH"), "{out}");
    let (code, _, err) = check(&[&company]);
    assert_eq!(code, 2);
    assert!(
        err.contains("a company file, not a product profile"),
        "{err}"
    );
}

#[test]
fn drafts_and_plans_never_ask_and_are_listed_on_the_horizon() {
    let (_, out, _) = check(&["examples/washing-machine.yaml"]);
    assert!(out.contains("On the horizon"), "{out}");
    assert!(out.contains("rohs.eco-code-eee-design-duty"), "{out}");
    let (_, json, _) = check(&["examples/washing-machine.yaml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for f in v["products"][0]["findings"].as_array().unwrap() {
        if f["section"] == "watch" {
            assert_ne!(f["status"], "needs-info", "{}", f["rule_id"]);
            assert_eq!(f["fails"], false);
        }
    }
    // --watch also lists those that only may concern the product.
    let (_, plain, _) = check(&["examples/washing-machine.yaml"]);
    let (_, watch, _) = check(&["examples/washing-machine.yaml", "--watch"]);
    assert!(!plain.contains("may concern it"), "{plain}");
    assert!(watch.contains("may concern it"), "{watch}");
}

#[test]
fn filters_keep_the_product_obligations_asked_for() {
    let (_, out, _) = check(&["examples/washing-machine.yaml", "--topic", "ccc"]);
    assert!(out.contains("ccc.household-0705-washing-machine"), "{out}");
    assert!(!out.contains("energy-label.washing-machine"), "{out}");
    let (_, out, _) = check(&["examples/washing-machine.yaml", "--status", "upcoming"]);
    assert!(out.contains("energy-label.washing-machine"), "{out}");
    assert!(!out.contains("ccc.household-0705-washing-machine"), "{out}");
    let (_, out, _) = check(&["examples/washing-machine.yaml", "--binding", "voluntary"]);
    assert!(out.contains("other.green-design-guidelines-2026"), "{out}");
    assert!(!out.contains("rohs.gb-26572-2025"), "{out}");
}

#[test]
fn the_washing_machine_example_fits_a_screen() {
    // As a person runs it: piped (the default width), not at the 200
    // columns the other tests use.
    let (code, out, _) = outcome(
        cncomply()
            .env_remove("COLUMNS")
            .args([
                "check",
                "examples/washing-machine.yaml",
                "--as-of",
                "2026-12-01",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "no unmet product obligation in force: {out}");
    assert!(
        out.lines().count() <= 60,
        "{} lines:\n{out}",
        out.lines().count()
    );
}

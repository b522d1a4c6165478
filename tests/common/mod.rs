#![allow(dead_code)]
//! Helpers shared by the integration tests.

use std::path::PathBuf;

use assert_cmd::Command;

pub fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// `cncomply` run from the repository root, with the colour and width of
/// a plain pipe so output is stable.
pub fn cncomply() -> Command {
    let mut cmd = Command::cargo_bin("cncomply").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .env_remove("CNCOMPLY_RULES");
    cmd
}

/// `cncomply check` over fixture rules with an inline profile written to a
/// temporary file. Returns (exit code, stdout, stderr).
pub fn check_fixture(profile_yaml: &str, as_of: &str, extra: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("product.yaml");
    std::fs::write(&p, profile_yaml).unwrap();
    let out = cncomply()
        .arg("check")
        .arg(&p)
        .arg("--rules")
        .arg(fixture("rules"))
        .args(["--as-of", as_of])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The JSON report's finding for `rule` on the first product.
pub fn finding(json: &serde_json::Value, rule: &str) -> serde_json::Value {
    json["products"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule)
        .unwrap_or_else(|| panic!("no finding for {rule} in {json:#}"))
        .clone()
}

pub fn json_check(profile_yaml: &str, as_of: &str) -> (i32, serde_json::Value) {
    let (code, out, err) = check_fixture(profile_yaml, as_of, &["--format", "json", "--all"]);
    let v = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {out}\nstderr: {err}"));
    (code, v)
}

pub fn status_of(profile_yaml: &str, as_of: &str, rule: &str) -> String {
    let (_, v) = json_check(profile_yaml, as_of);
    finding(&v, rule)["status"].as_str().unwrap().to_string()
}

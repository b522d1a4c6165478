//! Reports are byte-identical to the ones recorded before the evaluator was
//! optimised (issue 7): the example catalogue with the fixture rules, every
//! finding shown. Re-record only for a deliberate change of output:
//!
//!   cncomply check tests/fixtures/catalogue --rules tests/fixtures/rules \
//!     --as-of 2026-11-23 --all --details --format F > tests/fixtures/golden/catalogue-2026-11-23.F
//!
//! (`json` is schema version 1, `--json-schema-version 1`: reports are now
//! streamed product by product, and the recorded document must come out
//! byte for byte. SARIF was re-recorded when every rule came to be stated
//! in `tool.driver.rules` and results moved to the key that decided them.)

mod common;
use common::*;

fn golden(format: &str) {
    golden_as(format, format, &[]);
}

fn golden_as(format: &str, file: &str, extra: &[&str]) {
    let mut args = vec!["--all", "--details", "--format", format];
    args.extend_from_slice(extra);
    let (code, out, err) = check_catalogue(&args);
    assert_eq!(code, 2, "the catalogue holds one broken profile: {err}");
    let want =
        std::fs::read_to_string(fixture(&format!("golden/catalogue-2026-11-23.{file}"))).unwrap();
    assert!(out == want, "{format} report differs from the recorded one");
    let want_err = std::fs::read_to_string(fixture("golden/catalogue-2026-11-23.stderr")).unwrap();
    assert_eq!(err, want_err);
}

#[test]
fn json_report_is_unchanged() {
    golden_as("json", "json", &["--json-schema-version", "1"]);
}

#[test]
fn json_v2_report_is_unchanged() {
    golden_as("json", "v2.json", &[]);
}

#[test]
fn junit_report_is_unchanged() {
    golden("junit");
}

#[test]
fn markdown_report_is_unchanged() {
    golden("markdown");
}

#[test]
fn table_report_is_unchanged() {
    golden("table");
}

#[test]
fn sarif_report_is_unchanged() {
    golden("sarif");
}

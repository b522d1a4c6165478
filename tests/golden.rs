//! Reports are byte-identical to the ones recorded before the evaluator was
//! optimised (issue 7): the example catalogue with the fixture rules, every
//! finding shown. Re-record only for a deliberate change of output:
//!
//!   cncomply check tests/fixtures/catalogue --rules tests/fixtures/rules \
//!     --as-of 2026-11-23 --all --details --format F > tests/fixtures/golden/catalogue-2026-11-23.F

mod common;
use common::*;

fn golden(format: &str) {
    let (code, out, err) = check_catalogue(&["--all", "--details", "--format", format]);
    assert_eq!(code, 2, "the catalogue holds one broken profile: {err}");
    let want =
        std::fs::read_to_string(fixture(&format!("golden/catalogue-2026-11-23.{format}"))).unwrap();
    assert!(out == want, "{format} report differs from the recorded one");
    let want_err = std::fs::read_to_string(fixture("golden/catalogue-2026-11-23.stderr")).unwrap();
    assert_eq!(err, want_err);
}

#[test]
fn json_report_is_unchanged() {
    golden("json");
}

#[test]
fn table_report_is_unchanged() {
    golden("table");
}

#[test]
fn sarif_report_is_unchanged() {
    golden("sarif");
}

//! What a team installs around the binary: shell completions and a man page
//! generated from the clap definition, and colour that follows `--color`
//! and `NO_COLOR`.

mod common;
use common::*;

use predicates::prelude::*;

#[test]
fn bash_completions_are_valid_bash_and_know_the_flags() {
    let out = cncomply().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--fail-on",
        "--waivers",
        "--format",
        "--horizon",
        "completions",
    ] {
        assert!(script.contains(flag), "completion lacks {flag}");
    }
    // bash itself parses the script (`-n`: read, do not run).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cncomply.bash");
    std::fs::write(&path, &script).unwrap();
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .expect("bash is present wherever the tests run");
    assert!(status.success(), "bash rejects the completion script");
}

#[test]
fn completions_for_other_shells() {
    for (shell, marker) in [
        ("zsh", "#compdef cncomply"),
        ("fish", "complete -c cncomply"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[cncomply]"),
    ] {
        cncomply()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker));
    }
    cncomply()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("possible values"));
}

#[test]
fn man_page_is_roff_with_the_commands() {
    cncomply()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH cncomply 1"))
        .stdout(predicate::str::contains("check"))
        .stdout(predicate::str::contains("completions"));
    let dir = tempfile::tempdir().unwrap();
    cncomply()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    let check = std::fs::read_to_string(dir.path().join("cncomply-check.1")).unwrap();
    assert!(check.contains("fail\\-on"), "{check}");
    assert!(dir.path().join("cncomply.1").exists());
}

fn table_output(color: Option<&str>, no_color: bool) -> String {
    let mut cmd = cncomply();
    if !no_color {
        cmd.env_remove("NO_COLOR");
    }
    cmd.args([
        "check",
        "tests/fixtures/catalogue/belts",
        "--rules",
        "tests/fixtures/rules",
    ])
    .args(["--as-of", CATALOGUE_AS_OF, "--details"]);
    if let Some(c) = color {
        cmd.args(["--color", c]);
    }
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

#[test]
fn colour_follows_the_flag_then_no_color_then_the_terminal() {
    const ESC: char = '\u{1b}';
    // Piped, no flag: plain.
    assert!(!table_output(None, false).contains(ESC));
    // --color always wins over NO_COLOR.
    let forced = table_output(Some("always"), true);
    assert!(forced.contains(ESC), "{forced}");
    assert!(forced.contains("applies"));
    assert!(!table_output(Some("never"), false).contains(ESC));
    assert!(!table_output(Some("auto"), true).contains(ESC));
}

#[test]
fn reports_written_to_files_never_carry_colour() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.txt");
    cncomply()
        .args([
            "check",
            "tests/fixtures/catalogue/belts",
            "--rules",
            "tests/fixtures/rules",
        ])
        .args(["--color", "always", "-o"])
        .arg(format!("table:{}", path.display()))
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("Belt B1"));
    assert!(!text.contains('\u{1b}'));
}

//! `-q/--quiet` and the progress bar: drawn on standard error at a terminal
//! (a pseudo-terminal here, through Python's pty module), never when
//! standard error is not a terminal or with `--quiet`; standard output is the
//! same report either way.

mod common;
use common::*;

/// Runs `cncomply ARGS` with standard error on a pseudo-terminal and
/// standard output to a pipe; returns (exit code, stdout, what the terminal
/// showed).
fn with_terminal_stderr(args: &[&str]) -> Option<(i64, String, String)> {
    let t = Terminal {
        stdin: false,
        stdout: false,
        stderr: true,
        typed: "",
        size: None,
    };
    on_terminal(args, t).map(|r| (r.code, r.stdout, r.screen))
}

const CATALOGUE: [&str; 6] = [
    "check",
    "tests/fixtures/catalogue",
    "--rules",
    "tests/fixtures/rules",
    "--as-of",
    "2026-11-23",
];

#[test]
fn progress_is_shown_at_a_terminal_and_not_with_quiet() {
    let Some((code, out, screen)) = with_terminal_stderr(&CATALOGUE) else {
        return;
    };
    assert_eq!(code, 2, "{screen}");
    assert!(screen.contains("checking"), "{screen}");
    assert!(screen.contains("/23 profiles"), "{screen}");
    let mut quiet = CATALOGUE.to_vec();
    quiet.push("-q");
    let (code, quiet_out, screen) = with_terminal_stderr(&quiet).unwrap();
    assert_eq!(code, 2);
    assert!(!screen.contains("checking"), "{screen}");
    // Errors are still shown with --quiet.
    assert!(screen.contains("unknown attribute"), "{screen}");
    assert_eq!(out, quiet_out);
}

#[test]
fn no_progress_when_stderr_is_not_a_terminal_and_quiet_drops_warnings() {
    let (code, _, err) = check_catalogue(&["--waivers", "tests/fixtures/waivers/expired.yaml"]);
    assert_eq!(code, 2);
    assert!(!err.contains("checking"), "{err}");
    assert!(
        err.contains("warning: tests/fixtures/waivers/expired.yaml:2"),
        "{err}"
    );
    let (code, _, err) = check_catalogue(&[
        "--waivers",
        "tests/fixtures/waivers/expired.yaml",
        "--quiet",
    ]);
    assert_eq!(code, 2);
    assert!(!err.contains("warning"), "{err}");
    assert!(
        err.contains("unknown attribute"),
        "errors are still shown: {err}"
    );
}

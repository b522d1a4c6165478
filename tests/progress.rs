//! `-q/--quiet` and the progress bar: drawn on standard error at a terminal
//! (a pseudo-terminal here, through Python's pty module), never when
//! standard error is not a terminal or with `--quiet`; standard output is the
//! same report either way.

mod common;
use common::*;

use std::process::Command;

/// Runs `cncomply ARGS` with standard error on a pseudo-terminal and
/// standard output to a pipe; returns (exit code, stdout, what the terminal
/// showed), or None when python3 with pty cannot run (skipped outside CI).
fn with_terminal_stderr(args: &[&str]) -> Option<(i64, String, String)> {
    const DRIVE: &str = r#"
import json, os, pty, select, subprocess, sys
args = json.loads(sys.argv[1])
master, slave = pty.openpty()
child = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, close_fds=True)
os.close(slave)
screen = b""
while True:
    # A guard against a hang, not a timing assertion.
    ready, _, _ = select.select([master], [], [], 120)
    if not ready:
        child.kill()
        break
    try:
        chunk = os.read(master, 4096)
    except OSError:  # EIO: the child has exited and closed the terminal
        break
    if not chunk:
        break
    screen += chunk
out = child.stdout.read()
print(json.dumps({"code": child.wait(), "stdout": out.decode(), "screen": screen.decode("utf-8", "replace")}))
"#;
    let bin = assert_cmd::cargo::cargo_bin("cncomply");
    let mut all = vec![bin.display().to_string()];
    all.extend(args.iter().map(|s| s.to_string()));
    let run = Command::new("python3")
        .arg("-c")
        .arg(DRIVE)
        .arg(serde_json::to_string(&all).unwrap())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output();
    match run {
        Ok(r) if r.status.success() => {
            let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
            Some((
                v["code"].as_i64().unwrap(),
                v["stdout"].as_str().unwrap().to_string(),
                v["screen"].as_str().unwrap().to_string(),
            ))
        }
        other => {
            let why = format!("python3 with the pty module could not run: {other:?}");
            assert!(
                std::env::var_os("CNCOMPLY_REQUIRE_PYTHON").is_none(),
                "{why}"
            );
            eprintln!("SKIPPED: {why}");
            None
        }
    }
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

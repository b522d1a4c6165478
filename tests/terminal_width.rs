//! At a terminal the table is as wide as the terminal. Shells do not export
//! `COLUMNS`, so the width has to come from the terminal itself: an
//! 80-column terminal showed 110-column rows that wrapped into a mess.

mod common;

use std::process::Command;

/// Runs `cncomply ARGS` with standard output on an 80×24 pseudo-terminal
/// and no `COLUMNS`; returns what the terminal showed, or None when python3
/// with pty cannot run (skipped outside CI).
fn on_an_80_column_terminal(args: &[&str]) -> Option<String> {
    const DRIVE: &str = r#"
import fcntl, json, os, pty, select, struct, subprocess, sys, termios
args = json.loads(sys.argv[1])
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
child = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.DEVNULL, close_fds=True, env=env)
os.close(slave)
screen = b""
while True:
    # A guard against a hang, not a timing assertion.
    ready, _, _ = select.select([master], [], [], 120)
    if not ready:
        child.kill()
        break
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the child has exited and closed the terminal
        break
    if not chunk:
        break
    screen += chunk
child.wait()
print(json.dumps(screen.decode("utf-8", "replace")))
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
        Ok(r) if r.status.success() => Some(serde_json::from_slice(&r.stdout).unwrap()),
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

#[test]
fn the_table_fits_the_terminal_it_is_shown_on() {
    let Some(screen) = on_an_80_column_terminal(&[
        "check",
        "examples/washing-machine.yaml",
        "--as-of",
        "2026-12-01",
    ]) else {
        return;
    };
    assert!(screen.contains("AquaWash"), "{screen}");
    let widest = screen
        .lines()
        .map(|l| l.trim_end_matches('\r').chars().count())
        .max()
        .unwrap_or(0);
    assert!(widest <= 80, "a line of {widest} columns:\n{screen}");
    assert!(
        screen.contains("┌"),
        "still a table at 80 columns:\n{screen}"
    );
}

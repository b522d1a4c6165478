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
    outcome(out)
}

/// The JSON report's finding for `rule` on the first product, as a reader
/// of schema version 2 puts it together: the finding's own fields over its
/// rule's entry in `rules.by_id` (dates merged; a null explanation is the
/// rule's). Version 1 findings are returned as they are.
pub fn finding(json: &serde_json::Value, rule: &str) -> serde_json::Value {
    let f = json["products"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule)
        .unwrap_or_else(|| panic!("no finding for {rule} in {json:#}"))
        .clone();
    with_rule(json, f)
}

/// A schema-2 finding completed from the rules table.
pub fn with_rule(json: &serde_json::Value, f: serde_json::Value) -> serde_json::Value {
    if json["schema_version"] != 2 {
        return f;
    }
    let id = f["rule_id"].as_str().unwrap();
    let mut out = json["rules"]["by_id"][id].clone();
    assert!(out.is_object(), "rule {id} is not in rules.by_id");
    let rule_dates = out["dates"].clone();
    for (k, v) in f.as_object().unwrap() {
        out[k] = v.clone();
    }
    for (k, v) in rule_dates.as_object().unwrap() {
        if out["dates"].get(k).is_none() {
            out["dates"][k] = v.clone();
        }
    }
    if f["explanation"].is_null() {
        out["explanation"] = json["rules"]["by_id"][id]["explanation"].clone();
    }
    out
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

/// The catalogue's as-of day: every status occurs in it on this day.
pub const CATALOGUE_AS_OF: &str = "2026-11-23";

/// `cncomply check` over the example catalogue (tests/fixtures/catalogue,
/// fixture rules) plus `extra` arguments. Returns (exit code, stdout, stderr).
pub fn check_catalogue(extra: &[&str]) -> (i32, String, String) {
    let out = cncomply()
        .args([
            "check",
            "tests/fixtures/catalogue",
            "--rules",
            "tests/fixtures/rules",
        ])
        .args(["--as-of", CATALOGUE_AS_OF])
        .args(extra)
        .output()
        .unwrap();
    outcome(out)
}

/// The product entry of the JSON report whose profile path ends with `file`.
pub fn product<'a>(json: &'a serde_json::Value, file: &str) -> &'a serde_json::Value {
    json["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["profile"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("no product {file} in the report"))
}

/// Whether `python3` can import `module`. In CI (`CI` set) its absence is a
/// failure, since .ci/run installs it; elsewhere the caller skips with a
/// printed reason.
pub fn python_has(module: &str) -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 cannot import `{module}`; .ci/run installs it with pip"
        );
        eprintln!(
            "SKIPPED: python3 cannot import `{module}` (pip install {module}); CI runs this check"
        );
    }
    ok
}

/// Runs a Python script with arguments; returns (success, stdout + stderr).
pub fn python(script: &str, args: &[&std::path::Path]) -> (bool, String) {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// `cncomply COMMAND` over fixture profiles and the fixture rules; returns
/// (exit code, stdout, stderr).
pub fn run_on_fixtures(command: &str, profiles: &[&str], args: &[&str]) -> (i32, String, String) {
    let out = cncomply()
        .arg(command)
        .args(profiles.iter().map(|p| fixture(p)))
        .arg("--rules")
        .arg(fixture("rules"))
        .args(args)
        .output()
        .unwrap();
    outcome(out)
}

/// (exit code, stdout, stderr) of a finished run.
pub fn outcome(out: std::process::Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Which of a command's streams are a pseudo-terminal, what is typed at it
/// (then Ctrl-D when `typed` ends with it), and the terminal's size.
pub struct Terminal<'a> {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    pub typed: &'a str,
    /// Columns and rows; None keeps the pseudo-terminal's default.
    pub size: Option<(u16, u16)>,
}

/// What a command run on a pseudo-terminal did: its exit code, its
/// standard output when that was a pipe, and what the terminal showed.
pub struct OnTerminal {
    pub code: i64,
    pub stdout: String,
    pub screen: String,
}

/// Runs `cncomply ARGS` with the streams `t` names on a pseudo-terminal
/// (Python's pty module), without `COLUMNS`, from the repository root.
/// None when python3 with pty cannot run (skipped outside CI, where
/// `CNCOMPLY_REQUIRE_PYTHON` makes it a failure).
pub fn on_terminal(args: &[&str], t: Terminal) -> Option<OnTerminal> {
    const DRIVE: &str = r#"
import fcntl, json, os, pty, select, struct, subprocess, sys, termios
args, spec = json.loads(sys.argv[1]), json.loads(sys.argv[2])
master, slave = pty.openpty()
if spec["size"]:
    cols, rows = spec["size"]
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
pipe = lambda on: slave if on else subprocess.PIPE
env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
child = subprocess.Popen(args, stdin=slave if spec["stdin"] else subprocess.DEVNULL,
                         stdout=pipe(spec["stdout"]), stderr=pipe(spec["stderr"]),
                         close_fds=True, env=env)
os.close(slave)
os.write(master, spec["typed"].encode())
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
out = b"" if spec["stdout"] else child.stdout.read()
if not spec["stderr"]:
    child.stderr.read()
print(json.dumps({"code": child.wait(), "stdout": out.decode(), "screen": screen.decode("utf-8", "replace")}))
"#;
    let bin = assert_cmd::cargo::cargo_bin("cncomply");
    let mut all = vec![bin.display().to_string()];
    all.extend(args.iter().map(|s| s.to_string()));
    let spec = serde_json::json!({
        "stdin": t.stdin, "stdout": t.stdout, "stderr": t.stderr,
        "typed": t.typed, "size": t.size,
    });
    let run = std::process::Command::new("python3")
        .arg("-c")
        .arg(DRIVE)
        .arg(serde_json::to_string(&all).unwrap())
        .arg(spec.to_string())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output();
    match run {
        Ok(r) if r.status.success() => {
            let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
            Some(OnTerminal {
                code: v["code"].as_i64().unwrap(),
                stdout: v["stdout"].as_str().unwrap().to_string(),
                screen: v["screen"].as_str().unwrap().to_string(),
            })
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

//! `cncomply.toml`, `CNCOMPLY_*` and flags: flags over environment over
//! file over defaults, the file found upward from the working directory up
//! to the repository root, paths relative to the file, errors with a line.

mod common;
use common::*;

use std::path::{Path, PathBuf};

const ENV: [&str; 11] = [
    "CNCOMPLY_RULES",
    "CNCOMPLY_FORMAT",
    "CNCOMPLY_OUTPUT",
    "CNCOMPLY_WAIVERS",
    "CNCOMPLY_FAIL_ON",
    "CNCOMPLY_HORIZON",
    "CNCOMPLY_EXIT_ZERO",
    "CNCOMPLY_JSON_SCHEMA_VERSION",
    "CNCOMPLY_MIN_LEVEL",
    "CNCOMPLY_BASELINE",
    "CNCOMPLY_QUIET",
];

/// A project: `.git`, `cncomply.toml` with `toml`, and a working directory
/// two levels below its root.
fn project(toml: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join("cncomply.toml"), toml).unwrap();
    let work = dir.path().join("catalogue/motors");
    std::fs::create_dir_all(&work).unwrap();
    (dir, work)
}

fn run_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = cncomply();
    cmd.current_dir(cwd);
    for e in ENV {
        cmd.env_remove(e);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    outcome(cmd.args(args).output().unwrap())
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
        .display()
        .to_string()
}

/// The `config` line for `key`: (value, origin).
fn setting(out: &str, key: &str) -> (String, String) {
    let line = out
        .lines()
        .find(|l| l.split(" = ").next().map(str::trim) == Some(key))
        .unwrap_or_else(|| panic!("no {key} in:\n{out}"));
    let rest = line.split_once(" = ").unwrap().1;
    let (value, origin) = rest.rsplit_once("   (").unwrap();
    (
        value.trim().to_string(),
        origin.trim_end_matches(')').to_string(),
    )
}

const TOML: &str = "# team settings\n[check]\nformat = \"json\"\nfail-on = [\"upcoming\"]\nhorizon = \"12w\"\nwaivers = \"compliance/waivers.yaml\"\nmin-level = \"warning\"\n";

#[test]
fn config_shows_each_setting_and_where_it_came_from() {
    let (dir, work) = project(TOML);
    let file = dir.path().join("cncomply.toml").display().to_string();
    let (code, out, err) = run_in(
        &work,
        &["config", "--min-level", "error"],
        &[
            ("CNCOMPLY_FORMAT", "sarif"),
            ("CNCOMPLY_FAIL_ON", "needs-info"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!("configuration file: {file}\n")),
        "{out}"
    );
    // flag > environment > file > default
    assert_eq!(
        setting(&out, "min-level"),
        ("error".into(), "command line".into())
    );
    assert_eq!(
        setting(&out, "format"),
        ("sarif".into(), "environment CNCOMPLY_FORMAT".into())
    );
    assert_eq!(
        setting(&out, "fail-on"),
        ("needs-info".into(), "environment CNCOMPLY_FAIL_ON".into())
    );
    assert_eq!(
        setting(&out, "horizon"),
        ("84d".into(), format!("{file}:5"))
    );
    // Paths in the file are relative to the file.
    assert_eq!(
        setting(&out, "waivers"),
        (
            dir.path()
                .join("compliance/waivers.yaml")
                .display()
                .to_string(),
            format!("{file}:6")
        )
    );
    assert_eq!(setting(&out, "rules"), ("bundled".into(), "default".into()));
    assert_eq!(
        setting(&out, "exit-zero"),
        ("false".into(), "default".into())
    );
}

#[test]
fn check_uses_the_file_and_flags_and_environment_win_over_it() {
    let (_dir, work) = project("[check]\nformat = \"json\"\nexit-zero = true\n");
    let motor = example("small-power-motor.yaml");
    // From the file: JSON, and exit 0 although obligations are unmet.
    let (code, out, err) = run_in(&work, &["check", &motor, "--as-of", "2026-11-23"], &[]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema_version"], 2);
    // The environment wins over the file.
    let (_, out, _) = run_in(
        &work,
        &["check", &motor, "--as-of", "2026-11-23"],
        &[("CNCOMPLY_FORMAT", "github")],
    );
    assert!(out.starts_with("::"), "{out}");
    // A flag wins over both.
    let (_, out, _) = run_in(
        &work,
        &[
            "check",
            &motor,
            "--as-of",
            "2026-11-23",
            "--format",
            "jsonl",
        ],
        &[("CNCOMPLY_FORMAT", "github")],
    );
    assert!(out.starts_with("{\"type\":\"run\""), "{out}");
    // A false value in the environment beats the file's true.
    let (code, _, _) = run_in(
        &work,
        &["check", &motor, "--as-of", "2026-11-23"],
        &[("CNCOMPLY_EXIT_ZERO", "false")],
    );
    assert_eq!(code, 1);
}

#[test]
fn no_file_above_the_repository_root_applies() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cncomply.toml"),
        "[check]\nformat = \"json\"\n",
    )
    .unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let (code, out, _) = run_in(&repo, &["config"], &[]);
    assert_eq!(code, 0);
    assert!(out.starts_with("configuration file: none"), "{out}");
    assert_eq!(setting(&out, "format"), ("table".into(), "default".into()));
}

#[test]
fn a_bad_config_file_is_exit_2_naming_its_line() {
    let (dir, work) = project("[check]\nformat = \"json\"\nfail-onn = [\"upcoming\"]\n");
    let file = dir.path().join("cncomply.toml").display().to_string();
    let (code, out, err) = run_in(&work, &["check", &example("ev-charger.yaml")], &[]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains(&format!("{file}:3:1")), "{err}");
    assert!(err.contains("fail-onn"), "{err}");
    let (dir, work) = project("[check]\nformat = \"xml\"\n");
    let file = dir.path().join("cncomply.toml").display().to_string();
    let (code, _, err) = run_in(&work, &["config"], &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{file}:2:1")) && err.contains("`xml` is not a format"),
        "{err}"
    );
}

//! README's "Using it" block runs as written: every command of it, in
//! order, in a directory laid out as a clone of the repository (its
//! `examples/` and `rules/`), with `cncomply` on the PATH. Each must exit 0
//! (done) or 1 (findings), never 2 (a file that does not exist, a flag that
//! is not there).

use std::path::Path;
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The shell commands of the first ```sh block under "## Using it".
fn using_it_commands(readme: &str) -> Vec<String> {
    let section = &readme[readme.find("\n## Using it\n").expect("a Using it section")..];
    let block = &section[section.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```").unwrap()];
    block
        .lines()
        .map(|l| match l.find("  #") {
            Some(i) => l[..i].trim(),
            None => l.trim(),
        })
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn every_command_of_the_using_it_block_runs_from_a_clone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let commands = using_it_commands(&readme);
    assert!(commands.len() >= 15, "{commands:?}");
    assert!(
        commands.iter().all(|c| c.starts_with("cncomply ")),
        "{commands:?}"
    );
    let clone = tempfile::tempdir().unwrap();
    copy_dir(&root.join("examples"), &clone.path().join("examples"));
    copy_dir(&root.join("rules"), &clone.path().join("rules"));
    let bin = assert_cmd::cargo::cargo_bin("cncomply");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in &commands {
        let out = Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(clone.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_STEP_SUMMARY")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "`{command}` exited {code:?}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // What the block says it writes is there.
    for file in [
        "findings.json",
        "out.sarif",
        "comment.md",
        "previous.json",
        "motor.yaml",
        "cn.ics",
        "report.html",
    ] {
        let p = clone.path().join(file);
        assert!(
            p.metadata().is_ok_and(|m| m.len() > 0),
            "{file} was not written"
        );
    }
}

/// action.yml is a composite action that installs with `cargo install
/// --locked`, caches the binary, and uploads with a current upload-sarif;
/// README's recipe uses it, and README installs with `--locked` everywhere.
#[test]
fn the_action_and_readme_install_locked_and_upload_with_a_current_upload_sarif() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let action: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(root.join("action.yml")).unwrap()).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.contains(&"actions/cache@v4"), "{uses:?}");
    assert!(
        uses.contains(&"github/codeql-action/upload-sarif@v4"),
        "{uses:?}"
    );
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter()
            .any(|r| r.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\"")),
        "{runs:?}"
    );
    assert!(
        runs.iter().any(|r| r.contains("--format github")),
        "{runs:?}"
    );
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for line in readme.lines().filter(|l| l.contains("cargo install")) {
        assert!(line.contains("cargo install --locked"), "{line}");
    }
    assert!(readme.contains("uses: cncomply/cncomply@v0.1.0"));
    assert!(!readme.contains("upload-sarif@v3"));
    for line in readme.lines().filter(|l| l.contains("upload-sarif@")) {
        assert!(line.contains("upload-sarif@v4"), "{line}");
    }
}

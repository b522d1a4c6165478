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

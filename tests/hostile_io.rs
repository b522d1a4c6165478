//! Hostile repositories, round 2: what a pull request controls besides the
//! text of a profile — file names, symbolic links, FIFOs and devices, the
//! waivers file, rule files — and how output reaches a CI log. One test per
//! defect of issue 13, each named after it.
//!
//! Like `tests/hostile.rs`, the binary runs under `ulimit -v` (1 GiB of
//! address space); the timeout only turns a hang into a failure and
//! measures nothing.

mod common;
use common::*;

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

const MEMORY_KIB: u64 = 1024 * 1024;
const HANG: Duration = Duration::from_secs(60);

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `cncomply ARGS` under the memory limit, in `cwd`, with `sh` glue
/// `redirect` after the command (e.g. `> /dev/full`).
fn run_in(cwd: &Path, args: &[OsString], redirect: &str) -> Outcome {
    let bin = assert_cmd::cargo::cargo_bin("cncomply");
    let out = assert_cmd::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB}; \"$0\" \"$@\" {redirect}"))
        .arg(bin)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .env("CNCOMPLY_TEST_SECRET", "hunter2-secret-token")
        .timeout(HANG)
        .output()
        .unwrap();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(args: &[OsString]) -> Outcome {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, "")
}

fn os(items: &[&dyn AsRef<OsStr>]) -> Vec<OsString> {
    items.iter().map(|s| s.as_ref().to_os_string()).collect()
}

#[track_caller]
fn exit_2_naming(o: &Outcome, words: &[&str]) {
    assert_eq!(o.code, 2, "stdout: {}\nstderr: {}", o.stdout, o.stderr);
    for w in words {
        assert!(o.stderr.contains(w), "stderr lacks `{w}`: {}", o.stderr);
    }
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
}

/// No line a GitHub runner would read as a workflow command.
#[track_caller]
fn no_workflow_command(stream: &str) {
    for line in stream.lines() {
        assert!(
            !line.trim_start().starts_with("::") && !line.contains("##["),
            "workflow command: {line:?}"
        );
    }
}

/// No control character but line feeds (and tabs).
#[track_caller]
fn no_control_characters(stream: &str) {
    let bad: Vec<char> = stream
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect();
    assert!(bad.is_empty(), "control characters {bad:?} in {stream}");
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

fn mkfifo(p: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .unwrap();
    assert!(status.success());
}

fn motor() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/small-power-motor.yaml"),
    )
    .unwrap()
}

/// The example motor, renamed.
fn motor_named(name: &str) -> String {
    motor().replace(
        "name: M-230 fan motor",
        &format!("name: {}", serde_json::to_string(name).unwrap()),
    )
}

const AS_OF: &str = "2026-07-01";

// ---------------------------------------------------------------- defect 1

#[test]
fn d01_check_ends_quietly_on_a_closed_pipe_and_fails_on_a_full_disk() {
    let d = tempdir();
    let json = d.path().join("r.json");
    let o_arg = format!("json:{}", json.display());
    // --all --format json is far more than a pipe holds, so the writes meet
    // the closed pipe. The run's own code (1: CCC applies) survives.
    let args = os(&[
        &"check",
        &"examples/small-power-motor.yaml",
        &"--as-of",
        &AS_OF,
        &"--all",
        &"--format",
        &"json",
        &"-o",
        &o_arg,
    ]);
    // The reader reads 10 bytes and goes; the exit code is kept in a file.
    let bin = assert_cmd::cargo::cargo_bin("cncomply");
    let script = format!(
        "ulimit -v {MEMORY_KIB}; {{ \"$0\" \"$@\"; echo $? > {}/code; }} | head -c 10 > /dev/null",
        d.path().display()
    );
    let out = assert_cmd::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(bin)
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .timeout(HANG)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = std::fs::read_to_string(d.path().join("code")).unwrap();
    assert_eq!(code.trim(), "1", "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "a closed pipe is quiet: {stderr}");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["totals"]["products"], 1);

    std::fs::remove_file(&json).unwrap();
    let o = run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &args, "> /dev/full");
    exit_2_naming(&o, &["cannot write to standard output"]);
    assert!(json.exists(), "the -o report is still written");
}

// ---------------------------------------------------------------- defect 2

#[test]
fn d02_a_glob_reports_a_symbolic_link_loop_instead_of_following_it() {
    let d = tempdir();
    let c = d.path().join("c");
    write(&c, "washing-machine.yaml", motor());
    std::os::unix::fs::symlink(".", c.join("a")).unwrap();
    std::os::unix::fs::symlink(".", c.join("b")).unwrap();
    let o = run_in(
        d.path(),
        &os(&[
            &"check",
            &"c/**/*.yaml",
            &"--as-of",
            &AS_OF,
            &"--format",
            &"json",
        ]),
        "",
    );
    exit_2_naming(&o, &["c/a", "c/b", "symbolic link loop"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["totals"]["products"], 1, "the profile is checked once");
}

// ---------------------------------------------------------------- defect 3

#[test]
fn d03_a_fifo_named_like_a_profile_is_an_error_for_every_command() {
    let d = tempdir();
    let c = d.path().join("c");
    write(&c, "motor.yaml", motor());
    mkfifo(&c.join("p.yaml"));
    for cmd in [
        &["check", "--as-of", AS_OF][..],
        &["report", "-o", "-"],
        &["calendar"],
        &["diff", "--from", "2026-01-01", "--to", "2027-01-01"],
    ] {
        let mut args = os(&[&cmd[0], &c]);
        args.extend(cmd[1..].iter().map(OsString::from));
        let o = run(&args);
        exit_2_naming(&o, &["p.yaml", "FIFO"]);
    }
    // Named directly, it is refused too, not opened for ever.
    let o = run(&os(&[&"check", &c.join("p.yaml")]));
    exit_2_naming(&o, &["p.yaml", "FIFO"]);
}

// ---------------------------------------------------------------- defect 4

#[test]
fn d04_inputs_are_read_through_a_cap_whatever_their_metadata_says() {
    // /proc/kallsyms reports a length of 0 and reads for megabytes;
    // /dev/zero never ends.
    let kallsyms = Path::new("/proc/kallsyms");
    let proc_file_is_large = std::fs::metadata(kallsyms).is_ok_and(|m| m.len() == 0)
        && std::fs::read(kallsyms).is_ok_and(|b| b.len() > 4 * 1024 * 1024);
    if proc_file_is_large {
        let o = run(&os(&[
            &"check",
            &"examples/small-power-motor.yaml",
            &"--waivers",
            &kallsyms,
        ]));
        exit_2_naming(&o, &["kallsyms", "more than 4194304 bytes"]);
    }
    let o = run(&os(&[
        &"check",
        &"examples/small-power-motor.yaml",
        &"--waivers",
        &"/dev/zero",
    ]));
    exit_2_naming(&o, &["/dev/zero", "character device"]);
    let o = run(&os(&[
        &"check",
        &"examples/small-power-motor.yaml",
        &"--rules",
        &"/dev/zero",
    ]));
    exit_2_naming(&o, &["/dev/zero", "character device"]);
    let d = tempdir();
    let out = d.path().join("p.yaml");
    if proc_file_is_large {
        let o = run(&os(&[
            &"init",
            &"--category",
            &"motor",
            &"--answers",
            &kallsyms,
            &"-o",
            &out,
        ]));
        exit_2_naming(&o, &["kallsyms", "more than 4194304 bytes"]);
    }
    let fifo = d.path().join("answers.yaml");
    mkfifo(&fifo);
    let o = run(&os(&[
        &"init",
        &"--category",
        &"motor",
        &"--answers",
        &fifo,
        &"-o",
        &out,
    ]));
    exit_2_naming(&o, &["answers.yaml", "FIFO"]);
}

// ---------------------------------------------------------------- defect 5

#[test]
fn d05_a_rule_file_that_cannot_be_read_is_an_error_not_skipped() {
    let d = tempdir();
    let rules = d.path().join("rules");
    write(
        &rules,
        "fixture.rules",
        std::fs::read(fixture("rules/fixture.rules")).unwrap(),
    );
    std::os::unix::fs::symlink("missing.rules", rules.join("company.rules")).unwrap();
    let profile = write(d.path(), "m.yaml", "category: motor\n");
    let o = run(&os(&[&"check", &profile, &"--rules", &rules]));
    exit_2_naming(&o, &["company.rules"]);
    assert!(o.stdout.is_empty(), "{}", o.stdout);

    std::fs::remove_file(rules.join("company.rules")).unwrap();
    mkfifo(&rules.join("company.rules"));
    let o = run(&os(&[&"check", &profile, &"--rules", &rules]));
    exit_2_naming(&o, &["company.rules", "FIFO"]);
    let o = run(&os(&[&"lint", &rules]));
    exit_2_naming(&o, &["company.rules", "FIFO"]);
}

// ---------------------------------------------------------------- defect 6

#[test]
fn d06_one_catalogue_limit_and_one_behaviour_for_every_command() {
    let d = tempdir();
    let cat = d.path().join("catalogue");
    for i in 0..=cncomply::catalogue::MAX_PROFILES {
        let sub = cat.join(format!("{:03}", i % 100));
        if i < 100 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        std::fs::write(sub.join(format!("p{i}.yaml")), "category: motor\n").unwrap();
    }
    for cmd in [
        &["check", "--as-of", AS_OF][..],
        &["report", "-o", "-"],
        &["calendar"],
        &["diff", "--from", "2026-01-01", "--to", "2027-01-01"],
        &["test"],
    ] {
        let mut args = os(&[&cmd[0], &cat]);
        args.extend(cmd[1..].iter().map(OsString::from));
        let o = run(&args);
        exit_2_naming(&o, &["catalogue", "more than 50000 profiles"]);
        assert!(o.stdout.is_empty(), "{cmd:?}: {}", &o.stdout[..200]);
    }
}

// ---------------------------------------------------------------- defect 7

#[test]
fn d07_links_out_of_the_catalogue_are_refused_and_nothing_is_quoted() {
    let d = tempdir();
    let cat = d.path().join("catalogue");
    write(&cat, "motor.yaml", motor());
    std::os::unix::fs::symlink("/proc/self/environ", cat.join("env.yaml")).unwrap();
    let o = run(&os(&[&"check", &cat, &"--as-of", &AS_OF]));
    exit_2_naming(&o, &["env.yaml", "leads outside"]);
    assert!(!o.stderr.contains("hunter2"), "{}", o.stderr);
    assert!(!o.stdout.contains("hunter2"), "{}", o.stdout);
    // Named directly (outside the working directory) or by a glob.
    let o = run(&os(&[&"check", &cat.join("env.yaml")]));
    exit_2_naming(&o, &["env.yaml", "leads outside"]);
    assert!(!o.stderr.contains("hunter2"), "{}", o.stderr);

    // Rule files, the same.
    let rules = d.path().join("rules");
    write(
        &rules,
        "fixture.rules",
        std::fs::read(fixture("rules/fixture.rules")).unwrap(),
    );
    std::os::unix::fs::symlink("/proc/self/environ", rules.join("env.rules")).unwrap();
    let o = run(&os(&[
        &"check",
        &cat.join("motor.yaml"),
        &"--rules",
        &rules,
    ]));
    exit_2_naming(&o, &["env.rules", "leads outside"]);
    assert!(!o.stderr.contains("hunter2"), "{}", o.stderr);

    // Content that is not text (a NUL byte) is named by line, never shown.
    let p = write(
        d.path(),
        "nul.yaml",
        b"category: motor\nname: hunter2-secret-token\nmade_in: DE\nx: a\0b\n",
    );
    let o = run(&os(&[&"check", &p]));
    exit_2_naming(&o, &["nul.yaml:4", "NUL byte"]);
    assert!(!o.stderr.contains("hunter2"), "{}", o.stderr);
}

// ---------------------------------------------------------------- defect 8

#[test]
fn d08_names_and_approvers_cannot_forge_workflow_commands() {
    let d = tempdir();
    let p = write(
        d.path(),
        "m.yaml",
        motor_named("::error file=README.md,line=1::forged"),
    );
    let w = write(
        d.path(),
        "w.yaml",
        "waivers:\n  - rule: ccc.small-power-motor\n    product: \"x\\n::error::glob\"\n    justification: j\n    approver: \"x\\n::stop-commands::pause\"\n    expires: 2020-01-01\n",
    );
    for format in ["table", "markdown", "json", "junit", "sarif"] {
        let o = run(&os(&[
            &"check",
            &p,
            &"--as-of",
            &AS_OF,
            &"--waivers",
            &w,
            &"--format",
            &format,
        ]));
        assert_eq!(o.code, 1, "{format}: {}", o.stderr);
        assert!(o.stderr.contains("expired"), "{}", o.stderr);
        no_workflow_command(&o.stdout);
        no_workflow_command(&o.stderr);
    }
    // A file name with a line break is refused, and shown without one.
    let bad = write(d.path(), "a\n::error::x.yaml", motor());
    let o = run(&os(&[&"check", &bad]));
    exit_2_naming(&o, &["control characters"]);
    no_workflow_command(&o.stderr);
    // A miette header shows a file name: also safe.
    let o = run(&os(&[&"check", &d.path()]));
    no_workflow_command(&o.stderr);
}

// ---------------------------------------------------------------- defect 9

#[test]
fn d09_escape_sequences_never_reach_the_terminal() {
    let d = tempdir();
    write(d.path(), "c/a.yaml", motor_named("x\u{1b}[8m"));
    write(d.path(), "c/b.yaml", motor_named("y\u{1b}]0;owned\u{7}"));
    for color in ["never", "always"] {
        let o = run(&os(&[
            &"check",
            &d.path().join("c"),
            &"--as-of",
            &AS_OF,
            &"--color",
            &color,
        ]));
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(!o.stdout.contains("\u{1b}[8m"), "{}", o.stdout);
        assert!(!o.stdout.contains("\u{1b}]"), "{}", o.stdout);
        assert!(o.stdout.contains("x␛[8m"), "{}", o.stdout);
        assert!(o.stdout.contains("FAIL"), "{}", o.stdout);
        assert!(o.stdout.contains("2 products checked"), "{}", o.stdout);
    }
    let o = run(&os(&[
        &"check",
        &d.path().join("c"),
        &"--format",
        &"markdown",
    ]));
    no_control_characters(&o.stdout);
    let html = run(&os(&[&"report", &d.path().join("c"), &"-o", &"-"]));
    no_control_characters(&html.stdout);
    // A file name with an escape sequence: refused, shown without it.
    let bad = write(d.path(), "t\u{1b}]0;x\u{7}.yaml", motor());
    let o = run(&os(&[&"check", &bad]));
    exit_2_naming(&o, &["control characters"]);
    no_control_characters(&o.stderr);
    // A profile whose text holds one: the diagnostic snippet is cleaned.
    let p = write(
        d.path(),
        "snip.yaml",
        "category: motor\nbogus: \"\u{1b}[2J\"\n",
    );
    let o = run(&os(&[&"check", &p]));
    assert_eq!(o.code, 2);
    no_control_characters(&o.stderr);
}

// ---------------------------------------------------------------- defect 10

#[test]
fn d10_ics_text_carries_no_control_characters() {
    let d = tempdir();
    let p = write(
        d.path(),
        "m.yaml",
        motor_named("a\rEND:VEVENT\rBEGIN:VEVENT\u{7}\u{1b}x"),
    );
    let o = run(&os(&[&"calendar", &p, &"--format", &"ics"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.ends_with("\r\n"));
    for line in o.stdout.split_terminator("\r\n") {
        no_control_characters(line);
        assert!(!line.contains('\n'), "{line:?}");
        assert!(line.len() <= 75, "{line:?}");
    }
    assert!(o.stdout.contains("a␍END:VEVENT␍BEGIN:VEVENT␇␛x"));
}

// ---------------------------------------------------------------- defect 11

#[test]
fn d11_a_report_never_replaces_an_input_or_another_report() {
    let d = tempdir();
    let m = write(d.path(), "m.yaml", motor());
    let r = d.path().join("r.json");
    let o = run(&os(&[
        &"check",
        &m,
        &"-o",
        &format!("json:{}", r.display()),
        &"-o",
        &format!("sarif:{}", r.display()),
    ]));
    exit_2_naming(&o, &["r.json", "-o twice"]);
    assert!(o.stdout.is_empty());
    assert!(!r.exists());
    let o = run(&os(&[
        &"check",
        &m,
        &"-o",
        &format!("json:{}", m.display()),
    ]));
    exit_2_naming(&o, &["m.yaml", "overwrite an input"]);
    assert_eq!(std::fs::read_to_string(&m).unwrap(), motor());
    // The same file by another name.
    let o = run_in(
        d.path(),
        &os(&[&"check", &"m.yaml", &"-o", &"json:./m.yaml"]),
        "",
    );
    exit_2_naming(&o, &["overwrite an input"]);
}

// ---------------------------------------------------------------- defect 12

#[test]
fn d12_tables_shorten_huge_unbroken_words() {
    let d = tempdir();
    let number = "X".repeat(400_000);
    let p = write(
        d.path(),
        "cert.yaml",
        format!(
            "{}evidence:\n  certificates:\n    - scheme: ccc\n      number: {number}\n      valid_until: 2020-01-01\n",
            motor()
        ),
    );
    let o = run(&os(&[&"check", &p, &"--as-of", &AS_OF]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stdout.contains("characters)"),
        "shortened: {}",
        &o.stdout[..2000]
    );
    assert!(o.stdout.len() < 200_000, "{} bytes", o.stdout.len());
    // JSON keeps the number in full.
    let o = run(&os(&[
        &"check",
        &p,
        &"--as-of",
        &AS_OF,
        &"--format",
        &"json",
    ]));
    assert!(o.stdout.contains(&number));
    // A 100 KB name in a catalogue summary.
    write(d.path(), "c/a.yaml", motor_named(&"N".repeat(100_000)));
    write(d.path(), "c/b.yaml", motor());
    let o = run(&os(&[&"check", &d.path().join("c"), &"--as-of", &AS_OF]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.contains("characters)"));
}

// ---------------------------------------------------------------- defect 13

#[test]
fn d13_ics_of_a_4_mb_name_is_folded_in_one_pass() {
    // Quadratic folding took over 120 s here; the hang guard is 60 s.
    let d = tempdir();
    let name = "N".repeat(4_000_000);
    let p = write(d.path(), "m.yaml", motor_named(&name));
    let o = run(&os(&[&"calendar", &p, &"--format", &"ics"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.split_terminator("\r\n").all(|l| l.len() <= 75));
    assert!(o.stdout.replace("\r\n ", "").contains(&name));
}

// ---------------------------------------------------------------- defect 14

#[test]
fn d14_sarif_does_not_repeat_a_huge_name_in_every_result() {
    let d = tempdir();
    let p = write(d.path(), "m.yaml", motor_named(&"N".repeat(4_000_000)));
    let o = run(&os(&[
        &"check",
        &p,
        &"--as-of",
        &AS_OF,
        &"--format",
        &"sarif",
        &"--all",
    ]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > 100);
    assert!(
        o.stdout.len() < 5_000_000,
        "{} bytes of SARIF",
        o.stdout.len()
    );
    assert!(results[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("characters)"));
}

// ---------------------------------------------------------------- defect 15

#[test]
fn d15_a_deep_category_chain_is_an_error_for_every_command() {
    // 20,000 deep: each command took 14 s on a release build before (100,000
    // deep ran past 120 s); now the depth limit is an error at line 34.
    let d = tempdir();
    let rules = d.path().join("rules");
    write(
        &rules,
        "fixture.rules",
        std::fs::read(fixture("rules/fixture.rules")).unwrap(),
    );
    let mut chain = String::from("category c0: \"C0\"\n");
    for i in 1..20_000 {
        chain.push_str(&format!("category c{i} under c{}: \"C{i}\"\n", i - 1));
    }
    write(&rules, "chain.rules", chain);
    let m = write(d.path(), "m.yaml", "category: motor\n");
    for cmd in [
        os(&[&"check", &m, &"--rules", &rules]),
        os(&[&"categories", &"--rules", &rules]),
        os(&[&"schema", &"--rules", &rules]),
        os(&[&"lint", &rules]),
    ] {
        let o = run(&cmd);
        exit_2_naming(&o, &["chain.rules:34", "more than 32 levels deep"]);
        assert!(
            o.stdout.is_empty(),
            "{}",
            &o.stdout[..200.min(o.stdout.len())]
        );
    }
}

// ---------------------------------------------------------------- defect 16

#[test]
fn d16_many_waivers_over_many_products_are_matched_by_rule() {
    // 1,000 products and 25,000 waivers spread over the bundled rules;
    // compared finding by waiver this took minutes (the hang guard is 60 s).
    let d = tempdir();
    let cat = d.path().join("catalogue");
    let text = motor();
    for i in 0..1_000 {
        write(&cat, &format!("{:02}/m{i}.yaml", i % 50), &text);
    }
    let ids: Vec<String> = {
        let o = run(&os(&[&"rules", &"list", &"--format", &"json"]));
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        v.as_array()
            .or_else(|| v["rules"].as_array())
            .unwrap()
            .iter()
            .map(|r| {
                r["id"]
                    .as_str()
                    .or(r["rule_id"].as_str())
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let mut w = String::from("waivers:\n");
    for i in 0..25_000 {
        w.push_str(&format!(
            "  - rule: {}\n    product: \"other-{i}*\"\n    justification: j\n    approver: a\n    expires: 2099-01-01\n",
            ids[i % ids.len()]
        ));
    }
    // And one that matches every motor.
    w.push_str("  - rule: ccc.small-power-motor\n    product: \"M-230*\"\n    justification: booked\n    approver: a\n    expires: 2099-01-01\n");
    let wf = write(d.path(), "w.yaml", w);
    let o = run(&os(&[
        &"check",
        &cat,
        &"--as-of",
        &AS_OF,
        &"--waivers",
        &wf,
    ]));
    assert!(o.code == 0 || o.code == 1, "{}", o.stderr);
    let tally = o.stdout.lines().last().unwrap_or_default();
    assert!(tally.starts_with("1000 products checked"), "{tally}");
    assert!(tally.contains(", 1000 waived"), "{tally}");
}

// ---------------------------------------------------------------- defect 17

#[test]
fn d17_file_names_that_are_not_utf8_are_refused_and_never_confused() {
    let d = tempdir();
    let a = d.path().join(OsStr::from_bytes(b"a\xfe.yaml"));
    let b = d.path().join(OsStr::from_bytes(b"a\xff.yaml"));
    std::fs::write(&a, motor()).unwrap();
    std::fs::write(&b, motor()).unwrap();
    let o = run(&os(&[&"check", &d.path(), &"--format", &"sarif"]));
    exit_2_naming(&o, &["a\\xfe.yaml", "a\\xff.yaml", "not UTF-8"]);
    // Rule files, as diff --against reads them.
    let (old, new) = (d.path().join("old"), d.path().join("new"));
    for dir in [&old, &new] {
        std::fs::create_dir_all(dir).unwrap();
        for n in [&b"x\xfe.rules"[..], b"x\xff.rules"] {
            std::fs::write(
                dir.join(OsStr::from_bytes(n)),
                std::fs::read(fixture("rules/fixture.rules")).unwrap(),
            )
            .unwrap();
        }
    }
    let m = write(d.path(), "m/m.yaml", "category: motor\n");
    let o = run(&os(&[&"diff", &m, &"--rules", &new, &"--against", &old]));
    exit_2_naming(&o, &["x\\xfe.rules", "not UTF-8"]);
}

// ---------------------------------------------------------------- defect 18

#[test]
fn d18_waivers_file_errors_name_the_right_line() {
    let d = tempdir();
    let m = write(d.path(), "m.yaml", motor());
    let w = write(
        d.path(),
        "w.yaml",
        "waivers:\r  - rule: ccc.small-power-motor\r    product: x\r    justification: j\r    approver: a\r    expires: 2026-02-30\r",
    );
    let o = run(&os(&[&"check", &m, &"--waivers", &w]));
    exit_2_naming(&o, &["w.yaml:6", "not a calendar date"]);
    assert!(o.stderr.contains("w.yaml:6:"), "{}", o.stderr);
    assert!(o.stderr.contains(" 6 │     expires"), "{}", o.stderr);
    let w = write(
        d.path(),
        "nul.yaml",
        b"waivers:\n  - rule: ccc.small-power-motor\n    product: x\n    justification: j\0\n",
    );
    let o = run(&os(&[&"check", &m, &"--waivers", &w]));
    exit_2_naming(&o, &["nul.yaml:4", "NUL byte"]);
}

// ---------------------------------------------------------------- defect 19

#[test]
fn d19_waivers_match_a_path_however_it_was_typed() {
    let d = tempdir();
    write(d.path(), "catalogue/motor.yaml", motor());
    write(
        d.path(),
        "w.yaml",
        "waivers:\n  - rule: ccc.small-power-motor\n    product: catalogue/motor.yaml\n    justification: booked\n    approver: a\n    expires: 2099-01-01\n",
    );
    let real = std::fs::canonicalize(d.path()).unwrap();
    let absolute = real.join("catalogue");
    for given in [
        OsString::from("catalogue"),
        OsString::from("./catalogue"),
        OsString::from("catalogue//motor.yaml"),
        OsString::from("./catalogue/./motor.yaml"),
        absolute.into_os_string(),
    ] {
        let o = run_in(
            &real,
            &os(&[
                &"check",
                &given,
                &"--as-of",
                &AS_OF,
                &"--waivers",
                &"w.yaml",
                &"--format",
                &"json",
            ]),
            "",
        );
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(
            v["totals"]["by_status"]["waived"], 1,
            "{given:?}: {}",
            o.stderr
        );
    }
}

// ---------------------------------------------------------------- defect 20

#[test]
fn d20_cncomply_test_reports_loops_and_reads_deep_test_files() {
    let d = tempdir();
    let case = "tests:\n  - name: a motor\n    as_of: 2026-07-01\n    profile: { category: motor, attributes: { rated_voltage_ac_v: 230 } }\n    expect: { ccc.small-power-motor: applies }\n";
    let deep: PathBuf = (0..40).map(|i| format!("d{i}")).collect();
    let tests = d.path().join("tests");
    write(&tests, &deep.join("case.yaml").to_string_lossy(), case);
    let o = run(&os(&[&"test", &tests]));
    assert_eq!(o.code, 0, "{}\n{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("1 passed, 0 failed"), "{}", o.stdout);

    std::os::unix::fs::symlink(&tests, tests.join("loop")).unwrap();
    let o = run(&os(&[&"test", &tests]));
    exit_2_naming(&o, &["loop", "symbolic link loop"]);
}

// ------------------------------------------- found in round 3: long typos

/// A name that names nothing is compared with every name it might have
/// meant, at a cost that was the product of the two lengths: a 3.9 MB
/// category took minutes before its "did you mean". It is now passed over
/// (no name is that long) and quoted cut short.
#[test]
fn a_megabyte_typo_is_answered_at_once_and_quoted_short() {
    let d = tempdir();
    let typo = "x".repeat(3_900_000);
    let p = write(d.path(), "m.yaml", format!("name: M\ncategory: {typo}\n"));
    let o = run(&os(&[&"check", &p, &"--as-of", &AS_OF]));
    exit_2_naming(&o, &["m.yaml", "unknown category", "characters)"]);
    assert!(o.stderr.len() < 20_000, "{} bytes", o.stderr.len());

    let w = write(
        d.path(),
        "waivers.yaml",
        format!("waivers:\n  - rule: {typo}\n    product: \"*\"\n    justification: j\n    approver: a\n    expires: 2027-01-01\n"),
    );
    let motor = write(d.path(), "motor.yaml", motor());
    let o = run(&os(&[
        &"check",
        &motor,
        &"--waivers",
        &w,
        &"--as-of",
        &AS_OF,
    ]));
    exit_2_naming(&o, &["waivers.yaml:2", "unknown rule", "characters)"]);
    assert!(o.stderr.len() < 20_000, "{} bytes", o.stderr.len());
    assert!(o.stdout.is_empty(), "{}", o.stdout);
}

/// The same for an evidence scheme in a profile, and for a section heading
/// in a rule file, which `lint` compared with every line of the newsletter
/// (a 200 KB heading took 7 s, a 2 MB one minutes).
#[test]
fn a_megabyte_scheme_or_section_heading_is_answered_at_once() {
    let d = tempdir();
    let typo = "x".repeat(3_900_000);
    let p = write(
        d.path(),
        "m.yaml",
        format!(
            "{}evidence:\n  certificates:\n    - scheme: {typo}\n      number: N1\n      valid_until: 2030-01-01\n",
            motor()
        ),
    );
    let o = run(&os(&[&"check", &p, &"--as-of", &AS_OF]));
    exit_2_naming(&o, &["m.yaml", "unknown certificate scheme", "characters)"]);
    assert!(o.stderr.len() < 20_000, "{} bytes", o.stderr.len());

    let heading = "K".repeat(2_000_000);
    let rules = write(
        d.path(),
        "rules/x.rules",
        format!(
            "topic t: \"T\"\ncategory product: \"Any product\"\n\nrule t.long-heading\n  title \"A rule citing a long heading\"\n  topic t\n  instrument \"I\"\n  authority \"A\"\n  status in-force\n  binds product\n  source \"004_eef492217665b9e9.txt\", section \"{heading}\"\n  published 2021-06-28\n  applies when category is product\n  obligation inform \"Read it\"\n  explain \"E\"\nend\n"
        ),
    );
    let o = run(&os(&[&"lint", &rules.parent().unwrap()]));
    assert_ne!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("the heading \"KKKK") && o.stderr.contains("characters)"),
        "{}",
        &o.stderr[..o.stderr.len().min(3000)]
    );
}

/// The HTML report named the product at every event of its timeline (in
/// the chart's tooltips and the list under it): a 4 MB name made a 190 MB
/// page and most of the 1 GiB the run may use. Events now name it cut to
/// 200 characters; its heading and the summary keep it whole.
#[test]
fn the_html_report_does_not_repeat_a_huge_name_at_every_event() {
    let d = tempdir();
    let name = "N".repeat(4_000_000);
    let p = write(d.path(), "m.yaml", motor_named(&name));
    let page = d.path().join("r.html");
    let o = run(&os(&[&"report", &p, &"-o", &page, &"--as-of", &AS_OF]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.len() < 20_000_000, "{} bytes", html.len());
    assert!(html.contains(&format!("<h2>{name}</h2>")));
    assert!(html.contains("… (+3999800 characters)"));
}

/// Defect 4 again, for the two inputs issue 14 added: a baseline linked to
/// `/dev/zero` grew to 5 GiB in ten seconds, a FIFO named as the baseline
/// waited for a writer for ever, and a `cncomply.toml` that is not a
/// regular file was passed over without a word.
#[test]
fn a_baseline_or_configuration_file_that_is_not_a_regular_file_is_an_error() {
    let d = tempdir();
    let o = run(&os(&[
        &"check",
        &"examples/small-power-motor.yaml",
        &"--baseline",
        &"/dev/zero",
    ]));
    exit_2_naming(&o, &["/dev/zero", "character device"]);
    assert!(o.stdout.is_empty(), "{}", o.stdout);

    let fifo = d.path().join("previous.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let o = run(&os(&[
        &"check",
        &"examples/small-power-motor.yaml",
        &"--baseline",
        &fifo,
    ]));
    exit_2_naming(&o, &["previous.json", "FIFO"]);

    // A repository of its own, so the search for the file stops there.
    let repo = d.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let motor = write(&repo, "m.yaml", motor());
    std::process::Command::new("mkfifo")
        .arg(repo.join("cncomply.toml"))
        .status()
        .unwrap();
    let o = run_in(&repo, &os(&[&"check", &motor, &"--as-of", &AS_OF]), "");
    exit_2_naming(&o, &["cncomply.toml", "FIFO"]);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
}

/// `lint` reads the rule tests to warn about untested rules; it read them
/// with no cap and whatever they were: a FIFO named `*.yaml` hung it and a
/// link to `/dev/zero` grew it to 6 GiB in ten seconds.
#[test]
fn lint_reads_rule_tests_as_regular_files_through_the_cap() {
    let d = tempdir();
    let tests = d.path().join("tests");
    std::fs::create_dir_all(&tests).unwrap();
    std::os::unix::fs::symlink("/dev/zero", tests.join("zero.yaml")).unwrap();
    let o = run(&os(&[&"lint", &"rules", &"--tests", &tests]));
    exit_2_naming(&o, &["zero.yaml", "the rule test is a character device"]);
    std::fs::remove_file(tests.join("zero.yaml")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(tests.join("pipe.yaml"))
        .status();
    if made.is_ok_and(|s| s.success()) {
        let o = run(&os(&[&"lint", &"rules", &"--tests", &tests]));
        exit_2_naming(&o, &["pipe.yaml", "FIFO"]);
    }
}

/// A repository can hold a link where the gate writes its report
/// (`cncomply.sarif -> ~/.bashrc`): the report replaced the file the link
/// pointed at, with exit 0. A link is refused before any work, for `check
/// -o` and for `report -o`; `/dev/stdout` still works.
#[test]
fn a_report_is_never_written_through_a_symbolic_link() {
    let d = tempdir();
    let victim = write(d.path(), "victim.txt", "original\n");
    let link = d.path().join("cncomply.sarif");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let o = run(&os(&[
        &"check",
        &"examples/small-power-motor.yaml",
        &"-o",
        &format!("sarif:{}", link.display()),
    ]));
    exit_2_naming(&o, &["cncomply.sarif", "symbolic link"]);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    let o = run(&os(&[
        &"report",
        &"examples/small-power-motor.yaml",
        &"-o",
        &link,
    ]));
    exit_2_naming(&o, &["cncomply.sarif", "symbolic link"]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "original\n");

    let o = run_in(
        d.path(),
        &os(&[
            &"check",
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/small-power-motor.yaml"),
            &"--as-of",
            &AS_OF,
            &"-o",
            &"json:/dev/stdout",
        ]),
        "> out.txt",
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    let out = std::fs::read_to_string(d.path().join("out.txt")).unwrap();
    assert!(out.contains("\"schema_version\""), "{out}");
}

/// `cncomply.toml` comes with the repository being checked, so a pull
/// request writes it: `output = ["sarif:/home/runner/.bashrc"]` had the
/// gate overwrite a file outside the repository. Reports named in the file
/// stay inside the directory that holds it; `-o` may still name any path.
#[test]
fn a_configuration_file_cannot_send_a_report_outside_its_directory() {
    let d = tempdir();
    let repo = d.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let victim = write(d.path(), "victim.txt", "original\n");
    let motor = write(&repo, "m.yaml", motor());
    for written in [
        format!("sarif:{}", victim.display()),
        "sarif:../victim.txt".to_string(),
    ] {
        write(
            &repo,
            "cncomply.toml",
            format!("[check]\noutput = [\"{written}\"]\n"),
        );
        let o = run_in(&repo, &os(&[&"check", &motor, &"--as-of", &AS_OF]), "");
        exit_2_naming(&o, &["cncomply.toml:2", "inside", "without `..`"]);
        assert!(o.stdout.is_empty(), "{}", o.stdout);
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "original\n");
    write(
        &repo,
        "cncomply.toml",
        "[check]\noutput = [\"sarif:reports/cncomply.sarif\"]\n",
    );
    let o = run_in(&repo, &os(&[&"check", &motor, &"--as-of", &AS_OF]), "");
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(repo.join("reports/cncomply.sarif").is_file());
}

/// Defect 7 again, for the files a run is pointed at rather than walks
/// to: a repository's `waivers.yaml`, baseline or `cncomply.toml` replaced
/// by a link to `~/.docker/config.json` had the shape error quote the
/// registry token into the CI log. Such a link is refused unread; a link
/// that stays inside the working directory is still followed.
#[test]
fn a_waivers_baseline_or_configuration_link_leading_out_is_refused_unread() {
    let d = tempdir();
    let secret = write(
        d.path(),
        "docker-config.json",
        "{\"auths\":{\"ghcr.io\":{\"auth\":\"aHVudGVyMi1zZWNyZXQtdG9rZW4=\"}}}\n",
    );
    let repo = d.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let motor = write(&repo, "m.yaml", motor());
    std::os::unix::fs::symlink(&secret, repo.join("waivers.yaml")).unwrap();
    std::os::unix::fs::symlink(&secret, repo.join("previous.json")).unwrap();
    for (flag, file) in [
        ("--waivers", "waivers.yaml"),
        ("--baseline", "previous.json"),
    ] {
        let o = run_in(&repo, &os(&[&"check", &motor, &flag, &file]), "");
        exit_2_naming(&o, &[file, "leads outside"]);
        assert!(!o.stderr.contains("aHVudGVy"), "{}", o.stderr);
        assert!(o.stdout.is_empty(), "{}", o.stdout);
    }
    std::os::unix::fs::symlink(&secret, repo.join("cncomply.toml")).unwrap();
    let o = run_in(&repo, &os(&[&"check", &motor]), "");
    exit_2_naming(&o, &["cncomply.toml", "leads outside"]);
    assert!(!o.stderr.contains("aHVudGVy"), "{}", o.stderr);
    std::fs::remove_file(repo.join("cncomply.toml")).unwrap();

    // Inside the working directory a link is followed as before.
    std::fs::remove_file(repo.join("waivers.yaml")).unwrap();
    write(&repo, "compliance/w.yaml", "waivers: []\n");
    std::os::unix::fs::symlink("compliance/w.yaml", repo.join("waivers.yaml")).unwrap();
    let o = run_in(
        &repo,
        &os(&[
            &"check",
            &motor,
            &"--waivers",
            &"waivers.yaml",
            &"--as-of",
            &AS_OF,
        ]),
        "",
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
}

/// A Markdown report is posted as a pull-request comment: a product named
/// `@octocat` or `@org/team` would notify that user or team from the bot
/// account. Every `@` in text from the repository is followed by a
/// zero-width space, so GitHub shows it as written and mentions no one.
#[test]
fn a_markdown_report_mentions_no_one() {
    let d = tempdir();
    let p = write(
        d.path(),
        "m.yaml",
        motor_named("@octocat's motor for @acme/compliance"),
    );
    for format in ["markdown", "markdown-summary"] {
        let o = run(&os(&[
            &"check",
            &p,
            &"--as-of",
            &AS_OF,
            &"--format",
            &format,
        ]));
        assert_eq!(o.code, 1, "{format}: {}", o.stderr);
        assert!(
            o.stdout
                .contains("@&#8203;octocat's motor for @&#8203;acme/compliance"),
            "{format}: {}",
            o.stdout
        );
        let mentions = o
            .stdout
            .match_indices('@')
            .filter(|(i, _)| !o.stdout[i + 1..].starts_with("&#8203;"));
        assert_eq!(mentions.count(), 0, "{format}: {}", o.stdout);
    }
}

/// A rule file with a long line naming unknown categories: miette printed
/// the line whole in every message (a 3 MB line gave 21 MB of log), then
/// panicked at a label past column 65,535 (exit 101). Now each message
/// names the place, the line is not shown, and the run is exit 2.
#[test]
fn a_rule_file_with_a_long_line_is_reported_without_it() {
    let d = tempdir();
    let pad = "x".repeat(1_000);
    let conds: Vec<String> = (0..80)
        .map(|i| format!("category is nope{i}{pad}"))
        .collect();
    let rules = format!(
        "topic t: \"T\"\ncategory product: \"Any product\"\nrule t.r1\n  title \"R\"\n  topic t\n  instrument \"I\"\n  authority \"A\"\n  status in-force\n  mandatory\n  binds product\n  source \"s.txt\", section \"S\"\n  effective 2024-01-01\n  applies when {}\n  obligation certify \"do it\"\n  explain \"x\"\nend\n",
        conds.join(" or ")
    );
    write(d.path(), "rules/a.rules", rules);
    let profile = write(d.path(), "m.yaml", "name: M\ncategory: product\n");
    for args in [
        os(&[&"lint", &d.path().join("rules")]),
        os(&[&"check", &"--rules", &d.path().join("rules"), &profile]),
    ] {
        let o = run(&args);
        assert_eq!(
            o.code,
            2,
            "{args:?}: {}",
            &o.stderr[..o.stderr.len().min(2000)]
        );
        assert!(!o.stderr.contains("panicked"), "{args:?}");
        assert!(
            o.stderr.len() < 40_000,
            "{args:?}: {} bytes",
            o.stderr.len()
        );
        assert!(o.stderr.contains("unknown category"), "{args:?}");
        assert!(
            o.stderr
                .contains("a.rules:13:28; the line is over 1000 bytes"),
            "{args:?}"
        );
        assert!(o.stdout.is_empty(), "{args:?}: {}", o.stdout);
    }
}

//! Hostile inputs: a CI gate must never crash, hang or pass by accident.
//! Every rejected case exits 2, names the file (and the line where there is
//! one), prints no findings on standard output, and finishes within a
//! memory limit. Inputs are generated into a temporary directory.
//!
//! The binary runs under `ulimit -v` (1 GiB of address space) so that
//! unbounded memory use fails the test; the timeout only turns a hang into a
//! failure and measures nothing.

mod common;
use common::*;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

const MEMORY_KIB: u64 = 1024 * 1024;
const HANG: Duration = Duration::from_secs(120);

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `cncomply ARGS` under the memory limit.
fn run(args: &[OsString]) -> Outcome {
    let bin = assert_cmd::cargo::cargo_bin("cncomply");
    let out = cncomply_via_sh()
        .arg(format!("ulimit -v {MEMORY_KIB}; exec \"$0\" \"$@\""))
        .arg(bin)
        .args(args)
        .timeout(HANG)
        .output()
        .unwrap();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn cncomply_via_sh() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.arg("-c")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200");
    cmd
}

fn os(items: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    items.iter().map(|s| s.as_ref().to_os_string()).collect()
}

/// `check FILE` against the fixture rules.
fn check(path: &Path) -> Outcome {
    let rules = fixture("rules");
    run(&os(&[
        &"check",
        &path,
        &"--rules",
        &rules,
        &"--as-of",
        &"2026-07-01",
    ]))
}

/// Asserts a clean rejection naming `name` (and `name:line` when given).
#[track_caller]
fn rejected(o: &Outcome, name: &str, line: Option<usize>, words: &str) {
    assert_eq!(
        o.code, 2,
        "exit code\nstdout: {}\nstderr: {}",
        o.stdout, o.stderr
    );
    assert!(o.stdout.is_empty(), "findings on stdout: {}", o.stdout);
    let at = match line {
        Some(l) => format!("{name}:{l}"),
        None => name.to_string(),
    };
    assert!(
        o.stderr.contains(&at),
        "stderr does not name {at}: {}",
        o.stderr
    );
    assert!(
        o.stderr.contains(words),
        "stderr does not say `{words}`: {}",
        o.stderr
    );
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
}

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().unwrap())
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

/// One profile file named `name`, checked; asserts the rejection.
#[track_caller]
fn profile_rejected(name: &str, bytes: impl AsRef<[u8]>, line: Option<usize>, words: &str) {
    let d = Dir::new();
    let p = d.write(name, bytes);
    rejected(&check(&p), name, line, words);
}

// ------------------------------------------------------------------ profiles

#[test]
fn yaml_alias_bomb() {
    // Nine levels of nine aliases: 9^9 strings if expanded.
    let mut levels = vec!["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]".to_string()];
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        levels.push(format!("&a{i} [{refs}]"));
    }
    let text = format!(
        "category: motor\nattributes:\n  functions: [{}]\n",
        levels.join(", ")
    );
    profile_rejected("bomb.yaml", text, None, "expands aliases too often");
}

#[test]
fn a_50_mb_profile() {
    let text = format!("category: motor\n{}", "# padding\n".repeat(5_000_000));
    profile_rejected(
        "big.yaml",
        text,
        None,
        "profiles may be at most 4194304 bytes",
    );
}

#[test]
fn a_50_mb_profile_on_standard_input() {
    let text = format!("category: motor\n{}", "# padding\n".repeat(5_000_000));
    let rules = fixture("rules");
    let mut cmd = cncomply();
    cmd.args(["check", "-", "--as-of", "2026-07-01", "--rules"])
        .arg(rules)
        .write_stdin(text)
        .timeout(HANG);
    let out = cmd.output().unwrap();
    let o = Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    rejected(&o, "-", None, "profiles may be at most 4194304 bytes");
}

#[test]
fn yaml_nested_10000_deep_in_lists() {
    let text = format!(
        "category: motor\nattributes:\n  functions: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    profile_rejected("deep.yaml", text, Some(3), "nests too deeply");
}

#[test]
fn yaml_nested_10000_deep_in_mappings() {
    let text = format!(
        "category: motor\nname: {}x{}\n",
        "{a: ".repeat(10_000),
        "}".repeat(10_000)
    );
    profile_rejected("deep-map.yaml", text, Some(2), "nests too deeply");
}

#[test]
fn invalid_utf8() {
    profile_rejected(
        "latin1.yaml",
        b"category: motor\nname: Gr\xfcn\n",
        Some(2),
        "not UTF-8",
    );
}

#[test]
fn nul_byte() {
    profile_rejected(
        "nul.yaml",
        b"category: motor\nname: a\0b\n",
        Some(2),
        "NUL byte",
    );
}

#[test]
fn a_list_instead_of_a_mapping() {
    profile_rejected(
        "list.yaml",
        "- category: motor\n",
        Some(1),
        "a profile is a mapping of keys",
    );
}

#[test]
fn a_text_instead_of_a_mapping() {
    profile_rejected("text.yaml", "just a motor\n", Some(1), "found a text");
}

#[test]
fn a_null_document() {
    profile_rejected("null.yaml", "~\n", Some(1), "found nothing");
}

#[test]
fn several_yaml_documents() {
    profile_rejected(
        "two.yaml",
        "category: motor\n---\ncategory: washer\n",
        None,
        "more than one YAML document",
    );
}

#[test]
fn duplicate_top_level_key() {
    profile_rejected(
        "dup.yaml",
        "category: motor\nname: a\ncategory: washer\n",
        Some(1),
        "duplicate field `category`",
    );
}

#[test]
fn duplicate_attribute() {
    profile_rejected(
        "dup-attr.yaml",
        "category: motor\nattributes:\n  rated_voltage_ac_v: 1\n  rated_voltage_ac_v: 2\n",
        Some(3),
        "duplicate entry",
    );
}

#[test]
fn number_too_large_for_a_float() {
    profile_rejected(
        "huge.yaml",
        "category: motor\nattributes:\n  rated_voltage_ac_v: 1e999\n",
        Some(3),
        "1e999 is out of range",
    );
}

#[test]
fn integer_past_64_bits() {
    profile_rejected(
        "bigint.yaml",
        "category: motor\nattributes:\n  rated_voltage_ac_v: 123456789012345678901234567890\n",
        Some(3),
        "is out of range",
    );
}

#[test]
fn grade_out_of_range() {
    profile_rejected(
        "grade.yaml",
        "category: washer\nevidence:\n  labels:\n    - scheme: energy-label\n      grade: 99999999999\n",
        Some(5),
        "grade",
    );
}

#[test]
fn not_a_number() {
    // `.nan` is YAML's NaN; `nan` is text that Rust would read as NaN.
    for (value, words) in [
        (".nan", "must be a finite number"),
        ("nan", "nan is not a number"),
    ] {
        profile_rejected(
            "nan.yaml",
            format!("category: motor\nattributes:\n  rated_voltage_ac_v: {value}\n"),
            Some(3),
            words,
        );
    }
}

#[test]
fn infinity() {
    for (name, value) in [("inf.yaml", ".inf"), ("minus-inf.yaml", "-.inf")] {
        profile_rejected(
            name,
            format!("category: motor\nattributes:\n  rated_voltage_ac_v: {value}\n"),
            Some(3),
            "must be a finite number",
        );
    }
    profile_rejected(
        "inf-text.yaml",
        "category: motor\nattributes:\n  rated_voltage_ac_v: inf\n",
        Some(3),
        "inf is out of range",
    );
}

#[test]
fn impossible_date() {
    profile_rejected(
        "feb30.yaml",
        "category: motor\nplaced_on_market: 2026-02-30\n",
        Some(2),
        "\"2026-02-30\" is not a calendar date",
    );
}

#[test]
fn dates_with_times_and_zones() {
    for value in [
        "2026-02-03T10:00:00+08:00",
        "2026-02-03 10:00:00",
        "2026-02-03Z",
    ] {
        profile_rejected(
            "datetime.yaml",
            format!("category: motor\nplaced_on_market: {value}\n"),
            Some(2),
            "is not a calendar date",
        );
    }
}

#[test]
fn empty_and_blank_files() {
    for (name, text) in [("empty.yaml", ""), ("blank.yaml", "  \n\n\t\n")] {
        profile_rejected(name, text, None, "the profile is empty");
    }
}

#[test]
fn comments_only() {
    profile_rejected(
        "comments.yaml",
        "# category: motor\n",
        None,
        "the profile has no `category`",
    );
}

#[test]
fn utf8_bom_and_crlf_are_accepted() {
    let d = Dir::new();
    for (name, text) in [
        ("bom.yaml", "\u{feff}name: M\ncategory: motor\n"),
        ("crlf.yaml", "name: M\r\ncategory: motor\r\n"),
        ("both.yaml", "\u{feff}name: M\r\ncategory: motor\r\n"),
    ] {
        let p = d.write(name, text);
        let o = check(&p);
        assert_eq!(o.code, 0, "{name}: {}", o.stderr);
        assert!(o.stdout.contains("M — motor"), "{name}: {}", o.stdout);
    }
}

#[test]
fn lone_cr_line_ends_count_as_yaml_counts_them() {
    // Old Mac line ends: YAML reads three lines, and so do the message and
    // the snippet under it (which showed line 1 before).
    let d = Dir::new();
    let p = d.write(
        "mac.yaml",
        "category: motor\rattributes:\r  rated_voltge_ac_v: 1\r",
    );
    let o = check(&p);
    rejected(
        &o,
        "mac.yaml",
        Some(3),
        "unknown attribute `rated_voltge_ac_v`",
    );
    assert!(o.stderr.contains("mac.yaml:3:3]"), "{}", o.stderr);
    assert!(
        o.stderr.contains(" 3 │   rated_voltge_ac_v: 1"),
        "{}",
        o.stderr
    );
}

#[test]
fn fuzz_regression_lone_cr_after_a_comment() {
    // Found by the profile_loader fuzz target: a run of lone CRs made the
    // error name a line past the end of the file.
    let text = std::fs::read(fixture("fuzz/profile-lone-cr.yaml")).unwrap();
    let yaml_lines = text.split(|&b| b == b'\n' || b == b'\r').count();
    let d = Dir::new();
    let p = d.write("lone-cr.yaml", &text);
    let o = check(&p);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stdout.is_empty());
    let line: usize = o
        .stderr
        .split("lone-cr.yaml:")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no line named: {}", o.stderr));
    assert!(
        line <= yaml_lines,
        "line {line} of {yaml_lines}: {}",
        o.stderr
    );
    // The snippet shows that line, not the end of the file.
    assert!(o.stderr.contains(&format!("{line} │")), "{}", o.stderr);
}

#[test]
fn fuzz_regression_tagged_value_at_the_end_of_the_text() {
    // Found by the profile_loader fuzz target (session 4): a tagged value
    // ending a text with no final line feed was reported on line 2 of a
    // 1-line file, while the snippet showed line 1.
    let d = Dir::new();
    let p = d.write("tagged.yaml", "name: !Msa");
    let o = check(&p);
    rejected(
        &o,
        "tagged.yaml",
        Some(1),
        "`name` must be a text, found a tagged value",
    );
    assert!(!o.stderr.contains("tagged.yaml:2"), "{}", o.stderr);
    assert!(o.stderr.contains("tagged.yaml:1:10]"), "{}", o.stderr);
}

#[test]
fn fuzz_regression_error_at_end_of_input() {
    // Found by the profile_loader fuzz target: libyaml put this error on
    // line 7 of a 6-line file, while the snippet showed line 6.
    let text = std::fs::read(fixture("fuzz/profile-error-past-the-end.yaml")).unwrap();
    let d = Dir::new();
    let p = d.write("past.yaml", &text);
    let o = check(&p);
    rejected(&o, "past.yaml", Some(6), "could not find expected ':'");
    assert!(o.stderr.contains("past.yaml:6:11]"), "{}", o.stderr);
}

#[test]
fn fuzz_regression_bom_after_lone_cr() {
    // Found by the profile_loader fuzz target: an error placed past the
    // end of a line ending in a byte-order mark (3 bytes) cut into it and
    // panicked (exit 101).
    let text = std::fs::read(fixture("fuzz/profile-bom-after-lone-cr.yaml")).unwrap();
    let d = Dir::new();
    let p = d.write("bom-cr.yaml", &text);
    rejected(
        &check(&p),
        "bom-cr.yaml",
        Some(3),
        "unexpected end of stream",
    );
}

#[test]
fn unreadable_profile() {
    let d = Dir::new();
    // A link to nothing cannot be read by anyone, root included.
    let p = d.path().join("gone.yaml");
    std::os::unix::fs::symlink(d.path().join("missing.yaml"), &p).unwrap();
    rejected(&check(&p), "gone.yaml", None, "cannot read the profile");

    // Without read permission (root reads it anyway, so only as others).
    use std::os::unix::fs::PermissionsExt;
    let locked = d.write("locked.yaml", "category: motor\n");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_err() {
        rejected(
            &check(&locked),
            "locked.yaml",
            None,
            "cannot read the profile",
        );
    }
}

#[test]
fn directory_symlink_loop_in_a_catalogue() {
    let d = Dir::new();
    let cat = d.path().join("catalogue");
    std::fs::create_dir_all(cat.join("motors")).unwrap();
    std::os::unix::fs::symlink(&cat, cat.join("motors/back")).unwrap();
    std::os::unix::fs::symlink("self.yaml", cat.join("self.yaml")).unwrap();
    let rules = fixture("rules");
    let o = run(&os(&[&"check", &cat, &"--rules", &rules]));
    rejected(&o, "motors/back", None, "symbolic link loop");
    assert!(o.stderr.contains("self.yaml"), "{}", o.stderr);
}

#[test]
fn too_many_profiles() {
    let d = Dir::new();
    let cat = d.path().join("catalogue");
    for i in 0..=cncomply::catalogue::MAX_PROFILES {
        let sub = cat.join(format!("{:03}", i % 100));
        if i < 100 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        std::fs::write(sub.join(format!("p{i}.yaml")), "category: motor\n").unwrap();
    }
    let rules = fixture("rules");
    let o = run(&os(&[&"check", &cat, &"--rules", &rules]));
    rejected(&o, "catalogue", None, "more than 50000 profiles");
}

// ---------------------------------------------------------------- rule files

/// `check` of a valid profile against one rule file `name` holding the
/// fixture library plus `extra`.
fn rules_outcome(name: &str, extra: impl AsRef<[u8]>) -> Outcome {
    let d = Dir::new();
    let mut text = std::fs::read(fixture("rules/fixture.rules")).unwrap();
    text.extend_from_slice(extra.as_ref());
    let rules = d.write(&format!("rules/{name}"), text);
    let profile = d.write("motor.yaml", "category: motor\n");
    run(&os(&[
        &"check",
        &profile,
        &"--rules",
        &rules.parent().unwrap(),
    ]))
}

fn fixture_lines() -> usize {
    std::fs::read_to_string(fixture("rules/fixture.rules"))
        .unwrap()
        .lines()
        .count()
}

const RULE: &str = r#"
rule ccc.extra
  title "Extra"
  topic ccc
  instrument "X"
  authority "CNCA"
  status in-force
  mandatory
  source "001_5bcde08ab577292b.txt", section "Eleven CCC Implementation Rules Released for 16 Products"
  effective 2026-07-01
  applies when SCOPE
  obligation certify "Certify"
  met by certificate ccc
  explain "x"
end
"#;

#[test]
fn unterminated_string_in_a_rule_file() {
    let o = rules_outcome("open.rules", "\nrule x.y\n  title \"never closed\nend\n");
    rejected(
        &o,
        "open.rules",
        Some(fixture_lines() + 3),
        "must end on the same line",
    );
}

#[test]
fn rule_superseded_by_itself() {
    let rule = RULE
        .replace("SCOPE", "category is motor")
        .replace("  effective", "  superseded by ccc.extra\n  effective");
    let o = rules_outcome("self.rules", rule);
    rejected(&o, "self.rules", None, "superseded by itself");
    assert!(o.stderr.contains("self.rules:"), "{}", o.stderr);
}

#[test]
fn supersession_cycle_between_rules() {
    let a = RULE.replace("SCOPE", "category is motor").replace(
        "  effective",
        "  superseded by ccc.extra2 on 2027-01-01\n  effective",
    );
    let b = a
        .replace("rule ccc.extra", "rule ccc.extra2")
        .replace("superseded by ccc.extra2", "superseded by ccc.extra");
    let o = rules_outcome("cycle.rules", a + &b);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stdout.is_empty());
    assert!(o.stderr.contains("cycle.rules:"), "{}", o.stderr);
    assert!(o.stderr.contains("supersed"), "{}", o.stderr);
}

#[test]
fn cycle_in_the_category_tree() {
    let o = rules_outcome(
        "tree.rules",
        "\ncategory loop-a under loop-b: \"A\"\ncategory loop-b under loop-a: \"B\"\n",
    );
    rejected(
        &o,
        "tree.rules",
        Some(fixture_lines() + 2),
        "is under itself",
    );
}

#[test]
fn conditions_nested_10000_deep() {
    let scope = format!(
        "{}category is motor{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let o = rules_outcome("deep.rules", RULE.replace("SCOPE", &scope));
    rejected(&o, "deep.rules", None, "nest deeper than 64");
}

#[test]
fn not_chained_10000_deep() {
    let scope = format!("{}category is motor", "not ".repeat(10_000));
    let o = rules_outcome("nots.rules", RULE.replace("SCOPE", &scope));
    rejected(&o, "nots.rules", None, "nest deeper than 64");
}

#[test]
fn nul_byte_in_a_rule_file() {
    let o = rules_outcome("nul.rules", "\ntopic bad\0: \"x\"\n");
    rejected(&o, "nul.rules", Some(fixture_lines() + 2), "NUL byte");
}

#[test]
fn invalid_utf8_in_a_rule_file() {
    let o = rules_outcome("latin1.rules", b"\n# Gr\xfcn\n");
    rejected(&o, "latin1.rules", None, "is not UTF-8 text");
}

#[test]
fn empty_rule_file() {
    let d = Dir::new();
    let rules = d.write("rules/empty.rules", "");
    let profile = d.write("motor.yaml", "category: motor\n");
    let o = run(&os(&[&"check", &profile, &"--rules", &rules]));
    rejected(&o, "empty.rules", None, "declares no rules");
}

#[test]
fn rule_file_over_8_mib() {
    let padding = "# padding\n".repeat(900_000);
    let o = rules_outcome("huge.rules", padding);
    rejected(
        &o,
        "huge.rules",
        None,
        "a rule file may be at most 8388608 bytes",
    );
}

#[test]
fn a_rule_file_of_errors_is_reported_within_bounds() {
    // 200,000 broken rules: a million problems. Only the first 200 are kept.
    let text: String = (0..200_000)
        .map(|i| format!("rule x.r{i} topic nope end\n"))
        .collect();
    let o = rules_outcome("broken.rules", text);
    rejected(&o, "broken.rules", None, "the first 200 are shown");
    assert!(
        o.stderr.len() < 1_000_000,
        "{} bytes of errors",
        o.stderr.len()
    );
}

#[test]
fn missing_rules_directory() {
    let d = Dir::new();
    let profile = d.write("motor.yaml", "category: motor\n");
    let o = run(&os(&[
        &"check",
        &profile,
        &"--rules",
        &d.path().join("no-such-rules"),
    ]));
    rejected(&o, "no-such-rules", None, "cannot read rules");
}

#[test]
fn fuzz_regression_recovery_after_multibyte_text() {
    // Found by the rule_parser fuzz target: to go on after a syntax error,
    // the broken declaration is blanked out, and it was blanked one space
    // per character, not per byte. Every later offset moved back by the
    // extra bytes of the blanked multi-byte characters: later errors named
    // the wrong column, and one fell inside a character (exit 101).
    let d = Dir::new();
    let crash = std::fs::read(fixture("fuzz/rules-blanked-multibyte.rules")).unwrap();
    let p = d.write("crash.rules", &crash);
    let o = run(&os(&[&"lint", &p]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
    assert!(o.stderr.contains("crash.rules:33:74]"), "{}", o.stderr);

    // The second error's column counts the characters before it, not the
    // bytes the first declaration's Chinese alias took.
    let p = d.write(
        "two.rules",
        "category a: \"A\" also called \"电动工具\" oops\ncategory b: \"B\" also called \"x\" oops\n",
    );
    let o = run(&os(&[&"lint", &p]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("two.rules:1:44]"), "{}", o.stderr);
    assert!(o.stderr.contains("two.rules:2:33]"), "{}", o.stderr);
}

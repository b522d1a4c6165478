//! `cncomply init`: asks only what can change an obligation, checks every
//! answer, works from an answers file and in a real terminal, and writes a
//! profile that `check` accepts.

mod common;
use common::*;

use std::path::Path;

use cncomply::model::{Fact, RuleSet};
use cncomply::questionnaire::{open_questions, Answers};
use predicates::prelude::*;

const AS_OF: &str = "2026-07-01";

fn init(extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = cncomply();
    cmd.arg("init")
        .arg("--rules")
        .arg(fixture("rules"))
        .args(["--as-of", AS_OF])
        .args(extra);
    cmd
}

fn with_answers(answers: &str, extra: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.yaml");
    std::fs::write(&path, answers).unwrap();
    let out = init(extra).arg("--answers").arg(&path).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn check_file(path: &Path) -> (i32, serde_json::Value) {
    let out = cncomply()
        .arg("check")
        .arg(path)
        .arg("--rules")
        .arg(fixture("rules"))
        .args(["--as-of", AS_OF, "--format", "json", "--all"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code().unwrap(), json)
}

// ---------------------------------------------------------------- answers file

#[test]
fn answers_file_gives_a_profile_that_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.yaml");
    std::fs::write(
        &answers,
        "name: M-230\nmade_in: de\nsold_in: [CN]\nrated_voltage_ac_v: 230\nrated_voltage_dc_v: null\n",
    )
    .unwrap();
    let out = dir.path().join("motor.yaml");
    init(&["--category", "small power motor", "-o"])
        .arg(&out)
        .arg("--answers")
        .arg(&answers)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("wrote"));
    let text = std::fs::read_to_string(&out).unwrap();
    for line in [
        "name: \"M-230\"",
        "category: motor",
        "made_in: DE",
        "sold_in: [CN]",
        "  rated_voltage_ac_v: 230",
        "  rated_voltage_dc_v: null",
    ] {
        assert!(text.contains(line), "lacks {line:?}:\n{text}");
    }
    let (code, json) = check_file(&out);
    assert_eq!(code, 1);
    assert_eq!(finding(&json, "ccc.motor")["status"], "applies");
    assert_eq!(json["products"][0]["name"], "M-230");
}

#[test]
fn unanswered_facts_are_listed_with_the_rules_that_need_them_and_nothing_else() {
    let (code, out, err) = with_answers("{}\n", &["--category", "motor"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("# Not answered yet"), "{out}");
    assert!(
        out.contains("attributes.rated_voltage_ac_v (a number (in V)) — needed by ccc.motor"),
        "{out}"
    );
    assert!(out.contains("cybersecurity-label.tiers"), "{out}");
    // Facts only other categories' rules read are not asked of a motor.
    for other in ["approval", "functions", "brand", "first_approved"] {
        assert!(!out.contains(other), "{other} asked of a motor:\n{out}");
    }
    assert!(err.contains("3 fact(s) not answered"), "{err}");
}

#[test]
fn bad_answer_is_exit_2_with_its_line_and_the_expected_type() {
    let (code, out, err) = with_answers(
        "made_in: DE\nrated_voltage_ac_v: \"230 V\"\n",
        &["--category", "motor"],
    );
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("answers.yaml:2"), "{err}");
    assert!(err.contains("must be a number"), "{err}");
    let (code, _, err) = with_answers("placed_on_market: 2026-02-30\n", &["--category", "motor"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a calendar date"), "{err}");
}

#[test]
fn unknown_answer_key_gets_did_you_mean() {
    let (code, _, err) = with_answers("rated_voltge_ac_v: 230\n", &["--category", "motor"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown answer `rated_voltge_ac_v`"), "{err}");
    assert!(err.contains("did you mean"), "{err}");
    assert!(err.contains("`rated_voltage_ac_v`"), "{err}");
}

#[test]
fn category_can_come_from_the_answers_file_and_must_exist() {
    let (code, out, _) = with_answers("category: washing machine\n", &[]);
    assert_eq!(code, 0);
    assert!(out.contains("category: washer"), "{out}");
    let (code, _, err) = with_answers("rated_voltage_ac_v: 230\n", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("no category given"), "{err}");
    init(&["--category", "motr"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown category \"motr\""))
        .stderr(predicate::str::contains("did you mean"));
}

#[test]
fn output_file_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.yaml");
    std::fs::write(&out, "keep me").unwrap();
    init(&["--category", "belt", "-o"])
        .arg(&out)
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    init(&["--category", "belt", "--force", "-o"])
        .arg(&out)
        .write_stdin("")
        .assert()
        .success();
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("category: belt"));
}

/// `-o` naming a symbolic link is refused before any question, even with
/// `--force`: the link could point at any file the user may write.
#[test]
fn init_never_writes_through_a_symbolic_link() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "keep me").unwrap();
    let out = dir.path().join("p.yaml");
    std::os::unix::fs::symlink(&victim, &out).unwrap();
    for force in [false, true] {
        let mut args = vec!["--category", "belt"];
        if force {
            args.push("--force");
        }
        args.push("-o");
        init(&args)
            .arg(&out)
            .write_stdin("")
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("is a symbolic link"));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    }
}

// ---------------------------------------------------------------- interactive

#[test]
fn asks_only_what_matters_and_asks_again_after_a_bad_answer() {
    let out = init(&["--category", "motor"])
        // abc (refused), 230, no CCC certificate, no CCC mark, no to the
        // informational questions.
        .write_stdin("abc\n230\n\n\n\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    let profile = String::from_utf8(out.stdout).unwrap();
    assert!(
        err.contains("(1) attributes.rated_voltage_ac_v — AC voltage"),
        "{err}"
    );
    assert!(
        err.contains("a number (in V) · needed by ccc.motor"),
        "{err}"
    );
    assert!(
        err.contains("must be a number (in V), found the text \"abc\"; try again"),
        "{err}"
    );
    // With the AC voltage in the band, the DC voltage no longer matters.
    assert!(!err.contains("rated_voltage_dc_v —"), "{err}");
    // Informational questions come last, and only if wanted (Enter: no).
    assert!(err.contains("Answer them too? [y/N]"), "{err}");
    assert!(!err.contains("attributes.connects_to_network —"), "{err}");
    assert!(profile.contains("  rated_voltage_ac_v: 230"), "{profile}");
    assert!(!profile.contains("  connects_to_network:"), "{profile}");
}

#[test]
fn mandatory_questions_first_then_informational_choices_by_number() {
    // The approval, Enter for the name, y, then connects_to_network.
    let out = init(&["--category", "car"])
        .write_stdin("2\n\ny\nno\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    let profile = String::from_utf8(out.stdout).unwrap();
    let approval = err.find("(1) attributes.approval").expect(&err);
    let network = err.find("(2) attributes.connects_to_network").expect(&err);
    assert!(approval < network);
    assert!(err.contains("1) new type   2) existing type"), "{err}");
    assert!(
        err.contains("needed by cybersecurity-label.tiers (informational)"),
        "{err}"
    );
    assert!(profile.contains("approval: \"existing type\""), "{profile}");
    assert!(profile.contains("connects_to_network: no"), "{profile}");
    assert!(!profile.contains("Not answered yet"), "{profile}");
}

#[test]
fn category_is_asked_when_not_given_and_end_of_input_leaves_facts_unknown() {
    let out = init(&[]).write_stdin("moter\nmotor\n").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    let profile = String::from_utf8(out.stdout).unwrap();
    assert!(err.contains("unknown category \"moter\""), "{err}");
    assert!(profile.contains("category: motor"), "{profile}");
    assert!(
        profile.contains("#   attributes.rated_voltage_ac_v"),
        "{profile}"
    );
}

/// Runs `init` in a pseudo-terminal (Python's pty module): stdin, stdout and
/// stderr are a terminal, as for a person typing. The answers are typed
/// ahead, followed by Ctrl-D; the profile goes to a file.
#[test]
fn works_in_a_pseudo_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("washer.yaml");
    let rules = fixture("rules").display().to_string();
    let out = profile.display().to_string();
    let args = [
        "init",
        "--rules",
        &rules,
        "--as-of",
        AS_OF,
        "--category",
        "washing machine",
        "-o",
        &out,
    ];
    // functions (mandatory: ccc.qr-mark), no energy label, no CCC mark,
    // the name, then y to the informational question, then
    // connects_to_network; Ctrl-D ends the input.
    let t = Terminal {
        stdin: true,
        stdout: true,
        stderr: true,
        typed: "wifi, dryer\n\n\nAquaWash 9\ny\nyes\n\u{4}",
        size: None,
    };
    let Some(run) = on_terminal(&args, t) else {
        return;
    };
    let screen = &run.screen;
    assert_eq!(run.code, 0, "{screen}");
    assert!(
        screen.contains("attributes.functions — Functions"),
        "{screen}"
    );
    assert!(screen.contains("needed by ccc.qr-mark"), "{screen}");
    assert!(screen.contains("wrote"), "{screen}");
    let text = std::fs::read_to_string(&profile).unwrap();
    assert!(text.contains("functions: [\"wifi\", \"dryer\"]"), "{text}");
    assert!(text.contains("name: \"AquaWash 9\""), "{text}");
    assert!(text.contains("connects_to_network: yes"), "{text}");
    let (_, json) = check_file(&profile);
    assert_eq!(finding(&json, "ccc.qr-mark")["status"], "applies");
    assert_eq!(
        finding(&json, "cybersecurity-label.tiers")["status"],
        "informational"
    );
}

#[test]
fn help_shows_examples() {
    cncomply()
        .args(["init", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--answers answers.yaml"))
        .stdout(predicate::str::contains("--include-informational"));
}

// ---------------------------------------------------------------- library

fn rules_with_grace() -> RuleSet {
    let (rules, _) = cncomply::library::load(&[fixture("rules"), fixture("init")]).unwrap();
    rules
}

#[test]
fn a_grace_period_that_reads_an_attribute_is_asked_while_the_rule_is_upcoming() {
    let rules = rules_with_grace();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let qs = open_questions(&rules, &Answers::new("washer"), as_of);
    let q = qs
        .iter()
        .find(|q| q.fact == Fact::Attribute("first_approved".into()))
        .unwrap_or_else(|| panic!("{qs:#?}"));
    assert_eq!(q.rules, ["ccc.washer-grace"]);
    assert!(q.mandatory);
    // After the grace period has ended, the date no longer matters.
    let later = chrono::NaiveDate::from_ymd_opt(2027, 7, 1).unwrap();
    let qs = open_questions(&rules, &Answers::new("washer"), later);
    assert!(qs
        .iter()
        .all(|q| q.fact != Fact::Attribute("first_approved".into())));
}

#[test]
fn excluded_and_out_of_scope_categories_are_asked_nothing_mandatory() {
    let rules = rules_with_grace();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
    for category in ["belt", "webbing"] {
        let qs = open_questions(&rules, &Answers::new(category), as_of);
        assert!(qs.iter().all(|q| !q.mandatory), "{category}: {qs:#?}");
    }
}

/// Company facts are asked once, by `init --company`, never for a product.
#[test]
fn product_init_asks_no_company_question_and_init_company_writes_a_company_file() {
    let out = cncomply()
        .args([
            "init",
            "--category",
            "washing-machine",
            "--as-of",
            "2026-12-01",
        ])
        .write_stdin("\n".repeat(80))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let before_optional = err.split("Answer them too?").next().unwrap();
    let asked = before_optional
        .lines()
        .filter(|l| l.starts_with('('))
        .count();
    assert!(
        asked <= 15,
        "{asked} questions before the optional ones:\n{err}"
    );
    for company_fact in [
        "is_ciio",
        "plans_foreign_listing",
        "industrial_internet_role",
    ] {
        assert!(
            !err.contains(company_fact),
            "{company_fact} asked for a product:\n{err}"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("a.yaml");
    std::fs::write(
        &answers,
        "name: ACME\nis_ciio: no\nprocesses_data_in_china: yes\n",
    )
    .unwrap();
    let company = dir.path().join("company.yaml");
    let out = cncomply()
        .args(["init", "--company", "--answers"])
        .arg(&answers)
        .arg("-o")
        .arg(&company)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = std::fs::read_to_string(&company).unwrap();
    assert!(text.contains("name: \"ACME\""), "{text}");
    assert!(text.contains("  is_ciio: no"), "{text}");
    assert!(!text.contains("category:"), "{text}");
    // `check` reads it next to a product.
    std::fs::write(
        dir.path().join("washer.yaml"),
        "category: washing-machine\n",
    )
    .unwrap();
    let out = cncomply()
        .args(["check", "--as-of", "2026-12-01"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Company obligations — ACME"), "{stdout}");

    // A product fact is not a company answer.
    std::fs::write(&answers, "rated_voltage_ac_v: 230\n").unwrap();
    let out = cncomply()
        .args(["init", "--company", "--answers"])
        .arg(&answers)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`rated_voltage_ac_v` is not a company fact"),
        "{err}"
    );
}

/// After the deciding facts, `init` asks for the evidence that would meet
/// the obligations they leave open, and writes it as `check` reads it.
/// The name is asked last of what `check` needs: after the deciding facts
/// and the evidence, before the optional questions.
#[test]
fn the_name_is_asked_after_the_facts_and_the_evidence() {
    // made_in DE, no CCC certificate, no CCC mark, the name, no optional
    // questions.
    let out = init(&["--category", "motor"])
        .write_stdin("230\n\n\nFan motor M-230\n\n")
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    let profile = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{err}");
    let name = err.find("Product name, as on its label").expect(&err);
    let evidence = err.rfind("evidence.").expect(&err);
    let optional = err.find("Answer them too?").expect(&err);
    assert!(evidence < name && name < optional, "{err}");
    assert!(profile.contains("name: \"Fan motor M-230\""), "{profile}");
}

#[test]
fn init_asks_for_the_certificates_and_labels_that_decide() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("washer.yaml");
    // carries_commodity_barcode, barcode_uses: skipped; claims_green_product
    // (asked since the 2019 green-label Measures are a rule): no; made_in DE;
    // has_non_volatile_storage, in_rohs_catalogue_first_batch: no; then the
    // CCC certificate, no GB 19517 conformity record, no RoHS filing, the
    // energy label; no optional questions.
    let answers = "\n\nno\nDE\nno\nno\n2026010705000123\n2031-08-31\nGB/T 4706.1-2024\n\n\nyes\n\n";
    let out = cncomply()
        .args([
            "init",
            "--category",
            "washing-machine",
            "--as-of",
            "2026-12-01",
            "-o",
        ])
        .arg(&out_path)
        .write_stdin(answers)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("evidence.certificates — does the product hold certificate ccc?"),
        "{err}"
    );
    let facts = err.find("(4) made_in").expect("made_in asked");
    let evidence = err.find("evidence.certificates").unwrap();
    assert!(facts < evidence, "deciding facts before evidence:\n{err}");
    let text = std::fs::read_to_string(&out_path).unwrap();
    assert!(
        text.contains("- scheme: ccc") && text.contains("valid_until: 2031-08-31"),
        "{text}"
    );
    assert!(text.contains("- scheme: energy-label"), "{text}");
    let check = cncomply()
        .args(["check", "--as-of", "2026-12-01", "--format", "json"])
        .arg(&out_path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(
        finding(&v, "ccc.household-0705-washing-machine")["status"],
        "met"
    );
}

//! Reports sized for pipelines: JSON with the rules stated once, JSONL read
//! line by line (and by `jq`), the caps of what CI systems accept (SARIF
//! results, GitHub annotations, job summaries and PR comments), and
//! baselines. Each cap is tested on a catalogue that would exceed it.

mod common;
use common::*;

use std::path::{Path, PathBuf};

/// `copies` profiles in a temporary directory, each a copy of `example`
/// (under examples/) with its own name.
fn copies_of(example: &str, copies: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(example)).unwrap();
    let cat = dir.path().join("catalogue");
    std::fs::create_dir(&cat).unwrap();
    for i in 0..copies {
        let named = text.replacen("name: ", &format!("name: P{i:04} "), 1);
        std::fs::write(cat.join(format!("p{i:04}.yaml")), named).unwrap();
    }
    (dir, cat)
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

#[test]
fn json_v2_states_each_rule_once_and_reads_back_as_v1() {
    let (_, v2, _) = check_catalogue(&["--all", "--format", "json"]);
    let (_, v1, _) = check_catalogue(&["--all", "--format", "json", "--json-schema-version", "1"]);
    let (v2, v1) = (json(&v2), json(&v1));
    assert_eq!(v2["schema_version"], 2);
    assert_eq!(v1["schema_version"], 1);
    let table = v2["rules"]["by_id"].as_object().unwrap();
    assert_eq!(table.len(), 8, "every rule of the library, once");
    assert_eq!(v2["rules"]["count"], 8);
    // Put together from the table, every finding is the v1 finding.
    let (p2, p1) = (
        v2["products"].as_array().unwrap(),
        v1["products"].as_array().unwrap(),
    );
    assert_eq!(p2.len(), p1.len());
    let mut compared = 0;
    for (a, b) in p2.iter().zip(p1) {
        assert_eq!(a["profile"], b["profile"]);
        for (f2, f1) in a["findings"]
            .as_array()
            .unwrap()
            .iter()
            .zip(b["findings"].as_array().unwrap())
        {
            assert!(f2.get("title").is_none(), "rule text repeated: {f2}");
            let mut merged = with_rule(&v2, f2.clone());
            merged.as_object_mut().unwrap().remove("baseline");
            assert_eq!(&merged, f1);
            compared += 1;
        }
    }
    assert!(compared > 100, "{compared}");
    assert_eq!(v2["totals"], v1["totals"]);
    assert!(v2["baseline"].is_null());
}

#[test]
fn jsonl_is_one_product_a_line_and_parses_line_by_line() {
    let (code, out, _) = check_catalogue(&["--format", "jsonl"]);
    assert_eq!(code, 2, "one profile is broken");
    let lines: Vec<serde_json::Value> = out.lines().map(json).collect();
    assert_eq!(lines[0]["type"], "run");
    assert_eq!(lines[0]["schema_version"], 2);
    assert!(lines[0]["rules"]["by_id"]["ccc.motor"].is_object());
    let products: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["type"] == "product").collect();
    assert_eq!(products.len(), 22);
    assert_eq!(lines.iter().filter(|l| l["type"] == "error").count(), 1);
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "totals");
    assert_eq!(last["totals"]["products"], 22);
    // A product line is the product of the JSON document.
    let (_, doc, _) = check_catalogue(&["--format", "json"]);
    let doc = json(&doc);
    let mut first = products[0].clone();
    first.as_object_mut().unwrap().remove("type");
    assert_eq!(first, doc["products"][0]);
}

#[test]
fn jsonl_is_read_by_jq() {
    let jq = std::process::Command::new("jq").arg("--version").output();
    if jq.is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "jq is missing; .ci/run installs it"
        );
        eprintln!("SKIPPED: jq is not installed (apt-get install jq); CI runs this check");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.jsonl");
    check_catalogue(&["-o", &format!("jsonl:{}", file.display())]);
    let out = std::process::Command::new("jq")
        .args([
            "-r",
            "select(.type == \"product\" and .failing > 0) | .profile",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let failing: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert!(
        failing.contains(&"tests/fixtures/catalogue/motors/m230-uncertified.yaml".to_string()),
        "{failing:?}"
    );
    assert_eq!(failing.len(), 7, "{failing:?}");
}

#[test]
fn sarif_is_capped_at_what_code_scanning_accepts_with_a_notification() {
    // 130 profiles × about 198 product findings with --all (company rules
    // are reported once, not per product): about 25,760 results.
    let (dir, cat) = copies_of("examples/small-power-motor.yaml", 130);
    let file = dir.path().join("out.sarif");
    let out = cncomply()
        .arg("check")
        .arg(&cat)
        .args(["--as-of", "2026-11-23", "--all", "--format", "github", "-o"])
        .arg(format!("sarif:{}", file.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json(&std::fs::read_to_string(&file).unwrap());
    let run = &v["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), 25_000);
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let capped = notes
        .iter()
        .find(|n| n["descriptor"]["id"] == "results-capped")
        .expect("a notification says what was left out");
    let text = capped["message"]["text"].as_str().unwrap();
    let left: usize = text.split(' ').next().unwrap().parse().unwrap();
    // One product's results, and the company results written once a run.
    let one = cncomply()
        .arg("check")
        .arg(cat.join("p0000.yaml"))
        .args(["--as-of", "2026-11-23", "--all", "--format", "sarif"])
        .output()
        .unwrap();
    let one = json(&String::from_utf8(one.stdout).unwrap());
    let results = one["runs"][0]["results"].as_array().unwrap();
    let company = results
        .iter()
        .filter(|r| r["properties"]["section"] == "company")
        .count();
    let per_product = results.len() - company;
    assert_eq!(left, 130 * per_product + company - 25_000, "{text}");
    assert!(text.contains("--min-level"), "{text}");
    // Still a complete, valid run: every result's rule is described.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in run["results"].as_array().unwrap().iter().step_by(997) {
        assert_eq!(
            rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            r["ruleId"]
        );
    }
}

#[test]
fn sarif_min_level_keeps_only_what_asks_for_work_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("w.sarif");
    let (code, _, _) = check_catalogue(&[
        "--min-level",
        "warning",
        "-o",
        &format!("sarif:{}", file.display()),
    ]);
    assert_eq!(code, 2);
    let v = json(&std::fs::read_to_string(&file).unwrap());
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(
        results
            .iter()
            .all(|r| r["level"] == "warning" || r["level"] == "error"),
        "{results:?}"
    );
    assert_eq!(v["runs"][0]["properties"]["min_level"], "warning");
    let (_, all, _) = check_catalogue(&["--format", "sarif"]);
    let all = json(&all);
    let open = all["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "warning" || r["level"] == "error")
        .count();
    assert_eq!(results.len(), open);
    if python_has("jsonschema") {
        let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json");
        let script = "import json,sys,jsonschema\nschema=json.load(open(sys.argv[1]))\njsonschema.Draft4Validator(schema).validate(json.load(open(sys.argv[2])))";
        let (ok, out) = python(script, &[&schema, &file]);
        assert!(ok, "{out}");
    }
}

#[test]
fn github_shows_ten_errors_and_ten_warnings_then_says_how_many_more() {
    let out = cncomply()
        .args([
            "check",
            "examples/*.yaml",
            "--as-of",
            "2026-11-23",
            "--format",
            "github",
        ])
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let errors = text.lines().filter(|l| l.starts_with("::error ")).count();
    let warnings = text.lines().filter(|l| l.starts_with("::warning ")).count();
    assert_eq!(errors, 10, "{text}");
    assert!(warnings <= 10, "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let more = lines[lines.len() - 2];
    assert!(
        more.starts_with("::notice title=cncomply::… and "),
        "{more}"
    );
    // The tally counts every failing finding, shown or not.
    let failing: usize = lines[lines.len() - 1]
        .split(" unmet obligations in force, ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    let left_errors: usize = more
        .split('(')
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert_eq!(errors + left_errors, failing, "{more}");
}

#[test]
fn github_job_summary_is_written_and_stays_under_one_mebibyte() {
    // The full Markdown report of 120 failing products is over 1 MiB.
    let (dir, cat) = copies_of("examples/small-power-motor.yaml", 120);
    let full = cncomply()
        .arg("check")
        .arg(&cat)
        .args(["--as-of", "2026-11-23", "--all", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(full.stdout.len() > 1 << 20, "{}", full.stdout.len());
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = cncomply()
        .arg("check")
        .arg(&cat)
        .args(["--as-of", "2026-11-23", "--all", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n# China market-access check"),
        "appended"
    );
    assert!(text.len() < 1 << 20, "{}", text.len());
    assert!(text.contains("## Failing products (120 of 120)"), "{text}");
    assert_eq!(text.matches("<details>").count(), 120);
}

#[test]
fn markdown_summary_fits_a_pull_request_comment_and_says_what_it_left_out() {
    let (_dir, cat) = copies_of("examples/small-power-motor.yaml", 300);
    let out = cncomply()
        .arg("check")
        .arg(&cat)
        .args(["--as-of", "2026-11-23", "--format", "markdown-summary"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.chars().count() < 65_536, "{}", text.chars().count());
    assert!(text.contains("## Failing products (300 of 300)"), "{text}");
    let folded = text.matches("<details>").count();
    assert_eq!(folded, text.matches("</details>").count());
    assert!(folded > 10 && folded < 300, "{folded}");
    let shown_rows = text.lines().filter(|l| l.starts_with("| P0")).count();
    let more_rows: usize = text
        .split("… and ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert_eq!(shown_rows + more_rows, 300, "{text}");
    assert!(
        text.contains(&format!(
            "… and the findings of {} more failing products",
            300 - folded
        )),
        "{text}"
    );
}

/// The examples in a temporary directory, to change between two runs.
fn examples_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("examples");
    std::fs::create_dir(&cat).unwrap();
    for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&p, cat.join(p.file_name().unwrap())).unwrap();
        }
    }
    (dir, cat)
}

fn check_dir(cat: &Path, extra: &[&str]) -> (i32, String, String) {
    outcome(
        cncomply()
            .arg("check")
            .arg(cat)
            .args(["--as-of", "2026-11-23"])
            .args(extra)
            .output()
            .unwrap(),
    )
}

#[test]
fn baseline_marks_new_unchanged_updated_and_resolved_and_fail_on_new_fails_only_on_new() {
    let (dir, cat) = examples_copy();
    let baseline = dir.path().join("previous.json");
    let (code, out, _) = check_dir(&cat, &["--format", "json"]);
    assert_eq!(code, 1);
    std::fs::write(&baseline, out).unwrap();
    let b = baseline.display().to_string();
    // Nothing changed: everything unchanged, and --fail-on new passes.
    let (code, out, _) = check_dir(
        &cat,
        &["--format", "json", "--baseline", &b, "--fail-on", "new"],
    );
    assert_eq!(code, 0, "{out}");
    let v = json(&out);
    assert_eq!(v["baseline"]["new"], 0);
    assert!(v["baseline"]["unchanged"].as_u64().unwrap() > 20);
    assert_eq!(v["totals"]["failing"], 0);
    // The charger loses its certificate (a new failure); the motor gains one
    // (its CCC finding resolved).
    let charger = cat.join("ev-charger.yaml");
    let text = std::fs::read_to_string(&charger).unwrap();
    let evidence = text[text.find("evidence:").unwrap()..].to_string();
    std::fs::write(&charger, &text[..text.find("evidence:").unwrap()]).unwrap();
    let motor = cat.join("small-power-motor.yaml");
    let mut m = std::fs::read_to_string(&motor).unwrap();
    assert!(!m.contains("evidence:"), "{m}");
    m.push_str(&evidence);
    std::fs::write(&motor, m).unwrap();
    let (code, out, _) = check_dir(
        &cat,
        &["--format", "json", "--baseline", &b, "--fail-on", "new"],
    );
    assert_eq!(code, 1, "{out}");
    let v = json(&out);
    let charger_p = product(&v, "ev-charger.yaml");
    let ccc = charger_p["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "ccc.ev-charging-equipment")
        .unwrap_or_else(|| panic!("{charger_p:#}"));
    assert_eq!(ccc["status"], "applies");
    assert_eq!(ccc["baseline"], "new");
    assert_eq!(ccc["fails"], true);
    assert_eq!(
        v["totals"]["failing"], charger_p["failing"],
        "only the new ones fail"
    );
    let motor_p = product(&v, "small-power-motor.yaml");
    assert!(
        motor_p["resolved"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["rule_id"] == "ccc.small-power-motor" && r["was"] == "applies"),
        "{:#}",
        motor_p["resolved"]
    );
    for f in motor_p["findings"].as_array().unwrap() {
        if f["status"] == "applies" {
            assert_eq!(f["baseline"], "unchanged", "{f}");
            assert_eq!(f["fails"], false, "unchanged findings do not fail: {f}");
        }
    }
    // SARIF carries the same states; resolved ones are `absent`.
    let (_, sarif, _) = check_dir(&cat, &["--format", "sarif", "--baseline", &b]);
    let s = json(&sarif);
    let results = s["runs"][0]["results"].as_array().unwrap();
    let states = |rule: &str, product: &str| -> Vec<serde_json::Value> {
        results
            .iter()
            .filter(|r| {
                r["ruleId"] == rule
                    && r["properties"]["product"]
                        .as_str()
                        .unwrap()
                        .starts_with(product)
            })
            .map(|r| r["baselineState"].clone())
            .collect()
    };
    assert_eq!(states("ccc.ev-charging-equipment", "ChargeBox"), ["new"]);
    // Met now (no state: it asks for nothing), and `absent` as the
    // baseline's open finding.
    assert_eq!(
        states("ccc.small-power-motor", "M-230"),
        [serde_json::Value::Null, "absent".into()]
    );
    // The baseline may be JSONL too: against its own run, nothing is new.
    let (_, lines, _) = check_dir(&cat, &["--format", "jsonl"]);
    let jsonl = dir.path().join("previous.jsonl");
    std::fs::write(&jsonl, lines).unwrap();
    let (code, _, err) = check_dir(
        &cat,
        &[
            "--baseline",
            &jsonl.display().to_string(),
            "--fail-on",
            "new",
        ],
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_bad_baseline_is_exit_2_with_its_line_and_no_report() {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("b.json");
    std::fs::write(&b, "{\n  \"products\": [ {\"profile\": 3} ]\n}\n").unwrap();
    let (code, out, err) = check_dir(
        Path::new("examples"),
        &["--baseline", &b.display().to_string()],
    );
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.contains(&format!("{}:2:", b.display())), "{err}");
    let (code, out, err) = check_dir(Path::new("examples"), &["--fail-on", "new"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("--fail-on new needs --baseline"), "{err}");
}

#[test]
fn a_baseline_rule_the_library_no_longer_has_is_resolved_without_a_rule_index() {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("b.json");
    let profile = "examples/ev-charger.yaml";
    std::fs::write(
        &b,
        format!("{{\"products\": [{{\"profile\": \"{profile}\", \"findings\": [{{\"rule_id\": \"gone.rule\", \"status\": \"applies\"}}]}}]}}"),
    )
    .unwrap();
    let (code, out, err) = check_dir(
        Path::new(profile),
        &["--format", "sarif", "--baseline", &b.display().to_string()],
    );
    assert!(code == 0 || code == 1, "{err}");
    let v = json(&out);
    let gone = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "gone.rule")
        .expect("the resolved finding is reported");
    assert_eq!(gone["baselineState"], "absent");
    assert!(gone.get("ruleIndex").is_none(), "{gone}");
}

/// Company findings are compared with the baseline's company section, like
/// a product's with its own: new, unchanged, and resolved when closed.
#[test]
fn baseline_marks_company_findings_once_with_their_own_states() {
    let (dir, cat) = examples_copy();
    let baseline = dir.path().join("previous.json");
    let (_, out, _) = check_dir(&cat, &["--format", "json"]);
    std::fs::write(&baseline, out).unwrap();
    let b = baseline.display().to_string();
    let company_findings =
        |v: &serde_json::Value| v["company"]["findings"].as_array().unwrap().clone();

    let (code, out, _) = check_dir(
        &cat,
        &[
            "--format",
            "json",
            "--baseline",
            &b,
            "--fail-on",
            "new,company",
        ],
    );
    let v = json(&out);
    assert_eq!(code, 0, "nothing new in the company section: {out}");
    let dsl = company_findings(&v)
        .into_iter()
        .find(|f| f["rule_id"] == "data-security.dsl-data-security-regime")
        .unwrap();
    assert_eq!(dsl["status"], "applies");
    assert_eq!(dsl["baseline"], "unchanged");
    assert_eq!(v["company"]["resolved"], serde_json::json!([]));

    // The company stops processing data in China (the DSL finding closes)
    // and plans a listing abroad (a new company finding).
    let company = cat.join("company.yaml");
    let text = std::fs::read_to_string(&company)
        .unwrap()
        .replace(
            "processes_data_in_china: yes",
            "processes_data_in_china: no",
        )
        .replace("plans_foreign_listing: no", "plans_foreign_listing: yes");
    std::fs::write(&company, text).unwrap();
    let (_, out, _) = check_dir(&cat, &["--format", "json", "--baseline", &b]);
    let v = json(&out);
    let listing = company_findings(&v)
        .into_iter()
        .find(|f| f["rule_id"] == "data-security.cybersecurity-review-foreign-listing-draft-2021")
        .unwrap_or_else(|| panic!("{:#}", v["company"]));
    assert_eq!(listing["baseline"], "new");
    assert_eq!(
        v["company"]["resolved"],
        serde_json::json!([{"rule_id": "data-security.dsl-data-security-regime", "was": "applies"}])
    );
    assert!(
        v["baseline"]["resolved"].as_u64().unwrap() >= 1,
        "{:#}",
        v["baseline"]
    );

    // JSONL carries the company section in its totals line: against its own
    // run, nothing in it is new.
    let (_, lines, _) = check_dir(&cat, &["--format", "jsonl"]);
    let jsonl = dir.path().join("previous.jsonl");
    std::fs::write(&jsonl, lines).unwrap();
    let (_, out, _) = check_dir(
        &cat,
        &[
            "--format",
            "json",
            "--baseline",
            &jsonl.display().to_string(),
        ],
    );
    let v = json(&out);
    for f in company_findings(&v) {
        if f["status"] == "applies" || f["status"] == "needs-info" {
            assert_eq!(f["baseline"], "unchanged", "{f}");
        }
    }
}

/// The SARIF report of nine example products through the library, with a
/// cap, written two ways: each piece rendered after the writer took the
/// ones before (as a run does: the writer's stop signal is seen), and every
/// piece rendered before the writer sees the first (the signal never
/// seen). Returns both reports and, per way, how many bytes each piece had.
fn sarif_both_ways(cap: usize) -> [(String, Vec<usize>); 2] {
    use cncomply::evaluate::{evaluate_with, Detail};
    use cncomply::policy::ExitPolicy;
    use cncomply::profile::Profile;
    use cncomply::report::stream::{ProductSummary, RunSummary};
    use cncomply::report::{Format, Layout, Options, ProductReport, RunInfo};

    let rules = cncomply::bundled::rule_set().unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let policy = ExitPolicy::default();
    let info = RunInfo {
        as_of,
        rules: &rules,
        rules_source: "bundled".into(),
        show_all: true,
        details: false,
        color: false,
        policy: &policy,
        waivers: None,
        company: None,
        watch: false,
        baseline: None,
    };
    let products: Vec<ProductReport> = ["small-power-motor", "ev-charger", "washing-machine"]
        .iter()
        .cycle()
        .take(9)
        .map(|name| {
            let path = format!("{}/examples/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap();
            let profile = Profile::from_yaml(&path, &text, &rules.vocabulary).unwrap();
            let evaluation = evaluate_with(&rules, &profile, as_of, Detail::Brief);
            ProductReport::from_evaluation(profile, evaluation)
        })
        .collect();
    [true, false].map(|streamed| {
        let layout = Layout::new(
            Format::Sarif,
            Options {
                sarif_cap: cap,
                ..Options::default()
            },
        );
        let mut writer = layout.writer();
        let mut out = Vec::new();
        let mut run = RunSummary::default();
        let mut sizes = Vec::new();
        writer.head(&info, &mut out).unwrap();
        let mut ahead: Vec<_> = if streamed {
            Vec::new()
        } else {
            products.iter().map(|p| layout.piece(&info, p)).collect()
        };
        ahead.reverse();
        for p in &products {
            let piece = ahead.pop().unwrap_or_else(|| layout.piece(&info, p));
            sizes.push(piece.bytes.len());
            let summary = ProductSummary::of(p, &info);
            run.add(&summary);
            writer.product(&info, &summary, piece, &mut out).unwrap();
        }
        writer.tail(&info, &run, &[], &mut out).unwrap();
        let text = String::from_utf8(layout.clean(false, &out).into_owned()).unwrap();
        (text, sizes)
    })
}

#[test]
fn sarif_past_the_cap_counts_exactly_what_it_left_out_and_renders_none_of_it() {
    let [(uncapped, _), _] = sarif_both_ways(usize::MAX);
    let uncapped = json(&uncapped);
    let all = uncapped["runs"][0]["results"].as_array().unwrap();
    let cap = 100;
    assert!(all.len() > 3 * cap, "{} results", all.len());
    let [(streamed, streamed_sizes), (rendered, rendered_sizes)] = sarif_both_ways(cap);
    // Whether or not a renderer saw the writer stop, the bytes are the same.
    assert_eq!(streamed, rendered);
    // Once the writer stopped, the pieces after it carry no rendered result.
    let stopped = streamed_sizes.iter().position(|n| *n == 0).unwrap();
    assert!(stopped < streamed_sizes.len() - 3, "{streamed_sizes:?}");
    assert!(streamed_sizes[stopped..].iter().all(|n| *n == 0));
    assert!(rendered_sizes.iter().all(|n| *n > 0), "{rendered_sizes:?}");

    let v = json(&streamed);
    let run = &v["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), cap);
    assert_eq!(
        results[..],
        all[..cap],
        "the first results in catalogue order"
    );
    // The notification counts what was left out, in total and per level.
    let text = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["descriptor"]["id"] == "results-capped")
        .expect("a notification says what was left out")["message"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    let left_out = &all[cap..];
    let by_level: Vec<String> = ["error", "warning", "note", "none"]
        .iter()
        .map(|level| {
            (
                level,
                left_out.iter().filter(|r| r["level"] == *level).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .map(|(level, n)| format!("{n} {level}"))
        .collect();
    assert!(
        text.starts_with(&format!(
            "{} results left out ({}):",
            left_out.len(),
            by_level.join(", ")
        )),
        "{text}"
    );
}

#[test]
fn sarif_under_the_cap_is_the_same_with_or_without_the_stop_signal() {
    let [(streamed, _), (rendered, _)] = sarif_both_ways(usize::MAX);
    assert_eq!(streamed, rendered);
    assert!(!streamed.contains("results-capped"));
}

#[test]
fn summary_table_of_a_catalogue_laid_out_in_chunks_is_one_table() {
    // More rows than the summary lays out at a time (1,024).
    let (_dir, cat) = copies_of("examples/small-power-motor.yaml", 1_100);
    let out = cncomply()
        .arg("check")
        .arg(&cat)
        .args(["--as-of", "2026-11-23"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let table: Vec<&str> = text.lines().take_while(|l| !l.is_empty()).collect();
    let count = |c: char| table.iter().filter(|l| l.starts_with(c)).count();
    assert_eq!((count('┌'), count('╞'), count('└')), (1, 1, 1), "{text}");
    assert!(table[0].starts_with('┌') && table.last().unwrap().starts_with('└'));
    assert!(table[1].contains("Product") && table[1].contains("Nearest deadline"));
    let rows = table.iter().filter(|l| l.contains(".yaml")).count();
    assert_eq!(rows, 1_100);
    // Every line of the one table has the same columns.
    let columns = |l: &str| -> Vec<usize> {
        l.char_indices()
            .filter(|(_, c)| "┆┬┴╪┼│".contains(*c))
            .map(|(i, _)| l[..i].chars().count())
            .collect()
    };
    let want = columns(table[1]);
    for line in &table[1..table.len() - 1] {
        if !line.starts_with('╞') {
            assert_eq!(columns(line), want, "{line}");
        }
    }
}

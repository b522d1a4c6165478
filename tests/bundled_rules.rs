//! The bundled rule library: it loads, every citation points at real text,
//! every rule is tested and indexed, and the examples say what the README
//! says they do.

mod common;
use common::*;

use std::collections::BTreeSet;
use std::path::Path;

use cncomply::bundled;
use cncomply::model::RuleSet;
use cncomply::ruletest;

fn library() -> RuleSet {
    match RuleSet::load(&bundled::rule_files()) {
        Ok(r) => r,
        Err(e) => {
            let problems: Vec<String> = e
                .problems
                .iter()
                .map(|p| {
                    let (f, l, c, m) = p.position();
                    format!("{f}:{l}:{c}: {m}")
                })
                .collect();
            panic!("bundled rules do not load:\n{}", problems.join("\n"))
        }
    }
}

#[test]
fn bundled_library_loads() {
    let rules = library();
    assert!(rules.rules.len() >= 7, "only {} rules", rules.rules.len());
}

#[test]
fn seeds_are_unchanged_copies_of_the_newsletters() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let mut names: Vec<&str> = bundled::seed_names().collect();
    names.sort();
    assert_eq!(names.len(), 5, "{names:?}");
    if shared.is_dir() {
        for name in names {
            let theirs = std::fs::read_to_string(shared.join(name)).unwrap();
            assert_eq!(
                bundled::seed(name).unwrap(),
                theirs,
                "seeds/{name} differs from ../shared/seeds"
            );
        }
    }
}

#[test]
fn every_rule_cites_a_bundled_newsletter_and_a_heading_that_occurs_in_it() {
    let rules = library();
    let mut bad = Vec::new();
    for r in &rules.rules {
        match bundled::seed(&r.source.file) {
            None => bad.push(format!("{}: cites {}, not in seeds/", r.id, r.source.file)),
            Some(text) => {
                if !text.contains(r.source.section.as_str()) {
                    bad.push(format!(
                        "{}: heading {:?} not found in {}",
                        r.id, r.source.section, r.source.file
                    ));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} bad citations:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn every_rule_test_passes_and_every_rule_is_tested() {
    let rules = library();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/tests");
    let mut outcome = ruletest::Outcome::default();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        ruletest::run_file(&f.display().to_string(), &text, &rules, &mut outcome);
    }
    let failures: Vec<String> = outcome
        .failures
        .iter()
        .map(|f| {
            format!(
                "{} › {} [{}]: {}",
                f.file,
                f.case,
                f.rule.as_deref().unwrap_or("-"),
                f.message
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} rule-test failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let untested: Vec<&str> = rules
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !outcome.exercised.contains(*id))
        .collect();
    assert!(
        untested.is_empty(),
        "rules without a test case: {untested:?}"
    );
    assert!(outcome.passed > 0);
}

#[test]
fn coverage_index_lists_exactly_the_rules_that_exist() {
    let rules = library();
    let index =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/COVERAGE.md"))
            .unwrap();
    let ids: BTreeSet<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
    // Rule ids are written in backticks in the index.
    let mut cited = BTreeSet::new();
    for part in index.split('`').skip(1).step_by(2) {
        if part.contains('.')
            && !part.contains(' ')
            && !part.ends_with(".txt")
            && !part.ends_with(".rules")
            && !part.ends_with(".md")
            && !part.ends_with(".yaml")
        {
            cited.insert(part);
        }
    }
    let dangling: Vec<&&str> = cited.iter().filter(|c| !ids.contains(**c)).collect();
    assert!(
        dangling.is_empty(),
        "index names rules that do not exist: {dangling:?}"
    );
    let missing: Vec<&&str> = ids.iter().filter(|id| !cited.contains(**id)).collect();
    assert!(
        missing.is_empty(),
        "rules missing from rules/COVERAGE.md: {missing:?}"
    );
}

fn check_example(example: &str, as_of: &str) -> (i32, serde_json::Value) {
    let out = cncomply()
        .args([
            "check", example, "--format", "json", "--all", "--as-of", as_of,
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{example}: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), v)
}

fn status(v: &serde_json::Value, rule: &str) -> String {
    finding(v, rule)["status"].as_str().unwrap().to_string()
}

#[test]
fn every_example_profile_loads() {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")).unwrap()
    {
        let p = entry.unwrap().path();
        // The company file is not a product (README "The company file").
        if p.file_name().unwrap() == "company.yaml" {
            continue;
        }
        // examples/catalogue: its products (the waivers file beside them is
        // not a profile).
        let p = if p.is_dir() { p.join("products") } else { p };
        let (code, v) = check_example(&p.display().to_string(), "2026-11-23");
        assert!(code == 0 || code == 1, "{}: exit {code}", p.display());
        assert_eq!(v["errors"].as_array().unwrap().len(), 0);
    }
}

#[test]
fn starter_small_power_motor_ccc_from_2026_07_01() {
    let (_, v) = check_example("examples/small-power-motor.yaml", "2026-06-30");
    let f = finding(&v, "ccc.small-power-motor");
    assert_eq!(f["status"], "upcoming");
    assert_eq!(f["dates"]["days_left"], 1);
    let (code, v) = check_example("examples/small-power-motor.yaml", "2026-07-01");
    assert_eq!(status(&v, "ccc.small-power-motor"), "applies");
    assert_eq!(code, 1);
}

#[test]
fn starter_small_power_motor_voltage_band_and_exclusions() {
    let dir = tempfile::tempdir().unwrap();
    let run = |yaml: &str| {
        let p = dir.path().join("p.yaml");
        std::fs::write(&p, yaml).unwrap();
        let out = cncomply()
            .arg("check")
            .arg(&p)
            .args(["--format", "json", "--all", "--as-of", "2026-07-01"])
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let motor = |ac: &str, dc: &str| {
        format!("category: small-power motor\nattributes:\n  rated_voltage_ac_v: {ac}\n  rated_voltage_dc_v: {dc}\n")
    };
    assert_eq!(
        status(&run(&motor("36", "~")), "ccc.small-power-motor"),
        "not-applicable"
    );
    assert_eq!(
        status(&run(&motor("230", "~")), "ccc.small-power-motor"),
        "applies"
    );
    assert_eq!(
        status(&run(&motor("1000", "~")), "ccc.small-power-motor"),
        "not-applicable"
    );
    assert_eq!(
        status(&run(&motor("~", "1499")), "ccc.small-power-motor"),
        "applies"
    );
    assert_eq!(
        status(
            &run("category: small-power motor\n"),
            "ccc.small-power-motor"
        ),
        "needs-info"
    );
    // Seat-belt components are excluded from the safety-belt rule.
    let belt = run("category: webbing\n");
    let f = finding(&belt, "ccc.automobile-safety-belt");
    assert_eq!(f["status"], "not-applicable");
    assert!(
        f["reason"].as_str().unwrap().starts_with("excluded"),
        "{f:#}"
    );
    assert_eq!(
        status(&run("category: seat belt\n"), "ccc.automobile-safety-belt"),
        "applies"
    );
}

#[test]
fn starter_ev_charger_ccc_from_2026_08_01_is_met_by_certificate_and_mark() {
    let (_, v) = check_example("examples/ev-charger.yaml", "2026-07-31");
    assert_eq!(status(&v, "ccc.ev-charging-equipment"), "upcoming");
    let (_, v) = check_example("examples/ev-charger.yaml", "2026-08-01");
    assert_eq!(status(&v, "ccc.ev-charging-equipment"), "met");
}

#[test]
fn starter_washing_machine_energy_label_from_2027_04_01() {
    let (_, v) = check_example("examples/washing-machine.yaml", "2027-03-31");
    assert_eq!(status(&v, "energy-label.washing-machine"), "upcoming");
    let (_, v) = check_example("examples/washing-machine.yaml", "2027-04-01");
    assert_eq!(status(&v, "energy-label.washing-machine"), "applies");
}

#[test]
fn starter_rohs_gb_26572_2025_from_2027_08_01() {
    let (_, v) = check_example("examples/rohs-electrical-product.yaml", "2027-07-31");
    assert_eq!(status(&v, "rohs.gb-26572-2025"), "upcoming");
    let (_, v) = check_example("examples/rohs-electrical-product.yaml", "2027-08-01");
    assert_eq!(status(&v, "rohs.gb-26572-2025"), "applies");
}

#[test]
fn starter_overseas_barcode_filing_from_2026_05_01() {
    let (_, v) = check_example("examples/barcode-made-in-china.yaml", "2026-04-30");
    assert_eq!(status(&v, "barcode.overseas-code-filing"), "upcoming");
    let (_, v) = check_example("examples/barcode-made-in-china.yaml", "2026-05-01");
    assert_eq!(status(&v, "barcode.overseas-code-filing"), "applies");
}

#[test]
fn starter_cybersecurity_label_is_voluntary_and_informational() {
    let (_, v) = check_example("examples/connected-camera.yaml", "2026-07-01");
    let f = finding(&v, "cybersecurity-label.measures");
    assert_eq!(f["status"], "informational");
    assert_eq!(f["binding"], "voluntary");
    assert_eq!(f["evidence"]["met"], true, "{f:#}");
}

#[test]
fn starter_indoor_led_lighting_energy_label_from_2027_09_01() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("lamp.yaml");
    std::fs::write(&p, "name: LED panel\ncategory: LED lamp\nmade_in: NL\n").unwrap();
    let run = |as_of: &str| {
        let out = cncomply()
            .arg("check")
            .arg(&p)
            .args(["--format", "json", "--all", "--as-of", as_of])
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    assert_eq!(
        status(&run("2027-08-31"), "energy-label.indoor-led-lighting"),
        "upcoming"
    );
    assert_eq!(
        status(&run("2027-09-01"), "energy-label.indoor-led-lighting"),
        "applies"
    );
    // Not a lamp: the deadline does not concern a washing machine.
    let (_, v) = check_example("examples/washing-machine.yaml", "2027-09-01");
    assert_eq!(
        status(&v, "energy-label.indoor-led-lighting"),
        "not-applicable"
    );
}

/// The ways the newsletters write a date: "2026-07-01", "July 1, 2026",
/// "1 July 2026", "July 2026".
fn date_spellings(d: chrono::NaiveDate) -> Vec<String> {
    vec![
        d.format("%Y-%m-%d").to_string(),
        d.format("%B %-d, %Y").to_string(),
        d.format("%B %-d %Y").to_string(),
        d.format("%-d %B %Y").to_string(),
        d.format("%-d %B, %Y").to_string(),
        d.format("%B %Y").to_string(),
    ]
}

#[test]
fn every_rule_source_is_the_whole_article_with_its_dates_or_codes() {
    let rules = library();
    let mut bad = Vec::new();
    for r in &rules.rules {
        let text = bundled::seed(&r.source.file).unwrap();
        let s = cncomply::seeds::section(text, &r.source.section)
            .unwrap_or_else(|| panic!("{}: section not found", r.id));
        let first = s.text.lines().next().unwrap();
        if !cncomply::seeds::carries_heading(first, &r.source.section) {
            bad.push(format!("{}: starts at {first:?}", r.id));
        }
        // Not the index and not the takeaways summary: the article text.
        if s.first_line < cncomply::seeds::articles_begin(text) || first.contains('|') {
            bad.push(format!(
                "{}: line {} is before the articles",
                r.id, s.first_line
            ));
        }
        let mut dates: Vec<chrono::NaiveDate> = r.effective.iter().map(|c| c.date).collect();
        dates.extend(r.transitions.iter().map(|c| c.date));
        dates.extend(r.published);
        dates.extend(r.repealed);
        let mut codes: Vec<&str> = r.standards.iter().map(|s| s.as_str()).collect();
        codes.push(&r.instrument);
        let flat = s.text.replace('\n', " ");
        let has_date = dates
            .iter()
            .any(|d| date_spellings(*d).iter().any(|w| flat.contains(w.as_str())));
        let has_code = codes.iter().any(|c| flat.contains(c));
        if !dates.is_empty() && !has_date && !has_code {
            bad.push(format!(
                "{}: lines {}–{} name none of {dates:?} nor {codes:?}",
                r.id, s.first_line, s.last_line
            ));
        }
    }
    assert!(bad.is_empty(), "{} rules:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn source_of_the_eleven_ccc_rules_prints_the_list_of_codes_and_the_voltage_band() {
    let out = cncomply()
        .args(["source", "ccc.small-power-motor"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("CNCA-C04-01:2026"), "{stdout}");
    assert!(stdout.contains("1,000V AC or 1,500V DC"), "{stdout}");
    assert!(
        !stdout.contains("14. Official China Cybersecurity"),
        "{stdout}"
    );
}

/// Checking a past day shows only what was known then: every rule test
/// profile a rule is reported for, evaluated the day before the rule was
/// known (its publication date, else the last day of its newsletter's
/// issue), leaves the rule out of the report and says why with `--all`.
#[test]
fn no_rule_is_reported_on_a_day_before_it_was_known() {
    use cncomply::evaluate::{evaluate_with, known_from, Detail, Status};
    let rules = library();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/tests");
    let mut checked = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let file: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        for case in file["tests"].as_sequence().unwrap() {
            let Some(expect) = case["expect"].as_mapping() else {
                continue;
            };
            let profile = cncomply::profile::Profile::from_value(
                "test",
                case["profile"].clone(),
                &rules.vocabulary,
            )
            .unwrap();
            for (id, status) in expect {
                let (id, status) = (id.as_str().unwrap(), status.as_str().unwrap());
                if status == "not-applicable" {
                    continue;
                }
                let rule = rules.rule(id).unwrap();
                let known = known_from(rule)
                    .unwrap_or_else(|| panic!("{id}: every bundled rule has a known-from date"));
                let before = known.pred_opt().unwrap();
                let brief = evaluate_with(&rules, &profile, before, Detail::Brief);
                assert!(
                    brief.findings.iter().all(|f| f.rule.id != id),
                    "{id} is reported on {before}, before it was known on {known}"
                );
                let full = evaluate_with(&rules, &profile, before, Detail::Full);
                let f = full.findings.iter().find(|f| f.rule.id == id).unwrap();
                assert_eq!(f.status, Status::NotApplicable, "{id} on {before}");
                assert!(f.reason.contains("not yet known"), "{id}: {}", f.reason);
                checked.insert(id.to_string());
            }
        }
    }
    // Nearly every rule has a case where it is reported.
    assert!(
        checked.len() * 10 >= rules.rules.len() * 9,
        "{} of {}",
        checked.len(),
        rules.rules.len()
    );
}

#[test]
fn check_on_a_past_day_leaves_out_what_a_later_newsletter_reported() {
    // GB 26572-2025 is reported in the March–April 2026 issue; GB 44497-2024
    // too. Neither is shown on a day of 2025, and `--all` says why.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("tv.yaml");
    std::fs::write(
        &p,
        "name: TV\ncategory: electrical-product\nsold_in: [CN]\n",
    )
    .unwrap();
    let run = |as_of: &str, all: bool| {
        let mut cmd = cncomply();
        cmd.arg("check")
            .arg(&p)
            .args(["--as-of", as_of, "--format", "json"]);
        if all {
            cmd.arg("--all");
        }
        let out = cmd.output().unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let brief = run("2025-01-10", false);
    let ids: Vec<&str> = brief["products"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"rohs.gb-26572-2025"), "{ids:?}");
    assert!(ids.contains(&"rohs.gb-t-26572-2011"), "{ids:?}");
    let all = run("2025-01-10", true);
    let f = finding(&all, "rohs.gb-26572-2025");
    assert_eq!(f["status"], "not-applicable");
    assert!(
        f["reason"]
            .as_str()
            .unwrap()
            .contains("not yet known on 2025-01-10: first reported on 2026-04-30"),
        "{f:#}"
    );
    let known = run("2026-04-30", true);
    assert_eq!(finding(&known, "rohs.gb-26572-2025")["status"], "upcoming");
}

fn finding_for(rule: &str, profile_yaml: &str, as_of: &str) -> (String, String) {
    let rules = library();
    let value: serde_yaml::Value = serde_yaml::from_str(profile_yaml).unwrap();
    let profile = cncomply::profile::Profile::from_value("test", value, &rules.vocabulary).unwrap();
    let day = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
    let f = cncomply::evaluate::evaluate(&rules, &profile, day)
        .into_iter()
        .find(|f| f.rule.id == rule)
        .unwrap();
    (f.status.to_string(), f.reason)
}

#[test]
fn after_a_transition_the_finding_applies_since_the_day_after_it_ends() {
    let (status, reason) = finding_for(
        "ccc.qr-code-mark-pilot",
        "category: power-bank",
        "2027-03-01",
    );
    assert_eq!(status, "applies");
    assert!(reason.contains("applies since 2027-03-01"), "{reason}");
    let approved = "category: electric-vehicle\nattributes: { pure_electric: yes, vehicle_class: M1, max_design_total_mass_kg: 2000, type_approval_status: approved }";
    let (status, reason) = finding_for(
        "vehicle.gb-36980-1-2025-ev-energy-consumption",
        approved,
        "2028-01-01",
    );
    assert_eq!(status, "applies");
    assert!(reason.contains("applies since 2028-01-01"), "{reason}");
    // A new type never had a transition: in force since the standard's date.
    let new = "category: electric-vehicle\nattributes: { pure_electric: yes, vehicle_class: M1, max_design_total_mass_kg: 2000, type_approval_application_date: 2026-03-01 }";
    let (_, reason) = finding_for(
        "vehicle.gb-36980-1-2025-ev-energy-consumption",
        new,
        "2028-01-01",
    );
    assert_eq!(reason, "in force since 2026-01-01; not shown met");
}

#[test]
fn every_rule_is_cited_by_newsletter_issue_and_article_without_markup() {
    let rules = library();
    for r in &rules.rules {
        let c = bundled::citation(&r.source);
        assert!(
            c.starts_with("China Standardisation Newsletter, "),
            "{}: {c}",
            r.id
        );
        assert!(c.contains(", article "), "{}: {c}", r.id);
        assert!(!c.contains('<') && !c.contains("**"), "{}: {c}", r.id);
    }
    let fyp = rules
        .rules
        .iter()
        .find(|r| r.source.section.contains("<sup>"))
        .expect("a rule cites the 15<sup>th</sup> Five-Year Plan heading");
    let c = bundled::citation(&fyp.source);
    assert!(c.contains("China Charts 15th Five-Year Plan"), "{c}");
    assert!(c.contains("March–April 2026, article 8"), "{c}");
}

/// The rules re-classified against their newsletter text (issue 10): a
/// conduct ban or a general principle is not a product duty, a plan or a
/// translation binds no one, a product standard binds the product.
#[test]
fn rules_bind_whom_their_newsletter_text_says() {
    use cncomply::model::Party;
    let rules = library();
    for (id, party) in [
        ("rohs.eco-code-eee-design-duty", Party::Nobody),
        (
            "other.network-product-vulnerability-provisions",
            Party::Company,
        ),
        ("data-security.dsl-data-security-regime", Party::Company),
        ("other.sep-antitrust-guidelines", Party::Company),
        (
            "mandatory-standard.gb-19517-2023-english-translation-draft",
            Party::Nobody,
        ),
        (
            "carbon-footprint.carbon-label-certification-plan",
            Party::Nobody,
        ),
        (
            "other.ipv6-large-scale-deployment-notice-2021",
            Party::Nobody,
        ),
        ("energy-label.catalogue-2026", Party::Nobody),
        (
            "vehicle.iov-identity-authentication-pilot-2021",
            Party::Nobody,
        ),
        (
            "other.cnca-certification-rules-management-draft",
            Party::Nobody,
        ),
        (
            "data-security.gb-46864-2025-information-erasure",
            Party::Product,
        ),
        ("ccc.small-power-motor", Party::Product),
        ("rohs.gb-26572-2025", Party::Product),
    ] {
        let r = rules.rule(id).unwrap_or_else(|| panic!("no rule {id}"));
        assert_eq!(r.binds, party, "{id}");
    }
    // Every bundled rule states whom it binds (lint refuses it otherwise).
    for f in bundled::rule_files() {
        for block in f.text.split("\nrule ").skip(1) {
            let body = block.split("\nend").next().unwrap();
            assert!(
                body.lines().any(|l| l.trim_start().starts_with("binds ")),
                "{}: rule {} has no binds clause",
                f.name,
                body.lines().next().unwrap()
            );
        }
    }
}

/// The examples at 2026-12-01: each product's own findings are about the
/// product (no company duty, plan or draft among them) and keep every product
/// obligation they showed before.
#[test]
fn examples_show_their_own_obligations_and_no_company_or_plan_rule() {
    let expected: [(&str, &[&str]); 6] = [
        (
            "washing-machine",
            &[
                "ccc.household-0705-washing-machine",
                "energy-label.washing-machine",
                "rohs.gb-26572-2025",
                "barcode.commodity-barcode-measures-2026",
            ],
        ),
        (
            "connected-camera",
            &[
                "cybersecurity-label.measures",
                "rohs.gb-26572-2025",
                "barcode.gb-12904-retail-numbering",
            ],
        ),
        (
            "small-power-motor",
            &["ccc.small-power-motor", "rohs.gb-26572-2025"],
        ),
        (
            "ev-charger",
            &[
                "ccc.ev-charging-equipment",
                "mandatory-standard.gb-39752-2024",
                "mandatory-standard.gb-44263-2024",
            ],
        ),
        (
            "barcode-made-in-china",
            &[
                "barcode.overseas-code-filing",
                "ccc.household-0717-liquid-heater",
            ],
        ),
        ("rohs-electrical-product", &["rohs.gb-26572-2025"]),
    ];
    for (example, wanted) in expected {
        let out = cncomply()
            .args([
                "check",
                &format!("examples/{example}.yaml"),
                "--format",
                "json",
                // Schema 1 states `binds` and `section` in each finding.
                "--json-schema-version",
                "1",
                "--as-of",
                "2026-12-01",
            ])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let findings = v["products"][0]["findings"].as_array().unwrap();
        for f in findings {
            assert_ne!(f["binds"], "company", "{example}: {}", f["rule_id"]);
            if f["section"] == "watch" {
                assert_ne!(f["status"], "needs-info", "{example}: {}", f["rule_id"]);
                assert_eq!(f["fails"], false, "{example}: {}", f["rule_id"]);
            }
        }
        let product: Vec<&str> = findings
            .iter()
            .filter(|f| f["section"] == "product")
            .map(|f| f["rule_id"].as_str().unwrap())
            .collect();
        for id in wanted {
            assert!(product.contains(id), "{example} lost {id}: {product:?}");
        }
        for noise in [
            "other.sep-antitrust-guidelines",
            "other.network-product-vulnerability-provisions",
            "rohs.eco-code-eee-design-duty",
            "other.5g-application-action-plan-2021",
            "carbon-footprint.fyp15-carbon-standards-plan",
            "other.cnca-certification-rules-management-draft",
            "procurement.domestic-product-price-deduction-draft",
            "rohs.revision-draft-2024",
        ] {
            assert!(!product.contains(&noise), "{example} shows {noise}");
        }
    }
}

/// `cncomply explain RULE --profile` over the bundled rules for an inline
/// profile. Returns (exit code, stdout).
fn explain_for(rule: &str, profile_yaml: &str, as_of: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("product.yaml");
    std::fs::write(&p, profile_yaml).unwrap();
    let out = cncomply()
        .args(["explain", rule, "--as-of", as_of, "--profile"])
        .arg(&p)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// Where the household CCC table cites a part 2 standard per kind of
/// product, a certificate to GB/T 4706.1-2024 alone does not meet the
/// kind's rule and the evidence line names the part 2 standard it lacks;
/// with both standards it is met; the row's category alone asks which kind.
#[test]
fn household_ccc_kinds_need_their_own_part_2_standard() {
    let kinds = [
        (
            "ccc.household-0702-electric-fan",
            "non-evaporative air cooler",
            "air cooler",
            &["GB/T 4706.27"][..],
        ),
        (
            "ccc.household-0702-evaporative-air-cooler",
            "evaporative air cooler",
            "air cooler",
            &["GB/T 4706.115"],
        ),
        (
            "ccc.household-0706-water-heater",
            "storage water heater",
            "water heater",
            &["GB/T 4706.12"],
        ),
        (
            "ccc.household-0706-instant-water-heater",
            "instant water heater",
            "water heater",
            &["GB/T 4706.11"],
        ),
        (
            "ccc.household-0711-induction-cooker",
            "portable induction cooker",
            "induction cooker",
            &["GB/T 4706.14"],
        ),
        (
            "ccc.household-0711-freestanding-induction-cooker",
            "freestanding induction cooker",
            "induction cooker",
            &["GB/T 4706.22"],
        ),
        (
            "ccc.household-0717-liquid-heater",
            "kettle",
            "liquid-heater",
            &["GB/T 4706.19"],
        ),
        (
            "ccc.household-0717-water-dispenser",
            "water dispenser",
            "liquid-heater",
            &["GB/T 4706.19", "GB/T 4706.13"],
        ),
    ];
    let cert = |stds: &[&str]| {
        let list: Vec<String> = stds.iter().map(|s| format!("\"{s}\"")).collect();
        format!(
            "evidence:\n  certificates: [{{scheme: ccc, number: C1, valid_until: 2031-06-30, standards: [{}]}}]\n",
            list.join(", ")
        )
    };
    for (rule, kind, group, part2) in kinds {
        let alone = format!("name: P\ncategory: {kind}\n{}", cert(&["GB/T 4706.1-2024"]));
        let (code, out) = explain_for(rule, &alone, "2026-08-01");
        assert_eq!(code, 0, "{rule}: {out}");
        assert!(out.contains("Status       applies"), "{rule}: {out}");
        for std in part2 {
            assert!(
                out.contains(&format!("is to GB/T 4706.1-2024; it must be to {std}")),
                "{rule} does not name the missing {std}: {out}"
            );
        }
        let mut both = vec!["GB/T 4706.1-2024"];
        both.extend(part2);
        let full = format!("name: P\ncategory: {kind}\n{}", cert(&both));
        let (_, out) = explain_for(rule, &full, "2026-08-01");
        assert!(
            out.contains("Status       met"),
            "{rule} with {both:?}: {out}"
        );
        let (_, out) = explain_for(rule, &format!("name: P\ncategory: {group}\n"), "2026-08-01");
        assert!(
            out.contains("Status       needs-info"),
            "{rule} for {group}: {out}"
        );
    }
}

/// Markup of the newsletters or the rule files never reaches a reader:
/// no `<sup>`, no closing tag, no `**`, no doubled parentheses (an
/// explanation's "({users})" with the fact not given reads "(not given)").
/// Checked over what `explain` prints for every bundled rule and over the
/// findings of every rule-test profile, as written and with its attributes
/// left out (so every `{fact}` is "not given").
#[test]
fn no_markup_leaks_into_titles_explanations_or_citations() {
    use cncomply::evaluate::{evaluate_with, Detail};
    const MARKUP: [&str; 7] = ["((", "))", "<sup", "</", "**", "<br", "{"];
    let leak = |what: &str, text: &str| {
        let found: Vec<&str> = MARKUP
            .iter()
            .copied()
            .filter(|m| text.contains(m))
            .collect();
        assert!(found.is_empty(), "{what} shows {found:?}: {text}");
    };
    let rules = library();
    for r in &rules.rules {
        let described = cncomply::describe::rule(r, &rules.vocabulary);
        // `explain` quotes the template with its `{fact}` placeholders, and
        // a topic name may end in its own parentheses ("Certification
        // (CCC))"): braces and doubled parentheses are held to the rendered
        // texts below.
        let without_template = described.replace(r.explain.as_str(), "");
        for m in MARKUP.iter().filter(|m| !["{", "((", "))"].contains(m)) {
            assert!(
                !without_template.contains(m),
                "`explain {}` shows {m}: {without_template}",
                r.id
            );
        }
        leak(&format!("{} citation", r.id), &bundled::citation(&r.source));
        leak(&format!("{} title", r.id), &r.title);
        leak(&format!("{} obligation", r.id), &r.obligation);
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/tests");
    let mut findings = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let file: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        for case in file["tests"].as_sequence().unwrap() {
            let as_of = chrono::NaiveDate::parse_from_str(
                case["as_of"].as_str().unwrap_or("2026-12-01"),
                "%Y-%m-%d",
            )
            .unwrap_or(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
            let mut bare = case["profile"].clone();
            if let Some(m) = bare.as_mapping_mut() {
                m.remove("attributes");
            }
            for value in [case["profile"].clone(), bare] {
                let Ok(profile) =
                    cncomply::profile::Profile::from_value("test", value, &rules.vocabulary)
                else {
                    continue;
                };
                for f in evaluate_with(&rules, &profile, as_of, Detail::Full).findings {
                    leak(&format!("{} explanation", f.rule.id), &f.explanation);
                    leak(&format!("{} reason", f.rule.id), &f.reason);
                    findings += 1;
                }
            }
        }
    }
    assert!(findings > 100_000, "only {findings} findings checked");
}

/// A rule superseded before its successor is known would leave days on
/// which neither is reported: every supersession takes effect no earlier
/// than the day its successor is known (`published`, else the last day of
/// its newsletter's issue).
#[test]
fn no_rule_is_superseded_before_its_successor_is_known() {
    use cncomply::evaluate::known_from;
    let rules = library();
    let mut pairs = 0;
    for r in &rules.rules {
        let Some(s) = &r.superseded_by else { continue };
        let on =
            s.on.unwrap_or_else(|| panic!("{}: supersession has a date", r.id));
        let next = rules.rule(&s.by).unwrap();
        let known = known_from(next).unwrap();
        assert!(
            known <= on,
            "{} is superseded on {on} but {} is known only from {known}",
            r.id,
            next.id
        );
        pairs += 1;
    }
    assert!(pairs >= 10, "{pairs} supersessions");
}

/// The draft→final pairs that once had a gap: on every day from the
/// draft's old supersession date to well after the final text is known,
/// exactly one of the two is reported.
#[test]
fn exactly_one_of_a_draft_and_its_final_text_is_reported_every_day() {
    use cncomply::evaluate::{evaluate_with, Detail, Status};
    let rules = library();
    let cases = [
        (
            "vehicle.gb-18384-revision-draft-2025",
            "vehicle.gb-18384-2025-ev-safety",
            "category: electric-vehicle\nattributes: {type_approval_application_date: 2026-09-01}",
            "2026-04-01",
            "2026-05-31",
        ),
        (
            "mandatory-standard.icv-dssad-planned-2021",
            "vehicle.gb-44497-2024-ads-data-storage",
            "category: motor-vehicle\nattributes: {automated_driving_function: yes, driving_automation_level: 3}",
            "2025-12-01",
            "2026-05-31",
        ),
        (
            "carbon-footprint.cfp-quantification-standard-draft",
            "carbon-footprint.gbt-24067-2024",
            "category: photovoltaic-product\nattributes: {declares_carbon_footprint: yes}",
            "2024-08-01",
            "2024-09-30",
        ),
    ];
    for (draft, last, profile, from, to) in cases {
        let value: serde_yaml::Value = serde_yaml::from_str(profile).unwrap();
        let profile =
            cncomply::profile::Profile::from_value("test", value, &rules.vocabulary).unwrap();
        let mut day = chrono::NaiveDate::parse_from_str(from, "%Y-%m-%d").unwrap();
        let to = chrono::NaiveDate::parse_from_str(to, "%Y-%m-%d").unwrap();
        let (mut drafts, mut finals) = (0, 0);
        while day <= to {
            let reported: Vec<&str> = evaluate_with(&rules, &profile, day, Detail::Brief)
                .findings
                .iter()
                .filter(|f| f.status != Status::NotApplicable)
                .map(|f| f.rule.id.as_str())
                .filter(|id| *id == draft || *id == last)
                .collect();
            assert_eq!(reported.len(), 1, "{day}: {reported:?} of {draft} / {last}");
            if reported[0] == draft {
                drafts += 1;
            } else {
                finals += 1;
            }
            day = day.succ_opt().unwrap();
        }
        assert!(
            drafts > 0 && finals > 0,
            "{draft}: {drafts} / {finals} days"
        );
    }
}

/// Every example profile under `examples/`, loaded against `rules`.
fn example_profiles(rules: &RuleSet) -> Vec<cncomply::profile::Profile> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
        &mut paths,
    );
    paths.sort();
    paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            // The company file and the waivers are not product profiles.
            cncomply::profile::Profile::from_yaml(
                &p.display().to_string(),
                &text,
                &rules.vocabulary,
            )
            .ok()
        })
        .collect()
}

#[test]
fn the_status_alone_is_the_status_of_the_complete_finding() {
    use cncomply::evaluate::{evaluate_known, status_of, Context, Status};
    let rules = library();
    let profiles = example_profiles(&rules);
    assert!(profiles.len() >= 20, "{} example profiles", profiles.len());
    let mut seen = BTreeSet::new();
    // Before most rules were known, through their dates, to after them.
    for year in 2019..=2031 {
        let as_of = chrono::NaiveDate::from_ymd_opt(year, 7, 1).unwrap();
        for p in &profiles {
            let ctx = Context {
                vocab: &rules.vocabulary,
                profile: p,
                as_of,
            };
            for r in &rules.rules {
                let full = evaluate_known(r, &ctx).status;
                assert_eq!(
                    status_of(r, &ctx),
                    full,
                    "{} on {} at {as_of}",
                    r.id,
                    p.origin
                );
                seen.insert(full);
            }
        }
    }
    // The early answers (not applicable, needs-info, informational) and
    // the late ones are all among those compared.
    for s in [
        Status::NotApplicable,
        Status::NeedsInfo,
        Status::Informational,
        Status::Applies,
        Status::Upcoming,
        Status::Met,
    ] {
        assert!(seen.contains(&s), "no {s} among {seen:?}");
    }
}

#[test]
fn a_category_is_under_exactly_the_categories_of_its_lineage() {
    let rules = library();
    let v = &rules.vocabulary;
    for c in 0..v.categories.len() {
        let lineage = v.lineage(c);
        for a in 0..v.categories.len() {
            assert_eq!(
                v.is_a(c, a),
                lineage.contains(&a),
                "{} under {}",
                v.categories[c].id,
                v.categories[a].id
            );
        }
    }
    // The form the binary loads (compiled by build.rs) answers the same.
    let compiled = bundled::rule_set().unwrap();
    let moped = compiled
        .vocabulary
        .category_by_id("washing-machine")
        .unwrap();
    for a in 0..v.categories.len() {
        assert_eq!(compiled.vocabulary.is_a(moped, a), v.is_a(moped, a));
    }
}

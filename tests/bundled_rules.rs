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
                if !text.contains(&r.source.section) {
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

#[test]
fn every_cited_section_is_found_as_an_article_not_an_index_line() {
    let rules = library();
    for r in &rules.rules {
        let text = bundled::seed(&r.source.file).unwrap();
        let s = cncomply::seeds::section(text, &r.source.section)
            .unwrap_or_else(|| panic!("{}: section not found", r.id));
        let first = s.text.lines().next().unwrap();
        assert!(
            first.contains(&r.source.section) && !first.contains('|'),
            "{}: starts at {first:?}",
            r.id
        );
        let len = s.last_line + 1 - s.first_line;
        assert!(
            (2..=200).contains(&len),
            "{}: {len} lines ({}–{})",
            r.id,
            s.first_line,
            s.last_line
        );
    }
}

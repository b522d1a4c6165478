//! A product catalogue in one run: directories, globs and standard input,
//! a summary per product, one broken profile that does not stop the rest.

mod common;
use common::*;

use predicates::prelude::*;

/// Profiles in tests/fixtures/catalogue that load (the broken one aside).
const GOOD_PROFILES: usize = 22;

fn catalogue_json(extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = check_catalogue(&args);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\n{err}"));
    (code, v)
}

#[test]
fn a_directory_is_searched_recursively_and_a_broken_profile_does_not_stop_the_rest() {
    let (code, v) = catalogue_json(&[]);
    assert_eq!(code, 2, "a broken profile makes the run exit 2");
    let products = v["products"].as_array().unwrap();
    assert_eq!(products.len(), GOOD_PROFILES);
    assert_eq!(v["totals"]["products"], GOOD_PROFILES);
    // Both extensions are read, README.txt is not.
    assert!(products.iter().any(|p| p["profile"]
        .as_str()
        .unwrap()
        .ends_with("m12-low-voltage.yml")));
    assert!(!products
        .iter()
        .any(|p| p["profile"].as_str().unwrap().ends_with(".txt")));
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0]["profile"],
        "tests/fixtures/catalogue/broken/unknown-attribute.yaml"
    );
    assert_eq!(errors[0]["line"], 4);
    assert_eq!(errors[0]["column"], 3);
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("unknown attribute `rated_voltge_ac_v`"));
    assert_eq!(v["totals"]["errors"], 1);
}

#[test]
fn directory_contents_are_checked_in_sorted_order() {
    let (_, v) = catalogue_json(&[]);
    let paths: Vec<&str> = v["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["profile"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn the_catalogue_has_every_status() {
    let (_, v) = catalogue_json(&["--all"]);
    let by = &v["totals"]["by_status"];
    for key in [
        "applies",
        "in_transition",
        "needs_info",
        "upcoming",
        "met",
        "informational",
        "not_applicable",
    ] {
        assert!(
            by[key].as_u64().unwrap() > 0,
            "no {key} in the catalogue: {by}"
        );
    }
    assert_eq!(by["applies"], 7);
    assert_eq!(by["waived"], 0);
    let expired = product(&v, "m230-expired-certificate.yaml");
    assert_eq!(expired["summary"]["applies"], 1);
    assert_eq!(product(&v, "m230-certified.yaml")["summary"]["met"], 1);
    assert_eq!(
        product(&v, "washer-wifi-certified.yaml")["summary"]["in_transition"],
        1
    );
    assert_eq!(
        product(&v, "ev-existing-type.yaml")["nearest_deadline"],
        "2027-01-01"
    );
}

#[test]
fn table_shows_a_summary_per_product_then_a_tally() {
    let (code, out, err) = check_catalogue(&[]);
    assert_eq!(code, 2);
    assert!(out.contains("Nearest deadline"), "{out}");
    assert!(out.contains("AquaWash 9 Connect"), "{out}");
    assert!(
        out.contains("1 in-transition, 1 needs-info, 1 upcoming"),
        "{out}"
    );
    assert!(out.contains("2027-01-01 (39 days)"), "{out}");
    assert!(out.contains("FAIL (1)"), "{out}");
    // Details only on demand.
    assert!(!out.contains("Obligation and why"), "{out}");
    // The broken profile is named with its location, on both streams.
    assert!(
        out.contains(
            "error: tests/fixtures/catalogue/broken/unknown-attribute.yaml:4:3: unknown attribute"
        ),
        "{out}"
    );
    assert!(err.contains("did you mean"), "{err}");
    let last = out.lines().last().unwrap();
    assert_eq!(
        last,
        "22 products checked against 8 rules as of 2026-11-23: 7 unmet obligations in force, 1 profile with errors"
    );
}

#[test]
fn details_adds_each_products_findings() {
    let (_, out, _) = check_catalogue(&["--details"]);
    assert!(out.contains("Nearest deadline"));
    assert!(out.contains("Obligation and why"));
    assert!(
        out.contains("M-230X motor with a lapsed certificate — motor"),
        "{out}"
    );
    assert!(out.contains("expired on 2026-10-31"), "{out}");
}

#[test]
fn globs_pick_files_and_a_glob_that_matches_nothing_is_an_error() {
    cncomply()
        .args([
            "check",
            "--rules",
            "tests/fixtures/rules",
            "--as-of",
            CATALOGUE_AS_OF,
        ])
        .args(["--format", "json", "tests/fixtures/catalogue/belts/*.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"name\": \"Belt B1\""))
        .stdout(predicate::str::contains("\"name\": \"Webbing W1\""))
        .stdout(predicate::str::contains("\"products\": 3"));
    let out = cncomply()
        .args([
            "check",
            "--rules",
            "tests/fixtures/rules",
            "--as-of",
            CATALOGUE_AS_OF,
        ])
        .args(["--format", "json", "tests/fixtures/catalogue/belts/*.yaml"])
        .arg("tests/fixtures/catalogue/nothing-*.yaml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["products"].as_array().unwrap().len(), 3);
    assert_eq!(
        v["errors"][0]["profile"],
        "tests/fixtures/catalogue/nothing-*.yaml"
    );
    assert_eq!(v["errors"][0]["message"], "no file matches this pattern");
}

#[test]
fn recursive_glob_reaches_subdirectories() {
    let out = cncomply()
        .args([
            "check",
            "--rules",
            "tests/fixtures/rules",
            "--as-of",
            CATALOGUE_AS_OF,
        ])
        .args([
            "--format",
            "json",
            "tests/fixtures/catalogue/**/camera-*.y*ml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["products"], 3);
}

#[test]
fn files_directories_and_stdin_mix_and_a_file_is_checked_once() {
    let out = cncomply()
        .args([
            "check",
            "--rules",
            "tests/fixtures/rules",
            "--as-of",
            CATALOGUE_AS_OF,
        ])
        .args(["--format", "json"])
        .args([
            "tests/fixtures/catalogue/cameras",
            "tests/fixtures/catalogue/cameras/camera-offline.yml",
            "-",
        ])
        .write_stdin("name: from stdin\ncategory: washer\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["CamLink 2", "CamLink 3", "CamLocal", "from stdin"]);
}

#[test]
fn a_directory_without_profiles_is_an_error_for_that_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a profile").unwrap();
    cncomply()
        .args(["check", "--rules", "tests/fixtures/rules"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "no *.yaml, *.yml or *.json profiles in this directory",
        ));
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_is_reported_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        sub.join("motor.yaml"),
        "name: looped motor\ncategory: motor\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path(), sub.join("back-to-top")).unwrap();
    std::os::unix::fs::symlink("self.yaml", dir.path().join("self.yaml")).unwrap();
    let out = check_json(dir.path());
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["products"], 1, "the motor is checked once");
    let errors = v["errors"].to_string();
    assert!(errors.contains("back-to-top"), "{errors}");
    assert!(errors.contains("symbolic link loop"), "{errors}");
    assert!(errors.contains("self.yaml"), "{errors}");
}

#[test]
fn a_single_rejected_profile_still_prints_no_findings() {
    cncomply()
        .args(["check", "--rules", "tests/fixtures/rules"])
        .arg("tests/fixtures/catalogue/broken/unknown-attribute.yaml")
        .args(["--format", "sarif", "-o", "json:/dev/null"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("unknown-attribute.yaml:4"));
}

#[test]
fn one_product_keeps_the_detailed_table() {
    let (code, out, _) = check_fixture("name: solo\ncategory: belt\n", CATALOGUE_AS_OF, &[]);
    assert_eq!(code, 1);
    assert!(out.contains("Obligation and why"), "{out}");
    assert!(!out.contains("Nearest deadline"), "{out}");
}

/// The walk knows a plain file's real path from its directory's; a link to
/// it, whose real path is looked up, is still the same product.
#[cfg(unix)]
#[test]
fn a_link_to_a_profile_in_the_same_catalogue_is_checked_once() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("motors");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("motor.yaml"), "name: one motor\ncategory: motor\n").unwrap();
    std::os::unix::fs::symlink(sub.join("motor.yaml"), dir.path().join("alias.yaml")).unwrap();
    let out = check_json(dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["products"], 1, "{v}");
}

/// `check DIR --format json` against the fixture rules.
fn check_json(dir: &std::path::Path) -> std::process::Output {
    cncomply()
        .args([
            "check",
            "--rules",
            "tests/fixtures/rules",
            "--format",
            "json",
        ])
        .arg(dir)
        .output()
        .unwrap()
}

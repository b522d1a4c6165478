//! Profiles as a new user writes them from a plain product description
//! (issue 11): every category name `categories` prints resolves, unknown
//! names get a "did you mean" with the parent that would apply, categories
//! and stated facts agree, every value is checked and every problem of a
//! profile is reported in one run.

mod common;
use common::*;

use cncomply::bundled;
use cncomply::model::RuleSet;

fn library() -> RuleSet {
    RuleSet::load(&bundled::rule_files()).expect("bundled rules load")
}

/// `cncomply check` of `yaml` with the bundled rules. (code, stdout, stderr)
fn check_bundled(yaml: &str, extra: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("product.yaml");
    std::fs::write(&p, yaml).unwrap();
    let out = cncomply()
        .arg("check")
        .arg(&p)
        .args(["--as-of", "2026-07-01"])
        .args(extra)
        .output()
        .unwrap();
    outcome(out)
}

fn finding_status(yaml: &str, as_of: &str, rule: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("product.yaml");
    std::fs::write(&p, yaml).unwrap();
    let out = cncomply()
        .arg("check")
        .arg(&p)
        .args(["--as-of", as_of, "--format", "json", "--all"])
        .output()
        .unwrap();
    let (_, stdout, stderr) = outcome(out);
    let v: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    finding(&v, rule)["status"].as_str().unwrap().to_string()
}

#[test]
fn every_display_name_and_alias_resolves_to_its_category() {
    let rules = library();
    let v = &rules.vocabulary;
    let mut checked = 0;
    for (i, c) in v.categories.iter().enumerate() {
        for name in std::iter::once(&c.id)
            .chain(std::iter::once(&c.name))
            .chain(c.aliases.iter())
        {
            for written in [
                name.to_string(),
                name.to_uppercase(),
                name.replace(' ', "-"),
                format!("  {name} "),
            ] {
                assert_eq!(
                    v.resolve_category(&written).map(|f| &v.categories[f].id),
                    Some(&v.categories[i].id),
                    "`{written}` should name `{}`",
                    c.id
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 1500, "only {checked} names checked");
}

#[test]
fn display_names_from_the_issue_resolve() {
    for (written, id) in [
        ("Automobile safety belt", "automobile-safety-belt"),
        ("Vehicle travelling data recorder", "vehicle-data-recorder"),
        ("Low-speed vehicle", "low-speed-vehicle"),
        ("Electric vehicle", "electric-vehicle"),
        ("Model aircraft", "model-aircraft"),
        ("seat-belt", "automobile-safety-belt"),
        ("ＬＥＤ bulb", "led-bulb"),
        ("洗衣机", "washing-machine"),
    ] {
        let (code, out, err) =
            check_bundled(&format!("category: {written}\n"), &["--format", "json"]);
        assert!(code != 2, "`{written}` refused: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["products"][0]["category"]["id"], id, "`{written}`");
    }
}

#[test]
fn everyday_goods_resolve_to_their_own_category() {
    for (written, id) in [
        ("laptop", "laptop"),
        ("computer", "computer"),
        ("smartphone", "smartphone"),
        ("tablet", "tablet-computer"),
        ("network switch", "network-switch"),
        ("smart plug", "smart-plug"),
        ("LED bulb", "led-bulb"),
        ("luminaire", "luminaire"),
        ("ceramic mug", "ceramic-tableware"),
        ("tableware", "tableware"),
        ("gearbox", "gearbox"),
        ("detergent", "detergent"),
    ] {
        let (code, out, err) =
            check_bundled(&format!("category: {written}\n"), &["--format", "json"]);
        assert!(code != 2, "`{written}` refused: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["products"][0]["category"]["id"], id, "`{written}`");
    }
}

#[test]
fn an_unknown_category_is_suggested_with_its_parent_and_the_caret_is_on_the_value() {
    let (code, _, err) = check_bundled("name: X\ncategory: laptp\n", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown category \"laptp\""), "{err}");
    assert!(
        err.contains("`laptop` (Laptop computer, under computer)"),
        "{err}"
    );
    assert!(
        err.contains("a broader category whose rules reach it: `computer`"),
        "{err}"
    );
    // The caret is under the value (column 11), not the key.
    assert!(err.contains("product.yaml:2:11"), "{err}");
}

#[test]
fn a_name_nothing_is_close_to_lists_the_broad_categories() {
    let (code, _, err) = check_bundled("category: zzqqxx\n", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("no category is close"), "{err}");
    assert!(err.contains("`electrical-product`"), "{err}");
}

#[test]
fn bulb_hob_and_cooktop_no_longer_settle_silently() {
    let (code, _, err) = check_bundled("category: bulb\n", &[]);
    assert_eq!(code, 2, "`bulb` must make the profile choose: {err}");
    assert!(
        err.contains("`led-bulb` (LED bulb, under indoor-led-lighting)"),
        "{err}"
    );
    assert!(err.contains("(lamp-assembly-component"), "{err}");
    for written in ["hob", "cooktop"] {
        let (code, _, err) = check_bundled(&format!("category: {written}\n"), &[]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("(gas-appliance"), "{written}: {err}");
        assert!(err.contains("(electric-stove"), "{written}: {err}");
    }
}

#[test]
fn a_parent_category_asks_which_kind_instead_of_settling_not_applicable() {
    for (written, rule) in [
        ("welding machine", "ccc.welding-machine"),
        ("power tool", "ccc.electric-tool"),
    ] {
        let yaml = format!("category: {written}\n");
        assert_eq!(
            finding_status(&yaml, "2026-07-01", rule),
            "needs-info",
            "{written}"
        );
    }
    let (_, out, _) = check_bundled("category: welding machine\n", &[]);
    assert!(
        out.contains("category which kind of welding-machine it is: resistance-welding-machine, ddc-arc-welding-machine, tig-arc-welding-machine"),
        "{out}"
    );
    assert!(out.contains("needed by ccc.welding-machine"), "{out}");
}

#[test]
fn a_category_gives_the_fact_it_implies_and_refuses_the_opposite() {
    // A home camera is a connected product: it connects to a network.
    assert_eq!(
        finding_status(
            "category: home camera\nattributes:\n  in_cybersecurity_label_catalogue: yes\n",
            "2026-07-01",
            "cybersecurity-label.measures"
        ),
        "informational"
    );
    let (code, _, err) = check_bundled(
        "category: home camera\nattributes:\n  connects_to_network: no\n",
        &[],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "`attributes.connects_to_network: no` contradicts `category: home camera` (line 1)"
        ),
        "{err}"
    );
    assert!(err.contains("product.yaml:3"), "{err}");
}

#[test]
fn facts_that_were_only_categories_can_be_stated_on_any_product() {
    let rule = "data-security.gb-46864-2025-information-erasure";
    let base = "category: laptop\nattributes:\n  has_non_volatile_storage: yes\n";
    assert_eq!(finding_status(base, "2027-01-01", rule), "applies");
    let secret = format!("{base}  processes_national_secrets: yes\n");
    assert_eq!(
        finding_status(&secret, "2027-01-01", rule),
        "not-applicable"
    );
    // Stating the fact does not make a laptop a camera or anything broader.
    let cam = "category: home camera\nattributes:\n  for_public_security_use: yes\n";
    assert_eq!(
        finding_status(
            cam,
            "2026-07-01",
            "cybersecurity-label.catalogue-cameras-draft-2025"
        ),
        "not-applicable"
    );
}

#[test]
fn list_items_are_checked_against_their_declared_values() {
    let (code, _, err) = check_bundled(
        "category: laptop\nattributes:\n  carries_commodity_barcode: yes\n  barcode_uses: [retal]\n",
        &[],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("\"retal\" is not one of the items `attributes.barcode_uses` may hold"),
        "{err}"
    );
    assert!(err.contains("did you mean `retail`?"), "{err}");
}

#[test]
fn countries_are_checked_against_iso_3166() {
    for (written, hint) in [
        ("XX", "not an assigned ISO 3166-1 code"),
        ("ZZ", "not an assigned ISO 3166-1 code"),
        ("Germany", "DE for Germany"),
    ] {
        let (code, _, err) = check_bundled(&format!("category: laptop\nmade_in: {written}\n"), &[]);
        assert_eq!(code, 2, "{written}: {err}");
        assert!(err.contains(hint), "{written}: {err}");
    }
    let (code, _, err) = check_bundled("category: laptop\nmade_in: de\nsold_in: [CN, JP]\n", &[]);
    assert_ne!(code, 2, "{err}");
}

#[test]
fn an_empty_evidence_list_says_what_evidence_holds() {
    let (code, _, err) = check_bundled("category: laptop\nevidence: []\n", &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`certificates`, `labels` and `filings`"),
        "{err}"
    );
    assert!(err.contains("leave `evidence` out"), "{err}");
}

#[test]
fn unknown_schemes_get_the_nearest_scheme() {
    let (code, _, err) = check_bundled(
        "category: laptop\nevidence:\n  certificates:\n    - scheme: ccc-certificate\n  filings:\n    - scheme: test report\n",
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown certificate scheme `ccc-certificate`"),
        "{err}"
    );
    assert!(err.contains("did you mean `ccc`?"), "{err}");
}

const FIVE_MISTAKES: &str = "\
name: Draft
category: laptp
made_in: XX
placed_on_market: 2026-02-30
attributes:
  rated_voltage_ac_v: \"230 V\"
evidence: []
";

#[test]
fn five_independent_mistakes_are_reported_in_one_run() {
    let (code, out, err) = check_bundled(FIVE_MISTAKES, &[]);
    assert_eq!(code, 2);
    assert_eq!(out, "", "no report that could look like a pass");
    for (line, words) in [
        (2, "unknown category \"laptp\""),
        (3, "\"XX\" is not a country code"),
        (4, "\"2026-02-30\" is not a calendar date"),
        (6, "must be a number, found the text \"230 V\""),
        (7, "`evidence` lists what the product holds"),
    ] {
        assert!(err.contains(words), "{words}: {err}");
        assert!(
            err.contains(&format!("product.yaml:{line}")),
            "line {line}: {err}"
        );
    }
}

#[test]
fn five_independent_mistakes_as_json() {
    let (code, _, err) = check_bundled(FIVE_MISTAKES, &["--error-format", "json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&err).unwrap_or_else(|e| panic!("{e}: {err}"));
    let problems = v.as_array().unwrap();
    assert_eq!(problems.len(), 5, "{err}");
    let lines: Vec<u64> = problems
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 3, 4, 6, 7]);
    assert!(problems.iter().all(|p| p["help"].is_string()), "{err}");
    assert_eq!(problems[0]["path"], "category");
    assert_eq!(problems[0]["column"], 11);
}

#[test]
fn json_profiles_are_read_when_scanning_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("laptop.json"),
        r#"{"name": "J-1", "category": "laptop", "made_in": "DE", "attributes": {"carries_commodity_barcode": true}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("mug.yaml"),
        "name: M-1\ncategory: ceramic mug\n",
    )
    .unwrap();
    let out = cncomply()
        .arg("check")
        .arg(dir.path())
        .args(["--as-of", "2026-07-01", "--format", "json"])
        .output()
        .unwrap();
    let (_, stdout, stderr) = outcome(out);
    let v: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let names: Vec<&str> = v["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["J-1", "M-1"], "{stdout}");
    // A JSON profile's mistakes are reported with their line, like YAML's.
    std::fs::write(
        dir.path().join("bad.json"),
        "{\"category\": \"laptop\",\n \"made_in\": \"XX\"}\n",
    )
    .unwrap();
    let out = cncomply()
        .arg("check")
        .arg(dir.path().join("bad.json"))
        .output()
        .unwrap();
    let (code, _, stderr) = outcome(out);
    assert_eq!(code, 2);
    assert!(stderr.contains("bad.json:2"), "{stderr}");
}

#[test]
fn schema_for_a_category_lists_only_the_attributes_its_rules_read() {
    let schema = |extra: &[&str]| -> serde_json::Value {
        let out = cncomply().arg("schema").args(extra).output().unwrap();
        let (code, stdout, stderr) = outcome(out);
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str(&stdout).unwrap()
    };
    let attrs = |v: &serde_json::Value| -> Vec<String> {
        v["properties"]["attributes"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    let all = attrs(&schema(&[]));
    let motor = attrs(&schema(&["--category", "small-power motor"]));
    assert!(
        motor.contains(&"rated_voltage_ac_v".to_string()),
        "{motor:?}"
    );
    assert!(
        !motor.contains(&"icv_road_test_or_demo".to_string()),
        "{motor:?}"
    );
    assert!(motor.len() < all.len());
    let out = cncomply()
        .args(["schema", "--category", "laptp"])
        .output()
        .unwrap();
    let (code, _, stderr) = outcome(out);
    assert_eq!(code, 2);
    assert!(stderr.contains("`laptop`"), "{stderr}");
}

#[test]
fn init_refuses_a_list_item_that_is_not_declared() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.yaml");
    std::fs::write(
        &answers,
        "carries_commodity_barcode: yes\nbarcode_uses: [retal]\n",
    )
    .unwrap();
    let out = cncomply()
        .args(["init", "--category", "laptop", "--answers"])
        .arg(&answers)
        .output()
        .unwrap();
    let (code, stdout, stderr) = outcome(out);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("did you mean `retail`?"), "{stderr}");
}

#[test]
fn lint_refuses_an_alias_that_names_two_categories() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("v.rules"),
        "topic other: \"Other\"\n\
         category product: \"Any product\"\n\
         category led-lamp under product: \"LED lamp\" also called \"bulb\"\n\
         category vehicle-lamp under product: \"Vehicle lamp\" also called \"Bulb\"\n",
    )
    .unwrap();
    let out = cncomply().arg("lint").arg(dir.path()).output().unwrap();
    let (code, _, stderr) = outcome(out);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("alias \"Bulb\" already names category `led-lamp`"),
        "{stderr}"
    );
}

#[test]
fn lint_checks_the_new_category_and_list_clauses() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("v.rules"),
        "topic other: \"Other\"\n\
         attribute uses is a list of [retail, dispatch]: \"Uses\"\n\
         attribute power_w is a number in W: \"Power\"\n\
         category product: \"Any product\" implies power_w\n\
         category thing under product: \"Thing\" implies no_such_fact\n\
         rule other.x\n  title \"X\"\n  topic other\n  instrument \"I\"\n  authority \"A\"\n  status in-force\n  voluntary\n  binds product\n  source \"001_5bcde08ab577292b.txt\", section \"Eleven CCC Implementation Rules Released for 16 Products\"\n  applies when uses contains retial and power_w is above 1 W\n  obligation inform \"x\"\n  explain \"x\"\nend\n",
    )
    .unwrap();
    let out = cncomply().arg("lint").arg(dir.path()).output().unwrap();
    let (code, _, stderr) = outcome(out);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("`power_w` is a number (in W); a category can imply only a yes/no fact"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown attribute `no_such_fact`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\"retial\" is not one of the items `uses` may hold"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `retail`?"), "{stderr}");
}

//! `cncomply schema`: the JSON Schema is valid draft 2020-12 by an external
//! validator (Python's jsonschema) and says yes and no to the same profiles
//! as the profile loader.

mod common;
use common::*;

use std::path::Path;
use std::process::Command;

use cncomply::model::RuleSet;
use cncomply::profile::Profile;
use cncomply::schema::profile_schema;
use serde_json::Value;

const VALIDATE: &str = r#"
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1], encoding="utf-8"))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
instances = json.load(open(sys.argv[2], encoding="utf-8"))
print(json.dumps([sorted(e.message for e in validator.iter_errors(i)) for i in instances]))
"#;

/// The errors Python's jsonschema finds in each instance (empty: valid), or
/// None when Python or jsonschema is not installed. `.ci/run` installs it
/// and sets CNCOMPLY_REQUIRE_PYTHON, so CI never skips.
fn jsonschema_errors(schema: &Value, instances: &[Value]) -> Option<Vec<Vec<String>>> {
    let dir = tempfile::tempdir().unwrap();
    let schema_path = dir.path().join("schema.json");
    let instances_path = dir.path().join("instances.json");
    std::fs::write(&schema_path, serde_json::to_string(schema).unwrap()).unwrap();
    std::fs::write(&instances_path, serde_json::to_string(instances).unwrap()).unwrap();
    let out = Command::new("python3")
        .arg("-c")
        .arg(VALIDATE)
        .arg(&schema_path)
        .arg(&instances_path)
        .output();
    let missing = |why: String| {
        if std::env::var_os("CNCOMPLY_REQUIRE_PYTHON").is_some() {
            panic!("{why} (CNCOMPLY_REQUIRE_PYTHON is set)");
        }
        eprintln!("SKIPPED: {why}; install it with `python3 -m pip install jsonschema`");
        None
    };
    match out {
        Err(e) => missing(format!("python3 cannot be run: {e}")),
        Ok(o) if !o.status.success() => {
            let err = String::from_utf8_lossy(&o.stderr);
            if err.contains("No module named 'jsonschema'") {
                missing("Python's jsonschema is not installed".into())
            } else {
                panic!("jsonschema rejected the schema or failed:\n{err}")
            }
        }
        Ok(o) => Some(serde_json::from_slice(&o.stdout).unwrap()),
    }
}

fn fixture_rules() -> RuleSet {
    let text = std::fs::read_to_string(fixture("rules/fixture.rules")).unwrap();
    RuleSet::load(&[cncomply::model::SourceFile {
        name: "fixture.rules".into(),
        text,
    }])
    .unwrap()
}

/// The YAML document as the JSON an editor validates: serde_yaml reads YAML
/// 1.2 like yaml-language-server (`yes` and dates are texts).
fn as_json(yaml: &str) -> Value {
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}: {yaml}"))
}

const FULL: &str = r#"
name: M-230
category: motor
made_in: de
sold_in: [CN, DE]
placed_on_market: 2026-09-01
attributes:
  rated_voltage_ac_v: 230
  rated_voltage_dc_v: null
  connects_to_network: "yes"
  approval: existing type
  functions: [wifi, camera, 5]
  first_approved: 2028-02-29
  brand: 3M
evidence:
  certificates:
    - scheme: ccc
      number: "2026010705000123"
      valid_until: 2031-08-31
      standards: ["GB 4706.1-2024"]
      note: renewed
  labels:
    - scheme: energy-label
      grade: 2
    - scheme: cyber-label
      tier: 3
    - scheme: ccc-mark
  filings: []
"#;

/// (profile, accepted?) — each case is asked of the loader and of the schema.
const CASES: &[(&str, bool)] = &[
    ("category: motor\n", true),
    (FULL, true),
    ("category: small power motor\nname: 2000\n", true),
    ("category: 洗衣机\nattributes:\n", true),
    (
        "category: camera\nattributes: {connects_to_network: true}\n",
        true,
    ),
    (
        "category: camera\nattributes: {connects_to_network: N}\n",
        true,
    ),
    (
        "category: motor\nmade_in: ~\nsold_in: ~\nevidence: ~\n",
        true,
    ),
    ("name: no category\n", false),
    ("category: motr\n", false),
    ("category: motor\ncolour: red\n", false),
    (
        "category: motor\nattributes: {rated_voltge_ac_v: 230}\n",
        false,
    ),
    (
        "category: motor\nattributes: {rated_voltage_ac_v: \"230 V\"}\n",
        false,
    ),
    (
        "category: motor\nattributes: {rated_voltage_ac_v: [230]}\n",
        false,
    ),
    (
        "category: camera\nattributes: {connects_to_network: sometimes}\n",
        false,
    ),
    ("category: car\nattributes: {approval: old type}\n", false),
    ("category: motor\nattributes: {functions: wifi}\n", false),
    ("category: motor\nattributes: {brand: [a]}\n", false),
    ("category: motor\nplaced_on_market: 2026-02-30\n", false),
    ("category: motor\nplaced_on_market: 2027-02-29\n", false),
    ("category: motor\nplaced_on_market: 2026-9-1\n", false),
    ("category: motor\nplaced_on_market: 20260901\n", false),
    ("category: motor\nmade_in: DEU\n", false),
    ("category: motor\nsold_in: CN\n", false),
    ("category: motor\nsold_in: [CN, 1]\n", false),
    (
        "category: motor\nevidence: {certificates: [{scheme: cc}]}\n",
        false,
    ),
    (
        "category: motor\nevidence: {certificates: [{number: \"1\"}]}\n",
        false,
    ),
    (
        "category: motor\nevidence: {labels: [{scheme: energy-label, grad: 2}]}\n",
        false,
    ),
    (
        "category: motor\nevidence: {labels: [{scheme: energy-label, grade: -1}]}\n",
        false,
    ),
    (
        "category: motor\nevidence: {labels: [{scheme: energy-label, grade: 1.5}]}\n",
        false,
    ),
    ("category: motor\nevidence: {permits: []}\n", false),
    (
        "category: motor\nevidence: {certificates: [{scheme: ccc, valid_until: 2031-02-29}]}\n",
        false,
    ),
];

#[test]
fn schema_and_loader_accept_and_reject_the_same_profiles() {
    let rules = fixture_rules();
    let schema = profile_schema(&rules);
    let instances: Vec<Value> = CASES.iter().map(|(y, _)| as_json(y)).collect();
    for (yaml, accepted) in CASES {
        let loaded = Profile::from_yaml("case.yaml", yaml, &rules.vocabulary);
        assert_eq!(
            loaded.is_ok(),
            *accepted,
            "loader on {yaml:?}: {:?}",
            loaded.err().map(|e| e.message)
        );
    }
    let Some(errors) = jsonschema_errors(&schema, &instances) else {
        return;
    };
    let disagree: Vec<String> = CASES
        .iter()
        .zip(&errors)
        .filter(|((_, accepted), errs)| errs.is_empty() != *accepted)
        .map(|((yaml, accepted), errs)| {
            format!("expected accepted={accepted}, schema says {errs:?}:\n{yaml}")
        })
        .collect();
    assert!(disagree.is_empty(), "{}", disagree.join("\n---\n"));
}

#[test]
fn schema_is_stricter_than_the_loader_only_in_letter_case() {
    let rules = fixture_rules();
    let schema = profile_schema(&rules);
    let cases = [
        "category: MOTOR\n",
        "category: car\nattributes: {approval: New Type}\n",
    ];
    for yaml in cases {
        assert!(Profile::from_yaml("case.yaml", yaml, &rules.vocabulary).is_ok());
    }
    let instances: Vec<Value> = cases.iter().map(|y| as_json(y)).collect();
    if let Some(errors) = jsonschema_errors(&schema, &instances) {
        assert!(errors.iter().all(|e| !e.is_empty()), "{errors:?}");
    }
}

#[test]
fn every_example_profile_gets_the_loaders_verdict_from_the_bundled_schema() {
    let (rules, _) = cncomply::library::load(&[]).unwrap();
    let schema = profile_schema(&rules);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let texts: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let instances: Vec<Value> = texts.iter().map(|t| as_json(t)).collect();
    let Some(errors) = jsonschema_errors(&schema, &instances) else {
        return;
    };
    for ((path, text), errs) in paths.iter().zip(&texts).zip(&errors) {
        let loaded = Profile::from_yaml("example", text, &rules.vocabulary);
        assert_eq!(
            errs.is_empty(),
            loaded.is_ok(),
            "{}: schema errors {errs:?}, loader {:?}",
            path.display(),
            loaded.err().map(|e| e.message)
        );
    }
}

#[test]
fn schema_documents_every_attribute_category_and_scheme() {
    let rules = fixture_rules();
    let schema = profile_schema(&rules);
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let attrs = &schema["properties"]["attributes"]["properties"];
    for name in rules.vocabulary.attributes.keys() {
        let d = attrs[name.as_str()]["description"]
            .as_str()
            .unwrap_or_default();
        assert!(!d.is_empty(), "{name} has no description");
    }
    let volts = attrs["rated_voltage_ac_v"]["description"].as_str().unwrap();
    assert!(volts.contains("a number (in V)"), "{volts}");
    assert!(volts.contains("Read by: ccc.motor"), "{volts}");
    let categories = schema["properties"]["category"]["enum"].as_array().unwrap();
    for name in ["motor", "small power motor", "washer", "洗衣机"] {
        assert!(categories.iter().any(|c| c == name), "{name} not in enum");
    }
    let labels =
        &schema["properties"]["evidence"]["properties"]["labels"]["items"]["properties"]["scheme"];
    assert_eq!(
        labels["enum"],
        serde_json::json!(["ccc-mark", "cyber-label", "energy-label"])
    );
}

#[test]
fn schema_command_prints_json_and_has_help() {
    let out = cncomply()
        .args(["schema", "--rules"])
        .arg(fixture("rules"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["required"], serde_json::json!(["category"]));
    assert_eq!(v["additionalProperties"], false);
    let help = cncomply().args(["schema", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("yaml-language-server: $schema="), "{help}");
}

/// The loader's side of the same knowledge: an unknown key at any level gets
/// a did-you-mean from the keys allowed there.
#[test]
fn loader_suggests_the_key_meant_at_every_level() {
    let rules = fixture_rules();
    let cases = [
        ("catgory: motor\n", "did you mean `category`?"),
        (
            "category: motor\nevidence:\n  labels:\n    - scheme: ccc-mark\n      grad: 2\n",
            "did you mean `grade`?",
        ),
        (
            "category: motor\nevidence:\n  certificate: []\n",
            "did you mean `certificates`?",
        ),
        (
            "category: motor\ncolour: red\n",
            "allowed here: name, category, made_in",
        ),
    ];
    for (yaml, help) in cases {
        let e = Profile::from_yaml("p.yaml", yaml, &rules.vocabulary).unwrap_err();
        assert!(
            e.help.as_deref().unwrap_or_default().contains(help),
            "{yaml:?}: {:?} / {:?}",
            e.message,
            e.help
        );
    }
}

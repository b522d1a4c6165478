//! Evaluator behaviour on the fixture library: each status, the date
//! boundaries, three-valued logic, exclusions, cases, transitions, evidence.

mod common;
use common::*;

const MOTOR: &str = "category: motor\nattributes:\n  rated_voltage_ac_v: 230\n";

#[test]
fn upcoming_the_day_before_and_applies_on_the_day() {
    assert_eq!(status_of(MOTOR, "2026-06-30", "ccc.motor"), "upcoming");
    assert_eq!(status_of(MOTOR, "2026-07-01", "ccc.motor"), "applies");
}

#[test]
fn upcoming_shows_date_and_days_left() {
    let (_, v) = json_check(MOTOR, "2026-06-01");
    let f = finding(&v, "ccc.motor");
    assert_eq!(f["dates"]["deadline"], "2026-07-01");
    assert_eq!(f["dates"]["days_left"], 30);
    assert_eq!(v["products"][0]["nearest_deadline"], "2026-07-01");
}

#[test]
fn voltage_band_is_exclusive_at_both_ends() {
    for (v, want) in [
        ("36", "not-applicable"),
        ("37", "applies"),
        ("999", "applies"),
        ("1000", "not-applicable"),
    ] {
        let p = format!(
            "category: motor\nattributes:\n  rated_voltage_ac_v: {v}\n  rated_voltage_dc_v: 12\n"
        );
        assert_eq!(status_of(&p, "2026-07-01", "ccc.motor"), want, "{v} V AC");
    }
    let dc = "category: motor\nattributes:\n  rated_voltage_ac_v: 12\n  rated_voltage_dc_v: 1499\n";
    assert_eq!(status_of(dc, "2026-07-01", "ccc.motor"), "applies");
}

#[test]
fn missing_fact_is_needs_info_naming_it_never_false() {
    let (_, v) = json_check("category: motor\n", "2026-07-01");
    let f = finding(&v, "ccc.motor");
    assert_eq!(f["status"], "needs-info");
    let missing: Vec<&str> = f["missing_facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(missing, ["rated_voltage_ac_v", "rated_voltage_dc_v"]);
}

#[test]
fn a_known_false_part_decides_despite_unknown_parts() {
    // Out of the category: the unknown voltage does not matter.
    assert_eq!(
        status_of("category: washer\n", "2026-07-01", "ccc.motor"),
        "not-applicable"
    );
    // One known in-band voltage is enough for the `or`.
    let p = "category: motor\nattributes:\n  rated_voltage_ac_v: 230\n";
    assert_eq!(status_of(p, "2026-07-01", "ccc.motor"), "applies");
}

#[test]
fn met_when_all_required_evidence_is_held() {
    let p = "category: motor\nattributes: {rated_voltage_ac_v: 230}\nevidence:\n  certificates: [{scheme: ccc, number: C1, valid_until: 2030-01-01}]\n  labels: [{scheme: ccc-mark}]\n";
    assert_eq!(status_of(p, "2026-07-01", "ccc.motor"), "met");
    let only_cert = "category: motor\nattributes: {rated_voltage_ac_v: 230}\nevidence:\n  certificates: [{scheme: ccc}]\n";
    assert_eq!(status_of(only_cert, "2026-07-01", "ccc.motor"), "applies");
}

#[test]
fn expired_certificate_does_not_count_and_says_why() {
    let p = "category: motor\nattributes: {rated_voltage_ac_v: 230}\nevidence:\n  certificates: [{scheme: ccc, number: C1, valid_until: 2026-06-30}]\n  labels: [{scheme: ccc-mark}]\n";
    let (_, v) = json_check(p, "2026-07-01");
    let f = finding(&v, "ccc.motor");
    assert_eq!(f["status"], "applies");
    let notes = f["evidence"]["notes"].to_string();
    assert!(notes.contains("expired on 2026-06-30"), "{notes}");
    // Valid through its last day.
    assert_eq!(status_of(p, "2026-06-30", "ccc.motor"), "upcoming");
}

#[test]
fn grade_below_requirement_does_not_count() {
    let held = |g: u32| {
        format!("category: washer\nevidence:\n  labels: [{{scheme: energy-label, grade: {g}}}]\n")
    };
    assert_eq!(
        status_of(&held(3), "2027-04-01", "energy-label.washer"),
        "met"
    );
    let (_, v) = json_check(&held(4), "2027-04-01");
    let f = finding(&v, "energy-label.washer");
    assert_eq!(f["status"], "applies");
    assert!(f["evidence"]["notes"]
        .to_string()
        .contains("grade 4; at most 3 is required"));
}

#[test]
fn exclusions_win_and_are_explained() {
    let (_, v) = json_check("category: webbing\n", "2026-07-01");
    let f = finding(&v, "ccc.belt");
    assert_eq!(f["status"], "not-applicable");
    assert!(f["reason"]
        .as_str()
        .unwrap()
        .contains("webbing, retractors, buckles"));
    assert_eq!(
        status_of("category: seat belt\n", "2026-07-01", "ccc.belt"),
        "applies"
    );
}

#[test]
fn parent_category_rule_covers_children_and_aliases() {
    // `washer` lies under `appliance`; the alias in Chinese resolves too.
    let p = "category: 洗衣机\nattributes: {functions: [wifi]}\n";
    assert_eq!(status_of(p, "2026-06-01", "ccc.qr-mark"), "applies");
}

#[test]
fn voluntary_and_draft_rules_are_informational() {
    let p = "category: camera\nattributes: {connects_to_network: yes}\n";
    assert_eq!(
        status_of(p, "2026-07-01", "cybersecurity-label.tiers"),
        "informational"
    );
    let (_, v) = json_check(p, "2026-01-01");
    let draft = finding(&v, "cybersecurity-label.draft");
    assert_eq!(draft["status"], "informational");
    assert_eq!(draft["rule_status"], "draft");
    assert_eq!(draft["reason"], "a draft, not law in force");
}

#[test]
fn superseded_rule_stops_on_the_supersession_date() {
    let p = "category: camera\nattributes: {connects_to_network: yes}\n";
    assert_eq!(
        status_of(p, "2026-04-09", "cybersecurity-label.draft"),
        "informational"
    );
    let (_, v) = json_check(p, "2026-04-10");
    let f = finding(&v, "cybersecurity-label.draft");
    assert_eq!(f["status"], "not-applicable");
    assert_eq!(
        f["reason"],
        "superseded by cybersecurity-label.tiers on 2026-04-10"
    );
}

#[test]
fn repealed_rule_stops_on_the_repeal_date() {
    let p = "category: washer\nattributes: {brand: Acme}\n";
    assert_eq!(status_of(p, "2026-04-30", "ccc.repealed"), "applies");
    assert_eq!(status_of(p, "2026-05-01", "ccc.repealed"), "not-applicable");
}

#[test]
fn dated_cases_pick_the_products_date() {
    let new = "category: car\nattributes: {approval: new type}\n";
    let existing = "category: car\nattributes: {approval: existing type}\n";
    assert_eq!(status_of(new, "2025-12-31", "vehicle.energy"), "upcoming");
    assert_eq!(status_of(new, "2026-01-01", "vehicle.energy"), "applies");
    assert_eq!(
        status_of(existing, "2026-12-31", "vehicle.energy"),
        "upcoming"
    );
    assert_eq!(
        status_of(existing, "2027-01-01", "vehicle.energy"),
        "applies"
    );
    let (_, v) = json_check(existing, "2026-06-01");
    assert_eq!(
        finding(&v, "vehicle.energy")["dates"]["case"],
        "types already approved"
    );
    // Between the two dates the answer depends on the type.
    let (_, v) = json_check("category: car\n", "2026-06-01");
    let f = finding(&v, "vehicle.energy");
    assert_eq!(f["status"], "needs-info");
    assert_eq!(f["missing_facts"][0], "approval");
    // Once both dates have come, every type must comply: the same answer
    // whatever the type, so it is given, not asked for.
    let (_, v) = json_check("category: car\n", "2027-01-01");
    let f = finding(&v, "vehicle.energy");
    assert_eq!(f["status"], "applies");
    assert_eq!(f["dates"]["effective"], "2027-01-01");
    assert!(
        f["missing_facts"].as_array().is_none_or(|m| m.is_empty()),
        "{f:#}"
    );
    assert_eq!(
        status_of("category: car\n", "2026-12-31", "vehicle.energy"),
        "needs-info"
    );
}

#[test]
fn transition_period_for_certified_products() {
    let certified = "category: washer\nattributes: {functions: [wifi]}\nevidence:\n  certificates: [{scheme: ccc}]\n";
    let (_, v) = json_check(certified, "2027-02-28");
    let f = finding(&v, "ccc.qr-mark");
    assert_eq!(f["status"], "in-transition");
    assert_eq!(f["dates"]["transition_until"], "2027-02-28");
    assert_eq!(status_of(certified, "2027-03-01", "ccc.qr-mark"), "applies");
    let uncertified = "category: washer\nattributes: {functions: [wifi]}\n";
    assert_eq!(
        status_of(uncertified, "2026-06-01", "ccc.qr-mark"),
        "applies"
    );
}

#[test]
fn conditions_show_path_and_value_read() {
    let (_, v) = json_check(MOTOR, "2026-07-01");
    let f = finding(&v, "ccc.motor");
    let conds = f["conditions"].as_array().unwrap();
    let volt = conds
        .iter()
        .find(|c| c["condition"] == "rated_voltage_ac_v is above 36 V")
        .unwrap();
    assert_eq!(volt["path"], "attributes.rated_voltage_ac_v");
    assert_eq!(volt["value"], "230");
    assert_eq!(volt["result"], "true");
    let dc = conds
        .iter()
        .find(|c| c["condition"] == "rated_voltage_dc_v is above 36 V")
        .unwrap();
    assert_eq!(dc["value"], serde_json::Value::Null);
    assert_eq!(dc["result"], "unknown");
    assert_eq!(
        f["explanation"],
        "Rated 230 V AC; the band is above 36 V and below 1,000 V AC or 1,500 V DC."
    );
}

#[test]
fn explicit_null_means_the_product_has_none() {
    // A DC-only motor: AC voltage written as `~` is known to be absent, so
    // only the DC band decides; leaving it out would make the rule ask.
    let dc_only_out =
        "category: motor\nattributes:\n  rated_voltage_ac_v: ~\n  rated_voltage_dc_v: 24\n";
    assert_eq!(
        status_of(dc_only_out, "2026-07-01", "ccc.motor"),
        "not-applicable"
    );
    let dc_only_in =
        "category: motor\nattributes:\n  rated_voltage_ac_v: ~\n  rated_voltage_dc_v: 48\n";
    assert_eq!(status_of(dc_only_in, "2026-07-01", "ccc.motor"), "applies");
    let unknown_ac = "category: motor\nattributes:\n  rated_voltage_dc_v: 24\n";
    assert_eq!(
        status_of(unknown_ac, "2026-07-01", "ccc.motor"),
        "needs-info"
    );
}

#[test]
fn evidence_of_another_scheme_does_not_count_and_says_why() {
    let p = "category: motor\nattributes: {rated_voltage_ac_v: 230}\nevidence:\n  certificates: [{scheme: ccc, valid_until: 2030-01-01}]\n  labels: [{scheme: cyber-label, tier: 2}]\n";
    let (_, v) = json_check(p, "2026-07-01");
    let f = finding(&v, "ccc.motor");
    assert_eq!(f["status"], "applies");
    let notes = f["evidence"]["notes"].to_string();
    assert!(
        notes.contains(
            "no label ccc-mark is recorded; label cyber-label is another scheme and does not count"
        ),
        "{notes}"
    );
}

#[test]
fn an_expired_certificate_does_not_open_a_transition_period() {
    let p = |until: &str| {
        format!("category: washer\nattributes: {{functions: [wifi]}}\nevidence:\n  certificates: [{{scheme: ccc, valid_until: {until}}}]\n")
    };
    assert_eq!(
        status_of(&p("2026-12-31"), "2026-11-23", "ccc.qr-mark"),
        "in-transition"
    );
    assert_eq!(
        status_of(&p("2026-11-22"), "2026-11-23", "ccc.qr-mark"),
        "applies"
    );
}

#[test]
fn a_label_without_its_grade_does_not_count() {
    let p = "category: washer\nevidence:\n  labels: [{scheme: energy-label}]\n";
    let (_, v) = json_check(p, "2027-04-01");
    let f = finding(&v, "energy-label.washer");
    assert_eq!(f["status"], "applies");
    assert!(f["evidence"]["notes"]
        .to_string()
        .contains("does not state its grade"));
}

/// A scope that asks what the product holds follows the evidence's
/// validity: the obligation of a certificate holder lapses with the
/// certificate. Found as a counterexample by the evaluator fuzz target,
/// whose "still binds the next day" invariant now leaves such rules out.
#[test]
fn a_scope_on_held_evidence_ends_when_the_evidence_expires() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("holder.rules"),
        r#"topic ccc: "CCC"
category product: "Any product"
evidence ccc is a certificate: "CCC certificate"

rule ccc.holder-duty
  title "Duties of a CCC certificate holder"
  topic ccc
  instrument "I"
  authority "A"
  status in-force
  mandatory
  source "s.txt", section "S"
  effective 2026-01-01
  applies when holds certificate ccc
  obligation report "Report changes to the certification body"
  explain "Applies while the product holds a CCC certificate."
end
"#,
    )
    .unwrap();
    let profile = dir.path().join("p.yaml");
    std::fs::write(
        &profile,
        "category: product\nevidence:\n  certificates:\n    - scheme: ccc\n      valid_until: 2026-09-30\n",
    )
    .unwrap();
    let status_on = |day: &str| {
        let out = cncomply()
            .arg("check")
            .arg(&profile)
            .arg("--rules")
            .arg(dir.path())
            .args(["--as-of", day, "--format", "json", "--all"])
            .output()
            .unwrap();
        let (_, stdout, stderr) = outcome(out);
        let v: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
        finding(&v, "ccc.holder-duty")["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status_on("2026-09-30"), "applies");
    assert_eq!(status_on("2026-10-01"), "not-applicable");
}

//! `cncomply calendar`: the dated events of the fixture library for a small
//! catalogue, their boundaries, and the iCalendar form read back with an
//! independent parser (the `ical` crate).

mod common;
use common::*;

use serde_json::Value;

const CATALOGUE: [&str; 3] = [
    "timeline/car.yaml",
    "timeline/motor.yaml",
    "timeline/washer.yaml",
];

fn calendar(profiles: &[&str], args: &[&str]) -> (i32, String, String) {
    run_on_fixtures("calendar", profiles, args)
}

fn calendar_json(profiles: &[&str], args: &[&str]) -> Value {
    let (code, out, err) = calendar(profiles, &[args, &["--format", "json"]].concat());
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// "date kind rule: product=status, …" per event.
fn lines(v: &Value) -> Vec<String> {
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let who: Vec<String> = e["products"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    format!(
                        "{}={}",
                        p["name"].as_str().unwrap(),
                        p["status"].as_str().unwrap()
                    )
                })
                .collect();
            format!(
                "{} {} {}: {}",
                e["date"].as_str().unwrap(),
                e["kind"].as_str().unwrap(),
                e["rule_id"].as_str().unwrap(),
                who.join(", ")
            )
        })
        .collect()
}

#[test]
fn every_dated_event_that_concerns_the_catalogue() {
    let v = calendar_json(&CATALOGUE, &[]);
    assert_eq!(
        lines(&v),
        vec![
            "2020-01-01 effective ccc.repealed: AquaWash 8=applies",
            "2026-03-01 effective ccc.qr-mark: AquaWash 8=in-transition",
            // Superseded and repealed: the status on the day before.
            "2026-04-10 superseded cybersecurity-label.draft: M-230 motor=informational, AquaWash 8=informational",
            "2026-05-01 repealed ccc.repealed: AquaWash 8=applies",
            "2026-07-01 effective ccc.motor: M-230 motor=applies",
            "2026-07-01 effective cybersecurity-label.tiers: M-230 motor=needs-info, AquaWash 8=informational",
            // Only the date of the car's case (existing types), not 2026-01-01.
            "2027-01-01 effective vehicle.energy: Sedan E5=applies",
            // A transition's date is its last day.
            "2027-02-28 transition-ends ccc.qr-mark: AquaWash 8=in-transition",
            "2027-04-01 effective energy-label.washer: AquaWash 8=met",
            // The energy label the washer relies on is valid until then.
            "2028-03-31 evidence-expires energy-label.washer: AquaWash 8=met",
        ]
    );
    let ev = &v["events"][6];
    assert_eq!(ev["cases"], serde_json::json!(["types already approved"]));
    assert_eq!(ev["products"][0]["note"], "types already approved");
    assert_eq!(ev["instrument"], "GB 36980.1-2025");
    assert_eq!(ev["obligation"], "Meet the energy consumption limits");
    let unknown = &v["events"][5]["products"][0];
    assert!(
        unknown["note"]
            .as_str()
            .unwrap()
            .contains("may concern it: add connects_to_network"),
        "{unknown}"
    );
    assert_eq!(v["events"][9]["products"][0]["note"], "label energy-label");
}

#[test]
fn from_and_to_are_inclusive() {
    let on_the_day = calendar_json(&CATALOGUE, &["--from", "2026-07-01", "--to", "2026-07-01"]);
    assert_eq!(on_the_day["events"].as_array().unwrap().len(), 2);
    assert_eq!(on_the_day["from"], "2026-07-01");
    let after = calendar_json(&CATALOGUE, &["--from", "2026-07-02", "--to", "2027-02-28"]);
    let dates: Vec<&str> = after["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, vec!["2027-01-01", "2027-02-28"]);
    let before = calendar_json(&CATALOGUE, &["--to", "2026-06-30"]);
    assert_eq!(before["events"].as_array().unwrap().len(), 4);
    assert!(before["from"].is_null());
}

#[test]
fn a_product_with_an_unknown_case_may_meet_both_dates() {
    let dir = tempfile::tempdir().unwrap();
    let car = dir.path().join("car.yaml");
    std::fs::write(
        &car,
        "name: Prototype\ncategory: car\nattributes:\n  connects_to_network: no\n",
    )
    .unwrap();
    let out = cncomply()
        .args(["calendar", "--format", "json", "--rules"])
        .arg(fixture("rules"))
        .arg(&car)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        lines(&v),
        vec![
            "2026-01-01 effective vehicle.energy: Prototype=needs-info",
            // From the later date every type complies, whichever it is.
            "2027-01-01 effective vehicle.energy: Prototype=applies",
        ]
    );
}

#[test]
fn table_shows_dates_rules_citations_and_products() {
    let (code, out, _) = calendar(&CATALOGUE, &["--from", "2026-07-01", "--to", "2027-01-01"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2026-07-01"), "{out}");
    assert!(out.contains("takes effect"), "{out}");
    assert!(
        out.contains("ccc.motor: CCC for small-power motors"),
        "{out}"
    );
    assert!(
        out.contains(
            "CNCA-C04-01:2026 · China Standardisation Newsletter, March–April 2026, article 13"
        ),
        "{out}"
    );
    assert!(out.contains("M-230 motor: applies"), "{out}");
    assert!(out.contains("for types already approved"), "{out}");
    assert!(
        out.contains("3 dated events for 3 products (from 2026-07-01 to 2027-01-01) from 8 rules"),
        "{out}"
    );
}

#[test]
fn nothing_dated_for_the_products_says_so() {
    let (code, out, _) = calendar(&["timeline/car.yaml"], &["--to", "2026-12-31"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("No dated event concerns these products (up to 2026-12-31)."),
        "{out}"
    );
}

#[test]
fn reversed_window_is_a_usage_error() {
    let (code, out, err) = calendar(&CATALOGUE, &["--from", "2027-01-01", "--to", "2026-01-01"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("--from 2027-01-01 is after --to 2026-01-01"),
        "{err}"
    );
}

// ---------------------------------------------------------------- iCalendar

/// The calendar's events as (UID, property name → unescaped value).
fn parse_ics(
    text: &str,
) -> (
    Vec<ical::property::Property>,
    Vec<Vec<ical::property::Property>>,
) {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cal = parser
        .next()
        .expect("one VCALENDAR")
        .unwrap_or_else(|e| panic!("not iCalendar ({e}):\n{text}"));
    assert!(parser.next().is_none(), "exactly one VCALENDAR");
    (
        cal.properties,
        cal.events.into_iter().map(|e| e.properties).collect(),
    )
}

fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}

/// RFC 5545 §3.3.11 text unescaping, for comparing descriptions.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn ics(profiles: &[&str]) -> String {
    let (code, out, err) = calendar(profiles, &["--format", "ics"]);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn ics_has_one_all_day_event_per_date_and_rule_with_the_citation() {
    let text = ics(&CATALOGUE);
    assert!(text.contains("\r\n"), "RFC 5545 lines end in CRLF");
    assert!(
        text.split("\r\n").all(|l| l.len() <= 75),
        "long lines are folded at 75 octets"
    );
    let (cal, events) = parse_ics(&text);
    assert_eq!(prop(&cal, "VERSION"), Some("2.0"));
    assert!(prop(&cal, "PRODID").unwrap().contains("cncomply"));
    assert_eq!(events.len(), 10, "the same events as the table and JSON");

    let motor = events
        .iter()
        .find(|e| prop(e, "UID") == Some("20260701-effective-ccc.motor@cncomply"))
        .expect("ccc.motor's effective date");
    let start = motor.iter().find(|p| p.name == "DTSTART").unwrap();
    assert_eq!(start.value.as_deref(), Some("20260701"));
    let params = start.params.clone().unwrap_or_default();
    assert!(
        params
            .iter()
            .any(|(k, v)| k == "VALUE" && v == &vec!["DATE".to_string()]),
        "an all-day event: {params:?}"
    );
    assert_eq!(prop(motor, "DTEND"), Some("20260702"));
    assert!(prop(motor, "DTSTAMP").is_some(), "DTSTAMP is required");
    assert_eq!(prop(motor, "CATEGORIES"), Some("ccc"));
    let summary = unescape(prop(motor, "SUMMARY").unwrap());
    assert_eq!(
        summary,
        "ccc.motor takes effect: CCC for small-power motors"
    );
    let description = unescape(prop(motor, "DESCRIPTION").unwrap());
    assert!(
        description.contains(
            "Citation: CNCA-C04-01:2026 · China Standardisation Newsletter, March–April 2026, article 13 “Eleven CCC Implementation Rules Released for 16 Products” (CNCA)"
        ),
        "{description}"
    );
    assert!(
        description.contains("To do: Obtain CCC certification"),
        "{description}"
    );
    assert!(
        description.contains("- M-230 motor: applies ["),
        "{description}"
    );

    // Text with commas is escaped on the wire and comes back intact.
    let tiers = events
        .iter()
        .find(|e| prop(e, "UID") == Some("20260701-effective-cybersecurity-label.tiers@cncomply"))
        .unwrap();
    assert!(unescape(prop(tiers, "DESCRIPTION").unwrap()).contains("(CAC, MIIT, MPS)"));
}

#[test]
fn ics_uids_are_unique_and_stable_across_catalogues() {
    let (_, all) = parse_ics(&ics(&CATALOGUE));
    let mut uids: Vec<&str> = all.iter().map(|e| prop(e, "UID").unwrap()).collect();
    let n = uids.len();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), n, "UIDs are unique");

    // Re-exporting with another catalogue gives the same UID for the same
    // rule date, so a re-import updates the event instead of adding one.
    let (_, washer_only) = parse_ics(&ics(&["timeline/washer.yaml", "timeline/motor.yaml"]));
    let (_, motor_only) = parse_ics(&ics(&["timeline/motor.yaml"]));
    for events in [&washer_only, &motor_only] {
        for e in events.iter() {
            assert!(uids.contains(&prop(e, "UID").unwrap()));
        }
    }
    let motor_uids: Vec<&str> = motor_only.iter().map(|e| prop(e, "UID").unwrap()).collect();
    assert_eq!(
        motor_uids,
        vec![
            "20260410-superseded-cybersecurity-label.draft@cncomply",
            "20260701-effective-ccc.motor@cncomply",
            "20260701-effective-cybersecurity-label.tiers@cncomply",
        ]
    );
}

#[test]
fn a_directory_is_the_same_catalogue_as_its_files() {
    let files = calendar_json(&CATALOGUE, &[]);
    let dir = calendar_json(&["timeline"], &[]);
    assert_eq!(lines(&files), lines(&dir));
    assert!(!lines(&dir).is_empty());
}

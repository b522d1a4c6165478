//! The timeline library against the evaluator itself: evaluating only on the
//! days where a rule or the evidence has a date must miss no change.

mod common;
use common::*;

use chrono::NaiveDate;
use cncomply::evaluate::{evaluate, Status};
use cncomply::model::RuleSet;
use cncomply::profile::Profile;
use cncomply::timeline;

fn load() -> (RuleSet, Vec<Profile>) {
    let (rules, _) = cncomply::library::load(&[fixture("rules")]).unwrap();
    let profiles = ["car", "motor", "washer"]
        .iter()
        .map(|name| {
            let path = fixture(&format!("timeline/{name}.yaml"));
            let text = std::fs::read_to_string(&path).unwrap();
            Profile::from_yaml(name, &text, &rules.vocabulary).unwrap()
        })
        .collect();
    (rules, profiles)
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn statuses(rules: &RuleSet, p: &Profile, on: NaiveDate) -> Vec<(String, Status)> {
    evaluate(rules, p, on)
        .into_iter()
        .map(|f| (f.rule.id.to_string(), f.status))
        .collect()
}

#[test]
fn every_day_to_day_status_change_is_reported_and_nothing_else() {
    let (rules, profiles) = load();
    for p in &profiles {
        let mut d = day("2019-12-30");
        let mut before = statuses(&rules, p, d);
        while d < day("2028-12-31") {
            let next = d.succ_opt().unwrap();
            let after = statuses(&rules, p, next);
            let moved: Vec<&str> = before
                .iter()
                .zip(&after)
                .filter(|(a, b)| a.1 != b.1)
                .map(|(a, _)| a.0.as_str())
                .collect();
            let reported: Vec<String> = timeline::changes(&rules, p, d, next)
                .into_iter()
                .filter(|c| c.before.status != c.after.status)
                .map(|c| c.after.rule.id.to_string())
                .collect();
            let mut moved_sorted: Vec<String> = moved.iter().map(|s| s.to_string()).collect();
            moved_sorted.sort();
            let mut reported_sorted = reported.clone();
            reported_sorted.sort();
            assert_eq!(reported_sorted, moved_sorted, "{} on {next}", p.name);
            before = after;
            d = next;
        }
    }
}

#[test]
fn changes_over_a_span_lead_from_the_first_days_statuses_to_the_last_days() {
    let (rules, profiles) = load();
    let days = [
        "2019-12-31",
        "2026-02-28",
        "2026-03-01",
        "2026-06-30",
        "2026-07-01",
        "2027-02-28",
        "2027-03-01",
        "2028-03-31",
        "2028-04-01",
        "2029-01-01",
    ];
    for p in &profiles {
        for (i, from) in days.iter().enumerate() {
            for to in &days[i..] {
                let (from, to) = (day(from), day(to));
                let mut state = statuses(&rules, p, from);
                for c in timeline::changes(&rules, p, from, to) {
                    let slot = state.iter_mut().find(|s| s.0 == c.after.rule.id).unwrap();
                    assert_eq!(slot.1, c.before.status, "{} {}", p.name, c.date);
                    slot.1 = c.after.status;
                }
                assert_eq!(state, statuses(&rules, p, to), "{} {from}..{to}", p.name);
            }
        }
    }
}

#[test]
fn events_are_sorted_and_each_concerns_some_product() {
    let (rules, profiles) = load();
    let events = timeline::events(&rules, &profiles, None, None);
    assert_eq!(events.len(), 10);
    assert!(events.windows(2).all(|w| w[0].date <= w[1].date));
    assert!(events.iter().all(|e| !e.products.is_empty()));
    let none = timeline::events(&rules, &profiles, Some(day("2029-01-01")), None);
    assert!(none.is_empty());
}

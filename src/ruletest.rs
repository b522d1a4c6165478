//! Rule tests: YAML files of cases (a profile, an as-of date, the expected
//! status per rule id and, optionally, the facts reported missing). They are
//! how consultants pin a rule's behaviour; `cncomply test` runs them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::evaluate::{evaluate, Status, Truth};
use crate::model::RuleSet;
use crate::profile::{parse_profile_date, Profile};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    tests: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    as_of: serde_yaml::Value,
    profile: serde_yaml::Value,
    expect: BTreeMap<String, String>,
    #[serde(default)]
    missing: BTreeMap<String, Vec<String>>,
}

/// One expectation that did not hold, or a case that could not run.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub file: String,
    pub case: String,
    pub rule: Option<String>,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub passed: usize,
    pub failures: Vec<Failure>,
    /// Rule ids that some case expects something of.
    pub exercised: std::collections::BTreeSet<String>,
    /// (rule id, condition as written) → the results seen in cases that
    /// expect something of that rule.
    pub observed: BTreeMap<(String, String), std::collections::BTreeSet<Truth>>,
}

/// How well the cases exercise the rules' conditions.
#[derive(Debug, Default)]
pub struct Coverage {
    pub rules_total: usize,
    pub rules_untested: Vec<String>,
    pub conditions_total: usize,
    /// Seen both true and false.
    pub conditions_covered: usize,
    /// (rule, condition, what was seen: "never", "only true", "only false", …)
    pub gaps: Vec<(String, String, String)>,
}

impl Coverage {
    pub fn percent(&self) -> f64 {
        if self.conditions_total == 0 {
            100.0
        } else {
            100.0 * self.conditions_covered as f64 / self.conditions_total as f64
        }
    }
}

/// Every atomic condition of every rule, against what the cases observed.
pub fn coverage(rules: &RuleSet, outcome: &Outcome) -> Coverage {
    let mut cov = Coverage {
        rules_total: rules.rules.len(),
        ..Default::default()
    };
    for r in &rules.rules {
        if !outcome.exercised.contains(r.id.as_str()) {
            cov.rules_untested.push(r.id.to_string());
        }
        let texts: std::collections::BTreeSet<String> = r
            .conditions()
            .flat_map(|c| c.atoms())
            .filter_map(|a| a.atom_text())
            .collect();
        for text in texts {
            cov.conditions_total += 1;
            let seen = outcome.observed.get(&(r.id.to_string(), text.clone()));
            let t = seen.is_some_and(|s| s.contains(&Truth::True));
            let f = seen.is_some_and(|s| s.contains(&Truth::False));
            if t && f {
                cov.conditions_covered += 1;
            } else {
                let what = match (seen.map(|s| s.is_empty()).unwrap_or(true), t, f) {
                    (true, _, _) => "never evaluated",
                    (_, true, false) => "only ever true",
                    (_, false, true) => "only ever false",
                    _ => "only ever unknown",
                };
                cov.gaps.push((r.id.to_string(), text, what.to_string()));
            }
        }
    }
    cov
}

/// The rule ids a test file expects something of (empty if it does not parse;
/// `cncomply test` reports that).
pub fn expected_rule_ids(text: &str) -> std::collections::BTreeSet<String> {
    serde_yaml::from_str::<TestFile>(text)
        .map(|f| {
            f.tests
                .into_iter()
                .flat_map(|c| c.expect.into_keys().chain(c.missing.into_keys()))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs one test file's cases against `rules`.
pub fn run_file(name: &str, text: &str, rules: &RuleSet, outcome: &mut Outcome) {
    let fail = |outcome: &mut Outcome, case: &str, rule: Option<&str>, message: String| {
        outcome.failures.push(Failure {
            file: name.to_string(),
            case: case.to_string(),
            rule: rule.map(str::to_string),
            message,
        })
    };
    let file: TestFile = match serde_yaml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let at = e
                .location()
                .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
                .unwrap_or_default();
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            fail(
                outcome,
                "(file)",
                None,
                format!("cannot read the test file{at}: {msg}"),
            );
            return;
        }
    };
    for case in file.tests {
        let as_of = match &case.as_of {
            serde_yaml::Value::String(s) => parse_profile_date(s),
            _ => None,
        };
        let Some(as_of) = as_of else {
            fail(
                outcome,
                &case.name,
                None,
                "`as_of` must be a date (YYYY-MM-DD)".into(),
            );
            continue;
        };
        run_case(name, &case, as_of, rules, outcome);
    }
}

fn run_case(file: &str, case: &Case, as_of: NaiveDate, rules: &RuleSet, outcome: &mut Outcome) {
    let mut failures = Vec::new();
    let origin = format!("{file} › {}", case.name);
    let profile = match Profile::from_value(&origin, case.profile.clone(), &rules.vocabulary) {
        Ok(p) => p,
        Err(e) => {
            let msg = match &e.help {
                Some(h) => format!("{} ({h})", e.message),
                None => e.message.clone(),
            };
            failures.push((None, format!("the profile is invalid: {msg}")));
            push(outcome, file, &case.name, failures);
            return;
        }
    };
    let findings = evaluate(rules, &profile, as_of);
    for f in findings
        .iter()
        .filter(|f| case.expect.contains_key(f.rule.id.as_str()))
    {
        for c in &f.checks {
            outcome
                .observed
                .entry((f.rule.id.to_string(), c.condition.to_string()))
                .or_default()
                .insert(c.result);
        }
    }
    for (rule_id, expected) in &case.expect {
        outcome.exercised.insert(rule_id.clone());
        let Some(expected_status) = Status::parse(expected) else {
            let all: Vec<_> = Status::ALL.iter().map(|s| s.as_str()).collect();
            failures.push((
                Some(rule_id.clone()),
                format!("unknown status `{expected}` (one of {})", all.join(", ")),
            ));
            continue;
        };
        let Some(f) = findings.iter().find(|f| &f.rule.id == rule_id) else {
            // A test names rules by their current id: a former one
            // (`formerly`) is pointed at the rule that has it now.
            let hint = match rules.renamed(rule_id) {
                Some(now) => Some(format!("; it is a former id of `{now}`: write `{now}`")),
                None => {
                    crate::suggest::did_you_mean(rule_id, rules.rules.iter().map(|r| r.id.as_str()))
                        .map(|h| format!("; {h}"))
                }
            }
            .unwrap_or_default();
            failures.push((Some(rule_id.clone()), format!("no rule `{rule_id}`{hint}")));
            continue;
        };
        if f.status != expected_status {
            let read: Vec<String> = f
                .checks
                .iter()
                .map(|c| {
                    format!(
                        "{} [{} = {}] → {:?}",
                        c.condition,
                        c.path,
                        c.value.as_deref().unwrap_or("not given"),
                        c.result
                    )
                    .to_lowercase()
                })
                .collect();
            failures.push((
                Some(rule_id.clone()),
                format!(
                    "expected {expected_status}, got {} ({})\n      conditions read: {}",
                    f.status,
                    f.reason,
                    if read.is_empty() {
                        "none".into()
                    } else {
                        read.join("; ")
                    }
                ),
            ));
        }
    }
    for (rule_id, expected_missing) in &case.missing {
        let Some(f) = findings.iter().find(|f| &f.rule.id == rule_id) else {
            failures.push((Some(rule_id.clone()), format!("no rule `{rule_id}`")));
            continue;
        };
        let mut want = expected_missing.clone();
        want.sort();
        let mut got = f.missing.clone();
        got.sort();
        if want != got {
            failures.push((
                Some(rule_id.clone()),
                format!(
                    "expected missing facts [{}], got [{}]",
                    want.join(", "),
                    got.join(", ")
                ),
            ));
        }
    }
    push(outcome, file, &case.name, failures);
}

fn push(outcome: &mut Outcome, file: &str, case: &str, failures: Vec<(Option<String>, String)>) {
    if failures.is_empty() {
        outcome.passed += 1;
    }
    for (rule, message) in failures {
        outcome.failures.push(Failure {
            file: file.to_string(),
            case: case.to_string(),
            rule,
            message,
        });
    }
}

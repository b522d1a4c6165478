//! The peer: the same 22 rules written in Rego (bench/rego/cncomply.rego),
//! evaluated by regorus over the same profiles. Both engines must agree on
//! every status, or the comparison would be of different work.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use cncomply::evaluate::{evaluate_rule, Context};
use cncomply::model::{Rule, RuleSet};
use cncomply::profile::{AttrValue, Profile};
use serde_json::{json, Map, Value};

pub const POLICY: &str = include_str!("../rego/cncomply.rego");

/// The rules the policy expresses, by id.
pub fn shared_rules(rules: &RuleSet) -> Vec<&Rule> {
    let ids = [
        "ccc.ev-charging-equipment",
        "data-security.dsl-ciio-data-localisation",
    ];
    rules
        .rules
        .iter()
        .filter(|r| r.id.starts_with("ccc.household-07") || ids.contains(&r.id.as_str()))
        .collect()
}

/// The category tree as a graph for Rego's `graph.reachable`.
fn category_graph(rules: &RuleSet) -> Value {
    let cats = &rules.vocabulary.categories;
    let graph: Map<String, Value> = cats
        .iter()
        .map(|c| {
            let parents: Vec<&str> = c.parent.map(|p| cats[p].id.as_str()).into_iter().collect();
            (c.id.clone(), json!(parents))
        })
        .collect();
    json!({ "category_graph": graph })
}

/// A profile as the policy's input document.
fn input(rules: &RuleSet, p: &Profile, as_of: NaiveDate) -> Value {
    let attributes: Map<String, Value> = p
        .attributes
        .iter()
        .map(|(k, v)| {
            let v = match v {
                AttrValue::None => Value::Null,
                AttrValue::Number(n) => json!(n),
                AttrValue::Bool(b) => json!(b),
                AttrValue::Text(s) => json!(s),
                AttrValue::Date(d) => json!(d.to_string()),
                AttrValue::List(items) => json!(items),
            };
            (k.clone(), v)
        })
        .collect();
    let evidence: Vec<Value> = p
        .evidence
        .iter()
        .map(|e| {
            let mut item = json!({
                "kind": e.kind.as_str(),
                "scheme": e.scheme,
                "standards": e.standards,
            });
            if let Some(d) = e.valid_until {
                item["valid_until"] = json!(d.to_string());
            }
            item
        })
        .collect();
    json!({
        "as_of": as_of.to_string(),
        "category": rules.vocabulary.categories[p.category].id,
        "attributes": attributes,
        "evidence": evidence,
    })
}

pub struct Comparison {
    pub rules: usize,
    pub evaluations: usize,
    pub cncomply: Duration,
    pub regorus: Duration,
    pub disagreements: usize,
    pub first_disagreement: Option<String>,
}

/// Evaluates the shared rules over `profiles` with both engines, one core
/// each, and compares every status.
pub fn compare(rules: &RuleSet, profiles: &[Profile], as_of: NaiveDate) -> Comparison {
    let shared = shared_rules(rules);
    let mut engine = regorus::Engine::new();
    engine
        .add_policy("cncomply.rego".into(), POLICY.into())
        .expect("the Rego policy compiles");
    engine
        .add_data(regorus::Value::from_json_str(&category_graph(rules).to_string()).unwrap())
        .unwrap();
    // Inputs are converted before timing, as cncomply's profiles are parsed
    // before its evaluation is timed.
    let inputs: Vec<regorus::Value> = profiles
        .iter()
        .map(|p| regorus::Value::from_json_str(&input(rules, p, as_of).to_string()).unwrap())
        .collect();

    let start = Instant::now();
    let mut ours = Vec::with_capacity(profiles.len());
    for p in profiles {
        let ctx = Context {
            vocab: &rules.vocabulary,
            profile: p,
            as_of,
        };
        let statuses: Vec<&'static str> = shared
            .iter()
            .map(|r| evaluate_rule(r, &ctx).status.as_str())
            .collect();
        ours.push(statuses);
    }
    let cncomply = start.elapsed();

    let start = Instant::now();
    let mut theirs = Vec::with_capacity(profiles.len());
    for input in inputs {
        engine.set_input(input);
        theirs.push(
            engine
                .eval_rule("data.cncomply.status".into())
                .expect("the policy evaluates"),
        );
    }
    let regorus_time = start.elapsed();

    let mut disagreements = 0;
    let mut first_disagreement = None;
    for ((p, ours), theirs) in profiles.iter().zip(&ours).zip(&theirs) {
        for (r, status) in shared.iter().zip(ours) {
            let key = regorus::Value::from(r.id.as_str());
            let got = theirs[&key].as_string().map(|s| s.to_string()).ok();
            if got.as_deref() != Some(*status) {
                disagreements += 1;
                first_disagreement.get_or_insert_with(|| {
                    format!("{} on {}: cncomply {status}, Rego {got:?}", r.id, p.origin)
                });
            }
        }
    }
    Comparison {
        rules: shared.len(),
        evaluations: shared.len() * profiles.len(),
        cncomply,
        regorus: regorus_time,
        disagreements,
        first_disagreement,
    }
}

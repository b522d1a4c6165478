//! The peer: the same 18 rules written in Rego, as an OPA author would write
//! them for speed, evaluated by regorus with its tree-walking interpreter
//! and with its compiled virtual machine (RVM) over the same profiles. Like
//! is compared with like: statuses only (bench/rego/cncomply.rego) against
//! cncomply's statuses only, and complete findings (bench/rego/findings.rego:
//! reason, dates, missing facts, evidence and its notes, every condition
//! read) against cncomply's complete findings; each in memory and from text
//! (YAML for cncomply, JSON for regorus). Every pairing must agree on every
//! status or finding, or it would be a comparison of different work.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use cncomply::evaluate::{evaluate_known, status_of, Context, Finding, Status};
use cncomply::model::{Rule, RuleSet};
use cncomply::profile::{AttrValue, Profile};
use serde_json::{json, Map, Value};

use crate::measure::median_cpu;

pub const POLICY: &str = include_str!("../rego/cncomply.rego");
const ENTRY: &str = "data.cncomply.status";
pub const FINDINGS_POLICY: &str = include_str!("../rego/findings.rego");
const FINDINGS_ENTRY: &str = "data.cncomply.findings.finding_of";

/// The rules the policy expresses, by id.
pub fn shared_rules(rules: &RuleSet) -> Vec<&Rule> {
    let ids = [
        "ccc.ev-charging-equipment",
        "data-security.dsl-ciio-data-localisation",
    ];
    // The rows whose table names a Part 2 standard per kind of product
    // (0702, 0706, 0711, 0717) became two rules each, with a second
    // standard and an `is not` scope, when issue 12 told the kinds apart;
    // the Rego still has their one-rule shape, so they are left out.
    let split = ["0702", "0706", "0711", "0717"];
    rules
        .rules
        .iter()
        .filter(|r| {
            let household = r.id.starts_with("ccc.household-07")
                && !split
                    .iter()
                    .any(|row| r.id.starts_with(&format!("ccc.household-{row}")));
            household || ids.contains(&r.id.as_str())
        })
        .collect()
}

/// Each category's ancestors (itself included) as a set, computed once:
/// what `graph.reachable` would walk on every query.
fn ancestors(rules: &RuleSet) -> Value {
    let cats = &rules.vocabulary.categories;
    let table: Map<String, Value> = cats
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut up = Map::new();
            let mut at = Some(i);
            while let Some(k) = at {
                up.insert(cats[k].id.to_string(), Value::Bool(true));
                at = cats[k].parent;
            }
            (c.id.to_string(), Value::Object(up))
        })
        .collect();
    // The rules' own dates as day numbers, for `days_left`.
    let day: Map<String, Value> = ["2021-09-01", "2026-08-01"]
        .iter()
        .map(|d| (d.to_string(), json!(day_number(d.parse().unwrap()))))
        .collect();
    json!({ "ancestors": table, "day": day })
}

fn day_number(d: NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(d.num_days_from_ce())
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
            if let Some(n) = &e.number {
                item["number"] = json!(n);
            }
            item
        })
        .collect();
    json!({
        "as_of": as_of.to_string(),
        "as_of_day": day_number(as_of),
        "category": rules.vocabulary.categories[p.category].id,
        "attributes": attributes,
        "evidence": evidence,
    })
}

/// One side of a pairing: what it computed, per profile, rule by rule.
type Statuses = Vec<Vec<String>>;

/// Two engines on the same work.
pub struct Pairing {
    pub label: &'static str,
    pub peer: &'static str,
    pub cncomply: Duration,
    pub regorus: Duration,
    pub disagreements: usize,
    pub first_disagreement: Option<String>,
}

pub struct Comparison {
    /// Why the RVM pairings are missing, if they are.
    pub rvm_error: Option<String>,
    /// The same for the complete-findings policy.
    pub findings_rvm_error: Option<String>,
    pub rules: usize,
    pub evaluations: usize,
    pub pairings: Vec<Pairing>,
}

/// regorus with the policy and data loaded: the interpreter, and the RVM
/// program compiled from it.
struct Peer {
    engine: regorus::Engine,
    /// None when the RVM cannot compile the policy (the reason is kept).
    vm: Result<regorus::rvm::RegoVM, String>,
    entry: &'static str,
}

impl Peer {
    fn new(data: &Value, file: &str, policy: &str, entry: &'static str) -> Peer {
        let data = regorus::Value::from_json_str(&data.to_string()).unwrap();
        let mut engine = regorus::Engine::new();
        engine
            .add_policy(file.into(), policy.into())
            .expect("the Rego policy compiles");
        engine.add_data(data.clone()).unwrap();
        let compiled = engine
            .compile_with_entrypoint(&regorus::Rc::from(entry))
            .expect("the policy compiles for the RVM");
        let vm =
            regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &[entry])
                .map(|program: Arc<regorus::rvm::Program>| {
                    let mut vm = regorus::rvm::RegoVM::new_with_policy(compiled);
                    vm.load_program(program);
                    vm.set_data(data).unwrap();
                    vm
                })
                .map_err(|e| format!("{e:?}"));
        Peer { engine, vm, entry }
    }

    fn interpret(&mut self, input: regorus::Value) -> regorus::Value {
        self.engine.set_input(input);
        self.engine
            .eval_rule(self.entry.into())
            .expect("the policy evaluates")
    }

    fn run_vm(&mut self, input: regorus::Value) -> regorus::Value {
        let vm = self.vm.as_mut().expect("the RVM compiled the policy");
        vm.set_input(input);
        vm.execute_entry_point_by_name(self.entry)
            .expect("the RVM evaluates")
    }
}

fn statuses_of(result: &regorus::Value, shared: &[&Rule]) -> Vec<String> {
    shared
        .iter()
        .map(|r| {
            result[&regorus::Value::from(r.id.as_str())]
                .as_string()
                .map(|s| s.to_string())
                .unwrap_or_else(|_| "undefined".into())
        })
        .collect()
}

/// The complete findings regorus gave one profile, as JSON to compare.
fn findings_of(result: &regorus::Value, shared: &[&Rule]) -> Vec<Value> {
    shared
        .iter()
        .map(|r| {
            let v = &result[&regorus::Value::from(r.id.as_str())];
            v.to_json_str()
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_else(|| json!("undefined"))
        })
        .collect()
}

/// cncomply's statuses for the shared rules, as its evaluator gives them:
/// turned into text for the comparison after the timing, as regorus's
/// result values are.
fn ours(rules: &RuleSet, shared: &[&Rule], p: &Profile, as_of: NaiveDate) -> Vec<Status> {
    let ctx = Context {
        vocab: &rules.vocabulary,
        profile: p,
        as_of,
    };
    shared.iter().map(|r| status_of(r, &ctx)).collect()
}

/// cncomply's complete findings (what `check --all` reports) for the shared rules.
fn ours_complete<'r>(
    rules: &RuleSet,
    shared: &[&'r Rule],
    p: &Profile,
    as_of: NaiveDate,
) -> Vec<Finding<'r>> {
    let ctx = Context {
        vocab: &rules.vocabulary,
        profile: p,
        as_of,
    };
    shared.iter().map(|r| evaluate_known(r, &ctx)).collect()
}

/// What a finding says of the product, as findings.rego writes it (the
/// rule's own text, the same for every product, is left out).
fn finding_json(f: &Finding) -> Value {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    json!({
        "status": f.status.as_str(),
        "reason": f.reason,
        "effective": date(f.effective),
        "case": f.case,
        "transition_until": date(f.transition_until),
        "deadline": date(f.deadline),
        "days_left": f.days_left,
        "missing": f.missing,
        "evidence_met": f.evidence.met,
        "notes": f.evidence.notes,
        "checks": f.checks.iter().map(|c| json!([c.condition, c.path, c.value, c.result])).collect::<Vec<_>>(),
    })
}

/// Times `f` (median of `runs`, CPU time) and keeps what its last run computed.
fn timed<T>(runs: usize, mut f: impl FnMut() -> Vec<T>) -> (Duration, Vec<T>) {
    let mut last = Vec::new();
    let d = median_cpu(runs, || last = f());
    (d, last)
}

fn disagreements<T: PartialEq + std::fmt::Display>(
    names: &[String],
    shared: &[&Rule],
    a: &[Vec<T>],
    b: &[Vec<T>],
) -> (usize, Option<String>) {
    let mut n = 0;
    let mut first = None;
    for ((name, x), y) in names.iter().zip(a).zip(b) {
        for ((r, s), t) in shared.iter().zip(x).zip(y) {
            if s != t {
                n += 1;
                first.get_or_insert_with(|| {
                    format!("{} on {name}: cncomply {s}, regorus {t}", r.id)
                });
            }
        }
    }
    (n, first)
}

/// Evaluates the shared rules over the profiles with every engine, one
/// core each, median of `runs`, and compares every status and every
/// complete finding. `texts` are the profiles' YAML, in the same order.
pub fn compare(
    rules: &RuleSet,
    profiles: &[Profile],
    texts: &[(String, String)],
    as_of: NaiveDate,
    runs: usize,
) -> Comparison {
    let shared = shared_rules(rules);
    let data = ancestors(rules);
    let names: Vec<String> = profiles.iter().map(|p| p.origin.clone()).collect();
    // Inputs for the in-memory pairings are converted before timing, as
    // cncomply's profiles are parsed before its evaluation is timed.
    let json_texts: Vec<String> = profiles
        .iter()
        .map(|p| input(rules, p, as_of).to_string())
        .collect();
    let inputs: Vec<regorus::Value> = json_texts
        .iter()
        .map(|t| regorus::Value::from_json_str(t).unwrap())
        .collect();
    let load = |(name, yaml): &(String, String)| {
        Profile::from_yaml(name, yaml, &rules.vocabulary).expect("profiles load")
    };
    let mut pairings = Vec::new();
    let mut rvm_error = None;

    // Statuses only.
    let (mem, ours_statuses) = timed(runs, || {
        profiles
            .iter()
            .map(|p| ours(rules, &shared, p, as_of))
            .collect()
    });
    let ours_statuses: Statuses = ours_statuses
        .iter()
        .map(|st| st.iter().map(|s| s.as_str().to_string()).collect())
        .collect();
    let (text, _) = timed(runs, || {
        texts
            .iter()
            .map(|t| ours(rules, &shared, &load(t), as_of))
            .collect()
    });
    let mut peer = Peer::new(&data, "cncomply.rego", POLICY, ENTRY);
    rvm_error = rvm_error.or(peer.vm.as_ref().err().cloned());
    for (label, ours_time, from_text) in [
        ("statuses, in memory", mem, false),
        ("statuses, from text", text, true),
    ] {
        for engine in ["interpreter", "RVM"] {
            if engine == "RVM" && peer.vm.is_err() {
                continue;
            }
            let (t, results) = run_peer(&mut peer, engine, runs, &inputs, &json_texts, from_text);
            let theirs: Statuses = results.iter().map(|r| statuses_of(r, &shared)).collect();
            let (n, first) = disagreements(&names, &shared, &ours_statuses, &theirs);
            pairings.push(Pairing {
                label,
                peer: engine,
                cncomply: ours_time,
                regorus: t,
                disagreements: n,
                first_disagreement: first,
            });
        }
    }

    // Complete findings.
    let (mem, ours_findings) = timed(runs, || {
        profiles
            .iter()
            .map(|p| ours_complete(rules, &shared, p, as_of))
            .collect()
    });
    let (text, _) = timed(runs, || {
        texts
            .iter()
            .map(|t| ours_complete(rules, &shared, &load(t), as_of))
            .collect()
    });
    let ours_findings: Vec<Vec<Value>> = ours_findings
        .iter()
        .map(|fs| fs.iter().map(finding_json).collect())
        .collect();
    let mut peer = Peer::new(&data, "findings.rego", FINDINGS_POLICY, FINDINGS_ENTRY);
    let findings_rvm_error = peer.vm.as_ref().err().cloned();
    for (label, ours_time, from_text) in [
        ("findings, in memory", mem, false),
        ("findings, from text", text, true),
    ] {
        for engine in ["interpreter", "RVM"] {
            if engine == "RVM" && peer.vm.is_err() {
                continue;
            }
            let (t, results) = run_peer(&mut peer, engine, runs, &inputs, &json_texts, from_text);
            let theirs: Vec<Vec<Value>> = results.iter().map(|r| findings_of(r, &shared)).collect();
            let (n, first) = disagreements(&names, &shared, &ours_findings, &theirs);
            pairings.push(Pairing {
                label,
                peer: engine,
                cncomply: ours_time,
                regorus: t,
                disagreements: n,
                first_disagreement: first,
            });
        }
    }
    Comparison {
        rvm_error,
        findings_rvm_error,
        rules: shared.len(),
        evaluations: shared.len() * profiles.len(),
        pairings,
    }
}

/// regorus's engine over every input, median of `runs`: from the JSON
/// text (parsed in the timing) or from values parsed before.
fn run_peer(
    peer: &mut Peer,
    engine: &str,
    runs: usize,
    inputs: &[regorus::Value],
    texts: &[String],
    from_text: bool,
) -> (Duration, Vec<regorus::Value>) {
    let vm = engine == "RVM";
    timed(runs, || {
        (0..inputs.len())
            .map(|i| {
                let input = if from_text {
                    regorus::Value::from_json_str(&texts[i]).unwrap()
                } else {
                    inputs[i].clone()
                };
                if vm {
                    peer.run_vm(input)
                } else {
                    peer.interpret(input)
                }
            })
            .collect()
    })
}

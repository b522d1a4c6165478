//! The peer: the same 22 rules written in Rego (bench/rego/cncomply.rego,
//! as an OPA author would write them for speed), evaluated by regorus with
//! its tree-walking interpreter and with its compiled virtual machine (RVM)
//! over the same profiles. Like is compared with like: statuses only
//! against statuses only, in memory and from text (YAML for cncomply, JSON
//! for regorus). Every pairing must agree on every status, or it would be a
//! comparison of different work.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use cncomply::evaluate::{status_of, Context};
use cncomply::model::{Rule, RuleSet};
use cncomply::profile::{AttrValue, Profile};
use serde_json::{json, Map, Value};

use crate::measure::median;

pub const POLICY: &str = include_str!("../rego/cncomply.rego");
const ENTRY: &str = "data.cncomply.status";

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
                up.insert(cats[k].id.clone(), Value::Bool(true));
                at = cats[k].parent;
            }
            (c.id.clone(), Value::Object(up))
        })
        .collect();
    json!({ "ancestors": table })
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
}

impl Peer {
    fn new(data: &Value) -> Peer {
        let data = regorus::Value::from_json_str(&data.to_string()).unwrap();
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("cncomply.rego".into(), POLICY.into())
            .expect("the Rego policy compiles");
        engine.add_data(data.clone()).unwrap();
        let compiled = engine
            .compile_with_entrypoint(&regorus::Rc::from(ENTRY))
            .expect("the policy compiles for the RVM");
        let vm =
            regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &[ENTRY])
                .map(|program: Arc<regorus::rvm::Program>| {
                    let mut vm = regorus::rvm::RegoVM::new_with_policy(compiled);
                    vm.load_program(program);
                    vm.set_data(data).unwrap();
                    vm
                })
                .map_err(|e| format!("{e:?}"));
        Peer { engine, vm }
    }

    fn interpret(&mut self, input: regorus::Value) -> regorus::Value {
        self.engine.set_input(input);
        self.engine
            .eval_rule(ENTRY.into())
            .expect("the policy evaluates")
    }

    fn run_vm(&mut self, input: regorus::Value) -> regorus::Value {
        let vm = self.vm.as_mut().expect("the RVM compiled the policy");
        vm.set_input(input);
        vm.execute_entry_point_by_name(ENTRY)
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

fn ours(rules: &RuleSet, shared: &[&Rule], p: &Profile, as_of: NaiveDate) -> Vec<String> {
    let ctx = Context {
        vocab: &rules.vocabulary,
        profile: p,
        as_of,
    };
    shared
        .iter()
        .map(|r| status_of(r, &ctx).as_str().to_string())
        .collect()
}

/// Times `f` (median of `runs`) and keeps what its last run computed.
fn timed(runs: usize, mut f: impl FnMut() -> Statuses) -> (Duration, Statuses) {
    let mut last = Vec::new();
    let d = median(runs, || last = f());
    (d, last)
}

fn compare_statuses(
    names: &[String],
    shared: &[&Rule],
    a: &Statuses,
    b: &Statuses,
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
/// core each, median of `runs`, and compares every status. `texts` are the
/// profiles' YAML, in the same order.
pub fn compare(
    rules: &RuleSet,
    profiles: &[Profile],
    texts: &[(String, String)],
    as_of: NaiveDate,
    runs: usize,
) -> Comparison {
    let shared = shared_rules(rules);
    let mut peer = Peer::new(&ancestors(rules));
    let names: Vec<String> = profiles.iter().map(|p| p.origin.clone()).collect();
    // Inputs for the in-memory pairing are converted before timing, as
    // cncomply's profiles are parsed before its evaluation is timed.
    let json_texts: Vec<String> = profiles
        .iter()
        .map(|p| input(rules, p, as_of).to_string())
        .collect();
    let inputs: Vec<regorus::Value> = json_texts
        .iter()
        .map(|t| regorus::Value::from_json_str(t).unwrap())
        .collect();

    let (ours_mem, ours_mem_statuses) = timed(runs, || {
        profiles
            .iter()
            .map(|p| ours(rules, &shared, p, as_of))
            .collect()
    });
    let (ours_text, ours_text_statuses) = timed(runs, || {
        texts
            .iter()
            .map(|(name, yaml)| {
                let p = Profile::from_yaml(name, yaml, &rules.vocabulary).expect("profiles load");
                ours(rules, &shared, &p, as_of)
            })
            .collect()
    });
    let mut pairings = Vec::new();
    let mut pair =
        |label, engine, ours_time, ours_statuses: &Statuses, (t, theirs): (Duration, Statuses)| {
            let (disagreements, first_disagreement) =
                compare_statuses(&names, &shared, ours_statuses, &theirs);
            pairings.push(Pairing {
                label,
                peer: engine,
                cncomply: ours_time,
                regorus: t,
                disagreements,
                first_disagreement,
            });
        };
    let interp_mem = timed(runs, || {
        inputs
            .iter()
            .map(|i| statuses_of(&peer.interpret(i.clone()), &shared))
            .collect()
    });
    pair(
        "statuses, in memory",
        "interpreter",
        ours_mem,
        &ours_mem_statuses,
        interp_mem,
    );
    let rvm_error = peer.vm.as_ref().err().cloned();
    if rvm_error.is_none() {
        let vm_mem = timed(runs, || {
            inputs
                .iter()
                .map(|i| statuses_of(&peer.run_vm(i.clone()), &shared))
                .collect()
        });
        pair(
            "statuses, in memory",
            "RVM",
            ours_mem,
            &ours_mem_statuses,
            vm_mem,
        );
    }
    let interp_text = timed(runs, || {
        json_texts
            .iter()
            .map(|t| {
                let i = regorus::Value::from_json_str(t).unwrap();
                statuses_of(&peer.interpret(i), &shared)
            })
            .collect()
    });
    pair(
        "statuses, from text",
        "interpreter",
        ours_text,
        &ours_text_statuses,
        interp_text,
    );
    if rvm_error.is_none() {
        let vm_text = timed(runs, || {
            json_texts
                .iter()
                .map(|t| {
                    let i = regorus::Value::from_json_str(t).unwrap();
                    statuses_of(&peer.run_vm(i), &shared)
                })
                .collect()
        });
        pair(
            "statuses, from text",
            "RVM",
            ours_text,
            &ours_text_statuses,
            vm_text,
        );
    }
    Comparison {
        rvm_error,
        rules: shared.len(),
        evaluations: shared.len() * profiles.len(),
        pairings,
    }
}

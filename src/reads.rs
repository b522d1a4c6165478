//! Which profile facts a rule reads, found in its conditions. The schema
//! names the rules behind each attribute and `init` asks only for facts a
//! rule still needs.

use crate::model::{Condition, Fact, Rule};

/// Every condition of a rule: scope, exclusions, dated cases, transitions.
pub fn conditions(r: &Rule) -> impl Iterator<Item = &Condition> {
    std::iter::once(&r.scope)
        .chain(r.exclusions.iter().map(|e| &e.when))
        .chain(r.effective.iter().filter_map(|c| c.when.as_ref()))
        .chain(r.transitions.iter().filter_map(|c| c.when.as_ref()))
}

/// The facts a condition reads, each once, in the order written.
pub fn facts<'c>(c: &'c Condition, out: &mut Vec<&'c Fact>) {
    match c {
        Condition::Any(parts) | Condition::All(parts) => {
            for p in parts {
                facts(p, out);
            }
        }
        Condition::Not(inner) => facts(inner, out),
        Condition::Holds(_) => {}
        Condition::Test(t) => {
            if !out.contains(&&t.fact) {
                out.push(&t.fact);
            }
        }
    }
}

//! Which profile facts a rule reads, found in its conditions. The schema
//! names the rules behind each attribute and `init` asks only for facts a
//! rule still needs.

use crate::model::{Condition, Fact};

/// The facts a condition reads, each once, in the order written.
pub fn facts<'c>(c: &'c Condition, out: &mut Vec<&'c Fact>) {
    for atom in c.atoms() {
        if let Condition::Test(t) = atom {
            if !out.contains(&&t.fact) {
                out.push(&t.fact);
            }
        }
    }
}

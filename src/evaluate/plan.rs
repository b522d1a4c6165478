//! What a run works out once about its rules, so that each product of a
//! catalogue pays only for what depends on it: the day each rule became
//! known, and for each category the rules whose scope a product of it can
//! be in. Most rules are scoped to a few categories, so most of a product's
//! rules are settled not applicable without reading any of its facts.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::model::{Condition, Fact, Op, RuleSet};
use crate::profile::Profile;

use super::condition::in_categories;
use super::{early, evaluate_as_known, Context, Detail, Early, Evaluation, Finding, Truth};

pub struct Plan<'r> {
    rules: &'r RuleSet,
    /// [`super::known_from`] of each rule.
    known: Vec<Option<NaiveDate>>,
    /// The categories each rule's scope requires, when it is `category is
    /// …` or an `and` with such a test among its parts.
    gates: Vec<Option<&'r [usize]>>,
    /// By category, the rules whose gate lets a product of it through when
    /// it is in no other category; worked out for a category the first time
    /// a product of it is checked.
    reach: Vec<OnceLock<Vec<usize>>>,
    /// By category, the rules whose gate names it: a product also in that
    /// category (`also_in`, from the facts it states) passes them.
    named_by: Vec<Vec<usize>>,
}

impl<'r> Plan<'r> {
    pub fn new(rules: &'r RuleSet) -> Plan<'r> {
        let categories = rules.vocabulary.categories.len();
        let gates: Vec<Option<&[usize]>> = rules
            .rules
            .iter()
            .map(|r| category_gate(&r.scope))
            .collect();
        let mut named_by = vec![Vec::new(); categories];
        for (i, gate) in gates.iter().enumerate() {
            for &c in gate.unwrap_or_default() {
                if let Some(named) = named_by.get_mut(c) {
                    named.push(i);
                }
            }
        }
        Plan {
            rules,
            known: rules.rules.iter().map(super::known_from).collect(),
            gates,
            reach: (0..categories).map(|_| OnceLock::new()).collect(),
            named_by,
        }
    }

    /// Evaluates every rule against one profile, as
    /// [`super::evaluate_with`] does.
    pub fn evaluate(&self, profile: &Profile, as_of: NaiveDate, detail: Detail) -> Evaluation<'r> {
        let ctx = Context {
            vocab: &self.rules.vocabulary,
            profile,
            as_of,
        };
        let finding = |i: usize| evaluate_as_known(&self.rules.rules[i], self.known[i], &ctx);
        match detail {
            Detail::Full => Evaluation {
                findings: (0..self.rules.rules.len()).map(finding).collect(),
                omitted: 0,
            },
            Detail::Brief => {
                let findings: Vec<Finding> = self
                    .candidates(profile)
                    .iter()
                    .copied()
                    .filter(|&i| {
                        early(&self.rules.rules[i], self.known[i], &ctx) != Early::NotApplicable
                    })
                    .map(finding)
                    .collect();
                Evaluation {
                    omitted: self.rules.rules.len() - findings.len(),
                    findings,
                }
            }
        }
    }

    /// The rules, in order, whose scope `profile` is not kept out of by its
    /// category; every other rule's scope is false for it.
    fn candidates(&self, profile: &Profile) -> Cow<'_, [usize]> {
        let mine = profile.category;
        let named: Option<Vec<&Vec<usize>>> = profile
            .also_in
            .iter()
            .map(|&c| self.named_by.get(c))
            .collect();
        let (Some(reach), Some(named)) = (self.reach.get(mine), named) else {
            return Cow::Owned(self.passing(mine, &profile.also_in));
        };
        let reach = reach.get_or_init(|| self.passing(mine, &[]));
        if named.is_empty() {
            return Cow::Borrowed(reach);
        }
        // A gate lets the product through when it would without `also_in`,
        // or when it names one of those categories.
        let mut all: Vec<usize> = reach
            .iter()
            .chain(named.into_iter().flatten())
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        Cow::Owned(all)
    }

    /// The rules whose gate does not shut out a product of `mine` that is
    /// also in `also_in`.
    fn passing(&self, mine: usize, also_in: &[usize]) -> Vec<usize> {
        let vocab = &self.rules.vocabulary;
        (0..self.rules.rules.len())
            .filter(|&i| {
                self.gates[i]
                    .is_none_or(|cats| in_categories(vocab, mine, also_in, cats) != Truth::False)
            })
            .collect()
    }
}

/// The categories a scope requires: a category test that is the scope or
/// one of the parts of its `and`. When that test is false the scope is
/// false, whatever its other parts give.
fn category_gate(scope: &Condition) -> Option<&[usize]> {
    match scope {
        Condition::All(parts) => parts.iter().find_map(category_test),
        other => category_test(other),
    }
}

/// The categories of a `category is …` test.
fn category_test(c: &Condition) -> Option<&[usize]> {
    match c {
        Condition::Test(t) => match (&t.fact, &t.op) {
            (Fact::Category, Op::InCategories(cats)) => Some(cats),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The gate leaves out only rules the full evaluation finds not
    /// applicable: for a product of every category of the bundled library,
    /// each rule left out is settled not applicable by reading the profile.
    #[test]
    fn a_rule_the_gate_leaves_out_is_not_applicable_to_the_product() {
        let rules = crate::bundled::rule_set().unwrap();
        let plan = Plan::new(&rules);
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut left_out = 0;
        for c in &rules.vocabulary.categories {
            let text = format!("name: X\ncategory: {}\n", c.id);
            let Ok(profile) = Profile::from_yaml("p.yaml", &text, &rules.vocabulary) else {
                continue;
            };
            let ctx = Context {
                vocab: &rules.vocabulary,
                profile: &profile,
                as_of,
            };
            let candidates = plan.candidates(&profile);
            for (i, rule) in rules.rules.iter().enumerate() {
                if !candidates.contains(&i) {
                    left_out += 1;
                    assert_eq!(
                        early(rule, plan.known[i], &ctx),
                        Early::NotApplicable,
                        "{} for a {}",
                        rule.id,
                        c.id
                    );
                }
            }
        }
        // The gate does leave rules out: most rules are for a few categories.
        assert!(left_out > rules.rules.len(), "{left_out}");
    }
}

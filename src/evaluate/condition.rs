//! Three-valued evaluation of conditions. A fact the profile does not give
//! makes a test *unknown*; unknown only decides the outcome when the known
//! parts cannot (false `and` unknown is false; true `or` unknown is true).
//! Every test is recorded, so a finding can show what was read.

use chrono::NaiveDate;

use crate::model::{Condition, Fact, Op, Scalar, Test, Vocabulary};
use crate::profile::{format_number, AttrValue, Profile};

use super::evidence;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Truth {
    True,
    False,
    Unknown,
}

impl Truth {
    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }

    fn from_bool(b: bool) -> Truth {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }
}

/// One test as read against the profile.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Check {
    /// The condition as written in the rule.
    pub condition: String,
    /// Where in the profile the fact lives.
    pub path: String,
    /// The value read, as text; None when the profile does not give it.
    pub value: Option<String>,
    pub result: Truth,
}

pub struct Context<'a> {
    pub vocab: &'a Vocabulary,
    pub profile: &'a Profile,
    pub as_of: NaiveDate,
}

impl Context<'_> {
    pub fn eval(&self, c: &Condition, trace: &mut Vec<Check>, missing: &mut Vec<String>) -> Truth {
        match c {
            Condition::All(parts) => {
                // No short-circuit: the explanation lists every test read.
                let mut result = Truth::True;
                for p in parts {
                    match self.eval(p, trace, missing) {
                        Truth::False => result = Truth::False,
                        Truth::Unknown if result == Truth::True => result = Truth::Unknown,
                        _ => {}
                    }
                }
                result
            }
            Condition::Any(parts) => {
                let mut result = Truth::False;
                for p in parts {
                    match self.eval(p, trace, missing) {
                        Truth::True => result = Truth::True,
                        Truth::Unknown if result == Truth::False => result = Truth::Unknown,
                        _ => {}
                    }
                }
                result
            }
            Condition::Not(inner) => self.eval(inner, trace, missing).not(),
            Condition::Holds(r) => {
                let outcome = evidence::check_ref(r, &self.profile.evidence, self.as_of);
                let result = Truth::from_bool(outcome.met);
                trace.push(Check {
                    condition: format!("holds {}", r.describe()),
                    path: "evidence".into(),
                    value: Some(if outcome.met {
                        "held".into()
                    } else {
                        "not held".into()
                    }),
                    result,
                });
                result
            }
            Condition::Test(t) => {
                let (result, value) = self.test(t);
                if result == Truth::Unknown && !missing.iter().any(|m| m == t.fact.name()) {
                    missing.push(t.fact.name().to_string());
                }
                trace.push(Check {
                    condition: t.text.clone(),
                    path: t.fact.path(),
                    value,
                    result,
                });
                result
            }
        }
    }

    fn fact_value(&self, fact: &Fact) -> Option<AttrValue> {
        let p = self.profile;
        match fact {
            Fact::Name => Some(AttrValue::Text(p.name.clone())),
            Fact::Category => Some(AttrValue::Text(
                self.vocab.categories[p.category].id.clone(),
            )),
            Fact::MadeIn => p.made_in.clone().map(AttrValue::Text),
            Fact::SoldIn => p.sold_in.clone().map(AttrValue::List),
            Fact::PlacedOnMarket => p.placed_on_market.map(AttrValue::Date),
            Fact::Attribute(a) => p.attribute(a).cloned(),
        }
    }

    fn test(&self, t: &Test) -> (Truth, Option<String>) {
        let value = self.fact_value(&t.fact);
        let shown = value.as_ref().map(|v| v.to_string());
        let result = match (&t.op, &value) {
            (Op::Given, v) => Truth::from_bool(!matches!(v, None | Some(AttrValue::None))),
            (Op::Missing, v) => Truth::from_bool(matches!(v, None | Some(AttrValue::None))),
            (_, None) => Truth::Unknown,
            // The product has no such value: every comparison is false,
            // except the negative ones.
            (Op::IsNot(_) | Op::NotOneOf(_) | Op::NotContains(_), Some(AttrValue::None)) => {
                Truth::True
            }
            (_, Some(AttrValue::None)) => Truth::False,
            (Op::InCategories(cats), Some(_)) => Truth::from_bool(
                cats.iter()
                    .any(|&c| self.vocab.is_a(self.profile.category, c)),
            ),
            (Op::NotInCategories(cats), Some(_)) => Truth::from_bool(
                !cats
                    .iter()
                    .any(|&c| self.vocab.is_a(self.profile.category, c)),
            ),
            (Op::Is(s), Some(v)) => Truth::from_bool(equals(v, s)),
            (Op::IsNot(s), Some(v)) => Truth::from_bool(!equals(v, s)),
            (Op::OneOf(list), Some(v)) => Truth::from_bool(list.iter().any(|s| equals(v, s))),
            (Op::NotOneOf(list), Some(v)) => Truth::from_bool(!list.iter().any(|s| equals(v, s))),
            (Op::Number(cmp, n), Some(AttrValue::Number(v))) => Truth::from_bool(cmp.holds(*v, *n)),
            (Op::Between(lo, hi), Some(AttrValue::Number(v))) => {
                Truth::from_bool(*lo <= *v && *v <= *hi)
            }
            (Op::Date(cmp, d), Some(AttrValue::Date(v))) => Truth::from_bool(cmp.holds(*v, *d)),
            (Op::Contains(s), Some(AttrValue::List(items))) => {
                Truth::from_bool(items.iter().any(|i| i.trim().eq_ignore_ascii_case(s)))
            }
            (Op::NotContains(s), Some(AttrValue::List(items))) => {
                Truth::from_bool(!items.iter().any(|i| i.trim().eq_ignore_ascii_case(s)))
            }
            // The model type-checks every test against the declared type and
            // the profile loader enforces it, so no other pairing can occur.
            _ => Truth::Unknown,
        };
        (result, shown)
    }
}

fn equals(v: &AttrValue, s: &Scalar) -> bool {
    match (v, s) {
        (AttrValue::Number(a), Scalar::Number(b)) => a == b,
        (AttrValue::Bool(a), Scalar::Bool(b)) => a == b,
        (AttrValue::Text(a), Scalar::Text(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        (AttrValue::Date(a), Scalar::Date(b)) => a == b,
        _ => false,
    }
}

/// Renders a rule's `explain` text, replacing `{fact}` with the profile's value.
pub fn render_template(template: &str, ctx: &Context) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = after[..close].trim();
                let fact =
                    Fact::from_reserved(name).unwrap_or_else(|| Fact::Attribute(name.to_string()));
                match ctx.fact_value(&fact) {
                    Some(AttrValue::Number(n)) => out.push_str(&format_number(n)),
                    Some(v) => out.push_str(&v.to_string()),
                    None => out.push_str("(not given)"),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

//! Three-valued evaluation of conditions. A fact the profile does not give
//! makes a test *unknown*; unknown only decides the outcome when the known
//! parts cannot (false `and` unknown is false; true `or` unknown is true).
//! Every test is recorded, so a finding can show what was read.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::model::{Condition, Fact, Op, Scalar, Vocabulary};
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
pub struct Check<'r> {
    /// The condition as written in the rule. Borrowed from the rule where it
    /// can be: a catalogue run keeps millions of checks.
    pub condition: Cow<'r, str>,
    /// Where in the profile the fact lives.
    pub path: &'r str,
    /// The value read, as text; None when the profile does not give it.
    pub value: Option<String>,
    pub result: Truth,
}

pub struct Context<'a> {
    pub vocab: &'a Vocabulary,
    pub profile: &'a Profile,
    pub as_of: NaiveDate,
}

/// A fact's value as the profile gives it, borrowed: reading a fact costs no
/// allocation, and its text is made only when a trace records it.
#[derive(Debug, Clone, Copy)]
enum Value<'p> {
    None,
    Number(f64),
    Bool(bool),
    Text(&'p str),
    Date(NaiveDate),
    List(&'p [String]),
}

impl<'p> From<&'p AttrValue> for Value<'p> {
    fn from(v: &'p AttrValue) -> Self {
        match v {
            AttrValue::None => Value::None,
            AttrValue::Number(n) => Value::Number(*n),
            AttrValue::Bool(b) => Value::Bool(*b),
            AttrValue::Text(s) => Value::Text(s),
            AttrValue::Date(d) => Value::Date(*d),
            AttrValue::List(items) => Value::List(items),
        }
    }
}

/// Written as [`AttrValue`]'s `Display` writes the same value.
impl std::fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::None => f.write_str("none"),
            Value::Number(n) => f.write_str(&format_number(*n)),
            Value::Bool(true) => f.write_str("yes"),
            Value::Bool(false) => f.write_str("no"),
            Value::Text(s) => f.write_str(s),
            Value::Date(d) => write!(f, "{d}"),
            Value::List(items) => write!(f, "[{}]", items.join(", ")),
        }
    }
}

impl Context<'_> {
    /// Evaluates `c`, recording every test read in `trace` and each fact
    /// that left a test unknown in `missing`.
    pub fn eval<'r>(
        &self,
        c: &'r Condition,
        trace: &mut Vec<Check<'r>>,
        missing: &mut Vec<String>,
    ) -> Truth {
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
                let result = self.holds(r);
                trace.push(Check {
                    condition: Cow::Owned(format!("holds {}", r.describe())),
                    path: "evidence",
                    value: Some(if result == Truth::True {
                        "held".into()
                    } else {
                        "not held".into()
                    }),
                    result,
                });
                result
            }
            Condition::Test(t) => {
                let value = self.fact_value(&t.fact);
                let result = self.test(&t.op, value);
                if result == Truth::Unknown && !missing.iter().any(|m| m == t.fact.name()) {
                    missing.push(t.fact.name().to_string());
                }
                trace.push(Check {
                    condition: Cow::Borrowed(&t.text),
                    path: &t.path,
                    value: value.map(|v| v.to_string()),
                    result,
                });
                result
            }
        }
    }

    /// The value of `c` alone, as [`Context::eval`] gives it, without
    /// recording anything: for findings whose details nobody reads. It may
    /// stop early (false `and` …, true `or` …), which cannot change the value.
    pub fn truth(&self, c: &Condition) -> Truth {
        match c {
            Condition::All(parts) => {
                let mut result = Truth::True;
                for p in parts {
                    match self.truth(p) {
                        Truth::False => return Truth::False,
                        Truth::Unknown => result = Truth::Unknown,
                        Truth::True => {}
                    }
                }
                result
            }
            Condition::Any(parts) => {
                let mut result = Truth::False;
                for p in parts {
                    match self.truth(p) {
                        Truth::True => return Truth::True,
                        Truth::Unknown => result = Truth::Unknown,
                        Truth::False => {}
                    }
                }
                result
            }
            Condition::Not(inner) => self.truth(inner).not(),
            Condition::Holds(r) => self.holds(r),
            Condition::Test(t) => self.test(&t.op, self.fact_value(&t.fact)),
        }
    }

    fn holds(&self, r: &crate::model::EvidenceRef) -> Truth {
        Truth::from_bool(evidence::holds(r, &self.profile.evidence, self.as_of))
    }

    fn fact_value(&self, fact: &Fact) -> Option<Value<'_>> {
        let p = self.profile;
        match fact {
            Fact::Name => Some(Value::Text(&p.name)),
            Fact::Category => Some(Value::Text(&self.vocab.categories[p.category].id)),
            Fact::MadeIn => p.made_in.as_deref().map(Value::Text),
            Fact::SoldIn => p.sold_in.as_deref().map(Value::List),
            Fact::PlacedOnMarket => p.placed_on_market.map(Value::Date),
            Fact::Attribute(a) => p.attribute(a).map(Value::from),
        }
    }

    fn test(&self, op: &Op, value: Option<Value>) -> Truth {
        match (op, value) {
            (Op::Given, v) => Truth::from_bool(!matches!(v, None | Some(Value::None))),
            (Op::Missing, v) => Truth::from_bool(matches!(v, None | Some(Value::None))),
            (_, None) => Truth::Unknown,
            // The product has no such value: every comparison is false,
            // except the negative ones.
            (Op::IsNot(_) | Op::NotOneOf(_) | Op::NotContains(_), Some(Value::None)) => Truth::True,
            (_, Some(Value::None)) => Truth::False,
            (Op::InCategories(cats), Some(_)) => self.in_categories(cats),
            (Op::NotInCategories(cats), Some(_)) => self.in_categories(cats).not(),
            (Op::Is(s), Some(v)) => Truth::from_bool(equals(v, s)),
            (Op::IsNot(s), Some(v)) => Truth::from_bool(!equals(v, s)),
            (Op::OneOf(list), Some(v)) => Truth::from_bool(list.iter().any(|s| equals(v, s))),
            (Op::NotOneOf(list), Some(v)) => Truth::from_bool(!list.iter().any(|s| equals(v, s))),
            (Op::Number(cmp, n), Some(Value::Number(v))) => Truth::from_bool(cmp.holds(v, *n)),
            (Op::Between(lo, hi), Some(Value::Number(v))) => Truth::from_bool(*lo <= v && v <= *hi),
            (Op::Date(cmp, d), Some(Value::Date(v))) => Truth::from_bool(cmp.holds(v, *d)),
            (Op::Contains(s), Some(Value::List(items))) => {
                Truth::from_bool(items.iter().any(|i| i.trim().eq_ignore_ascii_case(s)))
            }
            (Op::NotContains(s), Some(Value::List(items))) => {
                Truth::from_bool(!items.iter().any(|i| i.trim().eq_ignore_ascii_case(s)))
            }
            // The model type-checks every test against the declared type and
            // the profile loader enforces it, so no other pairing can occur.
            _ => Truth::Unknown,
        }
    }
}

impl Context<'_> {
    /// Is the product in one of `cats`? It is when its category is one of
    /// them or under one, or when it states the fact a listed category is
    /// defined by (`includes any product with …`). A product named by an
    /// `ask which kind` category (a "welding machine" where the rule lists
    /// the TIG welder) may or may not be: unknown, so the finding asks which
    /// kind it is instead of settling "not applicable".
    fn in_categories(&self, cats: &[usize]) -> Truth {
        in_categories(
            self.vocab,
            self.profile.category,
            &self.profile.also_in,
            cats,
        )
    }
}

/// [`Context::in_categories`] for a product of category `mine` that is
/// also in `also_in`: what a rule's category test gives it, read without a
/// profile when a run sorts its rules by category once.
pub(crate) fn in_categories(
    vocab: &Vocabulary,
    mine: usize,
    also_in: &[usize],
    cats: &[usize],
) -> Truth {
    let member = cats
        .iter()
        .any(|&c| vocab.is_a(mine, c) || also_in.contains(&c));
    if member {
        return Truth::True;
    }
    let ask =
        vocab.categories[mine].ask_kind && cats.iter().any(|&c| c != mine && vocab.is_a(c, mine));
    if ask {
        Truth::Unknown
    } else {
        Truth::False
    }
}

fn equals(v: Value, s: &Scalar) -> bool {
    match (v, s) {
        (Value::Number(a), Scalar::Number(b)) => a == *b,
        (Value::Bool(a), Scalar::Bool(b)) => a == *b,
        (Value::Text(a), Scalar::Text(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        (Value::Date(a), Scalar::Date(b)) => a == *b,
        _ => false,
    }
}

/// Renders a rule's `explain` text, replacing `{fact}` with the profile's value.
pub fn render_template<'t>(template: &'t str, ctx: &Context) -> Cow<'t, str> {
    // Most explanations quote no profile value: they are borrowed from the
    // rule, not copied into every finding of every product. They are long,
    // and read for every finding: memchr's search is vectorised.
    if memchr::memchr(b'{', template.as_bytes()).is_none() {
        return Cow::Borrowed(template);
    }
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = after[..close].trim();
                let fact = Fact::from_reserved(name)
                    .unwrap_or_else(|| Fact::Attribute(name.to_string().into()));
                match ctx.fact_value(&fact) {
                    Some(v) => {
                        use std::fmt::Write;
                        let _ = write!(out, "{v}");
                    }
                    // "({users})" reads "(not given)", not "((not given))".
                    None if out.ends_with('(') && after[close + 1..].starts_with(')') => {
                        out.push_str("not given")
                    }
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
    Cow::Owned(out)
}

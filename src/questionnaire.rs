//! The questions `cncomply init` asks: only facts whose answer can still
//! change an obligation for the product, found by evaluating the rules
//! against the answers so far. A rule whose scope is already false, that is
//! excluded, repealed or superseded asks nothing; a rule that reports
//! needs-info asks for the facts it names; a rule that depends on a grace
//! period asks what its transition cases read.
//!
//! The answers are kept as a profile document and every answer is checked by
//! the profile loader, so what `init` writes is what `check` accepts.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_yaml::{Mapping, Value};

use crate::evaluate::{evaluate_rule, Context, Status, Truth};
use crate::model::{AttrType, Fact, RuleSet};
use crate::profile::{format_number, AttrValue, Profile, ProfileError};
use crate::syntax::ast::{EvidenceKind, LevelKind};

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    Attribute(AttrType),
    Country,
    Countries,
    Date,
}

impl Expect {
    pub fn describe(&self) -> String {
        match self {
            Expect::Attribute(t) => t.describe(),
            Expect::Country => "a country code (ISO 3166-1 alpha-2, e.g. CN, DE)".into(),
            Expect::Countries => "country codes separated by commas (e.g. CN, DE)".into(),
            Expect::Date => "a date (YYYY-MM-DD)".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub fact: Fact,
    pub expect: Expect,
    pub meaning: String,
    /// The rules whose finding the answer can change.
    pub rules: Vec<String>,
    /// True if one of those rules is mandatory law (not a draft, voluntary
    /// scheme or advisory note).
    pub mandatory: bool,
}

/// Evidence that would settle an open mandatory obligation: a certificate,
/// label or filing of a scheme the rule's `met by` names.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceQuestion {
    pub kind: EvidenceKind,
    pub scheme: String,
    /// The label's grade or tier the rule reads, if any.
    pub level: Option<LevelKind>,
    pub rules: Vec<String>,
}

impl EvidenceQuestion {
    /// The profile list the item goes in: `certificates`, `labels`, `filings`.
    pub fn list(&self) -> &'static str {
        match self.kind {
            EvidenceKind::Certificate => "certificates",
            EvidenceKind::Label => "labels",
            EvidenceKind::Filing => "filings",
        }
    }
}

/// A profile being built from answers.
#[derive(Debug, Clone)]
pub struct Answers {
    doc: Mapping,
    /// Facts the user chose not to answer; never asked again.
    pub skipped: BTreeSet<Fact>,
    /// Evidence (list, scheme) the user said the product does not hold.
    pub skipped_evidence: BTreeSet<(String, String)>,
}

impl Answers {
    /// Answers for a product of `category` (a category id), nothing else known.
    pub fn new(category: &str) -> Answers {
        let mut doc = Mapping::new();
        doc.insert("category".into(), category.into());
        Answers {
            doc,
            skipped: BTreeSet::new(),
            skipped_evidence: BTreeSet::new(),
        }
    }

    /// The attribute names answered so far.
    pub fn attribute_names(&self) -> BTreeSet<String> {
        match self.doc.get("attributes") {
            Some(Value::Mapping(m)) => m
                .keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect(),
            _ => BTreeSet::new(),
        }
    }

    /// The answers as a checked profile.
    pub fn profile(&self, rules: &RuleSet) -> Result<Profile, ProfileError> {
        Profile::from_value(
            "answers",
            Value::Mapping(self.doc.clone()),
            &rules.vocabulary,
        )
    }

    /// Adds one evidence item (a map as written in a profile) to `list`
    /// (`certificates`, `labels`, `filings`) if the profile loader accepts it.
    pub fn add_evidence(
        &mut self,
        rules: &RuleSet,
        list: &str,
        item: Mapping,
    ) -> Result<(), ProfileError> {
        let mut doc = self.doc.clone();
        let evidence = doc
            .entry("evidence".into())
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        if let Value::Mapping(m) = evidence {
            let items = m
                .entry(list.into())
                .or_insert_with(|| Value::Sequence(Vec::new()));
            if let Value::Sequence(v) = items {
                v.push(Value::Mapping(item));
            }
        }
        Profile::from_value("answers", Value::Mapping(doc.clone()), &rules.vocabulary)?;
        self.doc = doc;
        Ok(())
    }

    /// Takes the `evidence:` map of an answers file as a whole.
    pub fn set_evidence(&mut self, rules: &RuleSet, value: Value) -> Result<(), ProfileError> {
        let mut doc = self.doc.clone();
        doc.insert("evidence".into(), value);
        Profile::from_value("answers", Value::Mapping(doc.clone()), &rules.vocabulary)?;
        self.doc = doc;
        Ok(())
    }

    /// Records `value` for `key` (a top-level profile key or an attribute
    /// name) if the profile loader accepts it; otherwise leaves the answers
    /// as they were and returns the loader's message.
    pub fn set(&mut self, rules: &RuleSet, key: &str, value: Value) -> Result<(), ProfileError> {
        let mut doc = self.doc.clone();
        if Fact::from_reserved(key).is_some() {
            doc.insert(key.into(), value);
        } else {
            let attrs = doc
                .entry("attributes".into())
                .or_insert_with(|| Value::Mapping(Mapping::new()));
            if let Value::Mapping(m) = attrs {
                m.insert(key.into(), value);
            }
        }
        Profile::from_value("answers", Value::Mapping(doc.clone()), &rules.vocabulary)?;
        self.doc = doc;
        Ok(())
    }
}

/// The questions still open for `answers`, most useful first: those of
/// mandatory rules, then those read by more rules, then by name.
pub fn open_questions(rules: &RuleSet, answers: &Answers, as_of: NaiveDate) -> Vec<Question> {
    let Ok(profile) = answers.profile(rules) else {
        return Vec::new();
    };
    let ctx = Context {
        vocab: &rules.vocabulary,
        profile: &profile,
        as_of,
    };
    let mut questions: Vec<Question> = Vec::new();
    for rule in &rules.rules {
        // Company facts are asked once, by `init --company`, not per product.
        if rule.binds == crate::model::Party::Company {
            continue;
        }
        let finding = evaluate_rule(rule, &ctx);
        if finding.status == Status::NotApplicable {
            continue;
        }
        let mut facts = finding.missing.clone();
        // Grace periods decide between `applies` and `in-transition` only
        // once the rule is in force, so the evaluator may not have read them
        // yet; ask for them once the scope and dates are settled.
        if facts.is_empty() {
            for t in rule.transitions.iter().filter(|t| t.date >= as_of) {
                if let Some(when) = &t.when {
                    let mut missing = Vec::new();
                    if ctx.eval(when, &mut Vec::new(), &mut missing) == Truth::Unknown {
                        facts.extend(missing);
                    }
                }
            }
        }
        for name in facts {
            let fact = Fact::from_reserved(&name).unwrap_or(Fact::Attribute(name.into()));
            if answers.skipped.contains(&fact) {
                continue;
            }
            let mandatory = !rule.is_informational();
            match questions.iter_mut().find(|q| q.fact == fact) {
                Some(q) => {
                    if !q.rules.iter().any(|r| *r == rule.id) {
                        q.rules.push(rule.id.to_string());
                    }
                    q.mandatory |= mandatory;
                }
                None => {
                    if let Some(q) = question(rules, fact, &rule.id, mandatory) {
                        questions.push(q);
                    }
                }
            }
        }
    }
    questions.sort_by(|a, b| {
        (!a.mandatory, std::cmp::Reverse(a.rules.len()), &a.fact).cmp(&(
            !b.mandatory,
            std::cmp::Reverse(b.rules.len()),
            &b.fact,
        ))
    });
    questions
}

fn question(rules: &RuleSet, fact: Fact, rule: &str, mandatory: bool) -> Option<Question> {
    let (expect, meaning) = match &fact {
        Fact::Attribute(a) => {
            let decl = rules.vocabulary.attributes.get(a)?;
            (
                Expect::Attribute(decl.value_type.clone()),
                decl.meaning.clone(),
            )
        }
        Fact::MadeIn => (Expect::Country, "Country of manufacture".into()),
        Fact::SoldIn => (Expect::Countries, "Markets the product is sold in".into()),
        Fact::PlacedOnMarket => (
            Expect::Date,
            "First day the product is placed on the Chinese market".into(),
        ),
        // Always known: the name defaults to the file name and the category
        // is asked first.
        Fact::Name | Fact::Category => return None,
    };
    Some(Question {
        fact,
        expect,
        meaning: meaning.to_string(),
        rules: vec![rule.to_string()],
        mandatory,
    })
}

/// The evidence still to ask about: for each mandatory product obligation
/// that is open (applies, upcoming, in transition), the certificates, labels
/// and filings its `met by` names that the answers do not hold yet.
pub fn evidence_questions(
    rules: &RuleSet,
    answers: &Answers,
    as_of: NaiveDate,
) -> Vec<EvidenceQuestion> {
    let Ok(profile) = answers.profile(rules) else {
        return Vec::new();
    };
    let ctx = Context {
        vocab: &rules.vocabulary,
        profile: &profile,
        as_of,
    };
    let mut out: Vec<EvidenceQuestion> = Vec::new();
    for rule in rules
        .rules
        .iter()
        .filter(|r| r.section() == crate::model::Section::Product && !r.is_informational())
    {
        let Some(req) = &rule.met_by else { continue };
        let f = evaluate_rule(rule, &ctx);
        if !matches!(
            f.status,
            Status::Applies | Status::Upcoming | Status::InTransition
        ) {
            continue;
        }
        let mut refs = Vec::new();
        flatten(req, &mut refs);
        for r in refs {
            let held = profile
                .evidence
                .iter()
                .any(|e| e.kind == r.kind && e.scheme == r.scheme);
            let q = EvidenceQuestion {
                kind: r.kind,
                scheme: r.scheme.to_string(),
                level: r.level.map(|(k, _, _)| k),
                rules: vec![rule.id.to_string()],
            };
            if held
                || answers
                    .skipped_evidence
                    .contains(&(q.list().to_string(), q.scheme.clone()))
            {
                continue;
            }
            match out
                .iter_mut()
                .find(|o| o.kind == q.kind && o.scheme == q.scheme)
            {
                Some(o) => {
                    if !o.rules.iter().any(|r| *r == rule.id) {
                        o.rules.push(rule.id.to_string());
                    }
                    o.level = o.level.or(q.level);
                }
                None => out.push(q),
            }
        }
    }
    out
}

fn flatten<'r>(req: &'r crate::model::EvidenceReq, out: &mut Vec<&'r crate::model::EvidenceRef>) {
    match req {
        crate::model::EvidenceReq::One(r) => out.push(r),
        crate::model::EvidenceReq::Any(v) | crate::model::EvidenceReq::All(v) => {
            for r in v {
                flatten(r, out);
            }
        }
    }
}

/// The questions of `init --company`: every company fact (see
/// [`RuleSet::company_attributes`]) not answered or skipped yet, those read by
/// more rules first. Company rules are scoped by the products they concern,
/// so they are not evaluated here.
pub fn company_questions(rules: &RuleSet, answers: &Answers) -> Vec<Question> {
    let answered = answers.attribute_names();
    let mut questions: Vec<Question> = Vec::new();
    for name in rules.company_attributes() {
        let fact = Fact::Attribute(name.clone().into());
        if answers.skipped.contains(&fact) || answered.contains(&name) {
            continue;
        }
        let readers: Vec<String> = rules
            .rules
            .iter()
            .filter(|r| r.binds == crate::model::Party::Company)
            .filter(|r| {
                r.conditions()
                    .flat_map(|c| c.atoms())
                    .any(|a| matches!(a, crate::model::Condition::Test(t) if t.fact == fact))
            })
            .map(|r| r.id.to_string())
            .collect();
        let mandatory = readers
            .iter()
            .any(|id| rules.rule(id).is_some_and(|r| !r.is_informational()));
        if let Some(mut q) = question(rules, fact, "", mandatory) {
            q.rules = readers;
            questions.push(q);
        }
    }
    questions.sort_by(|a, b| {
        (!a.mandatory, std::cmp::Reverse(a.rules.len()), &a.fact).cmp(&(
            !b.mandatory,
            std::cmp::Reverse(b.rules.len()),
            &b.fact,
        ))
    });
    questions
}

/// The company file for `answers` (only its attributes and name).
pub fn render_company(
    rules: &RuleSet,
    answers: &Answers,
    open: &[Question],
    header: &str,
) -> Result<String, ProfileError> {
    let product = render(rules, answers, open, header)?;
    // The product rendering minus the product-only keys: the attribute
    // lines are the same in both files.
    let mut out = String::new();
    for line in product.lines() {
        let product_key = ["category:", "made_in:", "sold_in:", "placed_on_market:"]
            .iter()
            .any(|k| line.starts_with(k));
        if !product_key {
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

/// A typed line as a YAML value for `expect`, or None for "skip". The word
/// `none` records that the product has no such value (an explicit null),
/// unless it is one of the attribute's choices.
pub fn parse_answer(expect: &Expect, line: &str) -> Option<Value> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let split = |s: &str| -> Value {
        Value::Sequence(
            s.split(',')
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .map(|i| Value::String(i.to_string()))
                .collect(),
        )
    };
    Some(match expect {
        Expect::Attribute(ty) => {
            let is_choice =
                matches!(ty, AttrType::Choice(c) if c.iter().any(|c| c.eq_ignore_ascii_case(line)));
            if line.eq_ignore_ascii_case("none") && !is_choice {
                return Some(Value::Null);
            }
            match ty {
                AttrType::Number { .. } => match line.parse::<f64>() {
                    Ok(n) if n.is_finite() => Value::Number(n.into()),
                    _ => Value::String(line.to_string()),
                },
                AttrType::Choice(choices) => match line.parse::<usize>() {
                    Ok(k) if (1..=choices.len()).contains(&k) && !is_choice => {
                        Value::String(choices[k - 1].to_string())
                    }
                    _ => Value::String(line.to_string()),
                },
                AttrType::List | AttrType::ListOf(_) => split(line),
                AttrType::YesNo | AttrType::Date | AttrType::Text => {
                    Value::String(line.to_string())
                }
            }
        }
        Expect::Countries => Value::Sequence(
            line.split(|c: char| c == ',' || c.is_whitespace())
                .filter(|i| !i.is_empty())
                .map(|i| Value::String(i.to_string()))
                .collect(),
        ),
        Expect::Country | Expect::Date => Value::String(line.to_string()),
    })
}

/// The profile as YAML, with a comment on each attribute saying what it
/// means, and the facts still unknown listed at the top so the reader knows
/// what to add.
pub fn render(
    rules: &RuleSet,
    answers: &Answers,
    open: &[Question],
    header: &str,
) -> Result<String, ProfileError> {
    let profile = answers.profile(rules)?;
    let v = &rules.vocabulary;
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(&format!("# {line}\n"));
    }
    if !open.is_empty() {
        out.push_str(
            "# Not answered yet (rules that need the fact report needs-info until it is added):\n",
        );
        for q in open {
            out.push_str(&format!(
                "#   {} ({}) — needed by {}\n",
                q.fact.path(),
                q.expect.describe(),
                q.rules.join(", ")
            ));
        }
    }
    if answers.doc.contains_key("name") {
        out.push_str(&format!("name: {}\n", quote(&profile.name)));
    }
    let cat = &v.categories[profile.category];
    out.push_str(&format!("category: {}   # {}\n", cat.id, cat.name));
    if let Some(m) = &profile.made_in {
        out.push_str(&format!("made_in: {m}\n"));
    }
    if let Some(s) = &profile.sold_in {
        out.push_str(&format!("sold_in: [{}]\n", s.join(", ")));
    }
    if let Some(d) = profile.placed_on_market {
        out.push_str(&format!("placed_on_market: {d}\n"));
    }
    if !profile.attributes.is_empty() {
        out.push_str("attributes:\n");
        for (name, value) in &profile.attributes {
            let shown = match value {
                AttrValue::None => "null".to_string(),
                AttrValue::Number(n) => format_number(*n),
                AttrValue::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
                AttrValue::Text(s) => quote(s),
                AttrValue::Date(d) => d.to_string(),
                AttrValue::List(items) => format!(
                    "[{}]",
                    items
                        .iter()
                        .map(|i| quote(i))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let meaning = v
                .attributes
                .get(name.as_str())
                .map(|a| format!("   # {}", a.meaning))
                .unwrap_or_default();
            out.push_str(&format!("  {name}: {shown}{meaning}\n"));
        }
    }
    if let Some(evidence) = answers.doc.get("evidence") {
        let mut m = Mapping::new();
        m.insert("evidence".into(), evidence.clone());
        out.push_str(&serde_yaml::to_string(&m).unwrap_or_default());
    }
    Ok(out)
}

/// A YAML double-quoted scalar. JSON's string syntax is a subset of it, and
/// quoting every text keeps `yes`, `3` or `a, b` texts from being read as
/// something else.
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

//! A rule after its names have been resolved and its dates validated: the
//! form the evaluator works on.

use chrono::NaiveDate;

use crate::syntax::ast::{Binding, EvidenceKind, LevelCmp, LevelKind};

use super::{Location, Text};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum RuleStatus {
    Draft,
    Adopted,
    InForce,
    Repealed,
}

impl RuleStatus {
    pub const ALL: [(&'static str, RuleStatus); 4] = [
        ("draft", RuleStatus::Draft),
        ("adopted", RuleStatus::Adopted),
        ("in-force", RuleStatus::InForce),
        ("repealed", RuleStatus::Repealed),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleStatus::Draft => "draft",
            RuleStatus::Adopted => "adopted",
            RuleStatus::InForce => "in-force",
            RuleStatus::Repealed => "repealed",
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ObligationKind {
    Certify,
    Label,
    File,
    Test,
    Report,
    MeetLimit,
    Declare,
    Inform,
}

impl ObligationKind {
    pub const ALL: [(&'static str, ObligationKind); 8] = [
        ("certify", ObligationKind::Certify),
        ("label", ObligationKind::Label),
        ("file", ObligationKind::File),
        ("test", ObligationKind::Test),
        ("report", ObligationKind::Report),
        ("meet-limit", ObligationKind::MeetLimit),
        ("declare", ObligationKind::Declare),
        ("inform", ObligationKind::Inform),
    ];

    pub fn as_str(self) -> &'static str {
        Self::ALL.iter().find(|(_, k)| *k == self).unwrap().0
    }
}

/// Whom a rule binds: what decides where a finding is reported and whether
/// it can fail a product.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Party {
    /// What a maker, importer or seller must do for this product: certify,
    /// label, file, test, meet a limit.
    Product,
    /// A duty of the company as such: data processing, CIIO status, listing,
    /// industrial-internet grading, procurement.
    Company,
    /// No one yet: a plan, work programme, standards project or call for
    /// comment (a watch item).
    Nobody,
}

impl Party {
    pub const ALL: [(&'static str, Party); 3] = [
        ("product", Party::Product),
        ("company", Party::Company),
        ("nobody", Party::Nobody),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Party::Product => "product",
            Party::Company => "company",
            Party::Nobody => "nobody",
        }
    }
}

/// Where a finding is reported: what decides whether it is about the
/// product, the company behind it, or something to watch.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    /// The product's own obligations (mandatory or voluntary, not a draft).
    Product,
    /// The company's duties, reported once per run, never in a product's
    /// pass/fail.
    Company,
    /// Binds nobody yet (plans, programmes, standards projects) or is a
    /// draft of a product duty: "on the horizon", never a question.
    Watch,
}

impl Section {
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Product => "product",
            Section::Company => "company",
            Section::Watch => "watch",
        }
    }
}

pub fn binding_str(b: Binding) -> &'static str {
    match b {
        Binding::Mandatory => "mandatory",
        Binding::Voluntary => "voluntary",
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Citation {
    pub file: Text,
    pub section: Text,
}

/// A date that holds for the products matching `when` (all products if none).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct DatedCase {
    pub date: NaiveDate,
    pub label: Option<Text>,
    pub when: Option<Condition>,
}

/// A grace period whose last day is a date attribute of the profile.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct FactTransition {
    pub attribute: Text,
    pub label: Option<Text>,
    pub when: Option<Condition>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Exclusion {
    pub when: Condition,
    pub because: Text,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Supersession {
    pub by: Text,
    /// Resolved after every rule is loaded: the explicit `on` date or the
    /// successor's first effective date.
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Rule {
    pub id: Text,
    pub title: Text,
    pub topic: Text,
    pub instrument: Text,
    pub standards: Vec<Text>,
    pub authority: Text,
    pub status: RuleStatus,
    pub binding: Binding,
    pub binds: Party,
    pub source: Citation,
    pub published: Option<NaiveDate>,
    pub effective: Vec<DatedCase>,
    pub transitions: Vec<DatedCase>,
    /// Grace periods that end on a date of the product's own (its next
    /// follow-up inspection): `transition until ATTRIBUTE`.
    pub transitions_until_fact: Vec<FactTransition>,
    pub repealed: Option<NaiveDate>,
    pub superseded_by: Option<Supersession>,
    /// Ids this rule had before (`formerly`): waivers, baselines, `explain`
    /// and `source` naming one of them mean this rule.
    pub formerly: Vec<Text>,
    pub scope: Condition,
    pub exclusions: Vec<Exclusion>,
    pub obligation_kind: ObligationKind,
    pub obligation: Text,
    pub met_by: Option<EvidenceReq>,
    pub explain: Text,
    pub location: Location,
}

impl Rule {
    /// Drafts, voluntary schemes and advisory notes inform; they never make a
    /// product fail.
    pub fn is_informational(&self) -> bool {
        self.status == RuleStatus::Draft
            || self.binding == Binding::Voluntary
            || self.obligation_kind == ObligationKind::Inform
            || self.binds == Party::Nobody
    }

    /// The section of a report this rule's findings belong to.
    pub fn section(&self) -> Section {
        match self.binds {
            Party::Company => Section::Company,
            Party::Nobody => Section::Watch,
            Party::Product if self.status == RuleStatus::Draft => Section::Watch,
            Party::Product => Section::Product,
        }
    }

    /// A watch item: never asks a question, never `needs-info`.
    pub fn is_watch(&self) -> bool {
        self.section() == Section::Watch
    }

    /// Every condition of the rule: scope, exclusions, dated cases and
    /// transitions.
    pub fn conditions(&self) -> impl Iterator<Item = &Condition> {
        std::iter::once(&self.scope)
            .chain(self.exclusions.iter().map(|e| &e.when))
            .chain(self.effective.iter().filter_map(|c| c.when.as_ref()))
            .chain(self.transitions.iter().filter_map(|c| c.when.as_ref()))
            .chain(
                self.transitions_until_fact
                    .iter()
                    .filter_map(|c| c.when.as_ref()),
            )
    }

    /// True when a condition (scope, exclusion or case) asks what the
    /// product holds: the rule's reach can then change when evidence
    /// expires, not only on its own dates.
    pub fn reads_evidence(&self) -> bool {
        self.conditions()
            .flat_map(|c| c.atoms())
            .any(|a| matches!(a, Condition::Holds(_)))
    }

    /// The earliest date on which the rule starts to apply to anyone.
    pub fn first_effective(&self) -> Option<NaiveDate> {
        self.effective.iter().map(|c| c.date).min()
    }
}

/// A fact a condition reads from the profile.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(bound(deserialize = "'de: 'static"))]
pub enum Fact {
    Name,
    Category,
    MadeIn,
    SoldIn,
    PlacedOnMarket,
    Attribute(Text),
}

impl Fact {
    pub const RESERVED: [&'static str; 5] =
        ["name", "category", "made_in", "sold_in", "placed_on_market"];

    pub fn from_reserved(name: &str) -> Option<Fact> {
        Some(match name {
            "name" => Fact::Name,
            "category" => Fact::Category,
            "made_in" => Fact::MadeIn,
            "sold_in" => Fact::SoldIn,
            "placed_on_market" => Fact::PlacedOnMarket,
            _ => return None,
        })
    }

    /// The fact's name as rules and `missing` lists write it.
    pub fn name(&self) -> &str {
        match self {
            Fact::Name => "name",
            Fact::Category => "category",
            Fact::MadeIn => "made_in",
            Fact::SoldIn => "sold_in",
            Fact::PlacedOnMarket => "placed_on_market",
            Fact::Attribute(a) => a,
        }
    }

    /// Where the fact lives in a profile document.
    pub fn path(&self) -> String {
        match self {
            Fact::Attribute(a) => format!("attributes.{a}"),
            other => other.name().to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub enum Scalar {
    Number(f64),
    Bool(bool),
    Text(Text),
    Date(NaiveDate),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cmp {
    Above,
    Below,
    AtLeast,
    AtMost,
}

impl Cmp {
    pub fn holds<T: PartialOrd>(self, left: T, right: T) -> bool {
        match self {
            Cmp::Above => left > right,
            Cmp::Below => left < right,
            Cmp::AtLeast => left >= right,
            Cmp::AtMost => left <= right,
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub enum Op {
    Given,
    Missing,
    InCategories(Vec<usize>),
    NotInCategories(Vec<usize>),
    Is(Scalar),
    IsNot(Scalar),
    OneOf(Vec<Scalar>),
    NotOneOf(Vec<Scalar>),
    Number(Cmp, f64),
    Between(f64, f64),
    Date(Cmp, NaiveDate),
    Contains(Text),
    NotContains(Text),
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Test {
    pub fact: Fact,
    /// Where the fact lives in a profile (`attributes.rated_voltage_v`).
    pub path: Text,
    pub op: Op,
    /// The condition as the consultant wrote it, for explanations.
    pub text: Text,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub enum Condition {
    Any(Vec<Condition>),
    All(Vec<Condition>),
    Not(Box<Condition>),
    Holds(EvidenceRef),
    Test(Test),
}

impl Condition {
    /// The tests and `holds` checks inside the condition, in the order
    /// written: what an explanation lists and coverage counts.
    pub fn atoms(&self) -> Vec<&Condition> {
        let mut out = Vec::new();
        self.collect_atoms(&mut out);
        out
    }

    fn collect_atoms<'a>(&'a self, out: &mut Vec<&'a Condition>) {
        match self {
            Condition::Any(parts) | Condition::All(parts) => {
                parts.iter().for_each(|p| p.collect_atoms(out))
            }
            Condition::Not(inner) => inner.collect_atoms(out),
            Condition::Holds(_) | Condition::Test(_) => out.push(self),
        }
    }

    /// The condition as written, for a test or a `holds` check.
    pub fn atom_text(&self) -> Option<String> {
        match self {
            Condition::Test(t) => Some(t.text.to_string()),
            Condition::Holds(r) => Some(format!("holds {}", r.describe())),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct EvidenceRef {
    pub kind: EvidenceKind,
    pub scheme: Text,
    pub level: Option<(LevelKind, LevelCmp, u32)>,
    pub standard: Option<Text>,
    /// The implementation rule a certificate must have been issued under.
    pub implementation_rule: Option<Text>,
    /// Documents a filing must have contained.
    pub documents: Vec<Text>,
}

impl EvidenceRef {
    pub fn describe(&self) -> String {
        use std::fmt::Write;
        // Written into one string: evidence notes describe a requirement
        // for every product that lacks it.
        let mut s = String::with_capacity(64);
        let _ = write!(s, "{} {}", self.kind.as_str(), self.scheme);
        if let Some((kind, cmp, value)) = self.level {
            let cmp = match cmp {
                LevelCmp::AtLeast => "at least",
                LevelCmp::AtMost => "at most",
            };
            let _ = write!(s, " with {} {cmp} {value}", kind.as_str());
        }
        if let Some(std) = &self.standard {
            let _ = write!(s, " to standard \"{std}\"");
        }
        if let Some(rule) = &self.implementation_rule {
            let _ = write!(s, " under implementation rule \"{rule}\"");
        }
        if !self.documents.is_empty() {
            let _ = write!(s, " with documents [{}]", self.documents.join(", "));
        }
        s
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub enum EvidenceReq {
    Any(Vec<EvidenceReq>),
    All(Vec<EvidenceReq>),
    One(EvidenceRef),
}

impl EvidenceReq {
    pub fn describe(&self) -> String {
        match self {
            EvidenceReq::One(r) => r.describe(),
            EvidenceReq::All(v) => v
                .iter()
                .map(|e| e.describe_nested())
                .collect::<Vec<_>>()
                .join(" and "),
            EvidenceReq::Any(v) => v
                .iter()
                .map(|e| e.describe_nested())
                .collect::<Vec<_>>()
                .join(" or "),
        }
    }

    fn describe_nested(&self) -> String {
        match self {
            EvidenceReq::One(_) => self.describe(),
            _ => format!("({})", self.describe()),
        }
    }
}

//! The abstract syntax tree of a rule file: exactly what was written, with the
//! byte span of every piece, and nothing resolved yet. Names are checked and
//! dates validated by the model layer, which needs the spans to point at the
//! offending text.

use std::ops::Range;

/// A byte range into the rule file's text.
pub type Span = Range<usize>;

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct File {
    pub declarations: Vec<Declaration>,
    /// The source span of each declaration, in the same order.
    pub spans: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Declaration {
    Topic(TopicDecl),
    Category(CategoryDecl),
    Attribute(AttributeDecl),
    Evidence(EvidenceDecl),
    Rule(RuleDecl),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TopicDecl {
    pub id: Ident,
    pub name: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryDecl {
    pub id: Ident,
    pub parent: Option<Ident>,
    pub name: Text,
    pub aliases: Vec<Text>,
    /// `ask which kind`: a profile naming this category is asked for a child.
    pub ask_kind: bool,
    /// `implies ATTR` / `includes any product with ATTR`, in the order written.
    pub facts: Vec<CategoryFact>,
}

/// A yes/no fact a category gives every product in it.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryFact {
    pub attribute: Ident,
    /// `includes any product with …`: a product of any category that states
    /// the fact counts as in this category.
    pub includes: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttributeDecl {
    pub name: Ident,
    pub value_type: ValueType,
    pub type_span: Span,
    pub meaning: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueType {
    Number {
        unit: Option<Text>,
    },
    YesNo,
    Date,
    List,
    /// `a list of [a, b]`: a list whose items must be among these.
    ListOf(Vec<Value>),
    Text,
    Choice(Vec<Value>),
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum EvidenceKind {
    Certificate,
    Label,
    Filing,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Certificate => "certificate",
            EvidenceKind::Label => "label",
            EvidenceKind::Filing => "filing",
        }
    }
}

/// What a label's number measures: an energy grade (1 is best) or a
/// cybersecurity tier (number of stars, more is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LevelKind {
    Grade,
    Tier,
}

impl LevelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LevelKind::Grade => "grade",
            LevelKind::Tier => "tier",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceDecl {
    pub id: Ident,
    pub kind: EvidenceKind,
    pub level: Option<LevelKind>,
    pub meaning: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleDecl {
    pub id: Ident,
    pub clauses: Vec<Clause>,
    /// From `rule` to `end` inclusive.
    pub span: Span,
}

/// One clause of a rule; `keyword` spans the whole clause so that "duplicate
/// clause" errors can point at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub kind: ClauseKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Binding {
    Mandatory,
    Voluntary,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClauseKind {
    Title(Text),
    Topic(Ident),
    Instrument(Text),
    Standards(Vec<Text>),
    Authority(Text),
    Status(Ident),
    Binding(Binding),
    Binds(Ident),
    Source {
        file: Text,
        section: Text,
    },
    Published(Text),
    Effective {
        date: Text,
        case: Option<Case>,
    },
    Transition {
        date: Text,
        case: Option<Case>,
    },
    Repealed(Text),
    Superseded {
        by: Ident,
        on: Option<Text>,
    },
    /// `formerly OLD-ID, …`: ids the rule had before a merge or rename.
    Formerly(Vec<Ident>),
    Applies(Condition),
    Except {
        when: Condition,
        because: Text,
    },
    Obligation {
        kind: Ident,
        text: Text,
    },
    MetBy(EvidenceExpr),
    Explain(Text),
}

impl ClauseKind {
    /// The keyword a consultant wrote, for messages about the clause.
    pub fn keyword(&self) -> &'static str {
        match self {
            ClauseKind::Title(_) => "title",
            ClauseKind::Topic(_) => "topic",
            ClauseKind::Instrument(_) => "instrument",
            ClauseKind::Standards(_) => "standards",
            ClauseKind::Authority(_) => "authority",
            ClauseKind::Status(_) => "status",
            ClauseKind::Binding(_) => "mandatory/voluntary",
            ClauseKind::Binds(_) => "binds",
            ClauseKind::Source { .. } => "source",
            ClauseKind::Published(_) => "published",
            ClauseKind::Effective { .. } => "effective",
            ClauseKind::Transition { .. } => "transition until",
            ClauseKind::Repealed(_) => "repealed",
            ClauseKind::Superseded { .. } => "superseded by",
            ClauseKind::Formerly(_) => "formerly",
            ClauseKind::Applies(_) => "applies when",
            ClauseKind::Except { .. } => "except when",
            ClauseKind::Obligation { .. } => "obligation",
            ClauseKind::MetBy(_) => "met by",
            ClauseKind::Explain(_) => "explain",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub label: Text,
    pub when: Option<Condition>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Any(Vec<Condition>, Span),
    All(Vec<Condition>, Span),
    Not(Box<Condition>, Span),
    Holds(EvidenceRef),
    Compare(Comparison),
}

impl Condition {
    pub fn span(&self) -> Span {
        match self {
            Condition::Any(_, s) | Condition::All(_, s) | Condition::Not(_, s) => s.clone(),
            Condition::Holds(r) => r.span.clone(),
            Condition::Compare(c) => c.span.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub subject: Ident,
    pub predicate: Predicate,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    Given,
    Missing,
    OneOf(Vec<Value>),
    NotOneOf(Vec<Value>),
    Between(Value, Value),
    Above(Value),
    Below(Value),
    AtLeast(Value),
    AtMost(Value),
    Before(Value),
    After(Value),
    OnOrBefore(Value),
    OnOrAfter(Value),
    Contains(Value),
    NotContains(Value),
    Is(Value),
    IsNot(Value),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// Kept as written; the model validates it as a calendar date.
    Date(String),
    Number {
        value: f64,
        unit: Option<String>,
    },
    Bool(bool),
    Text(String),
    Ident(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum EvidenceExpr {
    Any(Vec<EvidenceExpr>),
    All(Vec<EvidenceExpr>),
    Ref(EvidenceRef),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LevelCmp {
    AtLeast,
    AtMost,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LevelReq {
    pub kind: LevelKind,
    pub cmp: LevelCmp,
    pub value: u32,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceRef {
    pub kind: EvidenceKind,
    pub scheme: Ident,
    pub level: Option<LevelReq>,
    pub standard: Option<Text>,
    /// `under implementation rule "…"`: a certificate issued under this rule.
    pub implementation_rule: Option<Text>,
    /// `with documents [a, b]`: a filing that contained these documents.
    pub documents: Vec<Value>,
    pub span: Span,
}

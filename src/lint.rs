//! Checks a consultant runs before publishing rule files: everything the
//! loader rejects, plus what loads but is still wrong or weak — a citation
//! that points nowhere, a scope no product can match, vocabulary nobody uses,
//! an obligation no evidence can ever show met, a rule without a test.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, Severity, SourceCode};
use serde::Serialize;

use crate::bundled;
use crate::model::{
    line_col, Cmp, Condition, Fact, Op, Problem, RuleSet, Scalar, SourceFile, Vocabulary,
};
use crate::syntax::{self, ast};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

/// One lint finding, renderable by miette or as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Lint {
    pub level: Level,
    pub code: &'static str,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub help: Option<String>,
    #[serde(skip)]
    pub label: String,
    #[serde(skip)]
    pub span: (usize, usize),
    #[serde(skip)]
    pub source: Option<NamedSource<Arc<str>>>,
}

impl std::fmt::Display for Lint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Lint {}

impl Diagnostic for Lint {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(format!("cncomply::lint::{}", self.code)))
    }
    fn severity(&self) -> Option<Severity> {
        Some(match self.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.clone()) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(self.label.clone()),
            self.span.0,
            self.span.1,
        ))))
    }
}

/// What the tests cover: rule ids that some rule-test case expects.
pub type Tested = BTreeSet<String>;

struct Linter<'a> {
    files: &'a [SourceFile],
    out: Vec<Lint>,
    /// Each file's text, shared by all its lints (made on first use).
    sources: Vec<OnceCell<Arc<str>>>,
}

impl Linter<'_> {
    /// Records a lint at `at` = (file index, byte span).
    fn push(
        &mut self,
        level: Level,
        code: &'static str,
        at: (usize, std::ops::Range<usize>),
        message: String,
        label: &str,
        help: Option<String>,
    ) {
        let (file, span) = at;
        let f = &self.files[file];
        let (line, column) = line_col(&f.text, span.start);
        self.out.push(Lint {
            level,
            code,
            message: crate::safe_text::quoted_short(message),
            file: f.name.clone(),
            line,
            column,
            help,
            label: label.to_string(),
            span: (span.start, span.end.saturating_sub(span.start)),
            source: Some(NamedSource::new(
                &f.name,
                Arc::clone(self.sources[file].get_or_init(|| Arc::from(f.text.as_str()))),
            )),
        });
    }

    fn file_of(&self, name: &str) -> Option<usize> {
        self.files.iter().position(|f| f.name == name)
    }
}

/// Lints a set of rule files together. `tested` lists the rule ids rule
/// tests cover (None: do not check for untested rules).
pub fn lint(files: &[SourceFile], tested: Option<&Tested>) -> Vec<Lint> {
    let mut l = Linter {
        files,
        out: Vec::new(),
        sources: files.iter().map(|_| OnceCell::new()).collect(),
    };

    // Citations are checked on the syntax tree, so they are reported even
    // when the library as a whole does not load.
    for (i, f) in files.iter().enumerate() {
        let Ok(ast) = syntax::parse_file(&f.name, &f.text) else {
            continue;
        };
        for decl in &ast.declarations {
            if let ast::Declaration::Rule(r) = decl {
                for c in &r.clauses {
                    if let ast::ClauseKind::Source { file, section } = &c.kind {
                        check_citation(&mut l, i, file, section);
                    }
                }
                require_binds(&mut l, i, r);
            }
        }
    }

    match RuleSet::load(files) {
        Err(e) => {
            for p in e.problems {
                l.out.push(from_problem(p));
            }
        }
        Ok(rules) => {
            unreachable_rules(&mut l, &rules);
            unused_vocabulary(&mut l, &rules);
            never_met(&mut l, &rules);
            unknown_successors(&mut l, &rules);
            if let Some(tested) = tested {
                untested(&mut l, &rules, tested);
            }
        }
    }
    l.out.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.level, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.level, &b.message))
    });
    l.out
}

fn from_problem(p: Problem) -> Lint {
    let (file, line, column, message) = p.position();
    let (code, help, label, span, source) = match p {
        Problem::Syntax(e) => (
            "syntax",
            e.help.clone(),
            e.label.clone(),
            (e.span.offset(), e.span.len()),
            NamedSource::new(e.src.name(), Arc::from(e.src.inner().as_str())),
        ),
        Problem::Model(e) => (
            "meaning",
            e.help.clone(),
            e.label.clone(),
            (e.span.offset(), e.span.len()),
            e.src.clone(),
        ),
    };
    Lint {
        level: Level::Error,
        code,
        message,
        file,
        line,
        column,
        help,
        label,
        span,
        source: Some(source),
    }
}

fn check_citation(l: &mut Linter, file: usize, seed: &ast::Text, section: &ast::Text) {
    match bundled::seed(&seed.value) {
        None => {
            let names: Vec<&str> = bundled::seed_names().collect();
            let help = crate::suggest::did_you_mean(&seed.value, names.iter().copied())
                .unwrap_or_else(|| {
                    format!(
                        "cite one of the newsletters in seeds/: {}",
                        names.join(", ")
                    )
                });
            l.push(
                Level::Error,
                "citation-file",
                (file, seed.span.clone()),
                format!("cited newsletter `{}` is not in seeds/", seed.value),
                "no such newsletter",
                Some(help),
            );
        }
        Some(text) => {
            if !section.value.trim().is_empty() && !text.contains(&section.value) {
                let help = closest_heading(text, &section.value)
                    .map(|h| format!("headings are copied exactly; the closest is \"{h}\""))
                    .or_else(|| {
                        Some(
                            "copy the section heading exactly as it appears in the newsletter"
                                .into(),
                        )
                    });
                l.push(
                    Level::Error,
                    "citation-section",
                    (file, section.span.clone()),
                    format!(
                        "the heading \"{}\" does not occur in {}",
                        section.value, seed.value
                    ),
                    "not in the newsletter",
                    help,
                );
            }
        }
    }
}

/// Whom a rule binds decides whether it can fail a product, so it is never
/// left to the loader's default.
fn require_binds(l: &mut Linter, file: usize, r: &ast::RuleDecl) {
    if r.clauses
        .iter()
        .any(|c| matches!(c.kind, ast::ClauseKind::Binds(_)))
    {
        return;
    }
    l.push(
        Level::Error,
        "missing-binds",
        (file, r.id.span.clone()),
        format!("rule `{}` does not say whom it binds", r.id.name),
        "no `binds` clause",
        Some(
            "add `binds product` (a duty for this product), `binds company` (a duty of the \
             company as such) or `binds nobody` (a plan, programme or call for comment: a \
             watch item)"
                .into(),
        ),
    );
}

/// The newsletter heading most like `wanted`, to show what to copy.
fn closest_heading<'t>(text: &'t str, wanted: &str) -> Option<&'t str> {
    let wanted_l = wanted.to_lowercase();
    text.lines()
        .map(|l| {
            l.trim()
                .trim_start_matches('#')
                .trim()
                .trim_matches('*')
                .trim()
        })
        .filter(|l| !l.is_empty() && l.len() < 200)
        // The similarity is at most the ratio of the two lengths: lines
        // that cannot reach 0.6 are not compared (a heading a megabyte
        // long took minutes against every line of a newsletter).
        .filter(|l| {
            let (a, b) = (l.chars().count(), wanted_l.chars().count());
            a.min(b) * 5 > a.max(b) * 3
        })
        .map(|l| {
            (
                strsim::normalized_levenshtein(&l.to_lowercase(), &wanted_l),
                l,
            )
        })
        .filter(|(score, _)| *score > 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, l)| l)
}

fn rule_span(rules: &RuleSet, l: &Linter, id: &str) -> Option<(usize, std::ops::Range<usize>)> {
    let r = rules.rule(id)?;
    let f = l.file_of(&r.location.file)?;
    let text = &l.files[f].text;
    let offset = crate::position::offset_of(text, r.location.line, r.location.column);
    Some((f, offset..offset + r.id.len()))
}

fn unreachable_rules(l: &mut Linter, rules: &RuleSet) {
    for r in &rules.rules {
        let why = if !satisfiable(&r.scope, &rules.vocabulary) {
            Some("its `applies when` condition can never hold".to_string())
        } else {
            r.exclusions
                .iter()
                .find(|ex| covers_everything(&ex.when, &rules.vocabulary))
                .map(|ex| format!("the exclusion \"{}\" holds for every product", ex.because))
        };
        if let Some(why) = why {
            if let Some((f, span)) = rule_span(rules, l, &r.id) {
                l.push(Level::Error, "unreachable", (f, span), format!("rule `{}` can never apply: {why}", r.id), "never applies", Some("check the condition for contradictory tests (two categories that are not parent and child, an empty range, `is given` and `is missing`)".into()));
            }
        }
    }
}

/// True unless the condition is certainly impossible. Conservative: only
/// contradictions among the direct tests of one `and` are detected.
fn satisfiable(c: &Condition, v: &Vocabulary) -> bool {
    match c {
        Condition::Any(parts) => parts.iter().any(|p| satisfiable(p, v)),
        Condition::All(parts) => parts.iter().all(|p| satisfiable(p, v)) && consistent(parts, v),
        Condition::Not(inner) => !covers_everything(inner, v),
        Condition::Holds(_) | Condition::Test(_) => true,
    }
}

/// True if every product matches: a category test naming every root of the
/// taxonomy.
fn covers_everything(c: &Condition, v: &Vocabulary) -> bool {
    let Condition::Test(t) = c else { return false };
    let Op::InCategories(cats) = &t.op else {
        return false;
    };
    t.fact == Fact::Category
        && (0..v.categories.len())
            .filter(|&i| v.categories[i].parent.is_none())
            .all(|root| cats.contains(&root))
}

fn consistent(parts: &[Condition], v: &Vocabulary) -> bool {
    let mut by_fact: BTreeMap<&Fact, Vec<&Op>> = BTreeMap::new();
    for p in parts {
        if let Condition::Test(t) = p {
            by_fact.entry(&t.fact).or_default().push(&t.op);
        }
    }
    for (fact, ops) in by_fact {
        if ops.iter().any(|o| matches!(o, Op::Given))
            && ops.iter().any(|o| matches!(o, Op::Missing))
        {
            return false;
        }
        if *fact == Fact::Category {
            let sets: Vec<&Vec<usize>> = ops
                .iter()
                .filter_map(|o| match o {
                    Op::InCategories(c) => Some(c),
                    _ => None,
                })
                .collect();
            for (i, a) in sets.iter().enumerate() {
                for b in &sets[i + 1..] {
                    let overlap = a
                        .iter()
                        .any(|&x| b.iter().any(|&y| v.is_a(x, y) || v.is_a(y, x)));
                    if !overlap {
                        return false;
                    }
                }
            }
            continue;
        }
        let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
        let (mut lo_open, mut hi_open) = (false, false);
        let mut equal: Option<&Scalar> = None;
        for op in ops {
            match op {
                Op::Number(cmp, n) => match cmp {
                    Cmp::Above if *n >= lo => (lo, lo_open) = (*n, true),
                    Cmp::AtLeast if *n > lo => (lo, lo_open) = (*n, false),
                    Cmp::Below if *n <= hi => (hi, hi_open) = (*n, true),
                    Cmp::AtMost if *n < hi => (hi, hi_open) = (*n, false),
                    _ => {}
                },
                Op::Between(a, b) => {
                    if *a > lo {
                        (lo, lo_open) = (*a, false);
                    }
                    if *b < hi {
                        (hi, hi_open) = (*b, false);
                    }
                }
                Op::Is(s) => {
                    if let Some(prev) = equal {
                        if !same(prev, s) {
                            return false;
                        }
                    }
                    equal = Some(s);
                    if let Scalar::Number(n) = s {
                        if *n > lo {
                            (lo, lo_open) = (*n, false);
                        }
                        if *n < hi {
                            (hi, hi_open) = (*n, false);
                        }
                    }
                }
                _ => {}
            }
        }
        if lo > hi || (lo == hi && (lo_open || hi_open)) {
            return false;
        }
    }
    true
}

fn same(a: &Scalar, b: &Scalar) -> bool {
    match (a, b) {
        (Scalar::Text(x), Scalar::Text(y)) => x.eq_ignore_ascii_case(y),
        _ => a == b,
    }
}

fn unused_vocabulary(l: &mut Linter, rules: &RuleSet) {
    let mut used_attrs = BTreeSet::new();
    let mut used_evidence = BTreeSet::new();
    let mut used_topics = BTreeSet::new();
    for r in &rules.rules {
        used_topics.insert(r.topic.as_str());
        for t in &r.transitions_until_fact {
            used_attrs.insert(t.attribute.clone());
        }
        for atom in r.conditions().flat_map(|c| c.atoms()) {
            match atom {
                Condition::Test(t) => {
                    if let Fact::Attribute(a) = &t.fact {
                        used_attrs.insert(a.clone());
                    }
                }
                Condition::Holds(e) => {
                    used_evidence.insert(e.scheme.to_string());
                }
                _ => {}
            }
        }
        for placeholder in placeholders(&r.explain) {
            used_attrs.insert(placeholder.into());
        }
        if let Some(m) = &r.met_by {
            evidence_schemes(m, &mut used_evidence);
        }
    }
    // A scheme `X-…` of another kind than `X` (a CCC self-declaration where a
    // rule asks for a CCC certificate) is read by the rules that ask for `X`:
    // the finding notes that it is held and does not count.
    let asked: Vec<String> = used_evidence.iter().map(|a| a.to_string()).collect();
    for e in rules.vocabulary.evidence.values() {
        if asked.iter().any(|a| e.id.starts_with(&format!("{a}-"))) {
            used_evidence.insert(e.id.to_string());
        }
    }
    let v = &rules.vocabulary;
    // A fact a category is defined by (`includes any product with …`) is read
    // whenever a rule names that category.
    for c in &v.categories {
        used_attrs.extend(c.includes.iter().cloned());
    }
    let unused: Vec<(crate::model::Text, crate::model::Location, &str)> = v
        .attributes
        .values()
        .filter(|a| !used_attrs.contains(&a.name))
        .map(|a| (a.name.clone(), a.location.clone(), "attribute"))
        .chain(
            v.evidence
                .values()
                .filter(|e| !used_evidence.contains(e.id.as_str()))
                .map(|e| (e.id.clone(), e.location.clone(), "evidence")),
        )
        .chain(
            v.topics
                .values()
                .filter(|t| !used_topics.contains(t.id.as_str()))
                .map(|t| (t.id.clone(), t.location.clone(), "topic")),
        )
        .collect();
    for (name, loc, kind) in unused {
        if let Some(f) = l.file_of(&loc.file) {
            let offset = crate::position::offset_of(&l.files[f].text, loc.line, loc.column);
            l.push(Level::Warning, "unused", (f, offset..offset + name.len()), format!("{kind} `{name}` is declared but no rule uses it"), "unused", Some(format!("remove it, or write a rule that reads it; profiles may still set an unused {kind}")));
        }
    }
}

fn placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(after[..close].trim().to_string());
        rest = &after[close + 1..];
    }
    out
}

fn evidence_schemes(e: &crate::model::EvidenceReq, out: &mut BTreeSet<String>) {
    match e {
        crate::model::EvidenceReq::One(r) => {
            out.insert(r.scheme.to_string());
        }
        crate::model::EvidenceReq::All(v) | crate::model::EvidenceReq::Any(v) => {
            v.iter().for_each(|p| evidence_schemes(p, out))
        }
    }
}

fn never_met(l: &mut Linter, rules: &RuleSet) {
    for r in rules
        .rules
        .iter()
        .filter(|r| !r.is_informational() && r.met_by.is_none())
    {
        if let Some((f, span)) = rule_span(rules, l, &r.id) {
            l.push(Level::Warning, "never-met", (f, span), format!("mandatory rule `{}` has no `met by`: a product can never show it met", r.id), "no evidence", Some("add `met by certificate/label/filing …` so a profile can record compliance; until then the rule fails every check in scope".into()));
        }
    }
}

/// A rule superseded before its successor is known (its `published` date,
/// else its newsletter's issue): on the days between, neither is reported.
fn unknown_successors(l: &mut Linter, rules: &RuleSet) {
    for r in &rules.rules {
        let Some(s) = &r.superseded_by else { continue };
        let (Some(on), Some(next)) = (s.on, rules.rule(&s.by)) else {
            continue;
        };
        let Some(known) = crate::evaluate::known_from(next).filter(|k| *k > on) else {
            continue;
        };
        if let Some((f, span)) = rule_span(rules, l, &r.id) {
            let days = (known - on).num_days();
            l.push(
                Level::Warning,
                "unknown-successor",
                (f, span),
                format!(
                    "rule `{}` is superseded on {on}, but `{}` is known only from {known}: for {days} day{} neither is reported",
                    r.id,
                    next.id,
                    if days == 1 { "" } else { "s" }
                ),
                "superseded too early",
                Some(format!(
                    "give `{}` the `published` date its newsletter states, or write `superseded by {} on {known}`",
                    next.id, next.id
                )),
            );
        }
    }
}

fn untested(l: &mut Linter, rules: &RuleSet, tested: &Tested) {
    for r in rules
        .rules
        .iter()
        .filter(|r| !tested.contains(r.id.as_str()))
    {
        if let Some((f, span)) = rule_span(rules, l, &r.id) {
            l.push(Level::Warning, "untested", (f, span), format!("rule `{}` has no test case", r.id), "untested", Some("add a case to rules/tests/*.yaml: one profile where it applies, one where it does not, and the day before / the day of each date".into()));
        }
    }
}

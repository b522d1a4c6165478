//! The canonical layout of a rule file (`cncomply fmt`). Formatting never
//! changes meaning: the printed file parses to the same syntax tree (clauses
//! keep their order), and
//! formatting twice gives the same text. Comments are kept: a comment is
//! printed on its own line before the declaration or clause it stood in or
//! before, and blank lines between declarations are kept (at most one).

use super::ast::*;
use super::{parse_file, SyntaxError};

/// Conditions longer than this are broken at their top-level `and`/`or`.
const WIDTH: usize = 100;

/// Formats a rule file; fails only if it does not parse.
pub fn format_source(name: &str, text: &str) -> Result<String, Box<SyntaxError>> {
    let file = parse_file(name, text)?;
    let comments = collect_comments(text);
    Ok(Printer {
        text,
        comments,
        next_comment: 0,
        out: String::new(),
    }
    .file(&file))
}

struct Comment {
    offset: usize,
    text: String,
}

/// Comments (`#` to end of line) outside strings, in source order.
fn collect_comments(text: &str) -> Vec<Comment> {
    let mut out: Vec<Comment> = Vec::new();
    let mut current: Option<usize> = None;
    for (i, c, region) in super::scan::regions(text) {
        match (region, current) {
            (super::scan::Region::Comment, None) => current = Some(i),
            (super::scan::Region::Comment, Some(_)) => {}
            (_, Some(start)) => {
                out.push(Comment {
                    offset: start,
                    text: text[start..i].trim_end().to_string(),
                });
                current = None;
            }
            _ => {}
        }
        let _ = c;
    }
    if let Some(start) = current {
        out.push(Comment {
            offset: start,
            text: text[start..].trim_end().to_string(),
        });
    }
    out
}

struct Printer<'a> {
    text: &'a str,
    comments: Vec<Comment>,
    next_comment: usize,
    out: String,
}

impl Printer<'_> {
    /// True if the source has an empty line between `from` and `to`.
    fn blank_between(&self, from: usize, to: usize) -> bool {
        let gap = &self.text[from.min(to)..to];
        let mut lines = gap.split('\n');
        lines.next(); // the rest of the line `from` is on
        let mut inner: Vec<&str> = lines.collect();
        inner.pop(); // the line `to` is on
        inner.iter().any(|l| l.trim().is_empty())
    }

    /// Top level: declarations in source order with the comments before
    /// them. `cursor` is where the last printed thing ended in the source,
    /// so blank lines can be kept where the author put them.
    fn file(mut self, f: &File) -> String {
        let mut cursor = 0;
        let mut prev_rule = false;
        for (i, (decl, span)) in f.declarations.iter().zip(&f.spans).enumerate() {
            let is_rule = matches!(decl, Declaration::Rule(_));
            let first = self
                .comments
                .get(self.next_comment)
                .filter(|c| c.offset < span.start)
                .map_or(span.start, |c| c.offset);
            // Rules always stand apart; other declarations keep the author's grouping.
            if i > 0 && (is_rule || prev_rule || self.blank_between(cursor, first)) {
                self.out.push('\n');
            }
            let mut started = false;
            while let Some(c) = self
                .comments
                .get(self.next_comment)
                .filter(|c| c.offset < span.start)
            {
                if started && self.blank_between(cursor, c.offset) {
                    self.out.push('\n');
                }
                self.out.push_str(&c.text);
                self.out.push('\n');
                cursor = c.offset + c.text.len();
                self.next_comment += 1;
                started = true;
            }
            if started && self.blank_between(cursor, span.start) {
                self.out.push('\n');
            }
            self.declaration(decl);
            cursor = span.end;
            prev_rule = is_rule;
        }
        // Comments after the last declaration.
        while let Some(c) = self.comments.get(self.next_comment) {
            if !self.out.is_empty() && self.blank_between(cursor, c.offset) {
                self.out.push('\n');
            }
            self.out.push_str(&c.text);
            self.out.push('\n');
            cursor = c.offset + c.text.len();
            self.next_comment += 1;
        }
        self.out
    }

    fn declaration(&mut self, d: &Declaration) {
        match d {
            Declaration::Topic(t) => {
                self.out
                    .push_str(&format!("topic {}: {}\n", t.id.name, quote(&t.name.value)))
            }
            Declaration::Category(c) => {
                let mut line = format!("category {}", c.id.name);
                if let Some(p) = &c.parent {
                    line.push_str(&format!(" under {}", p.name));
                }
                line.push_str(&format!(": {}", quote(&c.name.value)));
                if !c.aliases.is_empty() {
                    let aliases: Vec<String> = c.aliases.iter().map(|a| quote(&a.value)).collect();
                    line.push_str(&format!(" also called {}", aliases.join(", ")));
                }
                if c.ask_kind {
                    line.push_str(" ask which kind");
                }
                for fact in &c.facts {
                    if fact.includes {
                        line.push_str(&format!(
                            " includes any product with {}",
                            fact.attribute.name
                        ));
                    } else {
                        line.push_str(&format!(" implies {}", fact.attribute.name));
                    }
                }
                self.out.push_str(&line);
                self.out.push('\n');
            }
            Declaration::Attribute(a) => {
                let ty = match &a.value_type {
                    ValueType::Number { unit: Some(u) } => format!("a number in {}", u.value),
                    ValueType::Number { unit: None } => "a number".into(),
                    ValueType::YesNo => "yes/no".into(),
                    ValueType::Date => "a date".into(),
                    ValueType::List => "a list".into(),
                    ValueType::ListOf(values) => format!("a list of {}", list(values)),
                    ValueType::Text => "text".into(),
                    ValueType::Choice(values) => format!("one of {}", list(values)),
                };
                self.out.push_str(&format!(
                    "attribute {} is {ty}: {}\n",
                    a.name.name,
                    quote(&a.meaning.value)
                ));
            }
            Declaration::Evidence(e) => {
                let level = match e.level {
                    Some(LevelKind::Grade) => " with grade",
                    Some(LevelKind::Tier) => " with tier",
                    None => "",
                };
                self.out.push_str(&format!(
                    "evidence {} is a {}{level}: {}\n",
                    e.id.name,
                    e.kind.as_str(),
                    quote(&e.meaning.value)
                ));
            }
            Declaration::Rule(r) => self.rule(r),
        }
    }

    fn rule(&mut self, r: &RuleDecl) {
        self.out.push_str(&format!("rule {}\n", r.id.name));
        // Clauses stay in the author's order: reordering would move comments
        // away from what they explain, and the order of dated cases matters.
        let clauses: Vec<&Clause> = r.clauses.iter().collect();
        // Comments travel with their clause: gather each clause's comments by
        // source position first, then print in the new order.
        let mut attached: Vec<Vec<String>> = vec![Vec::new(); clauses.len()];
        let body_end = r.span.end;
        let mut trailing = Vec::new();
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.offset >= body_end {
                break;
            }
            // The clause the comment is inside, else the next one in source order.
            let text = self.text;
            let owner = clauses
                .iter()
                .position(|cl| cl.span.start <= c.offset && c.offset < cl.span.end)
                // A comment at the end of a clause's last line belongs to it.
                .or_else(|| {
                    clauses.iter().position(|cl| {
                        cl.span.end <= c.offset && !text[cl.span.end..c.offset].contains('\n')
                    })
                })
                .or_else(|| {
                    clauses
                        .iter()
                        .enumerate()
                        .filter(|(_, cl)| cl.span.start > c.offset)
                        .min_by_key(|(_, cl)| cl.span.start)
                        .map(|(i, _)| i)
                });
            match owner {
                Some(i) => attached[i].push(c.text.clone()),
                None => trailing.push(c.text.clone()),
            }
            self.next_comment += 1;
        }
        for (clause, comments) in clauses.iter().zip(attached) {
            for c in comments {
                self.out.push_str(&format!("  {c}\n"));
            }
            self.clause(&clause.kind);
        }
        for c in trailing {
            self.out.push_str(&format!("  {c}\n"));
        }
        self.out.push_str("end\n");
    }

    fn clause(&mut self, k: &ClauseKind) {
        let line = match k {
            ClauseKind::Title(t) => format!("title {}", quote(&t.value)),
            ClauseKind::Topic(t) => format!("topic {}", t.name),
            ClauseKind::Instrument(t) => format!("instrument {}", quote(&t.value)),
            ClauseKind::Standards(v) => format!(
                "standards {}",
                v.iter()
                    .map(|t| quote(&t.value))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ClauseKind::Authority(t) => format!("authority {}", quote(&t.value)),
            ClauseKind::Status(s) => format!("status {}", s.name),
            ClauseKind::Binding(Binding::Mandatory) => "mandatory".into(),
            ClauseKind::Binding(Binding::Voluntary) => "voluntary".into(),
            ClauseKind::Binds(p) => format!("binds {}", p.name),
            ClauseKind::Source { file, section } => format!(
                "source {}, section {}",
                quote(&file.value),
                quote(&section.value)
            ),
            ClauseKind::Published(d) => format!("published {}", d.value),
            ClauseKind::Effective { date, case } => {
                format!("effective {}{}", date.value, case_text(case.as_ref()))
            }
            ClauseKind::Transition { date, case } => format!(
                "transition until {}{}",
                date.value,
                case_text(case.as_ref())
            ),
            ClauseKind::Repealed(d) => format!("repealed {}", d.value),
            ClauseKind::Superseded { by, on } => match on {
                Some(d) => format!("superseded by {} on {}", by.name, d.value),
                None => format!("superseded by {}", by.name),
            },
            ClauseKind::Formerly(ids) => format!(
                "formerly {}",
                ids.iter()
                    .map(|i| i.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ClauseKind::Applies(c) => {
                format!("applies when {}", wrap(c, "applies when ".len() + 2))
            }
            ClauseKind::Except { when, because } => {
                let cond = wrap(when, "except when ".len() + 2);
                let one_line = format!("except when {cond} because {}", quote(&because.value));
                if one_line.len() + 2 <= WIDTH && !cond.contains('\n') {
                    one_line
                } else {
                    format!("except when {cond}\n    because {}", quote(&because.value))
                }
            }
            ClauseKind::Obligation { kind, text } => {
                format!("obligation {} {}", kind.name, quote(&text.value))
            }
            ClauseKind::MetBy(e) => format!("met by {}", evidence(e, false)),
            ClauseKind::Explain(t) => format!("explain {}", quote(&t.value)),
        };
        self.out.push_str("  ");
        self.out.push_str(&line);
        self.out.push('\n');
    }
}

fn case_text(case: Option<&Case>) -> String {
    match case {
        None => String::new(),
        Some(Case { label, when: None }) => format!(" for {}", quote(&label.value)),
        Some(Case {
            label,
            when: Some(c),
        }) => format!(" for {} when {}", quote(&label.value), condition(c)),
    }
}

/// A condition on one line, or broken before its top-level connectives
/// when it would be too long.
fn wrap(c: &Condition, used: usize) -> String {
    let flat = condition(c);
    if used + flat.len() <= WIDTH {
        return flat;
    }
    match c {
        Condition::Any(parts, _) => parts
            .iter()
            .map(|p| child(p, Parent::Any))
            .collect::<Vec<_>>()
            .join("\n    or "),
        Condition::All(parts, _) => parts
            .iter()
            .map(|p| child(p, Parent::All))
            .collect::<Vec<_>>()
            .join("\n    and "),
        _ => flat,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Parent {
    Any,
    All,
    Not,
}

/// Prints a condition so that it parses back to the same tree: a nested
/// `or` under `and`, any group under `not`, and a group under a group of the
/// same kind keep their parentheses.
fn condition(c: &Condition) -> String {
    match c {
        Condition::Any(parts, _) => parts
            .iter()
            .map(|p| child(p, Parent::Any))
            .collect::<Vec<_>>()
            .join(" or "),
        Condition::All(parts, _) => parts
            .iter()
            .map(|p| child(p, Parent::All))
            .collect::<Vec<_>>()
            .join(" and "),
        Condition::Not(inner, _) => format!("not {}", child(inner, Parent::Not)),
        Condition::Holds(r) => format!("holds {}", evidence_ref(r)),
        Condition::Compare(cmp) => comparison(cmp),
    }
}

fn child(c: &Condition, parent: Parent) -> String {
    let needs_parens = matches!(
        (c, parent),
        (Condition::Any(..), _) | (Condition::All(..), Parent::All | Parent::Not)
    );
    if needs_parens {
        format!("({})", condition(c))
    } else {
        condition(c)
    }
}

fn comparison(c: &Comparison) -> String {
    let s = &c.subject.name;
    match &c.predicate {
        Predicate::Given => format!("{s} is given"),
        Predicate::Missing => format!("{s} is missing"),
        Predicate::OneOf(v) => format!("{s} is one of {}", list(v)),
        Predicate::NotOneOf(v) => format!("{s} is not one of {}", list(v)),
        Predicate::Between(a, b) => format!("{s} is between {} and {}", value(a), value(b)),
        Predicate::Above(v) => format!("{s} is above {}", value(v)),
        Predicate::Below(v) => format!("{s} is below {}", value(v)),
        Predicate::AtLeast(v) => format!("{s} is at least {}", value(v)),
        Predicate::AtMost(v) => format!("{s} is at most {}", value(v)),
        Predicate::Before(v) => format!("{s} is before {}", value(v)),
        Predicate::After(v) => format!("{s} is after {}", value(v)),
        Predicate::OnOrBefore(v) => format!("{s} is on or before {}", value(v)),
        Predicate::OnOrAfter(v) => format!("{s} is on or after {}", value(v)),
        Predicate::Contains(v) => format!("{s} contains {}", value(v)),
        Predicate::NotContains(v) => format!("{s} does not contain {}", value(v)),
        Predicate::IsNot(v) => format!("{s} is not {}", value(v)),
        Predicate::Is(v) => format!("{s} is {}", value(v)),
    }
}

fn list(values: &[Value]) -> String {
    format!(
        "[{}]",
        values.iter().map(value).collect::<Vec<_>>().join(", ")
    )
}

fn value(v: &Value) -> String {
    match &v.kind {
        ValueKind::Date(d) => d.clone(),
        ValueKind::Number { value, unit } => {
            let n = if value.fract() == 0.0 && value.abs() < 1e15 {
                format!("{}", *value as i64)
            } else {
                format!("{value}")
            };
            match unit {
                Some(u) => format!("{n} {u}"),
                None => n,
            }
        }
        ValueKind::Bool(true) => "yes".into(),
        ValueKind::Bool(false) => "no".into(),
        ValueKind::Text(t) => quote(t),
        ValueKind::Ident(i) => i.clone(),
    }
}

fn evidence(e: &EvidenceExpr, nested: bool) -> String {
    match e {
        EvidenceExpr::Ref(r) => evidence_ref(r),
        EvidenceExpr::All(parts) => {
            let s = parts
                .iter()
                .map(|p| evidence(p, true))
                .collect::<Vec<_>>()
                .join(" and ");
            if nested {
                format!("({s})")
            } else {
                s
            }
        }
        EvidenceExpr::Any(parts) => {
            let s = parts
                .iter()
                .map(|p| evidence(p, true))
                .collect::<Vec<_>>()
                .join(" or ");
            if nested {
                format!("({s})")
            } else {
                s
            }
        }
    }
}

fn evidence_ref(r: &EvidenceRef) -> String {
    let mut s = format!("{} {}", r.kind.as_str(), r.scheme.name);
    if let Some(l) = &r.level {
        let cmp = match l.cmp {
            LevelCmp::AtLeast => "at least",
            LevelCmp::AtMost => "at most",
        };
        s.push_str(&format!(" with {} {cmp} {}", l.kind.as_str(), l.value));
    }
    if let Some(std) = &r.standard {
        s.push_str(&format!(" to standard {}", quote(&std.value)));
    }
    if let Some(rule) = &r.implementation_rule {
        s.push_str(&format!(
            " under implementation rule {}",
            quote(&rule.value)
        ));
    }
    if !r.documents.is_empty() {
        s.push_str(&format!(" with documents {}", list(&r.documents)));
    }
    s
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

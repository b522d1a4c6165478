//! Grammar → syntax tree. `grammar/rules.pest` defines the shape of a rule
//! file; this module runs pest over one file and turns its parse tree into the
//! typed [`ast`]. It knows nothing about which topics or categories exist: that
//! is the model layer's job, so that one pass can report every meaning error.

pub mod ast;
mod error;
pub mod format;
mod scan;

use pest::iterators::Pair;
use pest::Parser;

pub use error::SyntaxError;

use ast::*;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rules.pest"]
struct RuleFileParser;

/// Conditions may nest at most this deep, counting each `(`, `[` and `not`.
/// pest descends recursively, so a hostile file with thousands of `(` or
/// `not not …` would otherwise exhaust the stack.
pub const MAX_NESTING: usize = 64;

/// At most this many syntax errors are reported per file.
const MAX_SYNTAX_ERRORS: usize = 50;

/// Parses one rule file, reporting every syntax error rather than the first:
/// after an error, the declaration it is in is blanked out (line breaks
/// kept, so later positions stay true) and parsing starts again. Returns the
/// declarations that parsed and the errors.
pub fn parse_file_recovering(name: &str, text: &str) -> (File, Vec<SyntaxError>) {
    let mut errors = Vec::new();
    let mut working = text.to_string();
    loop {
        match parse_file(name, &working) {
            Ok(file) => return (file, errors),
            Err(mut e) => {
                // Messages show the original text, not the blanked copy.
                e.src = miette::NamedSource::new(name, text.to_string());
                let offset = e.span.offset();
                errors.push(*e);
                let (start, end) = enclosing_declaration(&working, offset);
                if errors.len() >= MAX_SYNTAX_ERRORS || start >= end {
                    return (File::default(), errors);
                }
                // One space per byte, so every later offset (the spans the
                // model turns into lines and columns of the original text)
                // stays where it was. One per character shifted them and
                // could leave one inside a multi-byte character (found by
                // fuzzing: a panic in the model's line_col).
                let blanked: String = working[start..end]
                    .chars()
                    .map(|c| match c {
                        '\n' => "\n".to_string(),
                        c => " ".repeat(c.len_utf8()),
                    })
                    .collect();
                working.replace_range(start..end, &blanked);
            }
        }
    }
}

/// The byte range of the declaration holding `offset`: from the last line
/// that starts with a declaration keyword at or before it, to the next such
/// line after it.
fn enclosing_declaration(text: &str, offset: usize) -> (usize, usize) {
    const STARTS: [&str; 5] = ["rule ", "topic ", "category ", "attribute ", "evidence "];
    let is_start = |line: &str| STARTS.iter().any(|k| line.starts_with(k));
    let mut line_starts = vec![0];
    line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let start = line_starts
        .iter()
        .copied()
        .rfind(|&ls| ls <= offset && is_start(&text[ls..]))
        .or_else(|| line_starts.iter().copied().rfind(|&ls| ls <= offset))
        .unwrap_or(0);
    let end = line_starts
        .iter()
        .copied()
        .find(|&ls| ls > offset && is_start(&text[ls..]))
        .unwrap_or(text.len());
    (start, end.max(start))
}

/// Parses one rule file, stopping at the first syntax error. `name` is how
/// the file is shown in messages.
pub fn parse_file(name: &str, text: &str) -> Result<File, Box<SyntaxError>> {
    if let Some(offset) = text.find('\0') {
        return Err(Box::new(SyntaxError::at(
            name,
            text,
            offset,
            "the rule file contains a NUL byte".to_string(),
            Some("rule files are UTF-8 text; remove the byte".into()),
        )));
    }
    if let Some(offset) = too_deep(text) {
        return Err(Box::new(SyntaxError::at(
            name,
            text,
            offset,
            format!("conditions nest deeper than {MAX_NESTING} levels (parentheses and `not`)"),
            Some("split the condition, or name parts of it as categories or attributes".into()),
        )));
    }
    let mut pairs = RuleFileParser::parse(Rule::file, text)
        .map_err(|e| Box::new(SyntaxError::from_pest(name, text, e)))?;
    let file = pairs
        .next()
        .expect("grammar: `file` always yields one pair");
    let mut out = File::default();
    for pair in file.into_inner() {
        match pair.as_rule() {
            Rule::EOI => {}
            _ => {
                out.spans.push(span(&pair));
                out.declarations.push(declaration(pair));
            }
        }
    }
    Ok(out)
}

/// The offset of the first `(`, `[` or `not` past the nesting limit,
/// ignoring strings and comments. Each open bracket starts a frame that
/// counts the `not`s written in it; a `not` binds until the next word or
/// closing bracket, so only a run of them (`not not not x`) adds up.
fn too_deep(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    // Pending `not`s per open bracket (the outermost frame is the file).
    let mut frames: Vec<usize> = vec![0];
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' | b'[' => {
                frames.push(0);
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b')' | b']' if frames.len() > 1 => {
                depth -= 1 + frames.pop().unwrap_or(0);
            }
            c if c.is_ascii_alphanumeric() => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b"_-.".contains(&b[i])) {
                    i += 1;
                }
                let frame = frames.last_mut().expect("the file frame is never popped");
                if &b[start..i] == b"not" {
                    *frame += 1;
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some(start);
                    }
                } else {
                    depth -= *frame;
                    *frame = 0;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The pair's span without trailing white space and comments. pest skips
/// implicit white space (and comments) before trying an optional element and
/// keeps it when the element is absent, so a clause would otherwise end on
/// the next line; labels and the formatter need the real end.
fn span(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    s.start()..s.start() + significant_len(pair.as_str())
}

/// The length of `text` without trailing white space and comments. Texts in
/// quotes never span lines, so whether a `#` starts a comment is decided by
/// reading its own line alone: only the last lines are read, however long
/// the pair (reading all of it for every nested pair made parsing quadratic
/// in the nesting depth).
fn significant_len(text: &str) -> usize {
    let mut end = text.trim_end().len();
    loop {
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        match comment_start(&text[line_start..end]) {
            Some(hash) => end = text[..line_start + hash].trim_end().len(),
            None => return end,
        }
    }
}

/// The offset of a `#` that starts a comment in one line, if any.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '#' => return Some(i),
            '"' => in_string = true,
            _ => {}
        }
    }
    None
}

fn ident(pair: Pair<Rule>) -> Ident {
    Ident {
        span: span(&pair),
        name: pair.as_str().to_string(),
    }
}

fn text(pair: Pair<Rule>) -> Text {
    debug_assert_eq!(pair.as_rule(), Rule::string);
    let sp = span(&pair);
    let inner = pair.into_inner().next().map(|p| p.as_str()).unwrap_or("");
    Text {
        value: unescape(inner),
        span: sp,
    }
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A date literal is kept as text: the grammar checks only its shape.
fn date_text(pair: Pair<Rule>) -> Text {
    Text {
        span: span(&pair),
        value: pair.as_str().to_string(),
    }
}

fn declaration(pair: Pair<Rule>) -> Declaration {
    let full = span(&pair);
    let rule = pair.as_rule();
    let mut inner = pair.into_inner();
    match rule {
        Rule::topic_decl => Declaration::Topic(TopicDecl {
            id: ident(inner.next().unwrap()),
            name: text(inner.next().unwrap()),
        }),
        Rule::category_decl => {
            let id = ident(inner.next().unwrap());
            let mut parent = None;
            let mut name = None;
            let mut aliases = Vec::new();
            let mut ask_kind = false;
            let mut facts = Vec::new();
            for p in inner {
                match p.as_rule() {
                    Rule::parent => parent = Some(ident(p.into_inner().next().unwrap())),
                    Rule::string => name = Some(text(p)),
                    Rule::aliases => aliases = p.into_inner().map(text).collect(),
                    Rule::ask_kind => ask_kind = true,
                    Rule::implies_fact | Rule::includes_fact => facts.push(CategoryFact {
                        includes: p.as_rule() == Rule::includes_fact,
                        attribute: ident(p.into_inner().next().unwrap()),
                    }),
                    _ => unreachable!("category_decl: {:?}", p.as_rule()),
                }
            }
            Declaration::Category(CategoryDecl {
                id,
                parent,
                name: name.expect("grammar: category has a name"),
                aliases,
                ask_kind,
                facts,
            })
        }
        Rule::attribute_decl => {
            let name = ident(inner.next().unwrap());
            let vt = inner.next().unwrap();
            let type_span = span(&vt);
            let value_type = value_type(vt.into_inner().next().unwrap());
            Declaration::Attribute(AttributeDecl {
                name,
                value_type,
                type_span,
                meaning: text(inner.next().unwrap()),
            })
        }
        Rule::evidence_decl => {
            let id = ident(inner.next().unwrap());
            let kind = evidence_kind(inner.next().unwrap());
            let mut level = None;
            let mut meaning = None;
            for p in inner {
                match p.as_rule() {
                    Rule::level_kind => level = Some(level_kind(p.into_inner().next().unwrap())),
                    Rule::string => meaning = Some(text(p)),
                    _ => unreachable!(),
                }
            }
            Declaration::Evidence(EvidenceDecl {
                id,
                kind,
                level,
                meaning: meaning.expect("grammar: evidence has a meaning"),
            })
        }
        Rule::rule_decl => {
            let id = ident(inner.next().unwrap());
            let clauses: Vec<Clause> = inner
                .filter(|p| p.as_rule() != Rule::end_kw)
                .map(clause)
                .collect();
            Declaration::Rule(RuleDecl {
                id,
                clauses,
                span: full,
            })
        }
        other => unreachable!("declaration: {other:?}"),
    }
}

fn value_type(pair: Pair<Rule>) -> ValueType {
    match pair.as_rule() {
        Rule::number_type => ValueType::Number {
            unit: pair.into_inner().next().map(|u| Text {
                span: span(&u),
                value: u.as_str().to_string(),
            }),
        },
        Rule::yes_no_type => ValueType::YesNo,
        Rule::date_type => ValueType::Date,
        Rule::list_type => match pair.into_inner().next() {
            Some(values) => ValueType::ListOf(list(values)),
            None => ValueType::List,
        },
        Rule::text_type => ValueType::Text,
        Rule::choice_type => ValueType::Choice(list(pair.into_inner().next().unwrap())),
        other => unreachable!("value_type: {other:?}"),
    }
}

fn evidence_kind(pair: Pair<Rule>) -> EvidenceKind {
    match pair.as_str() {
        "certificate" => EvidenceKind::Certificate,
        "label" => EvidenceKind::Label,
        _ => EvidenceKind::Filing,
    }
}

fn level_kind(pair: Pair<Rule>) -> LevelKind {
    match pair.as_rule() {
        Rule::grade_kw => LevelKind::Grade,
        _ => LevelKind::Tier,
    }
}

fn clause(pair: Pair<Rule>) -> Clause {
    let sp = span(&pair);
    let rule = pair.as_rule();
    let mut inner = pair.into_inner();
    let kind = match rule {
        Rule::title_clause => ClauseKind::Title(text(inner.next().unwrap())),
        Rule::topic_clause => ClauseKind::Topic(ident(inner.next().unwrap())),
        Rule::instrument_clause => ClauseKind::Instrument(text(inner.next().unwrap())),
        Rule::standards_clause => ClauseKind::Standards(inner.map(text).collect()),
        Rule::authority_clause => ClauseKind::Authority(text(inner.next().unwrap())),
        Rule::status_clause => ClauseKind::Status(ident(inner.next().unwrap())),
        Rule::binding_clause => match inner.next().unwrap().as_rule() {
            Rule::mandatory_kw => ClauseKind::Binding(Binding::Mandatory),
            _ => ClauseKind::Binding(Binding::Voluntary),
        },
        Rule::binds_clause => ClauseKind::Binds(ident(inner.next().unwrap())),
        Rule::source_clause => ClauseKind::Source {
            file: text(inner.next().unwrap()),
            section: text(inner.next().unwrap()),
        },
        Rule::published_clause => ClauseKind::Published(date_text(inner.next().unwrap())),
        Rule::effective_clause => ClauseKind::Effective {
            date: date_text(inner.next().unwrap()),
            case: inner.next().map(case),
        },
        Rule::transition_clause => ClauseKind::Transition {
            date: date_text(inner.next().unwrap()),
            case: inner.next().map(case),
        },
        Rule::repealed_clause => ClauseKind::Repealed(date_text(inner.next().unwrap())),
        Rule::superseded_clause => ClauseKind::Superseded {
            by: ident(inner.next().unwrap()),
            on: inner.next().map(date_text),
        },
        Rule::formerly_clause => ClauseKind::Formerly(inner.map(ident).collect()),
        Rule::applies_clause => ClauseKind::Applies(condition(inner.next().unwrap())),
        Rule::except_clause => ClauseKind::Except {
            when: condition(inner.next().unwrap()),
            because: text(inner.next().unwrap()),
        },
        Rule::obligation_clause => ClauseKind::Obligation {
            kind: ident(inner.next().unwrap()),
            text: text(inner.next().unwrap()),
        },
        Rule::met_clause => ClauseKind::MetBy(evidence_expr(inner.next().unwrap())),
        Rule::explain_clause => ClauseKind::Explain(text(inner.next().unwrap())),
        other => unreachable!("clause: {other:?}"),
    };
    Clause { kind, span: sp }
}

fn case(pair: Pair<Rule>) -> Case {
    let mut inner = pair.into_inner();
    Case {
        label: text(inner.next().unwrap()),
        when: inner.next().map(condition),
    }
}

fn is_connective(pair: &Pair<Rule>) -> bool {
    matches!(pair.as_rule(), Rule::and_kw | Rule::or_kw)
}

fn condition(pair: Pair<Rule>) -> Condition {
    let sp = span(&pair);
    match pair.as_rule() {
        Rule::condition => {
            let mut parts: Vec<Condition> = pair
                .into_inner()
                .filter(|p| !is_connective(p))
                .map(condition)
                .collect();
            if parts.len() == 1 {
                parts.pop().unwrap()
            } else {
                Condition::Any(parts, sp)
            }
        }
        Rule::conjunction => {
            let mut parts: Vec<Condition> = pair
                .into_inner()
                .filter(|p| !is_connective(p))
                .map(condition)
                .collect();
            if parts.len() == 1 {
                parts.pop().unwrap()
            } else {
                Condition::All(parts, sp)
            }
        }
        Rule::negation => {
            let mut inner = pair.into_inner();
            let first = inner.next().unwrap();
            if first.as_rule() == Rule::not_kw {
                Condition::Not(Box::new(condition(inner.next().unwrap())), sp)
            } else {
                condition(first)
            }
        }
        Rule::holds => Condition::Holds(evidence_ref(pair.into_inner().next().unwrap())),
        Rule::comparison => {
            let mut inner = pair.into_inner();
            let subject = ident(inner.next().unwrap());
            let predicate = predicate(inner.next().unwrap());
            Condition::Compare(Comparison {
                subject,
                predicate,
                span: sp,
            })
        }
        other => unreachable!("condition: {other:?}"),
    }
}

fn predicate(pair: Pair<Rule>) -> Predicate {
    let rule = pair.as_rule();
    let mut values = pair.into_inner().filter(|p| !is_connective(p));
    let mut one = || value(values.next().unwrap());
    match rule {
        Rule::is_given => Predicate::Given,
        Rule::is_missing => Predicate::Missing,
        Rule::is_one_of => Predicate::OneOf(list(values.next().unwrap())),
        Rule::is_not_one_of => Predicate::NotOneOf(list(values.next().unwrap())),
        Rule::is_between => {
            let lo = one();
            let hi = one();
            Predicate::Between(lo, hi)
        }
        Rule::is_above => Predicate::Above(one()),
        Rule::is_below => Predicate::Below(one()),
        Rule::is_at_least => Predicate::AtLeast(one()),
        Rule::is_at_most => Predicate::AtMost(one()),
        Rule::is_before => Predicate::Before(one()),
        Rule::is_after => Predicate::After(one()),
        Rule::is_on_or_before => Predicate::OnOrBefore(one()),
        Rule::is_on_or_after => Predicate::OnOrAfter(one()),
        Rule::contains => Predicate::Contains(one()),
        Rule::does_not_contain => Predicate::NotContains(one()),
        Rule::is_not => Predicate::IsNot(one()),
        Rule::is => Predicate::Is(one()),
        other => unreachable!("predicate: {other:?}"),
    }
}

fn list(pair: Pair<Rule>) -> Vec<Value> {
    pair.into_inner().map(value).collect()
}

fn value(pair: Pair<Rule>) -> Value {
    debug_assert_eq!(pair.as_rule(), Rule::value);
    let sp = span(&pair);
    let inner = pair.into_inner().next().unwrap();
    let kind = match inner.as_rule() {
        Rule::date => ValueKind::Date(inner.as_str().to_string()),
        Rule::number_with_unit => {
            let mut parts = inner.into_inner();
            let number = parts.next().unwrap().as_str();
            ValueKind::Number {
                // The grammar admits only digits, one dot and a sign, so this
                // cannot fail; a huge literal becomes inf and is refused later.
                value: number.parse().unwrap_or(f64::INFINITY),
                unit: parts.next().map(|u| u.as_str().to_string()),
            }
        }
        Rule::yes => ValueKind::Bool(true),
        Rule::no => ValueKind::Bool(false),
        Rule::string => ValueKind::Text(text(inner).value),
        Rule::ident => ValueKind::Ident(inner.as_str().to_string()),
        other => unreachable!("value: {other:?}"),
    };
    Value { kind, span: sp }
}

fn evidence_expr(pair: Pair<Rule>) -> EvidenceExpr {
    match pair.as_rule() {
        Rule::evidence_expr => {
            let mut parts: Vec<_> = pair
                .into_inner()
                .filter(|p| !is_connective(p))
                .map(evidence_expr)
                .collect();
            if parts.len() == 1 {
                parts.pop().unwrap()
            } else {
                EvidenceExpr::Any(parts)
            }
        }
        Rule::evidence_all => {
            let mut parts: Vec<_> = pair
                .into_inner()
                .filter(|p| !is_connective(p))
                .map(evidence_expr)
                .collect();
            if parts.len() == 1 {
                parts.pop().unwrap()
            } else {
                EvidenceExpr::All(parts)
            }
        }
        Rule::evidence_ref => EvidenceExpr::Ref(evidence_ref(pair)),
        other => unreachable!("evidence_expr: {other:?}"),
    }
}

fn evidence_ref(pair: Pair<Rule>) -> EvidenceRef {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let kind = evidence_kind(inner.next().unwrap());
    let scheme = ident(inner.next().unwrap());
    let mut level = None;
    let mut standard = None;
    let mut implementation_rule = None;
    let mut documents = Vec::new();
    for p in inner {
        match p.as_rule() {
            Rule::level_req => {
                let lsp = span(&p);
                let mut li = p.into_inner();
                let kind = level_kind(li.next().unwrap());
                let cmp = match li.next().unwrap().into_inner().next().unwrap().as_rule() {
                    Rule::at_least_kw => LevelCmp::AtLeast,
                    _ => LevelCmp::AtMost,
                };
                let value = li.next().unwrap().as_str().parse().unwrap_or(u32::MAX);
                level = Some(LevelReq {
                    kind,
                    cmp,
                    value,
                    span: lsp,
                });
            }
            Rule::standard_req => standard = Some(text(p.into_inner().next().unwrap())),
            Rule::impl_rule_req => implementation_rule = Some(text(p.into_inner().next().unwrap())),
            Rule::documents_req => documents = list(p.into_inner().next().unwrap()),
            _ => unreachable!(),
        }
    }
    EvidenceRef {
        kind,
        scheme,
        level,
        standard,
        implementation_rule,
        documents,
        span: sp,
    }
}

#[cfg(test)]
mod tests;

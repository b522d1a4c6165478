use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use miette::NamedSource;

use crate::suggest::did_you_mean;
use crate::syntax::{self, ast};

use super::*;

/// The type of value a condition compares a fact with.
#[derive(Debug, Clone)]
enum FactType {
    Category,
    Attr(AttrType),
}

struct Builder<'a> {
    files: &'a [SourceFile],
    problems: Vec<Problem>,
    /// Problems found past [`MAX_PROBLEMS`](super::error::MAX_PROBLEMS).
    omitted: usize,
    vocab: Vocabulary,
    /// Per file, made on first use: the text shared by its errors, and the
    /// offsets where its lines start (a location is a binary search, not a
    /// scan from the top of the file for every declaration).
    sources: Vec<OnceCell<Arc<str>>>,
    line_starts: Vec<OnceCell<Vec<usize>>>,
}

pub(super) fn build(files: &[SourceFile]) -> Result<RuleSet, LoadError> {
    let mut b = Builder {
        files,
        problems: Vec::new(),
        omitted: 0,
        vocab: Vocabulary::default(),
        sources: files.iter().map(|_| OnceCell::new()).collect(),
        line_starts: files.iter().map(|_| OnceCell::new()).collect(),
    };
    let mut parsed = Vec::new();
    for (index, (ast, errors)) in parse_all(files).into_iter().enumerate() {
        // Every syntax error of every file, and the meaning errors of what
        // did parse, so one round of fixes is enough.
        for e in errors {
            b.push(Problem::Syntax(Box::new(e)));
        }
        parsed.push((index, ast));
    }

    // Vocabulary first, from every file, so that a rule may use a word
    // declared in any other file.
    for (f, ast) in &parsed {
        for decl in &ast.declarations {
            match decl {
                ast::Declaration::Topic(t) => b.topic(*f, t),
                ast::Declaration::Attribute(a) => b.attribute(*f, a),
                ast::Declaration::Evidence(e) => b.evidence(*f, e),
                _ => {}
            }
        }
    }
    b.categories(&parsed);

    let mut rules: Vec<Rule> = Vec::new();
    let mut rule_index: HashMap<String, usize> = HashMap::new();
    let mut superseded_spans = Vec::new();
    for (f, ast) in &parsed {
        for decl in &ast.declarations {
            if let ast::Declaration::Rule(r) = decl {
                if let Some(&existing) = rule_index.get(&r.id.name) {
                    let first: &Rule = &rules[existing];
                    let help = format!(
                        "the rule id is already used at {}:{}; rule ids must be unique",
                        first.location.file, first.location.line
                    );
                    b.error(
                        *f,
                        &r.id.span,
                        format!("duplicate rule id `{}`", r.id.name),
                        "declared again here",
                        Some(help),
                    );
                    continue;
                }
                if let Some((rule, sup_span)) = b.rule(*f, r) {
                    rule_index.insert(rule.id.clone(), rules.len());
                    superseded_spans.push((*f, sup_span));
                    rules.push(rule);
                }
            }
        }
    }
    b.resolve_supersession(&mut rules, &rule_index, &superseded_spans);

    if b.problems.is_empty() {
        Ok(RuleSet {
            vocabulary: b.vocab,
            rules,
            rule_index,
        })
    } else {
        Err(LoadError::new(b.problems, b.omitted))
    }
}

/// Parses every file, on as many threads as there are cores: parsing is
/// most of a cold start, and files do not depend on each other until their
/// names are resolved.
fn parse_all(files: &[SourceFile]) -> Vec<(ast::File, Vec<syntax::SyntaxError>)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len());
    if threads <= 1 {
        return files
            .iter()
            .map(|f| syntax::parse_file_recovering(&f.name, &f.text))
            .collect();
    }
    let mut results: Vec<_> = files.iter().map(|_| None).collect();
    // Largest files first, each taken by the next free thread.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(files[i].text.len()));
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                // The same stack as the main thread: pest recurses per
                // nesting level (bounded by the syntax layer's limit).
                std::thread::Builder::new()
                    .stack_size(8 * 1024 * 1024)
                    .spawn_scoped(scope, || {
                        let mut done = Vec::new();
                        while let Some(&i) =
                            order.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                        {
                            done.push((
                                i,
                                syntax::parse_file_recovering(&files[i].name, &files[i].text),
                            ));
                        }
                        done
                    })
            })
            .collect();
        // A worker that could not be started leaves its files to be
        // parsed below, on this thread.
        for handle in workers.into_iter().flatten() {
            for (i, r) in handle.join().expect("a parser thread panicked") {
                results[i] = Some(r);
            }
        }
    });
    results
        .into_iter()
        .zip(files)
        .map(|(r, f)| r.unwrap_or_else(|| syntax::parse_file_recovering(&f.name, &f.text)))
        .collect()
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The attribute-name suffix a unit calls for: `V` → `_v`, `kWh/100km` → `_kwh_per_100km`.
pub(crate) fn unit_suffix(unit: &str) -> String {
    let u = unit
        .replace('/', "_per_")
        .replace('%', "pct")
        .replace("°C", "c");
    u.to_lowercase()
}

impl<'a> Builder<'a> {
    fn push(&mut self, problem: Problem) {
        if self.problems.len() < super::error::MAX_PROBLEMS {
            self.problems.push(problem);
        } else {
            self.omitted += 1;
        }
    }

    /// 1-based (line, column) of a byte offset in a file; the same as
    /// [`line_col`], from the file's line index.
    fn line_col(&self, file: usize, offset: usize) -> (usize, usize) {
        let text = &self.files[file].text;
        let starts = self.line_starts[file].get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let offset = offset.min(text.len());
        let line = starts.partition_point(|&s| s <= offset);
        let column = text[starts[line - 1]..offset].chars().count() + 1;
        (line, column)
    }

    fn location(&self, file: usize, span: &ast::Span) -> Location {
        let f = &self.files[file];
        let (line, column) = self.line_col(file, span.start);
        Location {
            file: f.name.clone(),
            line,
            column,
        }
    }

    fn error(
        &mut self,
        file: usize,
        span: &ast::Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        // Every message says what to do; the guide is the fallback.
        let help =
            help.or_else(|| Some("see rules/README.md for how to write this clause".to_string()));
        if self.problems.len() >= super::error::MAX_PROBLEMS {
            self.omitted += 1;
            return;
        }
        let f = &self.files[file];
        let (line, column) = self.line_col(file, span.start);
        let text = self.sources[file].get_or_init(|| Arc::from(f.text.as_str()));
        self.problems.push(Problem::Model(Box::new(ModelError {
            message: message.into(),
            src: NamedSource::new(&f.name, Arc::clone(text)),
            span: (span.start, span.end.saturating_sub(span.start)).into(),
            label: label.into(),
            help,
            file: f.name.clone(),
            line,
            column,
        })));
    }

    fn date(&mut self, file: usize, text: &ast::Text) -> Option<NaiveDate> {
        let d = parse_date(&text.value);
        if d.is_none() {
            self.error(
                file,
                &text.span,
                format!("`{}` is not a calendar date", text.value),
                "no such day",
                Some(
                    "dates are YYYY-MM-DD and must exist (e.g. 2026-02-28, not 2026-02-30)".into(),
                ),
            );
        }
        d
    }

    fn topic(&mut self, file: usize, t: &ast::TopicDecl) {
        if let Some(existing) = self.vocab.topics.get(&t.id.name) {
            let help = format!(
                "first declared at {}:{}",
                existing.location.file, existing.location.line
            );
            self.error(
                file,
                &t.id.span,
                format!("topic `{}` is declared twice", t.id.name),
                "declared again here",
                Some(help),
            );
            return;
        }
        let location = self.location(file, &t.id.span);
        self.vocab.topics.insert(
            t.id.name.clone(),
            Topic {
                id: t.id.name.clone(),
                name: t.name.value.clone(),
                location,
            },
        );
    }

    fn attribute(&mut self, file: usize, a: &ast::AttributeDecl) {
        if let Some(existing) = self.vocab.attributes.get(&a.name.name) {
            let help = format!(
                "first declared at {}:{}",
                existing.location.file, existing.location.line
            );
            self.error(
                file,
                &a.name.span,
                format!("attribute `{}` is declared twice", a.name.name),
                "declared again here",
                Some(help),
            );
            return;
        }
        if Fact::RESERVED.contains(&a.name.name.as_str()) {
            self.error(
                file,
                &a.name.span,
                format!(
                    "`{}` is a built-in profile field, not an attribute",
                    a.name.name
                ),
                "reserved name",
                Some(format!(
                    "profiles give `{}` at the top level; rules can test it directly",
                    a.name.name
                )),
            );
            return;
        }
        let value_type = match &a.value_type {
            ast::ValueType::Number { unit } => {
                if let Some(unit) = unit {
                    let suffix = unit_suffix(&unit.value);
                    if !a.name.name.to_lowercase().ends_with(&format!("_{suffix}")) {
                        self.error(
                            file,
                            &unit.span,
                            format!("attribute `{}` is in {} but its name does not say so", a.name.name, unit.value),
                            "unit",
                            Some(format!("name it `…_{suffix}` so that profiles show the unit, e.g. `rated_voltage_v` for V")),
                        );
                    }
                }
                AttrType::Number {
                    unit: unit.as_ref().map(|u| u.value.clone()),
                }
            }
            ast::ValueType::YesNo => AttrType::YesNo,
            ast::ValueType::Date => AttrType::Date,
            ast::ValueType::List => AttrType::List,
            ast::ValueType::Text => AttrType::Text,
            ast::ValueType::Choice(values) => {
                let mut choices = Vec::new();
                for v in values {
                    match &v.kind {
                        ast::ValueKind::Text(s) | ast::ValueKind::Ident(s) => {
                            choices.push(s.clone())
                        }
                        _ => self.error(
                            file,
                            &v.span,
                            "choices must be texts",
                            "not a text",
                            Some("write each choice in double quotes".into()),
                        ),
                    }
                }
                AttrType::Choice(choices)
            }
        };
        let location = self.location(file, &a.name.span);
        self.vocab.attributes.insert(
            a.name.name.clone(),
            Attribute {
                name: a.name.name.clone(),
                value_type,
                meaning: a.meaning.value.clone(),
                location,
            },
        );
    }

    fn evidence(&mut self, file: usize, e: &ast::EvidenceDecl) {
        if let Some(existing) = self.vocab.evidence.get(&e.id.name) {
            let help = format!(
                "first declared at {}:{}",
                existing.location.file, existing.location.line
            );
            self.error(
                file,
                &e.id.span,
                format!("evidence `{}` is declared twice", e.id.name),
                "declared again here",
                Some(help),
            );
            return;
        }
        let location = self.location(file, &e.id.span);
        self.vocab.evidence.insert(
            e.id.name.clone(),
            EvidenceScheme {
                id: e.id.name.clone(),
                kind: e.kind,
                level: e.level,
                meaning: e.meaning.value.clone(),
                location,
            },
        );
    }

    fn categories(&mut self, parsed: &[(usize, ast::File)]) {
        let mut parents: Vec<(usize, usize, ast::Ident)> = Vec::new();
        for (f, ast) in parsed {
            for decl in &ast.declarations {
                let ast::Declaration::Category(c) = decl else {
                    continue;
                };
                if let Some(existing) = self.vocab.category_by_id(&c.id.name) {
                    let loc = self.vocab.categories[existing].location.clone();
                    self.error(
                        *f,
                        &c.id.span,
                        format!("category `{}` is declared twice", c.id.name),
                        "declared again here",
                        Some(format!("first declared at {}:{}", loc.file, loc.line)),
                    );
                    continue;
                }
                let mut aliases = Vec::new();
                for alias in &c.aliases {
                    if let Some(owner) = self.vocab.name_owner(&alias.value) {
                        let owner = self.vocab.categories[owner].id.clone();
                        self.error(
                            *f,
                            &alias.span,
                            format!("alias \"{}\" already names category `{owner}`", alias.value),
                            "ambiguous alias",
                            Some(
                                "an alias may name only one category; drop it here or there".into(),
                            ),
                        );
                    } else {
                        aliases.push(alias.value.clone());
                    }
                }
                if let Some(owner) = self.vocab.name_owner(&c.id.name) {
                    let owner = self.vocab.categories[owner].id.clone();
                    self.error(
                        *f,
                        &c.id.span,
                        format!(
                            "category id `{}` is already an alias of `{owner}`",
                            c.id.name
                        ),
                        "ambiguous name",
                        None,
                    );
                }
                let location = self.location(*f, &c.id.span);
                let index = self.vocab.add_category(Category {
                    id: c.id.name.clone(),
                    name: c.name.value.clone(),
                    parent: None,
                    aliases,
                    location,
                });
                if let Some(p) = &c.parent {
                    parents.push((*f, index, p.clone()));
                }
            }
        }
        for (f, index, parent) in parents {
            match self.vocab.category_by_id(&parent.name) {
                Some(p) => self.vocab.categories[index].parent = Some(p),
                None => {
                    let help = did_you_mean(
                        &parent.name,
                        self.vocab.categories.iter().map(|c| c.id.as_str()),
                    );
                    self.error(
                        f,
                        &parent.span,
                        format!("unknown parent category `{}`", parent.name),
                        "not declared",
                        help,
                    );
                }
            }
        }
        // A cycle would make "is a" questions endless; report each once.
        // Each walk stops after MAX_CATEGORY_DEPTH steps, so a long chain
        // costs categories × that bound, not categories × chain length
        // (a 100,000-deep chain ran past two minutes).
        let n = self.vocab.categories.len();
        let mut reported = HashSet::new();
        for start in 0..n {
            let mut seen = HashSet::new();
            let mut current = Some(start);
            while let Some(c) = current {
                if seen.len() > MAX_CATEGORY_DEPTH && !seen.contains(&c) {
                    self.vocab.categories[start].parent = None;
                    if self.problems.len() >= super::error::MAX_PROBLEMS {
                        // Counted only: placing it would scan its file.
                        self.omitted += 1;
                        break;
                    }
                    let cat = self.vocab.categories[start].clone();
                    let file = self
                        .files
                        .iter()
                        .position(|f| f.name == cat.location.file)
                        .unwrap_or(0);
                    let offset = crate::position::offset_of(
                        &self.files[file].text,
                        cat.location.line,
                        cat.location.column,
                    );
                    self.error(
                        file,
                        &(offset..offset + cat.id.len()),
                        format!(
                            "category `{}` is more than {MAX_CATEGORY_DEPTH} levels deep in the category tree",
                            cat.id
                        ),
                        "too deep",
                        Some("a category tree is a few levels deep; put this category under one nearer the root".into()),
                    );
                    break;
                }
                if !seen.insert(c) {
                    if reported.insert(c) {
                        let cat = self.vocab.categories[c].clone();
                        let file = self
                            .files
                            .iter()
                            .position(|f| f.name == cat.location.file)
                            .unwrap_or(0);
                        let offset = crate::position::offset_of(
                            &self.files[file].text,
                            cat.location.line,
                            cat.location.column,
                        );
                        let chain: Vec<String> = self
                            .vocab
                            .categories
                            .iter()
                            .filter(|x| seen.contains(&self.vocab.category_by_id(&x.id).unwrap()))
                            .map(|x| x.id.clone())
                            .collect();
                        self.error(
                            file,
                            &(offset..offset + cat.id.len()),
                            format!(
                                "category `{}` is under itself (cycle through {})",
                                cat.id,
                                chain.join(", ")
                            ),
                            "cycle",
                            Some("the category tree must not loop; remove one `under`".into()),
                        );
                        self.vocab.categories[c].parent = None;
                    }
                    break;
                }
                current = self.vocab.categories[c].parent;
            }
        }
    }

    fn rule(&mut self, f: usize, r: &ast::RuleDecl) -> Option<(Rule, Option<ast::Span>)> {
        let before = self.problems.len() + self.omitted;
        let mut seen: HashMap<&'static str, ast::Span> = HashMap::new();
        let repeatable = ["effective", "transition until", "except when"];
        let mut title = None;
        let mut topic = None;
        let mut instrument = None;
        let mut standards = Vec::new();
        let mut authority = None;
        let mut status = None;
        let mut binding = None;
        let mut source = None;
        let mut published = None;
        let mut effective = Vec::new();
        let mut transitions = Vec::new();
        let mut repealed = None;
        let mut superseded_by = None;
        let mut superseded_span = None;
        let mut scope = None;
        let mut exclusions = Vec::new();
        let mut obligation = None;
        let mut met_by = None;
        let mut explain = None;
        let mut fallback_effective: Option<ast::Span> = None;

        for clause in &r.clauses {
            let kw = clause.kind.keyword();
            if !repeatable.contains(&kw) {
                if let Some(first) = seen.get(kw) {
                    let (line, _) = self.line_col(f, first.start);
                    self.error(
                        f,
                        &clause.span,
                        format!("rule `{}` has more than one `{kw}` clause", r.id.name),
                        "repeated",
                        Some(format!("the first is on line {line}; keep one")),
                    );
                    continue;
                }
                seen.insert(kw, clause.span.clone());
            }
            match &clause.kind {
                ast::ClauseKind::Title(t) => title = Some(t.value.clone()),
                ast::ClauseKind::Topic(t) => {
                    if !self.vocab.topics.contains_key(&t.name) {
                        let help =
                            did_you_mean(&t.name, self.vocab.topics.keys().map(|k| k.as_str()))
                                .or_else(|| {
                                    Some(
                                "declare it with `topic ID: \"name\"` or use a declared topic"
                                    .into(),
                            )
                                });
                        self.error(
                            f,
                            &t.span,
                            format!("unknown topic `{}`", t.name),
                            "not a declared topic",
                            help,
                        );
                    }
                    topic = Some(t.name.clone());
                }
                ast::ClauseKind::Instrument(t) => instrument = Some(t.value.clone()),
                ast::ClauseKind::Standards(list) => {
                    standards = list.iter().map(|t| t.value.clone()).collect()
                }
                ast::ClauseKind::Authority(t) => authority = Some(t.value.clone()),
                ast::ClauseKind::Status(s) => match RuleStatus::ALL
                    .iter()
                    .find(|(n, _)| *n == s.name)
                {
                    Some((_, st)) => status = Some(*st),
                    None => {
                        let help = did_you_mean(&s.name, RuleStatus::ALL.iter().map(|(n, _)| *n))
                            .unwrap_or_else(|| {
                                "the status is one of: draft, adopted, in-force, repealed".into()
                            });
                        self.error(
                            f,
                            &s.span,
                            format!("unknown status `{}`", s.name),
                            "not a status",
                            Some(help),
                        );
                    }
                },
                ast::ClauseKind::Binding(b) => binding = Some(*b),
                ast::ClauseKind::Source { file, section } => {
                    if section.value.trim().is_empty() {
                        self.error(
                            f,
                            &section.span,
                            "the section heading is empty",
                            "empty",
                            Some("copy the heading of the newsletter section exactly".into()),
                        );
                    }
                    source = Some(Citation {
                        file: file.value.clone(),
                        section: section.value.clone(),
                    })
                }
                ast::ClauseKind::Published(d) => published = self.date(f, d),
                ast::ClauseKind::Effective { date, case } => {
                    let d = self.date(f, date);
                    let (label, when) = self.case(f, case.as_ref());
                    if when.is_none() {
                        if let Some(prev) = &fallback_effective {
                            let (line, _) = self.line_col(f, prev.start);
                            self.error(f, &clause.span, format!("rule `{}` has two effective dates for every product", r.id.name), "second date without `when`", Some(format!("line {line} already gives a date that applies to all; add `for \"case\" when …` to one of them")));
                        }
                        fallback_effective = Some(clause.span.clone());
                    }
                    if let Some(date) = d {
                        effective.push(DatedCase { date, label, when });
                    }
                }
                ast::ClauseKind::Transition { date, case } => {
                    let d = self.date(f, date);
                    let (label, when) = self.case(f, case.as_ref());
                    if let Some(date) = d {
                        transitions.push(DatedCase { date, label, when });
                    }
                }
                ast::ClauseKind::Repealed(d) => repealed = self.date(f, d),
                ast::ClauseKind::Superseded { by, on } => {
                    if by.name == r.id.name {
                        self.error(
                            f,
                            &by.span,
                            format!("rule `{}` is superseded by itself", r.id.name),
                            "same rule",
                            Some("name the rule that replaces this one".into()),
                        );
                    }
                    let on = on.as_ref().and_then(|d| self.date(f, d));
                    superseded_by = Some(Supersession {
                        by: by.name.clone(),
                        on,
                    });
                    superseded_span = Some(by.span.clone());
                }
                ast::ClauseKind::Applies(c) => scope = self.condition(f, c),
                ast::ClauseKind::Except { when, because } => {
                    if let Some(c) = self.condition(f, when) {
                        exclusions.push(Exclusion {
                            when: c,
                            because: because.value.clone(),
                        });
                    }
                }
                ast::ClauseKind::Obligation { kind, text } => {
                    match ObligationKind::ALL.iter().find(|(n, _)| *n == kind.name) {
                        Some((_, k)) => obligation = Some((*k, text.value.clone())),
                        None => {
                            let help = did_you_mean(&kind.name, ObligationKind::ALL.iter().map(|(n, _)| *n)).unwrap_or_else(|| {
                            "the kind is one of: certify, label, file, test, report, meet-limit, declare, inform".into()
                        });
                            self.error(
                                f,
                                &kind.span,
                                format!("unknown obligation kind `{}`", kind.name),
                                "not a kind",
                                Some(help),
                            );
                        }
                    }
                }
                ast::ClauseKind::MetBy(e) => met_by = self.evidence_expr(f, e),
                ast::ClauseKind::Explain(t) => {
                    self.check_template(f, t);
                    explain = Some(t.value.clone());
                }
            }
        }

        let required: [(&str, bool, &str); 10] = [
            (
                "title",
                title.is_some(),
                "title \"one line a reader scans\"",
            ),
            ("topic", topic.is_some(), "topic ccc"),
            (
                "instrument",
                instrument.is_some(),
                "instrument \"GB 26572-2025\"",
            ),
            ("authority", authority.is_some(), "authority \"SAMR\""),
            (
                "status",
                status.is_some() || seen.contains_key("status"),
                "status in-force",
            ),
            ("mandatory/voluntary", binding.is_some(), "mandatory"),
            (
                "source",
                source.is_some(),
                "source \"001_….txt\", section \"Heading\"",
            ),
            (
                "applies when",
                scope.is_some() || seen.contains_key("applies when"),
                "applies when category is …",
            ),
            (
                "obligation",
                obligation.is_some() || seen.contains_key("obligation"),
                "obligation certify \"…\"",
            ),
            ("explain", explain.is_some(), "explain \"…\""),
        ];
        for (kw, present, example) in required {
            if !present {
                self.error(
                    f,
                    &r.id.span,
                    format!("rule `{}` has no `{kw}` clause", r.id.name),
                    format!("missing `{kw}`"),
                    Some(format!("add a line like: {example}")),
                );
            }
        }

        // Dates that contradict each other are almost always a typo.
        let first = effective.iter().map(|c| c.date).min();
        if let (Some(p), Some(e)) = (published, first) {
            if p > e {
                let span = seen.get("published").cloned().unwrap_or(r.id.span.clone());
                self.error(
                    f,
                    &span,
                    format!(
                        "rule `{}` is published ({p}) after it takes effect ({e})",
                        r.id.name
                    ),
                    "published after effective",
                    Some("check both dates against the newsletter".into()),
                );
            }
        }
        for t in &transitions {
            if let Some(e) = first {
                if t.date < e {
                    self.error(
                        f,
                        &r.id.span,
                        format!(
                            "rule `{}`: transition ends ({}) before the rule takes effect ({e})",
                            r.id.name, t.date
                        ),
                        "inverted dates",
                        Some("a transition period runs from the effective date to its end".into()),
                    );
                }
            }
        }
        if let (Some(rep), Some(e)) = (repealed, first) {
            if rep < e {
                let span = seen.get("repealed").cloned().unwrap_or(r.id.span.clone());
                self.error(
                    f,
                    &span,
                    format!(
                        "rule `{}` is repealed ({rep}) before it takes effect ({e})",
                        r.id.name
                    ),
                    "inverted dates",
                    None,
                );
            }
        }

        if self.problems.len() + self.omitted > before {
            return None;
        }
        let (obligation_kind, obligation) = obligation?;
        Some((
            Rule {
                id: r.id.name.clone(),
                title: title?,
                topic: topic?,
                instrument: instrument?,
                standards,
                authority: authority?,
                status: status?,
                binding: binding?,
                source: source?,
                published,
                effective,
                transitions,
                repealed,
                superseded_by,
                scope: scope?,
                exclusions,
                obligation_kind,
                obligation,
                met_by,
                explain: explain?,
                location: self.location(f, &r.id.span),
            },
            superseded_span,
        ))
    }

    fn case(&mut self, f: usize, case: Option<&ast::Case>) -> (Option<String>, Option<Condition>) {
        match case {
            None => (None, None),
            Some(c) => (
                Some(c.label.value.clone()),
                c.when.as_ref().and_then(|w| self.condition(f, w)),
            ),
        }
    }

    fn check_template(&mut self, f: usize, t: &ast::Text) {
        let mut rest = t.value.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let name = after[..close].trim();
            if Fact::from_reserved(name).is_none() && !self.vocab.attributes.contains_key(name) {
                let help = did_you_mean(name, self.vocab.attributes.keys().map(|k| k.as_str()).chain(Fact::RESERVED))
                    .or_else(|| Some("`{…}` quotes a profile fact: an attribute, or name, category, made_in, sold_in, placed_on_market".into()));
                self.error(
                    f,
                    &t.span,
                    format!("the explanation quotes `{{{name}}}`, which no profile can give"),
                    "unknown fact",
                    help,
                );
            }
            rest = &after[close + 1..];
        }
    }

    fn fact_type(&self, fact: &Fact) -> FactType {
        match fact {
            Fact::Category => FactType::Category,
            Fact::Name | Fact::MadeIn => FactType::Attr(AttrType::Text),
            Fact::SoldIn => FactType::Attr(AttrType::List),
            Fact::PlacedOnMarket => FactType::Attr(AttrType::Date),
            Fact::Attribute(a) => FactType::Attr(self.vocab.attributes[a].value_type.clone()),
        }
    }

    fn condition(&mut self, f: usize, c: &ast::Condition) -> Option<Condition> {
        match c {
            ast::Condition::Any(parts, _) => {
                let v: Vec<_> = parts.iter().map(|p| self.condition(f, p)).collect();
                v.into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(Condition::Any)
            }
            ast::Condition::All(parts, _) => {
                let v: Vec<_> = parts.iter().map(|p| self.condition(f, p)).collect();
                v.into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(Condition::All)
            }
            ast::Condition::Not(inner, _) => self
                .condition(f, inner)
                .map(|c| Condition::Not(Box::new(c))),
            ast::Condition::Holds(r) => self.evidence_ref(f, r).map(Condition::Holds),
            ast::Condition::Compare(cmp) => self.comparison(f, cmp).map(Condition::Test),
        }
    }

    fn comparison(&mut self, f: usize, c: &ast::Comparison) -> Option<Test> {
        let name = &c.subject.name;
        let fact = match Fact::from_reserved(name) {
            Some(fact) => fact,
            None if self.vocab.attributes.contains_key(name) => Fact::Attribute(name.clone()),
            None => {
                let help = did_you_mean(
                    name,
                    self.vocab
                        .attributes
                        .keys()
                        .map(|k| k.as_str())
                        .chain(Fact::RESERVED),
                )
                .or_else(|| {
                    Some(format!(
                        "declare it: attribute {name} is a number in V: \"what it means\""
                    ))
                });
                self.error(
                    f,
                    &c.subject.span,
                    format!("no profile can give `{name}`: it is not a declared attribute"),
                    "unknown attribute",
                    help,
                );
                return None;
            }
        };
        let text = collapse_ws(&self.files[f].text[c.span.clone()]);
        let ty = self.fact_type(&fact);
        let op = self.op(f, &fact, &ty, &c.predicate, &c.span)?;
        Some(Test {
            path: fact.path(),
            fact,
            op,
            text,
        })
    }

    fn op(
        &mut self,
        f: usize,
        fact: &Fact,
        ty: &FactType,
        p: &ast::Predicate,
        span: &ast::Span,
    ) -> Option<Op> {
        use ast::Predicate as P;
        let name = fact.name().to_string();
        let mismatch = |b: &mut Self, what: &str, help: &str| {
            let tyname = match ty {
                FactType::Category => "a category".to_string(),
                FactType::Attr(t) => t.describe(),
            };
            b.error(
                f,
                span,
                format!("`{name}` is {tyname}; `{what}` does not apply to it"),
                "type mismatch",
                Some(help.to_string()),
            );
            None
        };
        match (p, ty) {
            (P::Given, _) => Some(Op::Given),
            (P::Missing, _) => Some(Op::Missing),
            (P::Is(v), FactType::Category) => Some(Op::InCategories(vec![self.category_value(f, v)?])),
            (P::IsNot(v), FactType::Category) => Some(Op::NotInCategories(vec![self.category_value(f, v)?])),
            (P::OneOf(vs), FactType::Category) => {
                let cats: Vec<_> = vs.iter().map(|v| self.category_value(f, v)).collect();
                cats.into_iter().collect::<Option<Vec<_>>>().map(Op::InCategories)
            }
            (P::NotOneOf(vs), FactType::Category) => {
                let cats: Vec<_> = vs.iter().map(|v| self.category_value(f, v)).collect();
                cats.into_iter().collect::<Option<Vec<_>>>().map(Op::NotInCategories)
            }
            (_, FactType::Category) => mismatch(self, "this test", "test a category with `is`, `is not`, `is one of` or `is not one of`"),
            (P::Is(v) | P::IsNot(v), FactType::Attr(AttrType::List)) => {
                let _ = v;
                mismatch(self, "is", "test a list with `contains` or `does not contain`")
            }
            (P::Is(v), FactType::Attr(t)) => Some(Op::Is(self.scalar(f, fact, t, v)?)),
            (P::IsNot(v), FactType::Attr(t)) => Some(Op::IsNot(self.scalar(f, fact, t, v)?)),
            (P::OneOf(vs) | P::NotOneOf(vs), FactType::Attr(t)) if !matches!(t, AttrType::List) => {
                let values: Vec<_> = vs.iter().map(|v| self.scalar(f, fact, t, v)).collect();
                let values = values.into_iter().collect::<Option<Vec<_>>>()?;
                Some(if matches!(p, P::OneOf(_)) { Op::OneOf(values) } else { Op::NotOneOf(values) })
            }
            (P::Between(lo, hi), FactType::Attr(t @ AttrType::Number { .. })) => {
                let lo = self.number(f, fact, t, lo)?;
                let hi = self.number(f, fact, t, hi)?;
                if lo > hi {
                    self.error(f, span, format!("the range {lo} to {hi} is empty"), "lower bound above upper bound", Some("write the smaller value first".into()));
                    return None;
                }
                Some(Op::Between(lo, hi))
            }
            (P::Above(v) | P::Below(v) | P::AtLeast(v) | P::AtMost(v), FactType::Attr(t @ AttrType::Number { .. })) => {
                let n = self.number(f, fact, t, v)?;
                let cmp = match p {
                    P::Above(_) => Cmp::Above,
                    P::Below(_) => Cmp::Below,
                    P::AtLeast(_) => Cmp::AtLeast,
                    _ => Cmp::AtMost,
                };
                Some(Op::Number(cmp, n))
            }
            (P::Before(v) | P::After(v) | P::OnOrBefore(v) | P::OnOrAfter(v), FactType::Attr(AttrType::Date)) => {
                let d = self.date_value(f, v)?;
                let cmp = match p {
                    P::Before(_) => Cmp::Below,
                    P::After(_) => Cmp::Above,
                    P::OnOrBefore(_) => Cmp::AtMost,
                    _ => Cmp::AtLeast,
                };
                Some(Op::Date(cmp, d))
            }
            (P::Contains(v) | P::NotContains(v), FactType::Attr(AttrType::List)) => {
                let s = match &v.kind {
                    ast::ValueKind::Text(s) | ast::ValueKind::Ident(s) => s.clone(),
                    _ => {
                        self.error(f, &v.span, "lists hold texts", "not a text", Some("write the item as a name or in double quotes".into()));
                        return None;
                    }
                };
                Some(if matches!(p, P::Contains(_)) { Op::Contains(s) } else { Op::NotContains(s) })
            }
            (P::Between(..) | P::Above(_) | P::Below(_) | P::AtLeast(_) | P::AtMost(_), _) => {
                mismatch(self, "a numeric comparison", "`above`, `below`, `at least`, `at most` and `between` compare numbers; dates use `before`/`after`")
            }
            (P::Before(_) | P::After(_) | P::OnOrBefore(_) | P::OnOrAfter(_), _) => {
                mismatch(self, "a date comparison", "`before` and `after` compare dates; numbers use `above`/`below`")
            }
            (P::Contains(_) | P::NotContains(_), _) => mismatch(self, "contains", "`contains` tests lists; use `is` or `is one of`"),
            (P::OneOf(_) | P::NotOneOf(_), _) => mismatch(self, "is one of", "test a list with `contains`"),
        }
    }

    fn category_value(&mut self, f: usize, v: &ast::Value) -> Option<usize> {
        let name = match &v.kind {
            ast::ValueKind::Ident(s) | ast::ValueKind::Text(s) => s,
            _ => {
                self.error(
                    f,
                    &v.span,
                    "expected a category",
                    "not a category name",
                    None,
                );
                return None;
            }
        };
        match self.vocab.category_by_id(name) {
            Some(c) => Some(c),
            None => {
                let help = did_you_mean(name, self.vocab.categories.iter().map(|c| c.id.as_str()))
                    .or_else(|| {
                        Some("declare it with `category ID under PARENT: \"name\"`".into())
                    });
                self.error(
                    f,
                    &v.span,
                    format!("unknown category `{name}`"),
                    "not in the taxonomy",
                    help,
                );
                None
            }
        }
    }

    fn number(&mut self, f: usize, fact: &Fact, ty: &AttrType, v: &ast::Value) -> Option<f64> {
        match self.scalar(f, fact, ty, v)? {
            Scalar::Number(n) => Some(n),
            _ => None,
        }
    }

    fn date_value(&mut self, f: usize, v: &ast::Value) -> Option<NaiveDate> {
        match &v.kind {
            ast::ValueKind::Date(d) => {
                let t = ast::Text {
                    value: d.clone(),
                    span: v.span.clone(),
                };
                self.date(f, &t)
            }
            _ => {
                self.error(
                    f,
                    &v.span,
                    "expected a date (YYYY-MM-DD)",
                    "not a date",
                    None,
                );
                None
            }
        }
    }

    fn scalar(&mut self, f: usize, fact: &Fact, ty: &AttrType, v: &ast::Value) -> Option<Scalar> {
        let name = fact.name();
        let wrong = |b: &mut Self| {
            b.error(
                f,
                &v.span,
                format!("`{name}` is {}; this value is not", ty.describe()),
                "wrong type of value",
                None,
            );
            None
        };
        match (ty, &v.kind) {
            (AttrType::Number { unit }, ast::ValueKind::Number { value, unit: vunit }) => {
                if !value.is_finite() {
                    self.error(f, &v.span, "number out of range", "too large", None);
                    return None;
                }
                match (unit, vunit) {
                    (Some(u), Some(vu)) if u != vu => {
                        self.error(
                            f,
                            &v.span,
                            format!("`{name}` is in {u}, not {vu}"),
                            "wrong unit",
                            Some(format!("write the value in {u}")),
                        );
                        None
                    }
                    (None, Some(vu)) => {
                        self.error(
                            f,
                            &v.span,
                            format!("`{name}` has no unit, but the value is in {vu}"),
                            "unexpected unit",
                            Some("declare the attribute with `in UNIT`, or drop the unit".into()),
                        );
                        None
                    }
                    _ => Some(Scalar::Number(*value)),
                }
            }
            (AttrType::YesNo, ast::ValueKind::Bool(b)) => Some(Scalar::Bool(*b)),
            (AttrType::Date, ast::ValueKind::Date(_)) => self.date_value(f, v).map(Scalar::Date),
            (AttrType::Text, ast::ValueKind::Text(s) | ast::ValueKind::Ident(s)) => {
                Some(Scalar::Text(s.clone()))
            }
            (AttrType::Choice(choices), ast::ValueKind::Text(s) | ast::ValueKind::Ident(s)) => {
                if choices.iter().any(|c| c.eq_ignore_ascii_case(s)) {
                    Some(Scalar::Text(s.clone()))
                } else {
                    let help = did_you_mean(s, choices.iter().map(|c| c.as_str()))
                        .unwrap_or_else(|| format!("`{name}` is {}", ty.describe()));
                    self.error(
                        f,
                        &v.span,
                        format!("\"{s}\" is not a choice of `{name}`"),
                        "not a choice",
                        Some(help),
                    );
                    None
                }
            }
            _ => wrong(self),
        }
    }

    fn evidence_expr(&mut self, f: usize, e: &ast::EvidenceExpr) -> Option<EvidenceReq> {
        match e {
            ast::EvidenceExpr::Ref(r) => self.evidence_ref(f, r).map(EvidenceReq::One),
            ast::EvidenceExpr::All(v) => {
                let parts: Vec<_> = v.iter().map(|p| self.evidence_expr(f, p)).collect();
                parts
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(EvidenceReq::All)
            }
            ast::EvidenceExpr::Any(v) => {
                let parts: Vec<_> = v.iter().map(|p| self.evidence_expr(f, p)).collect();
                parts
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(EvidenceReq::Any)
            }
        }
    }

    fn evidence_ref(&mut self, f: usize, r: &ast::EvidenceRef) -> Option<EvidenceRef> {
        let Some(scheme) = self.vocab.evidence.get(&r.scheme.name).cloned() else {
            let help = did_you_mean(
                &r.scheme.name,
                self.vocab.evidence.keys().map(|k| k.as_str()),
            )
            .or_else(|| {
                Some(format!(
                    "declare it: evidence {} is a {}: \"what it is\"",
                    r.scheme.name,
                    r.kind.as_str()
                ))
            });
            self.error(
                f,
                &r.scheme.span,
                format!("unknown evidence `{}`", r.scheme.name),
                "not declared",
                help,
            );
            return None;
        };
        if scheme.kind != r.kind {
            self.error(
                f,
                &r.span,
                format!(
                    "`{}` is a {}, not a {}",
                    scheme.id,
                    scheme.kind.as_str(),
                    r.kind.as_str()
                ),
                "wrong kind",
                Some(format!("write `{} {}`", scheme.kind.as_str(), scheme.id)),
            );
            return None;
        }
        if let Some(level) = &r.level {
            if scheme.level != Some(level.kind) {
                let help = match scheme.level {
                    Some(k) => format!("`{}` is rated by {}", scheme.id, k.as_str()),
                    None => format!(
                        "`{}` has no grade or tier; declare it `with grade` or `with tier`",
                        scheme.id
                    ),
                };
                self.error(
                    f,
                    &level.span,
                    format!("`{}` has no {}", scheme.id, level.kind.as_str()),
                    "no such level",
                    Some(help),
                );
                return None;
            }
        }
        Some(EvidenceRef {
            kind: r.kind,
            scheme: r.scheme.name.clone(),
            level: r.level.as_ref().map(|l| (l.kind, l.cmp, l.value)),
            standard: r.standard.as_ref().map(|s| s.value.clone()),
        })
    }

    fn resolve_supersession(
        &mut self,
        rules: &mut [Rule],
        index: &HashMap<String, usize>,
        spans: &[(usize, Option<ast::Span>)],
    ) {
        for i in 0..rules.len() {
            let Some(sup) = rules[i].superseded_by.clone() else {
                continue;
            };
            let (f, span) = (spans[i].0, spans[i].1.clone().unwrap_or(0..0));
            let Some(&target) = index.get(&sup.by) else {
                let help = did_you_mean(&sup.by, rules.iter().map(|r| r.id.as_str()))
                    .or_else(|| Some("name an existing rule id (see `cncomply rules list`), or remove the clause".into()));
                self.error(
                    f,
                    &span,
                    format!(
                        "rule `{}` is superseded by `{}`, which does not exist",
                        rules[i].id, sup.by
                    ),
                    "no such rule",
                    help,
                );
                continue;
            };
            // A successor that is itself (indirectly) replaced by this rule
            // would leave no rule governing; refuse the loop.
            let mut seen = HashSet::from([i]);
            let mut cur = target;
            let mut looped = false;
            while let Some(next) = rules[cur]
                .superseded_by
                .as_ref()
                .and_then(|s| index.get(&s.by))
            {
                if !seen.insert(cur) || *next == i {
                    looped = true;
                    break;
                }
                cur = *next;
            }
            if looped {
                self.error(
                    f,
                    &span,
                    format!(
                        "rules `{}` and `{}` supersede each other",
                        rules[i].id, sup.by
                    ),
                    "cycle",
                    Some("one rule replaces the other, not both ways".into()),
                );
                continue;
            }
            if sup.on.is_none() {
                match rules[target].first_effective() {
                    Some(d) => rules[i].superseded_by.as_mut().unwrap().on = Some(d),
                    None => self.error(
                        f,
                        &span,
                        format!(
                            "`{}` has no effective date to supersede `{}` on",
                            sup.by, rules[i].id
                        ),
                        "no date",
                        Some("write `superseded by ID on YYYY-MM-DD`".into()),
                    ),
                }
            }
        }
    }
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

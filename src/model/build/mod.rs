use std::cell::OnceCell;
use std::collections::HashSet;
use std::sync::Arc;

use chrono::NaiveDate;
use foldhash::{HashMap, HashMapExt};
use miette::NamedSource;

use crate::suggest::did_you_mean;
use crate::syntax::{self, ast};

use super::*;

mod condition;
mod evidence;
mod rule;
mod vocabulary;

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
    b.vocab.index_ancestors();

    let mut rules: Vec<Rule> = Vec::new();
    let mut rule_index: HashMap<Text, usize> = HashMap::new();
    let mut superseded_spans = Vec::new();
    for (f, ast) in &parsed {
        for decl in &ast.declarations {
            if let ast::Declaration::Rule(r) = decl {
                if let Some(&existing) = rule_index.get(r.id.name.as_str()) {
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
    let former_index = b.former_ids(&parsed, &rules, &rule_index);

    if b.problems.is_empty() {
        Ok(RuleSet {
            vocabulary: b.vocab,
            rules,
            rule_index,
            former_index,
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
            file: f.name.clone().into(),
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
            message: crate::safe_text::quoted_short(message.into()),
            src: NamedSource::new(&f.name, Arc::clone(text)),
            span: (span.start, span.end.saturating_sub(span.start)).into(),
            label: label.into(),
            help,
            file: f.name.clone(),
            line,
            column,
        })));
    }

    /// True when `text` names a declared date attribute (for `transition
    /// until ATTRIBUTE`); reports the error otherwise.
    fn date_attribute(&mut self, file: usize, text: &ast::Text) -> bool {
        match self
            .vocab
            .attributes
            .get(text.value.as_str())
            .map(|a| &a.value_type)
        {
            Some(AttrType::Date) => true,
            Some(_) => {
                self.error(
                    file,
                    &text.span,
                    format!("`{}` is not a date attribute", text.value),
                    "not a date",
                    Some("a transition ends on a date: YYYY-MM-DD or an attribute declared `is a date`".into()),
                );
                false
            }
            None => {
                self.error(
                    file,
                    &text.span,
                    format!("unknown attribute `{}`", text.value),
                    "not declared",
                    Some("declare it: attribute NAME is a date: \"meaning\"".into()),
                );
                false
            }
        }
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
}

//! Phrases and JSON pieces the time reports (diff, calendar, HTML, iCalendar)
//! share, so a product and a citation read the same in every format.

use serde::Serialize;

use crate::model::{Rule, Vocabulary};
use crate::profile::Profile;

use super::json::{Category, ErrorEntry, Tool};
use super::ProductError;

/// "M-230 motor — motor (Small-power motor) — motor.yaml"
pub fn product_heading(p: &Profile, vocab: &Vocabulary) -> String {
    let cat = &vocab.categories[p.category];
    format!("{} — {} ({}) — {}", p.name, cat.id, cat.name, p.origin)
}

/// `CNCA-C04-01:2026 · China Standardisation Newsletter, March–April 2026,
/// article 13 “Eleven CCC …”`: the instrument, then the source as a person
/// cites it (the same words `source`, `explain` and JSON give).
pub fn citation(r: &Rule) -> String {
    format!("{} · {}", r.instrument, crate::bundled::citation(&r.source))
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn tool() -> Tool {
    Tool {
        name: "cncomply",
        version: env!("CARGO_PKG_VERSION"),
    }
}

pub fn category<'a>(p: &'a Profile, vocab: &'a Vocabulary) -> Category<'a> {
    Category {
        id: &vocab.categories[p.category].id,
        input: &p.category_input,
    }
}

pub fn error_entries(errors: &[ProductError]) -> Vec<ErrorEntry> {
    errors
        .iter()
        .map(|e| ErrorEntry {
            profile: e.origin.clone(),
            line: e.line,
            column: e.column,
            message: e.message.clone(),
        })
        .collect()
}

/// "error: a.yaml:3:1: … (not checked)" lines for a table report.
pub fn error_lines(errors: &[ProductError]) -> String {
    let mut out = String::new();
    for e in errors {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!(":{l}:{c}"),
            (Some(l), None) => format!(":{l}"),
            _ => String::new(),
        };
        out.push_str(&format!(
            "error: {}{at}: {} (not checked)\n",
            e.origin, e.message
        ));
    }
    out
}

/// The rule's identity and citation as JSON.
#[derive(Serialize)]
pub struct RuleRef<'a> {
    pub rule_id: &'a str,
    pub title: &'a str,
    pub topic: &'a str,
    pub instrument: &'a str,
    pub authority: &'a str,
    pub source: super::json::Source<'a>,
}

pub fn rule_ref(r: &Rule) -> RuleRef<'_> {
    RuleRef {
        rule_id: &r.id,
        title: &r.title,
        topic: &r.topic,
        instrument: &r.instrument,
        authority: &r.authority,
        source: super::json::Source {
            file: &r.source.file,
            section: &r.source.section,
            citation: crate::bundled::citation(&r.source),
        },
    }
}

/// Serialises a report document with a final newline.
pub fn to_json<T: Serialize>(doc: &T) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("report serialises");
    s.push('\n');
    s
}

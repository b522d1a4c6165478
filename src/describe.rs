//! A rule in plain words, for `cncomply explain`: what it is, from when, for
//! which products, what to do and where it is written; and, for one product,
//! why it applies or not, test by test, with the values read.

use std::fmt::Write;

use crate::evaluate::{Finding, Truth};
use crate::model::{Condition, EvidenceReq, Op, Rule, Test, Vocabulary};
use crate::profile::Profile;

/// The rule on its own.
pub fn rule(rule: &Rule, vocab: &Vocabulary) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "{} — {}", rule.id, rule.title);
    let topic = vocab
        .topics
        .get(&rule.topic)
        .map(|t| format!("{} ({})", rule.topic, t.name))
        .unwrap_or_else(|| rule.topic.to_string());
    field(w, "Topic", &topic);
    if !rule.formerly.is_empty() {
        field(w, "Formerly", &rule.formerly.join(", "));
    }
    field(w, "Instrument", &issued_by(rule));
    if !rule.standards.is_empty() {
        field(w, "Standards", &rule.standards.join(", "));
    }
    field(w, "Status", &status_words(rule));
    let dates = dates(rule, vocab);
    field(w, "Dates", &dates.join("\n"));
    field(
        w,
        "Applies when",
        condition_block(&rule.scope, vocab, 0).trim_end(),
    );
    for ex in &rule.exclusions {
        field(
            w,
            "Except when",
            &format!("{} — because {}", inline(&ex.when, vocab), ex.because),
        );
    }
    field(
        w,
        "Obligation",
        &format!("{} ({})", rule.obligation, rule.obligation_kind.as_str()),
    );
    match &rule.met_by {
        Some(req) => {
            let mut lines = vec![req.describe()];
            let mut refs = Vec::new();
            evidence_refs(req, &mut refs);
            for (kind, scheme) in refs {
                if let Some(s) = vocab.evidence.get(scheme) {
                    lines.push(format!("  {kind} {scheme}: {}", s.meaning));
                }
            }
            field(w, "Met by", &lines.join("\n"));
        }
        None => field(
            w,
            "Met by",
            "nothing in a profile shows it met; the finding stays open while in force",
        ),
    }
    field(
        w,
        "Source",
        &format!(
            "{} ({} § \"{}\"; `cncomply source {}` prints the passage)",
            crate::bundled::citation(&rule.source),
            rule.source.file,
            crate::seeds::plain(&rule.source.section),
            rule.id
        ),
    );
    field(w, "Explanation", &rule.explain);
    field(
        w,
        "Defined at",
        &format!(
            "{}:{}:{}",
            rule.location.file, rule.location.line, rule.location.column
        ),
    );
    out
}

/// Why the rule does or does not apply to `profile`, from its finding.
pub fn finding(f: &Finding, profile: &Profile, as_of: chrono::NaiveDate) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "For {} ({}) on {as_of}:", profile.name, profile.origin);
    field(w, "Status", &format!("{} — {}", f.status, f.reason));
    if let Some(case) = &f.case {
        field(w, "Case", case);
    }
    if let (Some(d), Some(days)) = (f.deadline, f.days_left) {
        field(w, "Next date", &format!("{d} ({days} days from {as_of})"));
    }
    if !f.missing.is_empty() {
        field(
            w,
            "Missing",
            &format!("add {} to the profile", f.missing.join(", ")),
        );
    }
    if !f.evidence.notes.is_empty() {
        field(w, "Evidence", &f.evidence.notes.join("; "));
    }
    field(w, "Explanation", &f.explanation);
    let _ = writeln!(w, "Conditions, as read:");
    let width = f
        .checks
        .iter()
        .map(|c| c.condition.chars().count())
        .max()
        .unwrap_or(0);
    for c in &f.checks {
        let result = match c.result {
            Truth::True => "true",
            Truth::False => "false",
            Truth::Unknown => "unknown",
        };
        let value = c.value.as_deref().unwrap_or("(not given)");
        let at = profile
            .locator
            .get(c.path)
            .map(|(line, _)| format!("  [{}:{line}]", profile.origin))
            .unwrap_or_default();
        let _ = writeln!(
            w,
            "  {result:<8} {:<width$}  {} = {value}{at}",
            c.condition, c.path
        );
    }
    if f.checks.is_empty() {
        let _ = writeln!(w, "  (none)");
    }
    out
}

/// A label in a fixed-width column; continuation lines are indented under
/// the value.
fn field(w: &mut String, label: &str, value: &str) {
    let mut lines = value.lines();
    let first = lines.next().unwrap_or("");
    let _ = writeln!(w, "{label:<13}{first}");
    for l in lines {
        let _ = writeln!(w, "{:13}{l}", "");
    }
}

fn status_words(rule: &Rule) -> String {
    let mut s = format!(
        "{}, {}",
        rule.status.as_str(),
        crate::model::binding_str(rule.binding)
    );
    if rule.is_informational() {
        s.push_str(" — reported as informational (a draft, a voluntary scheme or an advisory note; never fails a check)");
    }
    s
}

fn dates(rule: &Rule, vocab: &Vocabulary) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = rule.published {
        out.push(format!("published {p}"));
    }
    if rule.effective.is_empty() {
        out.push("no effective date given: applies on any day its scope matches".into());
    }
    for c in &rule.effective {
        out.push(format!("effective {}{}", c.date, case_words(c, vocab)));
    }
    for c in &rule.transitions {
        out.push(format!(
            "transition (grace period) until {}{}",
            c.date,
            case_words(c, vocab)
        ));
    }
    if let Some(r) = rule.repealed {
        out.push(format!("repealed {r}"));
    } else if rule.status == crate::model::RuleStatus::Repealed {
        out.push("repealed (the newsletter gives no date)".into());
    }
    if let Some(s) = &rule.superseded_by {
        match s.on {
            Some(on) => out.push(format!("superseded by {} on {on}", s.by)),
            None => out.push(format!("superseded by {} (no date)", s.by)),
        }
    }
    out
}

fn case_words(c: &crate::model::DatedCase, vocab: &Vocabulary) -> String {
    let mut s = String::new();
    if let Some(l) = &c.label {
        s.push_str(&format!(" for {l}"));
    }
    if let Some(w) = &c.when {
        s.push_str(&format!(" (when {})", inline(w, vocab)));
    }
    s
}

/// A condition as an indented outline: "all of" / "any of" with one test a
/// line, so nesting is visible without counting parentheses.
pub fn condition_block(c: &Condition, vocab: &Vocabulary, indent: usize) -> String {
    let mut out = String::new();
    block(c, vocab, indent, &mut out);
    out
}

fn block(c: &Condition, vocab: &Vocabulary, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match c {
        Condition::All(parts) | Condition::Any(parts) => {
            let head = if matches!(c, Condition::All(_)) {
                "all of:"
            } else {
                "any of:"
            };
            let _ = writeln!(out, "{pad}{head}");
            for p in parts {
                match p {
                    Condition::All(_) | Condition::Any(_) | Condition::Not(_) => {
                        let mut nested = String::new();
                        block(p, vocab, indent + 4, &mut nested);
                        let _ = write!(out, "{pad}  - {}", nested.trim_start());
                    }
                    leaf => {
                        let _ = writeln!(out, "{pad}  - {}", inline(leaf, vocab));
                    }
                }
            }
        }
        Condition::Not(inner) => match **inner {
            Condition::All(_) | Condition::Any(_) => {
                let _ = writeln!(out, "{pad}not:");
                block(inner, vocab, indent + 2, out);
            }
            _ => {
                let _ = writeln!(out, "{pad}{}", inline(c, vocab));
            }
        },
        leaf => {
            let _ = writeln!(out, "{pad}{}", inline(leaf, vocab));
        }
    }
}

/// A condition on one line, parenthesised where precedence needs it.
pub fn inline(c: &Condition, vocab: &Vocabulary) -> String {
    match c {
        Condition::All(parts) => parts
            .iter()
            .map(|p| match p {
                Condition::Any(_) => format!("({})", inline(p, vocab)),
                _ => inline(p, vocab),
            })
            .collect::<Vec<_>>()
            .join(" and "),
        Condition::Any(parts) => parts
            .iter()
            .map(|p| inline(p, vocab))
            .collect::<Vec<_>>()
            .join(" or "),
        Condition::Not(inner) => match **inner {
            Condition::All(_) | Condition::Any(_) => format!("not ({})", inline(inner, vocab)),
            _ => format!("not {}", inline(inner, vocab)),
        },
        Condition::Holds(r) => format!("the product holds {}", r.describe()),
        Condition::Test(t) => test_words(t, vocab),
    }
}

/// Category tests name the categories, since the id alone ("belt") does not
/// say that every kind under it is covered.
fn test_words(t: &Test, vocab: &Vocabulary) -> String {
    let names = |cats: &[usize]| {
        cats.iter()
            .map(|&c| {
                let cat = &vocab.categories[c];
                format!("{} ({})", cat.name, cat.id)
            })
            .collect::<Vec<_>>()
            .join(" or ")
    };
    match &t.op {
        Op::InCategories(cats) => format!("category is {} or one under it", names(cats)),
        Op::NotInCategories(cats) => {
            format!("category is not {} nor one under it", names(cats))
        }
        _ => t.text.to_string(),
    }
}

fn evidence_refs<'a>(req: &'a EvidenceReq, out: &mut Vec<(&'static str, &'a str)>) {
    match req {
        EvidenceReq::One(r) => {
            if !out.iter().any(|(_, s)| *s == r.scheme) {
                out.push((r.kind.as_str(), &r.scheme));
            }
        }
        EvidenceReq::All(parts) | EvidenceReq::Any(parts) => {
            for p in parts {
                evidence_refs(p, out);
            }
        }
    }
}

/// "X, issued by SAMR" — or, where the newsletter names nobody, say so
/// rather than pretend an issuer.
fn issued_by(rule: &Rule) -> String {
    let a = rule.authority.trim();
    if a.is_empty() || a.to_lowercase().starts_with("not ") {
        format!("{} (issuer: {a})", rule.instrument)
    } else {
        format!("{}, issued by {a}", rule.instrument)
    }
}

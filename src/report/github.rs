//! GitHub Actions workflow commands: each open finding becomes an
//! annotation on the profile file, at the line of the key that decided it.
//! A finding that fails the run is an `::error`; other open findings
//! (upcoming, needs-info, in-transition) are `::warning`s, except open
//! questions about drafts and voluntary schemes, which are left to SARIF; a waived one is a
//! `::notice` naming the waiver. A profile that could not be read is an
//! `::error` at its line. A final `::notice` carries the tally.

use super::{deciding_position, ProductError, ProductReport, RunInfo};
use crate::evaluate::Status;

pub fn render(info: &RunInfo, products: &[ProductReport], errors: &[ProductError]) -> String {
    let mut out = String::new();
    for p in products {
        for f in &p.findings {
            let command = if info.policy.fails(f) {
                "error"
            } else {
                match f.status {
                    // Open questions about drafts and voluntary schemes would
                    // bury the annotations that matter; SARIF keeps them.
                    Status::NeedsInfo if f.rule.is_informational() => continue,
                    Status::InTransition | Status::NeedsInfo | Status::Upcoming => "warning",
                    Status::Waived => "notice",
                    _ => continue,
                }
            };
            // Repeated in every annotation: long texts are shortened.
            let mut message = format!(
                "{}: {} — {}",
                crate::safe_text::shorten(&p.profile.name, super::MAX_REPEATED),
                f.status,
                crate::safe_text::shorten_words(&f.reason, super::MAX_REPEATED)
            );
            if f.status == Status::NeedsInfo {
                message.push_str(&format!("; add {} to the profile", f.missing.join(", ")));
            } else {
                message.push_str(&format!("; to do: {}", f.rule.obligation));
            }
            message.push_str(&format!(
                " ({} · {} § \"{}\")",
                f.rule.instrument, f.rule.source.file, f.rule.source.section
            ));
            let at = deciding_position(f, &p.profile);
            out.push_str(&annotation(
                command,
                &p.profile.origin,
                at.map(|(l, _)| l),
                &f.rule.id,
                &message,
            ));
        }
    }
    for e in errors {
        out.push_str(&annotation(
            "error",
            &e.origin,
            e.line,
            "cncomply: profile not checked",
            &e.message,
        ));
    }
    let applies: usize = products.iter().map(|p| p.count(Status::Applies)).sum();
    let failing: usize = products.iter().map(|p| p.failing(info.policy)).sum();
    let n =
        |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
    let tally = format!(
        "{} checked as of {}: {} in force, {} failing (fail on: {}), {} with errors",
        n(products.len(), "product"),
        info.as_of,
        n(applies, "unmet obligation"),
        n(failing, "finding"),
        info.policy.describe(),
        n(errors.len(), "profile"),
    );
    out.push_str(&format!(
        "::notice title=cncomply::{}\n",
        escape_data(&tally)
    ));
    out
}

fn annotation(
    command: &str,
    file: &str,
    line: Option<usize>,
    title: &str,
    message: &str,
) -> String {
    let mut props = Vec::new();
    if file != "-" {
        props.push(format!("file={}", escape_property(file)));
        if let Some(l) = line {
            props.push(format!("line={l}"));
        }
    }
    props.push(format!("title={}", escape_property(title)));
    format!(
        "::{command} {}::{}\n",
        props.join(","),
        escape_data(message)
    )
}

/// The escaping the runner undoes for a command's message; other control
/// characters become visible stand-ins, and `##[` (an older command form
/// read anywhere in a line) is broken.
fn escape_data(s: &str) -> String {
    let escaped = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    crate::safe_text::one_line(&escaped).replace("##[", "#\u{200b}#[")
}

/// The escaping the runner undoes for a property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

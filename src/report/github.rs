//! GitHub Actions workflow commands: each open finding becomes an
//! annotation on the profile file, at the line of the key that decided it.
//! A finding that fails the run is an `::error`; other open findings
//! (upcoming, needs-info, in-transition) are `::warning`s, except open
//! questions about drafts and voluntary schemes, which are left to SARIF; a waived one is a
//! `::notice` naming the waiver. A profile that could not be read is an
//! `::error` at its line. A final `::notice` carries the tally.

//!
//! A workflow step shows at most 10 error and 10 warning annotations (and
//! as many notices); past those, one notice says how many were left out,
//! and the job summary (`$GITHUB_STEP_SUMMARY`, see `cli::check`) and the
//! SARIF report carry the rest.

use std::io::{self, Write};

use super::stream::{self, Piece, ProductSummary, RunSummary};
use super::{deciding_position, ProductError, ProductReport, RunInfo};
use crate::evaluate::Status;

/// Annotations of one kind a step shows.
pub const SHOWN_PER_KIND: usize = 10;

const ERROR: u8 = 0;
const WARNING: u8 = 1;
const NOTICE: u8 = 2;

/// A product's annotations, each an item tagged error, warning or notice.
pub fn piece(info: &RunInfo, p: &ProductReport, out: &mut Piece) {
    for f in &p.findings {
        let (command, tag) = if info.policy.fails(f) {
            ("error", ERROR)
        } else {
            match f.status {
                // Open questions about drafts and voluntary schemes would
                // bury the annotations that matter; SARIF keeps them.
                Status::NeedsInfo if f.rule.is_informational() => continue,
                Status::InTransition | Status::NeedsInfo | Status::Upcoming => ("warning", WARNING),
                Status::Waived => ("notice", NOTICE),
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
        message.push_str(&format!(" ({})", super::text::citation(f.rule)));
        let at = deciding_position(f, &p.profile);
        out.bytes.extend_from_slice(
            annotation(
                command,
                &p.profile.origin,
                at.map(|(l, _)| l),
                &f.rule.id,
                &message,
            )
            .as_bytes(),
        );
        out.mark(tag);
    }
}

/// Writes the first annotations of each kind and counts the rest.
#[derive(Default)]
pub struct Writer {
    shown: [usize; 3],
    left_out: [usize; 3],
}

impl Writer {
    fn show(&mut self, tag: u8, item: &[u8], w: &mut dyn Write) -> io::Result<()> {
        // Two notices are kept for "… and N more" and the tally.
        let cap = if tag == NOTICE {
            SHOWN_PER_KIND - 2
        } else {
            SHOWN_PER_KIND
        };
        let t = tag as usize;
        if self.shown[t] < cap {
            self.shown[t] += 1;
            w.write_all(item)
        } else {
            self.left_out[t] += 1;
            Ok(())
        }
    }
}

impl stream::Writer for Writer {
    fn product(
        &mut self,
        _info: &RunInfo,
        _summary: &ProductSummary,
        piece: Piece,
        w: &mut dyn Write,
    ) -> io::Result<()> {
        for (tag, item) in piece.items() {
            self.show(tag, item, w)?;
        }
        Ok(())
    }

    fn tail(
        &mut self,
        info: &RunInfo,
        run: &RunSummary,
        errors: &[ProductError],
        w: &mut dyn Write,
    ) -> io::Result<()> {
        // The company's obligations, once for the run, at the company file.
        if let Some(c) = info.company {
            for (f, products) in &c.findings {
                let (command, tag) = if info.policy.fails_company(f) {
                    ("error", ERROR)
                } else {
                    match f.status {
                        Status::InTransition | Status::Upcoming | Status::Applies => {
                            ("warning", WARNING)
                        }
                        _ => continue,
                    }
                };
                let (file, line) = match &c.company {
                    Some(co) => (
                        co.origin.as_str(),
                        co.position(super::deciding_path(f))
                            .or_else(|| co.position("attributes"))
                            .map(|(l, _)| l),
                    ),
                    None => ("-", None),
                };
                let message = format!(
                    "company: {} — {}; to do: {} (for {} products; {})",
                    f.status,
                    crate::safe_text::shorten_words(&f.reason, super::MAX_REPEATED),
                    f.rule.obligation,
                    products.len(),
                    super::text::citation(f.rule)
                );
                let a = annotation(command, file, line, &f.rule.id, &message);
                self.show(tag, a.as_bytes(), w)?;
            }
        }
        for e in errors {
            let a = annotation(
                "error",
                &e.origin,
                e.line,
                "cncomply: profile not checked",
                &e.message,
            );
            self.show(ERROR, a.as_bytes(), w)?;
        }
        let n = |count: usize, word: &str| {
            format!("{count} {word}{}", if count == 1 { "" } else { "s" })
        };
        let left_out: usize = self.left_out.iter().sum();
        if left_out > 0 {
            let more = format!(
                "… and {left_out} more ({}, {}, {}): a step shows at most {SHOWN_PER_KIND} of each kind; the job summary and the SARIF report list every finding",
                n(self.left_out[0], "error"),
                n(self.left_out[1], "warning"),
                n(self.left_out[2], "notice"),
            );
            w.write_all(format!("::notice title=cncomply::{}\n", escape_data(&more)).as_bytes())?;
        }
        let applies = run.count(Status::Applies);
        let tally = format!(
            "{} checked as of {}: {} in force, {} failing (fail on: {}), {} with errors",
            n(run.products, "product"),
            info.as_of,
            n(applies, "unmet obligation"),
            n(run.failing, "finding"),
            info.policy.describe(),
            n(errors.len(), "profile"),
        );
        w.write_all(format!("::notice title=cncomply::{}\n", escape_data(&tally)).as_bytes())
    }
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

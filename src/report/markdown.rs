//! A Markdown report for a pull request or a client: a summary table of the
//! catalogue, then per product the open obligations with their citation and
//! why, then what is met or waived, then the profiles that could not be read.

use std::fmt::Write;
use std::io;

use crate::evaluate::{Finding, Status};

use super::stream::{self, Piece, ProductSummary, RunSummary, Spill};
use super::{ProductError, ProductReport, RunInfo};

/// A pull-request comment holds at most 65,536 characters; the summary
/// stays under it (bytes, so characters too).
pub const COMMENT_BUDGET: usize = 65_000;

/// GitHub's job summary takes at most 1 MiB a step.
pub const STEP_SUMMARY_BUDGET: usize = 1_000_000;

fn heading(out: &mut String, info: &RunInfo, run: &RunSummary, errors: &[ProductError]) {
    let applies = run.count(Status::Applies);
    let failing = run.failing;
    let _ = writeln!(out, "# China market-access check — as of {}\n", info.as_of);
    let _ = writeln!(
        out,
        "{} product{} checked against {} rules ({}): **{applies} unmet obligation{} in force**, {failing} failing (fail on: {}){}.\n",
        run.products,
        if run.products == 1 { "" } else { "s" },
        info.rules.rules.len(),
        cell(&info.rules_source),
        if applies == 1 { "" } else { "s" },
        info.policy.describe(),
        if errors.is_empty() {
            String::new()
        } else {
            format!(", {} profile{} with errors", errors.len(), if errors.len() == 1 { "" } else { "s" })
        }
    );
}

fn summary_row(p: &ProductSummary) -> String {
    let failing = p.failing;
    format!(
        "| {} (`{}`) | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        cell(&p.name),
        code(&p.origin),
        p.count(Status::Applies),
        p.count(Status::InTransition),
        p.count(Status::NeedsInfo),
        p.count(Status::Upcoming),
        p.count(Status::Waived),
        p.count(Status::Met),
        p.nearest_deadline
            .map(|d| d.to_string())
            .unwrap_or_else(|| "—".into()),
        if failing > 0 {
            format!("❌ fail ({failing})")
        } else {
            "✅ pass".into()
        }
    )
}

const TABLE_HEAD: &str = "| Product | applies | in-transition | needs-info | upcoming | waived | met | nearest deadline | result |\n|---|--:|--:|--:|--:|--:|--:|---|---|\n";

/// A product's section of the full report.
pub fn piece(info: &RunInfo, p: &ProductReport, piece: &mut Piece) {
    let mut out = String::new();
    section(&mut out, info, p);
    piece.bytes = out.into_bytes();
}

fn section(out: &mut String, info: &RunInfo, p: &ProductReport) {
    {
        let cat = &info.rules.vocabulary.categories[p.profile.category];
        let _ = writeln!(
            out,
            "\n## {}\n\n`{}` · {} ({})\n",
            cell(&p.profile.name),
            code(&p.profile.origin),
            cat.id,
            cell(&cat.name)
        );
        let open: Vec<&Finding> = p
            .findings
            .iter()
            .filter(|f| {
                matches!(
                    f.status,
                    Status::Applies | Status::InTransition | Status::NeedsInfo | Status::Upcoming
                )
            })
            .collect();
        if open.is_empty() {
            out.push_str("No open obligation.\n");
        } else {
            out.push_str("| Status | Obligation | Date | Why |\n|---|---|---|---|\n");
            for f in open {
                let r = f.rule;
                let status = if info.policy.fails(f) {
                    format!("**{}**", f.status)
                } else {
                    f.status.to_string()
                };
                let mut why = f.reason.clone();
                if f.status == Status::NeedsInfo {
                    why.push_str(&format!("; add {} to the profile", f.missing.join(", ")));
                } else {
                    why.push_str(&format!(". {}", f.explanation));
                }
                let _ = writeln!(
                    out,
                    "| {status} | `{}` {}<br>{}<br>*{}* · {} | {} | {} |",
                    r.id,
                    cell(&r.title),
                    cell(&format!("To do: {}", r.obligation)),
                    cell(&r.instrument),
                    cell(&crate::bundled::citation(&r.source)),
                    date(f),
                    cell(&why)
                );
            }
        }
        let closed: Vec<&Finding> = p
            .findings
            .iter()
            .filter(|f| matches!(f.status, Status::Met | Status::Waived))
            .collect();
        if !closed.is_empty() {
            out.push_str("\nMet or waived:\n\n");
            for f in closed {
                let _ = writeln!(
                    out,
                    "- {} `{}` {}: {}",
                    f.status,
                    f.rule.id,
                    inline(&f.rule.title),
                    inline(&f.reason)
                );
            }
        }
    }
}

fn errors_list(out: &mut String, errors: &[ProductError]) {
    if !errors.is_empty() {
        out.push_str("\n## Profiles not checked\n\n");
        for e in errors {
            out.push_str(&error_item(e));
        }
    }
}

fn error_item(e: &ProductError) -> String {
    let at = e.line.map(|l| format!(" line {l}")).unwrap_or_default();
    format!("- `{}`{at}: {}\n", code(&e.origin), inline(&e.message))
}

/// The full report opens with the tally and a row per product, so rows and
/// sections are kept until the end, in [`Spill`]s.
#[derive(Default)]
pub struct Writer {
    rows: Spill,
    sections: Spill,
}

impl stream::Writer for Writer {
    fn product(
        &mut self,
        _info: &RunInfo,
        summary: &ProductSummary,
        piece: Piece,
        _w: &mut dyn io::Write,
    ) -> io::Result<()> {
        self.rows.write(summary_row(summary).as_bytes())?;
        self.sections.write(&piece.bytes)
    }

    fn tail(
        &mut self,
        info: &RunInfo,
        run: &RunSummary,
        errors: &[ProductError],
        w: &mut dyn io::Write,
    ) -> io::Result<()> {
        let mut out = String::new();
        heading(&mut out, info, run, errors);
        out.push_str(TABLE_HEAD);
        w.write_all(out.as_bytes())?;
        self.rows.copy_to(w)?;
        self.sections.copy_to(w)?;
        let mut out = String::new();
        if let Some(c) = info.company {
            company(&mut out, info, c);
        }
        errors_list(&mut out, errors);
        w.write_all(out.as_bytes())
    }
}

/// The summary's fold for a product that fails: its failing findings.
pub fn summary_piece(info: &RunInfo, p: &ProductReport, piece: &mut Piece) {
    let failing: Vec<&Finding> = p.findings.iter().filter(|f| info.policy.fails(f)).collect();
    if failing.is_empty() {
        return;
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<details><summary>{} (<code>{}</code>) — {} failing</summary>\n",
        inline(&p.profile.name),
        inline(&p.profile.origin),
        failing.len()
    );
    for f in failing {
        let _ = writeln!(
            out,
            "- **{}** `{}` {} — {} ({})",
            f.status,
            f.rule.id,
            inline(&f.rule.title),
            inline(&f.reason),
            inline(&f.rule.instrument)
        );
    }
    out.push_str("\n</details>\n");
    piece.bytes = out.into_bytes();
}

/// The summary for a pull-request comment or a job summary: the tally, the
/// totals per status, then the failing products (a row each, their
/// findings folded in `<details>`) as far as the budget allows, and how
/// many were left out. What it keeps is bounded by the budget.
pub struct SummaryWriter {
    budget: usize,
    rows: String,
    folds: String,
    failing_products: usize,
    rows_left_out: usize,
    folds_left_out: usize,
}

impl SummaryWriter {
    pub fn new(budget: usize) -> SummaryWriter {
        SummaryWriter {
            budget,
            rows: String::new(),
            folds: String::new(),
            failing_products: 0,
            rows_left_out: 0,
            folds_left_out: 0,
        }
    }
}

/// Room kept for the heading, totals, notes and errors.
const SUMMARY_RESERVE: usize = 4_096;

impl stream::Writer for SummaryWriter {
    fn product(
        &mut self,
        _info: &RunInfo,
        summary: &ProductSummary,
        piece: Piece,
        _w: &mut dyn io::Write,
    ) -> io::Result<()> {
        if summary.failing == 0 {
            return Ok(());
        }
        self.failing_products += 1;
        let room = self.budget.saturating_sub(SUMMARY_RESERVE);
        let row = summary_row(summary);
        // Rows first: a third of the room, the folds the rest.
        if self.rows.len() + row.len() <= room / 3 {
            self.rows.push_str(&row);
        } else {
            self.rows_left_out += 1;
        }
        let fold = String::from_utf8(piece.bytes).expect("reports are UTF-8");
        if self.folds.len() + fold.len() <= room - room / 3 {
            self.folds.push_str(&fold);
        } else {
            self.folds_left_out += 1;
        }
        Ok(())
    }

    fn tail(
        &mut self,
        info: &RunInfo,
        run: &RunSummary,
        errors: &[ProductError],
        w: &mut dyn io::Write,
    ) -> io::Result<()> {
        let mut out = String::new();
        heading(&mut out, info, run, errors);
        out.push_str("| applies | in-transition | needs-info | upcoming | waived | met | informational |\n|--:|--:|--:|--:|--:|--:|--:|\n");
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            run.count(Status::Applies),
            run.count(Status::InTransition),
            run.count(Status::NeedsInfo),
            run.count(Status::Upcoming),
            run.count(Status::Waived),
            run.count(Status::Met),
            run.count(Status::Informational),
        );
        if self.failing_products == 0 {
            let _ = writeln!(out, "No product fails (of {}).", run.products);
        } else {
            let _ = writeln!(
                out,
                "## Failing products ({} of {})\n",
                self.failing_products, run.products
            );
            out.push_str(TABLE_HEAD);
            out.push_str(&self.rows);
            if self.rows_left_out > 0 {
                let _ = writeln!(
                    out,
                    "\n… and {} more failing products not listed here.",
                    self.rows_left_out
                );
            }
            out.push('\n');
            out.push_str(&self.folds);
            if self.folds_left_out > 0 {
                let _ = writeln!(
                    out,
                    "\n… and the findings of {} more failing products: see the full report (`--format markdown`, JSON or SARIF).",
                    self.folds_left_out
                );
            }
        }
        // The company's obligations that fail the run (`--fail-on company`):
        // one line, the full report lists them.
        if let Some(n) = info
            .company
            .map(|c| c.failing(info.policy))
            .filter(|n| *n > 0)
        {
            let _ = writeln!(
                out,
                "\n{n} unmet company obligation{} in force fail the run: see the full report (`--format markdown`).",
                if n == 1 { "" } else { "s" }
            );
        }
        if !errors.is_empty() {
            out.push_str("\n## Profiles not checked\n\n");
            let mut shown = 0;
            for e in errors {
                let item = error_item(e);
                if out.len() + item.len() + 200 > self.budget {
                    break;
                }
                out.push_str(&item);
                shown += 1;
            }
            if shown < errors.len() {
                let _ = writeln!(out, "- … and {} more", errors.len() - shown);
            }
        }
        w.write_all(out.as_bytes())
    }
}

/// The company's obligations, once for the run.
fn company(out: &mut String, info: &RunInfo, c: &super::CompanyReport) {
    let listed: Vec<_> = c.listed().collect();
    if listed.is_empty() && c.unanswered() == 0 {
        return;
    }
    let _ = match &c.company {
        Some(co) => writeln!(
            out,
            "\n## Company obligations — {} (`{}`)\n",
            cell(&co.name),
            code(&co.origin)
        ),
        None => writeln!(out, "\n## Company obligations\n"),
    };
    for (f, products) in listed {
        let status = if info.policy.fails_company(f) {
            format!("**{}**", f.status)
        } else {
            f.status.to_string()
        };
        let _ = writeln!(
            out,
            "- {status} `{}` {} ({}): {}; for {}",
            f.rule.id,
            inline(&f.rule.title),
            date(f),
            inline(&f.reason),
            inline(&products.join(", "))
        );
    }
    if let Some(line) = c.unanswered_line() {
        let _ = writeln!(out, "\n{}", inline(&line));
    }
}

fn date(f: &Finding) -> String {
    match (f.deadline, f.days_left, f.effective) {
        (Some(d), Some(days), _) => format!("{d} ({days} days)"),
        (_, _, Some(e)) => format!("since {e}"),
        _ => "—".into(),
    }
}

/// Text for a table cell: no line breaks, no column separators, no HTML.
fn cell(s: &str) -> String {
    inline(s).replace('|', "\\|")
}

/// Text for a list item or paragraph: one line, HTML and emphasis markers
/// escaped so a rule text cannot change the report's layout, and no `@`
/// that GitHub would read as a mention: the report is posted as a
/// pull-request comment, and a product named `@org/team` would notify that
/// team. A zero-width space after the `@` keeps it as written.
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '@' => out.push_str("@&#8203;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '*' | '_' | '`' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text inside a code span: backticks cannot be escaped there, so they are
/// replaced.
fn code(s: &str) -> String {
    s.replace('`', "'")
        .replace(['\n', '\r'], " ")
        .replace('|', "\\|")
}

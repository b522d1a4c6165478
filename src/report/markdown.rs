//! A Markdown report for a pull request or a client: a summary table of the
//! catalogue, then per product the open obligations with their citation and
//! why, then what is met or waived, then the profiles that could not be read.

use std::fmt::Write;

use crate::evaluate::{Finding, Status};

use super::{ProductError, ProductReport, RunInfo};

pub fn render(info: &RunInfo, products: &[ProductReport], errors: &[ProductError]) -> String {
    let mut out = String::new();
    let applies: usize = products.iter().map(|p| p.count(Status::Applies)).sum();
    let failing: usize = products.iter().map(|p| p.failing(info.policy)).sum();
    let _ = writeln!(out, "# China market-access check — as of {}\n", info.as_of);
    let _ = writeln!(
        out,
        "{} product{} checked against {} rules ({}): **{applies} unmet obligation{} in force**, {failing} failing (fail on: {}){}.\n",
        products.len(),
        if products.len() == 1 { "" } else { "s" },
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
    out.push_str("| Product | applies | in-transition | needs-info | upcoming | waived | met | nearest deadline | result |\n");
    out.push_str("|---|--:|--:|--:|--:|--:|--:|---|---|\n");
    for p in products {
        let failing = p.failing(info.policy);
        let _ = writeln!(
            out,
            "| {} (`{}`) | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&p.profile.name),
            code(&p.profile.origin),
            p.count(Status::Applies),
            p.count(Status::InTransition),
            p.count(Status::NeedsInfo),
            p.count(Status::Upcoming),
            p.count(Status::Waived),
            p.count(Status::Met),
            p.nearest_deadline()
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".into()),
            if failing > 0 {
                format!("❌ fail ({failing})")
            } else {
                "✅ pass".into()
            }
        );
    }
    for p in products {
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
                    "| {status} | `{}` {}<br>{}<br>*{}* · {} § \"{}\" | {} | {} |",
                    r.id,
                    cell(&r.title),
                    cell(&format!("To do: {}", r.obligation)),
                    cell(&r.instrument),
                    cell(&r.source.file),
                    cell(&r.source.section),
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
    if let Some(c) = info.company {
        company(&mut out, info, c);
    }
    if !errors.is_empty() {
        out.push_str("\n## Profiles not checked\n\n");
        for e in errors {
            let at = e.line.map(|l| format!(" line {l}")).unwrap_or_default();
            let _ = writeln!(out, "- `{}`{at}: {}", code(&e.origin), inline(&e.message));
        }
    }
    out
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
/// escaped so a rule text cannot change the report's layout.
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
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

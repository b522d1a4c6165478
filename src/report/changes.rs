//! `diff --from --to`: per product, what changes on which day, as a table
//! or a JSON document.

use chrono::NaiveDate;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

use crate::evaluate::{Finding, Status};
use crate::model::RuleSet;
use crate::profile::Profile;
use crate::timeline::{Change, ChangeKind, EventKind};

use super::json::{Category, ErrorEntry, RulesInfo, Tool};
use super::text::{self, RuleRef};
use super::ProductError;

/// One product's changes between the two days.
pub struct ProductChanges<'r> {
    pub profile: Profile,
    pub changes: Vec<Change<'r>>,
}

/// What the date diff covers.
pub struct Span<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rules: &'a RuleSet,
    pub rules_source: String,
}

pub fn render_table(
    span: &Span,
    products: &[ProductChanges],
    errors: &[ProductError],
    width: u16,
) -> String {
    let vocab = &span.rules.vocabulary;
    let mut out = String::new();
    for p in products {
        out.push_str(&text::product_heading(&p.profile, vocab));
        out.push('\n');
        if p.changes.is_empty() {
            out.push_str(&format!(
                "  No finding changes after {} up to {}.\n\n",
                span.from, span.to
            ));
            continue;
        }
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_header(vec!["Date", "Change", "Status", "Obligation and why"]);
        for c in &p.changes {
            let r = c.after.rule;
            table.add_row(vec![
                super::table::cell(c.date.to_string()),
                super::table::cell(format!("{}\n({})", c.kind.as_str(), c.cause.as_str())),
                super::table::cell(status_cell(c)),
                super::table::cell(format!(
                    "{}: {}\n{}\nNow: {}.",
                    r.id,
                    r.title,
                    text::citation(r),
                    c.after.reason
                )),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
        out.push_str(&format!(
            "  {} after {} up to {}\n\n",
            text::plural(p.changes.len(), "change"),
            span.from,
            span.to
        ));
    }
    out.push_str(&text::error_lines(errors));
    let total: usize = products.iter().map(|p| p.changes.len()).sum();
    out.push_str(&format!(
        "{} from {} to {} against {} rules: {}\n",
        text::plural(products.len(), "product"),
        span.from,
        span.to,
        span.rules.rules.len(),
        text::plural(total, "change")
    ));
    out
}

/// "upcoming → applies"; a status that stays the same says what changed.
fn status_cell(c: &Change) -> String {
    let mut s = format!("{} →\n{}", c.before.status, c.after.status);
    if c.before.status == c.after.status {
        s.push_str(match c.kind {
            ChangeKind::Starts => " (in effect)",
            _ => " (new dates)",
        });
    }
    s
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    from: String,
    to: String,
    rules: RulesInfo,
    products: Vec<ProductOut<'a>>,
    errors: Vec<ErrorEntry>,
}

#[derive(Serialize)]
struct ProductOut<'a> {
    profile: &'a str,
    name: &'a str,
    category: Category<'a>,
    changes: Vec<ChangeOut<'a>>,
}

#[derive(Serialize)]
struct ChangeOut<'a> {
    date: String,
    change: ChangeKind,
    cause: EventKind,
    #[serde(flatten)]
    rule: RuleRef<'a>,
    before: StateOut<'a>,
    after: StateOut<'a>,
}

/// A finding's status on one side of a change.
#[derive(Serialize)]
struct StateOut<'a> {
    status: Status,
    reason: &'a str,
    /// The rule's date for this product has come (a voluntary scheme can
    /// take effect without changing its status).
    in_effect: bool,
    effective: Option<String>,
    case: Option<&'a str>,
    transition_until: Option<String>,
}

fn state<'a>(f: &'a Finding, day: NaiveDate) -> StateOut<'a> {
    StateOut {
        status: f.status,
        reason: &f.reason,
        in_effect: f.effective.is_some_and(|d| d <= day),
        effective: f.effective.map(|d| d.to_string()),
        case: f.case.as_deref(),
        transition_until: f.transition_until.map(|d| d.to_string()),
    }
}

pub fn render_json(span: &Span, products: &[ProductChanges], errors: &[ProductError]) -> String {
    let vocab = &span.rules.vocabulary;
    let doc = Document {
        schema_version: super::json::SCHEMA_VERSION,
        tool: text::tool(),
        command: "diff",
        from: span.from.to_string(),
        to: span.to.to_string(),
        rules: RulesInfo {
            source: span.rules_source.clone(),
            count: span.rules.rules.len(),
        },
        products: products
            .iter()
            .map(|p| ProductOut {
                profile: &p.profile.origin,
                name: &p.profile.name,
                category: text::category(&p.profile, vocab),
                changes: p
                    .changes
                    .iter()
                    .map(|c| ChangeOut {
                        date: c.date.to_string(),
                        change: c.kind,
                        cause: c.cause,
                        rule: text::rule_ref(c.after.rule),
                        before: state(&c.before, c.date.pred_opt().unwrap_or(c.date)),
                        after: state(&c.after, c.date),
                    })
                    .collect(),
            })
            .collect(),
        errors: text::error_entries(errors),
    };
    text::to_json(&doc)
}

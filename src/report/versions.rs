//! `diff --rules OLD --against NEW`: per product, every finding that differs
//! between two versions of the rules, as a table or a JSON document.

use chrono::NaiveDate;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

use crate::compare::{Difference, DifferenceKind, FieldChange};
use crate::evaluate::{Finding, Status};
use crate::model::RuleSet;
use crate::profile::Profile;

use super::json::{Category, ErrorEntry, RulesInfo, Tool};
use super::text::{self, RuleRef};
use super::ProductError;

/// One product's differences. The profile is the one read under the new
/// rules (its category names come from the new vocabulary).
pub struct ProductDifferences<'o, 'n> {
    pub profile: Profile,
    pub differences: Vec<Difference<'o, 'n>>,
}

/// The two rule versions and the day both are evaluated on.
pub struct Versions<'a> {
    pub as_of: NaiveDate,
    pub old: &'a RuleSet,
    pub old_source: String,
    pub new: &'a RuleSet,
    pub new_source: String,
}

fn side(f: Option<&Finding>) -> String {
    match f {
        None => "—".into(),
        Some(f) => {
            let mut s = f.status.to_string();
            if let Some(d) = f.deadline.or(f.effective) {
                s.push_str(&format!("\n{d}"));
            }
            s
        }
    }
}

fn field_line(c: &FieldChange) -> String {
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
    format!("{}: {} → {}", c.field, show(&c.old), show(&c.new))
}

pub fn render_table(
    v: &Versions,
    products: &[ProductDifferences],
    errors: &[ProductError],
    width: u16,
) -> String {
    let mut out = String::new();
    for p in products {
        out.push_str(&text::product_heading(&p.profile, &v.new.vocabulary));
        out.push('\n');
        if p.differences.is_empty() {
            out.push_str("  The findings are the same under both versions.\n\n");
            continue;
        }
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_header(vec![
                "Difference",
                "Old",
                "New",
                "Obligation and what changed",
            ]);
        for d in &p.differences {
            let Some(rule) = d.new.as_ref().or(d.old.as_ref()).map(|f| f.rule) else {
                continue;
            };
            let mut what = format!("{}: {}\n{}", rule.id, rule.title, text::citation(rule));
            for c in &d.fields {
                what.push('\n');
                what.push_str(&field_line(c));
            }
            if let Some(f) = d.new.as_ref().or(d.old.as_ref()) {
                what.push_str(&format!("\nWhy: {}.", f.reason));
            }
            table.add_row(vec![
                super::table::cell(d.kind.as_str()),
                super::table::cell(side(d.old.as_ref())),
                super::table::cell(side(d.new.as_ref())),
                super::table::cell(what),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
        out.push_str(&format!(
            "  {}\n\n",
            text::plural(p.differences.len(), "difference")
        ));
    }
    out.push_str(&text::error_lines(errors));
    let total: usize = products.iter().map(|p| p.differences.len()).sum();
    out.push_str(&format!(
        "{} as of {}: {} ({} → {} rules)\n",
        text::plural(products.len(), "product"),
        v.as_of,
        text::plural(total, "difference"),
        v.old.rules.len(),
        v.new.rules.len()
    ));
    out
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    as_of: String,
    old_rules: RulesInfo,
    new_rules: RulesInfo,
    products: Vec<ProductOut<'a>>,
    errors: Vec<ErrorEntry>,
}

#[derive(Serialize)]
struct ProductOut<'a> {
    profile: &'a str,
    name: &'a str,
    category: Category<'a>,
    differences: Vec<DifferenceOut<'a>>,
}

#[derive(Serialize)]
struct DifferenceOut<'a> {
    difference: DifferenceKind,
    #[serde(flatten)]
    rule: RuleRef<'a>,
    old: Option<SideOut<'a>>,
    new: Option<SideOut<'a>>,
    fields: &'a [FieldChange],
}

#[derive(Serialize)]
struct SideOut<'a> {
    status: Status,
    reason: &'a str,
    effective: Option<String>,
    deadline: Option<String>,
}

fn side_out<'a>(f: &'a Finding) -> SideOut<'a> {
    SideOut {
        status: f.status,
        reason: &f.reason,
        effective: f
            .effective
            .or_else(|| f.rule.first_effective())
            .map(|d| d.to_string()),
        deadline: f.deadline.map(|d| d.to_string()),
    }
}

pub fn render_json(
    v: &Versions,
    products: &[ProductDifferences],
    errors: &[ProductError],
) -> String {
    let info = |rules: &RuleSet, source: &str| RulesInfo {
        source: source.to_string(),
        count: rules.rules.len(),
    };
    let doc = Document {
        schema_version: super::json::SCHEMA_VERSION,
        tool: text::tool(),
        command: "diff-rules",
        as_of: v.as_of.to_string(),
        old_rules: info(v.old, &v.old_source),
        new_rules: info(v.new, &v.new_source),
        products: products
            .iter()
            .map(|p| ProductOut {
                profile: &p.profile.origin,
                name: &p.profile.name,
                category: text::category(&p.profile, &v.new.vocabulary),
                differences: p
                    .differences
                    .iter()
                    .filter_map(|d| {
                        let rule = d.new.as_ref().or(d.old.as_ref())?.rule;
                        Some(DifferenceOut {
                            difference: d.kind,
                            rule: text::rule_ref(rule),
                            old: d.old.as_ref().map(side_out),
                            new: d.new.as_ref().map(side_out),
                            fields: &d.fields,
                        })
                    })
                    .collect(),
            })
            .collect(),
        errors: text::error_entries(errors),
    };
    text::to_json(&doc)
}

//! `calendar`: the dated events of the rules that concern a catalogue, as a
//! table or a JSON document (the iCalendar form is in `ics`).

use chrono::NaiveDate;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

use crate::evaluate::Status;
use crate::model::RuleSet;
use crate::profile::Profile;
use crate::timeline::{Event, EventKind};

use super::json::{ErrorEntry, RulesInfo, Tool};
use super::text::{self, RuleRef};
use super::ProductError;

/// What the calendar covers.
pub struct Window<'a> {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub rules: &'a RuleSet,
    pub rules_source: String,
}

impl Window<'_> {
    fn describe(&self) -> String {
        match (self.from, self.to) {
            (None, None) => "all dates".into(),
            (Some(f), None) => format!("from {f}"),
            (None, Some(t)) => format!("up to {t}"),
            (Some(f), Some(t)) => format!("from {f} to {t}"),
        }
    }
}

/// "M-230 motor: applies (new vehicle types)"
pub fn concerned_line(profiles: &[Profile], c: &crate::timeline::Concerned) -> String {
    concerned_line_within(profiles, c, usize::MAX)
}

/// [`concerned_line`] with the product's name cut to `max_name`
/// characters, for a report that repeats it at every event.
pub fn concerned_line_within(
    profiles: &[Profile],
    c: &crate::timeline::Concerned,
    max_name: usize,
) -> String {
    let name = profiles
        .get(c.product)
        .map_or(std::borrow::Cow::Borrowed("?"), |p| {
            crate::safe_text::shorten(&p.name, max_name)
        });
    match &c.note {
        Some(n) => format!("{name}: {} ({n})", c.status),
        None => format!("{name}: {}", c.status),
    }
}

/// "ccc.motor takes effect" with the cases the date is for.
pub fn event_title(e: &Event) -> String {
    let mut s = format!("{} {}", e.rule.id, e.kind.phrase());
    if !e.cases.is_empty() {
        s.push_str(&format!(" for {}", e.cases.join(", ")));
    }
    s
}

pub fn render_table(
    w: &Window,
    profiles: &[Profile],
    events: &[Event],
    errors: &[ProductError],
    width: u16,
) -> String {
    let mut out = String::new();
    if events.is_empty() {
        out.push_str(&format!(
            "No dated event concerns these products ({}).\n",
            w.describe()
        ));
    } else {
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_header(vec![
                "Date",
                "Event",
                "Obligation",
                "Products (status that day)",
            ]);
        for e in events {
            let r = e.rule;
            let mut event = e.kind.phrase().to_string();
            if !e.cases.is_empty() {
                event.push_str(&format!("\nfor {}", e.cases.join(", ")));
            }
            table.add_row(vec![
                super::table::cell(e.date.to_string()),
                super::table::cell(event),
                super::table::cell(format!("{}: {}\n{}", r.id, r.title, text::citation(r))),
                super::table::cell(
                    e.products
                        .iter()
                        .map(|c| concerned_line(profiles, c))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    out.push_str(&text::error_lines(errors));
    out.push_str(&format!(
        "{} for {} ({}) from {} rules\n",
        text::plural(events.len(), "dated event"),
        text::plural(profiles.len(), "product"),
        w.describe(),
        w.rules.rules.len()
    ));
    out
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    from: Option<String>,
    to: Option<String>,
    rules: RulesInfo,
    events: Vec<EventOut<'a>>,
    errors: Vec<ErrorEntry>,
}

#[derive(Serialize)]
struct EventOut<'a> {
    date: String,
    kind: EventKind,
    cases: &'a [String],
    #[serde(flatten)]
    rule: RuleRef<'a>,
    obligation: &'a str,
    products: Vec<ConcernedOut<'a>>,
}

#[derive(Serialize)]
struct ConcernedOut<'a> {
    profile: &'a str,
    name: &'a str,
    status: Status,
    note: Option<&'a str>,
}

pub fn render_json(
    w: &Window,
    profiles: &[Profile],
    events: &[Event],
    errors: &[ProductError],
) -> String {
    let doc = Document {
        schema_version: super::json::SCHEMA_VERSION,
        tool: text::tool(),
        command: "calendar",
        from: w.from.map(|d| d.to_string()),
        to: w.to.map(|d| d.to_string()),
        rules: RulesInfo {
            source: w.rules_source.clone(),
            count: w.rules.rules.len(),
        },
        events: events
            .iter()
            .map(|e| EventOut {
                date: e.date.to_string(),
                kind: e.kind,
                cases: &e.cases,
                rule: text::rule_ref(e.rule),
                obligation: &e.rule.obligation,
                products: e
                    .products
                    .iter()
                    .filter_map(|c| {
                        let p = profiles.get(c.product)?;
                        Some(ConcernedOut {
                            profile: &p.origin,
                            name: &p.name,
                            status: c.status,
                            note: c.note.as_deref(),
                        })
                    })
                    .collect(),
            })
            .collect(),
        errors: text::error_entries(errors),
    };
    text::to_json(&doc)
}

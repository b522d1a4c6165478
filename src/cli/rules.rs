use clap::{Args, Subcommand};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

use crate::library;
use crate::model::{binding_str, Rule};

use super::{Outcome, RulesOpt, TableOrJson};

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// List rules with topic, status, instrument, effective date and source.
    List(ListArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub rules: RulesOpt,
    /// Only rules of this topic (e.g. ccc, rohs, energy-label).
    #[arg(long)]
    pub topic: Option<String>,
    /// Only rules with this status (draft, adopted, in-force, repealed).
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableOrJson,
}

#[derive(Serialize)]
struct RuleRow<'a> {
    id: &'a str,
    title: &'a str,
    topic: &'a str,
    status: &'static str,
    binding: &'static str,
    instrument: &'a str,
    authority: &'a str,
    effective: Option<String>,
    source: Source<'a>,
    location: String,
}

#[derive(Serialize)]
struct Source<'a> {
    file: &'a str,
    section: &'a str,
}

fn row(r: &Rule) -> RuleRow<'_> {
    RuleRow {
        id: &r.id,
        title: &r.title,
        topic: &r.topic,
        status: r.status.as_str(),
        binding: binding_str(r.binding),
        instrument: &r.instrument,
        authority: &r.authority,
        effective: r.first_effective().map(|d| d.to_string()),
        source: Source {
            file: &r.source.file,
            section: &r.source.section,
        },
        location: format!("{}:{}", r.location.file, r.location.line),
    }
}

pub fn run(args: RulesArgs) -> miette::Result<Outcome> {
    let RulesCommand::List(args) = args.command;
    let (rules, _) = library::load(&args.rules.rules)?;
    if let Some(t) = &args.topic {
        if !rules.vocabulary.topics.contains_key(t.as_str()) {
            let help =
                crate::suggest::did_you_mean(t, rules.vocabulary.topics.keys().map(|k| k.as_str()))
                    .unwrap_or_default();
            crate::errln!("error: unknown topic `{t}` {help}");
            return Ok(Outcome::Error);
        }
    }
    let mut selected: Vec<&Rule> = rules
        .rules
        .iter()
        .filter(|r| args.topic.as_ref().is_none_or(|t| &r.topic == t))
        .filter(|r| args.status.as_ref().is_none_or(|s| r.status.as_str() == s))
        .collect();
    selected.sort_by(|a, b| (&a.topic, &a.id).cmp(&(&b.topic, &b.id)));
    match args.format {
        TableOrJson::Json => {
            let rows: Vec<RuleRow> = selected.iter().map(|r| row(r)).collect();
            crate::outln!(
                "{}",
                serde_json::to_string_pretty(&rows).expect("rows serialise")
            )?;
        }
        TableOrJson::Table => {
            let mut table = Table::new();
            table
                .load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(super::table_width())
                .set_header(vec![
                    "Rule",
                    "Topic",
                    "Status",
                    "Instrument",
                    "Effective",
                    "Source",
                ]);
            for r in &selected {
                table.add_row(vec![
                    r.id.to_string(),
                    r.topic.to_string(),
                    format!("{}\n{}", r.status.as_str(), binding_str(r.binding)),
                    r.instrument.to_string(),
                    r.first_effective()
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "—".into()),
                    crate::bundled::citation(&r.source),
                ]);
            }
            crate::outln!("{table}")?;
            crate::outln!("{} rules", selected.len())?;
        }
    }
    Ok(Outcome::Clean)
}

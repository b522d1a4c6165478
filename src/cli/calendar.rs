//! `cncomply calendar`: every dated event of the rules that concerns a
//! catalogue, as a table, JSON or an iCalendar file.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use crate::library;
use crate::report::calendar::{self, Window};
use crate::report::ics;
use crate::timeline;

use super::catalogue;
use super::dates::{ensure_ordered, today};
use super::output;
use super::{parse_date, Outcome, RulesOpt};

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarFormat {
    Table,
    Json,
    /// RFC 5545 iCalendar, to import into a calendar application
    Ics,
}

#[derive(Args, Debug)]
pub struct CalendarArgs {
    /// Product profile(s) in YAML; `-` reads one from standard input.
    #[arg(value_name = "PROFILE", required = true)]
    pub profiles: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RulesOpt,
    /// Only events on or after this day.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// Only events on or before this day.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CalendarFormat,
}

pub fn run(args: CalendarArgs) -> miette::Result<Outcome> {
    ensure_ordered(args.from, args.to)?;
    let (rules, rules_source) = library::load(&args.rules.rules)?;
    let texts = catalogue::read(&args.profiles)?;
    let (profiles, errors) = catalogue::parse(&texts, &rules.vocabulary, None);
    if profiles.is_empty() {
        return Ok(Outcome::Error);
    }
    let events = timeline::events(&rules, &profiles, args.from, args.to);
    let window = Window {
        from: args.from,
        to: args.to,
        rules: &rules,
        rules_source,
    };
    let out = match args.format {
        CalendarFormat::Table => {
            calendar::render_table(&window, &profiles, &events, &errors, super::table_width())
        }
        CalendarFormat::Json => calendar::render_json(&window, &profiles, &events, &errors),
        CalendarFormat::Ics => ics::render(&events, &profiles, today()),
    };
    match args.format {
        // iCalendar lines end in CRLF; its text values are escaped already.
        CalendarFormat::Ics => output::emit_exact(&out)?,
        _ => output::emit(&out)?,
    }
    Ok(if errors.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Error
    })
}

//! `cncomply diff`: what changes for a catalogue between two days
//! (`--from/--to`), or between two versions of the rules (`--against`).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{ArgGroup, Args};

use crate::compare::compare;
use crate::evaluate::evaluate;
use crate::library;
use crate::report::changes::{self, ProductChanges, Span};
use crate::report::versions::{self, ProductDifferences, Versions};
use crate::report::ProductError;
use crate::timeline;

use super::catalogue;
use super::dates::{ensure_ordered, today};
use super::output;
use super::{parse_date, Outcome, RulesOpt, TableOrJson};

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("mode").required(true).args(["to", "against"])))]
pub struct DiffArgs {
    /// Product profile(s) in YAML; `-` reads one from standard input.
    #[arg(value_name = "PROFILE", required = true)]
    pub profiles: Vec<PathBuf>,
    /// The rules (with --against: the old version).
    #[command(flatten)]
    pub rules: RulesOpt,
    /// Compare with the rules in this directory (or .rules file): the new version. Repeat to
    /// combine several.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["from", "to"])]
    pub against: Vec<PathBuf>,
    /// The baseline day (default: today). Changes are listed from the day after.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// The last day to list changes for (inclusive).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// With --against: evaluate both versions as on this day (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date, conflicts_with_all = ["from", "to"])]
    pub as_of: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableOrJson,
}

pub fn run(args: DiffArgs) -> miette::Result<Outcome> {
    match args.to {
        Some(to) => between_days(&args, to),
        None => between_versions(&args),
    }
}

fn outcome(reported: usize, errors: &[ProductError]) -> Outcome {
    if reported == 0 || !errors.is_empty() {
        Outcome::Error
    } else {
        Outcome::Clean
    }
}

fn between_days(args: &DiffArgs, to: NaiveDate) -> miette::Result<Outcome> {
    let from = args.from.unwrap_or_else(today);
    ensure_ordered(Some(from), Some(to))?;
    let (rules, rules_source) = library::load(&args.rules.rules)?;
    let texts = catalogue::read(&args.profiles)?;
    let (profiles, errors) = catalogue::parse(&texts, &rules.vocabulary, None);
    // With no valid profile there is nothing to report: print nothing that
    // could be mistaken for "no changes".
    if profiles.is_empty() {
        return Ok(Outcome::Error);
    }
    let products: Vec<ProductChanges> = profiles
        .into_iter()
        .map(|p| ProductChanges {
            changes: timeline::changes(&rules, &p, from, to),
            profile: p,
        })
        .collect();
    let span = Span {
        from,
        to,
        rules: &rules,
        rules_source,
    };
    let out = match args.format {
        TableOrJson::Table => {
            changes::render_table(&span, &products, &errors, super::table_width())
        }
        TableOrJson::Json => changes::render_json(&span, &products, &errors),
    };
    output::emit(&out)?;
    Ok(outcome(products.len(), &errors))
}

fn between_versions(args: &DiffArgs) -> miette::Result<Outcome> {
    let as_of = args.as_of.unwrap_or_else(today);
    let (old, old_source) = library::load(&args.rules.rules)?;
    let (new, new_source) = library::load(&args.against)?;
    let texts = catalogue::read(&args.profiles)?;
    let (old_profiles, old_errors) =
        catalogue::parse(&texts, &old.vocabulary, Some("the old rules"));
    let (new_profiles, new_errors) =
        catalogue::parse(&texts, &new.vocabulary, Some("the new rules"));
    let mut errors = old_errors;
    errors.extend(new_errors);
    // A product is compared only when both versions can read its profile.
    let mut products = Vec::new();
    for new_p in new_profiles {
        let Some(old_p) = old_profiles.iter().find(|p| p.origin == new_p.origin) else {
            continue;
        };
        let differences = compare(
            &evaluate(&old, old_p, as_of),
            &evaluate(&new, &new_p, as_of),
        );
        products.push(ProductDifferences {
            profile: new_p,
            differences,
        });
    }
    if products.is_empty() {
        return Ok(Outcome::Error);
    }
    let v = Versions {
        as_of,
        old: &old,
        old_source,
        new: &new,
        new_source,
    };
    let out = match args.format {
        TableOrJson::Table => versions::render_table(&v, &products, &errors, super::table_width()),
        TableOrJson::Json => versions::render_json(&v, &products, &errors),
    };
    output::emit(&out)?;
    Ok(outcome(products.len(), &errors))
}

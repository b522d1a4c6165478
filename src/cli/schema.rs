use clap::Args;

use crate::library;
use crate::schema::profile_schema_for;

use super::{Outcome, RulesOpt};

#[derive(Args, Debug)]
pub struct SchemaArgs {
    #[command(flatten)]
    pub rules: RulesOpt,
    /// Only the attributes that the rules which can apply to this category read (an id,
    /// alias or display name).
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
}

pub fn run(args: SchemaArgs) -> miette::Result<Outcome> {
    let (rules, _) = library::load(&args.rules.rules)?;
    let category = match &args.category {
        None => None,
        Some(name) => Some(rules.vocabulary.resolve_category(name).ok_or_else(|| {
            miette::miette!(
                help =
                    crate::profile::category_hint::unknown_category_help(&rules.vocabulary, name),
                "unknown category \"{name}\""
            )
        })?),
    };
    let schema = profile_schema_for(&rules, category);
    // serde_json's maps are ordered by key, so the output is stable.
    let text = serde_json::to_string_pretty(&schema)
        .map_err(|e| miette::miette!("cannot write the schema: {e}"))?;
    super::output::print(&format!("{text}\n"))?;
    Ok(Outcome::Clean)
}

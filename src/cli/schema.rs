use clap::Args;

use crate::library;
use crate::schema::profile_schema;

use super::{Outcome, RulesOpt};

#[derive(Args, Debug)]
pub struct SchemaArgs {
    #[command(flatten)]
    pub rules: RulesOpt,
}

pub fn run(args: SchemaArgs) -> miette::Result<Outcome> {
    let (rules, _) = library::load(&args.rules.rules)?;
    let schema = profile_schema(&rules);
    // serde_json's maps are ordered by key, so the output is stable.
    let text = serde_json::to_string_pretty(&schema)
        .map_err(|e| miette::miette!("cannot write the schema: {e}"))?;
    super::output::print(&format!("{text}\n"))?;
    Ok(Outcome::Clean)
}

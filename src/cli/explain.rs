use std::path::PathBuf;

use clap::Args;
use miette::Diagnostic;

use crate::evaluate::Context;
use crate::{describe, library};

use super::{profile_file, AsOfOpt, Outcome, RulesOpt};

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The rule to explain, e.g. ccc.small-power-motor (see `cncomply rules list`).
    #[arg(value_name = "RULE_ID")]
    pub rule: String,
    /// Also show why the rule does or does not apply to this product profile,
    /// condition by condition, with the values read (`-` reads standard input).
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<PathBuf>,
    #[command(flatten)]
    pub as_of: AsOfOpt,
    #[command(flatten)]
    pub rules: RulesOpt,
}

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("no rule `{id}`")]
#[diagnostic(code(cncomply::explain::unknown_rule))]
struct UnknownRule {
    id: String,
    #[help]
    help: String,
}

pub fn run(args: ExplainArgs) -> miette::Result<Outcome> {
    let (rules, _) = library::load(&args.rules.rules)?;
    let Some(rule) = rules.rule(&args.rule) else {
        let help = crate::suggest::did_you_mean(
            &args.rule,
            rules.similar_rule_ids(&args.rule).into_iter(),
        )
        .unwrap_or_else(|| "`cncomply rules list` lists the rule ids".into());
        return Err(UnknownRule {
            id: args.rule,
            help,
        }
        .into());
    };
    let mut out = describe::rule(rule, &rules.vocabulary);
    if let Some(path) = &args.profile {
        let profile = profile_file::load(path, &rules.vocabulary)?;
        let as_of = args.as_of.date();
        let ctx = Context {
            vocab: &rules.vocabulary,
            profile: &profile,
            as_of,
        };
        let finding = crate::evaluate::evaluate_known(rule, &ctx);
        out.push('\n');
        out.push_str(&describe::finding(&finding, &profile, as_of));
    }
    super::output::print(&out)?;
    Ok(Outcome::Clean)
}

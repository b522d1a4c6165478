use clap::Args;

use crate::bundled;
use crate::library;
use crate::seeds;

use super::{Outcome, RulesOpt};

#[derive(Args, Debug)]
pub struct SourceArgs {
    /// The rule whose cited newsletter section to print.
    #[arg(value_name = "RULE_ID")]
    pub rule: String,
    #[command(flatten)]
    pub rules: RulesOpt,
}

pub fn run(args: SourceArgs) -> miette::Result<Outcome> {
    let (rules, _) = library::load(&args.rules.rules)?;
    let Some(rule) = rules.rule(&args.rule) else {
        let hint =
            crate::suggest::did_you_mean(&args.rule, rules.rules.iter().map(|r| r.id.as_str()))
                .unwrap_or_default();
        crate::errln!("error: no rule `{}` {hint}", args.rule);
        return Ok(Outcome::Error);
    };
    let Some(text) = bundled::seed(&rule.source.file) else {
        crate::errln!(
            "error: rule `{}` cites {}, which is not among the bundled newsletters ({})",
            rule.id,
            rule.source.file,
            bundled::seed_names().collect::<Vec<_>>().join(", ")
        );
        return Ok(Outcome::Error);
    };
    match seeds::section(text, &rule.source.section) {
        Some(s) => {
            crate::outln!(
                "{}\n{} § \"{}\" (lines {}–{})\n",
                bundled::citation(&rule.source),
                rule.source.file,
                seeds::plain(&rule.source.section),
                s.first_line,
                s.last_line
            )?;
            crate::outln!("{}", s.text.trim_end())?;
            Ok(Outcome::Clean)
        }
        None => {
            crate::errln!(
                "error: the heading \"{}\" does not occur in {}",
                seeds::plain(&rule.source.section),
                rule.source.file
            );
            Ok(Outcome::Error)
        }
    }
}

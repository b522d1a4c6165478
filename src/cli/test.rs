use std::path::PathBuf;

use clap::Args;

use crate::library;
use crate::ruletest::{run_file, Outcome as TestOutcome};

use super::{Outcome, RulesOpt};

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Test files or directories of them (*.yaml, *.yml). Default: rules/tests
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RulesOpt,
    /// Also list rules no case expects, and conditions never seen both true and false.
    #[arg(long)]
    pub coverage: bool,
    /// Fail (exit 1) if fewer than this percentage of conditions are seen both true and false. Implies --coverage.
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min_coverage: Option<u8>,
}

pub fn run(args: TestArgs) -> miette::Result<Outcome> {
    let (rules, _) = library::load(&args.rules.rules)?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("rules/tests")]
    } else {
        args.paths
    };
    // Test files are found by the catalogue's walker: the same loops,
    // depth limit, links and file types are refused, each by name.
    let (inputs, walk_errors) = crate::catalogue::expand(&paths)?;
    for e in &walk_errors {
        crate::errln!("error: {}: {}", e.origin, e.message);
    }
    let files: Vec<PathBuf> = inputs.iter().map(|i| i.path()).collect();
    if !walk_errors.is_empty() && !files.is_empty() {
        return Ok(Outcome::Error);
    }
    if files.is_empty() {
        crate::errln!(
            "error: no test files (*.yaml) found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Ok(Outcome::Error);
    }
    let mut outcome = TestOutcome::default();
    for f in &files {
        let name = f.display().to_string();
        match crate::profile::read_text_of(f, "rule test").map_err(|e| e.message) {
            Ok(text) => run_file(&name, &text, &rules, &mut outcome),
            Err(e) => {
                crate::errln!("error: {name}: {e}");
                return Ok(Outcome::Error);
            }
        }
    }
    let mut failed_cases: Vec<(&str, &str)> = outcome
        .failures
        .iter()
        .map(|f| (f.file.as_str(), f.case.as_str()))
        .collect();
    failed_cases.dedup();
    for f in &outcome.failures {
        let rule = f
            .rule
            .as_deref()
            .map(|r| format!(" [{r}]"))
            .unwrap_or_default();
        crate::outln!("FAIL {} › {}{rule}\n      {}", f.file, f.case, f.message)?;
    }
    let cov = crate::ruletest::coverage(&rules, &outcome);
    if !cov.rules_untested.is_empty() {
        crate::outln!(
            "{} of {} rules have no test case: {}",
            cov.rules_untested.len(),
            cov.rules_total,
            cov.rules_untested.join(", ")
        )?;
    }
    let mut below = false;
    if args.coverage || args.min_coverage.is_some() {
        for (rule, cond, what) in &cov.gaps {
            crate::outln!("  {rule}: `{cond}` {what}")?;
        }
        crate::outln!(
            "coverage: {} of {} rules tested; {} of {} conditions seen both true and false ({:.1}%)",
            cov.rules_total - cov.rules_untested.len(),
            cov.rules_total,
            cov.conditions_covered,
            cov.conditions_total,
            cov.percent()
        )?;
        if let Some(min) = args.min_coverage {
            if cov.percent() < f64::from(min) {
                crate::outln!(
                    "coverage {:.1}% is below the minimum of {min}%",
                    cov.percent()
                )?;
                below = true;
            }
        }
    }
    crate::outln!("{} passed, {} failed", outcome.passed, failed_cases.len())?;
    Ok(if failed_cases.is_empty() && !below {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

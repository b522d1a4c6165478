use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::library;
use crate::lint::{lint, Level, Tested};

use super::Outcome;

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormat {
    Human,
    Json,
}

#[derive(Args, Debug)]
pub struct LintArgs {
    /// Rule files or directories of them. Default: rules/
    #[arg(value_name = "RULES")]
    pub paths: Vec<PathBuf>,
    /// Rule tests to check coverage against (warn about rules without a case). Default: rules/tests when it exists.
    #[arg(long, value_name = "DIR")]
    pub tests: Option<PathBuf>,
    /// How to print problems.
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
    /// Exit 1 when there are warnings (errors always exit 2).
    #[arg(long)]
    pub deny_warnings: bool,
}

pub fn run(args: LintArgs) -> miette::Result<Outcome> {
    let files = library::read_rule_paths(&args.paths)?;
    let tests_dir = args.tests.or_else(|| {
        let d = PathBuf::from("rules/tests");
        d.is_dir().then_some(d)
    });
    let tested = match &tests_dir {
        Some(d) => Some(tested_rules(d)?),
        None => None,
    };
    let lints = lint(&files, tested.as_ref());
    let errors = lints.iter().filter(|l| l.level == Level::Error).count();
    let warnings = lints.len() - errors;
    match args.error_format {
        ErrorFormat::Json => {
            crate::outln!(
                "{}",
                serde_json::to_string_pretty(&lints).expect("lints serialise")
            )?;
        }
        ErrorFormat::Human => {
            for l in &lints {
                super::output::eprint_report(&miette::Report::new(l.clone()));
            }
            crate::errln!(
                "{} file{} checked: {errors} error{}, {warnings} warning{}",
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            );
        }
    }
    Ok(if errors > 0 {
        Outcome::Error
    } else if warnings > 0 && args.deny_warnings {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// The rule ids the test files under `dir` expect. Only real directories
/// are entered (a link to one is not followed, so no loop), and each file is
/// read as a profile is, a regular file through the capped reader: a FIFO
/// named `*.yaml` under the tests hung `lint`, and one linked to
/// `/dev/zero` grew it to 6 GiB in ten seconds.
fn tested_rules(dir: &Path) -> miette::Result<Tested> {
    let mut out = Tested::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d)
            .map_err(|e| miette::miette!("cannot read rule tests in {}: {e}", d.display()))?;
        for entry in entries.flatten() {
            let p = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let text = crate::profile::read_text_of(&p, "rule test").map_err(|e| {
                    miette::miette!(
                        "cannot read {}: {}",
                        crate::input::display_path(&p),
                        e.message
                    )
                })?;
                out.extend(crate::ruletest::expected_rule_ids(&text));
            }
        }
    }
    Ok(out)
}

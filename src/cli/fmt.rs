use std::path::PathBuf;

use clap::Args;

use crate::library;
use crate::syntax::format::format_source;

use super::Outcome;

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Rule files or directories of them. Default: rules/
    #[arg(value_name = "FILES")]
    pub paths: Vec<PathBuf>,
    /// Do not write; list the files that are not formatted and exit 1 if any.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: FmtArgs) -> miette::Result<Outcome> {
    let files = library::read_rule_paths(&args.paths)?;
    let mut unformatted = 0;
    let mut failed = false;
    for f in &files {
        let formatted = match format_source(&f.name, &f.text) {
            Ok(t) => t,
            Err(e) => {
                super::output::eprint_report(&miette::Report::new(*e));
                failed = true;
                continue;
            }
        };
        if formatted == f.text {
            continue;
        }
        unformatted += 1;
        if args.check {
            crate::outln!("{} is not formatted", f.name)?;
        } else {
            std::fs::write(&f.name, &formatted)
                .map_err(|e| miette::miette!("cannot write {}: {e}", f.name))?;
            crate::outln!("formatted {}", f.name)?;
        }
    }
    if failed {
        return Ok(Outcome::Error);
    }
    Ok(if args.check && unformatted > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

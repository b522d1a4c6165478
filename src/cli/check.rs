use std::io::Read;
use std::path::PathBuf;

use clap::Args;

use crate::evaluate::{evaluate, Status};
use crate::library;
use crate::profile::Profile;
use crate::report::{json, table, ProductError, ProductReport, RunInfo};

use super::{AsOfOpt, Outcome, RulesOpt, TableOrJson};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Product profile(s) in YAML; `-` reads one from standard input.
    #[arg(value_name = "PROFILE", required = true)]
    pub profiles: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RulesOpt,
    #[command(flatten)]
    pub as_of: AsOfOpt,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableOrJson,
    /// Also show rules that do not apply, with the reason.
    #[arg(long)]
    pub all: bool,
}

pub fn run(args: CheckArgs) -> miette::Result<Outcome> {
    let (rules, rules_source) = library::load(&args.rules.rules)?;
    let as_of = args.as_of.date();
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for path in &args.profiles {
        let origin = path.display().to_string();
        let text = match read_profile(path) {
            Ok(t) => t,
            Err(message) => {
                eprintln!("error: {origin}: {message}");
                errors.push(ProductError {
                    origin,
                    message,
                    line: None,
                    column: None,
                });
                continue;
            }
        };
        match Profile::from_yaml(&origin, &text, &rules.vocabulary) {
            Ok(profile) => {
                let findings = evaluate(&rules, &profile, as_of);
                reports.push(ProductReport::new(profile, findings));
            }
            Err(e) => {
                let entry = ProductError {
                    origin: origin.clone(),
                    message: e.message.clone(),
                    line: e.line,
                    column: e.column,
                };
                eprintln!("{:?}", miette::Report::new(e));
                errors.push(entry);
            }
        }
    }
    // With a single profile that was rejected there is nothing to report:
    // print no findings that could be mistaken for a pass.
    if reports.is_empty() {
        return Ok(Outcome::Error);
    }
    let info = RunInfo {
        as_of,
        rules: &rules,
        rules_source,
        show_all: args.all,
    };
    let out = match args.format {
        TableOrJson::Table => table::render(&info, &reports, &errors, super::table_width()),
        TableOrJson::Json => json::render(&info, &reports, &errors),
    };
    print!("{out}");
    Ok(if !errors.is_empty() {
        Outcome::Error
    } else if reports.iter().any(|r| r.count(Status::Applies) > 0) {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn read_profile(path: &PathBuf) -> Result<String, String> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(crate::profile::MAX_PROFILE_BYTES as u64 + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        buf
    } else {
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the profile: {e}"))?;
        if meta.is_dir() {
            return Err("is a directory; give profile files".into());
        }
        if meta.len() > crate::profile::MAX_PROFILE_BYTES as u64 {
            return Err(format!(
                "the profile is {} bytes; profiles may be at most {} bytes",
                meta.len(),
                crate::profile::MAX_PROFILE_BYTES
            ));
        }
        std::fs::read(path).map_err(|e| format!("cannot read the profile: {e}"))?
    };
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the profile is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

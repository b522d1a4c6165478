use std::path::{Path, PathBuf};

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
}

pub fn run(args: TestArgs) -> miette::Result<Outcome> {
    let (rules, _) = library::load(&args.rules.rules)?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("rules/tests")]
    } else {
        args.paths
    };
    let mut files = Vec::new();
    for p in &paths {
        if let Err(e) = collect(p, &mut files, 0) {
            eprintln!("error: {}: {e}", p.display());
            return Ok(Outcome::Error);
        }
    }
    files.sort();
    files.dedup();
    if files.is_empty() {
        eprintln!(
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
        match std::fs::read_to_string(f) {
            Ok(text) => run_file(&name, &text, &rules, &mut outcome),
            Err(e) => {
                eprintln!("error: {name}: {e}");
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
        println!("FAIL {} › {}{rule}\n      {}", f.file, f.case, f.message);
    }
    let untested: Vec<&str> = rules
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !outcome.exercised.contains(*id))
        .collect();
    if !untested.is_empty() {
        println!(
            "{} of {} rules have no test case: {}",
            untested.len(),
            rules.rules.len(),
            untested.join(", ")
        );
    }
    println!("{} passed, {} failed", outcome.passed, failed_cases.len());
    Ok(if failed_cases.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn collect(p: &Path, out: &mut Vec<PathBuf>, depth: usize) -> std::io::Result<()> {
    if depth > 32 {
        return Ok(());
    }
    let meta = std::fs::metadata(p)?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(p)? {
            let path = entry?.path();
            if path.is_dir() {
                collect(&path, out, depth + 1)?;
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
    } else {
        out.push(p.to_path_buf());
    }
    Ok(())
}

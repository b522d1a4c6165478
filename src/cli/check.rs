use std::path::{Path, PathBuf};

use clap::Args;
use rayon::prelude::*;

use crate::catalogue::{self, Input};
use crate::evaluate::{evaluate_with, Detail, Evaluation};
use crate::library;
use crate::policy::{parse_horizon, ExitPolicy, FailOn};
use crate::profile::company::{self, Company};
use crate::profile::Profile;
use crate::report::{self, CompanyReport, Format, ProductError, ProductReport, RunInfo};
use crate::waiver::Waivers;

use super::{AsOfOpt, Outcome, RulesOpt};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Product profiles: YAML files, directories (searched recursively for *.yaml and
    /// *.yml), glob patterns (quote them: 'catalogue/**/*.yaml'), or `-` for standard input.
    #[arg(value_name = "PROFILE", required = true)]
    pub profiles: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RulesOpt,
    #[command(flatten)]
    pub as_of: AsOfOpt,
    /// Format of the report on standard output.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Also write a report to a file, e.g. `-o sarif:cncomply.sarif`. Repeat for several.
    #[arg(short = 'o', long = "output", value_name = "FORMAT:PATH", value_parser = parse_output)]
    pub outputs: Vec<OutputSpec>,
    /// Also show rules that do not apply, with the reason.
    #[arg(long)]
    pub all: bool,
    /// With several profiles, show each product's findings after the summary table.
    #[arg(long)]
    pub details: bool,
    /// YAML file of waivers (rule, product or category, justification, approver, expires).
    /// A waived finding is shown and counted as `waived` and does not fail the run.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Also fail on these statuses (besides `applies`, which always fails). Repeat or
    /// separate with commas.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STATUS")]
    pub fail_on: Vec<FailOn>,
    /// With --fail-on upcoming / in-transition: fail only when the date is at most this far
    /// away, e.g. 90d or 12w.
    #[arg(long, value_name = "DAYS", value_parser = parse_horizon, requires = "fail_on")]
    pub horizon: Option<i64>,
    /// Report without failing: exit 0 even when findings fail (2 still means an input
    /// could not be read).
    #[arg(long)]
    pub exit_zero: bool,
    /// How to print problems with the profiles on standard error: `human` (with the
    /// line and a caret) or `json` (one array of {file, line, column, path, message, help}).
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: super::lint::ErrorFormat,
    /// Company file (name, attributes): the facts company rules read, stated once. Default:
    /// company.yaml in the directory named first, or in the directory of the first profile.
    #[arg(long, value_name = "FILE")]
    pub company: Option<PathBuf>,
    /// Also list drafts and plans that only may concern a product, with the facts that tell.
    #[arg(long)]
    pub watch: bool,
    /// Show only the product obligations of these topics (repeat or separate with commas).
    #[arg(long, value_delimiter = ',', value_name = "TOPIC")]
    pub topic: Vec<String>,
    /// Show only mandatory or only voluntary product obligations.
    #[arg(long, value_enum, value_name = "BINDING")]
    pub binding: Option<BindingFilter>,
    /// Show only product obligations with these statuses (repeat or separate with commas).
    #[arg(long, value_delimiter = ',', value_name = "STATUS", value_parser = parse_status)]
    pub status: Vec<crate::evaluate::Status>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BindingFilter {
    Mandatory,
    Voluntary,
}

fn parse_status(s: &str) -> Result<crate::evaluate::Status, String> {
    crate::evaluate::Status::parse(s).ok_or_else(|| {
        let all: Vec<&str> = crate::evaluate::Status::ALL
            .iter()
            .map(|s| s.as_str())
            .collect();
        format!("`{s}` is not a status; use one of: {}", all.join(", "))
    })
}

/// True when a product finding passes the `--topic`, `--binding` and
/// `--status` filters.
fn shown(args: &CheckArgs, f: &crate::evaluate::Finding) -> bool {
    use crate::syntax::ast::Binding;
    (args.topic.is_empty() || args.topic.contains(&f.rule.topic))
        && match args.binding {
            None => true,
            Some(BindingFilter::Mandatory) => f.rule.binding == Binding::Mandatory,
            Some(BindingFilter::Voluntary) => f.rule.binding == Binding::Voluntary,
        }
        && (args.status.is_empty() || args.status.contains(&f.status))
}

/// Reads the company file for a run: the one given with `--company` (an
/// error if it cannot be read), else a `company.yaml` named among the inputs
/// or found next to the catalogue. `Err` has been reported on stderr.
pub(crate) fn load_company(
    explicit: Option<&Path>,
    named: Option<PathBuf>,
    args: &[PathBuf],
    first_file: Option<&Path>,
    rules: &crate::model::RuleSet,
) -> Result<Option<Company>, ()> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match named.or_else(|| company::default_path(args, first_file)) {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let origin = path.display().to_string();
    let text = crate::profile::read_text(&path).map_err(|e| {
        let at = e.line.map(|l| format!(":{l}")).unwrap_or_default();
        crate::errln!("error: {origin}{at}: {} (the company file)", e.message);
    })?;
    Company::from_yaml(
        &origin,
        &text,
        &rules.vocabulary,
        &rules.company_attributes(),
    )
    .map(Some)
    .map_err(|e| super::output::eprint_report(&miette::Report::new(e)))
}

/// Warns about company facts still stated in a product profile (they keep
/// working), and adds the company file's facts the profile does not state.
pub(crate) fn merge_company(
    profile: &mut Profile,
    company: Option<&Company>,
    company_attributes: &std::collections::BTreeSet<String>,
) {
    for key in profile.attributes.keys() {
        if company_attributes.contains(key) {
            let at = profile
                .position(&format!("attributes.{key}"))
                .map(|(l, c)| format!(":{l}:{c}"))
                .unwrap_or_default();
            crate::errln!(
                "warning: {}{at}: `{key}` is a company fact; move it to the company file ({}, see README)",
                profile.origin,
                company.map_or(company::DEFAULT_FILE, |c| c.origin.as_str())
            );
        }
    }
    if let Some(c) = company {
        for (k, v) in &c.attributes {
            profile
                .attributes
                .entry(k.clone())
                .or_insert_with(|| v.clone());
        }
    }
}

/// `-o FORMAT:PATH`.
#[derive(Debug, Clone)]
pub struct OutputSpec {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_output(s: &str) -> Result<OutputSpec, String> {
    use clap::ValueEnum;
    let (format, path) = s
        .split_once(':')
        .ok_or_else(|| format!("`{s}`: write FORMAT:PATH, e.g. sarif:cncomply.sarif"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!("`{format}` is not a format; use table, json, junit, sarif, markdown or github")
    })?;
    if path.is_empty() || path == "-" {
        return Err(format!(
            "`{s}`: give a file path; the report on standard output is chosen with --format"
        ));
    }
    Ok(OutputSpec {
        format,
        path: PathBuf::from(path),
    })
}

pub fn run(args: CheckArgs, color: bool) -> miette::Result<Outcome> {
    let (rules, rules_source) = library::load(&args.rules.rules)?;
    let as_of = args.as_of.date();
    // A waivers file that cannot be read stops the run before any check:
    // ignoring it would fail builds the team meant to let pass.
    let waivers = match &args.waivers {
        Some(p) => Some(Waivers::load(p, &rules)?),
        None => None,
    };
    if let Some(w) = &waivers {
        for e in w.expired(as_of) {
            crate::errln!(
                "warning: {}:{}: the waiver for {} ({}) approved by {} expired on {}; it no longer applies",
                w.origin,
                e.line,
                e.rule,
                e.selector(&rules),
                e.approver,
                e.expires
            );
        }
    }
    let policy = ExitPolicy {
        fail_on: args.fail_on.clone(),
        horizon_days: args.horizon,
        exit_zero: args.exit_zero,
    };

    let (mut inputs, input_errors) = catalogue::expand(&args.profiles)?;
    // A report must not replace an input or another report: refuse before
    // any profile is read.
    let mut read_from: Vec<&Path> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => Some(p.as_path()),
            Input::Stdin => None,
        })
        .collect();
    read_from.extend(args.waivers.as_deref());
    read_from.extend(args.rules.rules.iter().map(PathBuf::as_path));
    let written: Vec<&Path> = args.outputs.iter().map(|o| o.path.as_path()).collect();
    super::output::refuse_clobbering(&written, &read_from)?;
    // A company file named among the inputs (`examples/*.yaml`) is the
    // company file, never a product.
    let mut named_company = None;
    inputs.retain(|i| match i {
        Input::File(p) if company::is_company_file(p) => {
            named_company.get_or_insert_with(|| p.clone());
            false
        }
        _ => true,
    });
    if inputs.is_empty() && input_errors.is_empty() {
        if let Some(c) = &named_company {
            crate::errln!(
                "error: {}: a company file, not a product profile; name product profiles too (the company file is read with them)",
                c.display()
            );
            return Ok(Outcome::Error);
        }
    }
    let first_file = inputs.iter().find_map(|i| match i {
        Input::File(p) => Some(p.clone()),
        Input::Stdin => None,
    });
    let Ok(company) = load_company(
        args.company.as_deref(),
        named_company,
        &args.profiles,
        first_file.as_deref(),
        &rules,
    ) else {
        return Ok(Outcome::Error);
    };
    let company_attributes = rules.company_attributes();
    let mut errors = Vec::new();
    for e in input_errors {
        crate::errln!("error: {}: {}", e.origin, e.message);
        errors.push(ProductError {
            origin: e.origin,
            message: e.message,
            line: None,
            column: None,
        });
    }
    // Not-applicable findings are shown only with --all; otherwise they are
    // only counted, and building and keeping them would be most of the work.
    let detail = if args.all {
        Detail::Full
    } else {
        Detail::Brief
    };
    // Standard input is read here, in order, so that with `- -` the first
    // gets the text whichever thread would get there first.
    let texts: Vec<Option<Result<String, crate::profile::ReadError>>> = inputs
        .iter()
        .map(|input| match input {
            Input::Stdin => Some(crate::profile::read_text(&input.path())),
            Input::File(_) => None,
        })
        .collect();
    // Profiles are read, loaded and evaluated on every core; the results
    // keep the order of the inputs, so output is the same as one by one.
    let results: Vec<Result<(Profile, Evaluation), ProfileFailure>> = inputs
        .par_iter()
        .zip(texts)
        .map(|(input, text)| {
            let origin = input.origin();
            let text = text
                .unwrap_or_else(|| crate::profile::read_text(&input.path()))
                .map_err(|e| ProfileFailure::Read(origin.clone(), e.message, e.line))?;
            let mut profile = Profile::from_yaml(&origin, &text, &rules.vocabulary)
                .map_err(|e| ProfileFailure::Invalid(Box::new(e)))?;
            merge_company(&mut profile, company.as_ref(), &company_attributes);
            let mut evaluation = evaluate_with(&rules, &profile, as_of, detail);
            if let Some(w) = &waivers {
                w.apply(&rules, &profile, &mut evaluation.findings, as_of);
            }
            Ok((profile, evaluation))
        })
        .collect();
    let mut reports = Vec::with_capacity(results.len());
    let mut json_problems = Vec::new();
    for result in results {
        match result {
            Ok((profile, evaluation)) => {
                reports.push(ProductReport::from_evaluation(profile, evaluation));
            }
            Err(ProfileFailure::Read(origin, message, line)) => {
                let at = line.map(|l| format!(":{l}")).unwrap_or_default();
                crate::errln!("error: {origin}{at}: {message}");
                errors.push(ProductError {
                    origin,
                    message,
                    line,
                    column: None,
                });
            }
            Err(ProfileFailure::Invalid(e)) => {
                // Every problem of the profile, each its own entry: a draft
                // with five mistakes is fixed in one round.
                for p in e.all() {
                    errors.push(ProductError {
                        origin: p.origin.clone(),
                        message: p.message.clone(),
                        line: p.line,
                        column: p.column,
                    });
                }
                match args.error_format {
                    super::lint::ErrorFormat::Human => {
                        super::output::eprint_report(&miette::Report::new(*e));
                    }
                    super::lint::ErrorFormat::Json => {
                        json_problems.extend(e.all().map(problem_json))
                    }
                }
            }
        }
    }
    if args.error_format == super::lint::ErrorFormat::Json && !json_problems.is_empty() {
        crate::errln!(
            "{}",
            serde_json::to_string_pretty(&json_problems).expect("problems serialise")
        );
    }
    // With no profile that could be read there is nothing to report: print
    // no findings that could be mistaken for a pass.
    if reports.is_empty() {
        return Ok(Outcome::Error);
    }
    let company_report = CompanyReport::collect(company, &mut reports);
    for r in &mut reports {
        r.findings
            .retain(|f| f.rule.section() != crate::model::Section::Product || shown(&args, f));
    }
    let info = RunInfo {
        as_of,
        rules: &rules,
        rules_source,
        show_all: args.all,
        details: args.details,
        color,
        policy: &policy,
        waivers: waivers.as_ref(),
        company: Some(&company_report),
        watch: args.watch,
    };
    let width = super::table_width();
    // Standard output first, then the files; a reader that has gone (a
    // closed pipe) ends standard output quietly and the files are still
    // written. A standard output that cannot be written (a full disk) is
    // exit 2, after the files.
    let stdout = super::output::emit_exact(&report::render(
        args.format,
        &info,
        &reports,
        &errors,
        width,
    ));
    let mut write_failed = false;
    for o in &args.outputs {
        // Files never carry terminal colours.
        let plain = RunInfo {
            color: false,
            ..info.clone()
        };
        let text = report::render(o.format, &plain, &reports, &errors, width);
        if let Err(e) = write_report(&o.path, &text) {
            crate::errln!(
                "error: cannot write the {} report to {}: {e}",
                o.format.name(),
                o.path.display()
            );
            write_failed = true;
        }
    }
    if let Err(e) = stdout {
        super::output::eprint_report(&miette::Report::new(e));
        write_failed = true;
    }
    let failing =
        reports.iter().any(|r| r.failing(&policy) > 0) || company_report.failing(&policy) > 0;
    // The process exits next: freeing a catalogue's millions of small
    // allocations one by one would take a tenth of the run.
    std::mem::forget(reports);
    Ok(if !errors.is_empty() || write_failed {
        Outcome::Error
    } else if failing && !policy.exit_zero {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// One profile problem as `--error-format json` writes it.
fn problem_json(p: &crate::profile::ProfileError) -> serde_json::Value {
    serde_json::json!({
        "file": p.origin,
        "line": p.line,
        "column": p.column,
        "path": p.path,
        "message": p.message,
        "help": p.help,
    })
}

/// A profile that could not be checked.
enum ProfileFailure {
    /// (origin, message, line): the file could not be read.
    Read(String, String, Option<usize>),
    Invalid(Box<crate::profile::ProfileError>),
}

fn write_report(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

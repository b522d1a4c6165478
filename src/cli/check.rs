use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::catalogue::{self, Input};
use crate::evaluate::{Detail, Plan};
use crate::library;
use crate::policy::{parse_horizon, ExitPolicy, FailOn};
use crate::profile::company::{self, Company};
use crate::profile::Profile;
use crate::report::stream::{Piece, ProductSummary, RunSummary};
use crate::report::{
    self, sarif, stream, CompanyReport, Format, Layout, Options, ProductError, ProductReport,
    RunInfo,
};
use crate::waiver::Waivers;

use super::{AsOfOpt, Outcome, RulesOpt};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Product profiles: YAML files, directories (searched recursively for *.yaml and
    /// *.yml), glob patterns (quote them: 'catalogue/**/*.yaml'), or `-` for standard input.
    #[arg(value_name = "PROFILE", required = true)]
    pub profiles: Vec<PathBuf>,
    #[command(flatten)]
    pub as_of: AsOfOpt,
    /// Also show rules that do not apply, with the reason.
    #[arg(long)]
    pub all: bool,
    /// With several profiles, show each product's findings after the summary table.
    #[arg(long)]
    pub details: bool,
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
    #[command(flatten)]
    pub settings: Settings,
}

/// What a team sets once for every run: on the command line, in
/// `CNCOMPLY_*` environment variables or in `cncomply.toml` (flags over
/// environment over file; `cncomply config` shows which won).
#[derive(Args, Debug, Clone)]
pub struct Settings {
    #[command(flatten)]
    pub rules: RulesOpt,
    /// Format of the report on standard output.
    #[arg(long, value_enum, default_value = "table", env = "CNCOMPLY_FORMAT")]
    pub format: Format,
    /// Also write a report to a file, e.g. `-o sarif:cncomply.sarif`. Repeat for several
    /// (CNCOMPLY_OUTPUT: separated by commas).
    #[arg(short = 'o', long = "output", value_name = "FORMAT:PATH", value_parser = parse_output,
          env = "CNCOMPLY_OUTPUT", value_delimiter = ',')]
    pub outputs: Vec<OutputSpec>,
    /// YAML file of waivers (rule, product or category, justification, approver, expires).
    /// A waived finding is shown and counted as `waived` and does not fail the run.
    #[arg(long, value_name = "FILE", env = "CNCOMPLY_WAIVERS")]
    pub waivers: Option<PathBuf>,
    /// Also fail on these statuses (besides `applies`, which always fails). Repeat or
    /// separate with commas. `new` (with --baseline): fail only on what is new since it.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "STATUS",
        env = "CNCOMPLY_FAIL_ON"
    )]
    pub fail_on: Vec<FailOn>,
    /// With --fail-on upcoming / in-transition: fail only when the date is at most this far
    /// away, e.g. 90d or 12w.
    #[arg(long, value_name = "DAYS", value_parser = parse_horizon, env = "CNCOMPLY_HORIZON")]
    pub horizon: Option<i64>,
    /// Report without failing: exit 0 even when findings fail (2 still means an input
    /// could not be read).
    #[arg(long, env = "CNCOMPLY_EXIT_ZERO")]
    pub exit_zero: bool,
    /// JSON report (`--format json`): 2 states each rule once in a `rules` table; 1 is
    /// the earlier shape, the rule repeated in every finding.
    #[arg(long, value_name = "N", env = "CNCOMPLY_JSON_SCHEMA_VERSION",
          value_parser = clap::value_parser!(u32).range(1..=2))]
    pub json_schema_version: Option<u32>,
    /// SARIF: leave out results below this level (e.g. `warning`: only what asks for work).
    #[arg(long, value_enum, value_name = "LEVEL", env = "CNCOMPLY_MIN_LEVEL")]
    pub min_level: Option<sarif::Level>,
    /// An earlier JSON or JSONL report: each open finding is marked new, unchanged or
    /// updated, and what it had open that is closed now is listed as resolved.
    #[arg(long, value_name = "FILE", env = "CNCOMPLY_BASELINE")]
    pub baseline: Option<PathBuf>,
    /// No progress bar and no warnings on standard error (errors are still shown).
    #[arg(short, long, env = "CNCOMPLY_QUIET")]
    pub quiet: bool,
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
    (args.topic.is_empty() || args.topic.iter().any(|t| *t == f.rule.topic))
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
    company_attributes: &std::collections::BTreeSet<String>,
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
    Company::from_yaml(&origin, &text, &rules.vocabulary, company_attributes)
        .map(Some)
        .map_err(|e| super::output::eprint_report(&miette::Report::new(e)))
}

/// Warns about company facts still stated in a product profile (they keep
/// working), and adds the company file's facts the profile does not state.
/// `quiet` drops the warnings, and with them the second parse of the
/// profile that only finds their lines.
pub(crate) fn merge_company(
    profile: &mut Profile,
    company: Option<&Company>,
    company_attributes: &std::collections::BTreeSet<String>,
    quiet: bool,
) {
    for key in profile.attributes.keys().filter(|_| !quiet) {
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
        // The company's facts with the profile's own over them, merged in
        // one pass rather than inserted one by one.
        let mut merged = c.attributes.clone();
        merged.append(&mut profile.attributes);
        profile.attributes = merged;
    }
}

/// `-o FORMAT:PATH`.
#[derive(Debug, Clone)]
pub struct OutputSpec {
    pub format: Format,
    pub path: PathBuf,
}

pub(crate) fn parse_output(s: &str) -> Result<OutputSpec, String> {
    use clap::ValueEnum;
    let (format, path) = s
        .split_once(':')
        .ok_or_else(|| format!("`{s}`: write FORMAT:PATH, e.g. sarif:cncomply.sarif"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!("`{format}` is not a format; use table, json, jsonl, junit, sarif, markdown, markdown-summary or github")
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

/// Products checked and rendered on every core at a time; the writer
/// thread writes one batch while the next is checked.
const BATCH: usize = 256;

pub fn run(args: CheckArgs, color: bool) -> miette::Result<Outcome> {
    let (rules, rules_source) = library::load(&args.settings.rules.rules)?;
    // The library lives until the process exits: freeing its thousands of
    // strings one by one would cost a cold single-profile check a twentieth
    // of its time, to give back memory the exit gives back anyway.
    let rules: &'static crate::model::RuleSet = Box::leak(Box::new(rules));
    let as_of = args.as_of.date();
    // A waivers file that cannot be read stops the run before any check:
    // ignoring it would fail builds the team meant to let pass.
    let waivers = match &args.settings.waivers {
        Some(p) => Some(Waivers::load(p, rules)?),
        None => None,
    };
    if let Some(w) = waivers.as_ref().filter(|_| !args.settings.quiet) {
        for e in w.expired(as_of) {
            crate::errln!(
                "warning: {}:{}: the waiver for {} ({}) approved by {} expired on {}; it no longer applies",
                w.origin,
                e.line,
                e.rule,
                e.selector(rules),
                e.approver,
                e.expires
            );
        }
    }
    if args.settings.horizon.is_some() && args.settings.fail_on.is_empty() {
        crate::errln!("error: --horizon needs --fail-on upcoming or in-transition");
        return Ok(Outcome::Error);
    }
    if args.settings.fail_on.contains(&FailOn::New) && args.settings.baseline.is_none() {
        crate::errln!("error: --fail-on new needs --baseline FILE (an earlier JSON report)");
        return Ok(Outcome::Error);
    }
    let baseline = match &args.settings.baseline {
        Some(p) => Some(Baseline::load(p)?.with_current_ids(rules)),
        None => None,
    };
    let policy = ExitPolicy {
        fail_on: args.settings.fail_on.clone(),
        horizon_days: args.settings.horizon,
        exit_zero: args.settings.exit_zero,
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
    read_from.extend(args.settings.waivers.as_deref());
    read_from.extend(args.settings.rules.rules.iter().map(PathBuf::as_path));
    let written: Vec<&Path> = args
        .settings
        .outputs
        .iter()
        .map(|o| o.path.as_path())
        .collect();
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
    let company_attributes = rules.company_attributes();
    let Ok(company) = load_company(
        args.company.as_deref(),
        named_company,
        &args.profiles,
        first_file.as_deref(),
        rules,
        &company_attributes,
    ) else {
        return Ok(Outcome::Error);
    };
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
    let info = RunInfo {
        as_of,
        rules,
        rules_source,
        show_all: args.all,
        details: args.details,
        color,
        policy: &policy,
        waivers: waivers.as_ref(),
        // The company section is known once every product is checked; the
        // reports write it in their tail.
        company: None,
        watch: args.watch,
        baseline: baseline.as_ref(),
    };
    // Files never carry terminal colours.
    let plain = RunInfo {
        color: false,
        ..info.clone()
    };
    let options = Options {
        width: super::table_width(),
        several: inputs.len() + errors.len() > 1,
        json_version: args
            .settings
            .json_schema_version
            .unwrap_or(report::json::SCHEMA_VERSION),
        min_level: args.settings.min_level.unwrap_or(sarif::Level::None),
        ..Options::default()
    };
    let mut outputs = vec![Output::new(args.settings.format, options, Target::Stdout)];
    for o in &args.settings.outputs {
        outputs.push(Output::new(o.format, options, Target::File(o.path.clone())));
    }
    // In a GitHub workflow the annotations are capped; the job summary
    // carries the tally and the failing products.
    let summary_file = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty());
    if let Some(file) =
        summary_file.filter(|_| outputs.iter().any(|o| o.layout.format == Format::Github))
    {
        let o = Options {
            markdown_budget: report::markdown::STEP_SUMMARY_BUDGET,
            ..options
        };
        outputs.push(Output::new(
            Format::MarkdownSummary,
            o,
            Target::Append(PathBuf::from(file)),
        ));
    }

    // Standard input is read here, in order, so that with `- -` the first
    // gets the text whichever thread would get there first.
    let mut texts: Vec<Option<Result<String, crate::profile::ReadError>>> = inputs
        .iter()
        .map(|input| match input {
            Input::Stdin => Some(crate::profile::read_text(&input.path())),
            Input::File(_) => None,
        })
        .collect();
    let progress = progress_bar(inputs.len(), args.settings.quiet);
    // What each output renders, for the checking threads (the outputs
    // themselves belong to the writer thread).
    let layouts: Vec<(Layout, bool)> = outputs
        .iter()
        .map(|o| (o.layout.clone(), matches!(o.target, Target::Stdout)))
        .collect();
    // What every product's evaluation shares is worked out once.
    let plan = Plan::new(rules);
    let check = |input: &Input, text: Option<Result<String, crate::profile::ReadError>>| {
        let origin = input.origin();
        let text = text
            .unwrap_or_else(|| crate::profile::read_text(&input.path()))
            .map_err(|e| ProfileFailure::Read(origin.clone(), e.message, e.line))?;
        let mut profile = Profile::from_yaml(&origin, &text, &rules.vocabulary)
            .map_err(|e| ProfileFailure::Invalid(Box::new(e)))?;
        merge_company(
            &mut profile,
            company.as_ref(),
            &company_attributes,
            args.settings.quiet,
        );
        let mut evaluation = plan.evaluate(&profile, as_of, detail);
        if let Some(w) = &waivers {
            w.apply(rules, &profile, &mut evaluation.findings, as_of);
        }
        let mut report = ProductReport::from_evaluation(profile, evaluation);
        // Company findings leave the product: they are reported once, in
        // the company section at the end of each report.
        let company_findings = CompanyReport::take(&mut report);
        report
            .findings
            .retain(|f| f.rule.section() != crate::model::Section::Product || shown(&args, f));
        if let Some(b) = &baseline {
            report.resolved = b.mark(&report.profile.origin, &mut report.findings);
        }
        let summary = ProductSummary::of(&report, &info);
        let pieces: Vec<Piece> = layouts
            .iter()
            .map(|(layout, to_stdout)| {
                layout.piece(if *to_stdout { &info } else { &plain }, &report)
            })
            .collect();
        Ok(Product {
            name: report.profile.name.clone(),
            summary,
            pieces,
            company_findings,
        })
    };
    // Profiles are read, checked and rendered on every core a batch at a
    // time; a writer thread puts the pieces in input order, so output is
    // the same as one by one and only a batch is held at once.
    let mut json_problems = Vec::new();
    let company_file = company.clone();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Checked>>(1);
    let write = {
        let outputs = &mut outputs;
        let errors = &mut errors;
        let json_problems = &mut json_problems;
        let error_format = args.error_format;
        let (info, plain, progress) = (&info, &plain, &progress);
        let baseline = baseline.as_ref();
        move || {
            let mut run = RunSummary::default();
            let mut company_report = CompanyReport {
                company: company_file,
                findings: Vec::new(),
                resolved: None,
            };
            for batch in rx {
                for checked in batch {
                    progress.inc(1);
                    match checked {
                        Ok(p) => {
                            run.add(&p.summary);
                            company_report.add(&p.name, p.company_findings);
                            for (o, piece) in outputs.iter_mut().zip(p.pieces) {
                                o.product(o.info(info, plain), &p.summary, piece);
                            }
                        }
                        Err(failure) => progress
                            .suspend(|| errors.extend(failure.report(error_format, json_problems))),
                    }
                }
            }
            progress.finish_and_clear();
            company_report.sort();
            if let Some(b) = baseline {
                company_report.resolved = Some(b.mark_company(&mut company_report.findings));
            }
            // With no profile that could be read there is nothing to
            // report: print no findings that could be mistaken for a pass.
            let mut failed = false;
            if run.products > 0 {
                let info = RunInfo {
                    company: Some(&company_report),
                    ..info.clone()
                };
                let plain = RunInfo {
                    company: Some(&company_report),
                    ..plain.clone()
                };
                for o in outputs.iter_mut() {
                    failed |= !o.finish(o.info(&info, &plain), &run, errors);
                }
            }
            (run, failed, company_report)
        }
    };
    let (run, failed, company_report) = if let [input] = inputs.as_slice() {
        // One profile (a pre-commit hook, an editor): checked and written on
        // this thread, since starting the writer and rayon's pool would take
        // longer than the check. The channel holds the one batch.
        let _ = tx.send(vec![check(input, texts[0].take())]);
        drop(tx);
        write()
    } else {
        std::thread::scope(|scope| {
            let writer = scope.spawn(write);
            let mut start = 0;
            for chunk in inputs.chunks(BATCH) {
                let texts: Vec<_> = texts[start..start + chunk.len()]
                    .iter_mut()
                    .map(Option::take)
                    .collect();
                start += chunk.len();
                let batch: Vec<Checked> = chunk
                    .par_iter()
                    .zip(texts)
                    .map(|(input, text)| check(input, text))
                    .collect();
                if tx.send(batch).is_err() {
                    break;
                }
            }
            drop(tx);
            writer.join().expect("the report writer does not panic")
        })
    };
    if error_format_json(&args) && !json_problems.is_empty() {
        crate::errln!(
            "{}",
            serde_json::to_string_pretty(&json_problems).expect("problems serialise")
        );
    }
    if run.products == 0 {
        return Ok(Outcome::Error);
    }
    let failing = run.failing > 0 || company_report.failing(&policy) > 0;
    Ok(if !errors.is_empty() || failed {
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

fn error_format_json(args: &CheckArgs) -> bool {
    args.error_format == super::lint::ErrorFormat::Json
}

/// A product checked and rendered on a worker thread.
struct Product<'r> {
    name: String,
    summary: ProductSummary,
    pieces: Vec<Piece>,
    /// Its company findings, for the company section.
    company_findings: Vec<crate::evaluate::Finding<'r>>,
}

type Checked<'r> = Result<Product<'r>, ProfileFailure>;

/// A progress bar on standard error for long runs at a terminal.
fn progress_bar(len: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet || len < 2 || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} checking {pos}/{len} profiles [{bar:30}] {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.tick();
    bar
}

/// A profile that could not be checked.
enum ProfileFailure {
    /// (origin, message, line): the file could not be read.
    Read(String, String, Option<usize>),
    Invalid(Box<crate::profile::ProfileError>),
}

impl ProfileFailure {
    /// Prints the error on standard error (human) or keeps it for the one
    /// JSON array (`--error-format json`), and returns it for the reports:
    /// every problem of a profile its own entry, so a draft with five
    /// mistakes is fixed in one round.
    fn report(
        self,
        format: super::lint::ErrorFormat,
        json_problems: &mut Vec<serde_json::Value>,
    ) -> Vec<ProductError> {
        match self {
            ProfileFailure::Read(origin, message, line) => {
                let at = line.map(|l| format!(":{l}")).unwrap_or_default();
                crate::errln!("error: {origin}{at}: {message}");
                vec![ProductError {
                    origin,
                    message,
                    line,
                    column: None,
                }]
            }
            ProfileFailure::Invalid(e) => {
                let entries = e
                    .all()
                    .map(|p| ProductError {
                        origin: p.origin.clone(),
                        message: p.message.clone(),
                        line: p.line,
                        column: p.column,
                    })
                    .collect();
                match format {
                    super::lint::ErrorFormat::Human => {
                        super::output::eprint_report(&miette::Report::new(*e));
                    }
                    super::lint::ErrorFormat::Json => {
                        json_problems.extend(e.all().map(problem_json))
                    }
                }
                entries
            }
        }
    }
}

/// Writes to `sink` what a report's reader may see of what is written to
/// it ([`Layout::clean`]), whole lines at a time: the same as cleaning it
/// in one piece, which is line by line, without holding it.
struct Cleaned<'o> {
    layout: &'o Layout,
    color: bool,
    sink: &'o mut io::BufWriter<Box<dyn Write + Send>>,
    pending: Vec<u8>,
}

impl Write for Cleaned<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // `pending` holds no line feed: the lines end at the last one of
        // `buf`. A tail is megabytes (JUnit's suites), so the lines are
        // cleaned from `buf` itself when nothing is pending.
        let Some(end) = memchr::memrchr(b'\n', buf) else {
            self.pending.extend_from_slice(buf);
            return Ok(buf.len());
        };
        let (lines, rest) = buf.split_at(end + 1);
        if self.pending.is_empty() {
            self.sink.write_all(&self.layout.clean(self.color, lines))?;
        } else {
            self.pending.extend_from_slice(lines);
            self.sink
                .write_all(&self.layout.clean(self.color, &self.pending))?;
            self.pending.clear();
        }
        self.pending.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Cleaned<'_> {
    /// Writes what is left after the last line feed.
    fn finish(mut self) -> io::Result<()> {
        let rest = std::mem::take(&mut self.pending);
        self.sink.write_all(&self.layout.clean(self.color, &rest))
    }
}

/// Where a report goes. Files are created when the first product is
/// written: a run that could read no profile leaves none behind.
enum Target {
    Stdout,
    File(PathBuf),
    /// Appended to (GitHub's job summary file).
    Append(PathBuf),
}

struct Output {
    layout: Layout,
    writer: Box<dyn stream::Writer>,
    target: Target,
    sink: Option<io::BufWriter<Box<dyn Write + Send>>>,
    /// Set once writing failed; the output is then left alone.
    broken: bool,
    /// Standard output's reader went away: the run still counts as written.
    closed: bool,
    started: bool,
}

impl Output {
    fn new(format: Format, options: Options, target: Target) -> Output {
        let layout = Layout::new(format, options);
        Output {
            writer: layout.writer(),
            layout,
            target,
            sink: None,
            broken: false,
            closed: false,
            started: false,
        }
    }

    /// Standard output may be coloured; files never are.
    fn info<'i, 'a>(&self, info: &'i RunInfo<'a>, plain: &'i RunInfo<'a>) -> &'i RunInfo<'a> {
        match self.target {
            Target::Stdout => info,
            _ => plain,
        }
    }

    fn open(&mut self) -> io::Result<()> {
        let w: Box<dyn Write + Send> = match &self.target {
            Target::Stdout => Box::new(io::stdout()),
            Target::File(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                Box::new(super::output::create_report(path, false)?)
            }
            Target::Append(path) => Box::new(super::output::create_report(path, true)?),
        };
        self.sink = Some(io::BufWriter::with_capacity(1 << 20, w));
        Ok(())
    }

    fn product(&mut self, info: &RunInfo, summary: &ProductSummary, piece: Piece) {
        if self.broken {
            return;
        }
        let result = (|| {
            let mut buf = Vec::new();
            if !self.started {
                self.started = true;
                self.open()?;
                self.writer.head(info, &mut buf)?;
            }
            self.writer.product(info, summary, piece, &mut buf)?;
            self.write_clean(info, &buf)
        })();
        if let Err(e) = result {
            self.fail(e);
        }
    }

    /// Writes the end of the report; false if the report could not be written.
    fn finish(&mut self, info: &RunInfo, run: &RunSummary, errors: &[ProductError]) -> bool {
        if !self.broken {
            let result = (|| {
                // A tail may be long (JUnit's suites, the summary's rows):
                // it is cleaned and written a line at a time.
                let sink = self.sink.as_mut().expect("opened with the first product");
                let mut clean = Cleaned {
                    layout: &self.layout,
                    color: info.color,
                    sink: &mut *sink,
                    pending: Vec::new(),
                };
                self.writer.tail(info, run, errors, &mut clean)?;
                clean.finish()?;
                sink.flush()
            })();
            if let Err(e) = result {
                self.fail(e);
            }
        }
        !self.broken || self.closed
    }

    /// Writes a chunk as its reader may see it (sanitised, see
    /// [`Layout::clean`]).
    fn write_clean(&mut self, info: &RunInfo, buf: &[u8]) -> io::Result<()> {
        let clean = self.layout.clean(info.color, buf);
        let sink = self.sink.as_mut().expect("opened with the first product");
        sink.write_all(&clean)
    }

    fn fail(&mut self, e: io::Error) {
        self.broken = true;
        self.sink = None;
        if matches!(self.target, Target::Stdout) && e.kind() == io::ErrorKind::BrokenPipe {
            self.closed = true;
        }
        match &self.target {
            // A reader that has gone (`| head`) is not an error of ours.
            Target::Stdout if e.kind() == io::ErrorKind::BrokenPipe => {}
            Target::Stdout => crate::errln!("error: cannot write to standard output: {e}"),
            Target::File(p) | Target::Append(p) => crate::errln!(
                "error: cannot write the {} report to {}: {e}",
                self.layout.format.name(),
                p.display()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::AttrValue;

    #[test]
    fn a_product_keeps_its_own_value_of_a_company_fact_and_gets_the_others() {
        let rules = crate::bundled::rule_set().expect("bundled rules");
        let company = Company::from_yaml(
            "company.yaml",
            "name: Example GmbH\nattributes:\n  processes_data_in_china: yes\n  is_ciio: yes\n",
            &rules.vocabulary,
            &rules.company_attributes(),
        )
        .expect("company file");
        let mut profile = crate::profile::Profile::from_yaml(
            "washer.yaml",
            "name: Washer\ncategory: washing-machine\nattributes:\n  is_ciio: no\n",
            &rules.vocabulary,
        )
        .expect("profile");
        merge_company(
            &mut profile,
            Some(&company),
            &rules.company_attributes(),
            true,
        );
        assert_eq!(profile.attribute("is_ciio"), Some(&AttrValue::Bool(false)));
        assert_eq!(
            profile.attribute("processes_data_in_china"),
            Some(&AttrValue::Bool(true))
        );
    }
}

//! The command line: argument definitions (clap) and one module per
//! subcommand. Each subcommand returns an [`Outcome`] that `main` turns into
//! the process exit code.

mod calendar;
mod catalogue;
mod categories;
mod check;
mod completions;
mod config;
mod dates;
mod diff;
mod explain;
mod fmt;
mod init;
mod lint;
mod man;
mod output;
pub use output::SafeHandler;
mod profile_file;
mod report;
mod rules;
mod schema;
mod snippets;
mod source;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// How a run ended, as the exit code a CI pipeline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: nothing unmet that is in force (or the command succeeded).
    Clean,
    /// 1: at least one obligation in force is not shown met (check), or a
    /// rule test failed (test).
    Findings,
    /// 2: usage, profile or rule error.
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(match o {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Error => 2,
        })
    }
}

const EXIT_CODES: &str = "\
Exit codes:
  0  nothing unmet that is in force
  1  at least one obligation applies and is not shown met (check; --fail-on widens this,
     --exit-zero reports without failing), or a rule test failed (test)
  2  usage error, unreadable or invalid profile, invalid rule or waivers file";

#[derive(Parser, Debug)]
#[command(
    name = "cncomply",
    version,
    about = "Which Chinese market-access obligations apply to a product, why, by when — and whether its record shows them met",
    long_about = "cncomply checks a product profile (YAML) against rules read from the China Standardisation \
Newsletters: CCC, China RoHS, energy labels, commodity barcodes, cybersecurity labels, mandatory GB standards \
and more. Each finding cites its instrument, dates and the newsletter section it came from.",
    after_help = "Examples:\n  cncomply check examples/washing-machine.yaml\n  cncomply check examples/*.yaml --as-of 2027-04-01 --format json\n  cncomply test rules/tests\n  cncomply rules list --topic ccc\n\n"
        .to_string() + EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour in terminal output: auto (when writing to a terminal and NO_COLOR is not
    /// set), always, or never.
    #[arg(long, value_enum, global = true, default_value = "auto")]
    pub color: ColorChoice,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour what goes to a stream that `is_terminal` describes.
    /// `--color` wins over `NO_COLOR`, which wins over the terminal test
    /// (https://no-color.org).
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && is_terminal
            }
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check product profiles against the rules and report each obligation.
    #[command(after_help = "Statuses:
  applies         in force and not shown met by the profile's evidence
  in-transition   in force, but a grace period for this product runs until the date shown
  needs-info      the answer depends on a fact the profile does not give (named in the output)
  upcoming        will apply from the date shown
  met             in force and shown met by a certificate, label or filing in the profile
  waived          open, but covered by a waiver (--waivers) until its expiry date; never hidden
  informational   a draft, a voluntary scheme or an advisory note (never fails a check)
  not-applicable  outside the scope, excluded, repealed or superseded (shown with --all)

Catalogues:
  cncomply check catalogue/ --format sarif -o junit:reports/cncomply.xml
  cncomply check 'catalogue/**/*.yaml' --fail-on upcoming --horizon 90d
  cncomply check catalogue/ --waivers waivers.yaml --details

"
        .to_string() + EXIT_CODES)]
    Check(check::CheckArgs),
    /// Run rule test cases (YAML files of profiles and expected statuses).
    #[command(
        after_help = "Test file format: see rules/README.md (\"Rule tests\").\n\nExit codes:\n  0  every case passed\n  1  a case failed\n  2  the rules or a test file could not be read"
    )]
    Test(test::TestArgs),
    /// Check rule files: every error at once, plus weak spots (citations, unreachable rules, untested rules).
    #[command(
        after_help = "Examples:\n  cncomply lint\n  cncomply lint rules/nl-2026-03a.rules --error-format json\n\nExit codes:\n  0  no errors (warnings allowed unless --deny-warnings)\n  1  warnings with --deny-warnings\n  2  errors"
    )]
    Lint(lint::LintArgs),
    /// Rewrite rule files in the canonical layout (comments are kept).
    #[command(
        after_help = "Examples:\n  cncomply fmt\n  cncomply fmt --check rules/\n\nExit codes:\n  0  formatted (or already formatted)\n  1  --check and some file is not formatted\n  2  a file does not parse"
    )]
    Fmt(fmt::FmtArgs),
    /// List the rules in the library.
    Rules(rules::RulesArgs),
    /// Show the product-category tree with the aliases a profile may use.
    Categories(categories::CategoriesArgs),
    /// Print the newsletter passage a rule cites, to check the rule against its text.
    Source(source::SourceArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Install, e.g.:\n  cncomply completions bash > ~/.local/share/bash-completion/completions/cncomply\n  cncomply completions zsh > ~/.zfunc/_cncomply\n  cncomply completions fish > ~/.config/fish/completions/cncomply.fish"
    )]
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), or write one per command to a directory.
    #[command(after_help = "View it with:\n  cncomply man | man -l -")]
    Man(man::ManArgs),
    /// Explain a rule in plain words; with --profile, why it applies to a product or not.
    #[command(after_help = "Examples:
  cncomply explain ccc.small-power-motor
  cncomply explain ccc.small-power-motor --profile examples/small-power-motor.yaml --as-of 2026-07-01

Exit codes:
  0  the rule was explained
  2  no such rule (with a did-you-mean), or the profile or rules could not be read")]
    Explain(explain::ExplainArgs),
    /// Print the JSON Schema (draft 2020-12) of the product profile format, for editors.
    #[command(after_help = "Examples:
  cncomply schema > profile.schema.json
  # then, as the first line of a profile, for yaml-language-server (VS Code, Neovim, …):
  # yaml-language-server: $schema=./profile.schema.json")]
    Schema(schema::SchemaArgs),
    /// Write a profile by asking only the questions whose answers can change an obligation.
    #[command(after_help = "Examples:
  cncomply init --category washing-machine -o washer.yaml     # asks in the terminal
  cncomply init --category motor --answers answers.yaml       # no questions; answers.yaml is a map:
                                                              #   rated_voltage_ac_v: 230
                                                              #   made_in: DE

Exit codes:
  0  the profile was written
  2  unknown category, a bad answer in --answers, or the output file exists (use --force)")]
    Init(init::InitArgs),
    /// What changes for the products between two days, or between two versions of the rules.
    #[command(after_help = TIME_EXIT_CODES)]
    Diff(diff::DiffArgs),
    /// Every dated event (effective dates, ends of transitions, expiries) for the products.
    #[command(after_help = TIME_EXIT_CODES)]
    Calendar(calendar::CalendarArgs),
    /// Write a self-contained HTML report with a timeline, for people and for print.
    #[command(after_help = TIME_EXIT_CODES)]
    Report(report::ReportArgs),
    /// Print the settings `check` would use (flags, CNCOMPLY_* variables, cncomply.toml,
    /// defaults) and where each came from.
    #[command(
        after_help = "Precedence: flags over CNCOMPLY_* environment variables over \
cncomply.toml (the nearest one from the working directory up to the repository root) over defaults.

Examples:
  cncomply config
  CNCOMPLY_FORMAT=sarif cncomply config --fail-on upcoming"
    )]
    Config(config::ConfigArgs),
}

const TIME_EXIT_CODES: &str = "Exit codes:
  0  the output was produced (findings do not change the code)
  2  usage error, unreadable or invalid profile, invalid rule file";

/// Where the rules come from; shared by every command that reads rules.
#[derive(Args, Debug, Clone)]
pub struct RulesOpt {
    /// Read rules from this directory of .rules files (or one .rules file) instead of the
    /// bundled library. Repeat to combine several.
    #[arg(long, value_name = "DIR", env = "CNCOMPLY_RULES")]
    pub rules: Vec<PathBuf>,
}

/// The day to evaluate on; shared by commands that evaluate.
#[derive(Args, Debug, Clone)]
pub struct AsOfOpt {
    /// Evaluate as on this calendar day (YYYY-MM-DD). Dates are inclusive: a rule effective on D applies on D.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
}

impl AsOfOpt {
    pub fn date(&self) -> NaiveDate {
        self.as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableOrJson {
    Table,
    Json,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    crate::profile::parse_profile_date(s)
        .ok_or_else(|| format!("`{s}` is not a calendar date; write YYYY-MM-DD (e.g. 2026-07-01)"))
}

/// Width for tables: `COLUMNS` when set, else the terminal's (shells do not
/// export `COLUMNS`, so an 80-column terminal would get 110-column rows that
/// wrap), else a readable default when piped.
pub(crate) fn table_width() -> u16 {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &u16| w > 0)
        .or_else(|| terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| w.0))
        .unwrap_or(110)
}

/// Runs the command; `matches` tell which values came from flags or the
/// environment (see `config`).
pub fn run(cli: Cli, matches: &clap::ArgMatches) -> Outcome {
    use std::io::IsTerminal;
    let color = cli.color.enabled(std::io::stdout().is_terminal());
    let sub = |name: &str| {
        matches
            .subcommand_matches(name)
            .cloned()
            .unwrap_or_default()
    };
    let result = match cli.command {
        Command::Check(mut a) => {
            config::resolve(&mut a.settings, &sub("check")).and_then(|_| check::run(a, color))
        }
        Command::Config(a) => config::run(a, &sub("config")),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => man::run(a),
        Command::Test(a) => test::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Fmt(a) => fmt::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Categories(a) => categories::run(a),
        Command::Source(a) => source::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Init(a) => init::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Calendar(a) => calendar::run(a),
        Command::Report(a) => report::run(a),
    };
    match result {
        Ok(outcome) => outcome,
        Err(report) => {
            output::eprint_report(&report);
            Outcome::Error
        }
    }
}

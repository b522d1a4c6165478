//! Findings → what people and programs read: a table for the terminal, a
//! versioned JSON document for pipelines, and the formats CI systems consume
//! (JUnit XML, SARIF, GitHub workflow commands, Markdown for pull requests).

pub mod calendar;
pub mod changes;
pub mod github;
pub mod html;
pub mod ics;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod stream;
pub mod table;
pub mod text;
pub mod timeline_svg;
pub mod versions;

use chrono::NaiveDate;

use crate::evaluate::{Evaluation, Finding, Status, Truth};
use crate::model::RuleSet;
use crate::policy::ExitPolicy;
use crate::profile::Profile;
use crate::waiver::Waivers;

/// The report formats (`--format`, `-o FORMAT:PATH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    /// One JSON object per line: the run, then each product, then the
    /// errors and the totals.
    Jsonl,
    Junit,
    Sarif,
    Markdown,
    /// Markdown that fits a pull-request comment: the tally, the products
    /// that fail, details folded.
    MarkdownSummary,
    Github,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Junit => "junit",
            Format::Sarif => "sarif",
            Format::Markdown => "markdown",
            Format::MarkdownSummary => "markdown-summary",
            Format::Github => "github",
        }
    }
}

/// The longest product name, and word of a reason, that reports repeat in
/// every finding (SARIF results, GitHub annotations); the JSON report keeps
/// each text once and in full.
pub const MAX_REPEATED: usize = 200;

/// The choices of a run that shape one report besides [`RunInfo`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Table: the width to wrap at.
    pub width: u16,
    /// Table: several products (a summary first), as counted from the inputs.
    pub several: bool,
    /// JSON: the schema version to write (1 or 2).
    pub json_version: u32,
    /// SARIF: results below this level are left out.
    pub min_level: sarif::Level,
    /// SARIF: at most this many results (code scanning refuses more).
    pub sarif_cap: usize,
    /// Markdown summary: at most this many bytes.
    pub markdown_budget: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            width: 110,
            several: false,
            json_version: json::SCHEMA_VERSION,
            min_level: sarif::Level::None,
            sarif_cap: sarif::MAX_RESULTS,
            markdown_budget: markdown::COMMENT_BUDGET,
        }
    }
}

/// One report of a run: how a product is rendered (on any thread) and the
/// writer that puts the pieces in order. Clones share the writer's
/// [`stream::Stop`].
#[derive(Debug, Clone)]
pub struct Layout {
    pub format: Format,
    pub options: Options,
    stop: stream::Stop,
    /// JUnit: each rule's test case texts, escaped once for the run.
    junit: junit::RuleTexts,
}

impl Layout {
    pub fn new(format: Format, options: Options) -> Layout {
        Layout {
            format,
            options,
            stop: stream::Stop::default(),
            junit: junit::RuleTexts::default(),
        }
    }

    /// A product's piece of this report.
    pub fn piece(&self, info: &RunInfo, p: &ProductReport) -> stream::Piece {
        use crate::safe_text::{needs_cleaning, text_block};
        if self.format == Format::Table && info.color {
            // Colour codes are ours; anything else a table would carry came
            // from the input. A piece that needs cleaning is shown plain.
            let plain = RunInfo {
                color: false,
                ..info.clone()
            };
            let piece = self.raw_piece(&plain, p);
            let text = String::from_utf8_lossy(&piece.bytes);
            if needs_cleaning(&text) {
                return stream::Piece {
                    bytes: text_block(&text).into_owned().into_bytes(),
                    marks: Vec::new(),
                };
            }
        }
        self.raw_piece(info, p)
    }

    /// What a report's reader may see of a chunk (a head, a product, a
    /// tail), after [`piece`](Self::piece): tables and Markdown as a text
    /// block (control characters visible, no workflow commands), the
    /// machine formats with workflow commands broken in case they are
    /// printed to a CI log; `github` writes workflow commands on purpose and
    /// escapes its own values. A coloured table cleans its own pieces.
    pub fn clean<'b>(&self, color: bool, bytes: &'b [u8]) -> std::borrow::Cow<'b, [u8]> {
        use crate::safe_text::{guard_workflow_commands, text_block};
        use std::borrow::Cow;
        let f: fn(&str) -> Cow<'_, str> = match self.format {
            Format::Table if color => return Cow::Borrowed(bytes),
            Format::Github => return Cow::Borrowed(bytes),
            Format::Table | Format::Markdown | Format::MarkdownSummary => text_block,
            Format::Json | Format::Jsonl | Format::Junit | Format::Sarif => guard_workflow_commands,
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Cow::Borrowed(bytes);
        };
        match f(text) {
            Cow::Borrowed(_) => Cow::Borrowed(bytes),
            Cow::Owned(o) => Cow::Owned(o.into_bytes()),
        }
    }

    fn raw_piece(&self, info: &RunInfo, p: &ProductReport) -> stream::Piece {
        let o = &self.options;
        let mut piece = stream::Piece::default();
        match self.format {
            Format::Table => table::piece(info, p, o, &mut piece),
            Format::Json if o.json_version == 1 => json::piece_v1(info, p, &mut piece),
            Format::Json => json::piece_v2(info, p, &mut piece),
            Format::Jsonl => json::piece_line(info, p, &mut piece),
            Format::Junit => junit::piece(info, p, &self.junit, &mut piece),
            Format::Sarif => sarif::piece(info, p, o, &self.stop, &mut piece),
            Format::Markdown => markdown::piece(info, p, &mut piece),
            Format::MarkdownSummary => markdown::summary_piece(info, p, &mut piece),
            Format::Github => github::piece(info, p, &mut piece),
        }
        piece
    }

    pub fn writer(&self) -> Box<dyn stream::Writer> {
        let o = self.options;
        match self.format {
            Format::Table => Box::new(table::Writer::new(o)),
            Format::Json => Box::new(json::Writer::new(o.json_version)),
            Format::Jsonl => Box::new(json::LinesWriter),
            Format::Junit => Box::new(junit::Writer::default()),
            Format::Sarif => Box::new(sarif::Writer::new(o, self.stop.clone())),
            Format::Markdown => Box::new(markdown::Writer::default()),
            Format::MarkdownSummary => Box::new(markdown::SummaryWriter::new(o.markdown_budget)),
            Format::Github => Box::new(github::Writer::default()),
        }
    }
}

/// Renders one report of products already checked, as a run streams it.
/// `width` is for the table only.
pub fn render(
    format: Format,
    info: &RunInfo,
    products: &[ProductReport],
    errors: &[ProductError],
    width: u16,
) -> String {
    render_with(
        Layout::new(
            format,
            Options {
                width,
                several: products.len() + errors.len() > 1,
                ..Options::default()
            },
        ),
        info,
        products,
        errors,
    )
}

pub fn render_with(
    layout: Layout,
    info: &RunInfo,
    products: &[ProductReport],
    errors: &[ProductError],
) -> String {
    let mut out: Vec<u8> = Vec::new();
    let mut writer = layout.writer();
    let mut run = stream::RunSummary::default();
    let io = (|| -> std::io::Result<()> {
        writer.head(info, &mut out)?;
        for p in products {
            let summary = stream::ProductSummary::of(p, info);
            run.add(&summary);
            writer.product(info, &summary, layout.piece(info, p), &mut out)?;
        }
        writer.tail(info, &run, errors, &mut out)
    })();
    io.expect("writing to memory does not fail");
    let out = layout.clean(info.color, &out).into_owned();
    String::from_utf8(out).expect("reports are UTF-8")
}

/// The profile key that decided a finding, for annotations: the last
/// condition read as true (in a scope such as `category is motor and
/// rated_voltage_ac_v is above 36`, the voltage is what brought the rule
/// in), else the product's category.
pub fn deciding_path<'f>(f: &'f Finding) -> &'f str {
    f.checks
        .iter()
        .rev()
        .find(|c| c.result == Truth::True && !c.path.is_empty())
        .map(|c| c.path)
        .unwrap_or("category")
}

/// (line, column) in the profile of the key that decided a finding.
pub fn deciding_position(f: &Finding, profile: &Profile) -> Option<(usize, usize)> {
    profile
        .position(deciding_path(f))
        .or_else(|| profile.position("category"))
}

/// The findings for one product, sorted for reading: most urgent status
/// first, then nearest date, then topic and rule id (a total order, so output
/// is identical run after run).
pub struct ProductReport<'r> {
    pub profile: Profile,
    pub findings: Vec<Finding<'r>>,
    /// Rules found not applicable whose findings were not kept (`check`
    /// without `--all`): counted as not applicable, never listed.
    pub omitted: usize,
    /// With `--baseline`: what the baseline had open that is closed now.
    pub resolved: Vec<crate::baseline::Resolved>,
}

impl<'r> ProductReport<'r> {
    pub fn new(profile: Profile, findings: Vec<Finding<'r>>) -> Self {
        // A stable sort, so equal keys keep the rules' order. The places
        // are sorted, not the findings: a finding is large, and sorting
        // moved each of them many times.
        let mut order: Vec<usize> = (0..findings.len()).collect();
        order.sort_by_key(|&i| {
            let f = &findings[i];
            let r: &'r crate::model::Rule = f.rule;
            (f.status, f.deadline.or(f.effective), &r.topic, &r.id)
        });
        let mut slots: Vec<Option<Finding<'r>>> = findings.into_iter().map(Some).collect();
        // Collected to its exact length: a catalogue keeps every product's
        // findings until the report is written, and spare capacity would
        // be a third of that memory.
        let findings = order
            .into_iter()
            .map(|i| slots[i].take().expect("each place is taken once"))
            .collect();
        ProductReport {
            profile,
            findings,
            omitted: 0,
            resolved: Vec::new(),
        }
    }

    pub fn from_evaluation(profile: Profile, evaluation: Evaluation<'r>) -> Self {
        ProductReport {
            omitted: evaluation.omitted,
            ..ProductReport::new(profile, evaluation.findings)
        }
    }

    pub fn count(&self, status: Status) -> usize {
        let kept = self.findings.iter().filter(|f| f.status == status).count();
        match status {
            Status::NotApplicable => kept + self.omitted,
            _ => kept,
        }
    }

    /// The nearest future date among findings that will bind the product.
    pub fn nearest_deadline(&self) -> Option<NaiveDate> {
        self.findings
            .iter()
            .filter(|f| matches!(f.status, Status::Upcoming | Status::InTransition))
            .filter_map(|f| f.deadline)
            .min()
    }

    /// How many findings fail the run under `policy`.
    pub fn failing(&self, policy: &ExitPolicy) -> usize {
        self.findings.iter().filter(|f| policy.fails(f)).count()
    }

    pub fn visible(&self, all: bool) -> impl Iterator<Item = &Finding<'r>> {
        self.findings
            .iter()
            .filter(move |f| all || f.status != Status::NotApplicable)
    }

    /// The watch items to list "on the horizon": drafts and plans known to
    /// concern the product; with `watch`, also those that only may.
    pub fn horizon(&self, watch: bool) -> impl Iterator<Item = &Finding<'r>> {
        self.findings.iter().filter(move |f| {
            f.rule.is_watch()
                && f.status != Status::NotApplicable
                && (watch || f.missing.is_empty())
        })
    }
}

/// Everything a report needs besides the products.
#[derive(Clone)]
pub struct RunInfo<'a> {
    pub as_of: NaiveDate,
    pub rules: &'a RuleSet,
    /// "bundled" or the directory the rules were read from.
    pub rules_source: String,
    pub show_all: bool,
    /// Table: each product's findings even when several are checked.
    pub details: bool,
    /// Table: colour the statuses (`--color`, `NO_COLOR`).
    pub color: bool,
    pub policy: &'a ExitPolicy,
    pub waivers: Option<&'a Waivers>,
    /// The company section: company rules, reported once per run.
    pub company: Option<&'a CompanyReport<'a>>,
    /// Also list watch items that only may concern a product (`--watch`).
    pub watch: bool,
    /// `--baseline`: the earlier run findings are compared with.
    pub baseline: Option<&'a crate::baseline::Baseline>,
}

/// The company's obligations for a run: every `binds company` rule that bears
/// on at least one product, once, with the products that brought it in. They
/// are taken out of the products' findings, so they never count in a
/// product's pass/fail; an unmet one in force still fails the run.
#[derive(Default)]
pub struct CompanyReport<'r> {
    pub company: Option<crate::profile::company::Company>,
    /// The most urgent finding of each company rule across the products,
    /// and the names of the products it bears on; sorted like a product's.
    pub findings: Vec<(Finding<'r>, Vec<String>)>,
    /// With `--baseline`: company findings the baseline had open that are
    /// closed now.
    pub resolved: Option<Vec<crate::baseline::Resolved>>,
}

impl<'r> CompanyReport<'r> {
    /// Moves the company findings out of each product's report.
    pub fn collect(
        company: Option<crate::profile::company::Company>,
        products: &mut [ProductReport<'r>],
    ) -> CompanyReport<'r> {
        let mut report = CompanyReport {
            company,
            findings: Vec::new(),
            resolved: None,
        };
        for p in products.iter_mut() {
            let findings = CompanyReport::take(p);
            report.add(&p.profile.name, findings);
        }
        report.sort();
        report
    }

    /// Takes a product's company findings out of its report (those that do
    /// not apply are counted as omitted), for [`add`](Self::add). A run
    /// that streams its products calls this on the checking thread.
    pub fn take(p: &mut ProductReport<'r>) -> Vec<Finding<'r>> {
        // Taken out in place: the product's own findings (most of them)
        // stay where they are, in their order.
        let mut bearing: Vec<Finding<'r>> = p
            .findings
            .extract_if(.., |f| f.rule.section() == crate::model::Section::Company)
            .collect();
        let taken = bearing.len();
        bearing.retain(|f| f.status != Status::NotApplicable);
        p.omitted += taken - bearing.len();
        bearing
    }

    /// Adds one product's company findings: each rule keeps its most urgent
    /// finding and the names of the products it bears on.
    pub fn add(&mut self, product: &str, findings: Vec<Finding<'r>>) {
        for f in findings {
            match self
                .findings
                .iter_mut()
                .find(|(k, _)| k.rule.id == f.rule.id)
            {
                Some((kept, names)) => {
                    names.push(product.to_string());
                    if f.status < kept.status {
                        *kept = f;
                    }
                }
                None => self.findings.push((f, vec![product.to_string()])),
            }
        }
    }

    /// Sorts the findings like a product's (call once, after the last
    /// [`add`](Self::add)).
    pub fn sort(&mut self) {
        self.findings.sort_by(|(a, _), (b, _)| {
            (
                a.status,
                a.deadline.or(a.effective),
                &a.rule.topic,
                &a.rule.id,
            )
                .cmp(&(
                    b.status,
                    b.deadline.or(b.effective),
                    &b.rule.topic,
                    &b.rule.id,
                ))
        });
    }

    /// The company obligations that wait for facts the run was not given.
    pub fn unanswered(&self) -> usize {
        self.findings
            .iter()
            .filter(|(f, _)| f.status == Status::NeedsInfo)
            .count()
    }

    pub fn failing(&self, policy: &ExitPolicy) -> usize {
        self.findings
            .iter()
            .filter(|(f, _)| policy.fails_company(f))
            .count()
    }

    /// The findings to list one by one; those waiting for facts are summed
    /// up in [`unanswered_line`](Self::unanswered_line).
    pub fn listed(&self) -> impl Iterator<Item = &(Finding<'r>, Vec<String>)> {
        self.findings
            .iter()
            .filter(|(f, _)| f.status != Status::NeedsInfo)
    }

    /// The one line for company obligations that depend on facts not given.
    pub fn unanswered_line(&self) -> Option<String> {
        let n = self.unanswered();
        (n > 0).then(|| {
            let what = if n == 1 {
                "obligation depends"
            } else {
                "obligations depend"
            };
            match &self.company {
                None => format!(
                    "{n} company {what} on facts not given: add a company file (see README)"
                ),
                Some(c) => {
                    let mut facts: Vec<&str> = self
                        .findings
                        .iter()
                        .filter(|(f, _)| f.status == Status::NeedsInfo)
                        .flat_map(|(f, _)| f.missing.iter().map(|m| m.as_str()))
                        .collect();
                    facts.sort_unstable();
                    facts.dedup();
                    format!(
                        "{n} company {what} on facts not given: add {} to {}",
                        facts.join(", "),
                        c.origin
                    )
                }
            }
        })
    }
}

impl RunInfo<'_> {
    pub fn baseline_summary(&self) -> Option<crate::baseline::BaselineSummary> {
        self.baseline.map(|b| b.summary())
    }
}

/// A profile that could not be read, reported in place of its findings.
pub struct ProductError {
    pub origin: String,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

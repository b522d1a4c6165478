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
    Junit,
    Sarif,
    Markdown,
    Github,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Junit => "junit",
            Format::Sarif => "sarif",
            Format::Markdown => "markdown",
            Format::Github => "github",
        }
    }
}

/// The longest product name, and word of a reason, that reports repeat in
/// every finding (SARIF results, GitHub annotations); the JSON report keeps
/// each text once and in full.
pub const MAX_REPEATED: usize = 200;

/// Renders one report. `width` is for the table only.
pub fn render(
    format: Format,
    info: &RunInfo,
    products: &[ProductReport],
    errors: &[ProductError],
    width: u16,
) -> String {
    use crate::safe_text::{guard_workflow_commands, needs_cleaning, text_block};
    match format {
        Format::Table if info.color => {
            // Colour codes are ours; anything else a table would carry came
            // from the input. A table that needs cleaning is shown plain.
            let plain = RunInfo {
                color: false,
                ..info.clone()
            };
            let text = table::render(&plain, products, errors, width);
            if needs_cleaning(&text) {
                text_block(&text).into_owned()
            } else {
                table::render(info, products, errors, width)
            }
        }
        Format::Table => clean(table::render(info, products, errors, width), text_block),
        Format::Markdown => clean(markdown::render(info, products, errors), text_block),
        // Escaped by their encoders; the guard only matters if one is
        // printed to a CI log.
        Format::Json => clean(
            json::render(info, products, errors),
            guard_workflow_commands,
        ),
        Format::Junit => clean(
            junit::render(info, products, errors),
            guard_workflow_commands,
        ),
        Format::Sarif => clean(
            sarif::render(info, products, errors),
            guard_workflow_commands,
        ),
        // Workflow commands on purpose; each escapes its own values.
        Format::Github => github::render(info, products, errors),
    }
}

/// `text` through `f`, without a copy when nothing changes.
fn clean(text: String, f: fn(&str) -> std::borrow::Cow<'_, str>) -> String {
    match f(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(o) => o,
    }
}

/// The profile key that decided a finding, for annotations: the first
/// condition read as true (the scope that brought the rule in), else the
/// product's category.
pub fn deciding_path<'f>(f: &'f Finding) -> &'f str {
    f.checks
        .iter()
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
}

impl<'r> ProductReport<'r> {
    pub fn new(profile: Profile, mut findings: Vec<Finding<'r>>) -> Self {
        // A stable sort, so equal keys keep the rules' order.
        findings.sort_by_key(|f| {
            let r: &'r crate::model::Rule = f.rule;
            (f.status, f.deadline.or(f.effective), &r.topic, &r.id)
        });
        // A catalogue keeps every product's findings until the report is
        // written; spare capacity would be a third of that memory.
        findings.shrink_to_fit();
        ProductReport {
            profile,
            findings,
            omitted: 0,
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
}

impl<'r> CompanyReport<'r> {
    /// Moves the company findings out of each product's report.
    pub fn collect(
        company: Option<crate::profile::company::Company>,
        products: &mut [ProductReport<'r>],
    ) -> CompanyReport<'r> {
        let mut by_rule: std::collections::BTreeMap<String, (Finding<'r>, Vec<String>)> =
            Default::default();
        for p in products.iter_mut() {
            let (company_findings, own): (Vec<_>, Vec<_>) = std::mem::take(&mut p.findings)
                .into_iter()
                .partition(|f| f.rule.section() == crate::model::Section::Company);
            p.findings = own;
            for f in company_findings {
                if f.status == Status::NotApplicable {
                    p.omitted += 1;
                    continue;
                }
                match by_rule.get_mut(&f.rule.id) {
                    Some((kept, names)) => {
                        names.push(p.profile.name.clone());
                        if f.status < kept.status {
                            *kept = f;
                        }
                    }
                    None => {
                        by_rule.insert(f.rule.id.clone(), (f, vec![p.profile.name.clone()]));
                    }
                }
            }
        }
        let mut findings: Vec<_> = by_rule.into_values().collect();
        findings.sort_by(|(a, _), (b, _)| {
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
        CompanyReport { company, findings }
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

/// A profile that could not be read, reported in place of its findings.
pub struct ProductError {
    pub origin: String,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

//! The JSON reports. Schema version 2 (the default) states each rule's text
//! once, in `rules.by_id`, and findings refer to it by `rule_id`; version 1
//! (`--json-schema-version 1`) repeats the rule in every finding. `jsonl` is
//! version 2 with one object a line. The field names and meanings are a
//! public interface (README "JSON output"): add fields freely, but rename or
//! remove one only with a new `schema_version`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::baseline::BaselineState;
use crate::evaluate::{Check, Finding, Status, WaiverNote};
use crate::model::{binding_str, Rule};

use super::stream::{self, compact, pretty_at, Piece, ProductSummary, RunSummary};
use super::{ProductError, ProductReport, RunInfo};

pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
pub struct Document<'a> {
    pub schema_version: u32,
    pub tool: Tool,
    pub as_of: String,
    pub rules: RulesInfo,
    pub products: Vec<Product<'a>>,
    pub errors: Vec<ErrorEntry>,
    pub totals: Totals,
    /// The `--waivers` file's entries and how they were used; null without one.
    pub waivers: Option<WaiversOut>,
    /// The company section: company rules, once per run (added in 0.1 without a
    /// schema change: old readers ignore it). Null when the command has none.
    pub company: Option<CompanyOutOf<'a, FindingOut<'a>>>,
}

#[derive(Serialize)]
pub struct CompanyFinding<'a, F> {
    #[serde(flatten)]
    pub finding: F,
    /// Names of the products that brought the rule in.
    pub products: &'a [String],
}

/// The `company` object: company findings once per run, as schema 1
/// (`FindingOut`, the rule in each) or 2 (`FindingV2`, the rule in `rules`)
/// writes findings.
#[derive(Serialize)]
pub struct CompanyOutOf<'a, F> {
    pub file: Option<&'a str>,
    pub name: Option<&'a str>,
    pub summary: Summary,
    pub failing: usize,
    pub unanswered: usize,
    pub findings: Vec<CompanyFinding<'a, F>>,
    /// With `--baseline`: company findings the baseline had open that are
    /// closed now (absent without a baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<&'a [crate::baseline::Resolved]>,
}

fn company_out<'a, F>(
    info: &'a RunInfo,
    finding_of: impl Fn(&'a Finding<'a>) -> F,
) -> Option<CompanyOutOf<'a, F>> {
    info.company.map(|c| {
        let mut summary = Summary::default();
        for (f, _) in &c.findings {
            summary.add(f.status);
        }
        CompanyOutOf {
            file: c.company.as_ref().map(|co| co.origin.as_str()),
            name: c.company.as_ref().map(|co| co.name.as_str()),
            summary,
            failing: c.failing(info.policy),
            unanswered: c.unanswered(),
            findings: c
                .findings
                .iter()
                .map(|(f, products)| CompanyFinding {
                    finding: finding_of(f),
                    products,
                })
                .collect(),
            resolved: c.resolved.as_deref(),
        }
    })
}

fn company_v1<'a>(info: &'a RunInfo) -> Option<CompanyOutOf<'a, FindingOut<'a>>> {
    company_out(info, |f| FindingOut {
        fails: info.policy.fails_company(f),
        ..finding(f, info)
    })
}

fn company_v2<'a>(info: &'a RunInfo) -> Option<CompanyOutOf<'a, FindingV2<'a>>> {
    company_out(info, |f| FindingV2 {
        fails: info.policy.fails_company(f),
        ..finding_v2(f, info)
    })
}

#[derive(Serialize)]
pub struct WaiversOut {
    pub file: String,
    pub entries: Vec<WaiverEntry>,
}

#[derive(Serialize)]
pub struct WaiverEntry {
    pub rule_id: String,
    pub products: String,
    pub approver: String,
    pub expires: String,
    pub expired: bool,
    /// Findings the waiver covered in this run (waived, or noted as expired).
    pub matched: usize,
    pub line: usize,
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct RulesInfo {
    pub source: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct Totals {
    pub products: usize,
    pub errors: usize,
    pub by_status: Summary,
    /// Findings that fail the run under the exit policy (`--fail-on`).
    pub failing: usize,
}

#[derive(Serialize, Default, Clone)]
pub struct Summary {
    pub applies: usize,
    pub in_transition: usize,
    pub needs_info: usize,
    pub upcoming: usize,
    pub met: usize,
    pub waived: usize,
    pub informational: usize,
    pub not_applicable: usize,
}

impl Summary {
    fn add(&mut self, s: Status) {
        match s {
            Status::Applies => self.applies += 1,
            Status::InTransition => self.in_transition += 1,
            Status::NeedsInfo => self.needs_info += 1,
            Status::Upcoming => self.upcoming += 1,
            Status::Met => self.met += 1,
            Status::Waived => self.waived += 1,
            Status::Informational => self.informational += 1,
            Status::NotApplicable => self.not_applicable += 1,
        }
    }
}

#[derive(Serialize)]
pub struct Product<'a> {
    pub profile: &'a str,
    pub name: &'a str,
    pub category: Category<'a>,
    pub summary: Summary,
    pub nearest_deadline: Option<String>,
    /// Findings that fail the run under the exit policy.
    pub failing: usize,
    pub findings: Vec<FindingOut<'a>>,
}

#[derive(Serialize)]
pub struct Category<'a> {
    pub id: &'a str,
    pub input: &'a str,
}

#[derive(Serialize)]
pub struct FindingOut<'a> {
    pub rule_id: &'a str,
    pub title: &'a str,
    pub topic: &'a str,
    pub status: Status,
    /// Whether this finding fails the run under the exit policy.
    pub fails: bool,
    pub reason: &'a str,
    pub instrument: &'a str,
    pub authority: &'a str,
    pub standards: &'a [crate::model::Text],
    pub rule_status: &'static str,
    pub binding: &'static str,
    /// Whom the rule binds: product | company | nobody.
    pub binds: &'static str,
    /// Where the finding belongs: product | company | watch.
    pub section: &'static str,
    pub source: Source<'a>,
    pub dates: Dates,
    pub obligation: Obligation<'a>,
    pub evidence: EvidenceOut<'a>,
    pub missing_facts: &'a [String],
    pub explanation: &'a str,
    pub conditions: &'a [Check<'a>],
    /// The waiver covering this finding (in force, or expired), or null.
    pub waiver: Option<WaiverOut<'a>>,
}

#[derive(Serialize)]
pub struct WaiverOut<'a> {
    pub justification: &'a str,
    pub approver: &'a str,
    pub expires: String,
    pub expired: bool,
    /// The finding's status without the waiver.
    pub status_without_waiver: Status,
    /// `FILE:LINE` of the waiver.
    pub waiver: &'a str,
}

impl<'a> From<&'a WaiverNote> for WaiverOut<'a> {
    fn from(w: &'a WaiverNote) -> Self {
        WaiverOut {
            justification: &w.justification,
            approver: &w.approver,
            expires: w.expires.to_string(),
            expired: w.expired,
            status_without_waiver: w.status_without,
            waiver: &w.at,
        }
    }
}

#[derive(Serialize)]
pub struct Source<'a> {
    pub file: &'a str,
    pub section: &'a str,
    /// The citation as a reader writes it (newsletter title and issue,
    /// article number, heading without markup); added in round 2.
    pub citation: String,
}

#[derive(Serialize)]
pub struct Dates {
    pub published: Option<String>,
    pub effective: Option<String>,
    pub case: Option<String>,
    pub transition_until: Option<String>,
    pub repealed: Option<String>,
    pub superseded_by: Option<String>,
    pub superseded_on: Option<String>,
    pub deadline: Option<String>,
    pub days_left: Option<i64>,
}

#[derive(Serialize)]
pub struct Obligation<'a> {
    pub kind: &'static str,
    pub text: &'a str,
    pub met_by: Option<String>,
}

#[derive(Serialize)]
pub struct EvidenceOut<'a> {
    pub met: bool,
    pub notes: &'a [String],
}

#[derive(Serialize)]
pub struct ErrorEntry {
    pub profile: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

/// Version 1: the version 2 finding with its rule's entry merged in, in
/// version 1's field order.
fn finding<'a>(f: &'a Finding<'a>, info: &RunInfo) -> FindingOut<'a> {
    let rule = rule_out(f.rule);
    let own = finding_v2(f, info);
    FindingOut {
        rule_id: own.rule_id,
        title: rule.title,
        topic: rule.topic,
        status: own.status,
        fails: own.fails,
        reason: own.reason,
        instrument: rule.instrument,
        authority: rule.authority,
        standards: rule.standards,
        rule_status: rule.rule_status,
        binding: rule.binding,
        binds: rule.binds,
        section: rule.section,
        source: rule.source,
        dates: Dates {
            published: rule.dates.published,
            effective: date(own.dates.effective),
            case: own.dates.case.map(str::to_string),
            transition_until: date(own.dates.transition_until),
            repealed: rule.dates.repealed,
            superseded_by: rule.dates.superseded_by,
            superseded_on: rule.dates.superseded_on,
            deadline: date(own.dates.deadline),
            days_left: own.dates.days_left,
        },
        obligation: rule.obligation,
        evidence: own.evidence,
        missing_facts: own.missing_facts,
        // Version 1 states the explanation in every finding.
        explanation: &f.explanation,
        conditions: own.conditions,
        waiver: own.waiver,
    }
}

/// Version 2: what a finding says about this product; the rule's own text
/// is in `rules.by_id[rule_id]`.
#[derive(Serialize)]
pub struct FindingV2<'a> {
    pub rule_id: &'a str,
    pub status: Status,
    pub fails: bool,
    pub reason: &'a str,
    pub dates: FindingDates<'a>,
    pub evidence: EvidenceOut<'a>,
    pub missing_facts: &'a [String],
    /// Null when it is the rule's `explanation`; a text when the rule's
    /// explanation quotes profile values.
    pub explanation: Option<&'a str>,
    pub conditions: &'a [Check<'a>],
    pub waiver: Option<WaiverOut<'a>>,
    /// With `--baseline`: new, unchanged or updated; null otherwise.
    pub baseline: Option<BaselineState>,
}

/// Dates are written as `YYYY-MM-DD` (chrono's serialisation), without a
/// string made for each.
#[derive(Serialize)]
pub struct FindingDates<'a> {
    pub effective: Option<chrono::NaiveDate>,
    pub case: Option<&'a str>,
    pub transition_until: Option<chrono::NaiveDate>,
    pub deadline: Option<chrono::NaiveDate>,
    pub days_left: Option<i64>,
}

/// Version 2: a rule as every finding of it would repeat it.
#[derive(Serialize)]
pub struct RuleOut<'a> {
    pub title: &'a str,
    pub topic: &'a str,
    pub instrument: &'a str,
    pub authority: &'a str,
    pub standards: &'a [crate::model::Text],
    pub rule_status: &'static str,
    pub binding: &'static str,
    /// Whom the rule binds: product | company | nobody.
    pub binds: &'static str,
    /// Where its findings are reported: product | company | watch.
    pub section: &'static str,
    pub source: Source<'a>,
    pub dates: RuleDates,
    pub obligation: Obligation<'a>,
    pub explanation: &'a str,
}

#[derive(Serialize)]
pub struct RuleDates {
    pub published: Option<String>,
    pub effective: Option<String>,
    pub repealed: Option<String>,
    pub superseded_by: Option<String>,
    pub superseded_on: Option<String>,
}

#[derive(Serialize)]
pub struct RulesTable<'a> {
    pub source: &'a str,
    pub count: usize,
    pub by_id: BTreeMap<&'a str, RuleOut<'a>>,
}

/// Version 2: a product, with what the baseline had open and no longer does.
#[derive(Serialize)]
pub struct ProductV2<'a> {
    pub profile: &'a str,
    pub name: &'a str,
    pub category: Category<'a>,
    pub summary: Summary,
    pub nearest_deadline: Option<String>,
    pub failing: usize,
    pub findings: Vec<FindingV2<'a>>,
    /// With `--baseline`: findings the baseline had open that are closed now.
    pub resolved: &'a [crate::baseline::Resolved],
}

fn date(x: Option<chrono::NaiveDate>) -> Option<String> {
    x.map(|d| d.to_string())
}

fn finding_v2<'a>(f: &'a Finding<'a>, info: &RunInfo) -> FindingV2<'a> {
    let r = f.rule;
    FindingV2 {
        rule_id: &r.id,
        status: f.status,
        fails: info.policy.fails(f),
        reason: &f.reason,
        dates: FindingDates {
            effective: f.effective.or_else(|| r.first_effective()),
            case: f.case.as_deref(),
            transition_until: f.transition_until,
            deadline: f.deadline,
            days_left: f.days_left,
        },
        evidence: EvidenceOut {
            met: f.evidence.met,
            notes: &f.evidence.notes,
        },
        missing_facts: &f.missing,
        explanation: (f.explanation != r.explain.as_str()).then_some(&*f.explanation),
        conditions: &f.checks,
        waiver: f.waiver.as_ref().map(WaiverOut::from),
        baseline: f.baseline,
    }
}

fn rule_out(r: &Rule) -> RuleOut<'_> {
    RuleOut {
        title: &r.title,
        topic: &r.topic,
        instrument: &r.instrument,
        authority: &r.authority,
        standards: &r.standards,
        rule_status: r.status.as_str(),
        binding: binding_str(r.binding),
        binds: r.binds.as_str(),
        section: r.section().as_str(),
        source: Source {
            file: &r.source.file,
            section: &r.source.section,
            citation: crate::bundled::citation(&r.source),
        },
        dates: RuleDates {
            published: date(r.published),
            effective: date(r.first_effective()),
            repealed: date(r.repealed),
            superseded_by: r.superseded_by.as_ref().map(|s| s.by.to_string()),
            superseded_on: r.superseded_by.as_ref().and_then(|s| date(s.on)),
        },
        obligation: Obligation {
            kind: r.obligation_kind.as_str(),
            text: &r.obligation,
            met_by: r.met_by.as_ref().map(|m| m.describe()),
        },
        explanation: &r.explain,
    }
}

fn rules_table<'a>(info: &'a RunInfo) -> RulesTable<'a> {
    RulesTable {
        source: &info.rules_source,
        count: info.rules.rules.len(),
        by_id: stream::rules_by_id(info.rules)
            .into_iter()
            .map(|r| (r.id.as_str(), rule_out(r)))
            .collect(),
    }
}

fn summary_of(p: &ProductReport) -> Summary {
    let mut summary = Summary::default();
    for f in &p.findings {
        summary.add(f.status);
    }
    summary.not_applicable += p.omitted;
    summary
}

fn category<'a>(info: &'a RunInfo, p: &'a ProductReport) -> Category<'a> {
    Category {
        id: &info.rules.vocabulary.categories[p.profile.category].id,
        input: &p.profile.category_input,
    }
}

fn product_v1<'a>(info: &'a RunInfo, p: &'a ProductReport) -> Product<'a> {
    Product {
        profile: &p.profile.origin,
        name: &p.profile.name,
        category: category(info, p),
        summary: summary_of(p),
        nearest_deadline: p.nearest_deadline().map(|d| d.to_string()),
        failing: p.failing(info.policy),
        findings: p.visible(info.show_all).map(|f| finding(f, info)).collect(),
    }
}

fn product_v2<'a>(info: &'a RunInfo, p: &'a ProductReport) -> ProductV2<'a> {
    ProductV2 {
        profile: &p.profile.origin,
        name: &p.profile.name,
        category: category(info, p),
        summary: summary_of(p),
        nearest_deadline: p.nearest_deadline().map(|d| d.to_string()),
        failing: p.failing(info.policy),
        findings: p
            .visible(info.show_all)
            .map(|f| finding_v2(f, info))
            .collect(),
        resolved: &p.resolved,
    }
}

/// A product as an element of `products` (two levels deep).
pub fn piece_v1(info: &RunInfo, p: &ProductReport, out: &mut Piece) {
    pretty_at(&product_v1(info, p), 2, &mut out.bytes);
}

pub fn piece_v2(info: &RunInfo, p: &ProductReport, out: &mut Piece) {
    pretty_at(&product_v2(info, p), 2, &mut out.bytes);
}

/// A product as one line of `jsonl`.
pub fn piece_line(info: &RunInfo, p: &ProductReport, out: &mut Piece) {
    #[derive(Serialize)]
    struct Line<'a> {
        r#type: &'static str,
        #[serde(flatten)]
        product: ProductV2<'a>,
    }
    compact(
        &Line {
            r#type: "product",
            product: product_v2(info, p),
        },
        &mut out.bytes,
    );
    out.bytes.push(b'\n');
}

fn tool() -> Tool {
    Tool {
        name: "cncomply",
        version: env!("CARGO_PKG_VERSION"),
    }
}

fn totals(run: &RunSummary, errors: &[ProductError]) -> Totals {
    let mut by_status = Summary::default();
    for s in Status::ALL {
        let n = run.count(s);
        match s {
            Status::Applies => by_status.applies = n,
            Status::InTransition => by_status.in_transition = n,
            Status::NeedsInfo => by_status.needs_info = n,
            Status::Upcoming => by_status.upcoming = n,
            Status::Met => by_status.met = n,
            Status::Waived => by_status.waived = n,
            Status::Informational => by_status.informational = n,
            Status::NotApplicable => by_status.not_applicable = n,
        }
    }
    Totals {
        products: run.products,
        errors: errors.len(),
        by_status,
        failing: run.failing,
    }
}

fn waivers_out(info: &RunInfo) -> Option<WaiversOut> {
    info.waivers.map(|w| WaiversOut {
        file: w.origin.clone(),
        entries: w
            .list
            .iter()
            .map(|e| WaiverEntry {
                rule_id: e.rule.clone(),
                products: e.selector(info.rules),
                approver: e.approver.clone(),
                expires: e.expires.to_string(),
                expired: e.is_expired(info.as_of),
                matched: e.matched(),
                line: e.line,
            })
            .collect(),
    })
}

fn error_entries(errors: &[ProductError]) -> Vec<ErrorEntry> {
    errors
        .iter()
        .map(|e| ErrorEntry {
            profile: e.origin.clone(),
            line: e.line,
            column: e.column,
            message: e.message.clone(),
        })
        .collect()
}

/// The document around the products, written as serde_json's pretty
/// printer would write it whole.
pub struct Writer {
    version: u32,
    written: usize,
}

impl Writer {
    pub fn new(version: u32) -> Writer {
        Writer {
            version,
            written: 0,
        }
    }
}

fn key(out: &mut Vec<u8>, first: bool, name: &str) {
    out.extend_from_slice(if first { b"{\n  " } else { b",\n  " });
    compact(name, out);
    out.extend_from_slice(b": ");
}

impl stream::Writer for Writer {
    fn head(&mut self, info: &RunInfo, w: &mut dyn Write) -> io::Result<()> {
        let mut out = Vec::new();
        key(&mut out, true, "schema_version");
        compact(&self.version, &mut out);
        key(&mut out, false, "tool");
        pretty_at(&tool(), 1, &mut out);
        key(&mut out, false, "as_of");
        compact(&info.as_of.to_string(), &mut out);
        key(&mut out, false, "rules");
        if self.version == 1 {
            let rules = RulesInfo {
                source: info.rules_source.clone(),
                count: info.rules.rules.len(),
            };
            pretty_at(&rules, 1, &mut out);
        } else {
            pretty_at(&rules_table(info), 1, &mut out);
        }
        key(&mut out, false, "products");
        out.push(b'[');
        w.write_all(&out)
    }

    fn product(
        &mut self,
        _info: &RunInfo,
        _summary: &ProductSummary,
        piece: Piece,
        w: &mut dyn Write,
    ) -> io::Result<()> {
        w.write_all(if self.written == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        self.written += 1;
        w.write_all(&piece.bytes)
    }

    fn tail(
        &mut self,
        info: &RunInfo,
        run: &RunSummary,
        errors: &[ProductError],
        w: &mut dyn Write,
    ) -> io::Result<()> {
        let mut out = Vec::new();
        out.extend_from_slice(if self.written == 0 { b"]" } else { b"\n  ]" });
        key(&mut out, false, "errors");
        pretty_at(&error_entries(errors), 1, &mut out);
        key(&mut out, false, "totals");
        pretty_at(&totals(run, errors), 1, &mut out);
        key(&mut out, false, "waivers");
        pretty_at(&waivers_out(info), 1, &mut out);
        key(&mut out, false, "company");
        if self.version == 1 {
            pretty_at(&company_v1(info), 1, &mut out);
        } else {
            pretty_at(&company_v2(info), 1, &mut out);
        }
        if self.version >= 2 {
            key(&mut out, false, "baseline");
            pretty_at(&info.baseline_summary(), 1, &mut out);
        }
        out.extend_from_slice(b"\n}\n");
        w.write_all(&out)
    }
}

/// `jsonl`: a `run` line (tool, date, the rules table), a `product` line
/// per product, an `error` line per profile not checked, a `totals` line.
pub struct LinesWriter;

impl stream::Writer for LinesWriter {
    fn head(&mut self, info: &RunInfo, w: &mut dyn Write) -> io::Result<()> {
        #[derive(Serialize)]
        struct Run<'a> {
            r#type: &'static str,
            schema_version: u32,
            tool: Tool,
            as_of: String,
            rules: RulesTable<'a>,
        }
        let mut out = Vec::new();
        compact(
            &Run {
                r#type: "run",
                schema_version: SCHEMA_VERSION,
                tool: tool(),
                as_of: info.as_of.to_string(),
                rules: rules_table(info),
            },
            &mut out,
        );
        out.push(b'\n');
        w.write_all(&out)
    }

    fn tail(
        &mut self,
        info: &RunInfo,
        run: &RunSummary,
        errors: &[ProductError],
        w: &mut dyn Write,
    ) -> io::Result<()> {
        #[derive(Serialize)]
        struct Tagged<T> {
            r#type: &'static str,
            #[serde(flatten)]
            body: T,
        }
        #[derive(Serialize)]
        struct End<'a> {
            totals: Totals,
            waivers: Option<WaiversOut>,
            company: Option<CompanyOutOf<'a, FindingV2<'a>>>,
            baseline: Option<crate::baseline::BaselineSummary>,
        }
        let mut out = Vec::new();
        for e in error_entries(errors) {
            compact(
                &Tagged {
                    r#type: "error",
                    body: e,
                },
                &mut out,
            );
            out.push(b'\n');
        }
        compact(
            &Tagged {
                r#type: "totals",
                body: End {
                    totals: totals(run, errors),
                    waivers: waivers_out(info),
                    company: company_v2(info),
                    baseline: info.baseline_summary(),
                },
            },
            &mut out,
        );
        out.push(b'\n');
        w.write_all(&out)
    }
}

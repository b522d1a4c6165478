//! The JSON report, schema version 1. The field names and meanings are a
//! public interface (README "JSON output"): add fields freely, but rename or
//! remove one only with a new `schema_version`.

use serde::Serialize;

use crate::evaluate::{Check, Finding, Status, WaiverNote};
use crate::model::binding_str;

use super::{ProductError, ProductReport, RunInfo};

pub const SCHEMA_VERSION: u32 = 1;

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
    pub company: Option<CompanyOut<'a>>,
}

#[derive(Serialize)]
pub struct CompanyOut<'a> {
    /// The company file, or null when none was given or found.
    pub file: Option<&'a str>,
    pub name: Option<&'a str>,
    pub summary: Summary,
    /// Company findings that fail the run under the exit policy.
    pub failing: usize,
    /// Company obligations that depend on facts not given.
    pub unanswered: usize,
    pub findings: Vec<CompanyFinding<'a>>,
}

#[derive(Serialize)]
pub struct CompanyFinding<'a> {
    #[serde(flatten)]
    pub finding: FindingOut<'a>,
    /// Names of the products that brought the rule in.
    pub products: &'a [String],
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
    pub standards: &'a [String],
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

fn finding<'a>(f: &'a Finding<'a>, info: &RunInfo) -> FindingOut<'a> {
    let r = f.rule;
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string());
    FindingOut {
        rule_id: &r.id,
        title: &r.title,
        topic: &r.topic,
        status: f.status,
        fails: info.policy.fails(f),
        reason: &f.reason,
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
        dates: Dates {
            published: d(r.published),
            effective: d(f.effective.or_else(|| r.first_effective())),
            case: f.case.clone(),
            transition_until: d(f.transition_until),
            repealed: d(r.repealed),
            superseded_by: r.superseded_by.as_ref().map(|s| s.by.clone()),
            superseded_on: r.superseded_by.as_ref().and_then(|s| d(s.on)),
            deadline: d(f.deadline),
            days_left: f.days_left,
        },
        obligation: Obligation {
            kind: r.obligation_kind.as_str(),
            text: &r.obligation,
            met_by: r.met_by.as_ref().map(|m| m.describe()),
        },
        evidence: EvidenceOut {
            met: f.evidence.met,
            notes: &f.evidence.notes,
        },
        missing_facts: &f.missing,
        explanation: &f.explanation,
        conditions: &f.checks,
        waiver: f.waiver.as_ref().map(WaiverOut::from),
    }
}

pub fn render(info: &RunInfo, products: &[ProductReport], errors: &[ProductError]) -> String {
    let mut totals = Summary::default();
    let products_out: Vec<Product> = products
        .iter()
        .map(|p| {
            let mut summary = Summary::default();
            for f in &p.findings {
                summary.add(f.status);
                totals.add(f.status);
            }
            summary.not_applicable += p.omitted;
            totals.not_applicable += p.omitted;
            Product {
                profile: &p.profile.origin,
                name: &p.profile.name,
                category: Category {
                    id: &info.rules.vocabulary.categories[p.profile.category].id,
                    input: &p.profile.category_input,
                },
                summary,
                nearest_deadline: p.nearest_deadline().map(|d| d.to_string()),
                failing: p.failing(info.policy),
                findings: p.visible(info.show_all).map(|f| finding(f, info)).collect(),
            }
        })
        .collect();
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "cncomply",
            version: env!("CARGO_PKG_VERSION"),
        },
        as_of: info.as_of.to_string(),
        rules: RulesInfo {
            source: info.rules_source.clone(),
            count: info.rules.rules.len(),
        },
        totals: Totals {
            products: products.len(),
            errors: errors.len(),
            by_status: totals,
            failing: products.iter().map(|p| p.failing(info.policy)).sum(),
        },
        waivers: info.waivers.map(|w| WaiversOut {
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
        }),
        company: info.company.map(|c| {
            let mut summary = Summary::default();
            for (f, _) in &c.findings {
                summary.add(f.status);
            }
            CompanyOut {
                file: c.company.as_ref().map(|co| co.origin.as_str()),
                name: c.company.as_ref().map(|co| co.name.as_str()),
                summary,
                failing: c.failing(info.policy),
                unanswered: c.unanswered(),
                findings: c
                    .findings
                    .iter()
                    .map(|(f, products)| CompanyFinding {
                        finding: FindingOut {
                            fails: info.policy.fails_company(f),
                            ..finding(f, info)
                        },
                        products,
                    })
                    .collect(),
            }
        }),
        products: products_out,
        errors: errors
            .iter()
            .map(|e| ErrorEntry {
                profile: e.origin.clone(),
                line: e.line,
                column: e.column,
                message: e.message.clone(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("report serialises");
    s.push('\n');
    s
}

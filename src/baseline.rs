//! `--baseline previous.json`: the open findings of an earlier run (its JSON
//! or JSONL report, any schema version), so each finding of this run can be
//! marked new, unchanged or updated, and the ones that closed since listed
//! as resolved. `--fail-on new` then fails only on what a change introduced.
//!
//! A finding is keyed by the profile path as the report wrote it and the
//! rule id; a company finding (reported once per run) by its rule id alone.
//! "Open" is what still asks for work: applies, in-transition, needs-info,
//! upcoming and waived.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::evaluate::{Finding, Status};

/// How a finding compares with the baseline (SARIF `baselineState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    /// Open now, not open in the baseline.
    New,
    /// Open in both, with the same status.
    Unchanged,
    /// Open in both, with another status (e.g. upcoming → applies).
    Updated,
}

impl BaselineState {
    /// Introduced by the change being checked: what `--fail-on new` fails on.
    pub fn is_new(self) -> bool {
        matches!(self, BaselineState::New | BaselineState::Updated)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
            BaselineState::Updated => "updated",
        }
    }
}

/// A finding the baseline had open that is closed or gone now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    pub rule_id: String,
    /// Its status in the baseline.
    pub was: Status,
}

/// Counts for the report's `baseline` entry.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineSummary {
    pub file: String,
    pub new: usize,
    pub unchanged: usize,
    pub updated: usize,
    pub resolved: usize,
}

pub fn is_open(s: Status) -> bool {
    matches!(
        s,
        Status::Applies
            | Status::InTransition
            | Status::NeedsInfo
            | Status::Upcoming
            | Status::Waived
    )
}

#[derive(Debug)]
pub struct Baseline {
    pub origin: String,
    /// profile → rule id → status, open findings only.
    open: HashMap<String, HashMap<String, Status>>,
    /// The company section's open findings: rule id → status.
    company: HashMap<String, Status>,
    counts: [AtomicUsize; 4],
}

#[derive(Deserialize)]
struct Document {
    products: Vec<Product>,
    #[serde(default)]
    company: Option<Company>,
}

/// The `company` object of a JSON report, or of a JSONL `totals` line.
#[derive(Deserialize)]
struct Company {
    findings: Vec<FindingIn>,
}

#[derive(Deserialize)]
struct Totals {
    #[serde(default)]
    company: Option<Company>,
}

#[derive(Deserialize)]
struct Product {
    profile: String,
    findings: Vec<FindingIn>,
}

#[derive(Deserialize)]
struct FindingIn {
    rule_id: String,
    status: Status,
}

#[derive(Deserialize)]
struct Line {
    r#type: String,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{origin}:{line}:{column}: not a cncomply JSON or JSONL report: {message}")]
#[diagnostic(
    code(cncomply::baseline),
    help("write the baseline with `cncomply check … --format json > previous.json` (or jsonl)")
)]
pub struct BaselineError {
    pub origin: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A baseline is a previous JSON or JSONL report: 50,000 products (the most
/// one run checks) give about 1.4 GB of JSON.
pub const MAX_BASELINE_BYTES: u64 = 2 << 30;

impl Baseline {
    /// Reads a previous report. Like every input, through the capped
    /// reader: a baseline linked to `/dev/zero` grew to 5 GiB in ten
    /// seconds, and a FIFO waited for a writer for ever.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let origin = crate::input::display_path(path);
        let unreadable = |message: String| BaselineError {
            origin: origin.clone(),
            line: 1,
            column: 1,
            message,
        };
        let cwd = std::env::current_dir().unwrap_or_default();
        if let Some(why) = crate::input::link_leaving(path, &cwd) {
            return Err(unreadable(format!("the file {why}")));
        }
        let bytes = crate::input::read_capped(path, MAX_BASELINE_BYTES).map_err(|e| match e {
            crate::input::InputError::Io(e) => unreadable(format!("cannot read it: {e}")),
            other => unreadable(format!("the file {other}")),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            BaselineError {
                line: crate::position::line_count(&e.as_bytes()[..at]),
                ..unreadable(format!("not UTF-8 text (invalid byte at offset {at})"))
            }
        })?;
        Baseline::parse(&origin, &text)
    }

    pub fn parse(origin: &str, text: &str) -> Result<Baseline, BaselineError> {
        let error = |e: serde_json::Error, line_offset: usize| BaselineError {
            origin: origin.to_string(),
            line: e.line() + line_offset,
            column: e.column(),
            message: e.to_string(),
        };
        // JSONL: its first line is the `run` object.
        let first = text.lines().next().unwrap_or("");
        let is_lines = serde_json::from_str::<Line>(first).is_ok_and(|l| l.r#type == "run");
        let (products, company): (Vec<Product>, Option<Company>) = if is_lines {
            let (mut products, mut company) = (Vec::new(), None);
            for (i, line) in text.lines().enumerate() {
                let kind: Line = serde_json::from_str(line).map_err(|e| error(e, i))?;
                match kind.r#type.as_str() {
                    "product" => {
                        products.push(serde_json::from_str(line).map_err(|e| error(e, i))?)
                    }
                    "totals" => {
                        company = serde_json::from_str::<Totals>(line)
                            .map_err(|e| error(e, i))?
                            .company
                    }
                    _ => {}
                }
            }
            (products, company)
        } else {
            let d = serde_json::from_str::<Document>(text).map_err(|e| error(e, 0))?;
            (d.products, d.company)
        };
        let mut open: HashMap<String, HashMap<String, Status>> = HashMap::new();
        for p in products {
            let entry = open.entry(p.profile).or_default();
            for f in p.findings.into_iter().filter(|f| is_open(f.status)) {
                entry.insert(f.rule_id, f.status);
            }
        }
        let company = company
            .map(|c| c.findings)
            .unwrap_or_default()
            .into_iter()
            .filter(|f| is_open(f.status))
            .map(|f| (f.rule_id, f.status))
            .collect();
        Ok(Baseline {
            origin: origin.to_string(),
            open,
            company,
            counts: Default::default(),
        })
    }

    /// The baseline with each former rule id (`formerly`) replaced by the
    /// id of the rule that has it now, so a merge does not read as one
    /// finding resolved and another new.
    pub fn with_current_ids(mut self, rules: &crate::model::RuleSet) -> Baseline {
        for findings in self.open.values_mut() {
            let renamed: Vec<(String, String)> = findings
                .keys()
                .filter_map(|id| rules.renamed(id).map(|now| (id.clone(), now.to_string())))
                .collect();
            for (old, now) in renamed {
                if let Some(status) = findings.remove(&old) {
                    findings.entry(now).or_insert(status);
                }
            }
        }
        self
    }

    /// Marks `findings` of the product at `profile` and returns what the
    /// baseline had open that is not open now, in rule-id order.
    pub fn mark(&self, profile: &str, findings: &mut [Finding]) -> Vec<Resolved> {
        self.mark_against(self.open.get(profile), findings.iter_mut().collect())
    }

    /// The same for the company section's findings, compared with the
    /// baseline's company section.
    pub fn mark_company(&self, findings: &mut [(Finding, Vec<String>)]) -> Vec<Resolved> {
        let before = Some(&self.company).filter(|c| !c.is_empty());
        self.mark_against(before, findings.iter_mut().map(|(f, _)| f).collect())
    }

    fn mark_against(
        &self,
        before: Option<&HashMap<String, Status>>,
        mut findings: Vec<&mut Finding>,
    ) -> Vec<Resolved> {
        let mut still_open = 0;
        for f in findings.iter_mut().filter(|f| is_open(f.status)) {
            let state = match before.and_then(|b| b.get(f.rule.id.as_str())) {
                None => BaselineState::New,
                Some(s) if *s == f.status => BaselineState::Unchanged,
                Some(_) => BaselineState::Updated,
            };
            if state != BaselineState::New {
                still_open += 1;
            }
            self.counts[state as usize].fetch_add(1, Ordering::Relaxed);
            f.baseline = Some(state);
        }
        let mut resolved = Vec::new();
        if let Some(b) = before.filter(|b| b.len() > still_open) {
            let open_now: std::collections::HashSet<&str> = findings
                .iter()
                .filter(|f| is_open(f.status))
                .map(|f| f.rule.id.as_str())
                .collect();
            resolved = b
                .iter()
                .filter(|(id, _)| !open_now.contains(id.as_str()))
                .map(|(id, s)| Resolved {
                    rule_id: id.clone(),
                    was: *s,
                })
                .collect();
            resolved.sort_by(|a, b| a.rule_id.cmp(&b.rule_id));
            self.counts[3].fetch_add(resolved.len(), Ordering::Relaxed);
        }
        resolved
    }

    pub fn summary(&self) -> BaselineSummary {
        let n = |i: usize| self.counts[i].load(Ordering::Relaxed);
        BaselineSummary {
            file: self.origin.clone(),
            new: n(0),
            unchanged: n(1),
            updated: n(2),
            resolved: n(3),
        }
    }
}

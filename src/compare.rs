//! One product's findings under two versions of the rules (`diff --rules OLD
//! --against NEW`): how a consultant reviews a rule update before release.

use chrono::NaiveDate;

use crate::evaluate::{Finding, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DifferenceKind {
    /// A finding under the new rules only (its rule is new, or was not
    /// applicable before).
    Added,
    /// A finding under the old rules only.
    Removed,
    /// Both have it, with another status or other dates.
    Changed,
}

impl DifferenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DifferenceKind::Added => "added",
            DifferenceKind::Removed => "removed",
            DifferenceKind::Changed => "changed",
        }
    }
}

/// One field that differs, as text (None: not set).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Difference<'o, 'n> {
    pub rule_id: String,
    pub kind: DifferenceKind,
    pub old: Option<Finding<'o>>,
    pub new: Option<Finding<'n>>,
    pub fields: Vec<FieldChange>,
}

/// The fields a reviewer compares: the status and every date of a finding.
fn fields(f: &Finding) -> [(&'static str, Option<String>); 6] {
    let d = |x: Option<NaiveDate>| x.map(|d| d.to_string());
    let r = f.rule;
    [
        ("status", Some(f.status.to_string())),
        ("effective", d(f.effective.or_else(|| r.first_effective()))),
        ("case", f.case.clone()),
        ("transition_until", d(f.transition_until)),
        ("repealed", d(r.repealed)),
        (
            "superseded",
            r.superseded_by.as_ref().map(|s| match s.on {
                Some(on) => format!("by {} on {on}", s.by),
                None => format!("by {}", s.by),
            }),
        ),
    ]
}

/// Every finding that differs between `old` and `new` (each one product's
/// findings), sorted by rule id. A finding that is not applicable under one
/// version counts as absent there, so a rule that starts to cover the
/// product is `added` and one that stops is `removed`.
pub fn compare<'o, 'n>(old: &[Finding<'o>], new: &[Finding<'n>]) -> Vec<Difference<'o, 'n>> {
    let visible = |s: Status| s != Status::NotApplicable;
    let mut ids: Vec<&str> = old
        .iter()
        .map(|f| f.rule.id.as_str())
        .chain(new.iter().map(|f| f.rule.id.as_str()))
        .collect();
    ids.sort();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        let o = old
            .iter()
            .find(|f| f.rule.id == id && visible(f.status))
            .cloned();
        let n = new
            .iter()
            .find(|f| f.rule.id == id && visible(f.status))
            .cloned();
        let (kind, changed) = match (&o, &n) {
            (None, None) => continue,
            (None, Some(_)) => (DifferenceKind::Added, Vec::new()),
            (Some(_), None) => (DifferenceKind::Removed, Vec::new()),
            (Some(a), Some(b)) => {
                let changed: Vec<FieldChange> = fields(a)
                    .into_iter()
                    .zip(fields(b))
                    .filter(|((_, x), (_, y))| x != y)
                    .map(|((field, x), (_, y))| FieldChange {
                        field,
                        old: x,
                        new: y,
                    })
                    .collect();
                if changed.is_empty() {
                    continue;
                }
                (DifferenceKind::Changed, changed)
            }
        };
        out.push(Difference {
            rule_id: id.to_string(),
            kind,
            old: o,
            new: n,
            fields: changed,
        });
    }
    out
}

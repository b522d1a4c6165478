//! Rules over time. A finding's status depends on the as-of day only through
//! a few dates: a rule's effective dates, the ends of its transition periods,
//! its repeal and supersession, and the expiry of the evidence a profile
//! holds. Between two such dates nothing can change, so evaluating on each of
//! them is exact rather than sampled.
//!
//! - [`events`]: the dated events of a rule set that concern a catalogue of
//!   products (`calendar`, the HTML timeline).
//! - [`changes`]: how one product's findings change between two days
//!   (`diff --from --to`).

mod calendar;
mod changes;

use chrono::NaiveDate;

use crate::model::Rule;
use crate::profile::Profile;

pub use calendar::{events, Concerned, Event};
pub use changes::{changes, Change, ChangeKind};

/// What happens on a dated event.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// The obligation starts to apply (for the case the date is given for).
    Effective,
    /// The last day of a grace period.
    TransitionEnds,
    /// From this day the rule no longer applies.
    Repealed,
    /// From this day another rule governs.
    Superseded,
    /// The last day a certificate, label or filing counts as evidence.
    EvidenceExpires,
    /// The rule is first known (its publication date or its newsletter
    /// issue's last day): `check` on an earlier day leaves it out.
    Reported,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Effective => "effective",
            EventKind::TransitionEnds => "transition-ends",
            EventKind::Repealed => "repealed",
            EventKind::Superseded => "superseded",
            EventKind::EvidenceExpires => "evidence-expires",
            EventKind::Reported => "reported",
        }
    }

    /// A phrase for people: "ccc.motor takes effect".
    pub fn phrase(self) -> &'static str {
        match self {
            EventKind::Effective => "takes effect",
            EventKind::TransitionEnds => "transition period ends (last day)",
            EventKind::Repealed => "repealed",
            EventKind::Superseded => "superseded",
            EventKind::EvidenceExpires => "evidence valid until (last day)",
            EventKind::Reported => "first reported",
        }
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A date written in a rule, as the rule states it (a transition's date is
/// its last day), with the case label it is given for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDate {
    pub date: NaiveDate,
    pub kind: EventKind,
    pub case: Option<String>,
}

/// Every date written in `rule`.
pub fn rule_dates(rule: &Rule) -> Vec<RuleDate> {
    let mut out = Vec::new();
    for c in &rule.effective {
        out.push(RuleDate {
            date: c.date,
            kind: EventKind::Effective,
            case: c.label.as_deref().map(String::from),
        });
    }
    for t in &rule.transitions {
        out.push(RuleDate {
            date: t.date,
            kind: EventKind::TransitionEnds,
            case: t.label.as_deref().map(String::from),
        });
    }
    if let Some(d) = rule.repealed {
        out.push(RuleDate {
            date: d,
            kind: EventKind::Repealed,
            case: None,
        });
    }
    if let Some(d) = rule.superseded_by.as_ref().and_then(|s| s.on) {
        out.push(RuleDate {
            date: d,
            kind: EventKind::Superseded,
            case: None,
        });
    }
    out
}

/// The days on which a finding of `rule` for `profile` can change, each with
/// what causes the change. A transition "until D" and evidence "valid until
/// D" still hold on D, so their change falls on the day after.
pub fn change_days(rule: &Rule, profile: &Profile) -> Vec<(NaiveDate, EventKind)> {
    let mut days: Vec<(NaiveDate, EventKind)> = rule_dates(rule)
        .into_iter()
        .filter_map(|d| match d.kind {
            EventKind::TransitionEnds => d.date.succ_opt().map(|n| (n, d.kind)),
            _ => Some((d.date, d.kind)),
        })
        .collect();
    days.extend(
        profile
            .evidence
            .iter()
            .filter_map(|e| e.valid_until)
            .filter_map(|u| u.succ_opt())
            .map(|d| (d, EventKind::EvidenceExpires)),
    );
    days.extend(crate::evaluate::known_from(rule).map(|d| (d, EventKind::Reported)));
    // A grace period ending on the product's own date changes the day after.
    days.extend(rule.transitions_until_fact.iter().filter_map(|t| {
        match profile.attributes.get(t.attribute.as_str()) {
            Some(crate::profile::AttrValue::Date(d)) => {
                d.succ_opt().map(|n| (n, EventKind::TransitionEnds))
            }
            _ => None,
        }
    }));
    days.sort();
    days.dedup();
    days
}

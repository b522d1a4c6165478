//! How one product's findings change between two days (`diff --from --to`).

use chrono::NaiveDate;

use crate::evaluate::{evaluate_known, Context, Finding, Status};
use crate::model::RuleSet;
use crate::profile::Profile;

use super::{change_days, EventKind};

/// How a finding moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// The obligation starts: it was not applicable or not yet effective.
    Starts,
    /// The finding becomes not applicable (repealed, superseded, …).
    Ends,
    /// Any other change of status or of its grace period.
    Status,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Starts => "starts",
            ChangeKind::Ends => "ends",
            ChangeKind::Status => "status",
        }
    }
}

/// A finding that is different on `date` from the day before.
#[derive(Debug, Clone)]
pub struct Change<'r> {
    pub date: NaiveDate,
    pub kind: ChangeKind,
    /// The rule date or evidence expiry that falls on `date`.
    pub cause: EventKind,
    pub before: Finding<'r>,
    pub after: Finding<'r>,
}

/// The part of a finding that time moves. Days left shrink every day and are
/// not a change; a rule taking effect is one even when its status stays
/// `informational`.
fn state(f: &Finding, day: NaiveDate) -> (Status, bool, Option<NaiveDate>) {
    let in_effect = f.effective.is_some_and(|d| d <= day);
    (f.status, in_effect, f.transition_until)
}

/// Every change to `profile`'s findings on the days after `from` up to and
/// including `to`, in date order (then topic and rule id). The state on
/// `from` is the baseline, so a rule effective on `from` itself is not a
/// change.
pub fn changes<'r>(
    rules: &'r RuleSet,
    profile: &Profile,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Change<'r>> {
    let at = |day: NaiveDate| Context {
        vocab: &rules.vocabulary,
        profile,
        as_of: day,
    };
    let mut out = Vec::new();
    for rule in &rules.rules {
        let mut prev = evaluate_known(rule, &at(from));
        let mut prev_day = from;
        let days = change_days(rule, profile);
        for (i, &(day, cause)) in days.iter().enumerate() {
            if day <= from || day > to || (i > 0 && days[i - 1].0 == day) {
                continue;
            }
            let cur = evaluate_known(rule, &at(day));
            let (before, after) = (state(&prev, prev_day), state(&cur, day));
            if before != after {
                let kind = if after.0 == Status::NotApplicable {
                    ChangeKind::Ends
                } else if before.0 == Status::NotApplicable || (!before.1 && after.1) {
                    ChangeKind::Starts
                } else {
                    ChangeKind::Status
                };
                out.push(Change {
                    date: day,
                    kind,
                    cause,
                    before: prev,
                    after: cur.clone(),
                });
            }
            prev = cur;
            prev_day = day;
        }
    }
    out.sort_by(|a, b| {
        (a.date, &a.after.rule.topic, &a.after.rule.id).cmp(&(
            b.date,
            &b.after.rule.topic,
            &b.after.rule.id,
        ))
    });
    out
}

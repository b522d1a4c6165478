//! The exit policy: which findings fail a run. An obligation in force and not
//! shown met (`applies`) always fails; `--fail-on` widens that to findings a
//! team wants to act on early, optionally only those due within a horizon.
//! Reports that mark failures (JUnit, SARIF, GitHub annotations) ask the
//! same policy, so the annotations and the exit code never disagree.

use crate::evaluate::{Finding, Status};

/// Statuses `--fail-on` can add to `applies`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Applies,
    InTransition,
    Upcoming,
    NeedsInfo,
    /// An unmet company obligation in force fails the run too (by default
    /// company obligations are reported, and never fail).
    Company,
    /// With `--baseline`: only findings that are new or changed since the
    /// baseline fail (of those the other choices make fail).
    New,
}

impl FailOn {
    fn status(self) -> Option<Status> {
        match self {
            FailOn::Applies => Some(Status::Applies),
            FailOn::InTransition => Some(Status::InTransition),
            FailOn::Upcoming => Some(Status::Upcoming),
            FailOn::NeedsInfo => Some(Status::NeedsInfo),
            // Not statuses: `company` widens to company findings, `new`
            // narrows the others.
            FailOn::Company | FailOn::New => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ExitPolicy {
    pub fail_on: Vec<FailOn>,
    /// With `upcoming` / `in-transition`: fail only when the date is at
    /// most this many days away.
    pub horizon_days: Option<i64>,
    /// Report without failing (exit 0 unless an input could not be read).
    pub exit_zero: bool,
}

impl ExitPolicy {
    /// Does this finding fail the run?
    pub fn fails(&self, f: &Finding) -> bool {
        if self.fail_on.contains(&FailOn::New) && !f.baseline.is_some_and(|b| b.is_new()) {
            return false;
        }
        if f.status == Status::Applies {
            return true;
        }
        if !self.fail_on.iter().any(|x| x.status() == Some(f.status)) {
            return false;
        }
        // Drafts, voluntary schemes and advisory notes never fail a check,
        // whatever is still unknown about them.
        if f.rule.is_informational() {
            return false;
        }
        match (f.status, self.horizon_days) {
            (Status::Upcoming | Status::InTransition, Some(h)) => {
                f.days_left.is_some_and(|d| d <= h)
            }
            _ => true,
        }
    }

    /// Does this company finding fail the run? Only with `--fail-on
    /// company`, and then as a product finding would.
    pub fn fails_company(&self, f: &Finding) -> bool {
        self.fail_on.contains(&FailOn::Company) && self.fails(f)
    }

    /// Words for reports: what fails under this policy.
    pub fn describe(&self) -> String {
        let mut parts = vec!["applies".to_string()];
        for f in &self.fail_on {
            let Some(s) = f.status() else {
                if *f == FailOn::Company {
                    parts.push("company obligations in force".to_string());
                }
                continue;
            };
            if s == Status::Applies {
                continue;
            }
            match (s, self.horizon_days) {
                (Status::Upcoming | Status::InTransition, Some(h)) => {
                    parts.push(format!("{s} within {h} days"))
                }
                _ => parts.push(s.to_string()),
            }
        }
        parts.dedup();
        if self.fail_on.contains(&FailOn::New) {
            return format!("{}, if new since the baseline", parts.join(", "));
        }
        parts.join(", ")
    }
}

/// Reads a horizon such as `90d`, `12w` or `90` (days).
pub fn parse_horizon(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (digits, factor) = if let Some(d) = s.strip_suffix('d') {
        (d, 1)
    } else if let Some(w) = s.strip_suffix('w') {
        (w, 7)
    } else {
        (s, 1)
    };
    match digits.parse::<i64>() {
        Ok(n) if (0..=36_500).contains(&n) => Ok(n * factor),
        _ => Err(format!(
            "`{s}` is not a horizon; write a number of days or weeks, e.g. 90d or 12w"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizons_in_days_and_weeks() {
        assert_eq!(parse_horizon("90d"), Ok(90));
        assert_eq!(parse_horizon("12w"), Ok(84));
        assert_eq!(parse_horizon("0"), Ok(0));
        for bad in ["", "d", "-3d", "3 months", "1.5w", "99999999d"] {
            assert!(parse_horizon(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn describe_names_what_fails() {
        let p = ExitPolicy::default();
        assert_eq!(p.describe(), "applies");
        let p = ExitPolicy {
            fail_on: vec![FailOn::Upcoming, FailOn::NeedsInfo, FailOn::Applies],
            horizon_days: Some(30),
            exit_zero: false,
        };
        assert_eq!(p.describe(), "applies, upcoming within 30 days, needs-info");
    }
}

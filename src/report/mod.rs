//! Findings → what people and programs read: a table for the terminal and a
//! versioned JSON document for pipelines.

pub mod calendar;
pub mod changes;
pub mod html;
pub mod ics;
pub mod json;
pub mod table;
pub mod text;
pub mod timeline_svg;
pub mod versions;

use chrono::NaiveDate;

use crate::evaluate::{Finding, Status};
use crate::model::RuleSet;
use crate::profile::Profile;

/// The findings for one product, sorted for reading: most urgent status
/// first, then nearest date, then topic and rule id (a total order, so output
/// is identical run after run).
pub struct ProductReport<'r> {
    pub profile: Profile,
    pub findings: Vec<Finding<'r>>,
}

impl<'r> ProductReport<'r> {
    pub fn new(profile: Profile, mut findings: Vec<Finding<'r>>) -> Self {
        findings.sort_by(|a, b| {
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
        ProductReport { profile, findings }
    }

    pub fn count(&self, status: Status) -> usize {
        self.findings.iter().filter(|f| f.status == status).count()
    }

    /// The nearest future date among findings that will bind the product.
    pub fn nearest_deadline(&self) -> Option<NaiveDate> {
        self.findings
            .iter()
            .filter(|f| matches!(f.status, Status::Upcoming | Status::InTransition))
            .filter_map(|f| f.deadline)
            .min()
    }

    pub fn visible(&self, all: bool) -> impl Iterator<Item = &Finding<'r>> {
        self.findings
            .iter()
            .filter(move |f| all || f.status != Status::NotApplicable)
    }
}

/// Everything a report needs besides the products.
pub struct RunInfo<'a> {
    pub as_of: NaiveDate,
    pub rules: &'a RuleSet,
    /// "bundled" or the directory the rules were read from.
    pub rules_source: String,
    pub show_all: bool,
}

/// A profile that could not be read, reported in place of its findings.
pub struct ProductError {
    pub origin: String,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

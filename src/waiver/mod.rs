//! Waivers (`--waivers FILE`): a signed-off decision that an open obligation
//! may stay open for a while, e.g. while certification is booked. A waived
//! finding is still shown and counted (as `waived`); it only stops failing
//! the run. Every waiver names who approved it and when it ends, and an
//! expired one stops applying on the day after its expiry date.
//!
//! ```yaml
//! waivers:
//!   - rule: ccc.small-power-motor
//!     product: "M-230*"          # product name or profile path; a glob
//!     category: small-power-motor  # or a category (covers the ones under it)
//!     justification: CCC application filed, type test booked for December
//!     approver: J. Chen, Head of Compliance
//!     expires: 2027-01-31        # required; valid through this day
//! ```

mod error;

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_yaml::Value;

pub use error::WaiverError;

use crate::evaluate::{Finding, Status, WaiverNote};
use crate::model::RuleSet;
use crate::profile::{parse_profile_date, Locator, Profile, MAX_PROFILE_BYTES};
use crate::suggest::did_you_mean;

/// One waiver, checked against the rule library.
#[derive(Debug)]
pub struct Waiver {
    pub rule: String,
    /// Matched against the product's name and its profile path.
    pub product: Option<glob::Pattern>,
    pub category: Option<usize>,
    pub justification: String,
    pub approver: String,
    pub expires: NaiveDate,
    /// 1-based line of the waiver's entry in its file.
    pub line: usize,
    /// Atomic: products are checked (and waived) on several threads.
    matched: std::sync::atomic::AtomicUsize,
}

impl Waiver {
    /// A human description of the products it covers.
    pub fn selector(&self, rules: &RuleSet) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.product {
            parts.push(format!("product {}", p.as_str()));
        }
        if let Some(c) = self.category {
            parts.push(format!(
                "category {}",
                rules.vocabulary.categories[c].id.as_str()
            ));
        }
        parts.join(", ")
    }

    pub fn is_expired(&self, as_of: NaiveDate) -> bool {
        self.expires < as_of
    }

    /// How many findings this waiver matched so far (in force or expired).
    pub fn matched(&self) -> usize {
        self.matched.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn covers(&self, rules: &RuleSet, profile: &Profile) -> bool {
        let product_ok = self
            .product
            .as_ref()
            .is_none_or(|p| p.matches(&profile.name) || p.matches(&profile.origin));
        let category_ok = self
            .category
            .is_none_or(|c| rules.vocabulary.is_a(profile.category, c));
        product_ok && category_ok
    }
}

/// The waivers of one file.
#[derive(Debug)]
pub struct Waivers {
    /// The file, as given on the command line.
    pub origin: String,
    pub list: Vec<Waiver>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    waivers: Vec<RawWaiver>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    rule: Option<String>,
    product: Option<String>,
    category: Option<String>,
    justification: Option<String>,
    approver: Option<String>,
    expires: Option<Value>,
}

const SHAPE_HELP: &str = "a waivers file is `waivers:` followed by a list of entries with \
rule, product and/or category, justification, approver and expires (YYYY-MM-DD)";

impl Waivers {
    pub fn load(path: &Path, rules: &RuleSet) -> Result<Waivers, WaiverError> {
        let origin = path.display().to_string();
        let fail = |m: String| WaiverError::new(&origin, None, m, None);
        let meta = std::fs::metadata(path)
            .map_err(|e| fail(format!("cannot read the waivers file: {e}")))?;
        if meta.len() > MAX_PROFILE_BYTES as u64 {
            return Err(fail(format!(
                "the waivers file is {} bytes; it may be at most {MAX_PROFILE_BYTES} bytes",
                meta.len()
            )));
        }
        let bytes =
            std::fs::read(path).map_err(|e| fail(format!("cannot read the waivers file: {e}")))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| fail("the waivers file is not UTF-8 text".into()))?;
        Waivers::from_yaml(&origin, &text, rules)
    }

    /// Reads and checks a waivers document: every rule id must exist, every
    /// category resolve, every entry say who approved it, why, and until when.
    pub fn from_yaml(origin: &str, text: &str, rules: &RuleSet) -> Result<Waivers, WaiverError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(WaiverError::new(
                origin,
                None,
                "the waivers file is empty",
                Some(SHAPE_HELP.into()),
            ));
        }
        let raw: RawFile = serde_yaml::from_str(text).map_err(|e| {
            let at = e.location().map(|l| (text, l.line(), l.column()));
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg);
            WaiverError::new(
                origin,
                at,
                msg.replace("RawFile", "waivers file")
                    .replace("RawWaiver", "waiver"),
                Some(SHAPE_HELP.into()),
            )
        })?;
        let locator = Locator::new(text);
        let err = |path: &str, message: String, help: Option<String>| {
            let at = locator.nearest(path).map(|(l, c)| (text, l, c));
            WaiverError::new(origin, at, message, help)
        };
        let mut list = Vec::new();
        for (i, w) in raw.waivers.into_iter().enumerate() {
            let base = format!("waivers.{i}");
            let line = locator.nearest(&base).map(|(l, _)| l).unwrap_or(0);
            let n = i + 1;
            let required = |v: Option<String>, key: &str, what: &str| {
                v.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
                    err(
                        &format!("{base}.{key}"),
                        format!("waiver {n} has no `{key}`"),
                        Some(format!("every waiver states {what}")),
                    )
                })
            };
            let rule = required(w.rule, "rule", "the rule id it waives")?;
            if rules.rule(&rule).is_none() {
                let help = did_you_mean(&rule, rules.rules.iter().map(|r| r.id.as_str()))
                    .unwrap_or_else(|| "run `cncomply rules list` for the rule ids".into());
                return Err(err(
                    &format!("{base}.rule"),
                    format!("waiver {n}: unknown rule `{rule}`"),
                    Some(help),
                ));
            }
            let justification = required(
                w.justification,
                "justification",
                "why the finding is accepted",
            )?;
            let approver = required(w.approver, "approver", "who approved it")?;
            let Some(expires) = w.expires else {
                return Err(err(
                    &base,
                    format!("waiver {n} has no `expires` date"),
                    Some("a waiver must end: add `expires: YYYY-MM-DD`".into()),
                ));
            };
            let expires_text = match &expires {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other).unwrap_or_default(),
            };
            let expires = parse_profile_date(&expires_text).ok_or_else(|| {
                err(
                    &format!("{base}.expires"),
                    format!(
                        "waiver {n}: `expires` \"{}\" is not a calendar date",
                        expires_text.trim()
                    ),
                    Some("write YYYY-MM-DD, a day that exists".into()),
                )
            })?;
            let product = match w.product {
                None => None,
                Some(p) => Some(glob::Pattern::new(&p).map_err(|e| {
                    err(
                        &format!("{base}.product"),
                        format!("waiver {n}: `product` \"{p}\" is not a valid pattern: {e}"),
                        Some("use a product name, or a glob such as \"M-230*\"".into()),
                    )
                })?),
            };
            let category = match w.category {
                None => None,
                Some(c) => Some(rules.vocabulary.resolve_category(&c).ok_or_else(|| {
                    let help = did_you_mean(&c, rules.vocabulary.category_names())
                        .unwrap_or_else(|| "run `cncomply categories` for the categories".into());
                    err(
                        &format!("{base}.category"),
                        format!("waiver {n}: unknown category \"{c}\""),
                        Some(help),
                    )
                })?),
            };
            if product.is_none() && category.is_none() {
                return Err(err(
                    &base,
                    format!("waiver {n} names no product and no category"),
                    Some("say which products it covers: `product: NAME-OR-GLOB` and/or `category: ID` (`product: \"*\"` for all)".into()),
                ));
            }
            list.push(Waiver {
                rule,
                product,
                category,
                justification,
                approver,
                expires,
                line,
                matched: Default::default(),
            });
        }
        Ok(Waivers {
            origin: origin.to_string(),
            list,
        })
    }

    pub fn expired(&self, as_of: NaiveDate) -> impl Iterator<Item = &Waiver> {
        self.list.iter().filter(move |w| w.is_expired(as_of))
    }

    /// Marks the findings of one product that a waiver covers. Only open
    /// findings can be waived (applies, in transition, needs info,
    /// upcoming); a waiver in force wins over an expired one.
    pub fn apply(
        &self,
        rules: &RuleSet,
        profile: &Profile,
        findings: &mut [Finding],
        as_of: NaiveDate,
    ) {
        for f in findings.iter_mut() {
            if !matches!(
                f.status,
                Status::Applies | Status::InTransition | Status::NeedsInfo | Status::Upcoming
            ) {
                continue;
            }
            let mut covering = self
                .list
                .iter()
                .filter(|w| w.rule == f.rule.id && w.covers(rules, profile));
            let Some(w) = covering
                .clone()
                .find(|w| !w.is_expired(as_of))
                .or_else(|| covering.next())
            else {
                continue;
            };
            w.matched.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let expired = w.is_expired(as_of);
            f.waiver = Some(WaiverNote {
                justification: w.justification.clone(),
                approver: w.approver.clone(),
                expires: w.expires,
                expired,
                status_without: f.status,
                at: format!("{}:{}", self.origin, w.line),
            });
            if expired {
                f.reason = format!(
                    "{}; the waiver approved by {} expired on {} and no longer applies",
                    f.reason, w.approver, w.expires
                );
            } else {
                f.reason = format!(
                    "waived until {} (approved by {}: {}); without the waiver: {}, {}",
                    w.expires, w.approver, w.justification, f.status, f.reason
                );
                f.status = Status::Waived;
            }
        }
    }
}

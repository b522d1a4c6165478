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

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

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
    matched: AtomicUsize,
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
        self.matched.load(Ordering::Relaxed)
    }

    /// `origin` is the profile's path as [`normal_path`] writes it.
    fn covers(&self, rules: &RuleSet, profile: &Profile, origin: &str) -> bool {
        let product_ok = self
            .product
            .as_ref()
            .is_none_or(|p| p.matches(&profile.name) || p.matches(origin));
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
    /// The waivers of each rule, by index into `list`, in file order: a
    /// finding is compared with its rule's waivers only.
    by_rule: HashMap<String, Vec<usize>>,
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
        let origin = crate::input::display_path(path);
        let fail = |m: String| WaiverError::new(&origin, None, m, None);
        let cwd = std::env::current_dir().unwrap_or_default();
        if let Some(why) = crate::input::link_leaving(path, &cwd) {
            return Err(fail(format!("the waivers file {why}")));
        }
        let bytes =
            crate::input::read_capped(path, MAX_PROFILE_BYTES as u64).map_err(|e| match e {
                crate::input::InputError::Io(e) => {
                    fail(format!("cannot read the waivers file: {e}"))
                }
                other => fail(format!("the waivers file {other}")),
            })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let line = crate::position::line_count(&e.as_bytes()[..at]);
            let mut err = fail(format!(
                "the waivers file is not UTF-8 text (invalid byte at offset {at})"
            ));
            err.line = Some(line);
            err
        })?;
        Waivers::from_yaml(&origin, &text, rules)
    }

    /// Reads and checks a waivers document: every rule id must exist, every
    /// category resolve, every entry say who approved it, why, and until when.
    pub fn from_yaml(origin: &str, text: &str, rules: &RuleSet) -> Result<Waivers, WaiverError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // As for profiles: lone CRs end lines for YAML, so they end lines
        // for messages too, and a NUL byte is named at its own line (with no
        // snippet: such a file is not text to show).
        let plain;
        let text = if crate::position::has_lone_cr(text) {
            plain = text.replace("\r\n", "\n").replace('\r', "\n");
            plain.as_str()
        } else {
            text
        };
        if let Some(at) = text.find('\0') {
            let mut e = WaiverError::new(
                origin,
                None,
                "the waivers file contains a NUL byte",
                Some("a waivers file is UTF-8 text".into()),
            );
            e.line = Some(crate::position::line_count(&text.as_bytes()[..at]));
            return Err(e);
        }
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
            // A former id (`formerly`) waives the rule that has it now.
            let rule = match rules.rule(&rule) {
                Some(r) => r.id.to_string(),
                None => rule,
            };
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
                Some(p) => Some(glob::Pattern::new(&normal_path(&p)).map_err(|e| {
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
                    let help =
                        crate::profile::category_hint::unknown_category_help(&rules.vocabulary, &c);
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
                matched: AtomicUsize::new(0),
            });
        }
        let mut by_rule: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, w) in list.iter().enumerate() {
            by_rule.entry(w.rule.clone()).or_default().push(i);
        }
        Ok(Waivers {
            origin: origin.to_string(),
            list,
            by_rule,
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
        let origin = normal_path(&profile.origin);
        for f in findings.iter_mut() {
            if !matches!(
                f.status,
                Status::Applies | Status::InTransition | Status::NeedsInfo | Status::Upcoming
            ) {
                continue;
            }
            let Some(candidates) = self.by_rule.get(f.rule.id.as_str()) else {
                continue;
            };
            let mut covering = candidates
                .iter()
                .map(|&i| &self.list[i])
                .filter(|w| w.covers(rules, profile, &origin));
            let Some(w) = covering
                .clone()
                .find(|w| !w.is_expired(as_of))
                .or_else(|| covering.next())
            else {
                continue;
            };
            w.matched.fetch_add(1, Ordering::Relaxed);
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

/// A path as waivers match it, however it was typed: `./catalogue`,
/// `catalogue//m.yaml` and an absolute path inside the working directory
/// all read `catalogue/m.yaml`. Only the text is changed (no file is looked
/// up), so a glob pattern goes through the same way.
pub fn normal_path(path: &str) -> String {
    let p = Path::new(path);
    let cwd = std::env::current_dir().ok();
    let p = match cwd.as_deref().and_then(|c| p.strip_prefix(c).ok()) {
        Some(inside) => inside,
        None => p,
    };
    let normal: PathBuf = p
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    normal.to_string_lossy().into_owned()
}

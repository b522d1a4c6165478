//! Rule model + profile → findings. One finding per rule, with a status, the
//! dates that matter on the as-of day, and every condition that decided it.

mod condition;
pub mod evidence;
mod plan;
pub mod standard_code;

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::model::{DatedCase, Rule, RuleSet};
use crate::profile::Profile;

pub use condition::{Check, Context, Truth};
pub use plan::Plan;

/// What a rule means for a product on the as-of date. The order is the order
/// of urgency, used to sort reports.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Applies,
    InTransition,
    NeedsInfo,
    Upcoming,
    Met,
    /// Open, but a signed-off waiver lets it stay open until the waiver
    /// expires; shown and counted, never hidden.
    Waived,
    Informational,
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Applies,
        Status::InTransition,
        Status::NeedsInfo,
        Status::Upcoming,
        Status::Met,
        Status::Waived,
        Status::Informational,
        Status::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Applies => "applies",
            Status::InTransition => "in-transition",
            Status::NeedsInfo => "needs-info",
            Status::Upcoming => "upcoming",
            Status::Met => "met",
            Status::Waived => "waived",
            Status::Informational => "informational",
            Status::NotApplicable => "not-applicable",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Finding<'r> {
    pub rule: &'r Rule,
    pub status: Status,
    /// One sentence on why the status is what it is.
    pub reason: String,
    /// The date the obligation starts for this product (its case's date).
    pub effective: Option<NaiveDate>,
    /// Which dated case applied, e.g. "new vehicle types".
    pub case: Option<String>,
    /// End of the grace period this product is in.
    pub transition_until: Option<NaiveDate>,
    /// The next date that changes this finding, and the days until it.
    pub deadline: Option<NaiveDate>,
    pub days_left: Option<i64>,
    pub missing: Vec<String>,
    pub checks: Vec<Check<'r>>,
    pub evidence: evidence::Outcome,
    pub explanation: Cow<'r, str>,
    /// The waiver that matched this finding, in force or expired.
    pub waiver: Option<WaiverNote>,
    /// With `--baseline`: how an open finding compares with the baseline.
    pub baseline: Option<crate::baseline::BaselineState>,
}

/// A waiver as it bears on one finding. An expired waiver is kept too, so
/// reports can say that it stopped applying.
#[derive(Debug, Clone, PartialEq)]
pub struct WaiverNote {
    pub justification: String,
    pub approver: String,
    pub expires: NaiveDate,
    pub expired: bool,
    /// The status the finding has without the waiver.
    pub status_without: Status,
    /// Where the waiver is written, `FILE:LINE`.
    pub at: String,
}

/// How much of each finding to write out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every finding complete: reason, every condition read, explanation.
    Full,
    /// Rules settled as not applicable before their dates and evidence are
    /// read (out of scope, excluded, repealed, superseded) are counted, and
    /// their findings left out. Most rules do not apply to a given product;
    /// when a report only counts those (`check` without `--all`), building
    /// and keeping them is most of the time and memory of a catalogue run.
    Brief,
}

/// The findings for one profile. With [`Detail::Brief`], `omitted` rules
/// were found not applicable and have no finding here.
#[derive(Debug, Clone)]
pub struct Evaluation<'r> {
    pub findings: Vec<Finding<'r>>,
    pub omitted: usize,
}

/// Evaluates every rule against one profile, every finding complete.
pub fn evaluate<'r>(rules: &'r RuleSet, profile: &Profile, as_of: NaiveDate) -> Vec<Finding<'r>> {
    evaluate_with(rules, profile, as_of, Detail::Full).findings
}

/// Evaluates every rule against one profile, keeping the findings `detail`
/// asks for. Every finding kept is the same either way. A run that checks
/// many profiles makes one [`Plan`] and evaluates each with it.
pub fn evaluate_with<'r>(
    rules: &'r RuleSet,
    profile: &Profile,
    as_of: NaiveDate,
    detail: Detail,
) -> Evaluation<'r> {
    Plan::new(rules).evaluate(profile, as_of, detail)
}

/// What is settled of `rule` before its dates and evidence are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Early {
    /// Not applicable (repealed, superseded, out of scope, excluded): the
    /// same cases in which [`evaluate_rule`] says not applicable first.
    NotApplicable,
    /// Neither out of scope nor excluded, but a fact of the scope or of an
    /// exclusion is not given: [`evaluate_rule`] stops there too, with
    /// needs-info (informational for a draft or a plan).
    FactsMissing,
    /// The full evaluation decides.
    Open,
}

/// Reads what settles `rule` early, without recording anything: each
/// condition once, and stopping at the first that decides. `known` is
/// [`known_from`] of the rule.
fn early(rule: &Rule, known: Option<NaiveDate>, ctx: &Context) -> Early {
    if known.is_some_and(|k| ctx.as_of < k) {
        return Early::NotApplicable;
    }
    let repealed = match rule.repealed {
        Some(rep) => rep <= ctx.as_of,
        None => rule.status == crate::model::RuleStatus::Repealed,
    };
    let superseded = rule
        .superseded_by
        .as_ref()
        .and_then(|sup| sup.on)
        .is_some_and(|on| on <= ctx.as_of);
    if repealed || superseded {
        return Early::NotApplicable;
    }
    let mut unknown = match ctx.truth(&rule.scope) {
        Truth::False => return Early::NotApplicable,
        Truth::Unknown => true,
        Truth::True => false,
    };
    for ex in &rule.exclusions {
        match ctx.truth(&ex.when) {
            Truth::True => return Early::NotApplicable,
            Truth::Unknown => unknown = true,
            Truth::False => {}
        }
    }
    if unknown {
        Early::FactsMissing
    } else {
        Early::Open
    }
}

impl<'r> Finding<'r> {
    fn empty(rule: &'r Rule) -> Self {
        Finding {
            rule,
            status: Status::NotApplicable,
            reason: String::new(),
            effective: None,
            case: None,
            transition_until: None,
            deadline: None,
            days_left: None,
            missing: Vec::new(),
            checks: Vec::new(),
            evidence: evidence::Outcome::default(),
            explanation: Cow::Borrowed(""),
            waiver: None,
            baseline: None,
        }
    }
}

/// Evaluates one rule as it was known on the as-of day: a rule first
/// reported after that day is not applicable ("not yet known"), so that
/// checking a past day shows what a reader of the newsletters could know
/// then. The calendar and the timeline evaluate with [`evaluate_rule`]: they
/// lay out the rule's own dates, whenever it was reported.
pub fn evaluate_known<'r>(rule: &'r Rule, ctx: &Context) -> Finding<'r> {
    evaluate_as_known(rule, known_from(rule), ctx)
}

/// [`evaluate_known`], given [`known_from`] of the rule.
fn evaluate_as_known<'r>(rule: &'r Rule, known: Option<NaiveDate>, ctx: &Context) -> Finding<'r> {
    match known.filter(|k| ctx.as_of < *k) {
        Some(known) => Finding {
            reason: format!(
                "not yet known on {}: first reported on {known} ({})",
                ctx.as_of,
                match rule.published {
                    Some(_) => "its publication date",
                    None => "the last day of the newsletter issue that reports it",
                }
            ),
            explanation: condition::render_template(&rule.explain, ctx),
            ..Finding::empty(rule)
        },
        None => evaluate_rule(rule, ctx),
    }
}

/// Evaluates one rule, the finding complete.
pub fn evaluate_rule<'r>(rule: &'r Rule, ctx: &Context) -> Finding<'r> {
    let as_of = ctx.as_of;
    let mut f = Finding {
        explanation: condition::render_template(&rule.explain, ctx),
        ..Finding::empty(rule)
    };
    let days = |d: NaiveDate| (d - as_of).num_days();

    // The scope is read even for retired rules, so `--all` can still show
    // what the product would have matched.
    let scope = ctx.eval(&rule.scope, &mut f.checks, &mut f.missing);

    match rule.repealed {
        Some(rep) if rep <= as_of => {
            f.reason = format!("repealed on {rep}");
            f.missing.clear();
            return f;
        }
        // Reported repealed without a date: it governs nothing now.
        None if rule.status == crate::model::RuleStatus::Repealed => {
            f.reason = "repealed (the newsletter gives no date)".into();
            f.missing.clear();
            return f;
        }
        _ => {}
    }
    if let Some(sup) = &rule.superseded_by {
        if let Some(on) = sup.on {
            if on <= as_of {
                f.reason = format!("superseded by {} on {on}", sup.by);
                f.missing.clear();
                return f;
            }
        }
    }
    if scope == Truth::False {
        f.reason = "the product is outside the scope".into();
        f.missing.clear();
        return f;
    }

    let mut exclusion_unknown = false;
    for ex in &rule.exclusions {
        let mut missing = Vec::new();
        match ctx.eval(&ex.when, &mut f.checks, &mut missing) {
            Truth::True => {
                f.missing.clear();
                f.reason = format!("excluded: {}", ex.because);
                return f;
            }
            Truth::Unknown => {
                exclusion_unknown = true;
                for m in missing {
                    if !f.missing.contains(&m) {
                        f.missing.push(m);
                    }
                }
            }
            Truth::False => {}
        }
    }
    if rule.is_watch() && (scope == Truth::Unknown || exclusion_unknown) {
        // A draft or a plan never asks: it is listed as something that may
        // concern the product, with the facts that would tell (`--watch`).
        f.status = Status::Informational;
        f.reason = format!(
            "may concern the product; depends on {}",
            f.missing.join(", ")
        );
        return f;
    }
    if scope == Truth::Unknown || exclusion_unknown {
        f.status = Status::NeedsInfo;
        f.reason = format!("the profile does not give {}", f.missing.join(", "));
        return f;
    }
    f.missing.clear();

    // Which date applies to this product.
    match pick_case(&rule.effective, ctx, &mut f) {
        CaseChoice::Date(d, label) => {
            f.effective = Some(d);
            f.case = label;
        }
        CaseChoice::NoDate => {}
        // Every case the product may be in starts on or before the as-of
        // day: in force whichever it is, from the latest of them at most.
        CaseChoice::AllInForce(d) => {
            f.effective = Some(d);
            f.case = Some(format!(
                "whichever case applies (the profile does not give {})",
                f.missing.join(", ")
            ));
            f.missing.clear();
        }
        CaseChoice::Unknown if rule.is_watch() => {
            f.status = Status::Informational;
            f.reason = format!(
                "the date it would take effect depends on {}",
                f.missing.join(", ")
            );
            return f;
        }
        // A draft or a voluntary scheme informs whatever its date.
        CaseChoice::Unknown if rule.is_informational() => {
            f.missing.clear();
        }
        CaseChoice::Unknown => {
            f.status = Status::NeedsInfo;
            f.reason = format!(
                "the date depends on {}, which the profile does not give",
                f.missing.join(", ")
            );
            return f;
        }
        CaseChoice::NoneMatches => {
            f.reason = "none of the rule's dated cases covers this product".into();
            return f;
        }
    }

    if let Some(req) = &rule.met_by {
        f.evidence = evidence::check(req, &ctx.profile.evidence, as_of);
    }
    let in_force = f.effective.is_none_or(|d| d <= as_of);

    if rule.is_informational() {
        f.status = Status::Informational;
        f.reason = if rule.binds == crate::model::Party::Nobody {
            "binds no one yet (a plan, programme or standards project)".into()
        } else if rule.status == crate::model::RuleStatus::Draft {
            "a draft, not law in force".into()
        } else if rule.binding == crate::syntax::ast::Binding::Voluntary {
            "a voluntary scheme".into()
        } else {
            "for information; no product obligation".into()
        };
        if let Some(d) = f.effective.filter(|d| *d > as_of) {
            f.deadline = Some(d);
            f.days_left = Some(days(d));
        }
        return f;
    }

    if !in_force {
        let d = f.effective.unwrap();
        f.status = Status::Upcoming;
        f.deadline = Some(d);
        f.days_left = Some(days(d));
        f.reason = format!("applies from {d}");
        return f;
    }
    if f.evidence.met {
        f.status = Status::Met;
        f.reason = format!("shown met: {}", f.evidence.notes.join("; "));
        return f;
    }
    for t in &rule.transitions {
        if t.date < as_of {
            continue;
        }
        // Facts a false condition could not read do not matter: keep only
        // those of the condition that leaves the outcome open.
        let mut missing = Vec::new();
        let holds = match &t.when {
            None => Truth::True,
            Some(c) => ctx.eval(c, &mut f.checks, &mut missing),
        };
        if holds == Truth::Unknown {
            f.missing = missing;
        }
        match holds {
            Truth::True => {
                f.status = Status::InTransition;
                f.transition_until = Some(t.date);
                f.deadline = Some(t.date);
                f.days_left = Some(days(t.date));
                f.reason = match &t.label {
                    Some(l) => format!("transition for {l} until {}", t.date),
                    None => format!("transition period until {}", t.date),
                };
                f.missing.clear();
                return f;
            }
            Truth::Unknown => {
                f.status = Status::NeedsInfo;
                f.reason = format!(
                    "a transition period until {} may apply; the profile does not give {}",
                    t.date,
                    f.missing.join(", ")
                );
                return f;
            }
            Truth::False => {}
        }
    }
    let mut own_ended = None;
    for t in &rule.transitions_until_fact {
        let mut missing = Vec::new();
        let holds = match &t.when {
            None => Truth::True,
            Some(c) => ctx.eval(c, &mut f.checks, &mut missing),
        };
        if holds == Truth::False {
            continue;
        }
        let until = match ctx.profile.attributes.get(t.attribute.as_str()) {
            Some(crate::profile::AttrValue::Date(d)) => Some(*d),
            // Written as none: the product has no such date, so no grace.
            Some(_) => continue,
            None => None,
        };
        match (holds, until) {
            (_, Some(d)) if d < as_of => {
                if holds == Truth::True {
                    own_ended = own_ended.max(Some(d));
                }
            }
            (Truth::True, Some(d)) => {
                f.status = Status::InTransition;
                f.transition_until = Some(d);
                f.deadline = Some(d);
                f.days_left = Some(days(d));
                f.reason = match &t.label {
                    Some(l) => format!("transition for {l} until {d} ({})", t.attribute),
                    None => format!("transition period until {d} ({})", t.attribute),
                };
                f.missing.clear();
                return f;
            }
            _ => {
                if until.is_none() {
                    missing.push(t.attribute.to_string());
                }
                f.missing = missing;
                f.status = Status::NeedsInfo;
                f.reason = format!(
                    "a transition period until the product's {} may apply; the profile does not give {}",
                    t.attribute,
                    f.missing.join(", ")
                );
                return f;
            }
        }
    }
    f.missing.clear();
    f.status = Status::Applies;
    // A grace period this product was in has ended: the obligation binds it
    // from the day after, not from the scheme's start.
    let ended = rule
        .transitions
        .iter()
        .filter(|t| t.date < as_of)
        .filter(|t| t.when.as_ref().is_none_or(|c| ctx.truth(c) == Truth::True))
        .map(|t| t.date)
        .max()
        .max(own_ended);
    f.reason = match (f.effective, ended.and_then(|t| t.succ_opt())) {
        (Some(d), Some(since)) if since > d => format!(
            "in force since {d}; applies since {since}, the day after the transition ended; not shown met"
        ),
        (Some(d), _) => format!("in force since {d}; not shown met"),
        (None, Some(since)) => format!(
            "applies since {since}, the day after the transition ended; not shown met"
        ),
        (None, None) => "in force; not shown met".into(),
    };
    f
}

/// The first day on which a rule was known: its `published` date or, when
/// it has none, the last day of the issue of the bundled newsletter it cites
/// (none for a newsletter that is not bundled: such a rule is always known).
pub fn known_from(rule: &Rule) -> Option<NaiveDate> {
    rule.published
        .or_else(|| crate::bundled::newsletter_date(&rule.source.file))
}

enum CaseChoice {
    Date(NaiveDate, Option<String>),
    NoDate,
    Unknown,
    /// The case is unknown, but every date it may have has come: the
    /// latest of them.
    AllInForce(NaiveDate),
    NoneMatches,
}

/// The latest date the product can get when `undecided` (a case of `cases`)
/// cannot be told: that case's, and those of every later case whose
/// condition is not false (the fallback included). `None` when a later case
/// is unknown and would need its own look (it still counts: its date is
/// among those taken).
fn latest_possible_date(
    cases: &[DatedCase],
    undecided: &DatedCase,
    ctx: &Context,
) -> Option<NaiveDate> {
    let at = cases.iter().position(|c| std::ptr::eq(c, undecided))?;
    let earlier_fallback = cases[..at]
        .iter()
        .filter(|c| c.when.is_none())
        .map(|c| c.date);
    cases[at..]
        .iter()
        .filter(|c| c.when.as_ref().is_none_or(|w| ctx.truth(w) != Truth::False))
        .map(|c| c.date)
        .chain(earlier_fallback)
        .max()
}

fn pick_case<'r>(cases: &'r [DatedCase], ctx: &Context, f: &mut Finding<'r>) -> CaseChoice {
    if cases.is_empty() {
        return CaseChoice::NoDate;
    }
    let mut fallback = None;
    for c in cases {
        match &c.when {
            None => {
                if fallback.is_none() {
                    fallback = Some((c.date, c.label.as_deref().map(String::from)));
                }
            }
            Some(cond) => {
                // As for transitions: only an undecided case's facts are missing.
                let mut missing = Vec::new();
                match ctx.eval(cond, &mut f.checks, &mut missing) {
                    Truth::True => {
                        return CaseChoice::Date(c.date, c.label.as_deref().map(String::from))
                    }
                    Truth::Unknown => {
                        f.missing = missing;
                        return match latest_possible_date(cases, c, ctx) {
                            Some(d) if d <= ctx.as_of => CaseChoice::AllInForce(d),
                            _ => CaseChoice::Unknown,
                        };
                    }
                    Truth::False => {}
                }
            }
        }
    }
    match fallback {
        Some((d, l)) => CaseChoice::Date(d, l),
        None => CaseChoice::NoneMatches,
    }
}

/// The status of `rule` for the product and no more: not applicable when
/// that is settled before dates and evidence are read (as `check` counts
/// such rules without --all), else the full evaluation's status. For the
/// peer benchmark's statuses-against-statuses comparison.
pub fn status_of(rule: &Rule, ctx: &Context) -> Status {
    match early(rule, known_from(rule), ctx) {
        Early::NotApplicable => Status::NotApplicable,
        // Only the reason, not built here, would say more.
        Early::FactsMissing if rule.is_watch() => Status::Informational,
        Early::FactsMissing => Status::NeedsInfo,
        Early::Open => evaluate_rule(rule, ctx).status,
    }
}

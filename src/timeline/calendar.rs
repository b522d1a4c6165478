//! The dated events of a rule set that concern a catalogue: what a deadline
//! calendar and the report's timeline show.

use chrono::NaiveDate;

use crate::evaluate::{evaluate_rule, Context, Finding, Status};
use crate::model::{Rule, RuleSet};
use crate::profile::Profile;

use super::{rule_dates, EventKind};

/// One date of one rule, with the products it concerns.
#[derive(Debug, Clone)]
pub struct Event<'r> {
    /// The date as the rule (or the evidence) states it: for a transition
    /// or an expiry, the last day that still counts.
    pub date: NaiveDate,
    pub kind: EventKind,
    pub rule: &'r Rule,
    /// The cases the date is given for ("new vehicle types"), if any.
    pub cases: Vec<String>,
    pub products: Vec<Concerned>,
}

/// A product an event concerns, and its status on the event's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concerned {
    /// Index into the profiles passed to [`events`].
    pub product: usize,
    pub status: Status,
    /// What about this product the event is, e.g. the certificate expiring
    /// or the case it falls under.
    pub note: Option<String>,
}

/// Every dated event of `rules` that concerns at least one of `profiles`,
/// between `from` and `to` inclusive (open when `None`), sorted by date,
/// then kind, topic and rule id.
///
/// A date concerns a product when, evaluated on that day, the product is in
/// the rule's scope and the date is the one that holds for it (its case, its
/// grace period, the evidence it relies on), or when the profile lacks the
/// facts to tell (`needs-info`: the date may concern it).
pub fn events<'r>(
    rules: &'r RuleSet,
    profiles: &[Profile],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Vec<Event<'r>> {
    let in_range = |d: NaiveDate| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t);
    let mut out: Vec<Event<'r>> = Vec::new();
    for rule in &rules.rules {
        let mut dates = rule_dates(rule);
        dates.retain(|d| in_range(d.date));
        dates.sort_by(|a, b| (a.date, a.kind, &a.case).cmp(&(b.date, b.kind, &b.case)));
        for d in dates {
            // Cases sharing a date are one event.
            if let Some(last) = out.last_mut() {
                if std::ptr::eq(last.rule, rule) && last.date == d.date && last.kind == d.kind {
                    last.cases.extend(d.case);
                    continue;
                }
            }
            let products = profiles
                .iter()
                .enumerate()
                .filter_map(|(i, p)| concerns(rules, rule, p, d.date, d.kind, i))
                .collect();
            out.push(Event {
                date: d.date,
                kind: d.kind,
                rule,
                cases: d.case.into_iter().collect(),
                products,
            });
        }
        out.extend(expiries(rules, rule, profiles, &in_range));
    }
    out.retain(|e| !e.products.is_empty());
    out.sort_by(|a, b| {
        (a.date, a.kind, &a.rule.topic, &a.rule.id).cmp(&(
            b.date,
            b.kind,
            &b.rule.topic,
            &b.rule.id,
        ))
    });
    out
}

fn eval_on<'r>(rules: &RuleSet, rule: &'r Rule, profile: &Profile, day: NaiveDate) -> Finding<'r> {
    evaluate_rule(
        rule,
        &Context {
            vocab: &rules.vocabulary,
            profile,
            as_of: day,
        },
    )
}

fn concerns(
    rules: &RuleSet,
    rule: &Rule,
    profile: &Profile,
    date: NaiveDate,
    kind: EventKind,
    index: usize,
) -> Option<Concerned> {
    // Repeal and supersession matter to products the rule bound the day before.
    let day = match kind {
        EventKind::Repealed | EventKind::Superseded => date.pred_opt()?,
        _ => date,
    };
    let f = eval_on(rules, rule, profile, day);
    let holds = match (kind, f.status) {
        (_, Status::NotApplicable) => false,
        (_, Status::NeedsInfo) => true,
        (EventKind::Effective, _) => f.effective == Some(date),
        (EventKind::TransitionEnds, _) => f.transition_until == Some(date),
        (EventKind::Repealed | EventKind::Superseded, _) => true,
        (EventKind::EvidenceExpires | EventKind::Reported, _) => false,
    };
    holds.then(|| Concerned {
        product: index,
        status: f.status,
        note: match f.status {
            Status::NeedsInfo if !f.missing.is_empty() => {
                Some(format!("may concern it: add {}", f.missing.join(", ")))
            }
            Status::NeedsInfo => Some("may concern it".into()),
            _ => f.case.clone(),
        },
    })
}

/// Evidence that meets `rule` for a product on its last valid day and no
/// longer does the day after: a renewal deadline.
fn expiries<'r>(
    rules: &'r RuleSet,
    rule: &'r Rule,
    profiles: &[Profile],
    in_range: &dyn Fn(NaiveDate) -> bool,
) -> Vec<Event<'r>> {
    if rule.met_by.is_none() {
        return Vec::new();
    }
    let mut out: Vec<Event<'r>> = Vec::new();
    for (i, p) in profiles.iter().enumerate() {
        let mut until: Vec<NaiveDate> = p.evidence.iter().filter_map(|e| e.valid_until).collect();
        until.sort();
        until.dedup();
        for u in until.into_iter().filter(|u| in_range(*u)) {
            let Some(next) = u.succ_opt() else { continue };
            let on = eval_on(rules, rule, p, u);
            if on.status != Status::Met || eval_on(rules, rule, p, next).status == Status::Met {
                continue;
            }
            let expiring: Vec<String> = p
                .evidence
                .iter()
                .filter(|e| e.valid_until == Some(u) && on.evidence.used.contains(&e.path))
                .map(|e| match &e.number {
                    Some(n) => format!("{} {} ({n})", e.kind.as_str(), e.scheme),
                    None => format!("{} {}", e.kind.as_str(), e.scheme),
                })
                .collect();
            let concerned = Concerned {
                product: i,
                status: on.status,
                note: (!expiring.is_empty()).then(|| expiring.join(", ")),
            };
            match out.iter_mut().find(|e| e.date == u) {
                Some(e) => e.products.push(concerned),
                None => out.push(Event {
                    date: u,
                    kind: EventKind::EvidenceExpires,
                    rule,
                    cases: Vec::new(),
                    products: vec![concerned],
                }),
            }
        }
    }
    out
}

//! Does the profile hold what a rule's `met by` asks for? Evidence that is
//! expired, of a lower grade or tier, or to another standard does not count,
//! and the notes say why, so a reader knows what to renew.

use chrono::NaiveDate;

use crate::model::{EvidenceRef, EvidenceReq};
use crate::profile::EvidenceItem;
use crate::syntax::ast::{LevelCmp, LevelKind};

use super::standard_code::{self, Match};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub met: bool,
    /// Why held evidence did not count, or which item did.
    pub notes: Vec<String>,
    /// Profile paths of the items that satisfied the requirement.
    pub used: Vec<String>,
}

pub fn check(req: &EvidenceReq, items: &[EvidenceItem], as_of: NaiveDate) -> Outcome {
    match req {
        EvidenceReq::One(r) => check_ref(r, items, as_of),
        EvidenceReq::All(parts) => {
            let mut out = Outcome {
                met: true,
                ..Default::default()
            };
            for p in parts {
                let o = check(p, items, as_of);
                out.met &= o.met;
                out.notes.extend(o.notes);
                out.used.extend(o.used);
            }
            out
        }
        EvidenceReq::Any(parts) => {
            let mut out = Outcome::default();
            for p in parts {
                let o = check(p, items, as_of);
                out.met |= o.met;
                out.notes.extend(o.notes);
                out.used.extend(o.used);
            }
            out
        }
    }
}

/// Whether an item counts for `r`, as [`check_ref`] decides it, without
/// writing the notes: for conditions (`holds …`) whose trace is not kept.
pub fn holds(r: &EvidenceRef, items: &[EvidenceItem], as_of: NaiveDate) -> bool {
    items.iter().any(|item| {
        item.kind == r.kind && item.scheme == r.scheme && refusal(r, item, as_of).is_none()
    })
}

/// Why `item` (of `r`'s kind and scheme) does not count for `r`, or `None`
/// when it does. The reason is a phrase after the item's name.
fn refusal(r: &EvidenceRef, item: &EvidenceItem, as_of: NaiveDate) -> Option<String> {
    if let Some(until) = item.valid_until {
        if until < as_of {
            return Some(format!("expired on {until}"));
        }
    }
    if let Some((kind, cmp, want)) = r.level {
        let have = match kind {
            LevelKind::Grade => item.grade,
            LevelKind::Tier => item.tier,
        };
        let word = kind.as_str();
        let Some(h) = have else {
            return Some(format!("does not state its {word}"));
        };
        let ok = match cmp {
            LevelCmp::AtLeast => h >= want,
            LevelCmp::AtMost => h <= want,
        };
        if !ok {
            let need = match cmp {
                LevelCmp::AtLeast => format!("at least {want}"),
                LevelCmp::AtMost => format!("at most {want}"),
            };
            return Some(format!("has {word} {h}; {need} is required"));
        }
    }
    if let Some(std) = &r.standard {
        let matches: Vec<(Match, &str)> = item
            .standards
            .iter()
            .map(|s| (standard_code::compare(std, s), s.as_str()))
            .collect();
        if !matches.iter().any(|(m, _)| *m == Match::Meets) {
            if let Some((_, older)) = matches.iter().find(|(m, _)| *m == Match::OlderEdition) {
                return Some(format!(
                    "is to {older}, an older edition; it must be to {std}"
                ));
            }
            let held = if item.standards.is_empty() {
                "names no standard".to_string()
            } else {
                format!("is to {}", item.standards.join(", "))
            };
            return Some(format!("{held}; it must be to {std}"));
        }
    }
    if let Some(rule) = &r.implementation_rule {
        match &item.implementation_rule {
            Some(have) if standard_code::compare(rule, have) == Match::Meets => {}
            Some(have) => {
                return Some(format!(
                    "was issued under {have}; it must be under implementation rule {rule}"
                ))
            }
            None => {
                return Some(format!(
                    "does not say its implementation rule; it must be issued under {rule}"
                ))
            }
        }
    }
    let missing: Vec<&str> =
        r.documents
            .iter()
            .filter(|d| {
                !item.documents.iter().any(|have| {
                    crate::model::normalise_name(have) == crate::model::normalise_name(d)
                })
            })
            .map(|d| d.as_str())
            .collect();
    if !missing.is_empty() {
        return Some(format!(
            "does not list {} among its documents; the filing needs {}",
            missing.join(", "),
            r.documents.join(", ")
        ));
    }
    None
}

pub fn check_ref(r: &EvidenceRef, items: &[EvidenceItem], as_of: NaiveDate) -> Outcome {
    let mut notes = Vec::new();
    for item in items
        .iter()
        .filter(|i| i.kind == r.kind && i.scheme == r.scheme)
    {
        let id = match &item.number {
            Some(n) => format!("{} {} ({n})", r.kind.as_str(), r.scheme),
            None => format!("{} {}", r.kind.as_str(), r.scheme),
        };
        if let Some(why) = refusal(r, item, as_of) {
            notes.push(format!("{id} {why}"));
            continue;
        }
        return Outcome {
            met: true,
            notes: vec![format!("{id} held")],
            used: vec![item.path.clone()],
        };
    }
    if notes.is_empty() {
        // Holding something of the same kind under another scheme (a CQC
        // certificate where CCC is required) is a common mix-up: name it.
        let others: Vec<&str> = items
            .iter()
            .filter(|i| i.kind == r.kind && i.scheme != r.scheme)
            .map(|i| i.scheme.as_str())
            .collect();
        // A record of another kind under the same scheme family (a CCC
        // self-declaration where a CCC certificate is required).
        let in_family = |scheme: &str| {
            scheme
                .strip_prefix(r.scheme.as_str())
                .is_some_and(|rest| rest.starts_with('-'))
        };
        for i in items
            .iter()
            .filter(|i| i.kind != r.kind && in_family(&i.scheme))
        {
            notes.push(format!(
                "{} {} is held; it does not count as {} {}",
                i.kind.as_str(),
                i.scheme,
                r.kind.as_str(),
                r.scheme
            ));
        }
        if others.is_empty() {
            notes.push(format!("no {} is recorded", r.describe()));
        } else {
            notes.push(format!(
                "no {} is recorded; {} {} is another scheme and does not count",
                r.describe(),
                r.kind.as_str(),
                others.join(", ")
            ));
        }
    }
    Outcome {
        met: false,
        notes,
        used: Vec::new(),
    }
}

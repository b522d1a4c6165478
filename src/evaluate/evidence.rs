//! Does the profile hold what a rule's `met by` asks for? Evidence that is
//! expired, of a lower grade or tier, or to another standard does not count,
//! and the notes say why, so a reader knows what to renew.

use chrono::NaiveDate;

use crate::model::{EvidenceRef, EvidenceReq};
use crate::profile::EvidenceItem;
use crate::syntax::ast::{LevelCmp, LevelKind};

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
        item.kind == r.kind
            && item.scheme == r.scheme
            && item.valid_until.is_none_or(|until| until >= as_of)
            && r.level.is_none_or(|(kind, cmp, want)| {
                let have = match kind {
                    LevelKind::Grade => item.grade,
                    LevelKind::Tier => item.tier,
                };
                have.is_some_and(|h| match cmp {
                    LevelCmp::AtLeast => h >= want,
                    LevelCmp::AtMost => h <= want,
                })
            })
            && r.standard.as_ref().is_none_or(|std| {
                item.standards
                    .iter()
                    .any(|s| s.trim().eq_ignore_ascii_case(std.trim()))
            })
    })
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
        if let Some(until) = item.valid_until {
            if until < as_of {
                notes.push(format!("{id} expired on {until}"));
                continue;
            }
        }
        if let Some((kind, cmp, want)) = r.level {
            let have = match kind {
                LevelKind::Grade => item.grade,
                LevelKind::Tier => item.tier,
            };
            let word = kind.as_str();
            match have {
                None => {
                    notes.push(format!("{id} does not state its {word}"));
                    continue;
                }
                Some(h) => {
                    let ok = match cmp {
                        LevelCmp::AtLeast => h >= want,
                        LevelCmp::AtMost => h <= want,
                    };
                    if !ok {
                        let need = match cmp {
                            LevelCmp::AtLeast => format!("at least {want}"),
                            LevelCmp::AtMost => format!("at most {want}"),
                        };
                        notes.push(format!("{id} has {word} {h}; {need} is required"));
                        continue;
                    }
                }
            }
        }
        if let Some(std) = &r.standard {
            if !item
                .standards
                .iter()
                .any(|s| s.trim().eq_ignore_ascii_case(std.trim()))
            {
                let held = if item.standards.is_empty() {
                    "names no standard".to_string()
                } else {
                    format!("is to {}", item.standards.join(", "))
                };
                notes.push(format!("{id} {held}; it must be to {std}"));
                continue;
            }
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

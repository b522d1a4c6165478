//! `calendar --format ics`: an RFC 5545 calendar with one all-day VEVENT per
//! date and rule, built with the `icalendar` crate (which escapes text and
//! folds long lines).
//!
//! The UID is made of the date, the event kind and the rule id, which never
//! change once a rule is published: importing a newer calendar updates an
//! event (its products, statuses, text) rather than adding a second one.

use chrono::{NaiveDate, NaiveTime};
use icalendar::{Calendar, Component, Event as VEvent, EventLike, Property};

use crate::profile::Profile;
use crate::timeline::Event;

use super::calendar::{concerned_line, event_title};
use super::text;

/// The UID of an event, e.g. `20260701-effective-ccc.motor@cncomply`.
pub fn uid(e: &Event) -> String {
    format!(
        "{}-{}-{}@cncomply",
        e.date.format("%Y%m%d"),
        e.kind.as_str(),
        e.rule.id
    )
}

fn description(e: &Event, profiles: &[Profile]) -> String {
    let r = e.rule;
    let mut lines = vec![
        r.title.clone(),
        format!("To do: {}", r.obligation),
        format!("Citation: {} ({})", text::citation(r), r.authority),
    ];
    if !e.cases.is_empty() {
        lines.push(format!("For: {}", e.cases.join(", ")));
    }
    lines.push("Products (status that day):".into());
    for c in &e.products {
        let origin = profiles
            .get(c.product)
            .map(|p| p.origin.as_str())
            .unwrap_or("?");
        lines.push(format!("- {} [{origin}]", concerned_line(profiles, c)));
    }
    lines.join("\n")
}

/// `stamp` is the DTSTAMP of every event (RFC 5545 requires one): the day
/// the calendar is generated, so output is the same all day long.
pub fn render(events: &[Event], profiles: &[Profile], stamp: NaiveDate) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property(Property::new(
        "PRODID",
        format!("-//cncomply//cncomply {}//EN", env!("CARGO_PKG_VERSION")),
    ));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    cal.append_property(("METHOD", "PUBLISH"));
    cal.name("cncomply deadlines");
    let stamp = stamp.and_time(NaiveTime::MIN).and_utc();
    for e in events {
        let mut ev = VEvent::new();
        ev.uid(&uid(e))
            .timestamp(stamp)
            .summary(&format!("{}: {}", event_title(e), e.rule.title))
            .description(&description(e, profiles))
            .starts(e.date)
            .add_property("CATEGORIES", e.rule.topic.as_str())
            // A deadline is a reminder, not a meeting: it does not block time.
            .add_property("TRANSP", "TRANSPARENT");
        // An all-day event ends (exclusively) the next day.
        if let Some(next) = e.date.succ_opt() {
            ev.ends(next);
        }
        cal.push(ev.done());
    }
    cal.to_string()
}

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
    refold(&cal.to_string())
}

/// RFC 5545 §3.1: a content line is at most 75 octets; longer ones continue
/// on lines that start with one space. icalendar 0.17 lets the last
/// continuation of a long line reach 76 octets, so its output is unfolded
/// and folded again here. Text values escape newlines, so the only CRLF +
/// space sequences in its output are its own folds.
fn refold(ics: &str) -> String {
    const LIMIT: usize = 75;
    let unfolded = ics.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 24);
    for line in unfolded.split_terminator("\r\n") {
        let mut rest = line;
        let mut room = LIMIT;
        loop {
            if rest.len() <= room {
                out.push_str(rest);
                out.push_str("\r\n");
                break;
            }
            let mut cut = room;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            room = LIMIT - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::refold;

    /// Every length around the fold points, with ASCII and three-byte
    /// characters, so a cut can land inside a character.
    #[test]
    fn folded_lines_fit_in_75_octets_and_unfold_to_the_original() {
        for unit in ["a", "产", "a产"] {
            for n in 1..=200 {
                let line = format!("DESCRIPTION:{}", unit.repeat(n));
                let ics = format!("BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n");
                let folded = refold(&ics);
                assert!(folded.ends_with("\r\n"));
                for l in folded.split_terminator("\r\n") {
                    assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
                }
                assert_eq!(folded.replace("\r\n ", ""), ics, "unit {unit:?} × {n}");
            }
        }
    }

    /// A line icalendar folded with a 76-octet tail comes out within limits.
    #[test]
    fn an_already_folded_line_is_refolded() {
        let tail = "b".repeat(75);
        let ics = format!("DESCRIPTION:{}\r\n {tail}\r\n", "a".repeat(63));
        let folded = refold(&ics);
        assert!(folded.split_terminator("\r\n").all(|l| l.len() <= 75));
        assert_eq!(
            folded.replace("\r\n ", ""),
            format!("DESCRIPTION:{}{tail}\r\n", "a".repeat(63))
        );
    }
}

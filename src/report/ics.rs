//! `calendar --format ics`: an RFC 5545 calendar with one all-day VEVENT per
//! date and rule. Written here, not with the `icalendar` crate: its line
//! folding counts characters from the start of the line at every fold, so a
//! long text (a 1 MB product name, or a thousand products under one event)
//! took time quadratic in its length (12.5 s for 1 MB). Text values are
//! escaped as RFC 5545 §3.3.11 says, with control characters (which TEXT
//! may not hold; a bare CR would end a line for some readers) replaced by
//! visible stand-ins, and folded in one pass.
//!
//! The UID is made of the date, the event kind and the rule id, which never
//! change once a rule is published: importing a newer calendar updates an
//! event (its products, statuses, text) rather than adding a second one.

use chrono::NaiveDate;

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
        r.title.to_string(),
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
    let mut out = String::new();
    let day = |d: NaiveDate| d.format("%Y%m%d").to_string();
    let mut line = |l: &str| fold_into(&mut out, l);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!(
        "PRODID:-//cncomply//cncomply {}//EN",
        env!("CARGO_PKG_VERSION")
    ));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line("NAME:cncomply deadlines");
    line("X-WR-CALNAME:cncomply deadlines");
    for e in events {
        // Properties in name order, as icalendar wrote them before.
        line("BEGIN:VEVENT");
        line(&format!("CATEGORIES:{}", escape_text(&e.rule.topic)));
        line(&format!(
            "DESCRIPTION:{}",
            escape_text(&description(e, profiles))
        ));
        // An all-day event ends (exclusively) the next day.
        if let Some(next) = e.date.succ_opt() {
            line(&format!("DTEND;VALUE=DATE:{}", day(next)));
        }
        line(&format!("DTSTAMP:{}T000000Z", day(stamp)));
        line(&format!("DTSTART;VALUE=DATE:{}", day(e.date)));
        line(&format!(
            "SUMMARY:{}",
            escape_text(&format!("{}: {}", event_title(e), e.rule.title))
        ));
        // A deadline is a reminder, not a meeting: it does not block time.
        line("TRANSP:TRANSPARENT");
        line(&format!("UID:{}", uid(e)));
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// RFC 5545 §3.3.11 TEXT: backslash, comma, semicolon and line feed
/// escaped; other control characters are not allowed, so they become
/// visible stand-ins.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for part in s.split('\n').enumerate() {
        if part.0 > 0 {
            out.push_str("\\n");
        }
        for c in crate::safe_text::one_line(part.1).chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                ',' => out.push_str("\\,"),
                ';' => out.push_str("\\;"),
                c => out.push(c),
            }
        }
    }
    out
}

/// Appends one content line, folded: RFC 5545 §3.1 allows at most 75
/// octets a line; longer ones continue on lines that start with one space.
/// One pass over the line, cutting only between characters.
fn fold_into(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut rest = line;
    let mut room = LIMIT;
    loop {
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
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

#[cfg(test)]
mod tests {
    use super::fold_into;

    /// Unfolds `ics` and folds each line again.
    fn refold(ics: &str) -> String {
        let mut out = String::new();
        for line in ics.replace("\r\n ", "").split_terminator("\r\n") {
            fold_into(&mut out, line);
        }
        out
    }

    #[test]
    fn text_escapes_and_control_characters() {
        assert_eq!(
            super::escape_text("a,b;c\\d\ne\rf\u{1b}g"),
            "a\\,b\\;c\\\\d\\ne␍f␛g"
        );
    }

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

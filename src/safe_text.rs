//! Text from a repository (product names, file names, approvers, rule
//! texts) on its way to a human: a terminal, a CI log, a Markdown comment,
//! an HTML page, a calendar. Anyone who opens a pull request controls that
//! text, so before it is shown:
//!
//! - control characters are replaced by visible stand-ins (`␛` for ESC,
//!   `␊` for a line feed inside a one-line field, `�` for C1 controls and
//!   bidirectional overrides): an escape sequence cannot hide the rest of a
//!   report, retitle or clear the terminal, and a CR cannot overwrite a line;
//! - a line of a log that starts with `::` (GitHub reads workflow commands
//!   from standard output and standard error, after leading blanks) or holds
//!   `##[` gets a zero-width space between the two characters, so a name
//!   cannot forge an annotation or stop the commands that follow. Only the
//!   `github` format writes real workflow commands.
//!
//! Machine formats (JSON, SARIF, JUnit) keep the text exact: their encoders
//! escape what their syntax needs, and a program reads them.
//!
//! [`shorten`] cuts a text that would be repeated, or laid out by a
//! table, to a readable length, so time and output stay linear in the input.

use std::borrow::Cow;

const ZWSP: char = '\u{200b}';

/// Characters that must not reach a human unchanged.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        // Bidirectional embeddings, overrides and isolates reorder what
        // follows them on screen ("Trojan Source").
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The visible stand-in for an unsafe character.
fn stand_in(c: char) -> char {
    match c as u32 {
        // U+2400 CONTROL PICTURES: ␀ … ␟, and ␡ for DEL.
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// A one-line field (a name, a file name, an approver): every control
/// character, line breaks included, becomes a visible stand-in.
pub fn one_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if is_unsafe(c) { stand_in(c) } else { c })
            .collect(),
    )
}

/// A block of lines for a human (a table, Markdown, a diagnostic): line
/// feeds and tabs stay, every other control character becomes a visible
/// stand-in, and no line can be read as a workflow command.
pub fn text_block(s: &str) -> Cow<'_, str> {
    let kept = |c: char| c == '\n' || c == '\t';
    let cleaned = if s.chars().any(|c| is_unsafe(c) && !kept(c)) {
        Cow::Owned(
            s.chars()
                .map(|c| {
                    if is_unsafe(c) && !kept(c) {
                        stand_in(c)
                    } else {
                        c
                    }
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    };
    match guard_workflow_commands(&cleaned) {
        Cow::Borrowed(_) => cleaned,
        Cow::Owned(g) => Cow::Owned(g),
    }
}

/// Whether `s` holds anything [`text_block`] would change.
pub fn needs_cleaning(s: &str) -> bool {
    matches!(text_block(s), Cow::Owned(_))
}

/// Breaks every workflow command a line could carry: `::` at the start of
/// a line (after blanks) and `##[` anywhere.
pub fn guard_workflow_commands(s: &str) -> Cow<'_, str> {
    let starts_command = |line: &str| line.trim_start().starts_with("::");
    // A fast search (memchr's, vectorised): a long report with neither is
    // returned without looking at each line.
    let has = |needle: &str| memchr::memmem::find(s.as_bytes(), needle.as_bytes()).is_some();
    if !has("##[") && (!has("::") || !s.split('\n').any(starts_command)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.replace("##[", "#\u{200b}#[");
        if starts_command(&line) {
            let at = line.len() - line.trim_start().len();
            out.push_str(&line[..=at]);
            out.push(ZWSP);
            out.push_str(&line[at + 1..]);
        } else {
            out.push_str(&line);
        }
    }
    Cow::Owned(out)
}

/// A name that names nothing (a category, a rule id) is quoted in its
/// error cut to this many characters: all of a 4 MiB one would be the log.
pub const MAX_ECHOED: usize = 80;

/// A message with any word longer than [`MAX_ECHOED`] cut short: messages
/// quote what was written (a category, a rule id, a heading), which may be
/// megabytes long.
pub fn quoted_short(message: String) -> String {
    match shorten_words(&message, MAX_ECHOED) {
        Cow::Borrowed(_) => message,
        Cow::Owned(short) => short,
    }
}

/// `s` cut to at most `max` characters, saying how many were left out:
/// `ABCD… (+396 characters)`.
pub fn shorten(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((cut, _)) => {
            let rest = s[cut..].chars().count();
            Cow::Owned(format!("{}… (+{rest} characters)", &s[..cut]))
        }
    }
}

/// `s` with every word (a run without white space) longer than `max`
/// characters shortened: a table lays out an unbroken word in time that
/// grows with the square of its length.
pub fn shorten_words(s: &str, max: usize) -> Cow<'_, str> {
    if !s.split_whitespace().any(|w| w.len() > max) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(64 * 1024));
    let mut word_start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), word_start) {
            (true, Some(start)) => {
                out.push_str(&shorten(&s[start..i], max));
                out.push(c);
                word_start = None;
            }
            (true, None) => out.push(c),
            (false, None) => word_start = Some(i),
            (false, Some(_)) => {}
        }
    }
    if let Some(start) = word_start {
        out.push_str(&shorten(&s[start..], max));
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(one_line("x\u{1b}[8m"), "x␛[8m");
        assert_eq!(one_line("a\nb\rc"), "a␊b␍c");
        assert_eq!(one_line("\u{9b}2J"), "\u{fffd}2J");
        assert_eq!(one_line("plain 电机"), "plain 电机");
        assert!(matches!(one_line("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn blocks_keep_line_feeds_and_break_workflow_commands() {
        let s = text_block("ok\n  ::error file=a::forged\nx ::fine\n##[error]y\r\n");
        assert_eq!(
            s,
            "ok\n  :\u{200b}:error file=a::forged\nx ::fine\n#\u{200b}#[error]y␍\n"
        );
        assert!(!s.lines().any(|l| l.trim_start().starts_with("::")));
        assert!(!needs_cleaning("a table\n│ ::x │\n"));
    }

    #[test]
    fn shortening_counts_what_it_leaves_out() {
        assert_eq!(shorten("abcdef", 4), "abcd… (+2 characters)");
        assert_eq!(shorten("电机电机", 2), "电机… (+2 characters)");
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten_words("a bcdefgh i", 3), "a bcd… (+4 characters) i");
    }
}

//! The profile document in one pass of yaml-rust2's event parser. A
//! catalogue run reads every profile, and reading them was half its time.
//! The gain is smaller than parsing alone suggested (23 µs a profile
//! against serde_yaml's 44 µs in a micro-benchmark): in the loader, on 400
//! generated profiles, `Profile::from_yaml` went from 156 M to 136 M
//! instructions, yaml-rust2 executing about three quarters of libyaml's.
//!
//! It reads only the YAML that profiles are written in: block mappings,
//! block and flow lists, plain and one-line quoted scalars. Anything else
//! (anchors, tags, block scalars, escapes, flow mappings, duplicate keys,
//! more than one document, a syntax error, …) gives `None`, and the caller
//! reads the text with serde_yaml as before, so every message about such a
//! document is serde_yaml's own. Where it gives a document, it is the one
//! serde_yaml would give: scalars are resolved by serde_yaml's rules,
//! copied below, and the `profile_loader` fuzz target checks the two agree
//! on every input.

use serde_yaml::{Mapping, Value};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

/// Larger documents go to serde_yaml: profiles are a few kilobytes, and the
/// fast path is not worth a second parser's worst case on hostile input.
const MAX_FAST_BYTES: usize = 256 * 1024;

/// serde_yaml refuses documents nested deeper than 128; leave those to it.
const MAX_DEPTH: usize = 100;

/// The document's top-level mapping, or `None` when serde_yaml must read it.
pub(super) fn top_mapping(text: &str) -> Option<Mapping> {
    if text.len() > MAX_FAST_BYTES || !text.lines().all(plain_line) {
        return None;
    }
    let mut parser = Parser::new_from_str(text);
    let mut tree = Tree::default();
    let mut documents = 0;
    loop {
        let (event, _) = parser.next_token().ok()?;
        match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
            }
            Event::StreamEnd => break,
            Event::Alias(_) => return None,
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                tree.value(scalar(text, style)?)?;
            }
            Event::MappingStart(anchor, ref tag) | Event::SequenceStart(anchor, ref tag) => {
                if anchor != 0 || tag.is_some() || tree.open.len() >= MAX_DEPTH {
                    return None;
                }
                tree.open.push(match event {
                    Event::MappingStart(..) => Open::Mapping(Mapping::new(), None),
                    _ => Open::Sequence(Vec::new()),
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let done = match tree.open.pop()? {
                    Open::Mapping(map, None) => Value::Mapping(map),
                    Open::Sequence(items) => Value::Sequence(items),
                    Open::Mapping(_, Some(_)) => return None,
                };
                tree.value(done)?;
            }
        }
    }
    match tree.root? {
        Value::Mapping(map) => Some(map),
        _ => None,
    }
}

/// Whether a line keeps to the YAML that yaml-rust2 (YAML 1.2) and
/// serde_yaml's libyaml (YAML 1.1) read alike, in one pass over it. Each
/// rule closes a difference the `profile_loader` fuzz target found or the
/// two specifications imply; anything else is left to serde_yaml.
fn plain_line(line: &str) -> bool {
    // libyaml's simple keys end at 1024 characters.
    if line.len() > 1000 {
        return false;
    }
    // Document markers: the two parsers end and begin documents
    // differently around `...` (found by fuzzing: `...\n...\nmv:`), and
    // content after `---` on its line is another matter again. A `---`
    // alone is the usual first line and reads alike.
    if line.starts_with("...") || (line.starts_with("---") && line.trim_end() != "---") {
        return false;
    }
    // Most lines hold none of the characters the states below turn on.
    line.bytes().all(|b| INERT[usize::from(b)]) || plain_line_read(line)
}

/// [`plain_line`] for a line of at most 1000 bytes, character by character.
fn plain_line_read(line: &str) -> bool {
    let mut chars = line.chars().peekable();
    // The last character that is not a space, a quoted text counting as `'`.
    let mut last = None;
    let mut after_space = true;
    // Flow lists open and close on their line and hold no `:` (libyaml
    // refuses `[a:]`, yaml-rust2 reads a mapping).
    let mut open_lists = 0;
    let mut in_list = false;
    while let Some(c) = chars.next() {
        if !same_to_both(c) {
            return false;
        }
        // A quote opens a text only where a scalar can start: in
        // `27" monitor` it is a character of a plain text.
        let starts_scalar = last.is_none_or(|p| matches!(p, ':' | '-' | '[' | ','));
        match c {
            '"' | '\'' if starts_scalar => {
                // Quoted texts end on their line: folding differs.
                loop {
                    match chars.next() {
                        None => return false,
                        // `''` is a quote inside a single-quoted text.
                        Some('\'') if c == '\'' && chars.peek() == Some(&'\'') => {
                            chars.next();
                        }
                        Some(q) if q == c => break,
                        // Escapes are where the two parsers' tables differ.
                        Some('\\') if c == '"' => return false,
                        Some(q) if !same_to_both(q) => return false,
                        Some(_) => {}
                    }
                }
                (last, after_space) = (Some('\''), false);
                continue;
            }
            '#' if after_space => return open_lists == 0 && chars.all(same_to_both),
            '?' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`' | '{' | '}' | '\\' => {
                return false;
            }
            ':' if in_list => return false,
            '[' => (open_lists, in_list) = (open_lists + 1, true),
            ']' if open_lists == 0 => return false,
            ']' => open_lists -= 1,
            _ => {}
        }
        if c != ' ' {
            last = Some(c);
        }
        after_space = c == ' ';
    }
    open_lists == 0
}

/// The bytes that leave [`plain_line`] in the state it starts in: printable
/// ASCII but quotes, the comment sign, list brackets and the indicators it
/// refuses. A line of these alone is plain.
const INERT: [bool; 256] = {
    let mut inert = [false; 256];
    let mut b = b' ';
    while b <= b'~' {
        inert[b as usize] = !matches!(
            b,
            b'"' | b'\''
                | b'#'
                | b'['
                | b']'
                | b'?'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'%'
                | b'@'
                | b'`'
                | b'{'
                | b'}'
                | b'\\'
        );
        b += 1;
    }
    inert
};

/// Characters that YAML allows (libyaml's reader) and that mean the same to
/// both parsers: no control character or tab, no byte-order mark, no line
/// break of YAML 1.1 only (NEL, U+2028, U+2029). [`plain_line`] also
/// refuses, outside quotes and comments, the indicators profiles do not
/// use (anchors, tags, block scalars, complex keys, directives, flow
/// mappings) and backslashes.
fn same_to_both(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}' | '\u{e000}'..='\u{fefe}' | '\u{ff00}'..='\u{fffd}' | '\u{10000}'..)
}

/// The collections still open, innermost last, and the finished root.
#[derive(Default)]
struct Tree {
    open: Vec<Open>,
    root: Option<Value>,
}

enum Open {
    /// A mapping and the key waiting for its value.
    Mapping(Mapping, Option<String>),
    Sequence(Vec<Value>),
}

impl Tree {
    /// Places a finished value in the innermost open collection; `None`
    /// for what serde_yaml reads differently or refuses (a key that is not
    /// a text, a key given twice).
    fn value(&mut self, value: Value) -> Option<()> {
        match self.open.last_mut() {
            None => self.root = Some(value),
            Some(Open::Sequence(items)) => items.push(value),
            Some(Open::Mapping(map, pending)) => match pending.take() {
                None => match value {
                    Value::String(key) => *pending = Some(key),
                    _ => return None,
                },
                // A key given twice is found when its second value comes.
                Some(key) => match map.entry(Value::String(key)) {
                    serde_yaml::mapping::Entry::Vacant(slot) => {
                        slot.insert(value);
                    }
                    serde_yaml::mapping::Entry::Occupied(_) => return None,
                },
            },
        }
        Some(())
    }
}

/// A scalar as serde_yaml resolves it: quoted ones are texts, plain ones by
/// the YAML 1.2 core schema. `None` for block scalars and the rare plain
/// forms left to serde_yaml (`+1`, `.5`, `.inf`, `0x1F`, integers beyond 64
/// bits).
fn scalar(text: String, style: TScalarStyle) -> Option<Value> {
    match style {
        TScalarStyle::Plain => plain(text),
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => Some(Value::String(text)),
        _ => None,
    }
}

/// serde_yaml 0.9's `visit_untagged_scalar`, for the forms kept here.
fn plain(text: String) -> Option<Value> {
    let s = text.as_str();
    if matches!(s, "" | "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    match s {
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    if s.starts_with(['+', '.'])
        || unsigned.starts_with('.')
        || ["0x", "0o", "0b"].iter().any(|p| unsigned.starts_with(p))
    {
        return None;
    }
    // A leading zero followed by digits is a text in YAML 1.2 (`0123`).
    let digits = !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit());
    if digits && unsigned.len() > 1 && unsigned.starts_with('0') {
        return Some(Value::String(text));
    }
    if digits {
        return if s.starts_with('-') {
            s.parse::<i64>().ok().map(|n| Value::Number(n.into()))
        } else {
            s.parse::<u64>().ok().map(|n| Value::Number(n.into()))
        };
    }
    match s.parse::<f64>() {
        Ok(f) if f.is_finite() => Some(Value::Number(f.into())),
        _ => Some(Value::String(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde_yaml's reading of the same text, for comparison.
    fn serde(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    fn fast(text: &str) -> Value {
        Value::Mapping(top_mapping(text).unwrap_or_else(|| panic!("fast path refused {text:?}")))
    }

    #[test]
    fn plain_scalars_resolve_as_serde_yaml_resolves_them() {
        for v in [
            "230",
            "-5",
            "0",
            "-0",
            "0123",
            "-012",
            "1.5",
            "-2.25",
            "1e3",
            "1E-3",
            "1e999",
            "inf",
            "-inf",
            "nan",
            "NaN",
            "yes",
            "no",
            "on",
            "True",
            "FALSE",
            "~",
            "null",
            "",
            "2026-07-01",
            "GB 4706.1-2005",
            "a:b",
            "1_000",
            "12 V",
            "18446744073709551615",
            "-9223372036854775808",
            "0X1F",
            "1.",
            "5e",
            "e5",
        ] {
            let text = format!("k: {v}\n");
            assert_eq!(fast(&text), serde(&text), "{v:?}");
        }
    }

    #[test]
    fn quoted_scalars_are_texts() {
        let text = "a: \"230\"\nb: 'yes'\nc: \"x \u{e9} # not a comment\"\nd: 'it''s'\ne: ''\n";
        assert_eq!(fast(text), serde(text));
    }

    #[test]
    fn a_whole_profile_reads_as_serde_yaml_reads_it() {
        let text = "---\n# a motor\nname: Motor \u{4e2d}\ncategory: small-power motor\nsold_in: [CN, DE]\nattributes:\n  rated_voltage_ac_v: 230\n  wireless: ~\nevidence:\n  certificates:\n    - scheme: ccc\n      number: \"2026010705000123\"\n      standards: [\"GB 12350-2009\"]\n  labels: []\n  filings:\n";
        assert_eq!(fast(text), serde(text));
    }

    #[test]
    fn what_serde_yaml_alone_reads_or_refuses_is_left_to_it() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !Msa x\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: 1\na: 2\n",
            "a: 1\n---\nb: 2\n",
            "? [a]\n: 1\n",
            "1: x\n",
            "a: +1\n",
            "a: .inf\n",
            "a: 0x1F\n",
            "a: 99999999999999999999\n",
            "a:\tb\n",
            "- a\n",
            "a: [b\n",
            "a: b: c\n",
            "a: [b:]\n",
            "a: [b,\n  c]\n",
            "a: {b: c}\n",
            "a: \"multi\n  line\"\n",
            "a: \"\\x41\"\n",
            "a: b\u{2028}c\n",
            "a: b\u{1}\n",
            "\u{feff}a: b\n",
            // Found by the `profile_loader` fuzz target: yaml-rust2 and
            // libyaml place these documents differently.
            "#...gev: 336\n...\ngev: 336\n...\n...",
            "# `36\n...\n...  \nmv:",
            "--- a: b\n",
        ] {
            assert!(top_mapping(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn a_line_of_inert_bytes_is_plain_as_read_character_by_character() {
        for b in 0..=255u8 {
            if INERT[usize::from(b)] {
                let c = char::from(b);
                for line in [
                    format!("key: a{c}b"),
                    format!("{c}"),
                    format!("  - {c}{c} x:"),
                ] {
                    assert!(plain_line_read(&line), "{line:?}");
                }
            }
        }
        assert!(!INERT[usize::from(b'\t')] && !INERT[0x7f] && !INERT[0xc3]);
    }

    #[test]
    fn nesting_beyond_the_limit_is_left_to_serde_yaml() {
        let deep = format!("a: {}{}\n", "[".repeat(150), "]".repeat(150));
        assert!(top_mapping(&deep).is_none());
        let shallow = format!("a: {}{}\n", "[".repeat(20), "]".repeat(20));
        assert_eq!(fast(&shallow), serde(&shallow));
    }
}

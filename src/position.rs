//! Byte offsets and the 1-based line and column people read, both ways.
//! Diagnostics keep byte spans (what miette labels) and report lines and
//! columns (what editors and CI annotations use).

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The byte offset of a 1-based line and column, always on a character
/// boundary inside the text: a position past the end of its line, or of the
/// text, is placed on the last character there (fuzzing found an error
/// placed past a 3-byte BOM, which sliced into it).
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let last_char = |s: &str| s.char_indices().last().map_or(0, |(b, _)| b);
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map(|(b, _)| b)
                .unwrap_or_else(|| last_char(l));
            return offset + col;
        }
        offset += l.len();
    }
    last_char(text)
}

/// A snippet shows no line longer than this many bytes: miette prints a
/// line whole, and a 4 MiB one would be megabytes of log for one error.
pub const MAX_SNIPPET_LINE: usize = 1_000;

/// Whether the line holding `offset`, and the line either side of it (the
/// snippet's context), are each short enough to show.
pub fn snippet_fits(text: &str, offset: usize) -> bool {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = text[..start.saturating_sub(1)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let after = text
        .get(end + 1..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| end + 1 + i);
    text[before..after]
        .split('\n')
        .all(|line| line.len() <= MAX_SNIPPET_LINE)
}

/// The 1-based line at the end of `bytes` (lines end at `\n`).
pub fn line_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

/// Whether `text` ends a line with a CR not followed by LF (old Mac line
/// ends), which YAML counts as a line end.
pub fn has_lone_cr(text: &str) -> bool {
    text.match_indices('\r')
        .any(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'))
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_multibyte_text() {
        let text = "a\n洗衣机 x\nend";
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (2, 5));
        assert_eq!(offset_of(text, 2, 5), x);
        assert_eq!(offset_of(text, 2, 99), text.find("\nend").unwrap());
        assert_eq!(offset_of(text, 9, 1), text.len() - 1);
        assert_eq!(line_col(text, text.len() + 5), (3, 4));
    }
}

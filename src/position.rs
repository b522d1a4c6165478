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

/// The byte offset of a 1-based line and column, clamped to the end of that
/// line (and of the text), so a span built from it is always in bounds.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map(|(b, _)| b)
                .unwrap_or(l.trim_end_matches('\n').len());
            return offset + col;
        }
        offset += l.len();
    }
    text.len()
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
        assert_eq!(offset_of(text, 9, 1), text.len());
        assert_eq!(line_col(text, text.len() + 5), (3, 4));
    }
}

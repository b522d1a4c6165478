//! A character scanner that knows what is code, what is inside a quoted
//! text and what is a comment. The nesting guard, span trimming and the
//! formatter's comment keeping all need to skip `#` and `(` inside texts.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Code,
    /// Inside a quoted text, quotes included.
    Text,
    /// From `#` to the end of the line (the line break is code).
    Comment,
}

/// Each character of `text` with its byte offset and region. A text ends at
/// its closing quote or, unterminated, at the end of the line, as the
/// grammar says.
pub fn regions(text: &str) -> impl Iterator<Item = (usize, char, Region)> + '_ {
    let mut state = Region::Code;
    let mut escaped = false;
    text.char_indices().map(move |(i, c)| {
        let region = match state {
            Region::Comment if c == '\n' => {
                state = Region::Code;
                Region::Code
            }
            Region::Comment => Region::Comment,
            Region::Text => {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' | '\n' => state = Region::Code,
                    _ => {}
                }
                Region::Text
            }
            Region::Code => match c {
                '#' => {
                    state = Region::Comment;
                    Region::Comment
                }
                '"' => {
                    state = Region::Text;
                    Region::Text
                }
                _ => Region::Code,
            },
        };
        (i, c, region)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_comments_are_told_apart() {
        let src = "a \"b # \\\" (\" # c (\nd";
        let regions: String = regions(src)
            .map(|(_, _, r)| match r {
                Region::Code => 'c',
                Region::Text => 't',
                Region::Comment => '#',
            })
            .collect();
        // a ␠ "b # \" (" ␠ # c ( ⏎ d
        assert_eq!(regions, "cctttttttttt c#####cc".replace(' ', ""));
    }
}

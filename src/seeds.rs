//! The newsletters rules cite: finding a section by its heading.

/// A passage of a newsletter: the heading line and the paragraphs under it.
pub struct Section<'a> {
    pub text: &'a str,
    /// 1-based, inclusive.
    pub first_line: usize,
    pub last_line: usize,
}

/// True if a line looks like a heading in these newsletters: Markdown `#`
/// headings, or a short line without a final full stop standing alone.
fn is_heading(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('#')
}

/// The section whose heading contains `heading`, up to the next heading of
/// the same or a higher level (or, for plain-text headings, the next heading).
pub fn section<'a>(text: &'a str, heading: &str) -> Option<Section<'a>> {
    let lines: Vec<&str> = text.lines().collect();
    // Prefer a Markdown heading; fall back to any line holding the text
    // (some newsletters mark headings only by layout).
    let start = lines
        .iter()
        .position(|l| is_heading(l) && l.contains(heading))
        .or_else(|| {
            lines
                .iter()
                .position(|l| l.trim().len() < heading.len() + 40 && l.contains(heading))
        })
        .or_else(|| lines.iter().position(|l| l.contains(heading)))?;
    let level = lines[start]
        .trim()
        .chars()
        .take_while(|c| *c == '#')
        .count();
    let mut end = lines.len();
    for (i, l) in lines.iter().enumerate().skip(start + 1) {
        let t = l.trim();
        let l_level = t.chars().take_while(|c| *c == '#').count();
        if l_level > 0 && (level == 0 || l_level <= level) {
            end = i;
            break;
        }
        if i - start > 120 {
            end = i;
            break;
        }
    }
    let start_byte: usize = lines[..start].iter().map(|l| l.len() + 1).sum();
    let end_byte: usize = lines[..end]
        .iter()
        .map(|l| l.len() + 1)
        .sum::<usize>()
        .min(text.len());
    Some(Section {
        text: &text[start_byte.min(text.len())..end_byte],
        first_line: start + 1,
        last_line: end,
    })
}

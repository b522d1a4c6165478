//! The newsletters rules cite: finding a section by its heading.

/// A passage of a newsletter: the heading line and the paragraphs under it.
pub struct Section<'a> {
    pub text: &'a str,
    /// 1-based, inclusive.
    pub first_line: usize,
    pub last_line: usize,
}

/// Index and table rows repeat every heading ("Heading | 4", "Heading\t4");
/// they are never the section itself.
fn is_index_line(line: &str) -> bool {
    let t = line.trim_end();
    // A page number has at most three digits; a heading may end in a year.
    t.contains('|')
        || t.rsplit(['\t', ' '])
            .next()
            .is_some_and(|w| (1..=3).contains(&w.len()) && w.chars().all(|c| c.is_ascii_digit()))
}

/// The Markdown heading level of a line, 0 if it is not one. `#EV` is a
/// hashtag the newsletters put under titles, not a heading: a heading's
/// hashes are followed by a space.
fn heading_level(line: &str) -> usize {
    let t = line.trim_start();
    let hashes = t.chars().take_while(|c| *c == '#').count();
    if hashes > 0 && t[hashes..].starts_with(' ') {
        hashes
    } else {
        0
    }
}

/// Where the section starting at `start` ends: the next Markdown heading of
/// the same or a higher level, or (under a plain-text heading) the next
/// heading of any level.
fn section_end(lines: &[&str], start: usize) -> usize {
    let level = heading_level(lines[start]);
    for (i, l) in lines.iter().enumerate().skip(start + 1) {
        let l_level = heading_level(l);
        if l_level > 0 && (level == 0 || l_level <= level) {
            return i;
        }
        // Articles are numbered ("24. Title", "# **31. Title**"); the next
        // number starts the next article whatever its Markdown level.
        if is_numbered_heading(l) {
            return i;
        }
    }
    lines.len()
}

fn is_numbered_heading(line: &str) -> bool {
    let t = line
        .trim()
        .trim_start_matches('#')
        .trim_start()
        .trim_start_matches("**");
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    digits > 0
        && t.len() < 200
        && t[digits..].starts_with(". ")
        && t[digits + 2..].starts_with(|c: char| c.is_uppercase())
}

/// The section whose heading contains `heading`. A heading also appears in
/// the index and in the takeaways summary, so of all the places it occurs,
/// the one with the longest passage under it is taken to be the article.
pub fn section<'a>(text: &'a str, heading: &str) -> Option<Section<'a>> {
    let lines: Vec<&str> = text.lines().collect();
    let candidates: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].contains(heading) && !is_index_line(lines[i]))
        .collect();
    let candidates = if candidates.is_empty() {
        (0..lines.len())
            .filter(|&i| lines[i].contains(heading))
            .collect()
    } else {
        candidates
    };
    let (start, end) = candidates
        .into_iter()
        .map(|s| (s, section_end(&lines, s)))
        .max_by_key(|(s, e)| {
            (
                lines[*s..*e].iter().map(|l| l.len()).sum::<usize>(),
                std::cmp::Reverse(*s),
            )
        })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "Index\n| Big News | 4 |\n## Big News\nshort takeaway\n## Other\nx\n# 12. Big News\nThe real article.\nMore text here, much longer than the takeaway.\n# 13. Next\nafter\n";

    #[test]
    fn picks_the_article_not_the_index_or_takeaway() {
        let s = section(DOC, "Big News").unwrap();
        assert!(s.text.starts_with("# 12. Big News"), "{}", s.text);
        assert!(s.text.contains("much longer"));
        assert!(!s.text.contains("after"));
        assert_eq!((s.first_line, s.last_line), (7, 9));
    }

    #[test]
    fn a_heading_ending_in_a_year_is_not_an_index_line() {
        let doc = "| Rules from 2026 | 26 |\nTakeaways\n23. Rules from 2026\n#Tag\nThe article body.\n24. Next\n";
        let s = section(doc, "Rules from 2026").unwrap();
        assert_eq!((s.first_line, s.last_line), (3, 5), "{}", s.text);
    }

    #[test]
    fn unknown_heading_is_none() {
        assert!(section(DOC, "Nothing like it").is_none());
    }
}

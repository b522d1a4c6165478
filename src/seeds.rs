//! The newsletters rules cite: finding a section by its heading.
//!
//! A newsletter is an index (titles with page numbers), a takeaways summary
//! that repeats some titles, and numbered articles ("13. Title"). Articles
//! contain numbered lists and sub-headings of their own, so an article ends
//! only where the next article starts: a numbered line whose title is one
//! of the index's titles.

/// A passage of a newsletter: the heading line and the paragraphs under it.
pub struct Section<'a> {
    pub text: &'a str,
    /// 1-based, inclusive.
    pub first_line: usize,
    pub last_line: usize,
    /// The article the passage belongs to, when the cited heading is in a
    /// numbered article: its number and its title as printed.
    pub article: Option<Article>,
}

/// A numbered article of a newsletter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub number: u32,
    pub title: String,
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

/// A line without Markdown and HTML markup: no leading `#`, no `**`, no
/// `<b>`/`<sup>` tags.
pub fn plain(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_tag = false;
    for c in line.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            _ => out.push(c),
        }
    }
    let out = out.replace("**", "");
    let t = out.trim().trim_start_matches('#').trim();
    // "15 th" after a `<sup>` is dropped: the index writes "15 <sup>th</sup>".
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of a title, for comparing a heading with its index entry
/// (the two are not always spelt alike: "CEEE" / "CEEC", dots, hashtags).
fn words(title: &str) -> Vec<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The index's titles, without their page numbers and dot leaders.
fn index_titles(lines: &[&str]) -> Vec<Vec<String>> {
    lines
        .iter()
        .filter(|l| is_index_line(l))
        .map(|l| {
            let p = plain(l);
            let p =
                p.trim_end_matches(|c: char| c.is_ascii_digit() || c == '|' || c.is_whitespace());
            words(p.trim_end_matches('.'))
        })
        .filter(|w| w.len() >= 2)
        .collect()
}

/// `N. Title` (with or without Markdown), as number and title.
fn numbered(line: &str) -> Option<(u32, String)> {
    let t = plain(line);
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 3 || !t[digits..].starts_with(". ") {
        return None;
    }
    let title = t[digits + 2..].trim();
    if !title.starts_with(|c: char| c.is_uppercase()) || title.len() > 250 {
        return None;
    }
    Some((t[..digits].parse().ok()?, title.to_string()))
}

/// Share of the index entry's words found in the title, at best.
fn matches_index(title: &str, index: &[Vec<String>]) -> bool {
    let w = words(title);
    index.iter().any(|entry| {
        let found = entry.iter().filter(|e| w.contains(e)).count();
        // Most of the entry's words, and the title not much longer than the
        // entry (a list item that happens to share words is longer).
        found * 10 >= entry.len() * 8 && w.len() <= entry.len() * 2 + 3
    })
}

/// The line indexes where numbered articles start, in order. An article's
/// number is above the previous one's, and its title is in the index.
fn article_starts(lines: &[&str]) -> Vec<(usize, u32, String)> {
    let index = index_titles(lines);
    let mut out: Vec<(usize, u32, String)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if is_index_line(l) {
            continue;
        }
        let Some((n, title)) = numbered(l) else {
            continue;
        };
        if out.last().is_some_and(|(_, prev, _)| n <= *prev) {
            continue;
        }
        if matches_index(&title, &index) {
            out.push((i, n, title));
        }
    }
    out
}

/// Where a passage starting at `start` ends: the next article's start (or
/// the end of the text), less trailing blank lines and the part heading
/// ("Digital Transition") printed before the next article.
fn passage_end(lines: &[&str], start: usize, next_article: Option<usize>) -> usize {
    let index = index_titles(lines);
    let mut end = next_article.unwrap_or(lines.len());
    while end > start + 1 {
        let l = lines[end - 1];
        let p = plain(l);
        let part_heading = !p.is_empty() && {
            let w = words(&p);
            index.contains(&w)
        };
        if p.is_empty() || part_heading {
            end -= 1;
        } else {
            break;
        }
    }
    end
}

/// True when `line` prints `heading`: as cited, without markup, or as the
/// same words with other punctuation ("Annex: Translation" is printed
/// "Annex- Translation" in the text).
pub fn carries_heading(line: &str, heading: &str) -> bool {
    if line.contains(heading) || plain(line).contains(heading) {
        return true;
    }
    let want = words(heading);
    !want.is_empty()
        && words(line)
            .windows(want.len())
            .any(|w| w == want.as_slice())
}

/// The section under `heading`: from the line carrying it in the article
/// text (not the index, not the takeaways summary) to the next article.
/// `heading` is either an article's title or a sub-heading inside one.
pub fn section<'a>(text: &'a str, heading: &str) -> Option<Section<'a>> {
    let lines: Vec<&str> = text.lines().collect();
    let articles = article_starts(&lines);
    let body_from = articles.first().map_or(0, |a| a.0);
    let occurs = |i: usize| carries_heading(lines[i], heading);
    // An article whose title carries the heading; else the first sub-heading
    // line in the article text; else (a newsletter with no numbered
    // articles) any non-index line.
    let start = articles
        .iter()
        .map(|a| a.0)
        .find(|&i| occurs(i))
        .or_else(|| (body_from..lines.len()).find(|&i| occurs(i) && !is_index_line(lines[i])))
        .or_else(|| (0..lines.len()).find(|&i| occurs(i) && !is_index_line(lines[i])))
        .or_else(|| (0..lines.len()).find(|&i| occurs(i)))?;
    let article = articles
        .iter()
        .rev()
        .find(|a| a.0 <= start)
        .map(|a| Article {
            number: a.1,
            title: a.2.clone(),
        });
    let next = articles.iter().map(|a| a.0).find(|&i| i > start);
    let end = passage_end(&lines, start, next);
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
        article,
    })
}

/// A citation as a reader writes it: the newsletter's title and issue, the
/// article number and its heading, without markup — "China
/// Standardisation Newsletter, March–April 2026, article 13 “Eleven CCC
/// Implementation Rules Released for 16 Products”". `newsletter` is the
/// cited file's text, `None` when it is not bundled: then the citation is
/// the file name and heading. Finding the article scans the whole
/// newsletter, so build.rs works out the bundled rules' citations once.
pub fn cite(newsletter: Option<&str>, file: &str, heading: &str) -> String {
    let plain_heading = plain(heading);
    let Some(text) = newsletter else {
        return format!("{file} \u{a7} \u{201c}{plain_heading}\u{201d}");
    };
    let title = issue_title(text).unwrap_or_else(|| file.to_string());
    match section(text, heading).and_then(|s| s.article) {
        Some(a) if carries_heading(&a.title, heading) => {
            format!(
                "{title}, article {} \u{201c}{plain_heading}\u{201d}",
                a.number
            )
        }
        Some(a) => format!(
            "{title}, article {} \u{201c}{}\u{201d}, under \u{201c}{plain_heading}\u{201d}",
            a.number,
            plain(&a.title)
        ),
        None => format!("{title}, \u{201c}{plain_heading}\u{201d}"),
    }
}

/// The line number (1-based) where the takeaways summary ends and the
/// articles begin: a passage before it is the summary's copy.
pub fn articles_begin(text: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    article_starts(&lines).first().map_or(1, |a| a.0 + 1)
}

/// The newsletter's own title and issue, as printed on its cover:
/// "China Standardisation Newsletter, March–April 2026".
pub fn issue_title(text: &str) -> Option<String> {
    let lines: Vec<String> = text.lines().take(40).map(plain).collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("China Standardisation"))?;
    let mut title = lines[at].clone();
    // "China Standardisation" / "Newsletter" may be split over two lines.
    let mut rest = lines[at + 1..].iter().filter(|l| !l.is_empty());
    if !title.ends_with("Newsletter") {
        if let Some(n) = rest.next() {
            title = format!("{title} {n}");
        }
    }
    let issue = rest.next()?;
    let issue = issue
        .replace(" - ", "–")
        .replace(" – ", "–")
        .replace('-', "–");
    Some(format!("{title}, {issue}"))
}

/// The day by which everything a newsletter reports was known: the last
/// day of the months its issue covers ("March - April 2026" → 2026-04-30).
/// The newsletters print no publication day, and an item reported in an
/// issue may date from any day of its months; the issue's last day is the
/// first day on which a reader can be sure to have it.
pub fn reported_by(text: &str) -> Option<chrono::NaiveDate> {
    let title = issue_title(text)?;
    let issue = title.rsplit(", ").next()?;
    let year: i32 = issue.rsplit(' ').next()?.parse().ok()?;
    let last_month = issue
        .split(|c: char| c == '–' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .rev()
        .find_map(month_number)?;
    let first_of_next = if last_month == 12 {
        chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(year, last_month + 1, 1)
    }?;
    first_of_next.pred_opt()
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    MONTHS.iter().position(|m| *m == name).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "Index\n| Big News | 4 |\n| Other | 5 |\n| Next thing | 6 |\n## Big News\nshort takeaway\n## Other\nx\n# 12. Big News\nThe real article.\n1. A numbered point of the article\n## A sub-heading\nMore text here, much longer than the takeaway.\n# Part Two\n# 13. Next thing\nafter\n";

    #[test]
    fn the_article_runs_past_lists_and_sub_headings_to_the_next_article() {
        let doc = DOC.replace("| Other | 5 |", "| Other | 5 |\n| Part Two | 6 |");
        let s = section(&doc, "Big News").unwrap();
        assert!(s.text.starts_with("# 12. Big News"), "{}", s.text);
        assert!(s.text.contains("A numbered point"));
        assert!(s.text.contains("much longer"));
        assert!(!s.text.contains("Part Two"), "{}", s.text);
        assert!(!s.text.contains("after"));
        assert_eq!(
            s.article,
            Some(Article {
                number: 12,
                title: "Big News".into()
            })
        );
    }

    #[test]
    fn a_sub_heading_is_found_in_the_article_and_runs_to_the_next_article() {
        let s = section(DOC, "A sub-heading").unwrap();
        assert!(s.text.starts_with("## A sub-heading"), "{}", s.text);
        assert!(s.text.contains("much longer"));
        assert!(!s.text.contains("after"));
        assert_eq!(s.article.map(|a| a.number), Some(12));
    }

    #[test]
    fn a_heading_ending_in_a_year_is_not_an_index_line() {
        let doc = "Rules from 2026\t26\nNext one\t27\nTakeaways\nRules from 2026\n23. Rules from 2026\n#Tag\nThe article body.\n24. Next one\n";
        let s = section(doc, "Rules from 2026").unwrap();
        assert_eq!((s.first_line, s.last_line), (5, 7), "{}", s.text);
    }

    #[test]
    fn markup_is_left_out_of_plain_text() {
        assert_eq!(
            plain("## 15. CNAS Holds 5<sup>th</sup> Plenary **Meeting**"),
            "15. CNAS Holds 5th Plenary Meeting"
        );
    }

    #[test]
    fn the_issue_title_and_its_last_day() {
        let text = "\n\n# SESEC VI\n\n## China Standardisation Newsletter\n\nMarch - April 2026\n";
        assert_eq!(
            issue_title(text).as_deref(),
            Some("China Standardisation Newsletter, March–April 2026")
        );
        assert_eq!(
            reported_by(text),
            chrono::NaiveDate::from_ymd_opt(2026, 4, 30)
        );
        let split = "SESEC IV\n\nChina Standardisation\n\nNewsletter\n\nJune – July 2021\n";
        assert_eq!(
            issue_title(split).as_deref(),
            Some("China Standardisation Newsletter, June–July 2021")
        );
        let december = "China Standardisation Newsletter\nNovember - December 2025\n";
        assert_eq!(
            reported_by(december),
            chrono::NaiveDate::from_ymd_opt(2025, 12, 31)
        );
    }

    #[test]
    fn unknown_heading_is_none() {
        assert!(section(DOC, "Nothing like it").is_none());
    }
}

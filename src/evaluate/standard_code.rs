//! Standard designations as people write them: `GB/T 4706.1-2024`,
//! `GB/T4706.1-2024`, `gb/t 4706.1—2024`, `ＧＢ/Ｔ 4706.1–2024` are one
//! standard. A designation is compared without spaces, in upper case, with
//! full-width forms folded and every dash variant read as `-`; its edition
//! (the year after the last `-` or `:`) is compared apart, so a requirement
//! that names no edition is met by any edition, and one that names an edition
//! only by that edition.

use crate::model::fold_full_width;

/// A standard code split into its designation and edition (year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardCode {
    /// `GB/T4706.1`: no spaces, upper case, ASCII dashes.
    pub designation: String,
    /// `2024`, when the code names an edition.
    pub edition: Option<u16>,
}

/// Dash and hyphen variants typists and word processors produce.
const DASHES: [char; 9] = [
    '\u{2010}', // hyphen
    '\u{2011}', // non-breaking hyphen
    '\u{2012}', // figure dash
    '\u{2013}', // en dash
    '\u{2014}', // em dash
    '\u{2015}', // horizontal bar
    '\u{2212}', // minus sign
    '\u{FE63}', // small hyphen-minus
    '\u{00AD}', // soft hyphen
];

impl StandardCode {
    pub fn parse(written: &str) -> StandardCode {
        let plain: String = written
            .chars()
            .map(fold_full_width)
            .map(|c| if DASHES.contains(&c) { '-' } else { c })
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect();
        if let Some(at) = plain.rfind(['-', ':']) {
            let year = &plain[at + 1..];
            if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) && at > 0 {
                return StandardCode {
                    designation: plain[..at].to_string(),
                    edition: year.parse().ok(),
                };
            }
        }
        StandardCode {
            designation: plain,
            edition: None,
        }
    }
}

/// How a held standard stands against a required one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The same standard, and the edition required (or any, if none is).
    Meets,
    /// The same standard in an older edition than the one required.
    OlderEdition,
    /// The same standard in another (newer, or unstated) edition.
    OtherEdition,
    /// Another standard.
    Different,
}

pub fn compare(required: &str, held: &str) -> Match {
    let (r, h) = (StandardCode::parse(required), StandardCode::parse(held));
    if r.designation != h.designation {
        return Match::Different;
    }
    match (r.edition, h.edition) {
        (None, _) => Match::Meets,
        (Some(want), Some(have)) if want == have => Match::Meets,
        (Some(want), Some(have)) if have < want => Match::OlderEdition,
        _ => Match::OtherEdition,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_dashes_case_and_full_width_do_not_matter() {
        for held in [
            "GB 36980.1-2025",
            "GB36980.1-2025",
            "GB 36980.1—2025",
            "GB 36980.1–2025",
            "gb 36980.1‑2025",
            "ＧＢ　36980.1－2025",
        ] {
            assert_eq!(compare("GB 36980.1-2025", held), Match::Meets, "{held}");
        }
        assert_eq!(compare("JB/T3300", "JB/T 3300"), Match::Meets);
        assert_eq!(compare("GB/T 4706.1-2024", "GB/T4706.1-2024"), Match::Meets);
    }

    #[test]
    fn a_requirement_without_edition_takes_any_edition() {
        assert_eq!(compare("JB/T 3300", "JB/T3300-2010"), Match::Meets);
    }

    #[test]
    fn editions_and_numbers_are_compared() {
        assert_eq!(
            compare("GB/T 4706.1-2024", "GB/T 4706.1-2005"),
            Match::OlderEdition
        );
        assert_eq!(
            compare("GB/T 4706.1-2005", "GB/T 4706.1-2024"),
            Match::OtherEdition
        );
        assert_eq!(
            compare("GB/T 4706.1-2024", "GB/T 4706.1"),
            Match::OtherEdition
        );
        assert_eq!(
            compare("GB/T 4706.1-2024", "GB/T 4706.11-2024"),
            Match::Different
        );
        assert_eq!(
            compare("GB/T 4706.1-2024", "GB 4706.1-2024"),
            Match::Different
        );
    }
}

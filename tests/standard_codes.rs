//! Standard codes match as people write them (issue 11): any spacing, dash
//! variant, letter case or full-width form of a listed code meets a rule
//! that names it; a requirement without an edition is met by any edition;
//! a different number, another standard family or an older edition is not,
//! and the evidence notes say when an older edition was refused.

mod common;
use common::*;

use cncomply::evaluate::standard_code::{compare, Match};
use proptest::prelude::*;

/// Codes as the bundled rules and newsletters write them.
const CODES: [&str; 6] = [
    "GB/T 4706.1-2024",
    "GB 36980.1-2025",
    "JB/T 3300-2010",
    "GB 26572-2025",
    "GB/T 6113.102-2018",
    "YD/T 4434-2023",
];

const DASHES: [&str; 7] = ["-", "‐", "‑", "‒", "–", "—", "－"];

/// `code` rewritten: each space dropped, kept or doubled, each dash replaced
/// by a variant, letters in either case, ASCII letters and digits possibly full-width.
fn variant(code: &str, spaces: &[u8], dashes: &[usize], upper: &[bool], wide: &[bool]) -> String {
    let mut out = String::new();
    for (i, c) in code.chars().enumerate() {
        let pick = |v: &[u8]| v.get(i % v.len().max(1)).copied().unwrap_or(1);
        match c {
            ' ' => out.push_str(&" ".repeat(pick(spaces) as usize)),
            '-' => out.push_str(
                DASHES[dashes.get(i % dashes.len().max(1)).copied().unwrap_or(0) % DASHES.len()],
            ),
            c => {
                let c = if upper.get(i % upper.len().max(1)).copied().unwrap_or(true) {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                };
                let wide = wide.get(i % wide.len().max(1)).copied().unwrap_or(false);
                if wide && c.is_ascii_alphanumeric() {
                    out.push(char::from_u32(c as u32 + 0xFEE0).unwrap());
                } else {
                    out.push(c);
                }
            }
        }
        // Spaces may also appear where there were none, after the family.
        if c == '/' && pick(spaces) == 2 {
            out.push(' ');
        }
    }
    out
}

fn without_edition(code: &str) -> &str {
    &code[..code.rfind('-').unwrap()]
}

proptest! {
    #[test]
    fn any_spacing_dash_case_or_width_of_a_listed_code_matches(
        k in 0..CODES.len(),
        spaces in prop::collection::vec(0u8..3, 1..6),
        dashes in prop::collection::vec(0usize..7, 1..4),
        upper in prop::collection::vec(any::<bool>(), 1..6),
        wide in prop::collection::vec(any::<bool>(), 1..6),
    ) {
        let code = CODES[k];
        let held = variant(code, &spaces, &dashes, &upper, &wide);
        prop_assert_eq!(compare(code, &held), Match::Meets, "{} vs {}", code, held);
        // A requirement without an edition is met by any edition.
        prop_assert_eq!(compare(without_edition(code), &held), Match::Meets);
    }

    #[test]
    fn another_number_or_an_older_edition_does_not_match(
        k in 0..CODES.len(),
        older in 1u16..30,
        extra in 0u8..10,
        spaces in prop::collection::vec(0u8..3, 1..6),
    ) {
        let code = CODES[k];
        let year: u16 = code[code.len() - 4..].parse().unwrap();
        let old = format!("{}-{}", without_edition(code), year - older);
        let old = variant(&old, &spaces, &[0], &[true], &[false]);
        prop_assert_eq!(compare(code, &old), Match::OlderEdition, "{}", old);
        // Another number: one more digit on the designation.
        let other = format!("{}{extra}-{year}", without_edition(code));
        prop_assert_eq!(compare(code, &other), Match::Different, "{}", other);
    }
}

#[test]
fn explain_says_when_an_older_edition_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("washer.yaml");
    std::fs::write(
        &p,
        "category: fridge\nevidence:\n  certificates:\n    - scheme: ccc\n      standards: [\"GB/T 4706.1-2005\"]\n",
    )
    .unwrap();
    let rule = "ccc.household-appliance-existing-certificates";
    let out = cncomply()
        .args(["explain", rule, "--as-of", "2026-08-01", "--profile"])
        .arg(&p)
        .output()
        .unwrap();
    let (code, stdout, stderr) = outcome(out);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("is to GB/T 4706.1-2005, an older edition; it must be to GB/T 4706.1-2024"),
        "{stdout}"
    );
}

#[test]
fn a_code_written_without_spaces_meets_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("washer.yaml");
    std::fs::write(
        &p,
        "category: fridge\nevidence:\n  certificates:\n    - scheme: ccc\n      standards: [\"gb/t4706.1—2024\"]\n",
    )
    .unwrap();
    let rule = "ccc.household-appliance-existing-certificates";
    let out = cncomply()
        .args(["explain", rule, "--as-of", "2026-08-01", "--profile"])
        .arg(&p)
        .output()
        .unwrap();
    let (_, stdout, stderr) = outcome(out);
    assert!(stdout.contains("Status       met"), "{stdout}{stderr}");
    assert!(stdout.contains("certificate ccc held"), "{stdout}");
}

//! "Did you mean" hints for names typed by people.

/// The distance between `typed` and `candidate` (both lower-cased), when it
/// is at most `limit`. The distance is never less than the difference in
/// length, so a candidate much longer or shorter than what was typed is
/// passed over without the comparison, whose cost is the product of the two
/// lengths: a 4 MiB typo against 256 rule ids took minutes.
pub fn within(typed: &str, candidate: &str, limit: usize) -> Option<usize> {
    let (a, b) = (typed.chars().count(), candidate.chars().count());
    if a.abs_diff(b) > limit {
        return None;
    }
    let d = strsim::osa_distance(typed, candidate);
    (d <= limit).then_some(d)
}

/// The edit distance allowed for a name of `chars` characters.
pub fn limit_for(chars: usize) -> usize {
    (chars / 3).clamp(1, 4)
}

/// Candidates within a small edit distance of `input`, closest first.
pub fn similar<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let input_l = input.to_lowercase();
    let limit = limit_for(input.chars().count());
    let mut scored: Vec<(usize, &str)> = candidates
        .filter_map(|c| within(&input_l, &c.to_lowercase(), limit).map(|d| (d, c)))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// "did you mean `x`?" or nothing.
pub fn did_you_mean<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let found = similar(input, candidates);
    match found.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!(
            "did you mean one of {}?",
            many.iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_spelling_is_suggested_and_a_far_one_is_not() {
        let ids = ["ccc.small-power-motor", "rohs.gb-26572-2025"];
        assert_eq!(
            similar("ccc.small-powr-motor", ids.into_iter()),
            ["ccc.small-power-motor"]
        );
        assert!(similar("energy-label", ids.into_iter()).is_empty());
    }

    #[test]
    fn the_length_bound_agrees_with_the_distance() {
        // Each pair is compared both ways: through the bound and in full.
        let words = [
            "",
            "a",
            "ab",
            "motor",
            "motors",
            "mot",
            "kettle",
            "kettles!",
            "电机",
            "电动机",
        ];
        for a in words {
            for b in words {
                for limit in 0..5 {
                    let full = strsim::osa_distance(a, b);
                    assert_eq!(
                        within(a, b, limit),
                        (full <= limit).then_some(full),
                        "{a:?} {b:?} {limit}"
                    );
                }
            }
        }
    }
}

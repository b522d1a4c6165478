//! "Did you mean" for a category name no category answers to: the nearest
//! names (by spelling, and by the words they share with what was typed), each
//! with the category it names and where that sits in the tree, and the
//! broader categories a profile may fall back to so that their rules reach
//! the product.

use crate::model::{normalise_name, Vocabulary};

/// At most this many categories are suggested.
const MAX_SUGGESTIONS: usize = 5;

/// Longer input is near no category (the longest name is under 100
/// characters).
const MAX_TYPED: usize = 200;

/// The help text for an unknown category `input`.
pub fn unknown_category_help(vocab: &Vocabulary, input: &str) -> String {
    let found = nearest_categories(vocab, input);
    if found.is_empty() {
        return format!(
            "no category is close; name the broader category the product belongs to, \
             e.g. {} (rules for a category reach everything under it); \
             `cncomply categories` lists them all",
            broad_categories(vocab)
        );
    }
    let listed: Vec<String> = found
        .iter()
        .map(|&(c, name)| describe(vocab, c, name))
        .collect();
    let mut parents: Vec<&str> = Vec::new();
    for &(c, _) in &found {
        if let Some(p) = vocab.categories[c].parent {
            // The root (`product`) reaches no specific rule: not worth naming.
            if vocab.categories[p].parent.is_some()
                && !parents.contains(&vocab.categories[p].id.as_str())
            {
                parents.push(&vocab.categories[p].id);
            }
        }
    }
    let mut help = if listed.len() == 1 {
        format!("did you mean {}?", listed[0])
    } else {
        format!("did you mean one of {}?", listed.join(", "))
    };
    if !parents.is_empty() {
        help.push_str(&format!(
            " If none is the product, a broader category whose rules reach it: {}",
            parents
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    help
}

/// `"LED bulb" (led-bulb, under indoor-led-lighting)`.
fn describe(vocab: &Vocabulary, c: usize, name: &str) -> String {
    let cat = &vocab.categories[c];
    let parent = cat
        .parent
        .map(|p| format!(", under {}", vocab.categories[p].id))
        .unwrap_or_default();
    if normalise_name(name) == normalise_name(&cat.id) {
        format!("`{}` ({}{parent})", cat.id, cat.name)
    } else {
        format!("`{name}` ({}{parent})", cat.id)
    }
}

/// The largest branches of the tree (direct children of the root with the
/// most categories under them).
fn broad_categories(vocab: &Vocabulary) -> String {
    let mut branches: Vec<(usize, &str)> = (0..vocab.categories.len())
        .filter(|&c| {
            vocab.categories[c]
                .parent
                .is_some_and(|p| vocab.categories[p].parent.is_none())
        })
        .map(|b| {
            let size = (0..vocab.categories.len())
                .filter(|&c| vocab.is_a(c, b))
                .count();
            (size, vocab.categories[b].id.as_str())
        })
        .collect();
    branches.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    branches
        .iter()
        .map(|(_, n)| n)
        .take(8)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Categories whose id, alias or display name is close to `input`, best
/// first, one entry per category with the name that matched.
pub fn nearest_categories<'v>(vocab: &'v Vocabulary, input: &str) -> Vec<(usize, &'v str)> {
    // No category name is this long: text past it is not a name somebody
    // typed, and comparing it with a thousand names would cost its length
    // a thousand times over.
    if input.chars().nth(MAX_TYPED).is_some() {
        return Vec::new();
    }
    let typed = normalise_name(input);
    let typed_words = words(input);
    let limit = crate::suggest::limit_for(typed.chars().count());
    // (score, category, name): lower is better.
    let mut scored: Vec<(usize, usize, &str)> = Vec::new();
    for (c, cat) in vocab.categories.iter().enumerate() {
        let names = std::iter::once(cat.id.as_str())
            .chain(cat.aliases.iter().map(|a| a.as_str()))
            .chain(std::iter::once(cat.name.as_str()));
        let mut best: Option<(usize, &str)> = None;
        for name in names {
            let norm = normalise_name(name);
            let score = if let Some(distance) = crate::suggest::within(&typed, &norm, limit) {
                Some(distance)
            } else {
                // Sharing a whole word ("bulb" in "LED bulb", "hob" in "gas
                // hob") ranks after close spellings, fewer extra words first.
                let name_words = words(name);
                let shared = typed_words
                    .iter()
                    .filter(|w| w.chars().count() > 2 && name_words.contains(w))
                    .count();
                // Chinese names have no spaces: a name that contains what
                // was typed, or is contained in it, counts as sharing a word.
                let cjk_part = !typed.is_ascii()
                    && typed.chars().count() >= 2
                    && (norm.contains(&typed) || typed.contains(&norm));
                if shared > 0 && name_words.len() <= 6 {
                    Some(10 + name_words.len().saturating_sub(shared))
                } else {
                    cjk_part.then_some(12)
                }
            };
            if let Some(score) = score {
                if best.is_none_or(|(b, _)| score < b) {
                    best = Some((score, name));
                }
            }
        }
        if let Some((score, name)) = best {
            scored.push((score, c, name));
        }
    }
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.len().cmp(&b.2.len())));
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, c, name)| (c, name))
        .collect()
}

/// Lower-cased words, split at anything that is not a letter or digit.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

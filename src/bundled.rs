//! The rule library and newsletters compiled into the binary.

mod generated {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

use crate::model::{LoadError, RuleSet, SourceFile};

/// The bundled rule files, named `rules/<file>.rules`.
pub fn rule_files() -> Vec<SourceFile> {
    generated::RULES
        .iter()
        .map(|(name, text)| SourceFile {
            name: name.to_string(),
            text: text.to_string(),
        })
        .collect()
}

/// The bundled library, checked. build.rs parsed and checked it when the
/// binary was built, so this only deserialises it; a build whose rules did
/// not load has no compiled form and parses them here, to report why.
pub fn rule_set() -> Result<RuleSet, LoadError> {
    match compiled() {
        Some(set) => Ok(set),
        None => RuleSet::load(&rule_files()),
    }
}

/// The library as build.rs compiled it, if the rules loaded then.
pub fn compiled() -> Option<RuleSet> {
    // The bytes were written by this same source, so they cannot fail to
    // decode; falling back to parsing would still give the right answer.
    postcard::from_bytes(generated::COMPILED?).ok()
}

/// The newsletter a rule cites, by file name (`001_….txt`).
pub fn seed(file_name: &str) -> Option<&'static str> {
    generated::SEEDS
        .iter()
        .find(|(name, _)| name.rsplit('/').next() == Some(file_name))
        .map(|(_, text)| *text)
}

/// The last day of the issue of a bundled newsletter (see
/// [`crate::seeds::reported_by`]), worked out once per newsletter.
pub fn newsletter_date(file_name: &str) -> Option<chrono::NaiveDate> {
    static DATES: std::sync::OnceLock<Vec<(&'static str, Option<chrono::NaiveDate>)>> =
        std::sync::OnceLock::new();
    DATES
        .get_or_init(|| {
            generated::SEEDS
                .iter()
                .map(|(n, text)| {
                    (
                        n.rsplit('/').next().unwrap_or(n),
                        crate::seeds::reported_by(text),
                    )
                })
                .collect()
        })
        .iter()
        .find(|(n, _)| *n == file_name)
        .and_then(|(_, d)| *d)
}

/// The newsletter's title and issue as a reader cites it, e.g.
/// "China Standardisation Newsletter, March–April 2026".
pub fn newsletter_title(file_name: &str) -> Option<String> {
    seed(file_name).and_then(crate::seeds::issue_title)
}

/// A rule's citation as a reader cites it: the newsletter's title and issue,
/// the article number and its heading, without markup — "China
/// Standardisation Newsletter, March–April 2026, article 13 “Eleven CCC
/// Implementation Rules Released for 16 Products”". A newsletter that is not
/// bundled is cited by file name and heading. Worked out once per citation.
pub fn citation(source: &crate::model::Citation) -> String {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<(String, String), String>>> = OnceLock::new();
    let key = (source.file.clone(), source.section.clone());
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(c) = cache.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return c;
    }
    let heading = crate::seeds::plain(&source.section);
    let cited = match seed(&source.file) {
        Some(text) => {
            let title = crate::seeds::issue_title(text).unwrap_or_else(|| source.file.clone());
            match crate::seeds::section(text, &source.section).and_then(|s| s.article) {
                Some(a) if crate::seeds::carries_heading(&a.title, &source.section) => {
                    format!("{title}, article {} \u{201c}{heading}\u{201d}", a.number)
                }
                Some(a) => format!(
                    "{title}, article {} \u{201c}{}\u{201d}, under \u{201c}{heading}\u{201d}",
                    a.number,
                    crate::seeds::plain(&a.title)
                ),
                None => format!("{title}, \u{201c}{heading}\u{201d}"),
            }
        }
        None => format!("{} \u{a7} \u{201c}{heading}\u{201d}", source.file),
    };
    if let Ok(mut m) = cache.lock() {
        m.insert(key, cited.clone());
    }
    cited
}

pub fn seed_names() -> impl Iterator<Item = &'static str> {
    generated::SEEDS
        .iter()
        .map(|(n, _)| n.rsplit('/').next().unwrap_or(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compiled form is the rule set itself, not an approximation: every
    /// rule, condition, date, location and vocabulary entry is equal to what
    /// parsing the embedded text gives.
    #[test]
    fn the_compiled_library_equals_the_parsed_one() {
        let compiled = compiled().expect("the bundled rules load, so build.rs compiled them");
        let parsed = RuleSet::load(&rule_files()).expect("bundled rules load");
        assert_eq!(compiled.rules.len(), parsed.rules.len());
        assert!(compiled == parsed, "compiled and parsed libraries differ");
        assert_eq!(
            compiled
                .rule("ccc.ev-charging-equipment")
                .map(|r| &r.location),
            parsed
                .rule("ccc.ev-charging-equipment")
                .map(|r| &r.location)
        );
    }
}

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
/// [`crate::seeds::reported_by`]), as build.rs worked it out.
pub fn newsletter_date(file_name: &str) -> Option<chrono::NaiveDate> {
    generated::SEED_DATES
        .iter()
        .find(|(n, _)| *n == file_name)
        .and_then(|(_, d)| *d)
        .and_then(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d))
}

/// The newsletter's title and issue as a reader cites it, e.g.
/// "China Standardisation Newsletter, March–April 2026".
pub fn newsletter_title(file_name: &str) -> Option<String> {
    seed(file_name).and_then(crate::seeds::issue_title)
}

/// A rule's citation as a reader cites it (see [`crate::seeds::cite`]).
/// Every citation of the bundled library was worked out by build.rs; one
/// that only a user's own rules make is worked out here, once.
pub fn citation(source: &crate::model::Citation) -> String {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    let key = (source.file.as_str(), source.section.as_str());
    if let Ok(i) = generated::CITATIONS.binary_search_by(|(f, s, _)| (*f, *s).cmp(&key)) {
        return generated::CITATIONS[i].2.to_string();
    }
    static CACHE: OnceLock<Mutex<HashMap<(String, String), String>>> = OnceLock::new();
    let key = (source.file.to_string(), source.section.to_string());
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(c) = cache.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return c;
    }
    let cited = crate::seeds::cite(seed(&source.file), &source.file, &source.section);
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

    /// The citations build.rs worked out are the ones the newsletters give:
    /// every bundled rule's citation reads as `seeds::cite` words it from
    /// the newsletter text, and one the library does not make (a user's own
    /// rule) is still worked out.
    #[test]
    fn the_built_citations_are_the_newsletters_own() {
        let set = compiled().expect("the bundled rules load");
        for r in &set.rules {
            let s = &r.source;
            assert_eq!(
                citation(s),
                crate::seeds::cite(seed(&s.file), &s.file, &s.section),
                "{}",
                r.id
            );
        }
        let own = crate::model::Citation {
            file: "999_not_bundled.txt".into(),
            section: "**Own** heading".into(),
        };
        assert_eq!(
            citation(&own),
            "999_not_bundled.txt \u{a7} \u{201c}Own heading\u{201d}"
        );
    }

    /// Each newsletter's date, worked out by build.rs, is the last day of
    /// the issue its cover names.
    #[test]
    fn the_built_newsletter_dates_are_the_covers_own() {
        for (name, text) in generated::SEEDS {
            let file = name.rsplit('/').next().unwrap();
            assert_eq!(
                newsletter_date(file),
                crate::seeds::reported_by(text),
                "{file}"
            );
        }
        assert!(generated::SEED_DATES.iter().any(|(_, d)| d.is_some()));
    }

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

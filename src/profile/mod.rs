//! Product profiles: the YAML record of one product (what it is, where it is
//! made and sold, its attributes, the certificates, labels and filings it
//! holds). Loading checks every value against the rules' vocabulary, so a
//! typo is an error with a line number rather than a silent "not applicable".

mod build;
pub mod category_hint;
pub mod company;
mod document;
pub(crate) mod error;
mod locate;
mod read;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_yaml::Value;

pub use error::ProfileError;
pub use locate::Locator;
pub use read::{read_text, read_text_of, ReadError};

use crate::model::Vocabulary;
use crate::syntax::ast::EvidenceKind;

/// Profiles larger than this are refused before parsing: a product record is
/// a few kilobytes, and the limit bounds memory on hostile input.
pub const MAX_PROFILE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    /// Written as `~` / `null`: the product has no such value (a DC-only
    /// motor's AC voltage). Known, unlike an attribute left out.
    None,
    Number(f64),
    Bool(bool),
    Text(String),
    Date(NaiveDate),
    List(Vec<String>),
}

impl std::fmt::Display for AttrValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttrValue::None => write!(f, "none"),
            AttrValue::Number(n) => write!(f, "{}", format_number(*n)),
            AttrValue::Bool(true) => write!(f, "yes"),
            AttrValue::Bool(false) => write!(f, "no"),
            AttrValue::Text(s) => write!(f, "{s}"),
            AttrValue::Date(d) => write!(f, "{d}"),
            AttrValue::List(items) => write!(f, "[{}]", items.join(", ")),
        }
    }
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceItem {
    pub kind: EvidenceKind,
    pub scheme: String,
    pub number: Option<String>,
    pub valid_until: Option<NaiveDate>,
    pub grade: Option<u32>,
    pub tier: Option<u32>,
    pub standards: Vec<String>,
    /// The implementation rule a certificate was issued under, e.g.
    /// `CNCA-C05-01:2026`.
    pub implementation_rule: Option<String>,
    /// The documents a filing contained, e.g. `[registration-proof,
    /// authorisation-letter]`.
    pub documents: Vec<String>,
    pub date: Option<NaiveDate>,
    /// Where the item is in the profile, e.g. `evidence.labels.0`.
    pub path: String,
}

#[derive(Debug, Clone)]
pub struct Profile {
    /// The file the profile came from, as given on the command line.
    pub origin: String,
    pub name: String,
    pub category: usize,
    pub category_input: String,
    /// Categories the product is also in because it states the fact that
    /// defines them (`critical_network_equipment: yes`).
    pub also_in: Vec<usize>,
    pub made_in: Option<String>,
    pub sold_in: Option<Vec<String>>,
    pub placed_on_market: Option<NaiveDate>,
    pub attributes: BTreeMap<String, AttrValue>,
    pub evidence: Vec<EvidenceItem>,
    pub locator: Locator,
}

// The document as written. Strings stay strings here; the vocabulary decides
// what they mean afterwards. Keys other than these are collected, not
// refused by serde, so that every problem of the profile is reported at once.
#[derive(Deserialize, Default, Debug, PartialEq)]
struct RawProfile {
    name: Option<Value>,
    category: Option<Value>,
    made_in: Option<Value>,
    sold_in: Option<Value>,
    placed_on_market: Option<Value>,
    #[serde(default)]
    attributes: Option<Value>,
    #[serde(default)]
    evidence: Option<Value>,
    #[serde(flatten)]
    unknown: serde_yaml::Mapping,
}

impl RawProfile {
    /// The fields of a document read by [`document::top_mapping`], as serde
    /// would fill them: a field written as null is absent, other keys are
    /// kept in the order written.
    fn from_mapping(map: serde_yaml::Mapping) -> RawProfile {
        let mut raw = RawProfile::default();
        for (key, value) in map {
            let field = match key.as_str() {
                Some("name") => &mut raw.name,
                Some("category") => &mut raw.category,
                Some("made_in") => &mut raw.made_in,
                Some("sold_in") => &mut raw.sold_in,
                Some("placed_on_market") => &mut raw.placed_on_market,
                Some("attributes") => &mut raw.attributes,
                Some("evidence") => &mut raw.evidence,
                _ => {
                    raw.unknown.insert(key, value);
                    continue;
                }
            };
            *field = (!value.is_null()).then_some(value);
        }
        raw
    }

    /// The document read by serde_yaml, whose messages name what is wrong
    /// with any YAML the fast path leaves to it.
    fn from_serde_yaml(origin: &str, text: &str) -> Result<RawProfile, ProfileError> {
        // serde_yaml reads only the first document of a stream silently in
        // some versions; refuse streams so nothing is ignored unseen.
        let mut docs = serde_yaml::Deserializer::from_str(text);
        let Some(first) = docs.next() else {
            return Err(ProfileError::new(
                origin,
                None,
                "the profile is empty",
                None,
            ));
        };
        let raw = match RawProfile::deserialize(first) {
            Ok(raw) => raw,
            Err(e) => return Err(ProfileError::from_yaml(origin, text, &e)),
        };
        if docs.next().is_some() {
            return Err(ProfileError::new(
                origin,
                None,
                "the file holds more than one YAML document",
                Some("put one product per file (remove the `---` separators)".into()),
            ));
        }
        Ok(raw)
    }
}

/// Whether the fast path reads `text` as serde_yaml does (the same fields),
/// or `None` when it leaves the text to serde_yaml. The `profile_loader`
/// fuzz target and `tests/fast_path.rs` assert it.
#[doc(hidden)]
pub fn fast_path_agrees(text: &str) -> Option<bool> {
    let map = document::top_mapping(text)?;
    Some(RawProfile::from_serde_yaml("-", text).ok() == Some(RawProfile::from_mapping(map)))
}

/// The top-level keys a profile may have, as listed in messages.
const PROFILE_KEYS: [&str; 7] = [
    "name",
    "category",
    "made_in",
    "sold_in",
    "placed_on_market",
    "attributes",
    "evidence",
];

impl Profile {
    /// Reads a profile document. `origin` names it in messages.
    pub fn from_yaml(
        origin: &str,
        text: &str,
        vocab: &Vocabulary,
    ) -> Result<Profile, ProfileError> {
        if text.len() > MAX_PROFILE_BYTES {
            return Err(ProfileError::new(
                origin,
                None,
                format!(
                    "the profile is {} bytes; profiles may be at most {} bytes",
                    text.len(),
                    MAX_PROFILE_BYTES
                ),
                Some("a product profile is a short record; split a catalogue into one file per product".into()),
            ));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // YAML also ends a line at a lone CR (old Mac files). Make those line
        // ends plain, so the lines messages name are the lines YAML counted
        // (found by fuzzing: an error named line 110 of a 5-line file).
        let plain;
        let text = if crate::position::has_lone_cr(text) {
            plain = text.replace("\r\n", "\n").replace('\r', "\n");
            plain.as_str()
        } else {
            text
        };
        if let Some(at) = text.find('\0') {
            // A file with NUL bytes is not text (a link to /proc/self/environ
            // would print the whole environment): named by line and column,
            // never shown.
            let (line, column) = crate::position::line_col(text, at);
            let mut e = ProfileError::new(
                origin,
                None,
                "the profile contains a NUL byte",
                Some("profiles are UTF-8 text".into()),
            );
            (e.line, e.column) = (Some(line), Some(column));
            return Err(e);
        }
        if text.trim().is_empty() {
            return Err(ProfileError::new(
                origin,
                None,
                "the profile is empty",
                Some("a profile needs at least `category:`".into()),
            ));
        }
        let raw = match document::top_mapping(text) {
            Some(map) => RawProfile::from_mapping(map),
            None => RawProfile::from_serde_yaml(origin, text)?,
        };
        let locator = Locator::new(text);
        build::Builder::new(origin, Some(text), &locator, vocab).build(raw, locator.clone())
    }

    /// Builds a profile from an already-parsed YAML value (rule tests embed
    /// profiles in their own documents).
    pub fn from_value(
        origin: &str,
        value: Value,
        vocab: &Vocabulary,
    ) -> Result<Profile, ProfileError> {
        let raw: RawProfile = serde_yaml::from_value(value).map_err(|e| {
            ProfileError::new(origin, None, clean_serde_message(&e.to_string()), None)
        })?;
        let locator = Locator::default();
        build::Builder::new(origin, None, &locator, vocab).build(raw, Locator::default())
    }

    pub fn attribute(&self, name: &str) -> Option<&AttrValue> {
        self.attributes.get(name)
    }

    /// (line, column) of the key at `path`, or of its nearest ancestor.
    pub fn position(&self, path: &str) -> Option<(usize, usize)> {
        self.locator.nearest(path)
    }
}

fn clean_serde_message(msg: &str) -> String {
    msg.replace("RawProfile", "profile")
        .replace("RawItem", "evidence item")
        .replace("RawEvidence", "evidence")
}

/// Dates in profiles are plain calendar days: no time, no zone.
pub fn parse_profile_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "yes/no",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn describe_value(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the text \"{s}\""),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => (if *b { "yes" } else { "no" }).to_string(),
        other => kind_of(other).to_string(),
    }
}

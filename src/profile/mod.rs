//! Product profiles: the YAML record of one product (what it is, where it is
//! made and sold, its attributes, the certificates, labels and filings it
//! holds). Loading checks every value against the rules' vocabulary, so a
//! typo is an error with a line number rather than a silent "not applicable".

pub(crate) mod error;
mod locate;
mod read;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_yaml::Value;

pub use error::ProfileError;
pub use locate::Locator;
pub use read::{read_text, ReadError};

use crate::model::{AttrType, Vocabulary};
use crate::suggest::did_you_mean;
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
    pub made_in: Option<String>,
    pub sold_in: Option<Vec<String>>,
    pub placed_on_market: Option<NaiveDate>,
    pub attributes: BTreeMap<String, AttrValue>,
    pub evidence: Vec<EvidenceItem>,
    pub locator: Locator,
}

// The document as written. Strings stay strings here; the vocabulary decides
// what they mean afterwards.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    name: Option<Value>,
    category: Option<Value>,
    made_in: Option<Value>,
    sold_in: Option<Vec<Value>>,
    placed_on_market: Option<Value>,
    #[serde(default)]
    attributes: Option<serde_yaml::Mapping>,
    #[serde(default)]
    evidence: Option<RawEvidence>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawEvidence {
    #[serde(default)]
    certificates: Vec<RawItem>,
    #[serde(default)]
    labels: Vec<RawItem>,
    #[serde(default)]
    filings: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    scheme: String,
    number: Option<Value>,
    reference: Option<Value>,
    valid_until: Option<Value>,
    grade: Option<u32>,
    tier: Option<u32>,
    #[serde(default)]
    standards: Vec<String>,
    date: Option<Value>,
    note: Option<String>,
}

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
        let raw: RawProfile = match RawProfile::deserialize(first) {
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
        let locator = Locator::new(text);
        Builder {
            origin,
            text: Some(text),
            locator: &locator,
            vocab,
        }
        .build(raw, locator.clone())
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
        Builder {
            origin,
            text: None,
            locator: &locator,
            vocab,
        }
        .build(raw, Locator::default())
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

struct Builder<'a> {
    origin: &'a str,
    text: Option<&'a str>,
    locator: &'a Locator,
    vocab: &'a Vocabulary,
}

impl Builder<'_> {
    fn err(&self, path: &str, message: impl Into<String>, help: Option<String>) -> ProfileError {
        let at = match (self.text, self.locator.nearest(path)) {
            (Some(text), Some((line, col))) => Some((text, line, col)),
            _ => None,
        };
        ProfileError::new(self.origin, at, message, help).with_path(path)
    }

    fn text(&self, path: &str, v: &Value) -> Result<String, ProfileError> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(self.err(
                path,
                format!("`{path}` must be a text, found {}", kind_of(other)),
                None,
            )),
        }
    }

    fn date(&self, path: &str, v: &Value) -> Result<NaiveDate, ProfileError> {
        let s = self.text(path, v)?;
        parse_profile_date(&s).ok_or_else(|| {
            self.err(
                path,
                format!("`{path}`: \"{s}\" is not a calendar date"),
                Some("write dates as YYYY-MM-DD, a day that exists (2026-02-28, not 2026-02-30), without a time".into()),
            )
        })
    }

    fn country(&self, path: &str, v: &Value) -> Result<String, ProfileError> {
        let s = self.text(path, v)?;
        let code = s.trim().to_uppercase();
        if code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(code)
        } else {
            Err(self.err(
                path,
                format!("`{path}`: \"{s}\" is not a country code"),
                Some(
                    "use ISO 3166-1 alpha-2 codes: CN for China, DE for Germany, US, JP, …".into(),
                ),
            ))
        }
    }

    fn build(&self, raw: RawProfile, locator: Locator) -> Result<Profile, ProfileError> {
        let name = match &raw.name {
            Some(v) => self.text("name", v)?,
            None => self.origin.to_string(),
        };
        let Some(category_value) = &raw.category else {
            return Err(self.err("", "the profile has no `category`", Some("say what the product is, e.g. `category: washing-machine` (see `cncomply categories`)".into())));
        };
        let category_input = self.text("category", category_value)?;
        let category = self
            .vocab
            .resolve_category(&category_input)
            .ok_or_else(|| {
                let help = did_you_mean(&category_input, self.vocab.category_names())
                    .unwrap_or_else(|| {
                        "run `cncomply categories` to list the categories and their aliases".into()
                    });
                self.err(
                    "category",
                    format!("unknown category \"{category_input}\""),
                    Some(help),
                )
            })?;
        let made_in = raw
            .made_in
            .as_ref()
            .map(|v| self.country("made_in", v))
            .transpose()?;
        let sold_in = match &raw.sold_in {
            None => None,
            Some(list) => Some(
                list.iter()
                    .enumerate()
                    .map(|(i, v)| self.country(&format!("sold_in.{i}"), v))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let placed_on_market = raw
            .placed_on_market
            .as_ref()
            .map(|v| self.date("placed_on_market", v))
            .transpose()?;

        let mut attributes = BTreeMap::new();
        for (key, value) in raw.attributes.iter().flatten() {
            let Value::String(key) = key else {
                return Err(self.err(
                    "attributes",
                    format!("attribute names must be texts, found {}", kind_of(key)),
                    None,
                ));
            };
            let path = format!("attributes.{key}");
            let Some(decl) = self.vocab.attributes.get(key) else {
                let help = did_you_mean(key, self.vocab.attributes.keys().map(|k| k.as_str()))
                    .unwrap_or_else(|| {
                        "only attributes that rules read are allowed; see `cncomply schema`".into()
                    });
                return Err(self.err(&path, format!("unknown attribute `{key}`"), Some(help)));
            };
            // An explicit null says "the product has none"; a key left out
            // says "not known". Only the latter makes a rule ask.
            let v = if value.is_null() {
                AttrValue::None
            } else {
                self.attr_value(&path, &decl.value_type, value)?
            };
            attributes.insert(key.clone(), v);
        }

        let mut evidence = Vec::new();
        if let Some(raw_ev) = raw.evidence {
            for (kind, field, items) in [
                (
                    EvidenceKind::Certificate,
                    "certificates",
                    raw_ev.certificates,
                ),
                (EvidenceKind::Label, "labels", raw_ev.labels),
                (EvidenceKind::Filing, "filings", raw_ev.filings),
            ] {
                for (i, item) in items.into_iter().enumerate() {
                    let path = format!("evidence.{field}.{i}");
                    evidence.push(self.evidence_item(&path, kind, item)?);
                }
            }
        }

        Ok(Profile {
            origin: self.origin.to_string(),
            name,
            category,
            category_input,
            made_in,
            sold_in,
            placed_on_market,
            attributes,
            evidence,
            locator,
        })
    }

    fn attr_value(&self, path: &str, ty: &AttrType, v: &Value) -> Result<AttrValue, ProfileError> {
        let wrong = || {
            self.err(
                path,
                format!(
                    "`{path}` must be {}, found {}",
                    ty.describe(),
                    describe_value(v)
                ),
                None,
            )
        };
        match ty {
            AttrType::Number { .. } => match v {
                Value::Number(n) => {
                    let f = n.as_f64().ok_or_else(wrong)?;
                    if f.is_finite() {
                        Ok(AttrValue::Number(f))
                    } else {
                        Err(self.err(
                            path,
                            format!("`{path}` must be a finite number, found {n}"),
                            None,
                        ))
                    }
                }
                // YAML reads 1e999 (and `inf`, `nan`) as text: no number a
                // rule can compare.
                Value::String(s) if s.trim().parse::<f64>().is_ok_and(|f| !f.is_finite()) => {
                    let what = if s.trim().parse::<f64>().is_ok_and(f64::is_nan) {
                        "is not a number"
                    } else {
                        "is out of range"
                    };
                    Err(self.err(
                        path,
                        format!("`{path}`: {} {what}", s.trim()),
                        Some("numbers must be finite, at most about 1.8e308".into()),
                    ))
                }
                Value::String(s)
                    if s.split_whitespace()
                        .next()
                        .and_then(|n| n.parse::<f64>().ok())
                        .is_some() =>
                {
                    Err(self.err(
                        path,
                        format!("`{path}` must be a number, found the text \"{s}\""),
                        Some("write the number alone; the unit is in the attribute's name".into()),
                    ))
                }
                _ => Err(wrong()),
            },
            AttrType::YesNo => match v {
                Value::Bool(b) => Ok(AttrValue::Bool(*b)),
                // YAML 1.2 reads `yes` as text; people mean a boolean.
                Value::String(s) => match s.to_lowercase().as_str() {
                    "yes" | "y" | "true" | "on" => Ok(AttrValue::Bool(true)),
                    "no" | "n" | "false" | "off" => Ok(AttrValue::Bool(false)),
                    _ => Err(wrong()),
                },
                _ => Err(wrong()),
            },
            AttrType::Date => Ok(AttrValue::Date(self.date(path, v)?)),
            AttrType::Text => match v {
                Value::String(_) | Value::Number(_) => Ok(AttrValue::Text(self.text(path, v)?)),
                _ => Err(wrong()),
            },
            AttrType::Choice(choices) => {
                let s = match v {
                    Value::String(_) | Value::Number(_) | Value::Bool(_) => self.text(path, v)?,
                    _ => return Err(wrong()),
                };
                match choices.iter().find(|c| c.eq_ignore_ascii_case(s.trim())) {
                    Some(c) => Ok(AttrValue::Text(c.clone())),
                    None => {
                        let help = did_you_mean(&s, choices.iter().map(|c| c.as_str()))
                            .unwrap_or_else(|| format!("`{path}` is {}", ty.describe()));
                        Err(self.err(
                            path,
                            format!("`{path}`: \"{s}\" is not one of the choices"),
                            Some(help),
                        ))
                    }
                }
            }
            AttrType::List => match v {
                Value::Sequence(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| match item {
                        Value::String(_) | Value::Number(_) | Value::Bool(_) => {
                            self.text(&format!("{path}.{i}"), item)
                        }
                        other => Err(self.err(
                            &format!("{path}.{i}"),
                            format!("list items must be texts, found {}", kind_of(other)),
                            None,
                        )),
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(AttrValue::List),
                _ => Err(wrong()),
            },
        }
    }

    fn evidence_item(
        &self,
        path: &str,
        kind: EvidenceKind,
        item: RawItem,
    ) -> Result<EvidenceItem, ProfileError> {
        let Some(scheme) = self.vocab.evidence.get(&item.scheme) else {
            let same_kind = self
                .vocab
                .evidence
                .values()
                .filter(|e| e.kind == kind)
                .map(|e| e.id.as_str());
            let help = did_you_mean(&item.scheme, same_kind).unwrap_or_else(|| {
                let all: Vec<_> = self
                    .vocab
                    .evidence
                    .values()
                    .filter(|e| e.kind == kind)
                    .map(|e| e.id.as_str())
                    .collect();
                format!("known {}s: {}", kind.as_str(), all.join(", "))
            });
            return Err(self.err(
                &format!("{path}.scheme"),
                format!("unknown {} scheme `{}`", kind.as_str(), item.scheme),
                Some(help),
            ));
        };
        if scheme.kind != kind {
            return Err(self.err(
                &format!("{path}.scheme"),
                format!(
                    "`{}` is a {}, listed here under {}s",
                    scheme.id,
                    scheme.kind.as_str(),
                    kind.as_str()
                ),
                Some(format!("move it to `evidence.{}s`", scheme.kind.as_str())),
            ));
        }
        let valid_until = item
            .valid_until
            .as_ref()
            .map(|v| self.date(&format!("{path}.valid_until"), v))
            .transpose()?;
        let date = item
            .date
            .as_ref()
            .map(|v| self.date(&format!("{path}.date"), v))
            .transpose()?;
        let number = item
            .number
            .as_ref()
            .or(item.reference.as_ref())
            .map(|v| self.text(&format!("{path}.number"), v))
            .transpose()?;
        let _ = item.note;
        Ok(EvidenceItem {
            kind,
            scheme: item.scheme,
            number,
            valid_until,
            grade: item.grade,
            tier: item.tier,
            standards: item.standards,
            date,
            path: path.to_string(),
        })
    }
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

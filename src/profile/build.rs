//! Profile document → [`Profile`]: every value checked against the rules'
//! vocabulary (categories, attributes and their declared values, evidence
//! schemes), countries against ISO 3166-1, dates as calendar days. Problems
//! are collected, not returned at the first: a draft with five mistakes is
//! fixed in one round.

use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_yaml::Value;

use super::{
    category_hint, describe_value, kind_of, parse_profile_date, AttrValue, EvidenceItem, Locator,
    Profile, ProfileError, RawProfile, PROFILE_KEYS,
};
use crate::model::{AttrType, Vocabulary};
use crate::suggest::did_you_mean;
use crate::syntax::ast::EvidenceKind;

/// The keys an evidence item may have.
const ITEM_KEYS: [&str; 11] = [
    "scheme",
    "number",
    "reference",
    "valid_until",
    "grade",
    "tier",
    "standards",
    "implementation_rule",
    "documents",
    "date",
    "note",
];

pub(super) struct Builder<'a> {
    pub origin: &'a str,
    pub text: Option<&'a str>,
    pub locator: &'a Locator,
    pub vocab: &'a Vocabulary,
    /// Every problem found so far, in document order of the checks.
    problems: RefCell<Vec<ProfileError>>,
}

/// A check that failed has been recorded; the caller goes on without the value.
type Checked<T> = Result<T, ProfileError>;

impl<'a> Builder<'a> {
    pub fn new(
        origin: &'a str,
        text: Option<&'a str>,
        locator: &'a Locator,
        vocab: &'a Vocabulary,
    ) -> Self {
        Builder {
            origin,
            text,
            locator,
            vocab,
            problems: RefCell::new(Vec::new()),
        }
    }

    pub(super) fn err(
        &self,
        path: &str,
        message: impl Into<String>,
        help: Option<String>,
    ) -> ProfileError {
        let at = match (self.text, self.locator.nearest(path)) {
            (Some(text), Some((line, col))) => Some((text, line, col)),
            _ => None,
        };
        ProfileError::new(self.origin, at, message, help).with_path(path)
    }

    /// Like [`Builder::err`], with the caret on the value rather than the key.
    fn err_value(
        &self,
        path: &str,
        message: impl Into<String>,
        help: Option<String>,
    ) -> ProfileError {
        let at = match (self.text, self.locator.value(path)) {
            (Some(text), Some((line, col))) => Some((text, line, col)),
            _ => None,
        };
        ProfileError::new(self.origin, at, message, help).with_path(path)
    }

    /// Every problem recorded so far as one error (the first, with the
    /// others related to it), or `Ok` when there was none.
    pub(super) fn finish(&self) -> Result<(), ProfileError> {
        let mut problems = self.problems.take();
        if problems.is_empty() {
            return Ok(());
        }
        let mut first = problems.remove(0);
        first.related = problems;
        Err(first)
    }

    /// Records a failed check and gives `None`, so the build goes on.
    pub(super) fn keep<T>(&self, checked: Checked<T>) -> Option<T> {
        match checked {
            Ok(v) => Some(v),
            Err(e) => {
                self.problems.borrow_mut().push(e);
                None
            }
        }
    }

    pub(super) fn text(&self, path: &str, v: &Value) -> Checked<String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(self.err_value(
                path,
                format!("`{path}` must be a text, found {}", kind_of(other)),
                None,
            )),
        }
    }

    fn date(&self, path: &str, v: &Value) -> Checked<NaiveDate> {
        let s = self.text(path, v)?;
        parse_profile_date(&s).ok_or_else(|| {
            self.err_value(
                path,
                format!("`{path}`: \"{s}\" is not a calendar date"),
                Some("write dates as YYYY-MM-DD, a day that exists (2026-02-28, not 2026-02-30), without a time".into()),
            )
        })
    }

    /// An ISO 3166-1 alpha-2 code of an assigned country (`XX`, `ZZ` and
    /// other unassigned pairs are refused), upper-cased.
    fn country(&self, path: &str, v: &Value) -> Checked<String> {
        let s = self.text(path, v)?;
        let code = s.trim().to_uppercase();
        let shaped = code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase());
        if shaped && celes::Country::from_alpha2(&code).is_ok() {
            return Ok(code);
        }
        // A country written out ("Germany", "DEU") is understood well enough
        // to say which code to write.
        let help = match std::str::FromStr::from_str(s.trim()) {
            Ok(c) => {
                let c: celes::Country = c;
                format!("write the ISO 3166-1 alpha-2 code: {} for {}", c.alpha2, c.long_name)
            }
            Err(_) if shaped => format!(
                "\"{code}\" is not an assigned ISO 3166-1 code; use CN for China, DE for Germany, US, JP, …"
            ),
            Err(_) => "use ISO 3166-1 alpha-2 codes: CN for China, DE for Germany, US, JP, …".into(),
        };
        Err(self.err_value(
            path,
            format!("`{path}`: \"{s}\" is not a country code"),
            Some(help),
        ))
    }

    pub fn build(&self, raw: RawProfile, locator: Locator) -> Result<Profile, ProfileError> {
        for key in raw.unknown.keys() {
            let key = match key {
                Value::String(s) => s.clone(),
                other => format!("{other:?}"),
            };
            let expected: Vec<String> = PROFILE_KEYS.iter().map(|k| format!("`{k}`")).collect();
            let help = did_you_mean(&key, PROFILE_KEYS.iter().copied())
                .unwrap_or_else(|| format!("allowed here: {}", PROFILE_KEYS.join(", ")));
            self.keep::<()>(Err(self.err(
                &key,
                format!(
                    "unknown field `{key}`, expected one of {}",
                    expected.join(", ")
                ),
                Some(help),
            )));
        }
        let name = match &raw.name {
            Some(v) => self.keep(self.text("name", v)),
            None => Some(self.origin.to_string()),
        };
        let category_input = match &raw.category {
            Some(v) => self.keep(self.text("category", v)),
            None => self.keep::<String>(Err(self.err(
                "",
                "the profile has no `category`",
                Some("say what the product is, e.g. `category: washing-machine` (see `cncomply categories`)".into()),
            ))),
        };
        let category = category_input.as_ref().and_then(|input| {
            let found = self.vocab.resolve_category(input).ok_or_else(|| {
                self.err_value(
                    "category",
                    format!("unknown category \"{input}\""),
                    Some(category_hint::unknown_category_help(self.vocab, input)),
                )
            });
            self.keep(found)
        });
        let made_in = raw
            .made_in
            .as_ref()
            .and_then(|v| self.keep(self.country("made_in", v)));
        let sold_in = raw.sold_in.as_ref().and_then(|v| self.countries(v));
        let placed_on_market = raw
            .placed_on_market
            .as_ref()
            .and_then(|v| self.keep(self.date("placed_on_market", v)));
        let mut attributes = self.attributes(raw.attributes.as_ref());
        let evidence = self.evidence(raw.evidence.as_ref());
        let also_in = match category {
            Some(c) => {
                self.implied_facts(c, category_input.as_deref().unwrap_or(""), &mut attributes)
            }
            None => Vec::new(),
        };

        self.finish()?;
        Ok(Profile {
            origin: self.origin.to_string(),
            name: name.unwrap_or_default(),
            category: category.expect("a missing category is a problem"),
            category_input: category_input.unwrap_or_default(),
            also_in,
            made_in,
            sold_in,
            placed_on_market,
            attributes,
            evidence,
            locator,
        })
    }

    fn countries(&self, v: &Value) -> Option<Vec<String>> {
        let Value::Sequence(items) = v else {
            return self.keep(Err(self.err_value(
                "sold_in",
                format!(
                    "`sold_in` must be a list of country codes, found {}",
                    describe_value(v)
                ),
                Some("write the markets as a list: `sold_in: [CN, DE]`".into()),
            )));
        };
        let codes: Vec<Option<String>> = items
            .iter()
            .enumerate()
            .map(|(i, v)| self.keep(self.country(&format!("sold_in.{i}"), v)))
            .collect();
        codes.into_iter().collect()
    }

    pub(super) fn attributes(&self, raw: Option<&Value>) -> BTreeMap<String, AttrValue> {
        let mut attributes = BTreeMap::new();
        let map = match raw {
            None | Some(Value::Null) => return attributes,
            Some(Value::Mapping(m)) => m,
            Some(other) => {
                self.keep::<()>(Err(self.err(
                    "attributes",
                    format!("`attributes` must be a mapping of names to values, found {}", kind_of(other)),
                    Some("write one attribute per line: `attributes:` then `  rated_voltage_ac_v: 230`".into()),
                )));
                return attributes;
            }
        };
        for (key, value) in map {
            let Value::String(key) = key else {
                self.keep::<()>(Err(self.err(
                    "attributes",
                    format!("attribute names must be texts, found {}", kind_of(key)),
                    None,
                )));
                continue;
            };
            let path = format!("attributes.{key}");
            let Some(decl) = self.vocab.attributes.get(key.as_str()) else {
                let help = did_you_mean(key, self.vocab.attributes.keys().map(|k| k.as_str()))
                    .unwrap_or_else(|| {
                        "only attributes that rules read are allowed; see `cncomply schema`".into()
                    });
                self.keep::<()>(Err(self.err(
                    &path,
                    format!("unknown attribute `{key}`"),
                    Some(help),
                )));
                continue;
            };
            // An explicit null says "the product has none"; a key left out
            // says "not known". Only the latter makes a rule ask.
            let v = if value.is_null() {
                Some(AttrValue::None)
            } else {
                self.keep(self.attr_value(&path, &decl.value_type, value))
            };
            if let Some(v) = v {
                attributes.insert(key.clone(), v);
            }
        }
        attributes
    }

    /// Gives the product the facts its category implies, and refuses a
    /// profile that states the opposite (naming both lines). Returns the
    /// categories the product is also in because it states their fact.
    fn implied_facts(
        &self,
        category: usize,
        written: &str,
        attributes: &mut BTreeMap<String, AttrValue>,
    ) -> Vec<usize> {
        for (from, attr) in self.vocab.implied_facts(category) {
            let path = format!("attributes.{attr}");
            match attributes.get(attr) {
                Some(AttrValue::Bool(true)) => {}
                None => {
                    attributes.insert(attr.to_string(), AttrValue::Bool(true));
                }
                Some(stated) => {
                    let cat = &self.vocab.categories[category];
                    let via = if from == category {
                        String::new()
                    } else {
                        format!(", which is a kind of `{}`", self.vocab.categories[from].id)
                    };
                    let line = self
                        .locator
                        .value("category")
                        .map(|(l, _)| format!(" (line {l})"))
                        .unwrap_or_default();
                    self.keep::<()>(Err(self.err_value(
                        &path,
                        format!(
                            "`{path}: {stated}` contradicts `category: {}`{line}: every `{}`{via} has {attr}: yes",
                            written,
                            cat.id
                        ),
                        Some(format!(
                            "remove `{attr}` (the category gives it), or name a category that does not imply it (see `cncomply categories`)"
                        )),
                    )));
                }
            }
        }
        (0..self.vocab.categories.len())
            .filter(|&c| {
                c != category
                    && self.vocab.categories[c]
                        .includes
                        .iter()
                        .any(|a| attributes.get(a.as_str()) == Some(&AttrValue::Bool(true)))
            })
            .collect()
    }

    fn attr_value(&self, path: &str, ty: &AttrType, v: &Value) -> Result<AttrValue, ProfileError> {
        let wrong = || {
            self.err_value(
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
                        Err(self.err_value(
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
                    Err(self.err_value(
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
                    Err(self.err_value(
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
                Value::String(s) => {
                    let is = |words: [&str; 4]| words.iter().any(|w| s.eq_ignore_ascii_case(w));
                    if is(["yes", "y", "true", "on"]) {
                        Ok(AttrValue::Bool(true))
                    } else if is(["no", "n", "false", "off"]) {
                        Ok(AttrValue::Bool(false))
                    } else {
                        Err(wrong())
                    }
                }
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
                    Some(c) => Ok(AttrValue::Text(c.to_string())),
                    None => {
                        let help = did_you_mean(&s, choices.iter().map(|c| c.as_str()))
                            .unwrap_or_else(|| format!("`{path}` is {}", ty.describe()));
                        Err(self.err_value(
                            path,
                            format!("`{path}`: \"{s}\" is not one of the choices"),
                            Some(help),
                        ))
                    }
                }
            }
            AttrType::ListOf(allowed) => {
                let items = self.attr_value(path, &AttrType::List, v)?;
                let AttrValue::List(items) = items else {
                    return Ok(items);
                };
                let mut checked = Vec::new();
                let mut bad = None;
                for (i, item) in items.iter().enumerate() {
                    match allowed.iter().find(|a| a.eq_ignore_ascii_case(item.trim())) {
                        Some(a) => checked.push(a.to_string()),
                        None => {
                            let at = format!("{path}.{i}");
                            let help = did_you_mean(item, allowed.iter().map(|a| a.as_str()))
                                .unwrap_or_else(|| format!("`{path}` is {}", ty.describe()));
                            let e = self.err_value(
                                &at,
                                format!(
                                    "`{at}`: \"{item}\" is not one of the items `{path}` may hold"
                                ),
                                Some(help),
                            );
                            if bad.is_none() {
                                bad = Some(e);
                            } else {
                                self.keep::<()>(Err(e));
                            }
                        }
                    }
                }
                match bad {
                    Some(e) => Err(e),
                    None => Ok(AttrValue::List(checked)),
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
                        other => Err(self.err_value(
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

    fn evidence(&self, raw: Option<&Value>) -> Vec<EvidenceItem> {
        let mut evidence = Vec::new();
        let map = match raw {
            None | Some(Value::Null) => return evidence,
            Some(Value::Mapping(m)) => m,
            Some(other) => {
                let empty = matches!(other, Value::Sequence(s) if s.is_empty());
                self.keep::<()>(Err(self.err(
                    "evidence",
                    format!(
                        "`evidence` lists what the product holds under `certificates`, `labels` and `filings`, found {}",
                        if empty { "an empty list".to_string() } else { kind_of(other).to_string() }
                    ),
                    Some(if empty {
                        "leave `evidence` out when the product holds nothing yet".into()
                    } else {
                        "write e.g. `evidence:` then `  certificates:` then `    - scheme: ccc`".into()
                    }),
                )));
                return evidence;
            }
        };
        for (key, items) in map {
            let field = match key {
                Value::String(s) => s.as_str(),
                _ => "",
            };
            let kind = match field {
                "certificates" => EvidenceKind::Certificate,
                "labels" => EvidenceKind::Label,
                "filings" => EvidenceKind::Filing,
                _ => {
                    let help =
                        did_you_mean(field, ["certificates", "labels", "filings"].into_iter())
                            .unwrap_or_else(|| {
                                "evidence has `certificates`, `labels` and `filings`".into()
                            });
                    self.keep::<()>(Err(self.err(
                        &format!("evidence.{field}"),
                        format!("unknown field `{field}` in `evidence`"),
                        Some(help),
                    )));
                    continue;
                }
            };
            let list = match items {
                Value::Null => continue,
                Value::Sequence(list) => list,
                other => {
                    self.keep::<()>(Err(self.err(
                        &format!("evidence.{field}"),
                        format!(
                            "`evidence.{field}` must be a list of items, found {}",
                            kind_of(other)
                        ),
                        Some(format!(
                            "write each item on its own line: `  {field}:` then `    - scheme: …`"
                        )),
                    )));
                    continue;
                }
            };
            for (i, item) in list.iter().enumerate() {
                let path = format!("evidence.{field}.{i}");
                if let Some(item) = self.evidence_item(&path, kind, item) {
                    evidence.push(item);
                }
            }
        }
        evidence
    }

    fn evidence_item(&self, path: &str, kind: EvidenceKind, raw: &Value) -> Option<EvidenceItem> {
        let Value::Mapping(map) = raw else {
            return self.keep(Err(self.err(
                path,
                format!("an evidence item is a mapping with at least `scheme`, found {}", kind_of(raw)),
                Some("write e.g. `- scheme: ccc` and, on the next lines, `number:`, `valid_until:` …".into()),
            )));
        };
        let get = |k: &str| map.get(Value::String(k.to_string()));
        for key in map.keys() {
            let key = key.as_str().unwrap_or("");
            if !ITEM_KEYS.contains(&key) {
                let help = did_you_mean(key, ITEM_KEYS.into_iter())
                    .unwrap_or_else(|| format!("allowed here: {}", ITEM_KEYS.join(", ")));
                self.keep::<()>(Err(self.err(
                    &format!("{path}.{key}"),
                    format!("unknown field `{key}` in an evidence item"),
                    Some(help),
                )));
            }
        }
        let scheme = match get("scheme") {
            None => self.keep(Err(self.err(
                path,
                "the evidence item has no `scheme`",
                Some(format!(
                    "name what it is, e.g. `scheme: {}`",
                    self.schemes_of(kind).first().copied().unwrap_or("ccc")
                )),
            ))),
            Some(v) => self
                .keep(self.text(&format!("{path}.scheme"), v))
                .and_then(|s| self.keep(self.scheme(path, kind, &s))),
        };
        let date_at =
            |k: &str| get(k).and_then(|v| self.keep(self.date(&format!("{path}.{k}"), v)));
        let valid_until = date_at("valid_until");
        let date = date_at("date");
        let number = get("number")
            .or(get("reference"))
            .and_then(|v| self.keep(self.text(&format!("{path}.number"), v)));
        let level = |k: &str| {
            get(k).and_then(|v| match v {
                Value::Number(n) if n.as_u64().is_some_and(|n| n <= u32::MAX as u64) => {
                    Some(n.as_u64().unwrap_or(0) as u32)
                }
                other => self.keep(Err(self.err_value(
                    &format!("{path}.{k}"),
                    format!(
                        "`{path}.{k}` must be a whole number, found {}",
                        describe_value(other)
                    ),
                    Some(format!(
                        "write the {k} as printed on the label, e.g. `{k}: 2`"
                    )),
                ))),
            })
        };
        let grade = level("grade");
        let tier = level("tier");
        let list = |k: &str| -> Vec<String> {
            match get(k) {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Sequence(items)) => items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| self.keep(self.text(&format!("{path}.{k}.{i}"), v)))
                    .collect(),
                // One standard written without brackets is still one standard.
                Some(v @ Value::String(_)) => self
                    .keep(self.text(&format!("{path}.{k}"), v))
                    .into_iter()
                    .collect(),
                Some(other) => {
                    self.keep::<()>(Err(self.err_value(
                        &format!("{path}.{k}"),
                        format!(
                            "`{path}.{k}` must be a list of texts, found {}",
                            kind_of(other)
                        ),
                        Some(format!("write `{k}: [\"…\", \"…\"]`")),
                    )));
                    Vec::new()
                }
            }
        };
        let standards = list("standards");
        let documents = list("documents");
        let implementation_rule = get("implementation_rule")
            .and_then(|v| self.keep(self.text(&format!("{path}.implementation_rule"), v)));
        Some(EvidenceItem {
            kind,
            scheme: scheme?,
            number,
            valid_until,
            grade,
            tier,
            standards,
            implementation_rule,
            documents,
            date,
            path: path.to_string(),
        })
    }

    fn schemes_of(&self, kind: EvidenceKind) -> Vec<&str> {
        self.vocab
            .evidence
            .values()
            .filter(|e| e.kind == kind)
            .map(|e| e.id.as_str())
            .collect()
    }

    /// The declared scheme `written` names (ignoring case, spaces and
    /// hyphens), listed under the right kind.
    fn scheme(&self, path: &str, kind: EvidenceKind, written: &str) -> Checked<String> {
        let at = format!("{path}.scheme");
        let key = crate::model::normalise_name(written);
        let found = self
            .vocab
            .evidence
            .values()
            .find(|e| e.id == written)
            .or_else(|| {
                self.vocab
                    .evidence
                    .values()
                    .find(|e| crate::model::normalise_name(&e.id) == key)
            });
        let Some(scheme) = found else {
            return Err(self.err_value(
                &at,
                format!("unknown {} scheme `{written}`", kind.as_str()),
                Some(unknown_scheme_help(self.vocab, kind, written)),
            ));
        };
        if scheme.kind != kind {
            return Err(self.err_value(
                &at,
                format!(
                    "`{}` is a {}, listed here under {}s",
                    scheme.id,
                    scheme.kind.as_str(),
                    kind.as_str()
                ),
                Some(format!("move it to `evidence.{}s`", scheme.kind.as_str())),
            ));
        }
        Ok(scheme.id.to_string())
    }
}

/// Nearest schemes to an unknown one: by spelling, then by the words it
/// shares with a scheme's id ("ccc-certificate" → `ccc`, "test report" →
/// `test-report`), of the kind it is listed under first.
fn unknown_scheme_help(vocab: &Vocabulary, kind: EvidenceKind, written: &str) -> String {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    // No scheme id is this long; comparing such a text with each of them
    // would cost its length many times over.
    let too_long = written.chars().nth(200).is_some();
    let typed = if too_long { Vec::new() } else { words(written) };
    let written_norm = crate::model::normalise_name(written);
    let limit = crate::suggest::limit_for(written.chars().count());
    let generic = [
        "certificate",
        "certification",
        "label",
        "filing",
        "mark",
        "record",
        "the",
    ];
    let mut scored: Vec<(usize, bool, &str)> = Vec::new();
    for e in vocab.evidence.values().filter(|_| !too_long) {
        let distance =
            crate::suggest::within(&written_norm, &crate::model::normalise_name(&e.id), limit);
        let shared = words(&e.id)
            .iter()
            .filter(|w| !generic.contains(&w.as_str()) && typed.contains(w))
            .count();
        let score = if shared > 0 {
            Some(words(&e.id).len() - shared)
        } else {
            distance.map(|d| 10 + d)
        };
        if let Some(score) = score {
            scored.push((score, e.kind != kind, e.id.as_str()));
        }
    }
    // A scheme that shares a word with what was written beats one that is
    // only spelt alike (`ccc-certificate` is `ccc`, not `pcf-certificate`).
    if scored.iter().any(|s| s.0 < 10) {
        scored.retain(|s| s.0 < 10);
    }
    // Of the kind it is listed under, if there is one.
    if scored.iter().any(|s| !s.1) {
        scored.retain(|s| !s.1);
    }
    scored.sort_by(|a, b| (a.1, a.0, a.2).cmp(&(b.1, b.0, b.2)));
    let best: Vec<String> = scored
        .iter()
        .take(3)
        .map(|(_, _, id)| format!("`{id}`"))
        .collect();
    if best.is_empty() {
        let all: Vec<&str> = vocab
            .evidence
            .values()
            .filter(|e| e.kind == kind)
            .map(|e| e.id.as_str())
            .collect();
        format!("known {}s: {}", kind.as_str(), all.join(", "))
    } else if best.len() == 1 {
        format!("did you mean {}?", best[0])
    } else {
        format!("did you mean one of {}?", best.join(", "))
    }
}

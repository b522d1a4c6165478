//! The profile format as a JSON Schema (draft 2020-12), generated from a rule
//! set's vocabulary, so editors (yaml-language-server) complete attribute
//! names, category aliases and evidence schemes and flag a wrong type while
//! the profile is typed.
//!
//! The schema mirrors what `Profile::from_yaml` accepts, read the way
//! serde_yaml reads YAML (1.2: `yes` is text, dates are text). It is stricter
//! in two places an editor cannot express: category names and choices must be
//! written as declared (the loader also ignores letter case).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::model::{AttrType, Fact, RuleSet, Vocabulary};
use crate::reads;
use crate::syntax::ast::{EvidenceKind, LevelKind};

pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A calendar day written YYYY-MM-DD, with the month lengths and leap years
/// of the Gregorian calendar, so `2026-02-30` is flagged in the editor as
/// the loader rejects it. `[0-9]`, not `\d`: Python's `re` reads `\d` as
/// any Unicode digit.
const DATE_PATTERN: &str = concat!(
    r"^\s*(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])",
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))",
    r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)\s*$"
);

/// ISO 3166-1 alpha-2, in either case (the loader upper-cases it).
const COUNTRY_PATTERN: &str = r"^\s*[A-Za-z]{2}\s*$";

/// The words the loader takes for yes and no, in any letter case.
const YES_NO_PATTERN: &str = r"^(?:[Yy](?:[Ee][Ss])?|[Nn][Oo]?|[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Oo][Nn]|[Oo][Ff][Ff])$";

/// How many rule ids an attribute's description names before "and N more".
const RULES_NAMED: usize = 6;

/// The JSON Schema of a product profile for the rules in `rules`.
pub fn profile_schema(rules: &RuleSet) -> Value {
    profile_schema_for(rules, None)
}

/// The rules whose scope can hold for a product of `category` (true or
/// unknown for a profile that gives nothing but the category).
pub fn rules_for_category(rules: &RuleSet, category: usize) -> Vec<&crate::model::Rule> {
    let v = &rules.vocabulary;
    let mut doc = serde_yaml::Mapping::new();
    doc.insert(
        "category".into(),
        v.categories[category].id.to_string().into(),
    );
    let Ok(profile) = crate::profile::Profile::from_value("schema", doc.into(), v) else {
        return rules.rules.iter().collect();
    };
    let ctx = crate::evaluate::Context {
        vocab: v,
        profile: &profile,
        as_of: chrono::NaiveDate::MIN,
    };
    rules
        .rules
        .iter()
        .filter(|r| ctx.truth(&r.scope) != crate::evaluate::Truth::False)
        .collect()
}

/// The profile schema; with `category`, only the attributes that the rules
/// which can apply to that category read (`cncomply schema --category X`).
pub fn profile_schema_for(rules: &RuleSet, category: Option<usize>) -> Value {
    let v = &rules.vocabulary;
    let readers = match category {
        None => attribute_readers(rules),
        Some(c) => readers_of(rules_for_category(rules, c)),
    };
    let attributes: Map<String, Value> = v
        .attributes
        .values()
        .filter(|a| category.is_none() || readers.contains_key(a.name.as_str()))
        .map(|a| {
            let mut schema = attribute_type(&a.value_type);
            let mut description = format!(
                "{}. Type: {}. Leave an attribute out when it is not known; write `~` (null) when the product has none (answer `none` when `init` asks).",
                a.meaning.trim_end_matches('.'),
                a.value_type.describe()
            );
            if let Some(ids) = readers.get(a.name.as_str()) {
                description.push_str(&format!(" Read by: {}.", name_some(ids)));
            }
            schema.insert("description".into(), description.into());
            (a.name.to_string(), Value::Object(schema))
        })
        .collect();

    json!({
        "$schema": DIALECT,
        "title": "cncomply product profile",
        "description": "One product: what it is, where it is made and sold, the facts the rules read and the certificates, labels and filings it holds. Check it with `cncomply check`.",
        "type": "object",
        "required": ["category"],
        "additionalProperties": false,
        "properties": {
            "name": {
                "description": "Product name shown in reports; defaults to the file name.",
                "type": ["string", "number", "boolean", "null"]
            },
            "category": {
                "description": "What the product is: a category id or alias (see `cncomply categories`). A rule on a category covers every category under it.",
                "type": "string",
                "enum": category_names(v)
            },
            "made_in": {
                "description": "Country of manufacture, ISO 3166-1 alpha-2 (CN, DE, US, …).",
                "anyOf": [{ "$ref": "#/$defs/country" }, { "type": "null" }]
            },
            "sold_in": {
                "description": "Markets the product is sold in, ISO 3166-1 alpha-2 codes.",
                "type": ["array", "null"],
                "items": { "$ref": "#/$defs/country" }
            },
            "placed_on_market": {
                "description": "First day the product is placed on the Chinese market (YYYY-MM-DD).",
                "anyOf": [{ "$ref": "#/$defs/date" }, { "type": "null" }]
            },
            "attributes": {
                "description": "Typed facts the rules read. A fact left out is unknown, and rules that depend on it report needs-info.",
                "type": ["object", "null"],
                "additionalProperties": false,
                "properties": attributes
            },
            "evidence": {
                "description": "What the product already holds.",
                "type": ["object", "null"],
                "additionalProperties": false,
                "properties": {
                    "certificates": evidence_list(v, EvidenceKind::Certificate),
                    "labels": evidence_list(v, EvidenceKind::Label),
                    "filings": evidence_list(v, EvidenceKind::Filing)
                }
            }
        },
        "$defs": {
            "date": {
                "description": "A calendar day, YYYY-MM-DD.",
                "type": "string",
                "pattern": DATE_PATTERN
            },
            "country": {
                "description": "ISO 3166-1 alpha-2 country code.",
                "type": "string",
                "pattern": COUNTRY_PATTERN
            },
            "text": { "type": ["string", "number", "boolean"] }
        }
    })
}

/// The schema of one attribute's value; `null` is always allowed because an
/// explicit null says "the product has none".
fn attribute_type(ty: &AttrType) -> Map<String, Value> {
    let schema = match ty {
        AttrType::Number { .. } => json!({ "type": ["number", "null"] }),
        AttrType::YesNo => json!({
            "anyOf": [
                { "type": "boolean" },
                { "type": "string", "pattern": YES_NO_PATTERN },
                { "type": "null" }
            ],
            "examples": ["yes", "no"]
        }),
        AttrType::Date => json!({ "anyOf": [{ "$ref": "#/$defs/date" }, { "type": "null" }] }),
        AttrType::Text => json!({ "type": ["string", "number", "null"] }),
        AttrType::Choice(choices) => {
            let mut values: Vec<Value> = choices.iter().map(|c| c.as_str().into()).collect();
            values.push(Value::Null);
            json!({ "enum": values })
        }
        AttrType::List => json!({
            "type": ["array", "null"],
            "items": { "$ref": "#/$defs/text" }
        }),
        AttrType::ListOf(items) => json!({
            "type": ["array", "null"],
            "items": { "enum": items }
        }),
    };
    match schema {
        Value::Object(m) => m,
        _ => unreachable!("every attribute schema above is an object"),
    }
}

/// `certificates`, `labels` or `filings`: items whose `scheme` is one of the
/// declared schemes of that kind.
fn evidence_list(v: &Vocabulary, kind: EvidenceKind) -> Value {
    let schemes: Vec<_> = v.evidence.values().filter(|e| e.kind == kind).collect();
    let scheme_help: Vec<String> = schemes
        .iter()
        .map(|e| {
            let level = match e.level {
                Some(LevelKind::Grade) => " (with grade)",
                Some(LevelKind::Tier) => " (with tier)",
                None => "",
            };
            format!("{}{level}: {}", e.id, e.meaning)
        })
        .collect();
    let ids: Vec<&str> = schemes.iter().map(|e| e.id.as_str()).collect();
    let text_or_null = json!({ "anyOf": [{ "$ref": "#/$defs/text" }, { "type": "null" }] });
    let date_or_null = json!({ "anyOf": [{ "$ref": "#/$defs/date" }, { "type": "null" }] });
    let level = |what: &str| json!({ "description": what, "type": ["integer", "null"], "minimum": 0, "maximum": u32::MAX });
    let mut list = json!({
        "description": format!("{}s the product holds.", kind.as_str()),
        "type": ["array", "null"],
        "items": {
            "type": "object",
            "required": ["scheme"],
            "additionalProperties": false,
            "properties": {
                "scheme": {
                    "description": format!("The {} scheme. {}", kind.as_str(), scheme_help.join("; ")),
                    "type": "string",
                    "enum": ids
                },
                "number": text_or_null.clone(),
                "reference": text_or_null,
                "valid_until": merge(&date_or_null, "Last day of validity; expired evidence does not count."),
                "date": merge(&date_or_null, "Date issued or filed."),
                "grade": level("Energy-efficiency grade (1 = best), for schemes with grade."),
                "tier": level("Tier (number of stars), for schemes with tier."),
                "standards": {
                    "description": "Standards the certificate or test is to, e.g. \"GB/T 4706.1-2024\".",
                    "type": ["array", "null"],
                    "items": { "type": "string" }
                },
                "note": { "type": ["string", "null"] }
            }
        }
    });
    // A kind without schemes takes no items (an empty `enum` matches nothing
    // but is discouraged by the specification).
    if ids.is_empty() {
        list["maxItems"] = 0.into();
        list["items"]["properties"]["scheme"]
            .as_object_mut()
            .map(|m| m.remove("enum"));
    }
    list
}

fn merge(schema: &Value, description: &str) -> Value {
    let mut s = schema.clone();
    s["description"] = description.into();
    s
}

/// Ids and aliases, each once, in declaration order.
fn category_names(v: &Vocabulary) -> Vec<&str> {
    let mut seen = std::collections::HashSet::new();
    v.category_names().filter(|n| seen.insert(*n)).collect()
}

/// Attribute name → ids of the rules whose conditions read it.
pub fn attribute_readers(rules: &RuleSet) -> BTreeMap<&str, Vec<&str>> {
    readers_of(rules.rules.iter())
}

fn readers_of<'r>(
    rules: impl IntoIterator<Item = &'r crate::model::Rule>,
) -> BTreeMap<&'r str, Vec<&'r str>> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in rules {
        let mut facts = Vec::new();
        for c in r.conditions() {
            reads::facts(c, &mut facts);
        }
        let own_dates = r
            .transitions_until_fact
            .iter()
            .map(|t| t.attribute.as_str());
        let attrs = facts
            .into_iter()
            .filter_map(|f| match f {
                Fact::Attribute(a) => Some(a.as_str()),
                _ => None,
            })
            .chain(own_dates);
        for a in attrs {
            {
                let ids = out.entry(a).or_default();
                if !ids.contains(&r.id.as_str()) {
                    ids.push(&r.id);
                }
            }
        }
    }
    out
}

fn name_some(ids: &[&str]) -> String {
    if ids.len() <= RULES_NAMED {
        ids.join(", ")
    } else {
        format!(
            "{} and {} more",
            ids[..RULES_NAMED].join(", "),
            ids.len() - RULES_NAMED
        )
    }
}

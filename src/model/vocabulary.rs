//! The words rules and profiles share: topics, the category tree, the facts a
//! profile may give (attributes) and the evidence schemes it may hold.

use std::collections::{BTreeMap, HashMap};

use crate::syntax::ast::{EvidenceKind, LevelKind};

use super::Location;

/// A category may lie at most this many levels under the root of the
/// category tree (the bundled tree is a few levels deep). Deeper is an error
/// of the rule files, so no command spends time or output on a long chain.
pub const MAX_CATEGORY_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Topic {
    pub id: String,
    pub name: String,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub parent: Option<usize>,
    pub aliases: Vec<String>,
    pub location: Location,
}

/// The type of a profile attribute, as declared in a rule file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum AttrType {
    Number { unit: Option<String> },
    YesNo,
    Date,
    List,
    Text,
    Choice(Vec<String>),
}

impl AttrType {
    /// How the type is named in messages and the JSON Schema.
    pub fn describe(&self) -> String {
        match self {
            AttrType::Number { unit: Some(u) } => format!("a number (in {u})"),
            AttrType::Number { unit: None } => "a number".into(),
            AttrType::YesNo => "yes or no".into(),
            AttrType::Date => "a date (YYYY-MM-DD)".into(),
            AttrType::List => "a list of texts".into(),
            AttrType::Text => "a text".into(),
            AttrType::Choice(c) => format!(
                "one of {}",
                c.iter()
                    .map(|s| format!("\"{s}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Attribute {
    pub name: String,
    pub value_type: AttrType,
    pub meaning: String,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EvidenceScheme {
    pub id: String,
    pub kind: EvidenceKind,
    pub level: Option<LevelKind>,
    pub meaning: String,
    pub location: Location,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Vocabulary {
    pub topics: BTreeMap<String, Topic>,
    pub categories: Vec<Category>,
    pub attributes: BTreeMap<String, Attribute>,
    pub evidence: BTreeMap<String, EvidenceScheme>,
    category_ids: HashMap<String, usize>,
    /// Lower-cased ids and aliases → category index.
    category_names: HashMap<String, usize>,
}

impl Vocabulary {
    pub(crate) fn add_category(&mut self, category: Category) -> usize {
        let index = self.categories.len();
        self.category_ids.insert(category.id.clone(), index);
        self.category_names
            .insert(category.id.to_lowercase(), index);
        for alias in &category.aliases {
            self.category_names
                .entry(normalise_name(alias))
                .or_insert(index);
        }
        self.categories.push(category);
        index
    }

    pub fn category_by_id(&self, id: &str) -> Option<usize> {
        self.category_ids.get(id).copied()
    }

    /// Finds a category by id or alias, ignoring case and surrounding space,
    /// the way an exporter would type it in a profile.
    pub fn resolve_category(&self, name: &str) -> Option<usize> {
        self.category_ids
            .get(name)
            .or_else(|| self.category_names.get(&normalise_name(name)))
            .copied()
    }

    /// The alias table's view of which category owns a name, if any.
    pub(crate) fn name_owner(&self, name: &str) -> Option<usize> {
        self.category_names.get(&normalise_name(name)).copied()
    }

    /// True if `category` is `ancestor` or lies under it.
    pub fn is_a(&self, category: usize, ancestor: usize) -> bool {
        let mut current = Some(category);
        // The builder rejects cycles, but a bound keeps this total anyway.
        for _ in 0..=self.categories.len() {
            match current {
                Some(c) if c == ancestor => return true,
                Some(c) => current = self.categories[c].parent,
                None => return false,
            }
        }
        false
    }

    /// The chain from the root down to `category`, e.g. product > electrical-product > drill.
    pub fn lineage(&self, category: usize) -> Vec<usize> {
        let mut chain = vec![category];
        let mut current = self.categories[category].parent;
        while let Some(c) = current {
            if chain.contains(&c) {
                break;
            }
            chain.push(c);
            current = self.categories[c].parent;
        }
        chain.reverse();
        chain
    }

    /// Every name (ids and aliases) a profile may use for a category.
    pub fn category_names(&self) -> impl Iterator<Item = &str> {
        self.categories.iter().flat_map(|c| {
            std::iter::once(c.id.as_str()).chain(c.aliases.iter().map(|a| a.as_str()))
        })
    }
}

fn normalise_name(name: &str) -> String {
    name.trim().to_lowercase()
}

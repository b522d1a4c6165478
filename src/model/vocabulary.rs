//! The words rules and profiles share: topics, the category tree, the facts a
//! profile may give (attributes) and the evidence schemes it may hold.

use std::collections::BTreeMap;

use foldhash::HashMap;

use crate::syntax::ast::{EvidenceKind, LevelKind};

use super::{Location, Text};

/// A category may lie at most this many levels under the root of the
/// category tree (the bundled tree is a few levels deep). Deeper is an error
/// of the rule files, so no command spends time or output on a long chain.
pub const MAX_CATEGORY_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Topic {
    pub id: Text,
    pub name: Text,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Category {
    pub id: Text,
    pub name: Text,
    pub parent: Option<usize>,
    pub aliases: Vec<Text>,
    pub location: Location,
    /// `ask which kind`: a profile naming this category rather than one of
    /// its children is asked which child it is where a rule names one.
    pub ask_kind: bool,
    /// Yes/no attributes every product in this category (and under it) has.
    pub implies: Vec<Text>,
    /// Of those, the ones that also place any product stating them in this
    /// category (`includes any product with …`).
    pub includes: Vec<Text>,
}

/// The type of a profile attribute, as declared in a rule file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub enum AttrType {
    Number {
        unit: Option<Text>,
    },
    YesNo,
    Date,
    List,
    /// A list whose items must be among these (`a list of [a, b]`).
    ListOf(Vec<Text>),
    Text,
    Choice(Vec<Text>),
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
            AttrType::ListOf(items) => format!(
                "a list of {}",
                items
                    .iter()
                    .map(|s| format!("\"{s}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
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
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Attribute {
    pub name: Text,
    pub value_type: AttrType,
    pub meaning: Text,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct EvidenceScheme {
    pub id: Text,
    pub kind: EvidenceKind,
    pub level: Option<LevelKind>,
    pub meaning: Text,
    pub location: Location,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Vocabulary {
    pub topics: BTreeMap<Text, Topic>,
    pub categories: Vec<Category>,
    pub attributes: BTreeMap<Text, Attribute>,
    pub evidence: BTreeMap<Text, EvidenceScheme>,
    category_ids: HashMap<Text, usize>,
    /// Normalised ids and aliases ([`normalise_name`]) → category index.
    category_names: HashMap<Text, usize>,
    /// Normalised display names (and display names without their
    /// parenthesised note) → category index. Looked up after ids and
    /// aliases, so a display name never takes a name another category owns.
    category_display: HashMap<Text, usize>,
    /// Row `c` of a bit matrix (`words` words a row): bit `a` is set when
    /// `c` is `a` or lies under it. Made once the tree is settled
    /// ([`Vocabulary::index_ancestors`]) so that `is_a`, asked for every
    /// `category is …` test of every product, is one bit test rather than
    /// a walk up the tree. Empty until then, and `is_a` walks.
    ancestors: Vec<u64>,
}

impl Vocabulary {
    pub(crate) fn add_category(&mut self, category: Category) -> usize {
        let index = self.categories.len();
        self.category_ids.insert(category.id.clone(), index);
        self.category_names
            .insert(normalise_name(&category.id).into(), index);
        for alias in &category.aliases {
            self.category_names
                .entry(normalise_name(alias).into())
                .or_insert(index);
        }
        for display in display_forms(&category.name) {
            self.category_display.entry(display.into()).or_insert(index);
        }
        self.categories.push(category);
        index
    }

    pub fn category_by_id(&self, id: &str) -> Option<usize> {
        self.category_ids.get(id).copied()
    }

    /// Finds a category by id, alias or display name, ignoring case, spaces,
    /// hyphens, punctuation and full-width forms, the way an exporter would
    /// type it in a profile ("Seat belt", "seat-belt", "ＬＥＤ bulb").
    pub fn resolve_category(&self, name: &str) -> Option<usize> {
        if let Some(&i) = self.category_ids.get(name) {
            return Some(i);
        }
        let key = normalise_name(name);
        self.category_names
            .get(key.as_str())
            .or_else(|| self.category_display.get(key.as_str()))
            .copied()
    }

    /// The alias table's view of which category owns a name, if any.
    pub(crate) fn name_owner(&self, name: &str) -> Option<usize> {
        self.category_names
            .get(normalise_name(name).as_str())
            .copied()
    }

    /// Builds the ancestor matrix `is_a` reads; called once the parents
    /// are final (a later change of the tree would need a new call).
    pub(crate) fn index_ancestors(&mut self) {
        let n = self.categories.len();
        let words = n.div_ceil(64);
        let mut bits = vec![0u64; n * words];
        for c in 0..n {
            for a in self.lineage(c) {
                bits[c * words + a / 64] |= 1 << (a % 64);
            }
        }
        self.ancestors = bits;
    }

    /// True if `category` is `ancestor` or lies under it.
    pub fn is_a(&self, category: usize, ancestor: usize) -> bool {
        let n = self.categories.len();
        let words = n.div_ceil(64);
        if self.ancestors.len() == n * words && category < n && ancestor < n {
            return self.ancestors[category * words + ancestor / 64] >> (ancestor % 64) & 1 == 1;
        }
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

    /// The yes/no attributes `category` implies, from the root down, each
    /// with the category that declares it.
    pub fn implied_facts(&self, category: usize) -> Vec<(usize, &str)> {
        self.lineage(category)
            .into_iter()
            .flat_map(|c| {
                self.categories[c]
                    .implies
                    .iter()
                    .map(move |a| (c, a.as_str()))
            })
            .collect()
    }

    /// The children of `category`, in declaration order.
    pub fn children(&self, category: usize) -> Vec<usize> {
        (0..self.categories.len())
            .filter(|&c| self.categories[c].parent == Some(category))
            .collect()
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

/// The form names are compared in: full-width letters and digits folded to
/// ASCII, lower case, and only letters and digits kept (any script), so
/// "Seat-belt", "seat belt" and "SEAT_BELT" are one name. A name with no
/// letter or digit at all keeps its trimmed, lower-cased form.
pub fn normalise_name(name: &str) -> String {
    let folded: String = name
        .chars()
        .map(fold_full_width)
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect();
    if folded.is_empty() {
        name.trim().to_lowercase()
    } else {
        folded
    }
}

/// Full-width ASCII forms (U+FF01–U+FF5E, as typed with a CJK input method)
/// and the ideographic space → their ASCII counterparts.
pub fn fold_full_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A display name as written, and without its parenthesised note
/// ("Household refrigerator and food freezer (CCC 0701)" is also found as
/// "household refrigerator and food freezer").
fn display_forms(name: &str) -> Vec<String> {
    let mut forms = vec![normalise_name(name)];
    if let Some(open) = name.find('(') {
        let short = normalise_name(&name[..open]);
        if !short.is_empty() && !forms.contains(&short) {
            forms.push(short);
        }
    }
    forms
}

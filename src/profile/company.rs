//! The company file: facts about the company behind the products (data
//! processing, CIIO status, listing plans, industrial-internet grading …),
//! stated once for a catalogue instead of in every product profile.
//!
//! ```yaml
//! name: Example GmbH          # optional; defaults to the file name
//! attributes:                 # company facts: the attributes only `binds company` rules read
//!   processes_data_in_china: no
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_yaml::Value;

use super::build::Builder;
use super::{AttrValue, Locator, ProfileError, MAX_PROFILE_BYTES};
use crate::model::Vocabulary;

/// The file name looked for next to a catalogue when `--company` is not
/// given; a file of this name is never read as a product profile.
pub const DEFAULT_FILE: &str = "company.yaml";

/// True for a path named like a company file (`company.yaml` / `company.yml`).
pub fn is_company_file(p: &Path) -> bool {
    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        n.eq_ignore_ascii_case("company.yaml") || n.eq_ignore_ascii_case("company.yml")
    })
}

/// The default company file for a run: `company.yaml` in the directory
/// named first on the command line, or else in the directory of the first
/// profile file named — if it exists.
pub fn default_path(args: &[PathBuf], first_file: Option<&Path>) -> Option<PathBuf> {
    let dir = match args.first() {
        Some(a) if a.is_dir() => a.clone(),
        _ => first_file?.parent()?.to_path_buf(),
    };
    let p = dir.join(DEFAULT_FILE);
    p.is_file().then_some(p)
}

#[derive(Debug, Clone)]
pub struct Company {
    /// The file, as given or found.
    pub origin: String,
    pub name: String,
    pub attributes: BTreeMap<String, AttrValue>,
    pub locator: Locator,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompany {
    name: Option<Value>,
    #[serde(default)]
    attributes: Option<Value>,
}

impl Company {
    /// Reads a company file; `company_attributes` are the attributes it may
    /// state (see [`crate::model::RuleSet::company_attributes`]).
    pub fn from_yaml(
        origin: &str,
        text: &str,
        vocab: &Vocabulary,
        company_attributes: &BTreeSet<String>,
    ) -> Result<Company, ProfileError> {
        if text.len() > MAX_PROFILE_BYTES {
            return Err(ProfileError::new(
                origin,
                None,
                format!(
                    "the company file is {} bytes; at most {MAX_PROFILE_BYTES}",
                    text.len()
                ),
                None,
            ));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawCompany = if text.trim().is_empty() {
            RawCompany {
                name: None,
                attributes: None,
            }
        } else {
            serde_yaml::from_str(text).map_err(|e| {
                let mut err = ProfileError::from_yaml(origin, text, &e);
                err.message = err.message.replace("RawCompany", "company file");
                if err.message.contains("unknown field") {
                    err.help = Some(format!(
                        "{}a company file has only `name:` and `attributes:`",
                        err.help.map(|h| format!("{h}; ")).unwrap_or_default()
                    ));
                }
                err
            })?
        };
        let locator = Locator::new(text);
        let b = Builder::new(origin, Some(text), &locator, vocab);
        let name = match &raw.name {
            Some(v) => b.keep(b.text("name", v)).unwrap_or_default(),
            None => origin.to_string(),
        };
        let attributes = b.attributes(raw.attributes.as_ref());
        for key in attributes.keys() {
            if !company_attributes.contains(key) {
                b.keep::<()>(Err(b.err(
                    &format!("attributes.{key}"),
                    format!("`{key}` is a product fact, not a company fact"),
                    Some("state it in each product profile; the company file holds only facts that company rules read (`cncomply schema` lists them)".into()),
                )));
            }
        }
        b.finish()?;
        Ok(Company {
            origin: origin.to_string(),
            name,
            attributes,
            locator,
        })
    }

    /// (line, column) of the key at `path`, or of its nearest ancestor.
    pub fn position(&self, path: &str) -> Option<(usize, usize)> {
        self.locator.nearest(path)
    }
}

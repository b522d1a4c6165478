//! The rule library and newsletters compiled into the binary.

mod generated {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

use crate::model::SourceFile;

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

/// The newsletter a rule cites, by file name (`001_….txt`).
pub fn seed(file_name: &str) -> Option<&'static str> {
    generated::SEEDS
        .iter()
        .find(|(name, _)| name.rsplit('/').next() == Some(file_name))
        .map(|(_, text)| *text)
}

pub fn seed_names() -> impl Iterator<Item = &'static str> {
    generated::SEEDS
        .iter()
        .map(|(n, _)| n.rsplit('/').next().unwrap_or(n))
}

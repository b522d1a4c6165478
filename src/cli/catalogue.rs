//! The product profiles a command is given (the catalogue): each file read
//! once, then checked against a rule set's vocabulary. A profile that cannot
//! be read or is invalid is reported on standard error and listed as an
//! error, so the others are still reported (exit code 2).

use std::path::PathBuf;

use crate::model::Vocabulary;
use crate::profile::Profile;
use crate::report::ProductError;

/// A profile file's text, or why it could not be read.
pub struct ProfileText {
    pub origin: String,
    pub text: Result<String, String>,
}

/// Reads every profile the arguments name: files, directories, globs and
/// `-`, expanded the way `check` expands them, so every command that takes
/// a catalogue takes the same one, with the same limit.
pub fn read(paths: &[PathBuf]) -> Result<Vec<ProfileText>, crate::catalogue::TooManyProfiles> {
    let (inputs, errors) = crate::catalogue::expand(paths)?;
    Ok(errors
        .into_iter()
        .map(|e| ProfileText {
            origin: e.origin,
            text: Err(e.message),
        })
        // The company file is not a product (see `check --company`).
        .chain(inputs.iter().filter(|i| !matches!(i, crate::catalogue::Input::File(p) if crate::profile::company::is_company_file(p))).map(|i| ProfileText {
            origin: i.origin(),
            text: crate::profile::read_text(&i.path()).map_err(|e| e.message),
        }))
        .collect())
}

/// The profiles that are valid under `vocab`, and an error for each other
/// one. `label` names the rule version in messages when a command reads two.
pub fn parse(
    texts: &[ProfileText],
    vocab: &Vocabulary,
    label: Option<&str>,
) -> (Vec<Profile>, Vec<ProductError>) {
    let mut profiles = Vec::new();
    let mut errors = Vec::new();
    let under = label.map(|l| format!(" (under {l})")).unwrap_or_default();
    for t in texts {
        match &t.text {
            Err(message) => {
                crate::errln!("error: {}: {message}", t.origin);
                errors.push(ProductError {
                    origin: t.origin.clone(),
                    message: message.clone(),
                    line: None,
                    column: None,
                });
            }
            Ok(text) => match Profile::from_yaml(&t.origin, text, vocab) {
                Ok(p) => profiles.push(p),
                Err(e) => {
                    errors.push(ProductError {
                        origin: t.origin.clone(),
                        message: format!("{}{under}", e.message),
                        line: e.line,
                        column: e.column,
                    });
                    if !under.is_empty() {
                        crate::errln!("error: {}{under}:", t.origin);
                    }
                    super::output::eprint_report(&miette::Report::new(e));
                }
            },
        }
    }
    (profiles, errors)
}

//! Reading one profile file for commands that take a single `--profile`
//! (`explain`, `init`'s round-trip check). `check` reads several and keeps
//! going past a bad one, so it has its own loop.

use std::path::Path;

use crate::model::Vocabulary;
use crate::profile::Profile;

/// Reads and checks a profile; `-` reads standard input.
pub fn load(path: &Path, vocab: &Vocabulary) -> miette::Result<Profile> {
    let origin = path.display().to_string();
    let text = crate::profile::read_text(path)
        .map_err(|e| e.message)
        .map_err(|m| miette::miette!("{origin}: {m}"))?;
    Profile::from_yaml(&origin, &text, vocab).map_err(miette::Report::new)
}

//! Reading one profile file for commands that take a single `--profile`
//! (`explain`, `init`'s round-trip check). `check` reads several and keeps
//! going past a bad one, so it has its own loop.

use std::io::Read;
use std::path::Path;

use crate::model::Vocabulary;
use crate::profile::{Profile, MAX_PROFILE_BYTES};

/// Reads and checks a profile; `-` reads standard input.
pub fn load(path: &Path, vocab: &Vocabulary) -> miette::Result<Profile> {
    let origin = path.display().to_string();
    let text = read(path).map_err(|m| miette::miette!("{origin}: {m}"))?;
    Profile::from_yaml(&origin, &text, vocab).map_err(miette::Report::new)
}

fn read(path: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_PROFILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
    } else {
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the profile: {e}"))?;
        if meta.is_dir() {
            return Err("is a directory; give a profile file".into());
        }
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_PROFILE_BYTES as u64 + 1).read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read the profile: {e}"))?;
    }
    // One byte over the limit is enough for the loader to refuse it with
    // its own message.
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the profile is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

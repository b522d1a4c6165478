//! Reading a profile document from a file or standard input, with the size
//! limit applied before the whole file is in memory.

use std::io::Read;
use std::path::Path;

use super::MAX_PROFILE_BYTES;

/// The text of the profile at `path`; `-` reads standard input. The error
/// is a sentence for the reader, to be prefixed with the path.
pub fn read_text(path: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    // One byte over the limit is enough for the loader to refuse the
    // document with its own message.
    let limit = MAX_PROFILE_BYTES as u64 + 1;
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
    } else {
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the profile: {e}"))?;
        if meta.is_dir() {
            return Err("is a directory; give profile files".into());
        }
        if meta.len() > MAX_PROFILE_BYTES as u64 {
            return Err(format!(
                "the profile is {} bytes; profiles may be at most {MAX_PROFILE_BYTES} bytes",
                meta.len()
            ));
        }
        std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read the profile: {e}"))?;
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the profile is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

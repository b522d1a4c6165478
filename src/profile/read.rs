//! Reading a profile document from a file or standard input, with the size
//! limit applied before the whole file is in memory.

use std::io::Read;
use std::path::Path;

use super::MAX_PROFILE_BYTES;

/// Why a profile's text could not be had: a sentence for the reader (to be
/// prefixed with the path) and, for bytes that are not UTF-8, their line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub message: String,
    pub line: Option<usize>,
}

impl From<String> for ReadError {
    fn from(message: String) -> Self {
        ReadError {
            message,
            line: None,
        }
    }
}

/// The text of the profile at `path`; `-` reads standard input.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
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
            return Err(ReadError::from(
                "is a directory; give profile files".to_string(),
            ));
        }
        if meta.len() > MAX_PROFILE_BYTES as u64 {
            return Err(ReadError::from(format!(
                "the profile is {} bytes; profiles may be at most {MAX_PROFILE_BYTES} bytes",
                meta.len()
            )));
        }
        std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read the profile: {e}"))?;
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        ReadError {
            message: format!("the profile is not UTF-8 text (invalid byte at offset {at})"),
            line: Some(e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1),
        }
    })
}

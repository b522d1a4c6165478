//! Reading a profile document from a file or standard input, with the size
//! limit applied before the whole file is in memory.

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

/// The text of the profile at `path`; `-` reads standard input. Read
/// through [`crate::input`]: a regular file only, at most the limit.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    read_text_of(path, "profile")
}

/// [`read_text`] for a file of profile size that is not a profile (a rule
/// test, `what`), so that its messages name it as what it is.
pub fn read_text_of(path: &Path, what: &str) -> Result<String, ReadError> {
    use crate::input::InputError;
    let limit = MAX_PROFILE_BYTES as u64;
    let bytes = if path.as_os_str() == "-" {
        crate::input::read_all_capped(std::io::stdin().lock(), limit)
    } else {
        crate::input::read_capped(path, limit)
    };
    let bytes = bytes.map_err(|e| match e {
        InputError::TooLarge { size, .. } => format!(
            "the {what} is {} bytes; {what}s may be at most {MAX_PROFILE_BYTES} bytes",
            size.map_or_else(
                || format!("more than {MAX_PROFILE_BYTES}"),
                |s| s.to_string()
            )
        ),
        InputError::Directory => "is a directory; give profile files".to_string(),
        InputError::NotRegular(_) => format!("the {what} {e}"),
        InputError::Io(e) if path.as_os_str() == "-" => format!("cannot read standard input: {e}"),
        InputError::Io(e) => format!("cannot read the {what}: {e}"),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        ReadError {
            message: format!("the {what} is not UTF-8 text (invalid byte at offset {at})"),
            line: Some(crate::position::line_count(&e.as_bytes()[..at])),
        }
    })
}

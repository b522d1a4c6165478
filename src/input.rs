//! Reading an input file (a profile, a waivers file, a rule file, `init`'s
//! answers, a rule test) in a repository that anyone opening a pull request
//! controls. Every input goes through [`read_capped`]:
//!
//! - only a regular file is read: a FIFO would block for ever, a device
//!   (`/dev/zero`) never ends. The file is opened without blocking and its
//!   type is taken from the open handle, so a name swapped for a FIFO between
//!   a check and the open cannot hang the run;
//! - at most `limit + 1` bytes are read from the handle, whatever the
//!   metadata says (`/proc` files report a length of 0), so a file past the
//!   limit costs the limit in memory, never more.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Why an input could not be had. Its `Display` is a sentence to be
/// prefixed with the path (and, by the caller, with what the file is).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{0}")]
    Io(std::io::Error),
    #[error("is {0}, not a regular file; only regular files are read")]
    NotRegular(&'static str),
    #[error("is a directory")]
    Directory,
    /// `size` is the length the file system reports when it is past the
    /// limit, else `None` (the file grew, or reports no length).
    #[error("is {} bytes; at most {limit} bytes are read", size.map_or_else(|| format!("more than {limit}"), |s| s.to_string()))]
    TooLarge { size: Option<u64>, limit: u64 },
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let (file, reported) = open_regular(path)?;
    if reported > limit {
        return Err(InputError::TooLarge {
            size: Some(reported),
            limit,
        });
    }
    // Room for what the file says it holds, and the byte that would show
    // it holds more: read in one call, not grown from a small probe.
    read_into(file, limit, Vec::with_capacity(reported as usize + 1))
}

/// At most `limit` bytes from `reader`; one more is an error.
pub fn read_all_capped(reader: impl Read, limit: u64) -> Result<Vec<u8>, InputError> {
    read_into(reader, limit, Vec::new())
}

fn read_into(reader: impl Read, limit: u64, mut bytes: Vec<u8>) -> Result<Vec<u8>, InputError> {
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(InputError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge { size: None, limit });
    }
    Ok(bytes)
}

/// Opens `path` for reading if it is a regular file. O_NONBLOCK makes the
/// open of a FIFO return at once (instead of waiting for a writer); the
/// type is then read from the handle itself. Gives the file and the length
/// it reports.
fn open_regular(path: &Path) -> Result<(File, u64), InputError> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(InputError::Io)?;
    let meta = file.metadata().map_err(InputError::Io)?;
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok((file, meta.len()));
    }
    Err(if kind.is_dir() {
        InputError::Directory
    } else if kind.is_fifo() {
        InputError::NotRegular("a FIFO (named pipe)")
    } else if kind.is_char_device() {
        InputError::NotRegular("a character device")
    } else if kind.is_block_device() {
        InputError::NotRegular("a block device")
    } else if kind.is_socket() {
        InputError::NotRegular("a socket")
    } else {
        InputError::NotRegular("not a file")
    })
}

/// What a directory entry is, for walks that must refuse anything but
/// regular files and directories: `Ok(true)` for a directory, `Ok(false)`
/// for a regular file, else a sentence saying what it is.
pub fn entry_kind(meta: &std::fs::Metadata) -> Result<bool, &'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        Ok(true)
    } else if t.is_file() {
        Ok(false)
    } else if t.is_fifo() {
        Err("a FIFO (named pipe)")
    } else if t.is_char_device() {
        Err("a character device")
    } else if t.is_block_device() {
        Err("a block device")
    } else if t.is_socket() {
        Err("a socket")
    } else {
        Err("not a file")
    }
}

/// Why `path` is not read: it is a symbolic link that leads outside
/// `root`. A repository can replace its waivers file or baseline with a
/// link to `~/.docker/config.json`, and the error about its shape would
/// quote the token into the CI log; so a link is followed only while it
/// stays inside the root, as in a catalogue walk.
pub fn link_leaving(path: &Path, root: &Path) -> Option<String> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return None;
    }
    let root_real = std::fs::canonicalize(root).ok()?;
    match std::fs::canonicalize(path) {
        Ok(target) if target.starts_with(&root_real) => None,
        // A dangling link is reported by the read that follows.
        Err(_) => None,
        Ok(_) => Some(format!(
            "is a symbolic link that leads outside {}; links that leave it are refused",
            display_path(root)
        )),
    }
}

/// A path as shown in messages and reports. A name that is not UTF-8 shows
/// each byte that is not as `\xNN`, so two such names never look alike (the
/// lossy form turns every one into U+FFFD).
pub fn display_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// Why a file name cannot be used as the name of an input, if it cannot:
/// names are shown in CI logs and reports and compared between runs, so they
/// must be UTF-8 text without control characters.
pub fn unusable_name(path: &Path) -> Option<&'static str> {
    match path.to_str() {
        None => Some("the file name is not UTF-8; rename the file"),
        Some(s) if s.chars().any(char::is_control) => {
            Some("the file name holds control characters; rename the file")
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_past_the_limit_is_refused_after_limit_plus_one_bytes() {
        let r = read_all_capped(std::io::repeat(0).take(10_000), 100);
        assert!(matches!(
            r,
            Err(InputError::TooLarge {
                size: None,
                limit: 100
            })
        ));
        assert_eq!(read_all_capped(&b"abc"[..], 3).unwrap(), b"abc");
    }

    #[test]
    fn devices_are_not_read() {
        let e = read_capped(Path::new("/dev/zero"), 10).unwrap_err();
        assert_eq!(
            e.to_string(),
            "is a character device, not a regular file; only regular files are read"
        );
    }

    #[test]
    fn names_that_are_not_utf8_stay_distinct() {
        use std::os::unix::ffi::OsStrExt;
        let a = Path::new(std::ffi::OsStr::from_bytes(b"a\xfe.yaml"));
        let b = Path::new(std::ffi::OsStr::from_bytes(b"a\xff.yaml"));
        assert_eq!(display_path(a), "a\\xfe.yaml");
        assert_ne!(display_path(a), display_path(b));
        assert!(unusable_name(a).is_some());
        assert!(unusable_name(Path::new("a\u{1b}.yaml")).is_some());
        assert!(unusable_name(Path::new("a.yaml")).is_none());
    }
}

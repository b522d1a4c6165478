//! Where rules come from: the bundled library or a directory of `.rules`
//! files (`--rules DIR`).

use std::path::{Path, PathBuf};

use crate::bundled;
use crate::model::{LoadError, RuleSet, SourceFile};

/// Rule files larger than this are refused: the whole bundled library is a
/// few hundred kilobytes.
pub const MAX_RULE_FILE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LibraryError {
    #[error("cannot read rules from {}: {source}", path.display())]
    #[diagnostic(
        code(cncomply::rules::io),
        help("--rules takes a directory of .rules files (or one .rules file)")
    )]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no .rules files in {}", path.display())]
    #[diagnostic(
        code(cncomply::rules::empty),
        help("--rules takes a directory holding files named *.rules")
    )]
    Empty { path: PathBuf },
    #[error("{} is {size} bytes; a rule file may be at most {MAX_RULE_FILE_BYTES} bytes", path.display())]
    #[diagnostic(code(cncomply::rules::too_large))]
    TooLarge { path: PathBuf, size: String },
    #[error("{path}: {why}")]
    #[diagnostic(
        code(cncomply::rules::unusable),
        help("every file named *.rules is read; remove or fix this one")
    )]
    Unusable { path: String, why: String },
    #[error("{} is not UTF-8 text", path.display())]
    #[diagnostic(code(cncomply::rules::encoding), help("save the rule file as UTF-8"))]
    NotUtf8 { path: PathBuf },
    #[error("{from} declares no rules")]
    #[diagnostic(
        code(cncomply::rules::no_rules),
        help("a rule library needs at least one `rule … end`; checking against none would pass every product")
    )]
    NoRules { from: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(#[from] LoadError),
}

/// Reads the `.rules` files of a directory (sorted, so load order and
/// therefore messages are stable), or a single file. Every entry named
/// `*.rules` must be read: one that cannot be (a dangling link, a FIFO, a
/// device, a link that leaves the directory, a name that is not UTF-8) is
/// an error, never skipped, since skipping it would check against fewer
/// rules than the team wrote.
pub fn read_rule_files(path: &Path) -> Result<Vec<SourceFile>, LibraryError> {
    let io = |source| LibraryError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    let mut paths = if meta.is_dir() {
        let root = std::fs::canonicalize(path).map_err(io)?;
        let mut v = Vec::new();
        for entry in std::fs::read_dir(path).map_err(io)? {
            let p = entry.map_err(io)?.path();
            if p.extension().is_none_or(|e| e != "rules") {
                continue;
            }
            refuse_link_out(&p, &root, path)?;
            v.push(p);
        }
        v
    } else {
        vec![path.to_path_buf()]
    };
    paths.sort();
    if paths.is_empty() {
        return Err(LibraryError::Empty {
            path: path.to_path_buf(),
        });
    }
    paths.into_iter().map(|p| read_rule_file(&p)).collect()
}

/// One rule file, through the capped reader.
fn read_rule_file(p: &Path) -> Result<SourceFile, LibraryError> {
    use crate::input::InputError;
    if let Some(why) = crate::input::unusable_name(p) {
        return Err(LibraryError::Unusable {
            path: crate::input::display_path(p),
            why: why.to_string(),
        });
    }
    let bytes = crate::input::read_capped(p, MAX_RULE_FILE_BYTES).map_err(|e| match e {
        InputError::Io(source) => LibraryError::Io {
            path: p.to_path_buf(),
            source,
        },
        InputError::TooLarge { size, .. } => LibraryError::TooLarge {
            path: p.to_path_buf(),
            size: size.map_or_else(
                || format!("more than {MAX_RULE_FILE_BYTES}"),
                |s| s.to_string(),
            ),
        },
        other => LibraryError::Unusable {
            path: crate::input::display_path(p),
            why: other.to_string(),
        },
    })?;
    let text = String::from_utf8(bytes).map_err(|_| LibraryError::NotUtf8 {
        path: p.to_path_buf(),
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(SourceFile {
        name: p.display().to_string(),
        text,
    })
}

/// A rule file that is a symbolic link must stay inside the directory it
/// is read from: a repository must not make the gate read (and quote in
/// its messages) files it does not hold.
fn refuse_link_out(p: &Path, root: &Path, shown: &Path) -> Result<(), LibraryError> {
    let is_link = std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    match std::fs::canonicalize(p) {
        Ok(target) if is_link && !target.starts_with(root) => Err(LibraryError::Unusable {
            path: crate::input::display_path(p),
            why: format!(
                "is a symbolic link that leads outside {}; links that leave the rules directory are refused",
                shown.display()
            ),
        }),
        _ => Ok(()),
    }
}

/// The `.rules` files under `paths` (files or directories), or under
/// `rules/` when none are given: what `lint` and `fmt` work on.
pub fn read_rule_paths(paths: &[PathBuf]) -> Result<Vec<SourceFile>, LibraryError> {
    let default = [PathBuf::from("rules")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    for p in paths {
        files.extend(read_rule_files(p)?);
    }
    Ok(files)
}

/// Loads the rules from `paths` (directories or files, combined), or the
/// bundled library when there are none. Returns the rule set and a
/// description of where it came from.
pub fn load(paths: &[PathBuf]) -> Result<(RuleSet, String), LibraryError> {
    if paths.is_empty() {
        return Ok((bundled::rule_set()?, "bundled".to_string()));
    }
    let mut files = Vec::new();
    for p in paths {
        files.extend(read_rule_files(p)?);
    }
    let source = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let rules = RuleSet::load(&files)?;
    if rules.rules.is_empty() {
        return Err(LibraryError::NoRules { from: source });
    }
    Ok((rules, source))
}

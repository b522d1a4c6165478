//! `cncomply.toml`: the settings a team would otherwise repeat in CI,
//! pre-commit and local runs. Found by walking up from the working
//! directory (as ruff finds `ruff.toml`), stopping at the repository root
//! (a directory holding `.git`) so a file outside the project never applies.
//! Flags win over `CNCOMPLY_*` environment variables, which win over the
//! file (`cli::config` does the merging). Paths in the file are relative to
//! the file's directory.
//!
//! ```toml
//! [check]
//! rules = ["rules/"]
//! waivers = "compliance/waivers.yaml"
//! fail-on = ["upcoming"]
//! horizon = "90d"
//! format = "github"
//! output = ["sarif:reports/cncomply.sarif"]
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub const FILE_NAME: &str = "cncomply.toml";

/// A configuration file holds a few settings; more is not one.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    check: CheckTable,
}

/// The `[check]` table, values as written (checked by the same parsers as
/// the flags when they are applied).
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckTable {
    pub rules: Option<Vec<String>>,
    pub format: Option<String>,
    pub output: Option<Vec<String>>,
    pub waivers: Option<String>,
    pub fail_on: Option<Vec<String>>,
    pub horizon: Option<String>,
    pub exit_zero: Option<bool>,
    pub json_schema_version: Option<u32>,
    pub min_level: Option<String>,
    pub baseline: Option<String>,
    pub quiet: Option<bool>,
}

/// A configuration file as read.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    text: String,
    pub check: CheckTable,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{origin}:{line}:{column}: {message}")]
#[diagnostic(
    code(cncomply::config),
    help("see README \"Configuration\" for the keys of cncomply.toml")
)]
pub struct ConfigError {
    pub origin: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The nearest `cncomply.toml` at or above `start`, up to the repository
/// root.
pub fn find(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        // Whatever it is: a FIFO, a device or a dangling link named so is
        // an error when read, not a file silently passed over.
        if candidate.symlink_metadata().is_ok() {
            return Some(candidate);
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let origin = path.display().to_string();
        let unreadable = |message: String| ConfigError {
            origin: origin.clone(),
            line: 1,
            column: 1,
            message,
        };
        // The file is found in the repository being checked: read it as
        // every other input is, a regular file of bounded size, and not
        // through a link that leads out of the directory holding it.
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if let Some(why) = crate::input::link_leaving(path, dir) {
            return Err(unreadable(format!("the file {why}")));
        }
        let bytes = crate::input::read_capped(path, MAX_CONFIG_BYTES).map_err(|e| match e {
            crate::input::InputError::Io(e) => unreadable(format!("cannot read it: {e}")),
            other => unreadable(format!("the file {other}")),
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| unreadable("the file is not UTF-8 text".to_string()))?;
        let doc: Document = toml::from_str(&text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| crate::position::line_col(&text, s.start))
                .unwrap_or((1, 1));
            ConfigError {
                origin: origin.clone(),
                line,
                column,
                message: e.message().trim_end().to_string(),
            }
        })?;
        Ok(Config {
            path: path.to_path_buf(),
            text,
            check: doc.check,
        })
    }

    /// The 1-based line where `key` is set in the file.
    pub fn line_of(&self, key: &str) -> usize {
        self.text
            .lines()
            .position(|l| {
                let l = l.trim_start();
                l.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map_or(1, |i| i + 1)
    }

    /// An error about `key`'s value, at its line.
    pub fn error(&self, key: &str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            origin: self.path.display().to_string(),
            line: self.line_of(key),
            column: 1,
            message: message.into(),
        }
    }

    /// A path written in the file, taken relative to the file's directory.
    pub fn path_of(&self, written: &str) -> PathBuf {
        let p = Path::new(written);
        if p.is_absolute() {
            return p.to_path_buf();
        }
        match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.join(p),
            _ => p.to_path_buf(),
        }
    }
}

//! A product catalogue as given on the command line: profile files,
//! directories (searched recursively for `*.yaml` / `*.yml` / `*.json`), glob patterns
//! and `-` for standard input, expanded into the list of profiles to check.
//!
//! A path that cannot be expanded (a glob that matches nothing, a directory
//! without profiles, a symbolic-link loop) becomes an error for that path
//! only, so one bad entry never hides the rest of the catalogue.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One profile to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// The path to read: `-` for standard input.
    pub fn path(&self) -> PathBuf {
        match self {
            Input::Stdin => PathBuf::from("-"),
            Input::File(p) => p.clone(),
        }
    }

    /// How the profile is named in reports.
    pub fn origin(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// A command-line entry that yielded no profile, or part of a directory
/// that could not be searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub origin: String,
    pub message: String,
}

/// Directory trees deeper than this are refused: a catalogue is a few levels
/// of folders, and the bound keeps a hostile tree from exhausting the stack.
const MAX_DEPTH: usize = 64;

/// At most this many profiles are checked in one run. Every product's
/// findings are kept for the report (about 150 KB each with the bundled
/// library), so the bound keeps a run within a few gigabytes; split larger
/// catalogues into several runs.
pub const MAX_PROFILES: usize = 50_000;

/// Expands the command-line entries, in the order given; directory contents
/// and glob matches are sorted. A file reached twice is checked once. The
/// walk stops after [`MAX_PROFILES`] + 1 profiles, so a caller can tell that
/// there are too many without walking a huge tree to its end.
pub fn expand(args: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut x = Expander::default();
    for arg in args {
        x.arg(arg);
    }
    (x.inputs, x.errors)
}

#[derive(Default)]
struct Expander {
    inputs: Vec<Input>,
    errors: Vec<InputError>,
    seen: HashSet<PathBuf>,
}

impl Expander {
    fn arg(&mut self, arg: &Path) {
        if arg.as_os_str() == "-" {
            self.inputs.push(Input::Stdin);
            return;
        }
        let text = arg.to_string_lossy();
        // A name that exists is taken literally even if it holds `[` or `*`.
        let is_glob = text.contains(['*', '?', '[']) && std::fs::symlink_metadata(arg).is_err();
        if is_glob {
            self.glob(&text);
        } else if arg.is_dir() {
            self.dir_root(arg);
        } else {
            // Files are taken whatever their extension; reading reports a
            // missing or unreadable one.
            self.file(arg.to_path_buf());
        }
    }

    fn error(&mut self, origin: &Path, message: impl Into<String>) {
        self.errors.push(InputError {
            origin: origin.display().to_string(),
            message: message.into(),
        });
    }

    fn full(&self) -> bool {
        self.inputs.len() > MAX_PROFILES
    }

    fn file(&mut self, p: PathBuf) {
        if self.full() {
            return;
        }
        let key = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if self.seen.insert(key) {
            self.inputs.push(Input::File(p));
        }
    }

    fn glob(&mut self, pattern: &str) {
        let paths = match glob::glob(pattern) {
            Ok(paths) => paths,
            Err(e) => {
                self.error(Path::new(pattern), format!("not a valid glob pattern: {e}"));
                return;
            }
        };
        let mut matched: Vec<PathBuf> = Vec::new();
        for entry in paths {
            match entry {
                Ok(p) => matched.push(p),
                Err(e) => {
                    let p = e.path().to_path_buf();
                    self.error(&p, format!("cannot read: {}", e.error()));
                }
            }
        }
        if matched.is_empty() {
            self.error(Path::new(pattern), "no file matches this pattern");
            return;
        }
        matched.sort();
        for p in matched {
            if p.is_dir() {
                self.dir_root(&p);
            } else {
                self.file(p);
            }
        }
    }

    fn dir_root(&mut self, dir: &Path) {
        let before = self.inputs.len();
        let errors_before = self.errors.len();
        let mut ancestors = Vec::new();
        self.dir(dir, &mut ancestors);
        if self.inputs.len() == before && self.errors.len() == errors_before {
            self.error(dir, "no *.yaml, *.yml or *.json profiles in this directory");
        }
    }

    /// Walks `dir`, following symbolic links to directories but refusing a
    /// link that leads back to a directory being walked (a loop).
    fn dir(&mut self, dir: &Path, ancestors: &mut Vec<PathBuf>) {
        let real = match std::fs::canonicalize(dir) {
            Ok(r) => r,
            Err(e) => return self.error(dir, format!("cannot read the directory: {e}")),
        };
        if let Some(a) = ancestors.iter().find(|a| **a == real) {
            let msg = format!(
                "symbolic link loop: leads back to {}, which is being searched",
                a.display()
            );
            return self.error(dir, msg);
        }
        if ancestors.len() >= MAX_DEPTH {
            return self.error(dir, format!("directories nest more than {MAX_DEPTH} deep"));
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => return self.error(dir, format!("cannot read the directory: {e}")),
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => paths.push(e.path()),
                Err(e) => self.error(dir, format!("cannot read the directory: {e}")),
            }
        }
        paths.sort();
        ancestors.push(real);
        for p in paths {
            if self.full() {
                break;
            }
            // Hidden entries (.git, editor swap files) are not products.
            if p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => self.dir(&p, ancestors),
                // The company file next to the products is not one of them.
                Ok(_) if crate::profile::company::is_company_file(&p) => {}
                Ok(_) if is_profile_name(&p) => self.file(p),
                Ok(_) => {}
                // A dangling link or a link to itself, named like a profile.
                Err(e) if is_profile_name(&p) => self.error(&p, format!("cannot read: {e}")),
                // A link that resolves to itself (ELOOP; its ErrorKind is not
                // stable yet, hence the message) is a loop; other dangling
                // links that are not named like profiles are none of ours.
                Err(e) if e.to_string().contains("symbolic links") => {
                    self.error(&p, format!("symbolic link loop: {e}"))
                }
                Err(_) => {}
            }
        }
        ancestors.pop();
    }
}

fn is_profile_name(p: &Path) -> bool {
    p.extension().is_some_and(|e| {
        // JSON is YAML too: the same loader reads it, with the same checks.
        ["yaml", "yml", "json"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

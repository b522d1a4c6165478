//! A product catalogue as given on the command line: profile files,
//! directories (searched recursively for `*.yaml` / `*.yml` / `*.json`), glob patterns
//! and `-` for standard input, expanded into the list of profiles to check.
//!
//! A path that cannot be expanded (a glob that matches nothing, a directory
//! without profiles, a symbolic-link loop, a FIFO named like a profile, a
//! link that leaves the catalogue, a file name that is not UTF-8) becomes an
//! error for that path only, so one bad entry never hides the rest of the
//! catalogue.
//!
//! Directories and glob patterns are walked by one walker: it follows
//! symbolic links to directories but reports a link that leads back to a
//! directory being walked (a loop), and refuses a link that leads outside
//! the directory it was given (the glob's literal part for a pattern, the
//! working directory for a file named on the command line): a repository
//! must not make the gate read, and print, files it does not hold.

use std::collections::HashSet;
use std::io::ErrorKind;
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
            Input::File(p) => crate::input::display_path(p),
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

/// At most this many profiles are checked in one run. Reports are streamed:
/// a product's findings are gone once its piece is written, and what a
/// report writes at its end (summary rows, JUnit suites) moves to a
/// temporary file past a few MiB. A run still keeps every profile's path
/// and the names the company section lists, and takes time in proportion:
/// the bound keeps a run within what a CI job allows (the summary table and
/// JUnit of 50,000 profiles peaked under 80 MiB); split larger catalogues
/// into several runs.
pub const MAX_PROFILES: usize = 50_000;

/// More profiles than one run checks ([`MAX_PROFILES`]): every command
/// that takes a catalogue refuses it, before reading any profile.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{given}: more than {MAX_PROFILES} profiles; check at most {MAX_PROFILES} in one run")]
#[diagnostic(
    code(cncomply::catalogue::too_many),
    help("split the catalogue into several runs")
)]
pub struct TooManyProfiles {
    pub given: String,
}

/// Expands the command-line entries, in the order given; directory contents
/// and glob matches are sorted. A file reached twice is checked once. The
/// walk stops after [`MAX_PROFILES`] + 1 profiles, and more than
/// [`MAX_PROFILES`] is an error, so no command ever checks part of a
/// catalogue without saying so.
pub fn expand(args: &[PathBuf]) -> Result<(Vec<Input>, Vec<InputError>), TooManyProfiles> {
    let mut x = Expander::default();
    for arg in args {
        x.arg(arg);
    }
    if x.full() {
        let given: Vec<String> = args.iter().map(|p| crate::input::display_path(p)).collect();
        return Err(TooManyProfiles {
            given: given.join(", "),
        });
    }
    Ok((x.inputs, x.errors))
}

#[derive(Default)]
struct Expander {
    inputs: Vec<Input>,
    errors: Vec<InputError>,
    seen: HashSet<PathBuf>,
}

/// Where a walk started: links must not lead out of it.
struct Root<'a> {
    shown: &'a Path,
    real: PathBuf,
}

impl Root<'_> {
    fn new(shown: &Path) -> Option<Root<'_>> {
        let real = std::fs::canonicalize(shown).ok()?;
        Some(Root { shown, real })
    }
}

/// The pattern match options: `*` and `?` stay inside one path component,
/// and hidden entries (`.git`) are matched only by a pattern that names the
/// dot, as a directory walk skips them.
const MATCH: glob::MatchOptions = glob::MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: true,
};

impl Expander {
    fn arg(&mut self, arg: &Path) {
        if arg.as_os_str() == "-" {
            self.inputs.push(Input::Stdin);
            return;
        }
        if let Some(why) = crate::input::unusable_name(arg) {
            return self.error(arg, why);
        }
        let text = arg.to_string_lossy();
        // A name that exists is taken literally even if it holds `[` or `*`.
        let is_glob = text.contains(['*', '?', '[']) && std::fs::symlink_metadata(arg).is_err();
        if is_glob {
            self.glob(&text);
        } else if arg.is_dir() {
            match Root::new(arg) {
                Some(root) => self.dir_root(arg, &root),
                None => self.error(arg, "cannot read the directory"),
            }
        } else {
            // Files are taken whatever their extension; reading reports a
            // missing or unreadable one.
            let cwd = std::env::current_dir().unwrap_or_default();
            if let Some(root) = Root::new(&cwd) {
                if self.leaves(arg, &root) {
                    return;
                }
            }
            self.file(arg.to_path_buf(), None);
        }
    }

    fn error(&mut self, origin: &Path, message: impl Into<String>) {
        self.errors.push(InputError {
            origin: crate::input::display_path(origin),
            message: message.into(),
        });
    }

    fn full(&self) -> bool {
        self.inputs.len() > MAX_PROFILES
    }

    /// Takes the file at `p`; `real` is its real path when the walk knows
    /// it already (a plain file in a directory whose real path it has).
    fn file(&mut self, p: PathBuf, real: Option<PathBuf>) {
        if self.full() {
            return;
        }
        let key = real.unwrap_or_else(|| std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone()));
        if self.seen.insert(key) {
            self.inputs.push(Input::File(p));
        }
    }

    /// Whether `p` is a symbolic link that leads outside `root`; if so it
    /// is reported.
    fn leaves(&mut self, p: &Path, root: &Root) -> bool {
        let is_link = std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return false;
        }
        match std::fs::canonicalize(p) {
            Ok(target) if !target.starts_with(&root.real) => {
                let msg = format!(
                    "is a symbolic link that leads outside {}; links that leave the catalogue are refused",
                    crate::input::display_path(root.shown)
                );
                self.error(p, msg);
                true
            }
            _ => false,
        }
    }

    /// A glob pattern, walked from its literal part (`catalogue/` in
    /// `catalogue/**/*.yaml`) by the same walker as a directory.
    fn glob(&mut self, pattern: &str) {
        let compiled = match glob::Pattern::new(pattern) {
            Ok(p) => p,
            Err(e) => {
                self.error(Path::new(pattern), format!("not a valid glob pattern: {e}"));
                return;
            }
        };
        let mut base = PathBuf::new();
        let mut wild = Vec::new();
        for part in Path::new(pattern).components() {
            let s = part.as_os_str().to_string_lossy();
            if wild.is_empty() && !s.contains(['*', '?', '[']) {
                base.push(part);
            } else {
                wild.push(s.into_owned());
            }
        }
        // `**` may match any depth; otherwise each wild component is one level.
        let levels = if wild.iter().any(|w| w == "**") {
            usize::MAX
        } else {
            wild.len()
        };
        let before = (self.inputs.len(), self.errors.len());
        let walk_from = if base.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            base.clone()
        };
        if let Some(root) = Root::new(&walk_from) {
            let mut ancestors = Vec::new();
            let g = Glob {
                pattern: &compiled,
                levels,
                relative: base.as_os_str().is_empty(),
            };
            self.glob_dir(&walk_from, &root, &g, 1, &mut ancestors);
        }
        if (self.inputs.len(), self.errors.len()) == before {
            self.error(Path::new(pattern), "no file matches this pattern");
        }
    }

    fn glob_dir(
        &mut self,
        dir: &Path,
        root: &Root,
        g: &Glob,
        level: usize,
        ancestors: &mut Vec<PathBuf>,
    ) {
        let Some(paths) = self.enter(dir, ancestors) else {
            return;
        };
        for Found { path: p, plain } in paths {
            if self.full() {
                break;
            }
            let shown = if g.relative {
                p.strip_prefix(".").unwrap_or(&p).to_path_buf()
            } else {
                p.clone()
            };
            let matches = g.pattern.matches_path_with(&shown, MATCH);
            match self.entry(&shown, root, matches, plain) {
                Some(Entry::Dir) if matches => self.dir_root(&shown, root),
                Some(Entry::Dir) if level < g.levels => {
                    self.glob_dir(&shown, root, g, level + 1, ancestors)
                }
                Some(Entry::File) if matches => {
                    let real = plain.and_then(|_| Some(ancestors.last()?.join(shown.file_name()?)));
                    self.file(shown, real)
                }
                Some(Entry::Refused(why)) if matches => self.error(&shown, why),
                _ => {}
            }
        }
        ancestors.pop();
    }

    fn dir_root(&mut self, dir: &Path, root: &Root) {
        let before = self.inputs.len();
        let errors_before = self.errors.len();
        let mut ancestors = Vec::new();
        self.dir(dir, root, &mut ancestors);
        if self.inputs.len() == before && self.errors.len() == errors_before {
            self.error(dir, "no *.yaml, *.yml or *.json profiles in this directory");
        }
    }

    /// Starts walking `dir`: refuses a loop (a link back to a directory
    /// being walked) and a tree deeper than [`MAX_DEPTH`]; otherwise pushes
    /// it on `ancestors` and returns its entries, sorted, without hidden
    /// ones (.git, editor swap files are not products). The caller pops.
    fn enter(&mut self, dir: &Path, ancestors: &mut Vec<PathBuf>) -> Option<Vec<Found>> {
        let real = match std::fs::canonicalize(dir) {
            Ok(r) => r,
            Err(e) => {
                self.error(dir, format!("cannot read the directory: {e}"));
                return None;
            }
        };
        if let Some(a) = ancestors.iter().find(|a| **a == real) {
            let msg = format!(
                "symbolic link loop: leads back to {}, which is being searched",
                crate::input::display_path(a)
            );
            self.error(dir, msg);
            return None;
        }
        if ancestors.len() >= MAX_DEPTH {
            self.error(dir, format!("directories nest more than {MAX_DEPTH} deep"));
            return None;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                self.error(dir, format!("cannot read the directory: {e}"));
                return None;
            }
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => paths.push(Found {
                    plain: e.file_type().ok().and_then(|t| {
                        if t.is_file() {
                            Some(Plain::File)
                        } else if t.is_dir() {
                            Some(Plain::Dir)
                        } else {
                            None
                        }
                    }),
                    path: e.path(),
                }),
                Err(e) => self.error(dir, format!("cannot read the directory: {e}")),
            }
        }
        paths.retain(|f| {
            !f.path
                .file_name()
                .is_some_and(|n| n.as_encoded_bytes().starts_with(b"."))
        });
        paths.sort_by(|a, b| a.path.cmp(&b.path));
        ancestors.push(real);
        Some(paths)
    }

    /// What a walk found at `p`, or `None` for what is none of ours (and
    /// already reported, for a name that cannot be used). `named`: the walk
    /// wants it if it is a file (named like a profile, or matched).
    fn entry(&mut self, p: &Path, root: &Root, named: bool, plain: Option<Plain>) -> Option<Entry> {
        // A plain file or directory (no link) needs no more system calls:
        // the walk makes thousands of them on one thread before any
        // profile is read.
        if let Some(kind) = plain {
            if kind == Plain::File && !named {
                return None;
            }
            if let Some(why) = crate::input::unusable_name(p) {
                self.error(p, why);
                return None;
            }
            return Some(match kind {
                Plain::File => Entry::File,
                Plain::Dir => Entry::Dir,
            });
        }
        let meta = std::fs::metadata(p);
        let relevant = named || meta.as_ref().is_ok_and(|m| m.is_dir());
        if !relevant {
            // A link that resolves to itself (ELOOP; its ErrorKind is not
            // stable yet, hence the message) is a loop; other dangling
            // links that are not named like profiles are none of ours.
            if let Err(e) = &meta {
                if e.to_string().contains("symbolic links") {
                    self.error(p, format!("symbolic link loop: {e}"));
                }
            }
            return None;
        }
        if let Some(why) = crate::input::unusable_name(p) {
            self.error(p, why);
            return None;
        }
        if self.leaves(p, root) {
            return None;
        }
        Some(match meta {
            Ok(m) => match crate::input::entry_kind(&m) {
                Ok(true) => Entry::Dir,
                Ok(false) => Entry::File,
                Err(what) => Entry::Refused(format!(
                    "is {what}, not a regular file; only regular files are profiles"
                )),
            },
            Err(e) if e.kind() == ErrorKind::NotFound => {
                Entry::Refused(format!("cannot read: {e} (a dangling link)"))
            }
            Err(e) => Entry::Refused(format!("cannot read: {e}")),
        })
    }

    /// Walks `dir`, following symbolic links to directories inside `root`.
    fn dir(&mut self, dir: &Path, root: &Root, ancestors: &mut Vec<PathBuf>) {
        let Some(paths) = self.enter(dir, ancestors) else {
            return;
        };
        for Found { path: p, plain } in paths {
            if self.full() {
                break;
            }
            match self.entry(&p, root, is_profile_name(&p), plain) {
                Some(Entry::Dir) => self.dir(&p, root, ancestors),
                // The company file next to the products is not one of them.
                Some(Entry::File) if crate::profile::company::is_company_file(&p) => {}
                Some(Entry::File) => {
                    // A plain file's real path is its directory's and its name.
                    let real = plain.and_then(|_| Some(ancestors.last()?.join(p.file_name()?)));
                    self.file(p, real)
                }
                Some(Entry::Refused(why)) => self.error(&p, why),
                None => {}
            }
        }
        ancestors.pop();
    }
}

/// A glob pattern being walked.
struct Glob<'a> {
    pattern: &'a glob::Pattern,
    /// How many directory levels below the literal part can match.
    levels: usize,
    /// The pattern has no literal part: paths are shown without `./`.
    relative: bool,
}

/// An entry of a directory being walked.
struct Found {
    path: PathBuf,
    /// What the entry itself is when that is a regular file or a directory
    /// (not a link to one), as the directory listing says.
    plain: Option<Plain>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Plain {
    File,
    Dir,
}

enum Entry {
    Dir,
    File,
    /// Named like a profile (or a directory) but cannot be one.
    Refused(String),
}

fn is_profile_name(p: &Path) -> bool {
    p.extension().is_some_and(|e| {
        // JSON is YAML too: the same loader reads it, with the same checks.
        ["yaml", "yml", "json"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

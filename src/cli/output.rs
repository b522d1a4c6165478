//! Every byte a command writes to standard output or standard error goes
//! through here.
//!
//! - `println!` panics when the reader has gone (`cncomply schema | head`);
//!   a closed pipe is not an error of ours, so it ends the output quietly
//!   and the command goes on to finish its work (`-o` files) and exit with
//!   its own code. Any other write error (a full disk) is exit 2.
//! - Text is made safe for a terminal and a CI log first
//!   ([`crate::safe_text`]): control characters replaced, workflow commands
//!   broken. Only output that must carry them exactly (iCalendar line ends,
//!   the `github` format's own commands, a table already checked before it
//!   was coloured) is written as it is, with [`emit_exact`].

use std::fmt;
use std::io::{ErrorKind, Write};

use crate::safe_text;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write to standard output: {0}")]
#[diagnostic(code(cncomply::output))]
pub struct StdoutError(std::io::Error);

/// Writes text for a human (or any text that needs no control character).
pub fn emit(text: &str) -> Result<(), StdoutError> {
    emit_exact(&safe_text::text_block(text))
}

/// Writes `text` as it is.
pub fn emit_exact(text: &str) -> Result<(), StdoutError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(StdoutError(e)),
        _ => Ok(()),
    }
}

pub fn print(text: &str) -> miette::Result<()> {
    Ok(emit(text)?)
}

/// Writes a message to standard error, made safe like [`emit`]. A standard
/// error that cannot be written leaves nowhere to say so: it is ignored.
pub fn eprint(text: &str) {
    let _ = std::io::stderr().write_all(safe_text::text_block(text).as_bytes());
}

/// Writes a diagnostic to standard error. The report handler
/// ([`SafeHandler`]) made it safe already, colours included.
pub fn eprint_report(report: &miette::Report) {
    let _ = writeln!(std::io::stderr(), "{report:?}");
}

/// `println!` that ends quietly on a closed pipe; use with `?`.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::output::print(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` that ends quietly on a closed pipe; use with `?`.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::output::print(&format!($($arg)*))
    };
}

/// `eprintln!` made safe for a CI log ([`eprint`]).
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::eprint(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// The diagnostic renderer `main` installs: miette's, but a diagnostic
/// whose plain rendering holds a control character or a workflow command
/// (from a file name, a message or the source snippet) is shown plain and
/// cleaned. Colour (`coloured`, when asked for) is kept only for
/// diagnostics that need no cleaning. A snippet with a line too long to
/// show is left out ([`super::snippets::Shown`]).
pub struct SafeHandler {
    pub plain: miette::MietteHandler,
    pub coloured: Option<miette::MietteHandler>,
}

impl miette::ReportHandler for SafeHandler {
    fn debug(&self, d: &dyn miette::Diagnostic, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Render<'a>(&'a miette::MietteHandler, &'a dyn miette::Diagnostic);
        impl fmt::Debug for Render<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                miette::ReportHandler::debug(self.0, self.1, f)
            }
        }
        let shown = super::snippets::Shown::new(d);
        let d: &dyn miette::Diagnostic = &shown;
        let plain = format!("{:?}", Render(&self.plain, d));
        match &self.coloured {
            Some(c) if !safe_text::needs_cleaning(&plain) => miette::ReportHandler::debug(c, d, f),
            _ => f.write_str(&safe_text::text_block(&plain)),
        }
    }
}

/// Two reports to one file, or a report over a file the run reads (a
/// profile, the waivers, a rule file): the first would be lost, or the input
/// replaced by a report, with exit 0.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{path}: {why}")]
#[diagnostic(
    code(cncomply::output::clobber),
    help("give each report its own path, outside the files being checked")
)]
pub struct ClobberError {
    path: String,
    why: &'static str,
}

/// Why a report may not be written at `path`: it is a symbolic link. A
/// repository checked in CI could hold `cncomply.sarif -> ~/.bashrc`, and a
/// report written through it would replace whatever file the job may
/// write (with product names the repository chose). `/dev/...` paths
/// (`/dev/stdout`) are the system's own links and are allowed.
pub fn link_refused(path: &std::path::Path) -> Option<&'static str> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    (is_link && !path.starts_with("/dev/"))
        .then_some("is a symbolic link; a report is never written through one (it could point at any file this job may write)")
}

/// Opens a report file to write (`append`: at its end), refusing a
/// symbolic link at the last component also if one appears after the
/// paths were checked ([`link_refused`]).
pub fn create_report(path: &std::path::Path, append: bool) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(why) = link_refused(path) {
        return Err(std::io::Error::other(why));
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true);
    if append {
        options.append(true);
    } else {
        options.write(true).truncate(true);
    }
    if !path.starts_with("/dev/") {
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// Refuses output paths that repeat or that name an input (compared as
/// real paths; an output that does not exist yet by its real directory),
/// and output paths that are symbolic links ([`link_refused`]).
pub fn refuse_clobbering(
    outputs: &[&std::path::Path],
    inputs: &[&std::path::Path],
) -> Result<(), ClobberError> {
    use std::collections::HashSet;
    use std::path::{Path, PathBuf};
    // Nothing is written to a path: nothing to compare (each input's real
    // path is a system call or three, on one thread, for a catalogue).
    if outputs.is_empty() {
        return Ok(());
    }
    fn real(p: &Path) -> PathBuf {
        if let Ok(r) = std::fs::canonicalize(p) {
            return r;
        }
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = dir.map_or_else(|| std::fs::canonicalize("."), std::fs::canonicalize);
        match (dir, p.file_name()) {
            (Ok(d), Some(name)) => d.join(name),
            _ => p.to_path_buf(),
        }
    }
    // Character devices (/dev/null, /dev/stdout) may be written many times.
    let is_device = |p: &Path| {
        use std::os::unix::fs::FileTypeExt;
        std::fs::metadata(p).is_ok_and(|m| m.file_type().is_char_device())
    };
    let read: HashSet<PathBuf> = inputs.iter().map(|p| real(p)).collect();
    let mut written = HashSet::new();
    for p in outputs {
        if let Some(why) = link_refused(p) {
            return Err(ClobberError {
                path: crate::input::display_path(p),
                why,
            });
        }
    }
    for p in outputs.iter().filter(|p| !is_device(p)) {
        let r = real(p);
        let path = crate::input::display_path(p);
        if read.contains(&r) {
            return Err(ClobberError {
                path,
                why: "is read by this run; a report must not overwrite an input",
            });
        }
        if !written.insert(r) {
            return Err(ClobberError {
                path,
                why: "is given to -o twice; the first report would be lost",
            });
        }
    }
    Ok(())
}

//! Writing a command's result to standard output. `println!` panics when
//! the reader has gone (`cncomply schema | head`); a closed pipe is not an
//! error of ours, so it ends the output quietly.

use std::io::{ErrorKind, Write};

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write to standard output: {0}")]
#[diagnostic(code(cncomply::output))]
pub struct StdoutError(std::io::Error);

pub fn emit(text: &str) -> Result<(), StdoutError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(StdoutError(e)),
        _ => Ok(()),
    }
}

pub fn print(text: &str) -> miette::Result<()> {
    Ok(emit(text)?)
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

//! Writing a command's output to standard output. A reader that stops early
//! (`cncomply calendar … | head`) closes the pipe; that ends the output
//! quietly instead of panicking the way `print!` does.

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

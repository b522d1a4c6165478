//! Writing a command's result to standard output. `println!` panics when
//! the reader has gone (`cncomply schema | head`); a closed pipe is not an
//! error of ours, so it ends the output quietly.

use std::io::Write;

pub fn print(text: &str) -> miette::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(miette::miette!("cannot write to standard output: {e}")),
    }
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

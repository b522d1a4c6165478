use std::path::PathBuf;

use clap::{Args, CommandFactory};

use super::{Cli, Outcome};

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write cncomply.1 and a page per command (cncomply-check.1, …) into this directory
    /// instead of printing cncomply.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write manual pages to {}: {source}", dir.display())]
#[diagnostic(code(cncomply::man))]
pub struct ManError {
    dir: PathBuf,
    source: std::io::Error,
}

pub fn run(args: ManArgs) -> miette::Result<Outcome> {
    let cmd = Cli::command();
    match args.dir {
        Some(dir) => {
            let fail = |source| ManError {
                dir: dir.clone(),
                source,
            };
            std::fs::create_dir_all(&dir).map_err(fail)?;
            clap_mangen::generate_to(cmd, &dir).map_err(fail)?;
        }
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut out)
                .expect("rendering into memory does not fail");
            use std::io::Write;
            // A closed pipe (`cncomply man | head`) is not an error worth a message.
            let _ = std::io::stdout().write_all(&out);
        }
    }
    Ok(Outcome::Clean)
}

use clap::{Args, CommandFactory};

use super::{Cli, Outcome};

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: CompletionsArgs) -> miette::Result<Outcome> {
    // Generated from the same clap definition as the parser, so completions
    // never drift from the real flags.
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "cncomply", &mut std::io::stdout());
    Ok(Outcome::Clean)
}

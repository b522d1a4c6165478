use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Diagnostics wrap at the terminal's width (COLUMNS), or 100 columns
    // when piped; colour follows NO_COLOR and whether stderr is a terminal.
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .width(width)
                .terminal_links(false)
                .build(),
        )
    }));
    // Usage errors exit 2 like every other input error (clap's default too).
    let cli = cncomply::cli::Cli::parse();
    cncomply::cli::run(cli).into()
}

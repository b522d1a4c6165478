use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

// A catalogue run makes millions of small allocations (findings and their
// texts) on several threads; with mimalloc a 10,000-profile run is about a
// third faster and peaks a quarter lower than with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    no_huge_pages();
    // Diagnostics wrap at the terminal's width (COLUMNS), or 100 columns
    // when piped; colour follows --color, else NO_COLOR and whether stderr
    // is a terminal.
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    // Usage errors exit 2 like every other input error (clap's default too).
    let matches = cncomply::cli::Cli::command().get_matches();
    let cli = cncomply::cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let color = cli.color;
    let _ = miette::set_hook(Box::new(move |_| {
        let opts = miette::MietteHandlerOpts::new()
            .width(width)
            .terminal_links(false);
        // Colour as --color says (auto: a terminal and no NO_COLOR).
        // File names, messages and snippets come from the repository being
        // checked: the handler shows them without control characters.
        use std::io::IsTerminal;
        let coloured = color.enabled(std::io::stderr().is_terminal());
        Box::new(cncomply::cli::SafeHandler {
            coloured: coloured.then(|| opts.clone().color(true).build()),
            plain: opts.color(false).build(),
        })
    }));
    cncomply::cli::run(cli, &matches).into()
}

/// Turns transparent huge pages off for this process. Where the kernel
/// grants them on request (THP `madvise` mode) each 2 MiB fault may wait for
/// the kernel to compact memory first: measured on the 10,000-profile
/// benchmark, system time went from 0.3 s to between 0.2 and 1.9 s. A run
/// lasts about a second; it gains nothing from huge pages. mimalloc is
/// built not to ask for them (its `no_thp` feature), since it would before
/// `main` (the first two 2 MiB pages cleared cost a cold check about a
/// tenth of its time); this covers kernels that give them unasked (`always`).
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only this
    // process's memory policy; if it fails, nothing else depends on it.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

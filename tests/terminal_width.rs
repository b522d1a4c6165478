//! At a terminal the table is as wide as the terminal. Shells do not export
//! `COLUMNS`, so the width has to come from the terminal itself: an
//! 80-column terminal showed 110-column rows that wrapped into a mess.

mod common;
use common::*;

/// Runs `cncomply ARGS` with standard output on an 80×24 pseudo-terminal
/// and no `COLUMNS`; returns what the terminal showed.
fn on_an_80_column_terminal(args: &[&str]) -> Option<String> {
    let t = Terminal {
        stdin: false,
        stdout: true,
        stderr: false,
        typed: "",
        size: Some((80, 24)),
    };
    on_terminal(args, t).map(|r| r.screen)
}

#[test]
fn the_table_fits_the_terminal_it_is_shown_on() {
    let Some(screen) = on_an_80_column_terminal(&[
        "check",
        "examples/washing-machine.yaml",
        "--as-of",
        "2026-12-01",
    ]) else {
        return;
    };
    assert!(screen.contains("AquaWash"), "{screen}");
    let widest = screen
        .lines()
        .map(|l| l.trim_end_matches('\r').chars().count())
        .max()
        .unwrap_or(0);
    assert!(widest <= 80, "a line of {widest} columns:\n{screen}");
    assert!(
        screen.contains("┌"),
        "still a table at 80 columns:\n{screen}"
    );
}

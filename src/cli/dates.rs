//! Date options shared by the time commands (diff, calendar, report).

use chrono::NaiveDate;

/// The local calendar day, the default for every date option.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("--from {from} is after --to {to}")]
#[diagnostic(
    code(cncomply::dates::reversed),
    help("give the earlier day with --from and the later one with --to")
)]
pub struct ReversedDates {
    from: NaiveDate,
    to: NaiveDate,
}

/// Refuses a window that ends before it starts.
pub fn ensure_ordered(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<(), ReversedDates> {
    match (from, to) {
        (Some(from), Some(to)) if from > to => Err(ReversedDates { from, to }),
        _ => Ok(()),
    }
}

//! placeholder
use clap::Args;
#[derive(Args, Debug)]
pub struct ReportArgs {}
pub fn run(_a: ReportArgs) -> miette::Result<super::Outcome> {
    todo!()
}

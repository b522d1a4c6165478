//! `cncomply report`: the self-contained HTML report for a catalogue.

use std::path::PathBuf;

use clap::Args;

use crate::evaluate::evaluate;
use crate::library;
use crate::report::html::{self, Page};
use crate::report::{CompanyReport, ProductReport, RunInfo};
use crate::timeline;

use super::catalogue;
use super::dates::today;
use super::output;
use super::{AsOfOpt, Outcome, RulesOpt};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Product profile(s) in YAML; `-` reads one from standard input.
    #[arg(value_name = "PROFILE", required = true)]
    pub profiles: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RulesOpt,
    #[command(flatten)]
    pub as_of: AsOfOpt,
    /// Write the HTML page to this file (`-`: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Also list rules that do not apply, with the reason.
    #[arg(long)]
    pub all: bool,
    /// Company file (see `check --company`); default: company.yaml next to the catalogue.
    #[arg(long, value_name = "FILE")]
    pub company: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write the report to {}: {source}", path.display())]
#[diagnostic(
    code(cncomply::report::write),
    help("-o takes a file path in a directory that exists and is writable")
)]
struct WriteError {
    path: PathBuf,
    source: std::io::Error,
}

pub fn run(args: ReportArgs) -> miette::Result<Outcome> {
    // Refused before any work, as `check -o` refuses it.
    if let Some(why) = output::link_refused(&args.output) {
        return Err(WriteError {
            path: args.output.clone(),
            source: std::io::Error::other(why),
        }
        .into());
    }
    let (rules, rules_source) = library::load(&args.rules.rules)?;
    let as_of = args.as_of.date();
    let texts = catalogue::read(&args.profiles)?;
    let (mut profiles, errors) = catalogue::parse(&texts, &rules.vocabulary, None);
    if profiles.is_empty() {
        return Ok(Outcome::Error);
    }
    let first_file = texts
        .iter()
        .map(|t| std::path::Path::new(&t.origin))
        .find(|p| p.is_file());
    let company_attributes = rules.company_attributes();
    let Ok(company) = super::check::load_company(
        args.company.as_deref(),
        None,
        &args.profiles,
        first_file,
        &rules,
        &company_attributes,
    ) else {
        return Ok(Outcome::Error);
    };
    for p in &mut profiles {
        super::check::merge_company(p, company.as_ref(), &company_attributes, false);
    }
    let events = timeline::events(&rules, &profiles, None, None);
    let mut products: Vec<ProductReport> = profiles
        .into_iter()
        .map(|p| {
            let findings = evaluate(&rules, &p, as_of);
            ProductReport::new(p, findings)
        })
        .collect();
    // The HTML report has no exit policy or waivers of its own: it shows
    // the findings as they are.
    let policy = crate::policy::ExitPolicy::default();
    let company_report = CompanyReport::collect(company, &mut products);
    let info = RunInfo {
        as_of,
        rules: &rules,
        rules_source,
        show_all: args.all,
        details: true,
        color: false,
        policy: &policy,
        waivers: None,
        company: Some(&company_report),
        watch: false,
        baseline: None,
    };
    let page = Page {
        info: &info,
        today_label: if as_of == today() { "today" } else { "as of" },
        events: &events,
    };
    let out = html::render(&page, &products, &errors);
    if args.output.as_os_str() == "-" {
        output::emit(&out)?;
    } else {
        output::create_report(&args.output, false)
            .and_then(|mut f| std::io::Write::write_all(&mut f, out.as_bytes()))
            .map_err(|source| WriteError {
                path: args.output.clone(),
                source,
            })?;
        crate::errln!(
            "wrote {}: {}, {}",
            args.output.display(),
            crate::report::text::plural(products.len(), "product"),
            crate::report::text::plural(events.len(), "dated event")
        );
    }
    Ok(if errors.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Error
    })
}

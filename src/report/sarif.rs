//! SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning and
//! others). The rules that produced results are described in
//! `tool.driver.rules` with their citation as help text; each finding is a
//! result located at its profile file, on the line of the key that decided
//! it. Levels follow the exit policy: a failing finding is an `error`, other
//! open findings are `warning`s, a waived one keeps its level and carries an
//! accepted suppression with the justification (never dropped), and met,
//! informational and not-applicable findings are `none` of kinds `pass`,
//! `informational`, `notApplicable`. Profiles that could not be read are
//! tool execution notifications.

use std::io::{self, Write};

use serde::Serialize;

use crate::baseline::Resolved;
use crate::evaluate::{Finding, Status};
use crate::model::{binding_str, Rule};
use crate::safe_text::{shorten, shorten_words};

use super::stream::{self, pretty_at, Piece, ProductSummary, RunSummary, Stop};
use super::{deciding_position, Options, ProductError, ProductReport, RunInfo};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where the tool is documented (`tool.driver.informationUri`).
pub const INFORMATION_URI: &str = "https://github.com/cncomply/cncomply#readme";

/// GitHub code scanning refuses a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;

/// A SARIF result level, in the order `--min-level` compares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    None,
    Note,
    Warning,
    Error,
}

impl Level {
    fn index(self) -> usize {
        self as usize
    }
    fn from_index(i: u8) -> Level {
        [Level::None, Level::Note, Level::Warning, Level::Error][i as usize]
    }
    fn as_str(self) -> &'static str {
        ["none", "note", "warning", "error"][self.index()]
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
struct Text<T> {
    text: T,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Text<&'a str>,
    full_description: Text<String>,
    help: Help,
    default_configuration: DefaultConfiguration,
    properties: DescriptorProperties<'a>,
}

#[derive(Serialize)]
struct DefaultConfiguration {
    level: Level,
}

#[derive(Serialize)]
struct DescriptorProperties<'a> {
    tags: [&'a str; 3],
    instrument: &'a str,
    authority: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultOut<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    kind: &'static str,
    level: Level,
    message: Text<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    status: Status,
    /// The product's name, shortened like the message (it is repeated in
    /// every result).
    product: std::borrow::Cow<'a, str>,
    fails: bool,
    /// `company` for a company finding (reported once for the run).
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'static str>,
    /// A company finding: the products that brought the rule in.
    #[serde(skip_serializing_if = "Option::is_none")]
    products: Option<Vec<std::borrow::Cow<'a, str>>>,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: Text2,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct Text2 {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    level: Level,
    message: Text<String>,
    descriptor: Id,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
struct Id {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    as_of: String,
    rules_source: &'a str,
    fail_on: String,
    min_level: Level,
}

/// A product's results, each an item tagged with its level; the writer
/// leaves out what is below `--min-level` or past the cap. Once the writer
/// has reached the cap (`stop`), results are only counted, not rendered.
pub fn piece(info: &RunInfo, p: &ProductReport, o: &Options, stop: &Stop, out: &mut Piece) {
    let index = |id: &str| rule_index(info, id);
    let written = |level: Level| level >= o.min_level && !stop.is_set();
    for f in p.visible(info.show_all) {
        let level = classify(info, f).1;
        if written(level) {
            pretty_at(&result(info, p, f, index(&f.rule.id)), 4, &mut out.bytes);
        }
        out.mark(level.index() as u8);
    }
    for resolved in &p.resolved {
        let level = Level::None;
        if written(level) {
            let r = resolved_result(p, resolved, index(&resolved.rule_id));
            pretty_at(&r, 4, &mut out.bytes);
        }
        out.mark(level.index() as u8);
    }
}

/// The index of a rule in `tool.driver.rules`, which lists every rule of
/// the library in its order; None for a rule the library no longer has (a
/// baseline's).
fn rule_index(info: &RunInfo, id: &str) -> Option<usize> {
    info.rules.index(id)
}

fn descriptor(r: &Rule) -> Descriptor<'_> {
    let mut help = format!(
        "To do: {}\nInstrument: {} ({})\nSource: {}",
        r.obligation,
        r.instrument,
        r.authority,
        crate::bundled::citation(&r.source)
    );
    let mut markdown = format!(
        "**To do:** {}\n\n**Instrument:** {} ({})\n\n**Source:** {}",
        r.obligation,
        r.instrument,
        r.authority,
        crate::bundled::citation(&r.source)
    );
    if !r.standards.is_empty() {
        help.push_str(&format!("\nStandards: {}", r.standards.join(", ")));
        markdown.push_str(&format!("\n\n**Standards:** {}", r.standards.join(", ")));
    }
    if let Some(m) = &r.met_by {
        help.push_str(&format!("\nShown met by: {}", m.describe()));
        markdown.push_str(&format!("\n\n**Shown met by:** {}", m.describe()));
    }
    Descriptor {
        id: &r.id,
        name: pascal_case(&r.id),
        short_description: Text { text: &r.title },
        full_description: Text {
            text: format!("{} — {}", r.title, r.obligation),
        },
        help: Help {
            text: help,
            markdown,
        },
        default_configuration: DefaultConfiguration {
            level: if r.is_informational() {
                Level::Note
            } else {
                Level::Error
            },
        },
        properties: DescriptorProperties {
            tags: [&r.topic, binding_str(r.binding), r.status.as_str()],
            instrument: &r.instrument,
            authority: &r.authority,
        },
    }
}

/// A product finding's SARIF kind and level: a failing finding is an
/// error, other open findings warnings (notes for what is only for review).
fn classify(info: &RunInfo, f: &Finding) -> (&'static str, Level) {
    match f.status {
        _ if info.policy.fails(f) => ("fail", Level::Error),
        // An open question about a draft or voluntary scheme is for review only.
        Status::NeedsInfo if f.rule.is_informational() => ("review", Level::Note),
        Status::InTransition | Status::NeedsInfo | Status::Upcoming => ("fail", Level::Warning),
        Status::Waived => match f.waiver.as_ref().map(|w| w.status_without) {
            Some(Status::Applies) => ("fail", Level::Error),
            _ => ("fail", Level::Warning),
        },
        Status::Applies => ("fail", Level::Error),
        Status::Met => ("pass", Level::None),
        Status::Informational => ("informational", Level::None),
        Status::NotApplicable => ("notApplicable", Level::None),
    }
}

fn result<'a>(
    info: &RunInfo,
    p: &'a ProductReport,
    f: &'a Finding,
    rule_index: Option<usize>,
) -> ResultOut<'a> {
    let (kind, level) = classify(info, f);
    let fails = info.policy.fails(f);
    // The product's name is repeated in every result: shortened, so one
    // profile with a 4 MiB name cannot make hundreds of megabytes of SARIF.
    let name = shorten(&p.profile.name, crate::report::MAX_REPEATED);
    let mut text = format!(
        "{name}: {} — {} ({}).",
        f.rule.title,
        f.status,
        shorten_words(&f.reason, crate::report::MAX_REPEATED)
    );
    if f.status == Status::NeedsInfo {
        text.push_str(&format!(" Add {} to the profile.", f.missing.join(", ")));
    } else if matches!(
        f.status,
        Status::Applies | Status::InTransition | Status::Upcoming
    ) {
        text.push_str(&format!(
            " To do: {}.",
            f.rule.obligation.trim_end_matches('.')
        ));
    }
    let suppressions = f
        .waiver
        .as_ref()
        .filter(|w| !w.expired)
        .map(|w| Suppression {
            kind: "external",
            status: "accepted",
            justification: format!(
                "{} (approved by {}, until {}; {})",
                w.justification, w.approver, w.expires, w.at
            ),
        })
        .into_iter()
        .collect();
    ResultOut {
        rule_id: &f.rule.id,
        rule_index,
        kind,
        level,
        message: Text { text },
        locations: location(&p.profile.origin, deciding_position(f, &p.profile))
            .into_iter()
            .collect(),
        suppressions,
        baseline_state: f.baseline.map(|b| b.as_str()),
        properties: ResultProperties {
            status: f.status,
            product: shorten(&p.profile.name, crate::report::MAX_REPEATED),
            fails,
            section: None,
            products: None,
        },
    }
}

/// What the baseline had open and is closed now: a result whose
/// `baselineState` is `absent`.
fn resolved_result<'a>(
    p: &'a ProductReport,
    r: &'a Resolved,
    rule_index: Option<usize>,
) -> ResultOut<'a> {
    ResultOut {
        rule_id: &r.rule_id,
        rule_index,
        kind: "pass",
        level: Level::None,
        message: Text {
            text: format!(
                "{}: {} — resolved since the baseline (was {}).",
                shorten(&p.profile.name, crate::report::MAX_REPEATED),
                r.rule_id,
                r.was
            ),
        },
        locations: location(&p.profile.origin, p.profile.position("category"))
            .into_iter()
            .collect(),
        suppressions: Vec::new(),
        baseline_state: Some("absent"),
        properties: ResultProperties {
            status: Status::NotApplicable,
            product: shorten(&p.profile.name, crate::report::MAX_REPEATED),
            fails: false,
            section: None,
            products: None,
        },
    }
}

/// A company finding, once for the run, located at the company file (on the
/// line of the fact that decided it) when there is one.
fn company_result<'a>(
    info: &'a RunInfo,
    c: &'a super::CompanyReport,
    f: &'a Finding,
    products: &'a [String],
) -> ResultOut<'a> {
    let fails = info.policy.fails_company(f);
    let (kind, level) = match f.status {
        _ if fails => ("fail", Level::Error),
        Status::Applies | Status::InTransition | Status::Upcoming => ("fail", Level::Warning),
        Status::NeedsInfo => ("review", Level::Note),
        Status::Met | Status::Waived => ("pass", Level::None),
        Status::Informational | Status::NotApplicable => ("informational", Level::None),
    };
    let name = c.company.as_ref().map_or("company", |co| co.name.as_str());
    let locations = c
        .company
        .as_ref()
        .and_then(|co| {
            let at = co
                .position(super::deciding_path(f))
                .or_else(|| co.position("attributes"))
                .or(Some((1, 1)));
            location(&co.origin, at)
        })
        .into_iter()
        .collect();
    ResultOut {
        rule_id: &f.rule.id,
        rule_index: rule_index(info, &f.rule.id),
        kind,
        level,
        message: Text {
            text: format!(
                "{} (company): {} — {} ({}).",
                shorten(name, crate::report::MAX_REPEATED),
                f.rule.title,
                f.status,
                shorten_words(&f.reason, crate::report::MAX_REPEATED)
            ),
        },
        locations,
        suppressions: Vec::new(),
        baseline_state: None,
        properties: ResultProperties {
            status: f.status,
            product: shorten(name, crate::report::MAX_REPEATED),
            fails,
            section: Some("company"),
            products: Some(
                products
                    .iter()
                    .map(|n| shorten(n, crate::report::MAX_REPEATED))
                    .collect(),
            ),
        },
    }
}

/// A SARIF location for a profile, or none for standard input.
fn location(origin: &str, at: Option<(usize, usize)>) -> Option<Location> {
    if origin == "-" {
        return None;
    }
    Some(Location {
        physical_location: PhysicalLocation {
            artifact_location: Text2 {
                uri: file_uri(origin),
            },
            region: at.map(|(line, col)| Region {
                start_line: line.max(1),
                start_column: col.max(1),
            }),
        },
    })
}

/// The run around the results: the driver with every rule first, the
/// invocation (unreadable profiles, what the cap left out) last.
pub struct Writer {
    options: Options,
    written: usize,
    /// Results left out past the cap, per level.
    over_cap: [usize; 4],
    /// Set once the cap is reached, for the threads rendering pieces.
    stop: Stop,
}

impl Writer {
    pub fn new(options: Options, stop: Stop) -> Writer {
        Writer {
            options,
            written: 0,
            over_cap: [0; 4],
            stop,
        }
    }

    /// Whether a result of this level is written: not below `--min-level`,
    /// not past the cap (then it is counted for the notification).
    fn admits(&mut self, level: Level) -> bool {
        if level < self.options.min_level {
            return false;
        }
        if self.written >= self.options.sarif_cap {
            self.over_cap[level.index()] += 1;
            self.stop.set();
            return false;
        }
        true
    }

    /// Writes one result that [`admits`](Self::admits) let through.
    fn result(&mut self, item: &[u8], w: &mut dyn Write) -> io::Result<()> {
        w.write_all(if self.written == 0 {
            b"\n        "
        } else {
            b",\n        "
        })?;
        w.write_all(item)?;
        self.written += 1;
        if self.written >= self.options.sarif_cap {
            self.stop.set();
        }
        Ok(())
    }
}

impl stream::Writer for Writer {
    fn head(&mut self, info: &RunInfo, w: &mut dyn Write) -> io::Result<()> {
        let mut out = Vec::new();
        out.extend_from_slice(b"{\n  \"$schema\": ");
        stream::compact(SARIF_SCHEMA, &mut out);
        out.extend_from_slice(b",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": ");
        let driver = Driver {
            name: "cncomply",
            version: env!("CARGO_PKG_VERSION"),
            semantic_version: env!("CARGO_PKG_VERSION"),
            information_uri: INFORMATION_URI,
            rules: info.rules.rules.iter().map(descriptor).collect(),
        };
        pretty_at(&driver, 4, &mut out);
        out.extend_from_slice(b"\n      },\n      \"results\": [");
        w.write_all(&out)
    }

    fn product(
        &mut self,
        _info: &RunInfo,
        _summary: &ProductSummary,
        piece: Piece,
        w: &mut dyn Write,
    ) -> io::Result<()> {
        for (tag, item) in piece.items() {
            if self.admits(Level::from_index(tag)) {
                self.result(item, w)?;
            }
        }
        Ok(())
    }

    fn tail(
        &mut self,
        info: &RunInfo,
        _run: &RunSummary,
        errors: &[ProductError],
        w: &mut dyn Write,
    ) -> io::Result<()> {
        // The company's findings, once for the run, after the products'.
        if let Some(c) = info.company {
            for (f, products) in &c.findings {
                let r = company_result(info, c, f, products);
                if self.admits(r.level) {
                    let mut item = Vec::new();
                    pretty_at(&r, 4, &mut item);
                    self.result(&item, w)?;
                }
            }
        }
        let mut notifications: Vec<Notification> = errors
            .iter()
            .map(|e| Notification {
                level: Level::Error,
                message: Text {
                    text: e.message.clone(),
                },
                descriptor: Id {
                    id: "profile-error",
                },
                locations: location(&e.origin, e.line.zip(e.column.or(Some(1))))
                    .into_iter()
                    .collect(),
            })
            .collect();
        let left_out: usize = self.over_cap.iter().sum();
        if left_out > 0 {
            let by_level: Vec<String> = (0..4)
                .rev()
                .filter(|i| self.over_cap[*i] > 0)
                .map(|i| {
                    format!(
                        "{} {}",
                        self.over_cap[i],
                        Level::from_index(i as u8).as_str()
                    )
                })
                .collect();
            notifications.push(Notification {
                level: Level::Warning,
                message: Text {
                    text: format!(
                        "{left_out} results left out ({}): code scanning accepts at most {} results a run, and the first {} were written in catalogue order. Check with --min-level warning (or error) to keep only what asks for work, or split the catalogue.",
                        by_level.join(", "),
                        MAX_RESULTS,
                        self.options.sarif_cap
                    ),
                },
                descriptor: Id {
                    id: "results-capped",
                },
                locations: Vec::new(),
            });
        }
        let mut out = Vec::new();
        out.extend_from_slice(if self.written == 0 {
            b"],\n      \"invocations\": "
        } else {
            b"\n      ],\n      \"invocations\": "
        });
        let invocations = [Invocation {
            execution_successful: errors.is_empty(),
            tool_execution_notifications: notifications,
        }];
        pretty_at(&invocations, 3, &mut out);
        out.extend_from_slice(b",\n      \"properties\": ");
        pretty_at(
            &RunProperties {
                as_of: info.as_of.to_string(),
                rules_source: &info.rules_source,
                fail_on: info.policy.describe(),
                min_level: self.options.min_level,
            },
            3,
            &mut out,
        );
        out.extend_from_slice(b"\n    }\n  ]\n}\n");
        w.write_all(&out)
    }
}

/// A relative URI reference for a relative path (what code scanning wants),
/// a `file://` URI for an absolute one; reserved characters are
/// percent-encoded.
/// Every result of a product names its file: no copy is made of a path
/// without backslashes, and the URI is sized once.
pub fn file_uri(path: &str) -> String {
    use std::fmt::Write;
    let path = match path.contains('\\') {
        true => std::borrow::Cow::Owned(path.replace('\\', "/")),
        false => std::borrow::Cow::Borrowed(path),
    };
    let mut out = String::with_capacity(path.len() + "file://".len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// `ccc.small-power-motor` → `CccSmallPowerMotor` (SARIF's rule name is an
/// identifier; the id stays the stable key).
fn pascal_case(id: &str) -> String {
    id.split(['.', '-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(first) => first.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

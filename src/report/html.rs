//! `report`: one self-contained HTML page for a person — a summary per
//! product, the timeline of dated events, then each product's obligations
//! with explanation and citation. Styles and the chart are inline and the
//! page loads nothing, so it can be mailed, archived and printed as is.
//! Markup is built with `maud`, which escapes every value.

use chrono::NaiveDate;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::evaluate::{Finding, Status};
use crate::model::RuleStatus;
use crate::profile::Profile;
use crate::timeline::Event;

use super::calendar::{concerned_line_within, event_title};
use super::text;
use super::timeline_svg;
use super::{ProductError, ProductReport, RunInfo};

const STYLE: &str = r#"
:root { --ink: #1d2433; --muted: #5b6475; --line: #d5d9e0; --applies: #b42318; --transition: #b54708;
  --needs: #6941c6; --upcoming: #175cd3; --met: #067647; --info: #475467; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif;
  color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 0 0 4px; }
.meta, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.hot { color: var(--applies); font-weight: 700; }
.badge { display: inline-block; border-radius: 4px; padding: 1px 7px; font-size: 12px; font-weight: 700;
  color: #fff; background: var(--info); white-space: nowrap; }
.s-applies { background: var(--applies); } .s-in-transition { background: var(--transition); }
.s-needs-info { background: var(--needs); } .s-upcoming { background: var(--upcoming); }
.s-met { background: var(--met); } .s-informational { background: var(--info); }
.s-not-applicable { background: #98a2b3; }
.draft { background: #fff; color: var(--ink); border: 1px solid var(--ink); }
svg.timeline { width: 100%; height: auto; display: block; margin: 8px 0; font-size: 11px; }
svg .axis { stroke: var(--ink); stroke-width: 1.5; }
svg .tick { stroke: var(--ink); stroke-width: 1; }
svg .tick-label { fill: var(--muted); font-size: 12px; }
svg .event circle { stroke: #fff; stroke-width: 1.5; }
svg .event text { fill: #fff; font-size: 9px; font-weight: 700; }
svg .stem { stroke: var(--line); stroke-width: 1; }
svg .k-effective circle { fill: #0072b2; }
svg .k-transition circle { fill: #e69f00; }
svg .k-ends circle { fill: #000000; }
svg .k-evidence circle { fill: #cc79a7; }
svg .fold { stroke-dasharray: 3 3; }
svg .today line { stroke: var(--met); stroke-width: 2; stroke-dasharray: 5 3; }
svg .today text { fill: var(--met); font-weight: 700; font-size: 12px; }
.legend span { margin-right: 14px; font-size: 13px; white-space: nowrap; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; }
ol.events { padding-left: 2.6em; font-size: 14px; }
ol.events li { margin: 2px 0; }
ol.events .past { color: var(--muted); }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--info); border-radius: 4px;
  padding: 10px 12px; margin: 10px 0; }
.finding.applies { border-left-color: var(--applies); } .finding.in-transition { border-left-color: var(--transition); }
.finding.needs-info { border-left-color: var(--needs); } .finding.upcoming { border-left-color: var(--upcoming); }
.finding.met { border-left-color: var(--met); }
.finding p { margin: 4px 0; }
.finding .cite { font-size: 13px; color: var(--muted); }
.rule-id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13px; }
.errors li { color: var(--applies); }
@page { size: A4; margin: 14mm; }
@media print {
  body { font-size: 10.5pt; padding: 0; max-width: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.product { break-before: page; }
  .finding, tr, ol.events li { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
"#;

/// What the page shows besides the products.
pub struct Page<'a> {
    pub info: &'a RunInfo<'a>,
    /// "today", or "as of" when the report is for another day.
    pub today_label: &'a str,
    pub events: &'a [Event<'a>],
}

pub fn render(page: &Page, products: &[ProductReport], errors: &[ProductError]) -> String {
    let info = page.info;
    let profiles: Vec<Profile> = products.iter().map(|p| p.profile.clone()).collect();
    let titles: Vec<String> = page
        .events
        .iter()
        .map(|e| {
            let who: Vec<String> = e
                .products
                .iter()
                .map(|c| concerned_line_within(&profiles, c, super::MAX_REPEATED))
                .collect();
            format!("{} · {} — {}", e.date, event_title(e), who.join("; "))
        })
        .collect();
    let doc = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("cncomply {}", env!("CARGO_PKG_VERSION")));
                title { "China market-access obligations — as of " (info.as_of.to_string()) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { "China market-access obligations" }
                    p.meta {
                        "As of " strong { (info.as_of.to_string()) } " · "
                        (text::plural(products.len(), "product")) " · "
                        (text::plural(info.rules.rules.len(), "rule")) " (" (info.rules_source) ") · "
                        "cncomply " (env!("CARGO_PKG_VERSION"))
                    }
                }
                (summary(info.as_of, products, errors))
                (timeline(page, &profiles, &titles))
                @for (i, p) in products.iter().enumerate() {
                    (product(info, i + 1, p))
                }
                @if let Some(c) = info.company {
                    (company(c))
                }
            }
        }
    };
    // maud escapes markup, not control characters: those from names and
    // rule texts become visible stand-ins (an HTML page is read by people,
    // and printed).
    let html = doc.into_string();
    match crate::safe_text::text_block(&html) {
        std::borrow::Cow::Borrowed(_) => html,
        std::borrow::Cow::Owned(cleaned) => cleaned,
    }
}

fn summary(as_of: NaiveDate, products: &[ProductReport], errors: &[ProductError]) -> Markup {
    const SHOWN: [Status; 6] = [
        Status::Applies,
        Status::InTransition,
        Status::NeedsInfo,
        Status::Upcoming,
        Status::Met,
        Status::Informational,
    ];
    html! {
        section #summary {
            h2 { "Summary" }
            table {
                thead { tr {
                    th { "Product" }
                    @for s in SHOWN { th { (s.as_str()) } }
                    th { "Nearest deadline" }
                } }
                tbody {
                    @for (i, p) in products.iter().enumerate() {
                        tr data-summary=(p.profile.origin) {
                            td { a href=(format!("#product-{}", i + 1)) { (p.profile.name) } br;
                                 span.muted { (p.profile.origin) } }
                            @for s in SHOWN {
                                @let n = p.count(s);
                                td.n.hot[s == Status::Applies && n > 0] { (n) }
                            }
                            td { @match p.nearest_deadline() {
                                Some(d) => { (d.to_string()) " (" (text::plural((d - as_of).num_days().max(0) as usize, "day")) ")" }
                                None => { "—" }
                            } }
                        }
                    }
                }
            }
            @if !errors.is_empty() {
                p { "Profiles that could not be read (not checked):" }
                ul.errors {
                    @for e in errors {
                        li { (e.origin) ": " (e.message) }
                    }
                }
            }
        }
    }
}

fn timeline(page: &Page, profiles: &[Profile], titles: &[String]) -> Markup {
    let as_of = page.info.as_of;
    html! {
        section #timeline {
            h2 { "Timeline" }
            @if page.events.is_empty() {
                p { "No dated event of the rules concerns these products." }
            }
            (timeline_svg::render(page.events, titles, as_of, page.today_label))
            p.legend {
                span { i style="background: #0072b2" {} "takes effect" }
                span { i style="background: #e69f00" {} "transition period ends" }
                span { i style="background: #000000" {} "repealed or superseded" }
                span { i style="background: #cc79a7" {} "evidence expires" }
                span { "the last eight months and the next 24 span the chart; earlier and later dates are folded at the ends" }
                span { "dashed line: " (page.today_label) }
            }
            ol.events {
                @for (i, e) in page.events.iter().enumerate() {
                    @let days = (e.date - as_of).num_days();
                    li #(format!("event-{}", i + 1)) .past[days < 0] value=(i + 1) {
                        strong { (e.date.to_string()) }
                        " (" (relative(days)) ") — "
                        span.rule-id { (e.rule.id) } " " (e.kind.phrase())
                        @if !e.cases.is_empty() { " for " (e.cases.join(", ")) }
                        ": " (e.rule.title) ". "
                        span.muted {
                            (e.products.iter().map(|c| concerned_line_within(profiles, c, super::MAX_REPEATED)).collect::<Vec<_>>().join("; "))
                        }
                    }
                }
            }
        }
    }
}

fn relative(days: i64) -> String {
    match days {
        0 => "that day".into(),
        d if d > 0 => format!("in {}", text::plural(d as usize, "day")),
        d => format!("{} ago", text::plural(d.unsigned_abs() as usize, "day")),
    }
}

/// `number` counts from 1 in the order the profiles were given; the summary
/// links to it.
fn product(info: &RunInfo, number: usize, p: &ProductReport) -> Markup {
    // The product's own obligations first; questions only where they can
    // change a mandatory outcome; drafts and plans apart, one line each.
    let findings: Vec<&Finding> = p
        .visible(info.show_all)
        .filter(|f| info.show_all || !f.rule.is_watch())
        .filter(|f| info.show_all || f.status != Status::NeedsInfo || !f.rule.is_informational())
        .collect();
    let horizon: Vec<&Finding> = if info.show_all {
        Vec::new()
    } else {
        p.horizon(info.watch).collect()
    };
    html! {
        section.product #(format!("product-{number}")) data-product=(p.profile.origin) {
            h2 { (p.profile.name) }
            p.meta { (text::product_heading(&p.profile, &info.rules.vocabulary)) }
            @if findings.is_empty() {
                p { "No obligation in the rule library matches this product." }
            }
            @for f in findings {
                (finding(f))
            }
            @if !horizon.is_empty() {
                h3 { "On the horizon (drafts and plans; not binding yet)" }
                ul.horizon {
                    @for f in horizon {
                        li data-watch=(f.rule.id) { (super::table::watch_line(f, info.as_of, 60)) }
                    }
                }
            }
        }
    }
}

/// The company's obligations, once for the catalogue.
fn company(c: &super::CompanyReport) -> Markup {
    let listed: Vec<_> = c.listed().collect();
    html! {
        @if !listed.is_empty() || c.unanswered() > 0 {
            section.company #company {
                h2 { "Company obligations" }
                @if let Some(co) = &c.company { p.meta { (co.name) " · " (co.origin) } }
                @for (f, products) in listed {
                    (finding(f))
                    p.muted { "For: " (products.join(", ")) }
                }
                @if let Some(line) = c.unanswered_line() { p { (line) } }
            }
        }
    }
}

fn date_text(f: &Finding) -> String {
    match (f.deadline, f.days_left, f.effective) {
        (Some(d), Some(days), _) => {
            format!("{d} (in {})", text::plural(days.max(0) as usize, "day"))
        }
        (_, _, Some(e)) => format!("since {e}"),
        _ => match f.rule.first_effective() {
            Some(e) => e.to_string(),
            None => String::new(),
        },
    }
}

fn finding(f: &Finding) -> Markup {
    let r = f.rule;
    let todo = matches!(
        f.status,
        Status::Applies | Status::InTransition | Status::Upcoming | Status::Met
    );
    html! {
        article class=(format!("finding {}", f.status.as_str())) data-rule=(r.id) {
            h3 {
                span class=(format!("badge s-{}", f.status.as_str())) { (f.status.as_str()) }
                @if r.status == RuleStatus::Draft { " " span.badge.draft { "DRAFT" } }
                " " span.rule-id { (r.id) } " " (r.title)
            }
            @let when = date_text(f);
            @if !when.is_empty() { p.muted { (when) } }
            @if todo { p { strong { "To do: " } (r.obligation) } }
            p { strong { "Why: " } (f.reason) "." @if f.status != Status::NotApplicable { " " (f.explanation) } }
            @if f.status == Status::NeedsInfo && !f.missing.is_empty() {
                p { strong { "Add to the profile: " } (f.missing.join(", ")) }
            }
            @if let Some(m) = &r.met_by {
                p { strong { "Shown met by: " } (m.describe())
                    @if !f.evidence.notes.is_empty() { " — " (f.evidence.notes.join("; ")) } }
            }
            p.cite {
                (r.instrument) " · " (r.authority)
                @if !r.standards.is_empty() { " · standards: " (r.standards.join(", ")) }
                " · " (crate::bundled::citation(&r.source))
            }
        }
    }
}

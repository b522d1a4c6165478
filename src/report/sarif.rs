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

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::evaluate::{Finding, Status};
use crate::model::{binding_str, Rule};
use crate::safe_text::{shorten, shorten_words};

use super::{deciding_position, ProductError, ProductReport, RunInfo};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(info: &RunInfo, products: &[ProductReport], errors: &[ProductError]) -> String {
    let mut rules: BTreeMap<&str, &Rule> = BTreeMap::new();
    for p in products {
        for f in p.visible(info.show_all) {
            rules.insert(&f.rule.id, f.rule);
        }
    }
    let company = info
        .company
        .map(|c| c.findings.as_slice())
        .unwrap_or_default();
    for (f, _) in company {
        rules.insert(&f.rule.id, f.rule);
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let mut results = Vec::new();
    for p in products {
        for f in p.visible(info.show_all) {
            results.push(result(info, p, f, index[f.rule.id.as_str()]));
        }
    }
    if let Some(c) = info.company {
        for (f, names) in &c.findings {
            results.push(company_result(info, c, f, names, index[f.rule.id.as_str()]));
        }
    }
    let notifications: Vec<Value> = errors
        .iter()
        .map(|e| {
            let mut n = json!({
                "level": "error",
                "message": { "text": e.message },
                "descriptor": { "id": "profile-error" },
            });
            if let Some(loc) = location(&e.origin, e.line.zip(e.column.or(Some(1)))) {
                n["locations"] = json!([loc]);
            }
            n
        })
        .collect();
    let doc = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "cncomply",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.values().map(|r| descriptor(r)).collect::<Vec<_>>(),
            }},
            "invocations": [{
                "executionSuccessful": errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "properties": {
                "as_of": info.as_of.to_string(),
                "rules_source": info.rules_source,
                "fail_on": info.policy.describe(),
            },
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("report serialises");
    s.push('\n');
    s
}

fn descriptor(r: &Rule) -> Value {
    let mut help = format!(
        "To do: {}\nInstrument: {} ({})\nSource: {} § \"{}\"",
        r.obligation, r.instrument, r.authority, r.source.file, r.source.section
    );
    let mut markdown = format!(
        "**To do:** {}\n\n**Instrument:** {} ({})\n\n**Source:** `{}` § \"{}\"",
        r.obligation, r.instrument, r.authority, r.source.file, r.source.section
    );
    if !r.standards.is_empty() {
        help.push_str(&format!("\nStandards: {}", r.standards.join(", ")));
        markdown.push_str(&format!("\n\n**Standards:** {}", r.standards.join(", ")));
    }
    if let Some(m) = &r.met_by {
        help.push_str(&format!("\nShown met by: {}", m.describe()));
        markdown.push_str(&format!("\n\n**Shown met by:** {}", m.describe()));
    }
    json!({
        "id": r.id,
        "name": pascal_case(&r.id),
        "shortDescription": { "text": r.title },
        "fullDescription": { "text": format!("{} — {}", r.title, r.obligation) },
        "help": { "text": help, "markdown": markdown },
        "defaultConfiguration": {
            "level": if r.is_informational() { "note" } else { "error" },
        },
        "properties": {
            "tags": [r.topic, binding_str(r.binding), r.status.as_str()],
            "instrument": r.instrument,
            "authority": r.authority,
        },
    })
}

fn result(info: &RunInfo, p: &ProductReport, f: &Finding, rule_index: usize) -> Value {
    let fails = info.policy.fails(f);
    let (kind, level) = match f.status {
        _ if fails => ("fail", "error"),
        // An open question about a draft or voluntary scheme is for review only.
        Status::NeedsInfo if f.rule.is_informational() => ("review", "note"),
        Status::InTransition | Status::NeedsInfo | Status::Upcoming => ("fail", "warning"),
        Status::Waived => match f.waiver.as_ref().map(|w| w.status_without) {
            Some(Status::Applies) => ("fail", "error"),
            _ => ("fail", "warning"),
        },
        Status::Applies => ("fail", "error"),
        Status::Met => ("pass", "none"),
        Status::Informational => ("informational", "none"),
        Status::NotApplicable => ("notApplicable", "none"),
    };
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
    let mut r = json!({
        "ruleId": f.rule.id,
        "ruleIndex": rule_index,
        "kind": kind,
        "level": level,
        "message": { "text": text },
        "properties": {
            "status": f.status,
            "product": name,
            "fails": fails,
        },
    });
    if let Some(loc) = location(&p.profile.origin, deciding_position(f, &p.profile)) {
        r["locations"] = json!([loc]);
    }
    if let Some(w) = f.waiver.as_ref().filter(|w| !w.expired) {
        r["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": format!(
                "{} (approved by {}, until {}; {})",
                w.justification, w.approver, w.expires, w.at
            ),
        }]);
    }
    r
}

/// A company finding, once for the run, located at the company file (on the
/// line of the fact that decided it) when there is one.
fn company_result(
    info: &RunInfo,
    c: &super::CompanyReport,
    f: &Finding,
    products: &[String],
    rule_index: usize,
) -> Value {
    let fails = info.policy.fails_company(f);
    let (kind, level) = match f.status {
        _ if fails => ("fail", "error"),
        Status::Applies | Status::InTransition | Status::Upcoming => ("fail", "warning"),
        Status::NeedsInfo => ("review", "note"),
        Status::Met | Status::Waived => ("pass", "none"),
        Status::Informational | Status::NotApplicable => ("informational", "none"),
    };
    let name = shorten(
        c.company.as_ref().map_or("company", |co| co.name.as_str()),
        crate::report::MAX_REPEATED,
    );
    let mut r = json!({
        "ruleId": f.rule.id,
        "ruleIndex": rule_index,
        "kind": kind,
        "level": level,
        "message": { "text": format!("{name} (company): {} — {} ({}).", f.rule.title, f.status, f.reason) },
        "properties": {
            "status": f.status,
            "section": "company",
            // A count, not the names: a catalogue of 10,000 products would
            // repeat every name in every company result.
            "products": products.len(),
            "fails": fails,
        },
    });
    if let Some(co) = &c.company {
        let at = co
            .position(super::deciding_path(f))
            .or_else(|| co.position("attributes"))
            .or(Some((1, 1)));
        if let Some(loc) = location(&co.origin, at) {
            r["locations"] = json!([loc]);
        }
    }
    r
}

/// A SARIF location for a profile, or none for standard input.
fn location(origin: &str, at: Option<(usize, usize)>) -> Option<Value> {
    if origin == "-" {
        return None;
    }
    let mut phys = json!({ "artifactLocation": { "uri": file_uri(origin) } });
    if let Some((line, col)) = at {
        phys["region"] = json!({ "startLine": line.max(1), "startColumn": col.max(1) });
    }
    Some(json!({ "physicalLocation": phys }))
}

/// A relative URI reference for a relative path (what code scanning wants),
/// a `file://` URI for an absolute one; reserved characters are
/// percent-encoded.
pub fn file_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
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

//! JUnit XML for test dashboards: one `<testsuite>` per product, one
//! `<testcase>` per rule that bears on it (every status but
//! not-applicable). A finding that fails the run under the exit policy is a
//! `<failure>`; other open findings (upcoming, needs-info, in-transition)
//! are `<skipped>` with the reason; met, waived and informational pass, with
//! the reason (a waiver's justification) in `<system-out>`. A profile that could not be
//! read is a suite with one `<error>` case.
//!
//! The shape follows the common JUnit schema (Jenkins/Ant: `testsuites` >
//! `testsuite` > `properties`, `testcase` > `failure|error|skipped`,
//! `system-out`), which dashboards and parsers accept.

use std::borrow::Cow;
use std::fmt::Write;
use std::io;
use std::sync::{Arc, OnceLock};

use crate::evaluate::{Finding, Status};
use crate::model::{Rule, RuleSet};

use super::stream::{self, Piece, ProductSummary, RunSummary, Spill};
use super::{ProductError, ProductReport, RunInfo};

/// A product's `<testsuite>`. `texts` is shared by every product of a run.
pub fn piece(info: &RunInfo, p: &ProductReport, texts: &RuleTexts, piece: &mut Piece) {
    let mut suites = String::new();
    let cases: Vec<&Finding> = p
        .findings
        .iter()
        .filter(|f| f.status != Status::NotApplicable)
        .collect();
    let fail = cases.iter().filter(|f| info.policy.fails(f)).count();
    let skip = cases
        .iter()
        .filter(|f| !info.policy.fails(f) && is_skipped(f.status))
        .count();
    let _ = writeln!(
        suites,
        r#"  <testsuite name="{}" tests="{}" failures="{fail}" errors="0" skipped="{skip}" timestamp="{}T00:00:00">"#,
        esc(&format!("{} ({})", p.profile.name, p.profile.origin)),
        cases.len(),
        info.as_of,
    );
    suites.push_str("    <properties>\n");
    let cat = &info.rules.vocabulary.categories[p.profile.category];
    for (k, v) in [
        ("profile", p.profile.origin.as_str()),
        ("category", cat.id.as_str()),
        ("as_of", &info.as_of.to_string()),
        ("fail_on", &info.policy.describe()),
    ] {
        let _ = writeln!(suites, r#"      <property name="{k}" value="{}"/>"#, esc(v));
    }
    suites.push_str("    </properties>\n");
    for f in cases {
        testcase(
            &mut suites,
            f,
            &texts.of(info.rules, f.rule),
            info.policy.fails(f),
        );
    }
    suites.push_str("  </testsuite>\n");
    piece.bytes = suites.into_bytes();
}

/// The counts open the document, so the suites are kept until the end,
/// in a [`Spill`] (a temporary file once they are large).
#[derive(Default)]
pub struct Writer {
    suites: Spill,
    tests: usize,
    failures: usize,
    skipped: usize,
}

impl stream::Writer for Writer {
    fn product(
        &mut self,
        _info: &RunInfo,
        s: &ProductSummary,
        piece: Piece,
        _w: &mut dyn io::Write,
    ) -> io::Result<()> {
        let open: usize = [
            Status::Applies,
            Status::InTransition,
            Status::NeedsInfo,
            Status::Upcoming,
        ]
        .iter()
        .map(|st| s.count(*st))
        .sum();
        self.tests += s.counts.iter().sum::<usize>() - s.count(Status::NotApplicable);
        self.failures += s.failing;
        self.skipped += open - s.failing;
        self.suites.write(&piece.bytes)
    }

    fn tail(
        &mut self,
        info: &RunInfo,
        _run: &RunSummary,
        errors: &[ProductError],
        w: &mut dyn io::Write,
    ) -> io::Result<()> {
        let mut suites = String::new();
        // The company's obligations: one suite for the run, failing only
        // with `--fail-on company`.
        if let Some(c) = info.company.filter(|c| !c.findings.is_empty()) {
            let fail = c.failing(info.policy);
            let skip = c
                .findings
                .iter()
                .filter(|(f, _)| !info.policy.fails_company(f) && is_skipped(f.status))
                .count();
            self.tests += c.findings.len();
            self.failures += fail;
            self.skipped += skip;
            let name = match &c.company {
                Some(co) => format!("company {} ({})", co.name, co.origin),
                None => "company (no company file)".to_string(),
            };
            let _ = writeln!(
                suites,
                r#"  <testsuite name="{}" tests="{}" failures="{fail}" errors="0" skipped="{skip}" timestamp="{}T00:00:00">"#,
                esc(&name),
                c.findings.len(),
                info.as_of,
            );
            for (f, _) in &c.findings {
                testcase(
                    &mut suites,
                    f,
                    &CaseText::of(f.rule),
                    info.policy.fails_company(f),
                );
            }
            suites.push_str("  </testsuite>\n");
        }
        for e in errors {
            let at = match e.line {
                Some(l) => format!("{}:{l}", e.origin),
                None => e.origin.clone(),
            };
            let _ = writeln!(
                suites,
                r#"  <testsuite name="{}" tests="1" failures="0" errors="1" skipped="0" timestamp="{}T00:00:00">"#,
                esc(&e.origin),
                info.as_of
            );
            let _ = writeln!(
                suites,
                r#"    <testcase name="profile" classname="cncomply.profile"><error message="{}" type="profile-error">{}</error></testcase>"#,
                esc(&e.message),
                esc(&format!("{at}: {}", e.message))
            );
            suites.push_str("  </testsuite>\n");
        }
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            r#"<testsuites name="cncomply" tests="{}" failures="{}" errors="{}" skipped="{}">"#,
            self.tests + errors.len(),
            self.failures,
            errors.len(),
            self.skipped
        );
        w.write_all(out.as_bytes())?;
        self.suites.copy_to(w)?;
        w.write_all(suites.as_bytes())?;
        w.write_all(b"</testsuites>\n")
    }
}

fn is_skipped(s: Status) -> bool {
    matches!(
        s,
        Status::Applies | Status::InTransition | Status::NeedsInfo | Status::Upcoming
    )
}

/// What a rule's test case says whatever the product, escaped: a JUnit
/// report of a catalogue writes each rule's case for many products, and
/// escaping was most of its time.
#[derive(Debug, Clone)]
pub struct CaseText {
    /// `<testcase name="ID: TITLE" classname="cncomply.TOPIC">`, indented.
    open: String,
    /// What a failure says after its reason: the citation and what to do,
    /// each on a line of its own.
    detail: String,
}

impl CaseText {
    fn of(r: &Rule) -> CaseText {
        let mut open = String::from(r#"    <testcase name=""#);
        esc_into(&mut open, &r.id);
        open.push_str(": ");
        esc_into(&mut open, &r.title);
        open.push_str(r#"" classname="cncomply."#);
        esc_into(&mut open, &r.topic);
        open.push_str(r#"">"#);
        let mut detail = String::new();
        for part in [super::text::citation(r), format!("To do: {}", r.obligation)] {
            detail.push_str("&#10;");
            esc_into(&mut detail, &part);
        }
        CaseText { open, detail }
    }
}

/// Every rule's [`CaseText`], made when the first product of a run is
/// rendered and shared by the threads that render the others.
#[derive(Debug, Clone, Default)]
pub struct RuleTexts(Arc<OnceLock<Vec<CaseText>>>);

impl RuleTexts {
    /// The texts of `rule`, one of `rules`.
    fn of<'t>(&'t self, rules: &RuleSet, rule: &Rule) -> Cow<'t, CaseText> {
        let all = self
            .0
            .get_or_init(|| rules.rules.iter().map(CaseText::of).collect());
        // A finding's rule is one of the run's; were it not, its texts are
        // made for it.
        match rules
            .index(&rule.id)
            .filter(|&i| std::ptr::eq(&rules.rules[i], rule))
        {
            Some(i) => Cow::Borrowed(&all[i]),
            None => Cow::Owned(CaseText::of(rule)),
        }
    }
}

fn testcase(out: &mut String, f: &Finding, text: &CaseText, fails: bool) {
    out.push_str(&text.open);
    if fails {
        let _ = write!(out, r#"<failure message="{}: "#, f.status);
        esc_into(out, &f.reason);
        let _ = write!(out, r#"" type="{}">"#, f.status);
        // Only a failure carries the citation and what to do: most findings
        // of a catalogue are not failures, and their detail was built for
        // nothing.
        esc_into(out, &f.reason);
        out.push_str(&text.detail);
        out.push_str("&#10;");
        esc_into(out, &f.explanation);
        out.push_str("</failure>");
    } else if is_skipped(f.status) {
        let _ = write!(out, r#"<skipped message="{}: "#, f.status);
        esc_into(out, &f.reason);
        out.push_str(r#""/>"#);
    } else {
        let _ = write!(out, "<system-out>{}: ", f.status);
        esc_into(out, &f.reason);
        out.push_str("</system-out>");
    }
    out.push_str("</testcase>\n");
}

/// Escapes text for XML attributes and content. Characters XML 1.0 cannot
/// carry at all (most C0 controls) are dropped rather than producing a file
/// a parser rejects.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    esc_into(&mut out, s);
    out
}

/// [`esc`], appended to `out`: runs that need no escaping are copied whole.
/// Scanned by byte: every character it replaces is ASCII but U+FFFE and
/// U+FFFF, whose UTF-8 starts with 0xEF. A JUnit report of a catalogue is
/// mostly escaped text, so the scan looks each byte up in [`SPECIAL`]
/// rather than testing it against every case.
pub(crate) fn esc_into(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut plain_from = 0;
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&b| SPECIAL[usize::from(b)]) {
        i += at;
        let (replacement, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            b'\n' => ("&#10;", 1),
            b'\t' | b'\r' => (" ", 1),
            b if b < 0x20 => ("", 1),
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => ("", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[plain_from..i]);
        out.push_str(replacement);
        i += len;
        plain_from = i;
    }
    out.push_str(&s[plain_from..]);
}

/// The bytes [`esc_into`] may replace: the C0 controls, `&<>"'`, and 0xEF
/// (which starts U+FFFE and U+FFFF, and other characters it keeps).
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[0xEF] = true;
    t
};

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn text_is_escaped_for_xml_and_what_xml_cannot_carry_is_dropped() {
        assert_eq!(
            esc("a & b <c> \"d\" 'e'\nf\tg\rh"),
            "a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;&#10;f g h"
        );
        assert_eq!(esc("x\u{1}\u{1b}[8my\u{FFFE}\u{FFFF}z"), "x[8myz");
        // Other characters, and those sharing U+FFFE's first byte, stay.
        assert_eq!(esc("国标 GB\u{FFFD}\u{FFEE}é"), "国标 GB\u{FFFD}\u{FFEE}é");
    }
}

//! Snippets too long to show. miette prints a snippet's lines whole, and
//! a label past column 65,535 makes it panic (a format width out of
//! range): a rule file with a 3 MB line of unknown names gave 21 MB of
//! log, then exit 101. Every diagnostic is rendered through [`Shown`],
//! which drops the snippet of any diagnostic whose labelled lines (or the
//! line either side) exceed [`MAX_SNIPPET_LINE`] bytes and names the place
//! in the message instead.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, SourceCode};

use crate::position::MAX_SNIPPET_LINE;

/// A diagnostic as it is shown: itself, or without its snippet.
pub struct Shown<'a> {
    inner: &'a dyn Diagnostic,
    /// `FILE:LINE:COL` of the first label when the snippet is dropped.
    dropped_at: Option<String>,
    related: Vec<Shown<'a>>,
    source: Option<Box<Shown<'a>>>,
}

impl<'a> Shown<'a> {
    pub fn new(inner: &'a dyn Diagnostic) -> Shown<'a> {
        Shown {
            inner,
            dropped_at: too_long_at(inner),
            related: inner
                .related()
                .map(|r| r.map(Shown::new).collect())
                .unwrap_or_default(),
            source: inner.diagnostic_source().map(|s| Box::new(Shown::new(s))),
        }
    }
}

/// Where the first label is, when some label's snippet has a line too
/// long to show.
fn too_long_at(d: &dyn Diagnostic) -> Option<String> {
    let source = d.source_code()?;
    let labels: Vec<LabeledSpan> = d.labels()?.collect();
    let too_long = labels.iter().any(|l| {
        source.read_span(l.inner(), 1, 1).is_ok_and(|c| {
            c.data()
                .split(|&b| b == b'\n')
                .any(|line| line.len() > MAX_SNIPPET_LINE)
        })
    });
    if !too_long {
        return None;
    }
    let first = labels.first()?;
    Some(place(source, first))
}

/// `FILE:LINE:COL` (1-based) of a label.
fn place(source: &dyn SourceCode, label: &LabeledSpan) -> String {
    // With no context lines, the contents start at the label itself.
    match source.read_span(label.inner(), 0, 0) {
        Ok(at) => format!(
            "{}:{}:{}",
            at.name().unwrap_or("input"),
            at.line() + 1,
            at.column() + 1
        ),
        Err(_) => "an unreadable place".into(),
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)?;
        match &self.dropped_at {
            Some(at) => write!(
                f,
                " (at {at}; the line is over {MAX_SNIPPET_LINE} bytes, so it is not shown)"
            ),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Shown<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}

impl Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        match self.dropped_at {
            Some(_) => None,
            None => self.inner.source_code(),
        }
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        match self.dropped_at {
            Some(_) => None,
            None => self.inner.labels(),
        }
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.source.as_deref().map(|s| s as &dyn Diagnostic)
    }
}

use miette::{Diagnostic, NamedSource, SourceSpan};

/// A waivers file that cannot be used. Always fatal: a waiver silently
/// ignored would turn a pipeline red (or a typo would hide nothing), so the
/// run stops before any profile is checked.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{origin}{}: {message}", match line { Some(l) => format!(":{l}"), None => String::new() })]
#[diagnostic(code(cncomply::waivers))]
pub struct WaiverError {
    pub origin: String,
    pub message: String,
    pub line: Option<usize>,
    #[source_code]
    pub src: Option<NamedSource<String>>,
    #[label("here")]
    pub span: Option<SourceSpan>,
    #[help]
    pub help: Option<String>,
}

impl WaiverError {
    /// `at` is (document text, 1-based line, 1-based column) when known.
    pub fn new(
        origin: &str,
        at: Option<(&str, usize, usize)>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Self {
        let (src, span, line) = match at {
            Some((text, line, col)) if !text.is_empty() => {
                let offset = crate::position::offset_of(text, line, col);
                // serde_yaml places an error at the end of the text on the
                // line after it when the text has no final line feed; the
                // heading names the line the snippet shows.
                let line = crate::position::line_col(text, offset).0;
                let len = text[offset..]
                    .find('\n')
                    .unwrap_or(text.len() - offset)
                    .max(1)
                    .min(text.len() - offset);
                // The heading still names the line when it is too long to
                // show.
                let shown = crate::position::snippet_fits(text, offset);
                (
                    shown.then(|| NamedSource::new(origin, text.to_string())),
                    shown.then(|| (offset, len).into()),
                    Some(line),
                )
            }
            _ => (None, None, None),
        };
        WaiverError {
            origin: origin.to_string(),
            message: crate::safe_text::quoted_short(message.into()),
            line,
            src,
            span,
            help,
        }
    }
}

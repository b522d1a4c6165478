use miette::{Diagnostic, NamedSource, SourceSpan};

use crate::syntax::SyntaxError;

/// A rule file whose shape is right but whose meaning is not: an unknown
/// name, an impossible date, a missing clause, a duplicate id.
#[derive(Debug, Clone, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(cncomply::rules))]
pub struct ModelError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// One problem in one rule file.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Problem {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(Box<SyntaxError>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Model(Box<ModelError>),
}

impl Problem {
    /// (file, line, column, message) for machine-readable output.
    pub fn position(&self) -> (String, usize, usize, String) {
        match self {
            Problem::Syntax(e) => (
                e.src.name().to_string(),
                e.line,
                e.column,
                e.message.clone(),
            ),
            Problem::Model(e) => (e.file.clone(), e.line, e.column, e.message.clone()),
        }
    }
}

/// The rule library could not be loaded; every problem found is listed.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("the rule files have {} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" })]
#[diagnostic(
    code(cncomply::rules::invalid),
    help("fix the problems above; nothing was evaluated")
)]
pub struct LoadError {
    #[related]
    pub problems: Vec<Problem>,
}

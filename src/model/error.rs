use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};

use crate::syntax::SyntaxError;

/// A rule file whose shape is right but whose meaning is not: an unknown
/// name, an impossible date, a missing clause, a duplicate id.
#[derive(Debug, Clone, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(cncomply::rules))]
pub struct ModelError {
    pub message: String,
    /// Shared by every error in the file: a hostile file with thousands of
    /// errors must not hold thousands of copies of itself.
    #[source_code]
    pub src: NamedSource<Arc<str>>,
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

/// At most this many problems are kept and shown; the rest are counted. A
/// hostile or badly broken file could otherwise yield a million messages,
/// each rendered with a snippet.
pub const MAX_PROBLEMS: usize = 200;

/// The rule library could not be loaded; every problem found is listed (up
/// to [`MAX_PROBLEMS`], with the number left out).
#[derive(Debug, Diagnostic)]
#[diagnostic(code(cncomply::rules::invalid))]
pub struct LoadError {
    #[related]
    pub problems: Vec<Problem>,
    /// Problems found beyond [`MAX_PROBLEMS`], not kept.
    pub omitted: usize,
    #[help]
    pub help: String,
}

impl LoadError {
    pub fn new(problems: Vec<Problem>, omitted: usize) -> LoadError {
        let help = if omitted == 0 {
            "fix the problems above; nothing was evaluated".to_string()
        } else {
            format!(
                "the first {} are shown; fix them and load again; nothing was evaluated",
                problems.len()
            )
        };
        LoadError {
            problems,
            omitted,
            help,
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.problems.len() + self.omitted;
        write!(
            f,
            "the rule files have {n} problem{}",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for LoadError {}

use miette::{Diagnostic, NamedSource, SourceSpan};
use pest::error::{ErrorVariant, InputLocation};

use super::Rule;

/// A rule file that does not have the shape the grammar describes.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(cncomply::syntax))]
pub struct SyntaxError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
    /// 1-based line and column, for machine-readable output.
    pub line: usize,
    pub column: usize,
}

impl SyntaxError {
    pub(crate) fn at(
        name: &str,
        text: &str,
        offset: usize,
        message: String,
        help: Option<String>,
    ) -> Self {
        let (line, column) = crate::model::line_col(text, offset);
        SyntaxError {
            label: message.clone(),
            message,
            src: NamedSource::new(name, text.to_string()),
            span: (offset, 1).into(),
            help,
            line,
            column,
        }
    }

    pub(crate) fn from_pest(name: &str, text: &str, err: pest::error::Error<Rule>) -> Self {
        let offset = match err.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
        let (line, column) = match err.line_col {
            pest::error::LineColLocation::Pos(lc) => lc,
            pest::error::LineColLocation::Span(lc, _) => lc,
        };
        let found = describe_found(text, offset);
        let (message, label, mut help) = match &err.variant {
            ErrorVariant::ParsingError { positives, .. } => {
                let expected = expected_list(positives);
                (
                    format!("expected {expected}, found {found}"),
                    format!("expected {expected}"),
                    None,
                )
            }
            ErrorVariant::CustomError { message } => (message.clone(), message.clone(), None),
        };
        if let Some(h) = unterminated_string_help(text, offset) {
            help = Some(h);
        } else if found == "end of file" {
            help = Some("every `rule` block must be closed with `end`".to_string());
        } else if let Some(h) = keyword_help(text, offset) {
            help = Some(h);
        }
        if help.is_none() {
            help = Some(
                "rules/README.md shows every construct of the rule language by example".to_string(),
            );
        }
        let len = text[offset..]
            .chars()
            .next()
            .map(|c| c.len_utf8())
            .unwrap_or(0);
        SyntaxError {
            message,
            src: NamedSource::new(name, text.to_string()),
            span: (offset, len).into(),
            label,
            help,
            line,
            column,
        }
    }
}

const KEYWORDS: &[&str] = &[
    "rule",
    "topic",
    "category",
    "attribute",
    "evidence",
    "title",
    "instrument",
    "standards",
    "authority",
    "status",
    "mandatory",
    "voluntary",
    "source",
    "section",
    "published",
    "effective",
    "transition",
    "repealed",
    "superseded",
    "formerly",
    "applies",
    "except",
    "obligation",
    "met",
    "explain",
    "end",
    "because",
    "when",
    "under",
    "also",
];

/// A misspelt keyword ("titel") is the commonest slip: name the right one.
fn keyword_help(text: &str, offset: usize) -> Option<String> {
    let word: String = text[offset..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    if word.is_empty() || KEYWORDS.contains(&word.as_str()) {
        return None;
    }
    crate::suggest::did_you_mean(&word, KEYWORDS.iter().copied())
}

fn describe_found(text: &str, offset: usize) -> String {
    let rest = &text[offset..];
    if rest.is_empty() {
        return "end of file".to_string();
    }
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(24)
        .collect();
    if word.is_empty() {
        "a line break".to_string()
    } else {
        format!("`{word}`")
    }
}

/// If the line holding `offset` has an odd number of unescaped quotes, the
/// real problem is almost always a string that was never closed.
fn unterminated_string_help(text: &str, offset: usize) -> Option<String> {
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[offset..]
        .find('\n')
        .map(|i| offset + i)
        .unwrap_or(text.len());
    let line = &text[line_start..line_end];
    let mut quotes = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => quotes += 1,
            _ => {}
        }
        escaped = false;
    }
    (quotes % 2 == 1).then(|| {
        "a text in double quotes must end on the same line: add the closing `\"`".to_string()
    })
}

fn expected_list(positives: &[Rule]) -> String {
    let mut words: Vec<&str> = positives.iter().map(|r| rule_name(*r)).collect();
    words.sort();
    words.dedup();
    match words.len() {
        0 => "something else".to_string(),
        1 => words[0].to_string(),
        _ => {
            let last = words.pop().unwrap();
            format!("{} or {}", words.join(", "), last)
        }
    }
}

/// Grammar rule names in the words a consultant uses.
fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of file",
        Rule::topic_decl
        | Rule::category_decl
        | Rule::attribute_decl
        | Rule::evidence_decl
        | Rule::rule_decl => {
            "a declaration (`rule`, `topic`, `category`, `attribute` or `evidence`)"
        }
        Rule::ident | Rule::path => "a name",
        Rule::string | Rule::string_inner => "a text in double quotes",
        Rule::date => "a date (YYYY-MM-DD)",
        Rule::number | Rule::number_with_unit | Rule::integer => "a number",
        Rule::unit => "a unit",
        Rule::value => "a value (text, number, date, yes/no or a name)",
        Rule::list => "a list in [ ]",
        Rule::value_type
        | Rule::number_type
        | Rule::yes_no_type
        | Rule::date_type
        | Rule::list_type
        | Rule::text_type
        | Rule::choice_type => {
            "a type (`a number`, `yes/no`, `a date`, `text`, `a list` or `one of [...]`)"
        }
        Rule::evidence_kind => "`certificate`, `label` or `filing`",
        Rule::level_kind | Rule::grade_kw | Rule::tier_kw => "`with grade` or `with tier`",
        Rule::level_cmp | Rule::at_least_kw | Rule::at_most_kw => "`at least` or `at most`",
        Rule::title_clause
        | Rule::topic_clause
        | Rule::instrument_clause
        | Rule::standards_clause
        | Rule::authority_clause
        | Rule::status_clause
        | Rule::binding_clause
        | Rule::binds_clause
        | Rule::mandatory_kw
        | Rule::voluntary_kw
        | Rule::source_clause
        | Rule::published_clause
        | Rule::effective_clause
        | Rule::transition_clause
        | Rule::repealed_clause
        | Rule::superseded_clause
        | Rule::formerly_clause
        | Rule::applies_clause
        | Rule::except_clause
        | Rule::obligation_clause
        | Rule::met_clause
        | Rule::explain_clause => "a rule clause (`title`, `topic`, `applies when`, … or `end`)",
        Rule::case => "`for \"case\"`",
        Rule::condition | Rule::conjunction | Rule::negation | Rule::comparison => "a condition",
        Rule::not_kw => "`not`",
        Rule::holds => "`holds`",
        Rule::is_given
        | Rule::is_missing
        | Rule::is_one_of
        | Rule::is_not_one_of
        | Rule::is_between
        | Rule::is_above
        | Rule::is_below
        | Rule::is_at_least
        | Rule::is_at_most
        | Rule::is_before
        | Rule::is_after
        | Rule::is_on_or_before
        | Rule::is_on_or_after
        | Rule::contains
        | Rule::does_not_contain
        | Rule::is_not
        | Rule::is => "a test (`is`, `is above`, `is one of`, `contains`, `is given`, …)",
        Rule::evidence_expr | Rule::evidence_all | Rule::evidence_ref => {
            "evidence (`certificate X`, `label X`, `filing X`)"
        }
        Rule::level_req => "`with grade/tier at least/at most N`",
        Rule::standard_req => "`to standard \"…\"`",
        Rule::impl_rule_req => "`under implementation rule \"…\"`",
        Rule::documents_req => "`with documents [\u{2026}]`",
        Rule::parent => "`under`",
        Rule::aliases => "`also called`",
        Rule::yes | Rule::no => "yes or no",
        Rule::file => "a rule file",
        // Silent rules never appear in errors; the wildcard keeps this
        // exhaustive as the grammar grows.
        _ => "something else",
    }
}

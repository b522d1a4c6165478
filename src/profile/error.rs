use miette::{Diagnostic, NamedSource, SourceSpan};

/// A profile that cannot be checked: broken YAML, a wrong type, an unknown
/// attribute or category, an impossible date.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{origin}{}: {message}", match line { Some(l) => format!(":{l}"), None => String::new() })]
#[diagnostic(code(cncomply::profile))]
pub struct ProfileError {
    pub origin: String,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The profile path the problem is at, e.g. `attributes.rated_power_w`.
    pub path: Option<String>,
    #[source_code]
    pub src: Option<NamedSource<String>>,
    #[label("here")]
    pub span: Option<SourceSpan>,
    #[help]
    pub help: Option<String>,
    /// The profile's other problems, found in the same reading.
    #[related]
    pub related: Vec<ProfileError>,
}

impl ProfileError {
    /// This problem and the others found with it, in order.
    pub fn all(&self) -> impl Iterator<Item = &ProfileError> {
        std::iter::once(self).chain(self.related.iter())
    }

    /// `at` is (document text, 1-based line, 1-based column) when known.
    pub fn new(
        origin: &str,
        at: Option<(&str, usize, usize)>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Self {
        let (src, span, line, column) = match at {
            Some((text, line, col)) => {
                // A position past the last line names the last character
                // instead, as the snippet shows it (found by fuzzing:
                // `name: !Msa` with no final line feed was on line 2 of 1).
                let (line, col) = within(text, line, col);
                let offset = crate::position::offset_of(text, line, col);
                // At least the whole first character: a span must not end
                // inside one.
                let first = text[offset..].chars().next().map_or(1, char::len_utf8);
                let len = text[offset..]
                    .find(['\n', ':'])
                    .unwrap_or(0)
                    .max(first)
                    .min(text.len() - offset);
                // The heading still names the line when it is too long to
                // show.
                let shown = crate::position::snippet_fits(text, offset);
                (
                    shown.then(|| NamedSource::new(origin, text.to_string())),
                    shown.then(|| (offset, len).into()),
                    Some(line),
                    Some(col),
                )
            }
            None => (None, None, None, None),
        };
        ProfileError {
            origin: origin.to_string(),
            message: crate::safe_text::quoted_short(message.into()),
            line,
            column,
            path: None,
            src,
            span,
            help,
            related: Vec::new(),
        }
    }

    pub fn with_path(mut self, path: &str) -> Self {
        if !path.is_empty() {
            self.path = Some(path.to_string());
        }
        self
    }

    pub(crate) fn from_yaml(origin: &str, text: &str, e: &serde_yaml::Error) -> Self {
        let message = clean(&e.to_string());
        let at = e.location().map(|l| {
            let (line, column) = within(text, l.line(), l.column());
            (text, line, column)
        });
        let help = if let Some(help) = unknown_field_help(&message) {
            Some(help)
        } else if message.contains("recursion limit") {
            Some("the document nests too deeply to be a product profile".to_string())
        } else if message.contains("is out of range") {
            Some(
                "the number is out of range; numbers must be finite, at most about 1.8e308"
                    .to_string(),
            )
        } else if message.contains("repetition limit") {
            Some("the document expands aliases too often to be a product profile".to_string())
        } else {
            None
        };
        let mut err = ProfileError::new(origin, at, message, help);
        if at.is_none() {
            err.line = None;
        }
        err
    }
}

/// serde lists the keys allowed where an unknown one was written ("unknown
/// field `catgory`, expected one of `name`, `category`, …"); suggest the
/// closest, or list them.
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.split_once("unknown field `")?.1;
    let (field, expected) = rest.split_once('`')?;
    let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    if allowed.is_empty() {
        return None;
    }
    Some(
        crate::suggest::did_you_mean(field, allowed.iter().copied())
            .unwrap_or_else(|| format!("allowed here: {}", allowed.join(", "))),
    )
}

/// serde's messages name Rust types and repeat the position; keep the words.
fn clean(msg: &str) -> String {
    let msg = match msg.find(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    // A document that is not a mapping at all: say what a profile is.
    if let Some(found) = msg
        .strip_prefix("invalid type: ")
        .and_then(|m| m.strip_suffix(", expected struct RawProfile"))
    {
        let found = match found.split_whitespace().next() {
            Some("sequence") => "a list",
            Some("string") => "a text",
            Some("unit") => "nothing",
            Some("integer" | "floating") => "a number",
            Some("boolean") => "yes/no",
            _ => found,
        };
        return format!(
            "a profile is a mapping of keys (`category: …`, `attributes: …`), found {found}"
        );
    }
    // serde_yaml reads an integer past 64 bits as a 128-bit one and then
    // complains that it is one: say what it means.
    if let Some(rest) = msg.split_once("invalid type: integer `") {
        if let Some((number, _)) = rest.1.split_once('`') {
            if rest.1.contains(" as u128") || rest.1.contains(" as i128") {
                return format!("{}the number {number} is out of range", rest.0);
            }
        }
    }
    msg.replace("RawProfile", "profile")
        .replace("RawItem", "evidence item")
        .replace("RawEvidence", "evidence")
        .replace("invalid type: ", "wrong type: ")
}

/// libyaml places some errors at end of input on the line after the last
/// one (found by fuzzing: "line 7" of a 6-line file): name the last character
/// of the last line instead, as the snippet shows it.
fn within(text: &str, line: usize, column: usize) -> (usize, usize) {
    let lines = text.split('\n').count();
    if line <= lines {
        return (line, column);
    }
    let last = text.rsplit('\n').next().unwrap_or("");
    (lines, last.trim_end_matches('\r').chars().count().max(1))
}

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use miette::Diagnostic;
use serde_yaml::Value;

use crate::library;
use crate::model::{AttrType, Fact, RuleSet};
use crate::profile::company::Company;
use crate::profile::{Locator, Profile, ProfileError, MAX_PROFILE_BYTES};
use crate::questionnaire::{
    company_questions, evidence_questions, open_questions, parse_answer, render, render_company,
    Answers, EvidenceQuestion, Expect, Question,
};
use crate::suggest::did_you_mean;
use crate::syntax::ast::EvidenceKind;

use super::{AsOfOpt, Outcome, RulesOpt};

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The product category (an id or alias, see `cncomply categories`); asked first if left out.
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// Answer from this YAML map (attribute: value, plus optional name, category, made_in,
    /// sold_in, placed_on_market) instead of asking.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Write the profile to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the --output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Also ask the questions that only informational rules (drafts, voluntary schemes,
    /// advisory notes) need, without asking first.
    #[arg(long)]
    pub include_informational: bool,
    /// Write the company file instead (company.yaml: the facts company rules read, such as
    /// data processing, CIIO status and listing plans); product questions are not asked.
    #[arg(long, conflicts_with = "category")]
    pub company: bool,
    #[command(flatten)]
    pub as_of: AsOfOpt,
    #[command(flatten)]
    pub rules: RulesOpt,
}

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum InitError {
    #[error("unknown category \"{input}\"")]
    #[diagnostic(code(cncomply::init::category))]
    UnknownCategory {
        input: String,
        #[help]
        help: String,
    },
    #[error("no category given")]
    #[diagnostic(
        code(cncomply::init::category),
        help("pass --category (see `cncomply categories`) or put `category:` in the answers file")
    )]
    NoCategory,
    #[error("{} already exists", path.display())]
    #[diagnostic(
        code(cncomply::init::exists),
        help("pass --force to replace it, or choose another file with -o")
    )]
    Exists { path: PathBuf },
    #[error("{} is a symbolic link; init never writes through one", path.display())]
    #[diagnostic(
        code(cncomply::init::link),
        help("a link could point at any file this user may write: remove it, or choose another file with -o")
    )]
    Link { path: PathBuf },
    #[error("cannot write {}: {source}", path.display())]
    #[diagnostic(code(cncomply::init::io))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the answers file {}: {message}", path.display())]
    #[diagnostic(
        code(cncomply::init::answers),
        help("--answers takes a YAML map, e.g. `rated_voltage_ac_v: 230`")
    )]
    Answers { path: PathBuf, message: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Answer(#[from] ProfileError),
}

pub fn run(args: InitArgs) -> miette::Result<Outcome> {
    let (rules, _) = library::load(&args.rules.rules)?;
    let as_of = args.as_of.date();
    // Refuse before asking anything, so no answers are typed in vain.
    if let Some(out) = &args.output {
        if super::output::link_refused(out).is_some() {
            return Err(InitError::Link { path: out.clone() }.into());
        }
        if out.exists() && !args.force {
            return Err(InitError::Exists { path: out.clone() }.into());
        }
    }
    let answers_file = args.answers.as_deref().map(read_answers).transpose()?;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut prompt = std::io::stderr();

    let category_input = args.category.clone().or_else(|| {
        answers_file
            .as_ref()
            .and_then(|(_, map)| map.get("category"))
            .and_then(|v| v.as_str().map(str::to_string))
    });
    if args.company {
        return company(
            &rules,
            &args,
            answers_file.as_ref(),
            &mut input,
            &mut prompt,
        );
    }
    let category = match category_input {
        Some(c) => resolve_category(&rules, &c)?,
        None if answers_file.is_some() => return Err(InitError::NoCategory.into()),
        None => ask_category(&rules, &mut input, &mut prompt)?,
    };
    let mut answers = Answers::new(&category);

    match &answers_file {
        Some((source, map)) => apply_answers(&rules, &mut answers, source, map)?,
        None => interview(
            &rules,
            &mut answers,
            as_of,
            args.include_informational,
            &mut input,
            &mut prompt,
        ),
    }

    // Everything not answered, including skipped questions, is listed in
    // the file so the reader knows what to add.
    let mut unanswered = answers.clone();
    unanswered.skipped.clear();
    let open = open_questions(&rules, &unanswered, as_of);
    let cat = rules
        .vocabulary
        .category_by_id(&category)
        .map(|c| rules.vocabulary.categories[c].name.clone())
        .unwrap_or_default();
    let header = format!(
        "Product profile ({cat}), written by `cncomply init` with the rules as of {as_of}.\n\
         Check it with `cncomply check FILE`; the format is in README.md and `cncomply schema`."
    );
    let text = render(&rules, &answers, &open, &header)?;
    // What `init` writes must be what `check` reads.
    let origin = args
        .output
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "<stdout>".into());
    Profile::from_yaml(&origin, &text, &rules.vocabulary).map_err(|e| {
        miette::miette!(
            "internal error: the profile written does not load ({}); please report it",
            e.message
        )
    })?;

    match &args.output {
        Some(path) => {
            write_new(path, &text, args.force)?;
            let _ = writeln!(
                prompt,
                "wrote {}; check it with `cncomply check {}`",
                path.display(),
                path.display()
            );
        }
        None => super::output::print(&text)?,
    }
    if !open.is_empty() {
        let _ = writeln!(
            prompt,
            "{} fact(s) not answered: {}",
            open.len(),
            open.iter()
                .map(|q| q.fact.name().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(Outcome::Clean)
}

fn resolve_category(rules: &RuleSet, input: &str) -> Result<String, InitError> {
    let v = &rules.vocabulary;
    match v.resolve_category(input) {
        Some(c) => Ok(v.categories[c].id.to_string()),
        None => Err(InitError::UnknownCategory {
            input: input.to_string(),
            help: crate::profile::category_hint::unknown_category_help(v, input),
        }),
    }
}

fn ask_category(
    rules: &RuleSet,
    input: &mut dyn BufRead,
    prompt: &mut dyn Write,
) -> Result<String, InitError> {
    loop {
        let _ = write!(
            prompt,
            "Product category (an id or alias; `cncomply categories` lists them)\n> "
        );
        let _ = prompt.flush();
        let Some(line) = read_line(input) else {
            return Err(InitError::NoCategory);
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match resolve_category(rules, line) {
            Ok(id) => return Ok(id),
            Err(InitError::UnknownCategory { input, help }) => {
                let _ = writeln!(prompt, "  unknown category \"{input}\": {help}");
            }
            Err(e) => return Err(e),
        }
    }
}

/// Asks the open questions one at a time, re-evaluating after each answer so
/// a question that no longer matters is not asked. Mandatory rules' questions
/// come first; informational ones only if wanted. End of input leaves the
/// rest unknown.
/// `init --company`: the company facts, asked (or read from --answers) once,
/// written as a company file.
fn company(
    rules: &RuleSet,
    args: &InitArgs,
    answers_file: Option<&(ProfileSource, serde_yaml::Mapping)>,
    input: &mut dyn BufRead,
    prompt: &mut dyn Write,
) -> miette::Result<Outcome> {
    // The answers are checked as a profile's attributes; any category will
    // do, it is not written.
    let Some(any) = rules.vocabulary.categories.first() else {
        return Err(InitError::NoCategory.into());
    };
    let mut answers = Answers::new(&any.id);
    let company_attributes = rules.company_attributes();
    match answers_file {
        Some((source, map)) => {
            for key in map.keys().filter_map(|k| k.as_str()) {
                if key != "name" && !company_attributes.contains(key) {
                    let help = crate::suggest::did_you_mean(
                        key,
                        company_attributes.iter().map(|s| s.as_str()),
                    )
                    .unwrap_or_else(|| {
                        "a company file holds only company facts (see README, \"The company file\")"
                            .into()
                    });
                    return Err(InitError::Answer(source.error(
                        key,
                        format!("`{key}` is not a company fact"),
                        Some(help),
                    ))
                    .into());
                }
            }
            apply_answers(rules, &mut answers, source, map)?;
        }
        None => {
            let _ = writeln!(
                prompt,
                "Company facts: stated once for all products. Press Enter to skip one."
            );
            let mut asked = 0;
            while let Some(q) = company_questions(rules, &answers).into_iter().next() {
                asked += 1;
                if !ask(rules, &mut answers, &q, asked, input, prompt) {
                    break;
                }
            }
        }
    }
    let mut unanswered = answers.clone();
    unanswered.skipped.clear();
    let open = company_questions(rules, &unanswered);
    let header = "Company file, written by `cncomply init --company`: the facts company rules read.\n\
         Put it next to the product profiles as company.yaml, or pass it with `cncomply check --company FILE`.";
    let text = render_company(rules, &answers, &open, header)?;
    let origin = args
        .output
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "<stdout>".into());
    Company::from_yaml(&origin, &text, &rules.vocabulary, &company_attributes).map_err(|e| {
        miette::miette!(
            "internal error: the company file written does not load ({}); please report it",
            e.message
        )
    })?;
    match &args.output {
        Some(path) => write_new(path, &text, args.force)?,
        None => super::output::print(&text)?,
    }
    Ok(Outcome::Clean)
}

fn interview(
    rules: &RuleSet,
    answers: &mut Answers,
    as_of: chrono::NaiveDate,
    include_informational: bool,
    input: &mut dyn BufRead,
    prompt: &mut dyn Write,
) {
    let _ = writeln!(
        prompt,
        "Only questions whose answer can change an obligation are asked.\n\
         Press Enter to skip one (the fact stays unknown); answer `none` if the product has no such value.\n\
         (In the profile: Leave an attribute out when it is not known; write `~` (null) when the product has none (answer `none` when `init` asks).)"
    );
    let mut informational_ok = include_informational;
    let mut asked = 0;
    let mut evidence_done = false;
    loop {
        let open = open_questions(rules, answers, as_of);
        // The deciding facts first; then the evidence the product holds for
        // the obligations they left open; then the optional questions.
        if !evidence_done && open.first().is_none_or(|q| !q.mandatory) {
            evidence_done = true;
            while let Some(q) = evidence_questions(rules, answers, as_of).into_iter().next() {
                asked += 1;
                if !ask_evidence(rules, answers, &q, asked, input, prompt) {
                    return;
                }
            }
            if !ask_name(rules, answers, input, prompt) {
                return;
            }
            continue;
        }
        let Some(q) = open.first() else { break };
        if !q.mandatory && !informational_ok {
            let _ = write!(
                prompt,
                "\n{} more question(s) matter only for informational rules (drafts, voluntary schemes, advisory notes).\nAnswer them too? [y/N] ",
                open.len()
            );
            let _ = prompt.flush();
            match read_line(input) {
                Some(l) if matches!(l.trim().to_lowercase().as_str(), "y" | "yes") => {
                    informational_ok = true
                }
                Some(_) => break,
                None => {
                    let _ = writeln!(prompt);
                    break;
                }
            }
        }
        asked += 1;
        if !ask(rules, answers, q, asked, input, prompt) {
            break;
        }
    }
}

/// The product's name, once what decides its obligations is known: the
/// reports head each product with it. Enter leaves it out (the report then
/// names the product by its file). False at end of input.
fn ask_name(
    rules: &RuleSet,
    answers: &mut Answers,
    input: &mut dyn BufRead,
    prompt: &mut dyn Write,
) -> bool {
    let _ = write!(
        prompt,
        "\nProduct name, as on its label or data sheet (Enter to leave it out)\n> "
    );
    let _ = prompt.flush();
    let Some(line) = read_line(input) else {
        let _ = writeln!(prompt);
        return false;
    };
    let name = line.trim();
    if !name.is_empty() {
        // Any text is a valid name; `set` checks it as the profile loader does.
        let _ = answers.set(rules, "name", Value::String(name.to_string()));
    }
    true
}

/// Asks one question until the answer is valid or skipped. False at end of
/// input.
fn ask(
    rules: &RuleSet,
    answers: &mut Answers,
    q: &Question,
    number: usize,
    input: &mut dyn BufRead,
    prompt: &mut dyn Write,
) -> bool {
    let _ = writeln!(prompt, "\n({number}) {} — {}", q.fact.path(), q.meaning);
    let _ = writeln!(
        prompt,
        "    {} · needed by {}{}",
        q.expect.describe(),
        q.rules.join(", "),
        if q.mandatory { "" } else { " (informational)" }
    );
    if let Expect::Attribute(AttrType::Choice(choices)) = &q.expect {
        let numbered: Vec<String> = choices
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{}) {c}", i + 1))
            .collect();
        let _ = writeln!(prompt, "    {}", numbered.join("   "));
    }
    loop {
        let _ = write!(prompt, "> ");
        let _ = prompt.flush();
        let Some(line) = read_line(input) else {
            let _ = writeln!(prompt);
            return false;
        };
        let Some(value) = parse_answer(&q.expect, &line) else {
            answers.skipped.insert(q.fact.clone());
            return true;
        };
        match answers.set(rules, q.fact.name(), value) {
            Ok(()) => return true,
            Err(e) => {
                let help = e.help.map(|h| format!(" ({h})")).unwrap_or_default();
                let _ = writeln!(
                    prompt,
                    "  {}{help}; try again or press Enter to skip",
                    e.message
                );
            }
        }
    }
}

/// Asks whether the product holds a certificate, label or filing, and its
/// details. False at end of input.
fn ask_evidence(
    rules: &RuleSet,
    answers: &mut Answers,
    q: &EvidenceQuestion,
    number: usize,
    input: &mut dyn BufRead,
    prompt: &mut dyn Write,
) -> bool {
    let kind = q.kind.as_str();
    let _ = writeln!(
        prompt,
        "\n({number}) evidence.{} — does the product hold {kind} {}?\n    needed by {}",
        q.list(),
        q.scheme,
        q.rules.join(", ")
    );
    let mut field = |label: &str| -> Option<Option<String>> {
        let _ = write!(prompt, "    {label}: ");
        let _ = prompt.flush();
        read_line(input).map(|l| Some(l.trim().to_string()).filter(|l| !l.is_empty()))
    };
    let id_label = if q.kind == EvidenceKind::Filing {
        "reference"
    } else {
        "number"
    };
    let asked = if q.kind == EvidenceKind::Label {
        "does it carry the label? yes (Enter: no)".to_string()
    } else {
        format!("its {id_label} (Enter: the product holds none)")
    };
    let Some(id) = field(&asked) else {
        return false;
    };
    let id = id.filter(|v| {
        q.kind != EvidenceKind::Label || matches!(v.to_lowercase().as_str(), "y" | "yes")
    });
    let Some(id) = id else {
        answers
            .skipped_evidence
            .insert((q.list().to_string(), q.scheme.clone()));
        return true;
    };
    let mut item = serde_yaml::Mapping::new();
    item.insert("scheme".into(), q.scheme.clone().into());
    if q.kind != EvidenceKind::Label {
        item.insert(id_label.into(), id.into());
    }
    let extra: Vec<(&str, &str)> = match q.kind {
        EvidenceKind::Certificate => vec![
            ("valid_until", "valid until (YYYY-MM-DD, Enter: not stated)"),
            (
                "standards",
                "standards it is to, comma-separated (Enter: none stated)",
            ),
        ],
        EvidenceKind::Label => match q.level {
            Some(l) => vec![(l.as_str(), "the grade or tier on the label (a number)")],
            None => vec![],
        },
        EvidenceKind::Filing => vec![("date", "date filed (YYYY-MM-DD, Enter: not stated)")],
    };
    for (key, label) in extra {
        let Some(v) = field(label) else { return false };
        if let Some(v) = v {
            let value = match key {
                "standards" => serde_yaml::Value::Sequence(
                    v.split(',').map(|s| s.trim().to_string().into()).collect(),
                ),
                "grade" | "tier" => v
                    .parse::<u32>()
                    .map(|n| serde_yaml::Value::Number(n.into()))
                    .unwrap_or_else(|_| v.clone().into()),
                _ => v.into(),
            };
            item.insert(key.into(), value);
        }
    }
    if let Err(e) = answers.add_evidence(rules, q.list(), item) {
        let _ = writeln!(
            prompt,
            "  {} — not recorded; add it to the profile by hand",
            e.message
        );
        answers
            .skipped_evidence
            .insert((q.list().to_string(), q.scheme.clone()));
    }
    true
}

fn read_line(input: &mut dyn BufRead) -> Option<String> {
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line),
    }
}

/// The answers file as written, with its text for error positions.
fn read_answers(path: &Path) -> Result<(ProfileSource, serde_yaml::Mapping), InitError> {
    let err = |message: String| InitError::Answers {
        path: path.to_path_buf(),
        message,
    };
    let bytes = crate::input::read_capped(path, MAX_PROFILE_BYTES as u64).map_err(|e| match e {
        crate::input::InputError::Io(e) => err(e.to_string()),
        other => err(format!("it {other}")),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| err("it is not UTF-8 text".into()))?;
    let value: Value = serde_yaml::from_str(&text).map_err(|e| err(e.to_string()))?;
    let map = match value {
        Value::Mapping(m) => m,
        Value::Null => serde_yaml::Mapping::new(),
        _ => return Err(err("it is not a YAML map of answers".into())),
    };
    Ok((
        ProfileSource {
            origin: path.display().to_string(),
            locator: Locator::new(&text),
            text,
        },
        map,
    ))
}

pub struct ProfileSource {
    origin: String,
    text: String,
    locator: Locator,
}

impl ProfileSource {
    fn error(&self, key: &str, message: String, help: Option<String>) -> ProfileError {
        let at = self
            .locator
            .get(key)
            .map(|(line, col)| (self.text.as_str(), line, col));
        ProfileError::new(&self.origin, at, message, help)
    }
}

/// Takes every answer from the file, checked as the profile loader checks
/// it; the first bad one stops with its line.
fn apply_answers(
    rules: &RuleSet,
    answers: &mut Answers,
    source: &ProfileSource,
    map: &serde_yaml::Mapping,
) -> Result<(), InitError> {
    for (key, value) in map {
        let Some(key) = key.as_str() else {
            return Err(source
                .error("", "answer keys must be texts".into(), None)
                .into());
        };
        if key == "category" {
            continue;
        }
        // Evidence held, written as in a profile.
        if key == "evidence" {
            answers
                .set_evidence(rules, value.clone())
                .map_err(|e| source.error(key, e.message, e.help))?;
            continue;
        }
        let known = key == "name"
            || Fact::from_reserved(key).is_some()
            || rules.vocabulary.attributes.contains_key(key);
        if !known {
            let names = ["name", "made_in", "sold_in", "placed_on_market"]
                .into_iter()
                .chain(rules.vocabulary.attributes.keys().map(|k| k.as_str()));
            let help = did_you_mean(key, names).unwrap_or_else(|| {
                "answers are attributes the rules read (see `cncomply schema`) or name, made_in, sold_in, placed_on_market".into()
            });
            return Err(source
                .error(key, format!("unknown answer `{key}`"), Some(help))
                .into());
        }
        answers
            .set(rules, key, value.clone())
            .map_err(|e| source.error(key, e.message, e.help))?;
    }
    Ok(())
}

fn write_new(path: &Path, text: &str, force: bool) -> Result<(), InitError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
        // A link put there while the questions were answered is refused
        // too (`create_new` below refuses one by itself).
        if !path.starts_with("/dev/") {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW);
        }
    } else {
        // Also refuses a file created while the questions were answered.
        options.create_new(true);
    }
    let io = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            InitError::Exists {
                path: path.to_path_buf(),
            }
        } else {
            InitError::Write {
                path: path.to_path_buf(),
                source,
            }
        }
    };
    let mut f = options.open(path).map_err(io)?;
    f.write_all(text.as_bytes()).map_err(io)
}

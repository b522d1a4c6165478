//! Where each setting of `check` comes from: a flag, a `CNCOMPLY_*`
//! environment variable, `cncomply.toml`, or the default, in that order of
//! precedence. clap knows the first two (its `env` feature) and says which
//! one it used; a value it did not get from either is taken from the file.
//! `cncomply config` prints the result.

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, ValueEnum};

use crate::config::Config;
use crate::policy::FailOn;
use crate::report::{sarif, Format};

use super::check::{parse_output, OutputSpec, Settings};
use super::Outcome;

#[derive(Args, Debug)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub settings: Settings,
}

/// Where an effective setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Env(&'static str),
    File(String, usize),
    Default,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag => f.write_str("command line"),
            Origin::Env(name) => write!(f, "environment {name}"),
            Origin::File(path, line) => write!(f, "{path}:{line}"),
            Origin::Default => f.write_str("default"),
        }
    }
}

/// One setting as it will be used.
pub struct Effective {
    pub key: &'static str,
    pub value: String,
    pub origin: Origin,
}

/// Fills `settings` from the configuration file where neither a flag nor
/// an environment variable set a value, and reports where each came from.
pub fn resolve(
    settings: &mut Settings,
    matches: &ArgMatches,
) -> miette::Result<(Option<Config>, Vec<Effective>)> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let config = match crate::config::find(&cwd) {
        Some(path) => Some(Config::load(&path)?),
        None => None,
    };
    let mut out = Vec::new();
    let mut entry = |key: &'static str, id: &str, env: &'static str, from_file: bool| {
        let origin = match matches.value_source(id) {
            Some(ValueSource::CommandLine) => Origin::Flag,
            Some(ValueSource::EnvVariable) => Origin::Env(env),
            _ if from_file => {
                let c = config.as_ref().expect("a value from the file");
                Origin::File(c.path.display().to_string(), c.line_of(key))
            }
            _ => Origin::Default,
        };
        out.push((key, origin));
    };
    // Whether the file supplies `key` (only where neither a flag nor the
    // environment did).
    let unset = |id: &str| {
        !matches!(
            matches.value_source(id),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        )
    };
    let file = config.as_ref().map(|c| (c, c.check.clone()));
    let mut took = std::collections::HashSet::new();
    if let Some((c, t)) = &file {
        if let (Some(v), true) = (&t.rules, unset("rules")) {
            settings.rules.rules = v.iter().map(|p| c.path_of(p)).collect();
            took.insert("rules");
        }
        if let (Some(v), true) = (&t.format, unset("format")) {
            settings.format = Format::from_str(v, true)
                .map_err(|_| c.error("format", format!("`{v}` is not a format")))?;
            took.insert("format");
        }
        if let (Some(v), true) = (&t.output, unset("outputs")) {
            settings.outputs = v
                .iter()
                .map(|s| {
                    let o = parse_output(s).map_err(|e| c.error("output", e))?;
                    // The file comes with the repository being checked: its
                    // reports stay inside the repository, or a pull request
                    // could have the gate overwrite any file the job may
                    // write (`output = ["sarif:/home/runner/.bashrc"]`).
                    // Flags and the environment, set by whoever runs the
                    // gate, may name any path.
                    let escapes = o.path.components().any(|part| {
                        !matches!(
                            part,
                            std::path::Component::Normal(_) | std::path::Component::CurDir
                        )
                    });
                    if escapes {
                        return Err(c.error(
                            "output",
                            format!(
                                "`{s}`: a report named in {} is written inside the directory that holds it; give a relative path without `..` (or name the path with -o)",
                                crate::config::FILE_NAME
                            ),
                        ));
                    }
                    Ok(OutputSpec {
                        path: c.path_of(&o.path.to_string_lossy()),
                        ..o
                    })
                })
                .collect::<Result<_, _>>()?;
            took.insert("output");
        }
        if let (Some(v), true) = (&t.waivers, unset("waivers")) {
            settings.waivers = Some(c.path_of(v));
            took.insert("waivers");
        }
        if let (Some(v), true) = (&t.fail_on, unset("fail_on")) {
            settings.fail_on = v
                .iter()
                .map(|s| {
                    FailOn::from_str(s, true).map_err(|_| {
                        c.error("fail-on", format!("`{s}` is not a status --fail-on takes"))
                    })
                })
                .collect::<Result<_, _>>()?;
            took.insert("fail-on");
        }
        if let (Some(v), true) = (&t.horizon, unset("horizon")) {
            settings.horizon =
                Some(crate::policy::parse_horizon(v).map_err(|e| c.error("horizon", e))?);
            took.insert("horizon");
        }
        if let (Some(v), true) = (t.exit_zero, unset("exit_zero")) {
            settings.exit_zero = v;
            took.insert("exit-zero");
        }
        if let (Some(v), true) = (t.json_schema_version, unset("json_schema_version")) {
            if !(1..=2).contains(&v) {
                return Err(c
                    .error(
                        "json-schema-version",
                        format!("{v} is not a JSON schema version; use 1 or 2"),
                    )
                    .into());
            }
            settings.json_schema_version = Some(v);
            took.insert("json-schema-version");
        }
        if let (Some(v), true) = (&t.min_level, unset("min_level")) {
            settings.min_level = Some(sarif::Level::from_str(v, true).map_err(|_| {
                c.error(
                    "min-level",
                    format!("`{v}` is not a level; use none, note, warning or error"),
                )
            })?);
            took.insert("min-level");
        }
        if let (Some(v), true) = (&t.baseline, unset("baseline")) {
            settings.baseline = Some(c.path_of(v));
            took.insert("baseline");
        }
        if let (Some(v), true) = (t.quiet, unset("quiet")) {
            settings.quiet = v;
            took.insert("quiet");
        }
    }
    for (key, id, env) in [
        ("rules", "rules", "CNCOMPLY_RULES"),
        ("format", "format", "CNCOMPLY_FORMAT"),
        ("output", "outputs", "CNCOMPLY_OUTPUT"),
        ("waivers", "waivers", "CNCOMPLY_WAIVERS"),
        ("fail-on", "fail_on", "CNCOMPLY_FAIL_ON"),
        ("horizon", "horizon", "CNCOMPLY_HORIZON"),
        ("exit-zero", "exit_zero", "CNCOMPLY_EXIT_ZERO"),
        (
            "json-schema-version",
            "json_schema_version",
            "CNCOMPLY_JSON_SCHEMA_VERSION",
        ),
        ("min-level", "min_level", "CNCOMPLY_MIN_LEVEL"),
        ("baseline", "baseline", "CNCOMPLY_BASELINE"),
        ("quiet", "quiet", "CNCOMPLY_QUIET"),
    ] {
        entry(key, id, env, took.contains(key));
    }
    let effective = out
        .into_iter()
        .map(|(key, origin)| Effective {
            key,
            value: value_of(settings, key),
            origin,
        })
        .collect();
    Ok((config, effective))
}

fn value_of(s: &Settings, key: &str) -> String {
    let path = |p: &Option<std::path::PathBuf>| {
        p.as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "none".into())
    };
    let name = |v: &dyn ValueEnumName| v.name();
    match key {
        "rules" if s.rules.rules.is_empty() => "bundled".into(),
        "rules" => join(s.rules.rules.iter().map(|p| p.display().to_string())),
        "format" => s.format.name().into(),
        "output" if s.outputs.is_empty() => "none".into(),
        "output" => join(
            s.outputs
                .iter()
                .map(|o| format!("{}:{}", o.format.name(), o.path.display())),
        ),
        "waivers" => path(&s.waivers),
        "fail-on" if s.fail_on.is_empty() => "applies".into(),
        "fail-on" => join(s.fail_on.iter().map(|f| name(f))),
        "horizon" => s
            .horizon
            .map(|h| format!("{h}d"))
            .unwrap_or_else(|| "none".into()),
        "exit-zero" => s.exit_zero.to_string(),
        "json-schema-version" => s
            .json_schema_version
            .unwrap_or(crate::report::json::SCHEMA_VERSION)
            .to_string(),
        "min-level" => name(&s.min_level.unwrap_or(sarif::Level::None)),
        "baseline" => path(&s.baseline),
        "quiet" => s.quiet.to_string(),
        _ => unreachable!("every key is listed"),
    }
}

/// The name clap gives a value (what the flag takes).
trait ValueEnumName {
    fn name(&self) -> String;
}

impl<T: ValueEnum> ValueEnumName for T {
    fn name(&self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

/// `cncomply config`: the effective settings of `check` and their origin.
pub fn run(mut args: ConfigArgs, matches: &ArgMatches) -> miette::Result<Outcome> {
    let (config, effective) = resolve(&mut args.settings, matches)?;
    let mut out = match &config {
        Some(c) => format!("configuration file: {}\n", c.path.display()),
        None => format!(
            "configuration file: none ({} not found from here up to the repository root)\n",
            crate::config::FILE_NAME
        ),
    };
    let width = effective.iter().map(|e| e.key.len()).max().unwrap_or(0);
    let vwidth = effective
        .iter()
        .map(|e| e.value.chars().count())
        .max()
        .unwrap_or(0);
    for e in &effective {
        out.push_str(&format!(
            "{:width$} = {:vwidth$}   ({})\n",
            e.key, e.value, e.origin
        ));
    }
    super::output::print(&out)?;
    Ok(Outcome::Clean)
}

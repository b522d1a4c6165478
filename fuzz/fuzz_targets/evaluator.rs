//! The evaluator on structurally generated input: rules over a small
//! vocabulary and a profile written from `arbitrary` data, rendered as text
//! and loaded through the real parser and loader. Checks what must hold for
//! every input: no panic; the same input gives the same findings; a finding
//! names missing facts when it is `needs-info`, and otherwise only when it
//! is a draft or plan listed for `--watch`; an obligation that
//! applies (or is met) on D, has no end date and does not depend on held
//! evidence (which can expire) still binds on D+1; the
//! findings `check` keeps without `--all` are the complete ones.
#![no_main]

use arbitrary::Arbitrary;
use chrono::{Days, NaiveDate};
use cncomply::evaluate::{evaluate, evaluate_with, Detail, Status};
use cncomply::model::{RuleSet, SourceFile};
use cncomply::policy::ExitPolicy;
use cncomply::profile::Profile;
use cncomply::report::{self, Format, ProductReport, RunInfo};
use libfuzzer_sys::fuzz_target;

const VOCABULARY: &str = r#"
topic t: "T"
category product: "Any product"
category a under product: "A" also called "aye"
category b under a: "B"
category c under product: "C"
attribute n_v is a number in V: "n"
attribute yn is yes/no: "yn"
attribute d is a date: "d"
attribute ch is one of ["x", "y z"]: "ch"
attribute li is a list: "li"
attribute tx is text: "tx"
evidence cert is a certificate: "cert"
evidence lab is a label with grade: "lab"
evidence tl is a label with tier: "tl"
evidence fil is a filing: "fil"
"#;
const CATEGORIES: [&str; 4] = ["product", "a", "b", "c"];
const ATTRS: [&str; 6] = ["n_v", "yn", "d", "ch", "li", "tx"];
const WORDS: [&str; 4] = ["x", "y z", "wifi", "CN"];
const COUNTRIES: [&str; 3] = ["CN", "DE", "US"];
const STANDARDS: [&str; 2] = ["GB 1-2024", "GB/T 2-2025"];
const MAX_DEPTH: usize = 6;

fn day(n: u16) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Days::new(u64::from(n % 2048))
}

#[derive(Arbitrary, Debug)]
enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    CategoryIs(u8),
    CategoryNotOneOf(Vec<u8>),
    Num(u8, i16),
    Between(i16, i16),
    YesNo(bool),
    DateCmp(u8, u16),
    Choice(u8),
    Contains(u8),
    TextIs(u8),
    Given(u8),
    Missing(u8),
    MadeIn(u8),
    SoldIn(u8),
    Placed(u8, u16),
    Holds(Evidence),
}

#[derive(Arbitrary, Debug)]
struct Evidence {
    scheme: u8,
    level: Option<(bool, u8)>,
    standard: Option<u8>,
}

impl Evidence {
    fn render(&self) -> String {
        let (kind, scheme, level) = match self.scheme % 4 {
            0 => ("certificate", "cert", None),
            1 => ("label", "lab", Some("grade")),
            2 => ("label", "tl", Some("tier")),
            _ => ("filing", "fil", None),
        };
        let mut s = format!("{kind} {scheme}");
        if let (Some(word), Some((least, n))) = (level, self.level) {
            let cmp = if least { "at least" } else { "at most" };
            s.push_str(&format!(" with {word} {cmp} {}", n % 6));
        }
        if let Some(i) = self.standard {
            s.push_str(&format!(
                " to standard \"{}\"",
                STANDARDS[usize::from(i) % 2]
            ));
        }
        s
    }
}

fn cmp_word(i: u8, dates: bool) -> &'static str {
    match (i % 4, dates) {
        (0, false) => "above",
        (1, false) => "below",
        (2, false) => "at least",
        (_, false) => "at most",
        (0, true) => "before",
        (1, true) => "after",
        (2, true) => "on or before",
        (_, true) => "on or after",
    }
}

impl Cond {
    fn render(&self, depth: usize) -> String {
        let leaf = "category is product".to_string();
        let join = |parts: &[Cond], word: &str| {
            if parts.is_empty() || depth >= MAX_DEPTH {
                return leaf.clone();
            }
            let inner: Vec<String> = parts.iter().take(4).map(|p| p.render(depth + 1)).collect();
            format!("({})", inner.join(word))
        };
        match self {
            Cond::All(parts) => join(parts, " and "),
            Cond::Any(parts) => join(parts, " or "),
            Cond::Not(inner) if depth < MAX_DEPTH => format!("not {}", inner.render(depth + 1)),
            Cond::Not(_) => leaf,
            Cond::CategoryIs(i) => format!("category is {}", CATEGORIES[usize::from(*i) % 4]),
            Cond::CategoryNotOneOf(list) => {
                let names: Vec<&str> = list
                    .iter()
                    .take(3)
                    .map(|i| CATEGORIES[usize::from(*i) % 4])
                    .collect();
                format!("category is not one of [{}]", names.join(", "))
            }
            Cond::Num(c, n) => format!("n_v is {} {} V", cmp_word(*c, false), n),
            Cond::Between(lo, hi) => format!("n_v is between {lo} V and {hi} V"),
            Cond::YesNo(b) => format!("yn is {}", if *b { "yes" } else { "no" }),
            Cond::DateCmp(c, d) => format!("d is {} {}", cmp_word(*c, true), day(*d)),
            Cond::Choice(i) => format!("ch is \"{}\"", WORDS[usize::from(*i) % 2]),
            Cond::Contains(i) => format!("li contains \"{}\"", WORDS[usize::from(*i) % 4]),
            Cond::TextIs(i) => format!("tx is \"{}\"", WORDS[usize::from(*i) % 4]),
            Cond::Given(i) => format!("{} is given", ATTRS[usize::from(*i) % 6]),
            Cond::Missing(i) => format!("{} is missing", ATTRS[usize::from(*i) % 6]),
            Cond::MadeIn(i) => format!("made_in is {}", COUNTRIES[usize::from(*i) % 3]),
            Cond::SoldIn(i) => format!("sold_in contains {}", COUNTRIES[usize::from(*i) % 3]),
            Cond::Placed(c, d) => format!("placed_on_market is {} {}", cmp_word(*c, true), day(*d)),
            Cond::Holds(e) => format!("holds {}", e.render()),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct RuleSpec {
    status: u8,
    voluntary: bool,
    effective: Vec<(u16, Option<Cond>)>,
    transitions: Vec<(u16, Option<Cond>)>,
    repealed: Option<u16>,
    superseded_by: Option<(u8, Option<u16>)>,
    scope: Cond,
    exclusions: Vec<Cond>,
    inform: bool,
    met_by: Vec<Evidence>,
    met_by_any: bool,
}

impl RuleSpec {
    fn render(&self, i: usize, count: usize) -> String {
        let status = ["draft", "adopted", "in-force", "repealed"][usize::from(self.status) % 4];
        let mut s = format!(
            "rule t.r{i}\n  title \"R{i}\"\n  topic t\n  instrument \"I\"\n  authority \"A\"\n  status {status}\n  {}\n  source \"s.txt\", section \"S\"\n",
            if self.voluntary { "voluntary" } else { "mandatory" }
        );
        for (k, (d, when)) in self.effective.iter().take(3).enumerate() {
            match when {
                Some(c) => s.push_str(&format!(
                    "  effective {} for \"case {k}\" when {}\n",
                    day(*d),
                    c.render(0)
                )),
                None => s.push_str(&format!("  effective {}\n", day(*d))),
            }
        }
        for (k, (d, when)) in self.transitions.iter().take(2).enumerate() {
            match when {
                Some(c) => s.push_str(&format!(
                    "  transition until {} for \"t{k}\" when {}\n",
                    day(*d),
                    c.render(0)
                )),
                None => s.push_str(&format!("  transition until {}\n", day(*d))),
            }
        }
        if let Some(d) = self.repealed {
            s.push_str(&format!("  repealed {}\n", day(d)));
        }
        if let Some((by, on)) = self.superseded_by {
            let by = usize::from(by) % count;
            if by != i {
                match on {
                    Some(d) => s.push_str(&format!("  superseded by t.r{by} on {}\n", day(d))),
                    None => s.push_str(&format!("  superseded by t.r{by}\n")),
                }
            }
        }
        s.push_str(&format!("  applies when {}\n", self.scope.render(0)));
        for e in self.exclusions.iter().take(2) {
            s.push_str(&format!(
                "  except when {} because \"excluded\"\n",
                e.render(0)
            ));
        }
        let kind = if self.inform { "inform" } else { "certify" };
        s.push_str(&format!("  obligation {kind} \"do it\"\n"));
        if !self.met_by.is_empty() {
            let parts: Vec<String> = self.met_by.iter().take(3).map(Evidence::render).collect();
            s.push_str(&format!(
                "  met by {}\n",
                parts.join(if self.met_by_any { " or " } else { " and " })
            ));
        }
        s.push_str("  explain \"{n_v} V, {category}, {li}\"\nend\n");
        s
    }
}

#[derive(Arbitrary, Debug)]
enum Value {
    Absent,
    Null,
    Given(i32),
}

#[derive(Arbitrary, Debug)]
struct Item {
    scheme: u8,
    valid_until: Option<u16>,
    grade: Option<u8>,
    tier: Option<u8>,
    standards: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
struct ProfileSpec {
    category: u8,
    alias: bool,
    made_in: Option<u8>,
    sold_in: Option<Vec<u8>>,
    placed: Option<u16>,
    attributes: [Value; 6],
    items: Vec<Item>,
}

impl ProfileSpec {
    fn render(&self) -> String {
        let category = match (self.category % 4, self.alias) {
            (1, true) => "AYE",
            (c, _) => CATEGORIES[usize::from(c)],
        };
        let mut s = format!("name: fuzzed\ncategory: {category}\n");
        if let Some(c) = self.made_in {
            s.push_str(&format!("made_in: {}\n", COUNTRIES[usize::from(c) % 3]));
        }
        if let Some(list) = &self.sold_in {
            let names: Vec<&str> = list
                .iter()
                .take(3)
                .map(|c| COUNTRIES[usize::from(*c) % 3])
                .collect();
            s.push_str(&format!("sold_in: [{}]\n", names.join(", ")));
        }
        if let Some(d) = self.placed {
            s.push_str(&format!("placed_on_market: {}\n", day(d)));
        }
        s.push_str("attributes:\n");
        for (name, v) in ATTRS.iter().zip(&self.attributes) {
            let n = match v {
                Value::Absent => continue,
                Value::Null => {
                    s.push_str(&format!("  {name}: ~\n"));
                    continue;
                }
                Value::Given(n) => *n,
            };
            let shown = match *name {
                "n_v" => format!("{}", f64::from(n) / 8.0),
                "yn" => (if n % 2 == 0 { "yes" } else { "no" }).to_string(),
                "d" => day(n.unsigned_abs() as u16).to_string(),
                "ch" => format!("\"{}\"", WORDS[n.unsigned_abs() as usize % 2]),
                "li" => format!(
                    "[{}, \"{}\"]",
                    WORDS[n.unsigned_abs() as usize % 4],
                    WORDS[(n.unsigned_abs() as usize + 1) % 4]
                ),
                _ => format!("\"{}\"", WORDS[n.unsigned_abs() as usize % 4]),
            };
            s.push_str(&format!("  {name}: {shown}\n"));
        }
        s.push_str("evidence:\n");
        for (field, kinds) in [("certificates", [0u8]), ("labels", [1]), ("filings", [3])] {
            s.push_str(&format!("  {field}:\n"));
            for item in self.items.iter().take(6) {
                let k = item.scheme % 4;
                let belongs = kinds.contains(&k) || (field == "labels" && k == 2);
                if !belongs {
                    continue;
                }
                let scheme = ["cert", "lab", "tl", "fil"][usize::from(k)];
                s.push_str(&format!("    - scheme: {scheme}\n"));
                if let Some(d) = item.valid_until {
                    s.push_str(&format!("      valid_until: {}\n", day(d)));
                }
                if let Some(g) = item.grade {
                    s.push_str(&format!("      grade: {}\n", g % 7));
                }
                if let Some(t) = item.tier {
                    s.push_str(&format!("      tier: {}\n", t % 7));
                }
                let stds: Vec<String> = item
                    .standards
                    .iter()
                    .take(2)
                    .map(|i| format!("\"{}\"", STANDARDS[usize::from(*i) % 2]))
                    .collect();
                s.push_str(&format!("      standards: [{}]\n", stds.join(", ")));
            }
        }
        s
    }
}

#[derive(Arbitrary, Debug)]
struct Case {
    rules: Vec<RuleSpec>,
    profile: ProfileSpec,
    as_of: u16,
}

fuzz_target!(|case: Case| {
    let count = case.rules.len().clamp(1, 6);
    let mut text = VOCABULARY.to_string();
    for (i, r) in case.rules.iter().take(count).enumerate() {
        text.push_str(&r.render(i, count));
    }
    let Ok(rules) = RuleSet::load(&[SourceFile {
        name: "fuzz.rules".into(),
        text,
    }]) else {
        return;
    };
    let yaml = case.profile.render();
    let profile = Profile::from_yaml("fuzz.yaml", &yaml, &rules.vocabulary)
        .unwrap_or_else(|e| panic!("generated profile rejected: {e}\n{yaml}"));
    let as_of = day(case.as_of);
    let findings = evaluate(&rules, &profile, as_of);
    let again = evaluate(&rules, &profile, as_of);
    let next_day = evaluate(&rules, &profile, as_of + Days::new(1));
    for ((f, g), n) in findings.iter().zip(&again).zip(&next_day) {
        assert_eq!(
            (f.status, &f.reason, &f.missing, &f.checks),
            (g.status, &g.reason, &g.missing, &g.checks),
            "not deterministic"
        );
        // Only `needs-info` asks; a draft or plan whose scope is unknown is
        // listed for `--watch` with the facts that would tell (issue 10).
        let may_name_missing = f.status == Status::NeedsInfo
            || (f.status == Status::Informational && f.rule.is_watch());
        assert!(
            (f.status != Status::NeedsInfo || !f.missing.is_empty())
                && (f.missing.is_empty() || may_name_missing),
            "{}: {:?} with missing {:?}",
            f.rule.id,
            f.status,
            f.missing
        );
        // A scope or exclusion that reads held evidence can change when a
        // certificate expires: such an obligation has an end date of sorts
        // (found by this target: `applies when holds filing fil` with the
        // filing valid until the day checked).
        let open_ended = f.rule.repealed.is_none()
            && f.rule.superseded_by.is_none()
            && f.rule.transitions.is_empty()
            && !f.rule.reads_evidence();
        if open_ended && matches!(f.status, Status::Applies | Status::Met) {
            assert!(
                matches!(n.status, Status::Applies | Status::Met),
                "{} binds on {as_of} but is {:?} the day after",
                f.rule.id,
                n.status
            );
        }
    }
    // What `check` keeps without --all: every finding kept is the complete
    // one, and every finding left out is a not-applicable one.
    let brief = evaluate_with(&rules, &profile, as_of, Detail::Brief);
    let mut kept = brief.findings.iter().peekable();
    let mut omitted = 0;
    for f in &findings {
        match kept.peek() {
            Some(b) if std::ptr::eq(b.rule, f.rule) => {
                assert_eq!(
                    (b.status, &b.reason, &b.missing, &b.checks, &b.explanation),
                    (f.status, &f.reason, &f.missing, &f.checks, &f.explanation),
                    "{}: brief and complete findings differ",
                    f.rule.id
                );
                kept.next();
            }
            _ => {
                assert_eq!(f.status, Status::NotApplicable, "{} left out", f.rule.id);
                omitted += 1;
            }
        }
    }
    assert!(kept.next().is_none(), "brief findings out of order");
    assert_eq!(omitted, brief.omitted);
    let policy = ExitPolicy::default();
    let info = RunInfo {
        as_of,
        rules: &rules,
        rules_source: "fuzz".into(),
        show_all: true,
        details: true,
        color: false,
        policy: &policy,
        waivers: None,
        company: None,
        watch: false,
        baseline: None,
    };
    let products = [ProductReport::new(profile, findings)];
    let _ = report::render(Format::Json, &info, &products, &[], 100);
});

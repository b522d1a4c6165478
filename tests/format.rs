//! `cncomply fmt`: the canonical layout keeps meaning and comments, and is
//! stable. Checked on every bundled rule file and on generated rule files.

mod common;
use common::*;

use cncomply::syntax::{format::format_source, parse_file};
use proptest::prelude::*;

/// The syntax tree with byte spans blanked out: formatting moves text, so
/// only the structure and values must be equal.
fn shape(name: &str, text: &str) -> String {
    let file = parse_file(name, text).unwrap_or_else(|e| {
        panic!(
            "{name} does not parse: {} at {}:{}\n{text}",
            e.message, e.line, e.column
        )
    });
    let debug = format!("{:?}", file.declarations);
    let mut out = String::with_capacity(debug.len());
    let b = debug.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // `123..456` → `_`
        if b[i].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric() && b[i - 1] != b'.')
        {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if debug[j..].starts_with("..") {
                let mut k = j + 2;
                while k < b.len() && b[k].is_ascii_digit() {
                    k += 1;
                }
                if k > j + 2 {
                    out.push('_');
                    i = k;
                    continue;
                }
            }
        }
        out.push(b[i] as char);
        i += 1;
    }
    out
}

fn comments(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.find('#').map(|i| l[i..].trim_end().to_string()))
        .filter(|c| !c.contains('"'))
        .collect()
}

fn assert_round_trip(name: &str, text: &str) {
    let once = format_source(name, text).unwrap();
    assert_eq!(
        shape(name, text),
        shape(name, &once),
        "fmt changed the meaning of {name}:\n{once}"
    );
    let twice = format_source(name, &once).unwrap();
    assert_eq!(once, twice, "fmt is not idempotent on {name}");
    let mut before = comments(text);
    let mut after = comments(&once);
    before.sort();
    after.sort();
    assert_eq!(before, after, "fmt lost or changed comments in {name}");
}

#[test]
fn every_bundled_rule_file_round_trips() {
    for f in cncomply::bundled::rule_files() {
        assert_round_trip(&f.name, &f.text);
    }
}

#[test]
fn bundled_rules_are_formatted() {
    for f in cncomply::bundled::rule_files() {
        let formatted = format_source(&f.name, &f.text).unwrap();
        assert!(
            formatted == f.text,
            "{} is not in canonical layout: run `cncomply fmt`",
            f.name
        );
    }
}

#[test]
fn layout_is_canonical() {
    let messy = "# header\n\ntopic t: \"T\"\nrule r.x   explain \"e\" title \"t\"\n  # about the scope\n  applies when a is yes and (b is yes or c is given)   # trailing\n  topic t end\n";
    let out = format_source("m.rules", messy).unwrap();
    assert_eq!(
        out,
        "# header\n\ntopic t: \"T\"\n\nrule r.x\n  explain \"e\"\n  title \"t\"\n  # about the scope\n  # trailing\n  applies when a is yes and (b is yes or c is given)\n  topic t\nend\n"
    );
}

#[test]
fn clauses_and_dated_cases_keep_their_order() {
    let text = "rule r\n  effective 2027-01-01 for \"b\" when k is \"b\"\n  title \"t\"\n  effective 2026-01-01 for \"a\" when k is \"a\"\nend\n";
    let out = format_source("c.rules", text).unwrap();
    let b = out.find("2027-01-01").unwrap();
    let a = out.find("2026-01-01").unwrap();
    assert!(b < a, "{out}");
}

// ---------------------------------------------------------------- generated

fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,6}".prop_map(|c| format!("category is {c}")),
        ("[a-z]{1,5}_v", 0u32..2000).prop_map(|(a, n)| format!("{a} is above {n} V")),
        ("[a-z]{1,5}_w", 0u32..50, 50u32..900)
            .prop_map(|(a, lo, hi)| format!("{a} is between {lo} W and {hi} W")),
        "[a-z]{1,6}".prop_map(|a| format!("{a} is given")),
        ("[a-z]{1,6}", "[a-z ]{0,8}").prop_map(|(a, s)| format!("{a} is \"{s}\"")),
        ("[a-z]{1,6}", prop::collection::vec("[a-z]{1,4}", 1..4))
            .prop_map(|(a, v)| format!("{a} is one of [{}]", v.join(", "))),
        "[a-z]{1,6}".prop_map(|a| format!("{a} is on or after 2026-07-01")),
        Just("holds label energy-label with grade at most 3".to_string()),
    ]
}

fn condition() -> impl Strategy<Value = String> {
    atom().prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join(" and ")),
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|v| format!("({})", v.join(" or "))),
            inner.clone().prop_map(|c| format!("not ({c})")),
        ]
    })
}

fn rule_file() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(condition(), 1..3),
        "[a-z ]{0,20}",
        prop::bool::ANY,
        prop::sample::select(vec!["\n", "\n\n", "  ", "\n  # note\n  "]),
    )
        .prop_map(|(conds, words, comment, sep)| {
            let mut clauses = vec![
                format!("title \"{words}\""),
                "topic ccc".to_string(),
                format!("applies when {}", conds[0]),
                "explain \"say \\\"why\\\"\"".to_string(),
                "effective 2026-07-01 for \"new\" when k is \"new\"".to_string(),
                "met by certificate ccc and (label a or filing b)".to_string(),
            ];
            if let Some(c) = conds.get(1) {
                clauses.push(format!("except when {c} because \"{words}\""));
            }
            clauses.reverse();
            let head = if comment { "# generated\n\n" } else { "" };
            format!(
                "{head}topic ccc: \"CCC\"\nrule g.one{sep}{}{sep}end\n",
                clauses.join(sep)
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn generated_rule_files_round_trip(text in rule_file()) {
        assert_round_trip("gen.rules", &text);
    }
}

// ---------------------------------------------------------------- CLI

#[test]
fn fmt_check_reports_and_fmt_writes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.rules");
    std::fs::write(&p, "topic t: \"T\"\nrule r title \"t\" end\n").unwrap();
    cncomply()
        .arg("fmt")
        .arg("--check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout(predicates::str::contains("is not formatted"));
    cncomply().arg("fmt").arg(&p).assert().success();
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "topic t: \"T\"\n\nrule r\n  title \"t\"\nend\n"
    );
    cncomply()
        .arg("fmt")
        .arg("--check")
        .arg(&p)
        .assert()
        .success();
}

#[test]
fn fmt_refuses_a_file_that_does_not_parse() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.rules");
    std::fs::write(&p, "rule r title \"t\"\n").unwrap();
    cncomply()
        .arg("fmt")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.rules"));
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "rule r title \"t\"\n",
        "a broken file must be left alone"
    );
}

use super::ast::*;
use super::parse_file;

fn parse_ok(text: &str) -> File {
    match parse_file("t.rules", text) {
        Ok(f) => f,
        Err(e) => panic!("parse failed: {} at {}:{}", e.message, e.line, e.column),
    }
}

fn only_rule(f: &File) -> &RuleDecl {
    match f.declarations.as_slice() {
        [Declaration::Rule(r)] => r,
        other => panic!("expected one rule, got {other:?}"),
    }
}

fn applies(r: &RuleDecl) -> &Condition {
    r.clauses
        .iter()
        .find_map(|c| match &c.kind {
            ClauseKind::Applies(c) => Some(c),
            _ => None,
        })
        .expect("applies clause")
}

#[test]
fn vocabulary_declarations() {
    let f = parse_ok(
        r#"topic ccc: "CCC"
category drill under electric-tool: "Electric drill" also called "drill", "电钻"
attribute rated_voltage_ac_v is a number in V: "AC volts"
attribute kind is one of ["new type", "existing type"]: "Kind"
attribute net is yes/no: "Connected"
evidence energy-label is a label with grade: "Energy label""#,
    );
    assert_eq!(f.declarations.len(), 6);
    let Declaration::Category(c) = &f.declarations[1] else {
        panic!()
    };
    assert_eq!(c.id.name, "drill");
    assert_eq!(c.parent.as_ref().unwrap().name, "electric-tool");
    assert_eq!(
        c.aliases
            .iter()
            .map(|a| a.value.as_str())
            .collect::<Vec<_>>(),
        ["drill", "电钻"]
    );
    let Declaration::Attribute(a) = &f.declarations[2] else {
        panic!()
    };
    assert_eq!(
        a.value_type,
        ValueType::Number {
            unit: Some(Text {
                value: "V".into(),
                span: a.value_type_unit_span()
            })
        }
    );
    let Declaration::Evidence(e) = &f.declarations[5] else {
        panic!()
    };
    assert_eq!(
        (e.kind, e.level),
        (EvidenceKind::Label, Some(LevelKind::Grade))
    );
}

impl AttributeDecl {
    fn value_type_unit_span(&self) -> Span {
        match &self.value_type {
            ValueType::Number { unit: Some(u) } => u.span.clone(),
            _ => 0..0,
        }
    }
}

#[test]
fn precedence_not_and_or() {
    let f = parse_ok("rule r applies when not a is yes and b is yes or c is given end");
    // (not a and b) or c
    let Condition::Any(parts, _) = applies(only_rule(&f)) else {
        panic!("top is or")
    };
    assert_eq!(parts.len(), 2);
    let Condition::All(conj, _) = &parts[0] else {
        panic!("left is and")
    };
    assert!(matches!(conj[0], Condition::Not(..)));
    assert!(matches!(
        parts[1],
        Condition::Compare(Comparison {
            predicate: Predicate::Given,
            ..
        })
    ));
}

#[test]
fn parentheses_group() {
    let f = parse_ok("rule r applies when a is yes and (b is yes or c is yes) end");
    let Condition::All(parts, _) = applies(only_rule(&f)) else {
        panic!()
    };
    assert!(matches!(parts[1], Condition::Any(..)));
}

#[test]
fn between_is_not_confused_with_and() {
    let f = parse_ok("rule r applies when v_v is between 36 V and 1000 V and w is yes end");
    let Condition::All(parts, _) = applies(only_rule(&f)) else {
        panic!()
    };
    let Condition::Compare(c) = &parts[0] else {
        panic!()
    };
    let Predicate::Between(lo, hi) = &c.predicate else {
        panic!()
    };
    assert_eq!(
        lo.kind,
        ValueKind::Number {
            value: 36.0,
            unit: Some("V".into())
        }
    );
    assert_eq!(
        hi.kind,
        ValueKind::Number {
            value: 1000.0,
            unit: Some("V".into())
        }
    );
}

#[test]
fn every_predicate_parses() {
    for (text, want) in [
        ("x is given", "Given"),
        ("x is missing", "Missing"),
        ("x is one of [a, \"b\"]", "OneOf"),
        ("x is not one of [a]", "NotOneOf"),
        ("x is above 3", "Above"),
        ("x is below 3", "Below"),
        ("x is at least 3", "AtLeast"),
        ("x is at most 3", "AtMost"),
        ("x is before 2026-01-01", "Before"),
        ("x is after 2026-01-01", "After"),
        ("x is on or before 2026-01-01", "OnOrBefore"),
        ("x is on or after 2026-01-01", "OnOrAfter"),
        ("x contains wifi", "Contains"),
        ("x does not contain wifi", "NotContains"),
        ("x is not 3", "IsNot"),
        ("x is \"y\"", "Is"),
    ] {
        let f = parse_ok(&format!("rule r applies when {text} end"));
        let Condition::Compare(c) = applies(only_rule(&f)) else {
            panic!("{text}")
        };
        let got = format!("{:?}", c.predicate);
        assert!(got.starts_with(want), "{text}: {got}");
    }
}

#[test]
fn keywords_need_a_word_boundary() {
    // `order` starts with `or`, `android` contains `and`: they are names.
    let f = parse_ok("rule r applies when order is yes and android is no end");
    let Condition::All(parts, _) = applies(only_rule(&f)) else {
        panic!()
    };
    let Condition::Compare(c) = &parts[0] else {
        panic!()
    };
    assert_eq!(c.subject.name, "order");
}

#[test]
fn units_are_a_closed_list_so_keywords_are_not_units() {
    let f = parse_ok("rule r applies when p_w is above 750 and q is yes end");
    let Condition::All(parts, _) = applies(only_rule(&f)) else {
        panic!()
    };
    let Condition::Compare(c) = &parts[0] else {
        panic!()
    };
    assert_eq!(
        c.predicate,
        Predicate::Above(Value {
            kind: ValueKind::Number {
                value: 750.0,
                unit: None
            },
            span: c.predicate_span()
        })
    );
}

impl Comparison {
    fn predicate_span(&self) -> Span {
        match &self.predicate {
            Predicate::Above(v) => v.span.clone(),
            _ => 0..0,
        }
    }
}

#[test]
fn evidence_expressions() {
    let f = parse_ok(
        r#"rule r met by certificate ccc to standard "GB 4706.1-2024" and (label energy-label with grade at most 2 or filing f) end"#,
    );
    let r = only_rule(&f);
    let ClauseKind::MetBy(EvidenceExpr::All(parts)) = &r.clauses[0].kind else {
        panic!()
    };
    let EvidenceExpr::Ref(cert) = &parts[0] else {
        panic!()
    };
    assert_eq!(cert.standard.as_ref().unwrap().value, "GB 4706.1-2024");
    let EvidenceExpr::Any(alts) = &parts[1] else {
        panic!()
    };
    let EvidenceExpr::Ref(label) = &alts[0] else {
        panic!()
    };
    let level = label.level.as_ref().unwrap();
    assert_eq!(
        (level.kind, level.cmp, level.value),
        (LevelKind::Grade, LevelCmp::AtMost, 2)
    );
}

#[test]
fn dated_cases_and_transitions() {
    let f = parse_ok(
        r#"rule r
  effective 2026-01-01 for "new types" when k is "new type"
  effective 2027-01-01
  transition until 2027-03-01 for "certified" when holds certificate ccc
  superseded by other on 2028-01-01
end"#,
    );
    let r = only_rule(&f);
    let ClauseKind::Effective {
        date,
        case: Some(case),
    } = &r.clauses[0].kind
    else {
        panic!()
    };
    assert_eq!(date.value, "2026-01-01");
    assert_eq!(case.label.value, "new types");
    assert!(case.when.is_some());
    assert!(matches!(
        &r.clauses[1].kind,
        ClauseKind::Effective { case: None, .. }
    ));
    assert!(matches!(
        &r.clauses[2].kind,
        ClauseKind::Transition { case: Some(_), .. }
    ));
    let ClauseKind::Superseded { by, on } = &r.clauses[3].kind else {
        panic!()
    };
    assert_eq!(
        (by.name.as_str(), on.as_ref().unwrap().value.as_str()),
        ("other", "2028-01-01")
    );
}

#[test]
fn strings_unescape_and_comments_are_ignored() {
    let f = parse_ok("# a comment\nrule r # trailing\n  title \"say \\\"hi\\\"\" end");
    let r = only_rule(&f);
    let ClauseKind::Title(t) = &r.clauses[0].kind else {
        panic!()
    };
    assert_eq!(t.value, "say \"hi\"");
}

#[test]
fn unterminated_string_is_reported_on_its_line() {
    let e = parse_file("t.rules", "rule r\n  title \"open\n  topic ccc\nend").unwrap_err();
    assert_eq!(e.line, 2);
    assert!(
        e.help.as_deref().unwrap().contains("closing"),
        "{:?}",
        e.help
    );
}

#[test]
fn missing_end_says_so() {
    let e = parse_file("t.rules", "rule r\n  title \"x\"\n").unwrap_err();
    assert!(e.message.contains("end of file"), "{}", e.message);
    assert!(e.help.as_deref().unwrap().contains("`end`"));
}

#[test]
fn errors_name_expected_words_not_grammar_rules() {
    let e = parse_file("t.rules", "rule r\n  titel \"x\"\nend").unwrap_err();
    assert_eq!((e.line, e.column), (2, 3));
    assert!(e.message.contains("a rule clause"), "{}", e.message);
    assert!(e.message.contains("`titel`"), "{}", e.message);
}

#[test]
fn deep_nesting_does_not_crash() {
    // pest recurses per parenthesis; a hostile file must fail cleanly or
    // parse, never overflow the stack in the tests' default thread size.
    let ok = format!(
        "rule r applies when {}a is yes{} end",
        "(".repeat(60),
        ")".repeat(60)
    );
    parse_ok(&ok);
    let deep = format!(
        "rule r applies when {}a is yes{} end",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let e = parse_file("t.rules", &deep).unwrap_err();
    assert!(e.message.contains("nest deeper"), "{}", e.message);
    assert_eq!(e.line, 1);
}

#[test]
fn long_not_chains_count_as_nesting() {
    // `not not … x` recurses in pest like parentheses do.
    let ok = format!("rule r applies when {}a is yes end", "not ".repeat(60));
    parse_ok(&ok);
    // Many `not`s one after another at the same level do not add up.
    let flat = format!(
        "rule r applies when {} end",
        vec!["not a is yes"; 200].join(" and ")
    );
    parse_ok(&flat);
    let deep = format!("rule r applies when {}a is yes end", "not ".repeat(10_000));
    let e = parse_file("t.rules", &deep).unwrap_err();
    assert!(e.message.contains("nest deeper"), "{}", e.message);
    let mixed = format!(
        "rule r applies when {}a is yes{} end",
        "not (".repeat(40),
        ")".repeat(40)
    );
    let e = parse_file("t.rules", &mixed).unwrap_err();
    assert!(e.message.contains("nest deeper"), "{}", e.message);
}

#[test]
fn a_nul_byte_is_named_with_its_line() {
    let e = parse_file("t.rules", "topic a: \"A\"\ntopic b\0: \"B\"\n").unwrap_err();
    assert!(e.message.contains("NUL"), "{}", e.message);
    assert_eq!((e.line, e.column), (2, 8));
}

//! One `rule … end` declaration, and the supersession links between rules.

use super::*;

/// Which of the required clauses a rule gave (a clause given but invalid
/// counts as given: its own error says what is wrong).
struct Present {
    title: bool,
    topic: bool,
    instrument: bool,
    authority: bool,
    status: bool,
    binding: bool,
    source: bool,
    scope: bool,
    obligation: bool,
    explain: bool,
}

impl Builder<'_> {
    pub(super) fn rule(
        &mut self,
        f: usize,
        r: &ast::RuleDecl,
    ) -> Option<(Rule, Option<ast::Span>)> {
        let before = self.problems.len() + self.omitted;
        let mut seen: HashMap<&'static str, ast::Span> = HashMap::new();
        let repeatable = ["effective", "transition until", "except when"];
        let mut title = None;
        let mut topic = None;
        let mut instrument = None;
        let mut standards = Vec::new();
        let mut authority = None;
        let mut status = None;
        let mut binding = None;
        let mut binds = None;
        let mut source = None;
        let mut published = None;
        let mut effective = Vec::new();
        let mut transitions = Vec::new();
        let mut transitions_until_fact = Vec::new();
        let mut repealed = None;
        let mut superseded_by = None;
        let mut superseded_span = None;
        let mut formerly = Vec::new();
        let mut scope = None;
        let mut exclusions = Vec::new();
        let mut obligation = None;
        let mut met_by = None;
        let mut explain = None;
        let mut fallback_effective: Option<ast::Span> = None;

        for clause in &r.clauses {
            let kw = clause.kind.keyword();
            if !repeatable.contains(&kw) {
                if let Some(first) = seen.get(kw) {
                    let (line, _) = self.line_col(f, first.start);
                    self.error(
                        f,
                        &clause.span,
                        format!("rule `{}` has more than one `{kw}` clause", r.id.name),
                        "repeated",
                        Some(format!("the first is on line {line}; keep one")),
                    );
                    continue;
                }
                seen.insert(kw, clause.span.clone());
            }
            match &clause.kind {
                ast::ClauseKind::Title(t) => title = Some(t.value.clone()),
                ast::ClauseKind::Topic(t) => {
                    if !self.vocab.topics.contains_key(t.name.as_str()) {
                        let help =
                            did_you_mean(&t.name, self.vocab.topics.keys().map(|k| k.as_str()))
                                .or_else(|| {
                                    Some(
                                "declare it with `topic ID: \"name\"` or use a declared topic"
                                    .into(),
                            )
                                });
                        self.error(
                            f,
                            &t.span,
                            format!("unknown topic `{}`", t.name),
                            "not a declared topic",
                            help,
                        );
                    }
                    topic = Some(t.name.clone());
                }
                ast::ClauseKind::Instrument(t) => instrument = Some(t.value.clone()),
                ast::ClauseKind::Standards(list) => {
                    standards = list.iter().map(|t| t.value.clone()).collect()
                }
                ast::ClauseKind::Authority(t) => authority = Some(t.value.clone()),
                ast::ClauseKind::Status(s) => match RuleStatus::ALL
                    .iter()
                    .find(|(n, _)| *n == s.name)
                {
                    Some((_, st)) => status = Some(*st),
                    None => {
                        let help = did_you_mean(&s.name, RuleStatus::ALL.iter().map(|(n, _)| *n))
                            .unwrap_or_else(|| {
                                "the status is one of: draft, adopted, in-force, repealed".into()
                            });
                        self.error(
                            f,
                            &s.span,
                            format!("unknown status `{}`", s.name),
                            "not a status",
                            Some(help),
                        );
                    }
                },
                ast::ClauseKind::Binding(b) => binding = Some(*b),
                ast::ClauseKind::Binds(p) => match Party::ALL.iter().find(|(n, _)| *n == p.name) {
                    Some((_, party)) => binds = Some(*party),
                    None => {
                        let help = did_you_mean(&p.name, Party::ALL.iter().map(|(n, _)| *n))
                            .unwrap_or_else(|| {
                                "a rule binds one of: product, company, nobody".into()
                            });
                        self.error(
                            f,
                            &p.span,
                            format!("unknown party `{}`", p.name),
                            "not product, company or nobody",
                            Some(help),
                        );
                    }
                },
                ast::ClauseKind::Source { file, section } => {
                    if section.value.trim().is_empty() {
                        self.error(
                            f,
                            &section.span,
                            "the section heading is empty",
                            "empty",
                            Some("copy the heading of the newsletter section exactly".into()),
                        );
                    }
                    source = Some(Citation {
                        file: file.value.clone().into(),
                        section: section.value.clone().into(),
                    })
                }
                ast::ClauseKind::Published(d) => published = self.date(f, d),
                ast::ClauseKind::Effective { date, case } => {
                    let d = self.date(f, date);
                    let (label, when) = self.case(f, case.as_ref());
                    if when.is_none() {
                        if let Some(prev) = &fallback_effective {
                            let (line, _) = self.line_col(f, prev.start);
                            self.error(f, &clause.span, format!("rule `{}` has two effective dates for every product", r.id.name), "second date without `when`", Some(format!("line {line} already gives a date that applies to all; add `for \"case\" when …` to one of them")));
                        }
                        fallback_effective = Some(clause.span.clone());
                    }
                    if let Some(date) = d {
                        effective.push(DatedCase {
                            date,
                            label: label.map(Into::into),
                            when,
                        });
                    }
                }
                // `transition until ATTRIBUTE`: the end is the product's own date.
                ast::ClauseKind::Transition { date, case }
                    if !date.value.starts_with(|c: char| c.is_ascii_digit()) =>
                {
                    let (label, when) = self.case(f, case.as_ref());
                    if self.date_attribute(f, date) {
                        transitions_until_fact.push(FactTransition {
                            attribute: date.value.clone().into(),
                            label: label.map(Into::into),
                            when,
                        });
                    }
                }
                ast::ClauseKind::Transition { date, case } => {
                    let d = self.date(f, date);
                    let (label, when) = self.case(f, case.as_ref());
                    if let Some(date) = d {
                        transitions.push(DatedCase {
                            date,
                            label: label.map(Into::into),
                            when,
                        });
                    }
                }
                ast::ClauseKind::Repealed(d) => repealed = self.date(f, d),
                ast::ClauseKind::Superseded { by, on } => {
                    if by.name == r.id.name {
                        self.error(
                            f,
                            &by.span,
                            format!("rule `{}` is superseded by itself", r.id.name),
                            "same rule",
                            Some("name the rule that replaces this one".into()),
                        );
                    }
                    let on = on.as_ref().and_then(|d| self.date(f, d));
                    superseded_by = Some(Supersession {
                        by: by.name.clone().into(),
                        on,
                    });
                    superseded_span = Some(by.span.clone());
                }
                ast::ClauseKind::Formerly(ids) => {
                    for id in ids {
                        if id.name == r.id.name {
                            self.error(
                                f,
                                &id.span,
                                format!("rule `{}` names itself as a former id", r.id.name),
                                "same rule",
                                Some("`formerly` lists the ids the rule had before".into()),
                            );
                        } else {
                            formerly.push(id.name.clone().into());
                        }
                    }
                }
                ast::ClauseKind::Applies(c) => scope = self.condition(f, c),
                ast::ClauseKind::Except { when, because } => {
                    if let Some(c) = self.condition(f, when) {
                        exclusions.push(Exclusion {
                            when: c,
                            because: because.value.clone().into(),
                        });
                    }
                }
                ast::ClauseKind::Obligation { kind, text } => {
                    match ObligationKind::ALL.iter().find(|(n, _)| *n == kind.name) {
                        Some((_, k)) => obligation = Some((*k, text.value.clone())),
                        None => {
                            let help = did_you_mean(&kind.name, ObligationKind::ALL.iter().map(|(n, _)| *n)).unwrap_or_else(|| {
                            "the kind is one of: certify, label, file, test, report, meet-limit, declare, inform".into()
                        });
                            self.error(
                                f,
                                &kind.span,
                                format!("unknown obligation kind `{}`", kind.name),
                                "not a kind",
                                Some(help),
                            );
                        }
                    }
                }
                ast::ClauseKind::MetBy(e) => met_by = self.evidence_expr(f, e),
                ast::ClauseKind::Explain(t) => {
                    self.check_template(f, t);
                    explain = Some(t.value.clone());
                }
            }
        }

        let present = Present {
            title: title.is_some(),
            topic: topic.is_some(),
            instrument: instrument.is_some(),
            authority: authority.is_some(),
            status: status.is_some(),
            binding: binding.is_some(),
            source: source.is_some(),
            scope: scope.is_some(),
            obligation: obligation.is_some(),
            explain: explain.is_some(),
        };
        self.check_required(f, r, &seen, &present);
        self.check_dates(f, r, &seen, published, &effective, &transitions, repealed);

        if self.problems.len() + self.omitted > before {
            return None;
        }
        let (obligation_kind, obligation) = obligation?;
        Some((
            Rule {
                id: r.id.name.clone().into(),
                title: title?.into(),
                topic: topic?.into(),
                instrument: instrument?.into(),
                standards: standards.into_iter().map(Into::into).collect(),
                authority: authority?.into(),
                status: status?,
                binding: binding?,
                // Rule files written before `binds` existed still load (as
                // product duties); `lint` asks for the clause.
                binds: binds.unwrap_or(Party::Product),
                source: source?,
                published,
                effective,
                transitions,
                transitions_until_fact,
                repealed,
                superseded_by,
                formerly,
                scope: scope?,
                exclusions,
                obligation_kind,
                obligation: obligation.into(),
                met_by,
                explain: explain?.into(),
                location: self.location(f, &r.id.span),
            },
            superseded_span,
        ))
    }

    /// Every clause a rule must have, named with an example line when missing.
    fn check_required(
        &mut self,
        f: usize,
        r: &ast::RuleDecl,
        seen: &HashMap<&'static str, ast::Span>,
        present: &Present,
    ) {
        let required: [(&str, bool, &str); 10] = [
            ("title", present.title, "title \"one line a reader scans\""),
            ("topic", present.topic, "topic ccc"),
            (
                "instrument",
                present.instrument,
                "instrument \"GB 26572-2025\"",
            ),
            ("authority", present.authority, "authority \"SAMR\""),
            (
                "status",
                present.status || seen.contains_key("status"),
                "status in-force",
            ),
            ("mandatory/voluntary", present.binding, "mandatory"),
            (
                "source",
                present.source,
                "source \"001_….txt\", section \"Heading\"",
            ),
            (
                "applies when",
                present.scope || seen.contains_key("applies when"),
                "applies when category is …",
            ),
            (
                "obligation",
                present.obligation || seen.contains_key("obligation"),
                "obligation certify \"…\"",
            ),
            ("explain", present.explain, "explain \"…\""),
        ];
        for (kw, present, example) in required {
            if !present {
                self.error(
                    f,
                    &r.id.span,
                    format!("rule `{}` has no `{kw}` clause", r.id.name),
                    format!("missing `{kw}`"),
                    Some(format!("add a line like: {example}")),
                );
            }
        }
    }

    /// Dates that contradict each other are almost always a typo.
    #[allow(clippy::too_many_arguments)]
    fn check_dates(
        &mut self,
        f: usize,
        r: &ast::RuleDecl,
        seen: &HashMap<&'static str, ast::Span>,
        published: Option<NaiveDate>,
        effective: &[DatedCase],
        transitions: &[DatedCase],
        repealed: Option<NaiveDate>,
    ) {
        let first = effective.iter().map(|c| c.date).min();
        if let (Some(p), Some(e)) = (published, first) {
            if p > e {
                let span = seen.get("published").cloned().unwrap_or(r.id.span.clone());
                self.error(
                    f,
                    &span,
                    format!(
                        "rule `{}` is published ({p}) after it takes effect ({e})",
                        r.id.name
                    ),
                    "published after effective",
                    Some("check both dates against the newsletter".into()),
                );
            }
        }
        for t in transitions {
            if let Some(e) = first {
                if t.date < e {
                    self.error(
                        f,
                        &r.id.span,
                        format!(
                            "rule `{}`: transition ends ({}) before the rule takes effect ({e})",
                            r.id.name, t.date
                        ),
                        "inverted dates",
                        Some("a transition period runs from the effective date to its end".into()),
                    );
                }
            }
        }
        if let (Some(rep), Some(e)) = (repealed, first) {
            if rep < e {
                let span = seen.get("repealed").cloned().unwrap_or(r.id.span.clone());
                self.error(
                    f,
                    &span,
                    format!(
                        "rule `{}` is repealed ({rep}) before it takes effect ({e})",
                        r.id.name
                    ),
                    "inverted dates",
                    None,
                );
            }
        }
    }

    pub(super) fn case(
        &mut self,
        f: usize,
        case: Option<&ast::Case>,
    ) -> (Option<String>, Option<Condition>) {
        match case {
            None => (None, None),
            Some(c) => (
                Some(c.label.value.clone()),
                c.when.as_ref().and_then(|w| self.condition(f, w)),
            ),
        }
    }

    pub(super) fn check_template(&mut self, f: usize, t: &ast::Text) {
        let mut rest = t.value.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let name = after[..close].trim();
            if Fact::from_reserved(name).is_none() && !self.vocab.attributes.contains_key(name) {
                let help = did_you_mean(name, self.vocab.attributes.keys().map(|k| k.as_str()).chain(Fact::RESERVED))
                    .or_else(|| Some("`{…}` quotes a profile fact: an attribute, or name, category, made_in, sold_in, placed_on_market".into()));
                self.error(
                    f,
                    &t.span,
                    format!("the explanation quotes `{{{name}}}`, which no profile can give"),
                    "unknown fact",
                    help,
                );
            }
            rest = &after[close + 1..];
        }
    }

    pub(super) fn resolve_supersession(
        &mut self,
        rules: &mut [Rule],
        index: &HashMap<Text, usize>,
        spans: &[(usize, Option<ast::Span>)],
    ) {
        for i in 0..rules.len() {
            let Some(sup) = rules[i].superseded_by.clone() else {
                continue;
            };
            let (f, span) = (spans[i].0, spans[i].1.clone().unwrap_or(0..0));
            let Some(&target) = index.get(&*sup.by) else {
                let help = did_you_mean(&sup.by, rules.iter().map(|r| r.id.as_str()))
                    .or_else(|| Some("name an existing rule id (see `cncomply rules list`), or remove the clause".into()));
                self.error(
                    f,
                    &span,
                    format!(
                        "rule `{}` is superseded by `{}`, which does not exist",
                        rules[i].id, sup.by
                    ),
                    "no such rule",
                    help,
                );
                continue;
            };
            // A successor that is itself (indirectly) replaced by this rule
            // would leave no rule governing; refuse the loop.
            let mut seen = HashSet::from([i]);
            let mut cur = target;
            let mut looped = false;
            while let Some(next) = rules[cur]
                .superseded_by
                .as_ref()
                .and_then(|s| index.get(&*s.by))
            {
                if !seen.insert(cur) || *next == i {
                    looped = true;
                    break;
                }
                cur = *next;
            }
            if looped {
                self.error(
                    f,
                    &span,
                    format!(
                        "rules `{}` and `{}` supersede each other",
                        rules[i].id, sup.by
                    ),
                    "cycle",
                    Some("one rule replaces the other, not both ways".into()),
                );
                continue;
            }
            if sup.on.is_none() {
                match rules[target].first_effective() {
                    Some(d) => rules[i].superseded_by.as_mut().unwrap().on = Some(d),
                    None => self.error(
                        f,
                        &span,
                        format!(
                            "`{}` has no effective date to supersede `{}` on",
                            sup.by, rules[i].id
                        ),
                        "no date",
                        Some("write `superseded by ID on YYYY-MM-DD`".into()),
                    ),
                }
            }
        }
    }

    /// Former id (`formerly`) → index of the rule that has it now. A former
    /// id may not be a current rule's id or another rule's former id: a
    /// waiver naming it would mean two rules.
    pub(super) fn former_ids(
        &mut self,
        parsed: &[(usize, ast::File)],
        rules: &[Rule],
        rule_index: &HashMap<Text, usize>,
    ) -> HashMap<Text, usize> {
        let mut former: HashMap<Text, usize> = HashMap::new();
        for (f, ast) in parsed {
            for decl in &ast.declarations {
                let ast::Declaration::Rule(r) = decl else {
                    continue;
                };
                let Some(&owner) = rule_index.get(r.id.name.as_str()) else {
                    continue;
                };
                let ids = r.clauses.iter().filter_map(|c| match &c.kind {
                    ast::ClauseKind::Formerly(ids) => Some(ids),
                    _ => None,
                });
                for id in ids.flatten().filter(|id| id.name != r.id.name) {
                    let clash = if let Some(&i) = rule_index.get(id.name.as_str()) {
                        Some(format!(
                            "`{}` is the id of a rule at {}:{}; a former id must not be in use",
                            id.name, rules[i].location.file, rules[i].location.line
                        ))
                    } else {
                        former
                            .get(id.name.as_str())
                            .filter(|&&i| i != owner)
                            .map(|&i| {
                                format!(
                                    "`{}` is already a former id of rule `{}`",
                                    id.name, rules[i].id
                                )
                            })
                    };
                    match clash {
                        Some(message) => self.error(
                            *f,
                            &id.span,
                            message,
                            "former id taken",
                            Some(
                                "a former id names exactly one rule: drop it here or there".into(),
                            ),
                        ),
                        None => {
                            former.insert(id.name.clone().into(), owner);
                        }
                    }
                }
            }
        }
        former
    }
}

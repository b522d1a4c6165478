//! Vocabulary declarations: topics, attributes, evidence schemes, categories.

use super::*;

impl Builder<'_> {
    /// A name declared again: the error points at the second declaration and
    /// says where the first one is.
    fn declared_twice(&mut self, file: usize, id: &ast::Ident, what: &str, first: &Location) {
        self.error(
            file,
            &id.span,
            format!("{what} `{}` is declared twice", id.name),
            "declared again here",
            Some(format!("first declared at {}:{}", first.file, first.line)),
        );
    }

    pub(super) fn topic(&mut self, file: usize, t: &ast::TopicDecl) {
        if let Some(first) = self.vocab.topics.get(t.id.name.as_str()) {
            let first = first.location.clone();
            self.declared_twice(file, &t.id, "topic", &first);
            return;
        }
        let location = self.location(file, &t.id.span);
        self.vocab.topics.insert(
            t.id.name.clone().into(),
            Topic {
                id: t.id.name.clone().into(),
                name: t.name.value.clone().into(),
                location,
            },
        );
    }

    pub(super) fn attribute(&mut self, file: usize, a: &ast::AttributeDecl) {
        if let Some(first) = self.vocab.attributes.get(a.name.name.as_str()) {
            let first = first.location.clone();
            self.declared_twice(file, &a.name, "attribute", &first);
            return;
        }
        if Fact::RESERVED.contains(&a.name.name.as_str()) {
            self.error(
                file,
                &a.name.span,
                format!(
                    "`{}` is a built-in profile field, not an attribute",
                    a.name.name
                ),
                "reserved name",
                Some(format!(
                    "profiles give `{}` at the top level; rules can test it directly",
                    a.name.name
                )),
            );
            return;
        }
        let value_type = match &a.value_type {
            ast::ValueType::Number { unit } => {
                if let Some(unit) = unit {
                    let suffix = unit_suffix(&unit.value);
                    if !a.name.name.to_lowercase().ends_with(&format!("_{suffix}")) {
                        self.error(
                            file,
                            &unit.span,
                            format!("attribute `{}` is in {} but its name does not say so", a.name.name, unit.value),
                            "unit",
                            Some(format!("name it `…_{suffix}` so that profiles show the unit, e.g. `rated_voltage_v` for V")),
                        );
                    }
                }
                AttrType::Number {
                    unit: unit.as_ref().map(|u| u.value.clone().into()),
                }
            }
            ast::ValueType::YesNo => AttrType::YesNo,
            ast::ValueType::Date => AttrType::Date,
            ast::ValueType::List => AttrType::List,
            ast::ValueType::ListOf(values) => {
                let mut items = Vec::new();
                for v in values {
                    match &v.kind {
                        ast::ValueKind::Text(s) | ast::ValueKind::Ident(s) => {
                            items.push(s.clone().into())
                        }
                        _ => self.error(
                            file,
                            &v.span,
                            "list items must be texts",
                            "not a text",
                            Some("write each item as a word or in double quotes".into()),
                        ),
                    }
                }
                AttrType::ListOf(items)
            }
            ast::ValueType::Text => AttrType::Text,
            ast::ValueType::Choice(values) => {
                let mut choices = Vec::new();
                for v in values {
                    match &v.kind {
                        ast::ValueKind::Text(s) | ast::ValueKind::Ident(s) => {
                            choices.push(s.clone().into())
                        }
                        _ => self.error(
                            file,
                            &v.span,
                            "choices must be texts",
                            "not a text",
                            Some("write each choice in double quotes".into()),
                        ),
                    }
                }
                AttrType::Choice(choices)
            }
        };
        let location = self.location(file, &a.name.span);
        self.vocab.attributes.insert(
            a.name.name.clone().into(),
            Attribute {
                name: a.name.name.clone().into(),
                value_type,
                meaning: a.meaning.value.clone().into(),
                location,
            },
        );
    }

    pub(super) fn evidence(&mut self, file: usize, e: &ast::EvidenceDecl) {
        if let Some(first) = self.vocab.evidence.get(e.id.name.as_str()) {
            let first = first.location.clone();
            self.declared_twice(file, &e.id, "evidence", &first);
            return;
        }
        let location = self.location(file, &e.id.span);
        self.vocab.evidence.insert(
            e.id.name.clone().into(),
            EvidenceScheme {
                id: e.id.name.clone().into(),
                kind: e.kind,
                level: e.level,
                meaning: e.meaning.value.clone().into(),
                location,
            },
        );
    }

    /// The attributes a category's `implies` / `includes any product with`
    /// name: each must be a declared yes/no attribute.
    fn category_facts(&mut self, f: usize, c: &ast::CategoryDecl) -> (Vec<String>, Vec<String>) {
        let (mut implies, mut includes) = (Vec::new(), Vec::new());
        for fact in &c.facts {
            let name = &fact.attribute.name;
            match self
                .vocab
                .attributes
                .get(name.as_str())
                .map(|a| &a.value_type)
            {
                Some(AttrType::YesNo) => {
                    implies.push(name.clone());
                    if fact.includes {
                        includes.push(name.clone());
                    }
                }
                Some(other) => {
                    let other = other.describe();
                    self.error(
                        f,
                        &fact.attribute.span,
                        format!("`{name}` is {other}; a category can imply only a yes/no fact"),
                        "not yes/no",
                        Some("declare the attribute `is yes/no`, or drop it here".into()),
                    )
                }
                None => {
                    let help = did_you_mean(name, self.vocab.attributes.keys().map(|k| k.as_str()));
                    self.error(
                        f,
                        &fact.attribute.span,
                        format!("unknown attribute `{name}`"),
                        "not declared",
                        help.or_else(|| {
                            Some(format!("declare it: attribute {name} is yes/no: \"…\""))
                        }),
                    )
                }
            }
        }
        (implies, includes)
    }

    pub(super) fn categories(&mut self, parsed: &[(usize, ast::File)]) {
        let mut parents: Vec<(usize, usize, ast::Ident)> = Vec::new();
        for (f, ast) in parsed {
            for decl in &ast.declarations {
                let ast::Declaration::Category(c) = decl else {
                    continue;
                };
                if let Some(existing) = self.vocab.category_by_id(&c.id.name) {
                    let first = self.vocab.categories[existing].location.clone();
                    self.declared_twice(*f, &c.id, "category", &first);
                    continue;
                }
                let mut aliases = Vec::new();
                for alias in &c.aliases {
                    if let Some(owner) = self.vocab.name_owner(&alias.value) {
                        let owner = self.vocab.categories[owner].id.clone();
                        self.error(
                            *f,
                            &alias.span,
                            format!("alias \"{}\" already names category `{owner}`", alias.value),
                            "ambiguous alias",
                            Some(
                                "an alias may name only one category; drop it here or there".into(),
                            ),
                        );
                    } else {
                        aliases.push(alias.value.clone().into());
                    }
                }
                if let Some(owner) = self.vocab.name_owner(&c.id.name) {
                    let owner = self.vocab.categories[owner].id.clone();
                    self.error(
                        *f,
                        &c.id.span,
                        format!(
                            "category id `{}` is already an alias of `{owner}`",
                            c.id.name
                        ),
                        "ambiguous name",
                        None,
                    );
                }
                let location = self.location(*f, &c.id.span);
                let (implies, includes) = self.category_facts(*f, c);
                let index = self.vocab.add_category(Category {
                    id: c.id.name.clone().into(),
                    name: c.name.value.clone().into(),
                    parent: None,
                    aliases,
                    location,
                    ask_kind: c.ask_kind,
                    implies: implies.into_iter().map(Into::into).collect(),
                    includes: includes.into_iter().map(Into::into).collect(),
                });
                if let Some(p) = &c.parent {
                    parents.push((*f, index, p.clone()));
                }
            }
        }
        for (f, index, parent) in parents {
            match self.vocab.category_by_id(&parent.name) {
                Some(p) => self.vocab.categories[index].parent = Some(p),
                None => {
                    let help = did_you_mean(
                        &parent.name,
                        self.vocab.categories.iter().map(|c| c.id.as_str()),
                    );
                    self.error(
                        f,
                        &parent.span,
                        format!("unknown parent category `{}`", parent.name),
                        "not declared",
                        help,
                    );
                }
            }
        }
        // A cycle would make "is a" questions endless; report each once.
        // Each walk stops after MAX_CATEGORY_DEPTH steps, so a long chain
        // costs categories × that bound, not categories × chain length
        // (a 100,000-deep chain ran past two minutes).
        let n = self.vocab.categories.len();
        let mut reported = HashSet::new();
        for start in 0..n {
            let mut seen = HashSet::new();
            let mut current = Some(start);
            while let Some(c) = current {
                if seen.len() > MAX_CATEGORY_DEPTH && !seen.contains(&c) {
                    self.vocab.categories[start].parent = None;
                    if self.problems.len() >= crate::model::error::MAX_PROBLEMS {
                        // Counted only: placing it would scan its file.
                        self.omitted += 1;
                        break;
                    }
                    let cat = self.vocab.categories[start].clone();
                    let file = self
                        .files
                        .iter()
                        .position(|f| f.name == cat.location.file)
                        .unwrap_or(0);
                    let offset = crate::position::offset_of(
                        &self.files[file].text,
                        cat.location.line,
                        cat.location.column,
                    );
                    self.error(
                        file,
                        &(offset..offset + cat.id.len()),
                        format!(
                            "category `{}` is more than {MAX_CATEGORY_DEPTH} levels deep in the category tree",
                            cat.id
                        ),
                        "too deep",
                        Some("a category tree is a few levels deep; put this category under one nearer the root".into()),
                    );
                    break;
                }
                if !seen.insert(c) {
                    if reported.insert(c) {
                        let cat = self.vocab.categories[c].clone();
                        let file = self
                            .files
                            .iter()
                            .position(|f| f.name == cat.location.file)
                            .unwrap_or(0);
                        let offset = crate::position::offset_of(
                            &self.files[file].text,
                            cat.location.line,
                            cat.location.column,
                        );
                        let chain: Vec<String> = self
                            .vocab
                            .categories
                            .iter()
                            .filter(|x| seen.contains(&self.vocab.category_by_id(&x.id).unwrap()))
                            .map(|x| x.id.to_string())
                            .collect();
                        self.error(
                            file,
                            &(offset..offset + cat.id.len()),
                            format!(
                                "category `{}` is under itself (cycle through {})",
                                cat.id,
                                chain.join(", ")
                            ),
                            "cycle",
                            Some("the category tree must not loop; remove one `under`".into()),
                        );
                        self.vocab.categories[c].parent = None;
                    }
                    break;
                }
                current = self.vocab.categories[c].parent;
            }
        }
    }
}

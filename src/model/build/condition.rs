//! Conditions: facts, the tests on them and the values they compare with.

use super::*;

impl Builder<'_> {
    pub(super) fn fact_type(&self, fact: &Fact) -> FactType {
        match fact {
            Fact::Category => FactType::Category,
            Fact::Name | Fact::MadeIn => FactType::Attr(AttrType::Text),
            Fact::SoldIn => FactType::Attr(AttrType::List),
            Fact::PlacedOnMarket => FactType::Attr(AttrType::Date),
            Fact::Attribute(a) => FactType::Attr(self.vocab.attributes[a].value_type.clone()),
        }
    }

    pub(super) fn condition(&mut self, f: usize, c: &ast::Condition) -> Option<Condition> {
        match c {
            ast::Condition::Any(parts, _) => {
                let v: Vec<_> = parts.iter().map(|p| self.condition(f, p)).collect();
                v.into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(Condition::Any)
            }
            ast::Condition::All(parts, _) => {
                let v: Vec<_> = parts.iter().map(|p| self.condition(f, p)).collect();
                v.into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(Condition::All)
            }
            ast::Condition::Not(inner, _) => self
                .condition(f, inner)
                .map(|c| Condition::Not(Box::new(c))),
            ast::Condition::Holds(r) => self.evidence_ref(f, r).map(Condition::Holds),
            ast::Condition::Compare(cmp) => self.comparison(f, cmp).map(Condition::Test),
        }
    }

    pub(super) fn comparison(&mut self, f: usize, c: &ast::Comparison) -> Option<Test> {
        let name = &c.subject.name;
        let fact = match Fact::from_reserved(name) {
            Some(fact) => fact,
            None if self.vocab.attributes.contains_key(name.as_str()) => {
                Fact::Attribute(name.clone().into())
            }
            None => {
                let help = did_you_mean(
                    name,
                    self.vocab
                        .attributes
                        .keys()
                        .map(|k| k.as_str())
                        .chain(Fact::RESERVED),
                )
                .or_else(|| {
                    Some(format!(
                        "declare it: attribute {name} is a number in V: \"what it means\""
                    ))
                });
                self.error(
                    f,
                    &c.subject.span,
                    format!("no profile can give `{name}`: it is not a declared attribute"),
                    "unknown attribute",
                    help,
                );
                return None;
            }
        };
        let text = collapse_ws(&self.files[f].text[c.span.clone()]);
        let ty = self.fact_type(&fact);
        let op = self.op(f, &fact, &ty, &c.predicate, &c.span)?;
        Some(Test {
            path: fact.path().into(),
            fact,
            op,
            text: text.into(),
        })
    }

    pub(super) fn op(
        &mut self,
        f: usize,
        fact: &Fact,
        ty: &FactType,
        p: &ast::Predicate,
        span: &ast::Span,
    ) -> Option<Op> {
        use ast::Predicate as P;
        let name = fact.name().to_string();
        let mismatch = |b: &mut Self, what: &str, help: &str| {
            let tyname = match ty {
                FactType::Category => "a category".to_string(),
                FactType::Attr(t) => t.describe(),
            };
            b.error(
                f,
                span,
                format!("`{name}` is {tyname}; `{what}` does not apply to it"),
                "type mismatch",
                Some(help.to_string()),
            );
            None
        };
        match (p, ty) {
            (P::Given, _) => Some(Op::Given),
            (P::Missing, _) => Some(Op::Missing),
            (P::Is(v), FactType::Category) => Some(Op::InCategories(vec![self.category_value(f, v)?])),
            (P::IsNot(v), FactType::Category) => Some(Op::NotInCategories(vec![self.category_value(f, v)?])),
            (P::OneOf(vs), FactType::Category) => {
                let cats: Vec<_> = vs.iter().map(|v| self.category_value(f, v)).collect();
                cats.into_iter().collect::<Option<Vec<_>>>().map(Op::InCategories)
            }
            (P::NotOneOf(vs), FactType::Category) => {
                let cats: Vec<_> = vs.iter().map(|v| self.category_value(f, v)).collect();
                cats.into_iter().collect::<Option<Vec<_>>>().map(Op::NotInCategories)
            }
            (_, FactType::Category) => mismatch(self, "this test", "test a category with `is`, `is not`, `is one of` or `is not one of`"),
            (P::Is(v) | P::IsNot(v), FactType::Attr(AttrType::List | AttrType::ListOf(_))) => {
                let _ = v;
                mismatch(self, "is", "test a list with `contains` or `does not contain`")
            }
            (P::Is(v), FactType::Attr(t)) => Some(Op::Is(self.scalar(f, fact, t, v)?)),
            (P::IsNot(v), FactType::Attr(t)) => Some(Op::IsNot(self.scalar(f, fact, t, v)?)),
            (P::OneOf(vs) | P::NotOneOf(vs), FactType::Attr(t)) if !matches!(t, AttrType::List | AttrType::ListOf(_)) => {
                let values: Vec<_> = vs.iter().map(|v| self.scalar(f, fact, t, v)).collect();
                let values = values.into_iter().collect::<Option<Vec<_>>>()?;
                Some(if matches!(p, P::OneOf(_)) { Op::OneOf(values) } else { Op::NotOneOf(values) })
            }
            (P::Between(lo, hi), FactType::Attr(t @ AttrType::Number { .. })) => {
                let lo = self.number(f, fact, t, lo)?;
                let hi = self.number(f, fact, t, hi)?;
                if lo > hi {
                    self.error(f, span, format!("the range {lo} to {hi} is empty"), "lower bound above upper bound", Some("write the smaller value first".into()));
                    return None;
                }
                Some(Op::Between(lo, hi))
            }
            (P::Above(v) | P::Below(v) | P::AtLeast(v) | P::AtMost(v), FactType::Attr(t @ AttrType::Number { .. })) => {
                let n = self.number(f, fact, t, v)?;
                let cmp = match p {
                    P::Above(_) => Cmp::Above,
                    P::Below(_) => Cmp::Below,
                    P::AtLeast(_) => Cmp::AtLeast,
                    _ => Cmp::AtMost,
                };
                Some(Op::Number(cmp, n))
            }
            (P::Before(v) | P::After(v) | P::OnOrBefore(v) | P::OnOrAfter(v), FactType::Attr(AttrType::Date)) => {
                let d = self.date_value(f, v)?;
                let cmp = match p {
                    P::Before(_) => Cmp::Below,
                    P::After(_) => Cmp::Above,
                    P::OnOrBefore(_) => Cmp::AtMost,
                    _ => Cmp::AtLeast,
                };
                Some(Op::Date(cmp, d))
            }
            (P::Contains(v) | P::NotContains(v), FactType::Attr(t @ (AttrType::List | AttrType::ListOf(_)))) => {
                let s = match &v.kind {
                    ast::ValueKind::Text(s) | ast::ValueKind::Ident(s) => s.clone(),
                    _ => {
                        self.error(f, &v.span, "lists hold texts", "not a text", Some("write the item as a name or in double quotes".into()));
                        return None;
                    }
                };
                // A list with declared items: a test of another item could
                // never hold, so it is a typo.
                if let AttrType::ListOf(items) = t {
                    if !items.iter().any(|i| i.eq_ignore_ascii_case(&s)) {
                        let help = did_you_mean(&s, items.iter().map(|s| s.as_str()))
                            .unwrap_or_else(|| format!("`{name}` is {}", t.describe()));
                        self.error(f, &v.span, format!("\"{s}\" is not one of the items `{name}` may hold"), "not a declared item", Some(help));
                        return None;
                    }
                }
                Some(if matches!(p, P::Contains(_)) { Op::Contains(s.into()) } else { Op::NotContains(s.into()) })
            }
            (P::Between(..) | P::Above(_) | P::Below(_) | P::AtLeast(_) | P::AtMost(_), _) => {
                mismatch(self, "a numeric comparison", "`above`, `below`, `at least`, `at most` and `between` compare numbers; dates use `before`/`after`")
            }
            (P::Before(_) | P::After(_) | P::OnOrBefore(_) | P::OnOrAfter(_), _) => {
                mismatch(self, "a date comparison", "`before` and `after` compare dates; numbers use `above`/`below`")
            }
            (P::Contains(_) | P::NotContains(_), _) => mismatch(self, "contains", "`contains` tests lists; use `is` or `is one of`"),
            (P::OneOf(_) | P::NotOneOf(_), _) => mismatch(self, "is one of", "test a list with `contains`"),
        }
    }

    pub(super) fn category_value(&mut self, f: usize, v: &ast::Value) -> Option<usize> {
        let name = match &v.kind {
            ast::ValueKind::Ident(s) | ast::ValueKind::Text(s) => s,
            _ => {
                self.error(
                    f,
                    &v.span,
                    "expected a category",
                    "not a category name",
                    None,
                );
                return None;
            }
        };
        match self.vocab.category_by_id(name) {
            Some(c) => Some(c),
            None => {
                let help = did_you_mean(name, self.vocab.categories.iter().map(|c| c.id.as_str()))
                    .or_else(|| {
                        Some("declare it with `category ID under PARENT: \"name\"`".into())
                    });
                self.error(
                    f,
                    &v.span,
                    format!("unknown category `{name}`"),
                    "not in the taxonomy",
                    help,
                );
                None
            }
        }
    }

    pub(super) fn number(
        &mut self,
        f: usize,
        fact: &Fact,
        ty: &AttrType,
        v: &ast::Value,
    ) -> Option<f64> {
        match self.scalar(f, fact, ty, v)? {
            Scalar::Number(n) => Some(n),
            _ => None,
        }
    }

    pub(super) fn date_value(&mut self, f: usize, v: &ast::Value) -> Option<NaiveDate> {
        match &v.kind {
            ast::ValueKind::Date(d) => {
                let t = ast::Text {
                    value: d.clone(),
                    span: v.span.clone(),
                };
                self.date(f, &t)
            }
            _ => {
                self.error(
                    f,
                    &v.span,
                    "expected a date (YYYY-MM-DD)",
                    "not a date",
                    None,
                );
                None
            }
        }
    }

    pub(super) fn scalar(
        &mut self,
        f: usize,
        fact: &Fact,
        ty: &AttrType,
        v: &ast::Value,
    ) -> Option<Scalar> {
        let name = fact.name();
        let wrong = |b: &mut Self| {
            b.error(
                f,
                &v.span,
                format!("`{name}` is {}; this value is not", ty.describe()),
                "wrong type of value",
                None,
            );
            None
        };
        match (ty, &v.kind) {
            (AttrType::Number { unit }, ast::ValueKind::Number { value, unit: vunit }) => {
                if !value.is_finite() {
                    self.error(f, &v.span, "number out of range", "too large", None);
                    return None;
                }
                match (unit, vunit) {
                    (Some(u), Some(vu)) if u != vu => {
                        self.error(
                            f,
                            &v.span,
                            format!("`{name}` is in {u}, not {vu}"),
                            "wrong unit",
                            Some(format!("write the value in {u}")),
                        );
                        None
                    }
                    (None, Some(vu)) => {
                        self.error(
                            f,
                            &v.span,
                            format!("`{name}` has no unit, but the value is in {vu}"),
                            "unexpected unit",
                            Some("declare the attribute with `in UNIT`, or drop the unit".into()),
                        );
                        None
                    }
                    _ => Some(Scalar::Number(*value)),
                }
            }
            (AttrType::YesNo, ast::ValueKind::Bool(b)) => Some(Scalar::Bool(*b)),
            (AttrType::Date, ast::ValueKind::Date(_)) => self.date_value(f, v).map(Scalar::Date),
            (AttrType::Text, ast::ValueKind::Text(s) | ast::ValueKind::Ident(s)) => {
                Some(Scalar::Text(s.clone().into()))
            }
            (AttrType::Choice(choices), ast::ValueKind::Text(s) | ast::ValueKind::Ident(s)) => {
                if choices.iter().any(|c| c.eq_ignore_ascii_case(s)) {
                    Some(Scalar::Text(s.clone().into()))
                } else {
                    let help = did_you_mean(s, choices.iter().map(|c| c.as_str()))
                        .unwrap_or_else(|| format!("`{name}` is {}", ty.describe()));
                    self.error(
                        f,
                        &v.span,
                        format!("\"{s}\" is not a choice of `{name}`"),
                        "not a choice",
                        Some(help),
                    );
                    None
                }
            }
            _ => wrong(self),
        }
    }
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

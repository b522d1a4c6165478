//! `met by` expressions: which evidence satisfies a rule.

use super::*;

impl Builder<'_> {
    pub(super) fn evidence_expr(&mut self, f: usize, e: &ast::EvidenceExpr) -> Option<EvidenceReq> {
        match e {
            ast::EvidenceExpr::Ref(r) => self.evidence_ref(f, r).map(EvidenceReq::One),
            ast::EvidenceExpr::All(v) => {
                let parts: Vec<_> = v.iter().map(|p| self.evidence_expr(f, p)).collect();
                parts
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(EvidenceReq::All)
            }
            ast::EvidenceExpr::Any(v) => {
                let parts: Vec<_> = v.iter().map(|p| self.evidence_expr(f, p)).collect();
                parts
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(EvidenceReq::Any)
            }
        }
    }

    pub(super) fn evidence_ref(&mut self, f: usize, r: &ast::EvidenceRef) -> Option<EvidenceRef> {
        let Some(scheme) = self.vocab.evidence.get(r.scheme.name.as_str()).cloned() else {
            let help = did_you_mean(
                &r.scheme.name,
                self.vocab.evidence.keys().map(|k| k.as_str()),
            )
            .or_else(|| {
                Some(format!(
                    "declare it: evidence {} is a {}: \"what it is\"",
                    r.scheme.name,
                    r.kind.as_str()
                ))
            });
            self.error(
                f,
                &r.scheme.span,
                format!("unknown evidence `{}`", r.scheme.name),
                "not declared",
                help,
            );
            return None;
        };
        if scheme.kind != r.kind {
            self.error(
                f,
                &r.span,
                format!(
                    "`{}` is a {}, not a {}",
                    scheme.id,
                    scheme.kind.as_str(),
                    r.kind.as_str()
                ),
                "wrong kind",
                Some(format!("write `{} {}`", scheme.kind.as_str(), scheme.id)),
            );
            return None;
        }
        if let Some(level) = &r.level {
            if scheme.level != Some(level.kind) {
                let help = match scheme.level {
                    Some(k) => format!("`{}` is rated by {}", scheme.id, k.as_str()),
                    None => format!(
                        "`{}` has no grade or tier; declare it `with grade` or `with tier`",
                        scheme.id
                    ),
                };
                self.error(
                    f,
                    &level.span,
                    format!("`{}` has no {}", scheme.id, level.kind.as_str()),
                    "no such level",
                    Some(help),
                );
                return None;
            }
        }
        if r.implementation_rule.is_some() && r.kind != ast::EvidenceKind::Certificate {
            self.error(
                f,
                &r.span,
                "only a certificate is issued under an implementation rule",
                "not a certificate",
                Some("drop `under implementation rule …`, or require a certificate".into()),
            );
            return None;
        }
        if !r.documents.is_empty() && r.kind != ast::EvidenceKind::Filing {
            self.error(
                f,
                &r.span,
                "only a filing lists the documents it contained",
                "not a filing",
                Some("drop `with documents […]`, or require a filing".into()),
            );
            return None;
        }
        Some(EvidenceRef {
            kind: r.kind,
            scheme: r.scheme.name.clone().into(),
            level: r.level.as_ref().map(|l| (l.kind, l.cmp, l.value)),
            standard: r.standard.as_ref().map(|s| s.value.clone().into()),
            implementation_rule: r
                .implementation_rule
                .as_ref()
                .map(|s| s.value.clone().into()),
            documents: r
                .documents
                .iter()
                .filter_map(|v| match &v.kind {
                    ast::ValueKind::Text(s) | ast::ValueKind::Ident(s) => Some(s.clone().into()),
                    _ => None,
                })
                .collect(),
        })
    }
}

//! Synthetic but realistic catalogues: profiles spread over every category
//! of the library, with attributes and evidence drawn from what the rules
//! actually test (the thresholds, choices, list items and standards written
//! in their conditions), so evaluation takes the same paths real products do.

use std::collections::{BTreeMap, BTreeSet};

use cncomply::model::{AttrType, Condition, EvidenceReq, Op, RuleSet, Scalar};
use cncomply::syntax::ast::EvidenceKind;

/// A small deterministic generator (xorshift64*): the same seed gives the
/// same catalogue on every machine, without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// What the rules test, per attribute, and which standards they ask for.
#[derive(Default)]
struct Harvest {
    numbers: BTreeMap<String, Vec<f64>>,
    texts: BTreeMap<String, BTreeSet<String>>,
    standards: BTreeMap<String, BTreeSet<String>>,
}

impl Harvest {
    fn of(rules: &RuleSet) -> Harvest {
        let mut h = Harvest::default();
        for r in &rules.rules {
            for c in r.conditions() {
                h.condition(c);
            }
            if let Some(req) = &r.met_by {
                h.evidence(req);
            }
        }
        h
    }

    fn condition(&mut self, c: &Condition) {
        match c {
            Condition::Any(parts) | Condition::All(parts) => {
                parts.iter().for_each(|p| self.condition(p))
            }
            Condition::Not(inner) => self.condition(inner),
            Condition::Holds(r) => {
                if let Some(s) = &r.standard {
                    self.standards
                        .entry(r.scheme.to_string())
                        .or_default()
                        .insert(s.to_string());
                }
            }
            Condition::Test(t) => {
                let name = t.fact.name().to_string();
                let mut scalar = |s: &Scalar| match s {
                    Scalar::Number(n) => self.numbers.entry(name.clone()).or_default().push(*n),
                    Scalar::Text(s) => {
                        self.texts
                            .entry(name.clone())
                            .or_default()
                            .insert(s.to_string());
                    }
                    Scalar::Bool(_) | Scalar::Date(_) => {}
                };
                match &t.op {
                    Op::Is(s) | Op::IsNot(s) => scalar(s),
                    Op::OneOf(list) | Op::NotOneOf(list) => list.iter().for_each(scalar),
                    Op::Number(_, n) => scalar(&Scalar::Number(*n)),
                    Op::Between(lo, hi) => {
                        scalar(&Scalar::Number(*lo));
                        scalar(&Scalar::Number(*hi));
                    }
                    Op::Contains(s) | Op::NotContains(s) => scalar(&Scalar::Text(s.clone())),
                    _ => {}
                }
            }
        }
    }

    fn evidence(&mut self, req: &EvidenceReq) {
        match req {
            EvidenceReq::Any(parts) | EvidenceReq::All(parts) => {
                parts.iter().for_each(|p| self.evidence(p))
            }
            EvidenceReq::One(r) => {
                if let Some(s) = &r.standard {
                    self.standards
                        .entry(r.scheme.to_string())
                        .or_default()
                        .insert(s.to_string());
                }
            }
        }
    }
}

const COUNTRIES: [&str; 6] = ["CN", "DE", "US", "JP", "KR", "FR"];

fn date(rng: &mut Rng, from_year: i32, years: usize) -> String {
    format!(
        "{}-{:02}-{:02}",
        from_year + rng.below(years) as i32,
        1 + rng.below(12),
        1 + rng.below(28)
    )
}

/// A value for attribute `name` of this type, drawn from what the rules test.
fn value(rng: &mut Rng, h: &Harvest, name: &str, value_type: &AttrType) -> String {
    let texts: Vec<&String> = h.texts.get(name).into_iter().flatten().collect();
    match value_type {
        AttrType::Number { .. } => {
            let base = h
                .numbers
                .get(name)
                .and_then(|v| rng.pick(v).copied())
                .unwrap_or(100.0);
            // Around the thresholds the rules test, on both sides.
            let jitter = (rng.below(41) as f64 - 20.0) / 10.0;
            format!("{}", (base * (1.0 + jitter / 10.0)).max(0.0).round())
        }
        AttrType::YesNo => (if rng.chance(50) { "yes" } else { "no" }).to_string(),
        AttrType::Date => date(rng, 2019, 10),
        AttrType::Choice(choices) => quoted(rng.pick(choices).unwrap()),
        AttrType::ListOf(allowed) => {
            let items: Vec<String> = (0..rng.below(3) + 1)
                .filter_map(|_| rng.pick(allowed).map(|s| quoted(s)))
                .collect();
            format!("[{}]", items.join(", "))
        }
        AttrType::List => {
            let items: Vec<String> = (0..rng.below(3) + 1)
                .filter_map(|_| rng.pick(&texts).map(|s| quoted(s)))
                .collect();
            format!("[{}]", items.join(", "))
        }
        AttrType::Text => match rng.pick(&texts) {
            Some(s) => quoted(s),
            None => quoted(&format!("text {}", rng.below(100))),
        },
    }
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// `count` profiles as (file name, YAML text), cycling through every
/// category so the whole library is exercised.
pub fn generate(rules: &RuleSet, count: usize, seed: u64) -> Vec<(String, String)> {
    let h = Harvest::of(rules);
    let vocab = &rules.vocabulary;
    let mut rng = Rng::new(seed);
    let schemes: Vec<_> = vocab.evidence.values().collect();
    // Company facts are stated once, in the catalogue's company file, as a
    // real catalogue does since issue 10 (a profile that states one is warned).
    let company = rules.company_attributes();
    (0..count)
        .map(|i| {
            let cat = &vocab.categories[i % vocab.categories.len()];
            let mut y = format!("name: Product {i}\ncategory: {}\n", cat.id);
            if rng.chance(80) {
                y.push_str(&format!("made_in: {}\n", rng.pick(&COUNTRIES).unwrap()));
            }
            if rng.chance(80) {
                let mut sold = vec!["CN"];
                if rng.chance(50) {
                    sold.push(rng.pick(&COUNTRIES[1..]).unwrap());
                }
                y.push_str(&format!("sold_in: [{}]\n", sold.join(", ")));
            }
            if rng.chance(70) {
                y.push_str(&format!("placed_on_market: {}\n", date(&mut rng, 2020, 9)));
            }
            y.push_str("attributes:\n");
            let index = vocab.category_by_id(&cat.id).unwrap_or(0);
            let implied: Vec<&str> = vocab
                .implied_facts(index)
                .into_iter()
                .map(|(_, a)| a)
                .collect();
            for (name, attr) in &vocab.attributes {
                if company.contains(name.as_str()) || !rng.chance(45) {
                    continue;
                }
                // A fact the category implies may only be stated as it is.
                if implied.contains(&name.as_str()) {
                    y.push_str(&format!("  {name}: yes\n"));
                    continue;
                }
                if rng.chance(3) {
                    y.push_str(&format!("  {name}: ~\n"));
                    continue;
                }
                let value = value(&mut rng, &h, name, &attr.value_type);
                y.push_str(&format!("  {name}: {value}\n"));
            }
            let mut items: [Vec<String>; 3] = Default::default();
            for _ in 0..rng.below(5) {
                let scheme = rng.pick(&schemes).unwrap();
                let mut item = format!("    - scheme: {}\n", scheme.id);
                if rng.chance(60) {
                    item.push_str(&format!("      number: \"N{}\"\n", rng.next() % 1_000_000));
                }
                if scheme.kind == EvidenceKind::Certificate && rng.chance(80) {
                    item.push_str(&format!("      valid_until: {}\n", date(&mut rng, 2024, 8)));
                }
                if scheme.level.is_some() && rng.chance(90) {
                    let level = match scheme.level {
                        Some(cncomply::syntax::ast::LevelKind::Grade) => "grade",
                        _ => "tier",
                    };
                    item.push_str(&format!("      {level}: {}\n", 1 + rng.below(5)));
                }
                let stds: Vec<&String> = h
                    .standards
                    .get(scheme.id.as_str())
                    .into_iter()
                    .flatten()
                    .collect();
                if let Some(s) = rng.pick(&stds) {
                    if rng.chance(70) {
                        item.push_str(&format!("      standards: [{}]\n", quoted(s)));
                    }
                }
                let slot = match scheme.kind {
                    EvidenceKind::Certificate => 0,
                    EvidenceKind::Label => 1,
                    EvidenceKind::Filing => 2,
                };
                items[slot].push(item);
            }
            if items.iter().any(|v| !v.is_empty()) {
                y.push_str("evidence:\n");
                for (field, list) in ["certificates", "labels", "filings"].iter().zip(&items) {
                    if !list.is_empty() {
                        y.push_str(&format!("  {field}:\n{}", list.concat()));
                    }
                }
            }
            (format!("{:02}/product-{i:05}.yaml", i % 50), y)
        })
        .collect()
}

/// The catalogue's `company.yaml`: every company fact, drawn like a
/// product's attributes.
pub fn company_file(rules: &RuleSet, seed: u64) -> String {
    let h = Harvest::of(rules);
    let mut rng = Rng::new(seed);
    let mut y = String::from("name: Generated Co.\nattributes:\n");
    for name in rules.company_attributes() {
        if let Some(attr) = rules.vocabulary.attributes.get(name.as_str()) {
            let value = value(&mut rng, &h, &name, &attr.value_type);
            y.push_str(&format!("  {name}: {value}\n"));
        }
    }
    y
}

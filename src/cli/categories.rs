use clap::Args;

use crate::library;
use crate::model::Vocabulary;

use super::{Outcome, RulesOpt};

#[derive(Args, Debug)]
pub struct CategoriesArgs {
    #[command(flatten)]
    pub rules: RulesOpt,
}

pub fn run(args: CategoriesArgs) -> miette::Result<Outcome> {
    let (rules, _) = library::load(&args.rules.rules)?;
    let v = &rules.vocabulary;
    let mut roots: Vec<usize> = (0..v.categories.len())
        .filter(|&i| v.categories[i].parent.is_none())
        .collect();
    roots.sort_by(|a, b| v.categories[*a].id.cmp(&v.categories[*b].id));
    let mut out = String::new();
    for r in roots {
        print_tree(v, r, 0, &mut out);
    }
    crate::out!("{out}")?;
    Ok(Outcome::Clean)
}

fn print_tree(v: &Vocabulary, c: usize, depth: usize, out: &mut String) {
    let cat = &v.categories[c];
    let aliases = if cat.aliases.is_empty() {
        String::new()
    } else {
        format!("  (also: {})", cat.aliases.join(", "))
    };
    out.push_str(&format!(
        "{}{} — {}{aliases}\n",
        "  ".repeat(depth),
        cat.id,
        cat.name
    ));
    let mut children: Vec<usize> = (0..v.categories.len())
        .filter(|&i| v.categories[i].parent == Some(c))
        .collect();
    children.sort_by(|a, b| v.categories[*a].id.cmp(&v.categories[*b].id));
    for ch in children {
        print_tree(v, ch, depth + 1, out);
    }
}

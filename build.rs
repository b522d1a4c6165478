//! Embeds the bundled rule library (rules/*.rules) and the newsletters the
//! rules cite (seeds/*.txt), so `cncomply check` works from any directory
//! after `cargo install`.
//!
//! It also compiles the library ahead of time: the rules are parsed and
//! checked here, by the same syntax and model code the binary uses (included
//! by path), and the checked rule set is embedded in postcard form. A cold
//! `check` then deserialises it in well under a millisecond instead of
//! parsing 330 KiB of rules with pest on every start (issue 7). When the
//! rules do not load (a consultant is mid-edit), no compiled form is
//! embedded and the binary parses the text at run time, so `cncomply lint`
//! still reports every problem with its line and column.
//!
//! The newsletters are worked out here too: each bundled rule's citation
//! (finding its article scans the whole newsletter) and each newsletter's
//! date, so no report scans a newsletter at run time.

use std::env;
use std::fs;
use std::path::Path;

#[allow(dead_code, unused_imports)]
#[path = "src/model/mod.rs"]
mod model;
#[allow(dead_code, unused_imports)]
#[path = "src/position.rs"]
mod position;
#[allow(dead_code, unused_imports)]
#[path = "src/safe_text.rs"]
mod safe_text;
#[allow(dead_code, unused_imports)]
#[path = "src/seeds.rs"]
mod seeds;
#[allow(dead_code, unused_imports)]
#[path = "src/suggest.rs"]
mod suggest;
#[allow(dead_code, unused_imports)]
#[path = "src/syntax/mod.rs"]
mod syntax;

/// The files of `dir` ending in `.ext`, sorted so the order is stable.
fn files(dir: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == ext));
    files.sort();
    files
}

fn embed(root: &Path, dir: &str, ext: &str, out: &mut String, name: &str) {
    println!("cargo:rerun-if-changed={}", root.join(dir).display());
    out.push_str(&format!("pub static {name}: &[(&str, &str)] = &[\n"));
    for p in files(&root.join(dir), ext) {
        println!("cargo:rerun-if-changed={}", p.display());
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()),
            p.display().to_string()
        ));
    }
    out.push_str("];\n");
}

/// The checked rule set, or `None` if the rules do not load.
fn compile(root: &Path) -> Option<model::RuleSet> {
    for code in [
        "src/syntax",
        "src/model",
        "src/position.rs",
        "src/suggest.rs",
        "grammar",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(code).display());
    }
    let sources: Vec<model::SourceFile> = files(&root.join("rules"), "rules")
        .into_iter()
        .map(|p| {
            // The same name and text as `bundled::rule_files()` gives.
            let text = fs::read_to_string(&p).ok()?;
            Some(model::SourceFile {
                name: format!("rules/{}", p.file_name()?.to_string_lossy()),
                text,
            })
        })
        .collect::<Option<_>>()?;
    model::RuleSet::load(&sources).ok()
}

/// The text of the bundled newsletter `file_name`, as `bundled::seed` finds it.
fn seed_text(root: &Path, file_name: &str) -> Option<String> {
    files(&root.join("seeds"), "txt")
        .into_iter()
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy() == file_name)
        })
        .and_then(|p| fs::read_to_string(p).ok())
}

/// `CITATIONS`: every (newsletter, heading) a bundled rule cites and its
/// citation text, sorted for a binary search.
fn citations(root: &Path, set: Option<&model::RuleSet>, out: &mut String) {
    println!(
        "cargo:rerun-if-changed={}",
        root.join("src/seeds.rs").display()
    );
    let mut cited: Vec<(&str, &str)> = set
        .map(|s| {
            s.rules
                .iter()
                .map(|r| (r.source.file.as_str(), r.source.section.as_str()))
                .collect()
        })
        .unwrap_or_default();
    cited.sort();
    cited.dedup();
    out.push_str("pub static CITATIONS: &[(&str, &str, &str)] = &[\n");
    let mut texts = std::collections::HashMap::new();
    for (file, section) in cited {
        let text = texts
            .entry(file)
            .or_insert_with(|| seed_text(root, file))
            .as_deref();
        let citation = seeds::cite(text, file, section);
        out.push_str(&format!("    ({file:?}, {section:?}, {citation:?}),\n"));
    }
    out.push_str("];\n");
}

/// `SEED_DATES`: each newsletter's file name and the last day of its issue
/// (`seeds::reported_by`) as (year, month, day).
fn seed_dates(root: &Path, out: &mut String) {
    use chrono::Datelike;
    out.push_str("/// A day as (year, month, day).\npub type Ymd = (i32, u32, u32);\n");
    out.push_str("pub static SEED_DATES: &[(&str, Option<Ymd>)] = &[\n");
    for p in files(&root.join("seeds"), "txt") {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let date = fs::read_to_string(&p)
            .ok()
            .and_then(|t| seeds::reported_by(&t))
            .map(|d| (d.year(), d.month(), d.day()));
        out.push_str(&format!("    ({name:?}, {date:?}),\n"));
    }
    out.push_str("];\n");
}

fn main() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).to_path_buf();
    let out_dir = Path::new(&env::var("OUT_DIR").unwrap()).to_path_buf();
    let mut out = String::new();
    embed(&root, "rules", "rules", &mut out, "RULES");
    embed(&root, "seeds", "txt", &mut out, "SEEDS");
    let set = compile(&root);
    citations(&root, set.as_ref(), &mut out);
    seed_dates(&root, &mut out);
    match set.as_ref().and_then(|s| postcard::to_stdvec(s).ok()) {
        Some(bytes) => {
            let path = out_dir.join("library.postcard");
            fs::write(&path, bytes).unwrap();
            out.push_str(&format!(
                "pub static COMPILED: Option<&[u8]> = Some(include_bytes!({:?}));\n",
                path.display().to_string()
            ));
        }
        None => out.push_str("pub static COMPILED: Option<&[u8]> = None;\n"),
    }
    fs::write(out_dir.join("bundled.rs"), out).unwrap();
}

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

/// The checked rule set in postcard form, or `None` if the rules do not load.
fn compile(root: &Path) -> Option<Vec<u8>> {
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
    let set = model::RuleSet::load(&sources).ok()?;
    postcard::to_stdvec(&set).ok()
}

fn main() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).to_path_buf();
    let out_dir = Path::new(&env::var("OUT_DIR").unwrap()).to_path_buf();
    let mut out = String::new();
    embed(&root, "rules", "rules", &mut out, "RULES");
    embed(&root, "seeds", "txt", &mut out, "SEEDS");
    match compile(&root) {
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

//! Embeds the bundled rule library (rules/*.rules) and the newsletters the
//! rules cite (seeds/*.txt), so `cncomply check` works from any directory
//! after `cargo install`.

use std::env;
use std::fs;
use std::path::Path;

fn embed(dir: &str, ext: &str, out: &mut String, name: &str) {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join(dir);
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files: Vec<_> = fs::read_dir(&root)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == ext));
    files.sort();
    out.push_str(&format!("pub static {name}: &[(&str, &str)] = &[\n"));
    for p in files {
        println!("cargo:rerun-if-changed={}", p.display());
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()),
            p.display().to_string()
        ));
    }
    out.push_str("];\n");
}

fn main() {
    let mut out = String::new();
    embed("rules", "rules", &mut out, "RULES");
    embed("seeds", "txt", &mut out, "SEEDS");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("bundled.rs");
    fs::write(dest, out).unwrap();
}

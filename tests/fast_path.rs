//! The profile loader's fast path (yaml-rust2 events) reads every document
//! it accepts exactly as serde_yaml does, and it accepts the profiles people
//! write: the examples, the test fixtures and the fuzz seed corpus.

use std::path::{Path, PathBuf};

use cncomply::profile::fast_path_agrees;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// (texts the fast path read, texts it left to serde_yaml), asserting it
/// agrees with serde_yaml on every text it read.
fn compare(dirs: &[&str], only_yaml: bool) -> (usize, usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for d in dirs {
        files(&root.join(d), &mut paths);
    }
    let (mut read, mut left) = (0, 0);
    for path in paths {
        if only_yaml && path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let Ok(text) = String::from_utf8(std::fs::read(&path).unwrap()) else {
            continue;
        };
        match fast_path_agrees(&text) {
            Some(agrees) => {
                assert!(
                    agrees,
                    "{}: the fast path reads it differently",
                    path.display()
                );
                read += 1;
            }
            None => left += 1,
        }
    }
    (read, left)
}

#[test]
fn every_example_profile_is_read_by_the_fast_path_as_serde_yaml_reads_it() {
    let (read, left) = compare(&["examples"], true);
    assert!(read >= 20, "the fast path read {read} examples");
    assert_eq!(left, 0, "examples left to serde_yaml");
}

#[test]
fn test_fixtures_and_fuzz_seeds_read_alike_by_both_parsers() {
    // The committed seeds are `seed-*`; a local run of the fuzzer adds more.
    let (fixtures, _) = compare(&["tests/fixtures"], true);
    let (seeds, _) = compare(&["fuzz/corpus/profile_loader"], false);
    assert!(
        fixtures >= 25 && seeds >= 5,
        "read {fixtures} fixtures, {seeds} seeds"
    );
}

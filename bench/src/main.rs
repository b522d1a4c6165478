//! cncomply's benchmark: every figure of issue 7 in one run.
//!
//!   cargo run --release --manifest-path bench/Cargo.toml [-- --profiles N] [--keep DIR]
//!
//! 1. rule-file parse time for the whole bundled library (syntax, and the
//!    full load with the model's checks), and the time to deserialise the
//!    form build.rs compiled it to, which is what the binary loads;
//! 2. cold single-profile `check` wall time (process start to exit) of the
//!    release binary, which this program builds first;
//! 3. a generated catalogue of N profiles (default 10,000) checked by the
//!    binary with the full library: wall time and peak memory;
//! 4. rule evaluations per second on one core, in process;
//! 5. the same 22 rules in Rego, evaluated by regorus over the same
//!    profiles, side by side, with the ratio.
//!
//! Timings are medians of several runs; nothing here is a test, and nothing
//! asserts a time.

mod catalogue;
mod measure;
mod peer;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use cncomply::evaluate::{evaluate, evaluate_with, Detail};
use cncomply::model::RuleSet;
use cncomply::profile::Profile;

use measure::{median, ms};

struct Options {
    profiles: usize,
    keep: Option<PathBuf>,
}

fn options() -> Options {
    let mut o = Options {
        profiles: 10_000,
        keep: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--profiles" => {
                o.profiles = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--profiles N")
            }
            "--keep" => o.keep = Some(args.next().expect("--keep DIR").into()),
            other => {
                eprintln!("unknown argument `{other}`; use --profiles N, --keep DIR");
                std::process::exit(2);
            }
        }
    }
    o
}

fn main() {
    let o = options();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("cncomply benchmark — {cores} cores, as of {as_of}\n");

    // 1. Parse time.
    let files = cncomply::bundled::rule_files();
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let syntax = median(21, || {
        for f in &files {
            cncomply::syntax::parse_file(&f.name, &f.text).expect("bundled rules parse");
        }
    });
    let load = median(21, || {
        RuleSet::load(&files).expect("bundled rules load");
    });
    let rules = RuleSet::load(&files).unwrap();
    println!(
        "rule library: {} files, {} KiB, {} rules",
        files.len(),
        bytes / 1024,
        rules.rules.len()
    );
    println!(
        "  parse (grammar → syntax tree)           {:>9.2} ms",
        ms(syntax)
    );
    println!(
        "  load (parse + model checks)             {:>9.2} ms",
        ms(load)
    );
    // What the binary does instead: build.rs compiled the library.
    let compiled = median(21, || {
        std::hint::black_box(cncomply::bundled::compiled().expect("build.rs compiled the rules"));
    });
    println!(
        "  compiled at build time, deserialise     {:>9.2} ms",
        ms(compiled)
    );

    // 2. Cold single-profile check.
    let bin = measure::build_release(&root);
    let example = root.join("examples/washing-machine.yaml");
    let cold = median(51, || {
        measure::run(
            &bin,
            &["check", example.to_str().unwrap(), "--as-of", "2026-11-23"],
            &root,
            false,
        );
    });
    println!("\ncold `check examples/washing-machine.yaml` (release, process start to exit)");
    println!(
        "  wall time, median of 51                 {:>9.2} ms",
        ms(cold)
    );

    // 3. The catalogue, end to end.
    let generated = catalogue::generate(&rules, o.profiles, 7);
    let tmp = std::env::temp_dir().join(format!("cncomply-bench-{}", std::process::id()));
    let dir = o.keep.clone().unwrap_or(tmp);
    for (name, text) in &generated {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let yaml_bytes: usize = generated.iter().map(|(_, t)| t.len()).sum();
    println!(
        "\ncatalogue: {} generated profiles ({} MiB of YAML) × {} rules = {} evaluations",
        o.profiles,
        yaml_bytes / (1024 * 1024),
        rules.rules.len(),
        o.profiles * rules.rules.len()
    );
    let d = dir.to_str().unwrap();
    for (label, args) in [
        ("summary table", vec!["check", d, "--as-of", "2026-11-23"]),
        (
            "JSON report",
            vec!["check", d, "--as-of", "2026-11-23", "--format", "json"],
        ),
    ] {
        let mut runs: Vec<(Duration, Option<u64>)> = (0..5)
            .map(|_| measure::run(&bin, &args, &root, true))
            .collect();
        runs.sort();
        let (wall, rss) = runs[runs.len() / 2];
        let rss = rss.map_or("n/a (needs /usr/bin/time)".to_string(), |k| {
            format!("{:.0} MiB", k as f64 / 1024.0)
        });
        println!(
            "  `cncomply check DIR` — {label:<20} wall {:>8.1} ms, peak RSS {rss}",
            ms(wall)
        );
    }

    // 4. Evaluations per second, one core, in process.
    let start = Instant::now();
    let profiles: Vec<Profile> = generated
        .iter()
        .map(|(name, text)| {
            Profile::from_yaml(name, text, &rules.vocabulary).expect("generated profiles load")
        })
        .collect();
    let loading = start.elapsed();
    let eval = median(5, || {
        for p in &profiles {
            std::hint::black_box(evaluate(&rules, p, as_of));
        }
    });
    let brief = median(5, || {
        for p in &profiles {
            std::hint::black_box(evaluate_with(&rules, p, as_of, Detail::Brief));
        }
    });
    let evaluations = profiles.len() * rules.rules.len();
    println!("\nin process, one core");
    println!(
        "  load {} profiles (YAML → typed profile)  {:>9.1} ms",
        profiles.len(),
        ms(loading)
    );
    println!(
        "  evaluate {evaluations} rule × profile            {:>9.1} ms",
        ms(eval)
    );
    println!(
        "  rule evaluations per second per core    {:>9.2} M (every finding complete, as with --all)",
        evaluations as f64 / eval.as_secs_f64() / 1e6
    );
    println!(
        "  the same, brief                         {:>9.1} ms, {:.2} M per second (as `check` without --all)",
        ms(brief),
        evaluations as f64 / brief.as_secs_f64() / 1e6
    );

    // 5. The peer.
    let cmp = peer::compare(&rules, &profiles, as_of);
    println!(
        "\npeer: {} rules in Rego (bench/rego/cncomply.rego) over the same {} profiles, one core each",
        cmp.rules,
        profiles.len()
    );
    println!(
        "  cncomply                                {:>9.1} ms",
        ms(cmp.cncomply)
    );
    println!(
        "  regorus {}                          {:>9.1} ms",
        regorus_version(),
        ms(cmp.regorus)
    );
    println!(
        "  cncomply is {:.1}× faster ({:.2} M vs {:.3} M evaluations/s); statuses disagree in {} of {}",
        cmp.regorus.as_secs_f64() / cmp.cncomply.as_secs_f64(),
        cmp.evaluations as f64 / cmp.cncomply.as_secs_f64() / 1e6,
        cmp.evaluations as f64 / cmp.regorus.as_secs_f64() / 1e6,
        cmp.disagreements,
        cmp.evaluations
    );
    if let Some(d) = &cmp.first_disagreement {
        println!("  first disagreement: {d}");
    }
    if o.keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        println!("\ncatalogue kept in {}", dir.display());
    }
}

fn regorus_version() -> &'static str {
    "0.14"
}

//! cncomply's benchmark: every figure of issue 7 in one run.
//!
//!   cargo run --release --manifest-path bench/Cargo.toml [-- --profiles N] [--keep DIR]
//!   … -- --peer-only       only section 5
//!   … -- --write DIR       only write the catalogues (DIR/10000, DIR/50000)
//!
//! 1. rule-file parse time for the whole bundled library (syntax, and the
//!    full load with the model's checks), and the time to deserialise the
//!    form build.rs compiled it to, which is what the binary loads;
//! 2. cold single-profile `check` wall time (process start to exit) of the
//!    release binary, which this program builds first;
//! 3. a generated catalogue of N profiles (default 10,000) checked by the
//!    binary with the full library: wall time and peak memory;
//! 4. rule evaluations per second on one core, in process;
//! 5. the same 18 rules in Rego, evaluated by regorus (interpreter and
//!    RVM) over the same profiles, statuses against statuses and complete
//!    findings against complete findings, each in memory and from text,
//!    with the ratio and the disagreements (must be 0);
//! 6. every target of issue 14 with its figure.
//!
//! Timings are medians of several runs; nothing here is a test, and nothing
//! asserts a time.

mod catalogue;
mod measure;
mod peer;

// cncomply's binary runs on mimalloc (src/main.rs); the in-process figures
// use it too, for cncomply and regorus alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use cncomply::evaluate::{evaluate, evaluate_with, Detail};
use cncomply::model::RuleSet;
use cncomply::profile::Profile;

use measure::{median, ms};

struct Options {
    profiles: usize,
    /// The larger catalogue for the linearity target (0: skipped).
    large: usize,
    /// Runs per timing (the median is reported).
    runs: usize,
    keep: Option<PathBuf>,
    /// Only write the catalogues (N and the large one) under this folder.
    write: Option<PathBuf>,
    /// Only the peer comparison (section 5).
    peer_only: bool,
}

fn options() -> Options {
    let mut o = Options {
        profiles: 10_000,
        large: 50_000,
        runs: 5,
        keep: None,
        write: None,
        peer_only: false,
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
            "--large" => o.large = args.next().and_then(|n| n.parse().ok()).expect("--large N"),
            "--runs" => {
                o.runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n >= 1)
                    .expect("--runs N")
            }
            "--keep" => o.keep = Some(args.next().expect("--keep DIR").into()),
            "--write" => o.write = Some(args.next().expect("--write DIR").into()),
            "--peer-only" => o.peer_only = true,
            other => {
                eprintln!(
                    "unknown argument `{other}`; use --profiles N, --large N, --runs N, --keep DIR, --write DIR, --peer-only"
                );
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
    if let Some(dir) = &o.write {
        // The catalogues the benchmark checks, for measuring by hand
        // (`/usr/bin/time -v cncomply check DIR/10000 ...`).
        let rules = cncomply::bundled::rule_set().expect("bundled rules load");
        for n in [o.profiles, o.large].into_iter().filter(|n| *n > 0) {
            let out = dir.join(n.to_string());
            write_catalogue(&out, &rules, &catalogue::generate(&rules, n, 7));
            println!("{}", out.display());
        }
        return;
    }
    if o.peer_only {
        let rules = cncomply::bundled::rule_set().expect("bundled rules load");
        let generated = catalogue::generate(&rules, o.profiles, 7);
        let profiles: Vec<Profile> = generated
            .iter()
            .map(|(name, text)| {
                Profile::from_yaml(name, text, &rules.vocabulary).expect("generated profiles load")
            })
            .collect();
        let cmp = peer::compare(&rules, &profiles, &generated, as_of, o.runs);
        print_peer(&cmp, profiles.len(), o.runs);
        return;
    }
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

    // 3. The catalogue, end to end, each report written to a file.
    let generated = catalogue::generate(&rules, o.profiles, 7);
    let tmp = std::env::temp_dir().join(format!("cncomply-bench-{}", std::process::id()));
    let dir = o.keep.clone().unwrap_or(tmp);
    write_catalogue(&dir, &rules, &generated);
    let yaml_bytes: usize = generated.iter().map(|(_, t)| t.len()).sum();
    println!(
        "\ncatalogue: {} generated profiles ({} MiB of YAML) × {} rules = {} evaluations",
        o.profiles,
        yaml_bytes / (1024 * 1024),
        rules.rules.len(),
        o.profiles * rules.rules.len()
    );
    let report = std::env::temp_dir().join(format!("cncomply-bench-out-{}", std::process::id()));
    let small = catalogue_runs(&bin, &root, &dir, &report, o.runs);
    let large = if o.large > 0 {
        let big = catalogue::generate(&rules, o.large, 7);
        let big_dir = dir.with_extension("large");
        write_catalogue(&big_dir, &rules, &big);
        println!("\ncatalogue: {} generated profiles (one run each)", o.large);
        let figures = catalogue_runs(&bin, &root, &big_dir, &report, 1);
        let _ = std::fs::remove_dir_all(&big_dir);
        Some(figures)
    } else {
        None
    };
    let _ = std::fs::remove_file(&report);

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
    let cmp = peer::compare(&rules, &profiles, &generated, as_of, o.runs);
    print_peer(&cmp, profiles.len(), o.runs);

    // 6. The targets.
    println!(
        "\ntargets (issue 14; 2 cores, {} profiles, reports written to a file)",
        o.profiles
    );
    let fig = |label: &str| small.iter().find(|f| f.label == label).expect("measured");
    let mib = |k: Option<u64>| k.map(|k| k as f64 / 1024.0);
    let target = |what: String, figure: String, met: Option<bool>| {
        let verdict = match met {
            Some(true) => "met",
            Some(false) => "NOT met",
            None => "n/a",
        };
        println!("  {what:<52} {figure:<28} {verdict}");
    };
    for (label, wall, mem) in [
        ("summary table", 0.6, Some(150.0)),
        ("JSON (rules once)", 1.5, Some(300.0)),
        ("SARIF", 1.5, Some(300.0)),
        ("JUnit", 1.0, None),
    ] {
        let f = fig(label);
        let rss = mib(f.rss);
        let mem_ok = match (mem, rss) {
            (Some(limit), Some(r)) => Some(r <= limit),
            (Some(_), None) => None,
            (None, _) => Some(true),
        };
        let wall_ok = f.wall.as_secs_f64() <= wall;
        let what = match mem {
            Some(m) => format!("{label} ≤ {wall} s and ≤ {m} MiB"),
            None => format!("{label} ≤ {wall} s"),
        };
        target(
            what,
            format!(
                "{:.2} s, {}",
                f.wall.as_secs_f64(),
                rss.map_or("RSS n/a".into(), |r| format!("{r:.0} MiB"))
            ),
            mem_ok.map(|m| m && wall_ok),
        );
    }
    match &large {
        Some(big) => {
            let worst = big
                .iter()
                .map(|b| b.wall.as_secs_f64() / fig(b.label).wall.as_secs_f64())
                .fold(0.0, f64::max);
            let each: Vec<String> = big
                .iter()
                .map(|b| {
                    format!(
                        "{:.1}×",
                        b.wall.as_secs_f64() / fig(b.label).wall.as_secs_f64()
                    )
                })
                .collect();
            target(
                format!(
                    "{} profiles within 5.5× the {} figures",
                    o.large, o.profiles
                ),
                format!("{} (worst {worst:.1}×)", each.join(" ")),
                Some(worst <= 5.5),
            );
        }
        None => target(
            "50,000 profiles within 5.5× (linear)".into(),
            "skipped (--large 0)".into(),
            None,
        ),
    }
    // regorus's faster engine among those that computed the same (a
    // pairing with disagreements did other work).
    let fastest = |label: &str| {
        cmp.pairings
            .iter()
            .filter(|p| p.label == label)
            .min_by_key(|p| (p.disagreements > 0, p.regorus))
            .expect("paired")
    };
    for label in [
        "statuses, in memory",
        "statuses, from text",
        "findings, in memory",
        "findings, from text",
    ] {
        let p = fastest(label);
        let ratio = p.regorus.as_secs_f64() / p.cncomply.as_secs_f64();
        // The target is statuses against statuses; the complete findings
        // are shown beside it.
        let is_target = label.starts_with("statuses");
        target(
            if is_target {
                format!("cncomply ≥ 20× regorus's faster engine ({label})")
            } else {
                format!("cncomply vs regorus's faster engine ({label})")
            },
            format!("{ratio:.1}× (vs {})", p.peer),
            is_target.then_some(ratio >= 20.0 && p.disagreements == 0),
        );
    }
    // A pairing that disagrees is not a comparison of the same work: it is
    // named here, and its ratio is not a result.
    let disagreeing: Vec<String> = cmp
        .pairings
        .iter()
        .filter(|p| p.disagreements > 0)
        .map(|p| format!("{} {}: {}", p.label, p.peer, p.disagreements))
        .collect();
    target(
        "0 disagreements in every pairing".into(),
        if disagreeing.is_empty() {
            "0".into()
        } else {
            disagreeing.join("; ")
        },
        Some(disagreeing.is_empty()),
    );
    target(
        "cold single-profile `check` ≤ 5 ms".into(),
        format!("{:.2} ms", ms(cold)),
        Some(ms(cold) <= 5.0),
    );
    if o.keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        println!("\ncatalogue kept in {}", dir.display());
    }
}

fn print_peer(cmp: &peer::Comparison, profiles: usize, runs: usize) {
    println!(
        "\npeer: {} rules in Rego (statuses: bench/rego/cncomply.rego, complete findings: bench/rego/findings.rego) over the same {} profiles, one core each, median of {} (time on the CPU, not waiting for it)",
        cmp.rules,
        profiles,
        runs
    );
    if let Some(e) = &cmp.rvm_error {
        println!(
            "  regorus's RVM cannot compile the status policy, so only its interpreter is paired: {e}"
        );
    }
    if let Some(e) = &cmp.findings_rvm_error {
        println!(
            "  regorus's RVM cannot compile the findings policy (bench/rego/findings.rego), so only its interpreter is paired: {e}"
        );
    }
    for p in &cmp.pairings {
        println!(
            "  {:<20} cncomply {:>8.1} ms   regorus {} {:<11} {:>9.1} ms   {:>6.1}× faster   {} of {} disagree",
            p.label,
            ms(p.cncomply),
            regorus_version(),
            p.peer,
            ms(p.regorus),
            p.regorus.as_secs_f64() / p.cncomply.as_secs_f64(),
            p.disagreements,
            cmp.evaluations
        );
        if let Some(d) = &p.first_disagreement {
            println!("    first disagreement: {d}");
        }
    }
}

fn regorus_version() -> &'static str {
    "0.14"
}

/// The profiles and, beside them, the company file `check DIR` reads.
fn write_catalogue(dir: &Path, rules: &RuleSet, generated: &[(String, String)]) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("company.yaml"), catalogue::company_file(rules, 11)).unwrap();
    for (name, text) in generated {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// One report format's run over a catalogue.
struct Figure {
    label: &'static str,
    wall: Duration,
    /// Peak RSS in KiB.
    rss: Option<u64>,
}

/// `check DIR` with each report format, written to a file; median of `runs`.
fn catalogue_runs(bin: &Path, root: &Path, dir: &Path, report: &Path, runs: usize) -> Vec<Figure> {
    let d = dir.to_str().unwrap();
    let mut figures = Vec::new();
    for (label, format) in [
        ("summary table", "table"),
        ("JSON (rules once)", "json"),
        ("SARIF", "sarif"),
        ("JUnit", "junit"),
    ] {
        let args = ["check", d, "--as-of", "2026-11-23", "--format", format];
        let mut timings: Vec<(Duration, Option<u64>)> = (0..runs)
            .map(|_| measure::run_to(bin, &args, root, true, Some(report)))
            .collect();
        timings.sort();
        let (wall, rss) = timings[timings.len() / 2];
        let size = std::fs::metadata(report).map_or(0, |m| m.len());
        println!(
            "  `cncomply check DIR --format {format:<6}` > file  wall {:>8.1} ms, peak RSS {}, {:.1} MB written",
            ms(wall),
            rss.map_or("n/a (needs /usr/bin/time)".to_string(), |k| format!("{:.0} MiB", k as f64 / 1024.0)),
            size as f64 / 1e6
        );
        figures.push(Figure { label, wall, rss });
    }
    figures
}

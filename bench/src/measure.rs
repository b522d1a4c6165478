//! Timing helpers: medians of repeated runs, and the release binary run as
//! a child process with its wall time and peak memory.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The median wall time of `runs` calls of `f`.
pub fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The median time `f` spends on the CPU (this thread's, from the
/// scheduler's own count) over `runs` calls: on a machine shared with
/// other work, the time waited for a core is left out, for each engine
/// alike, so that a pairing's ratio is not the load of the moment. Wall
/// time where the count cannot be read (not Linux).
pub fn median_cpu(runs: usize, mut f: impl FnMut()) -> Duration {
    if on_cpu().is_none() {
        return median(runs, f);
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = on_cpu().unwrap_or_default();
            f();
            on_cpu().unwrap_or_default().saturating_sub(start)
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// This thread's time on a CPU so far (Linux's schedstat, nanoseconds).
fn on_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Builds `target/release/cncomply` (the binary users install) and returns
/// its path.
pub fn build_release(root: &Path) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--bin", "cncomply", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build --release failed");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target.join("release/cncomply")
}

/// Runs the binary with its output discarded. Returns the wall time from
/// spawn to exit and, with `rss` and GNU time installed, the peak resident
/// set in KiB (measured by `/usr/bin/time`, whose own start-up is then in
/// the time, so cold-start figures are taken without it).
pub fn run(bin: &Path, args: &[&str], dir: &Path, rss: bool) -> (Duration, Option<u64>) {
    run_to(bin, args, dir, rss, None)
}

/// [`run`], with standard output written to `out` (a file, as CI writes
/// reports) instead of discarded.
pub fn run_to(
    bin: &Path,
    args: &[&str],
    dir: &Path,
    rss: bool,
    out: Option<&Path>,
) -> (Duration, Option<u64>) {
    let time = Path::new("/usr/bin/time");
    let rss_file = std::env::temp_dir().join(format!("cncomply-bench-rss-{}", std::process::id()));
    let mut cmd = if rss && time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(match out {
            Some(path) => Stdio::from(std::fs::File::create(path).expect("the report file")),
            None => Stdio::null(),
        })
        .stderr(Stdio::null());
    let start = Instant::now();
    let status = cmd.status().expect("the binary runs");
    let wall = start.elapsed();
    // 0 or 1 (findings); 2 would mean the benchmark measured an error.
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "cncomply {args:?} exited with {status}"
    );
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.trim().lines().last()?.trim().parse().ok());
    let _ = std::fs::remove_file(&rss_file);
    (wall, rss)
}

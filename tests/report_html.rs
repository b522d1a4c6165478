//! `cncomply report`: the HTML report opened in a real headless browser
//! (Debian's `chromium`, installed by `.ci/run`): it renders without console
//! errors, its timeline has one marker per dated event and a today marker,
//! and it has a summary row and a section per product.

mod common;
use common::*;

use std::path::Path;
use std::process::Command;

const CATALOGUE: [&str; 3] = [
    "timeline/car.yaml",
    "timeline/motor.yaml",
    "timeline/washer.yaml",
];

/// Writes the report for the fixture catalogue into `dir`; returns its path.
fn write_report(dir: &Path, as_of: &str) -> std::path::PathBuf {
    let path = dir.join("report.html");
    let out = cncomply()
        .arg("report")
        .args(CATALOGUE.iter().map(|p| fixture(p)))
        .arg("--rules")
        .arg(fixture("rules"))
        .args(["--as-of", as_of, "-o"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("3 products, 10 dated events"), "{stderr}");
    path
}

/// The number of dated events `calendar` lists for the same catalogue.
fn calendar_event_count() -> usize {
    let out = cncomply()
        .args(["calendar", "--format", "json", "--rules"])
        .arg(fixture("rules"))
        .args(CATALOGUE.iter().map(|p| fixture(p)))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["events"].as_array().unwrap().len()
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// The page's DOM after loading, and the browser's log.
fn open_in_browser(browser: &str, page: &Path) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed: {out:?}");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn report_renders_in_a_browser_with_one_marker_per_dated_event() {
    let Some(browser) = chromium() else {
        // .ci/run installs Debian's chromium and sets CNCOMPLY_REQUIRE_BROWSER;
        // only a machine without it (e.g. a developer's laptop) skips.
        assert!(
            std::env::var_os("CNCOMPLY_REQUIRE_BROWSER").is_none(),
            "chromium is required (CNCOMPLY_REQUIRE_BROWSER is set) but not installed"
        );
        println!(
            "SKIPPED: chromium is not installed (apt-get install chromium); .ci/run installs it"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = write_report(dir.path(), "2026-11-23");
    let (dom, log) = open_in_browser(browser, &page);

    // Console messages from the page (errors, failed loads, exceptions)
    // are logged as CONSOLE lines; the page has none.
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(
        console.is_empty(),
        "console messages:\n{}",
        console.join("\n")
    );

    // The timeline, as the browser parsed it: markers inside the SVG.
    let svg_start = dom.find("<svg").expect("an inline SVG timeline");
    let svg_end = dom[svg_start..].find("</svg>").expect("the SVG is closed") + svg_start;
    let svg = &dom[svg_start..svg_end];
    let events = calendar_event_count();
    assert_eq!(events, 10, "the fixture catalogue has ten dated events");
    assert_eq!(count(svg, "data-event=\""), events, "one marker per event");
    assert_eq!(count(svg, "<circle"), events);
    for i in 1..=events {
        assert!(svg.contains(&format!("data-event=\"{i}\"")), "marker {i}");
        assert!(dom.contains(&format!("id=\"event-{i}\"")), "list item {i}");
    }
    assert_eq!(
        count(svg, "data-today=\"2026-11-23\""),
        1,
        "today is marked once"
    );
    assert_eq!(
        count(&dom, "data-event=\""),
        events,
        "markers only in the chart"
    );
    assert!(svg.contains("data-rule=\"ccc.motor\""));
    assert!(svg.contains("data-kind=\"evidence-expires\""));

    // A summary row and a section per product.
    for (name, profile) in [
        ("Sedan E5", "car.yaml"),
        ("M-230 motor", "motor.yaml"),
        ("AquaWash 8", "washer.yaml"),
    ] {
        let origin = fixture(&format!("timeline/{profile}"))
            .display()
            .to_string();
        assert_eq!(
            count(&dom, &format!("data-summary=\"{origin}\"")),
            1,
            "{name}"
        );
        assert_eq!(
            count(&dom, &format!("data-product=\"{origin}\"")),
            1,
            "{name}"
        );
        assert!(dom.contains(&format!("<h2>{name}</h2>")), "{name}");
    }
    // Obligations with explanation and citation.
    assert!(dom.contains("CNCA-C04-01:2026"), "citation");
    assert!(dom.contains("Rated 230 V AC"), "explanation");
}

#[test]
fn report_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(write_report(dir.path(), "2026-11-23")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for fetch in [
        "<script", "<link", "<img", "<iframe", "src=", "url(", "@import",
    ] {
        assert!(
            !html.contains(fetch),
            "the page must not load anything: found {fetch}"
        );
    }
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(html.contains("<style>") && html.contains("@media print"));
}

#[test]
fn report_marks_today_or_the_as_of_day() {
    let dir = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(write_report(dir.path(), "2024-01-15")).unwrap();
    assert!(html.contains("data-today=\"2024-01-15\""));
    assert!(
        html.contains("as of 2024-01-15</text>"),
        "a past day is labelled as of"
    );
}

#[test]
fn text_from_profiles_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p.yaml");
    std::fs::write(
        &profile,
        "name: \"<script>alert(1)</script> & co\"\ncategory: motor\nattributes:\n  rated_voltage_ac_v: 230\n",
    )
    .unwrap();
    let out = cncomply()
        .args(["report", "--as-of", "2026-11-23", "-o", "-", "--rules"])
        .arg(fixture("rules"))
        .arg(&profile)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
}

#[test]
fn an_unwritable_output_is_an_error_with_exit_2() {
    let out = cncomply()
        .args(["report", "-o", "/nonexistent-dir/report.html", "--rules"])
        .arg(fixture("rules"))
        .arg(fixture("timeline/motor.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("cannot write the report to /nonexistent-dir/report.html"),
        "{err}"
    );
}

/// The examples' report: each product's own obligations, the drafts and
/// plans in one list, the company's obligations once, and a timeline whose
/// markers never overlap.
#[test]
fn examples_report_puts_own_obligations_first_company_once_and_markers_apart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.html");
    let out = cncomply()
        // The top-level examples (examples/catalogue/ is a catalogue of its
        // own, with a waivers file beside its products).
        .args(["report", "examples/*.yaml", "--as-of", "2026-12-01", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let html = std::fs::read_to_string(&path).unwrap();
    assert_eq!(html.matches("<h2>Company obligations</h2>").count(), 1);
    assert!(
        html.contains("Example exporter GmbH"),
        "the company file next to the examples"
    );
    assert_eq!(
        html.matches("<article class=\"finding applies\" data-rule=\"data-security.dsl-data-security-regime\"").count(),
        1,
        "a company obligation once, not per product"
    );
    assert!(html.contains("data-watch=\"rohs.eco-code-eee-design-duty\""));
    assert!(
        !html.contains(
            "<article class=\"finding informational\" data-rule=\"rohs.eco-code-eee-design-duty\""
        ),
        "a principle is a watch line, not a product obligation"
    );
    // Marker centres: no two closer than a marker's diameter.
    let mut centres: Vec<(f64, f64)> = Vec::new();
    for part in html.split("<circle ").skip(1) {
        let attr = |name: &str| -> f64 {
            let start = part.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            part[start..].split('"').next().unwrap().parse().unwrap()
        };
        centres.push((attr("cx"), attr("cy")));
    }
    assert!(centres.len() > 10, "{}", centres.len());
    for (i, a) in centres.iter().enumerate() {
        for b in &centres[i + 1..] {
            let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
            assert!(d >= 18.0, "markers at {a:?} and {b:?} overlap");
        }
    }
}

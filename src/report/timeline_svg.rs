//! The report's timeline chart: an inline SVG with one numbered marker per
//! dated event (`data-event`, numbered like the list under the chart, so the
//! chart can be read on paper) and a marker for the as-of day (`data-today`).

use chrono::{Datelike, NaiveDate};
use maud::{html, Markup};

use crate::timeline::{Event, EventKind};

const WIDTH: f64 = 1000.0;
const MARGIN: f64 = 48.0;
const RADIUS: f64 = 9.0;
const LANE: f64 = 22.0;
const TOP: f64 = 30.0;
/// Days shown before the first and after the last date, so end markers are
/// not cut off.
const PAD_DAYS: i64 = 45;

/// The chart's days and their horizontal positions.
struct Scale {
    start: NaiveDate,
    days: f64,
}

impl Scale {
    fn new(dates: impl Iterator<Item = NaiveDate>) -> Option<Scale> {
        let (mut lo, mut hi) = (None::<NaiveDate>, None::<NaiveDate>);
        for d in dates {
            lo = Some(lo.map_or(d, |l| l.min(d)));
            hi = Some(hi.map_or(d, |h| h.max(d)));
        }
        let (lo, hi) = (lo?, hi?);
        let start = lo
            .checked_sub_signed(chrono::Duration::days(PAD_DAYS))
            .unwrap_or(lo);
        let end = hi
            .checked_add_signed(chrono::Duration::days(PAD_DAYS))
            .unwrap_or(hi);
        Some(Scale {
            start,
            days: ((end - start).num_days()).max(1) as f64,
        })
    }

    fn end(&self) -> NaiveDate {
        self.start
            .checked_add_signed(chrono::Duration::days(self.days as i64))
            .unwrap_or(self.start)
    }

    fn x(&self, d: NaiveDate) -> f64 {
        let frac = (d - self.start).num_days() as f64 / self.days;
        MARGIN + frac * (WIDTH - 2.0 * MARGIN)
    }
}

/// Stacks markers that would overlap into lanes above the axis; returns
/// each event's lane and the number of lanes.
fn lanes(xs: &[f64]) -> (Vec<usize>, usize) {
    let mut last: Vec<f64> = Vec::new();
    let mut out = Vec::with_capacity(xs.len());
    for &x in xs {
        match last.iter().position(|&l| x - l >= 2.0 * RADIUS + 2.0) {
            Some(i) => {
                last[i] = x;
                out.push(i);
            }
            None => {
                last.push(x);
                out.push(last.len() - 1);
            }
        }
    }
    let n = last.len().max(1);
    (out, n)
}

pub fn kind_class(k: EventKind) -> &'static str {
    match k {
        EventKind::Effective => "k-effective",
        EventKind::TransitionEnds => "k-transition",
        EventKind::Repealed | EventKind::Superseded => "k-ends",
        EventKind::EvidenceExpires | EventKind::Reported => "k-evidence",
    }
}

/// A coordinate as SVG text, to a tenth of a unit.
fn n(x: f64) -> String {
    format!("{x:.1}")
}

/// Text of a tick every year (and every quarter when the span is short).
fn ticks(scale: &Scale) -> Vec<(NaiveDate, Option<String>)> {
    let end = scale.end();
    let short = scale.days < 6.0 * 365.0;
    let mut out = Vec::new();
    for year in scale.start.year()..=end.year() {
        for month in [1, 4, 7, 10] {
            if month != 1 && !short {
                continue;
            }
            let Some(d) = NaiveDate::from_ymd_opt(year, month, 1) else {
                continue;
            };
            if d < scale.start || d > end {
                continue;
            }
            out.push((d, (month == 1).then(|| year.to_string())));
        }
    }
    out
}

/// The chart. `titles[i]` is the tooltip of `events[i]`.
pub fn render(events: &[Event], titles: &[String], today: NaiveDate, today_label: &str) -> Markup {
    let Some(scale) = Scale::new(events.iter().map(|e| e.date).chain([today])) else {
        return html! {};
    };
    let xs: Vec<f64> = events.iter().map(|e| scale.x(e.date)).collect();
    let (lane_of, n_lanes) = lanes(&xs);
    let axis = TOP + n_lanes as f64 * LANE + 10.0;
    let height = axis + 34.0;
    let tx = scale.x(today);
    // Keep the today label inside the chart at either end.
    let anchor = if tx < 120.0 {
        "start"
    } else if tx > WIDTH - 120.0 {
        "end"
    } else {
        "middle"
    };
    html! {
        svg class="timeline" viewBox=(format!("0 0 {WIDTH} {height}")) role="img"
            aria-label=(format!("Timeline of {} dated events, with {today_label} marked", events.len())) {
            line class="axis" x1=(n(MARGIN)) y1=(n(axis)) x2=(n(WIDTH - MARGIN)) y2=(n(axis)) {}
            @for (d, label) in ticks(&scale) {
                @let x = scale.x(d);
                line class=(if label.is_some() { "tick year" } else { "tick" })
                    x1=(n(x)) y1=(n(axis)) x2=(n(x)) y2=(n(axis + if label.is_some() { 8.0 } else { 4.0 })) {}
                @if let Some(l) = label {
                    text class="tick-label" x=(n(x)) y=(n(axis + 22.0)) text-anchor="middle" { (l) }
                }
            }
            @for (i, e) in events.iter().enumerate() {
                @let x = xs[i];
                @let y = axis - 14.0 - lane_of[i] as f64 * LANE;
                g class=(format!("event {}", kind_class(e.kind)))
                    data-event=(i + 1) data-date=(e.date.to_string()) data-kind=(e.kind.as_str()) data-rule=(e.rule.id) {
                    title { (titles.get(i).map(String::as_str).unwrap_or("")) }
                    line class="stem" x1=(n(x)) y1=(n(y + RADIUS)) x2=(n(x)) y2=(n(axis)) {}
                    circle cx=(n(x)) cy=(n(y)) r=(n(RADIUS)) {}
                    text x=(n(x)) y=(n(y + 3.0)) text-anchor="middle" { (i + 1) }
                }
            }
            g class="today" data-today=(today.to_string()) {
                line x1=(n(tx)) y1=(n(TOP - 12.0)) x2=(n(tx)) y2=(n(axis + 4.0)) {}
                text x=(n(tx)) y=(n(TOP - 16.0)) text-anchor=(anchor) { (today_label) " " (today.to_string()) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_closer_than_a_marker_width_go_to_separate_lanes() {
        let (lanes, n) = lanes(&[100.0, 105.0, 300.0, 301.0, 302.0, 400.0]);
        assert_eq!(lanes, vec![0, 1, 0, 1, 2, 0]);
        assert_eq!(n, 3);
    }

    #[test]
    fn scale_pads_both_ends_and_keeps_dates_in_order() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let s = Scale::new([d("2026-07-01"), d("2026-07-01")].into_iter()).unwrap();
        let x = s.x(d("2026-07-01"));
        assert!(
            (x - WIDTH / 2.0).abs() < 1.0,
            "a single day sits in the middle: {x}"
        );
        let s = Scale::new([d("2020-01-01"), d("2028-03-31")].into_iter()).unwrap();
        assert!(s.x(d("2020-01-01")) > MARGIN);
        assert!(s.x(d("2028-03-31")) < WIDTH - MARGIN);
        assert!(s.x(d("2024-01-01")) < s.x(d("2024-01-02")));
    }
}

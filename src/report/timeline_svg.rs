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

/// Months shown after the as-of day; later events are folded to the right.
const AHEAD_DAYS: i64 = 730;
/// Days shown before the as-of day; earlier events are folded to the left.
/// Eight months: what took effect this year is read in place ("applies
/// since 2026-05-01"), not piled up in the fold (a quarter did that).
const BEHIND_DAYS: i64 = 243;
/// Width of a fold (earlier or later years, compressed) at either end.
const FOLD: f64 = 80.0;

/// The chart's days and their horizontal positions: the next 24 months
/// (and eight months before the as-of day) span the chart; earlier and later
/// dates are folded into narrow zones at the ends, in date order.
struct Scale {
    start: NaiveDate,
    days: f64,
    /// First and last date of all events, when outside the window.
    earliest: Option<NaiveDate>,
    latest: Option<NaiveDate>,
}

impl Scale {
    fn new(dates: impl Iterator<Item = NaiveDate>, today: NaiveDate) -> Option<Scale> {
        let (mut lo, mut hi) = (None::<NaiveDate>, None::<NaiveDate>);
        for d in dates.chain([today]) {
            lo = Some(lo.map_or(d, |l| l.min(d)));
            hi = Some(hi.map_or(d, |h| h.max(d)));
        }
        let (lo, hi) = (lo?, hi?);
        let pad = |d: NaiveDate, days: i64| {
            d.checked_add_signed(chrono::Duration::days(days))
                .unwrap_or(d)
        };
        let window_start = pad(today, -BEHIND_DAYS).max(pad(lo, -PAD_DAYS));
        let window_end = pad(today, AHEAD_DAYS).min(pad(hi, PAD_DAYS));
        Some(Scale {
            start: window_start,
            days: ((window_end - window_start).num_days()).max(1) as f64,
            earliest: (lo < window_start).then_some(lo),
            latest: (hi > window_end).then_some(hi),
        })
    }

    fn end(&self) -> NaiveDate {
        self.start
            .checked_add_signed(chrono::Duration::days(self.days as i64))
            .unwrap_or(self.start)
    }

    /// Where the window starts and ends on the chart (inside the folds).
    fn inner(&self) -> (f64, f64) {
        let left = MARGIN + if self.earliest.is_some() { FOLD } else { 0.0 };
        let right = WIDTH - MARGIN - if self.latest.is_some() { FOLD } else { 0.0 };
        (left, right)
    }

    fn x(&self, d: NaiveDate) -> f64 {
        let (left, right) = self.inner();
        let frac = |a: NaiveDate, b: NaiveDate| {
            (d - a).num_days() as f64 / ((b - a).num_days().max(1) as f64)
        };
        match (self.earliest, self.latest) {
            (Some(lo), _) if d < self.start => MARGIN + 8.0 + frac(lo, self.start) * (FOLD - 16.0),
            (_, Some(hi)) if d > self.end() => right + 8.0 + frac(self.end(), hi) * (FOLD - 16.0),
            _ => left + frac(self.start, self.end()) * (right - left),
        }
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
    let mut labelled = false;
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
            let label = if month == 1 || !labelled {
                labelled = true;
                Some(if month == 1 {
                    year.to_string()
                } else {
                    format!("{year}-{month:02}")
                })
            } else {
                None
            };
            out.push((d, label));
        }
    }
    out
}

/// The chart. `titles[i]` is the tooltip of `events[i]`.
pub fn render(events: &[Event], titles: &[String], today: NaiveDate, today_label: &str) -> Markup {
    let Some(scale) = Scale::new(events.iter().map(|e| e.date), today) else {
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
            line class="axis" x1=(n(scale.inner().0)) y1=(n(axis)) x2=(n(scale.inner().1)) y2=(n(axis)) {}
            @if let Some(lo) = scale.earliest {
                line class="axis fold" x1=(n(MARGIN)) y1=(n(axis)) x2=(n(scale.inner().0)) y2=(n(axis)) {}
                text class="tick-label" x=(n(MARGIN + FOLD / 2.0)) y=(n(axis + 22.0)) text-anchor="middle" { "earlier (" (lo.year()) "–)" }
            }
            @if let Some(hi) = scale.latest {
                line class="axis fold" x1=(n(scale.inner().1)) y1=(n(axis)) x2=(n(WIDTH - MARGIN)) y2=(n(axis)) {}
                text class="tick-label" x=(n(WIDTH - MARGIN - FOLD / 2.0)) y=(n(axis + 22.0)) text-anchor="middle" { "later (–" (hi.year()) ")" }
            }
            @for (d, label) in ticks(&scale) {
                @let x = scale.x(d);
                // A tick label next to a fold's label would run into it.
                @let label = label.filter(|_| {
                    (scale.earliest.is_none() || x > scale.inner().0 + 40.0)
                        && (scale.latest.is_none() || x < scale.inner().1 - 40.0)
                });
                line class=(if label.is_some() { "tick year" } else { "tick" })
                    x1=(n(x)) y1=(n(axis)) x2=(n(x)) y2=(n(axis + if label.is_some() { 8.0 } else { 4.0 })) {}
                @if let Some(l) = label {
                    text class="tick-label" x=(n(x)) y=(n(axis + 22.0)) text-anchor="middle" { (l) }
                }
            }
            // Every stem first: a stem drawn after a marker below it would
            // cross out that marker's number.
            @for (i, x) in xs.iter().enumerate() {
                @let y = axis - 14.0 - lane_of[i] as f64 * LANE;
                line class="stem" x1=(n(*x)) y1=(n(y + RADIUS)) x2=(n(*x)) y2=(n(axis)) {}
            }
            @for (i, e) in events.iter().enumerate() {
                @let x = xs[i];
                @let y = axis - 14.0 - lane_of[i] as f64 * LANE;
                g class=(format!("event {}", kind_class(e.kind)))
                    data-event=(i + 1) data-date=(e.date.to_string()) data-kind=(e.kind.as_str()) data-rule=(e.rule.id) {
                    title { (titles.get(i).map(String::as_str).unwrap_or("")) }
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
        let s = Scale::new([d("2026-07-01")].into_iter(), d("2026-07-01")).unwrap();
        let x = s.x(d("2026-07-01"));
        assert!(
            (x - WIDTH / 2.0).abs() < 1.0,
            "a single day sits in the middle: {x}"
        );
        let s = Scale::new(
            [d("2020-01-01"), d("2028-03-31")].into_iter(),
            d("2024-01-01"),
        )
        .unwrap();
        assert!(s.x(d("2020-01-01")) > MARGIN);
        assert!(s.x(d("2028-03-31")) < WIDTH - MARGIN);
        assert!(s.x(d("2024-01-01")) < s.x(d("2024-01-02")));
        assert!(
            s.x(d("2021-01-01")) < s.x(d("2023-12-01")),
            "earlier years stay in order"
        );
    }

    #[test]
    fn the_next_24_months_span_the_chart_and_other_years_are_folded() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let today = d("2026-12-01");
        let s = Scale::new([d("2021-06-01"), d("2031-01-01")].into_iter(), today).unwrap();
        let (left, right) = s.inner();
        assert!(s.x(d("2021-06-01")) < left, "2021 is in the left fold");
        assert!(s.x(d("2031-01-01")) > right, "2031 is in the right fold");
        // Six months ahead take about a sixth of the window, not a twentieth.
        let six = s.x(d("2027-06-01")) - s.x(today);
        assert!(six > (right - left) / 6.0, "{six}");
        // What took effect this year is in the window, not in the fold.
        assert!(s.x(d("2026-05-01")) > left, "May 2026 is in the window");
    }
}

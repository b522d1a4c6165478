//! The terminal report. One product: its findings, grouped by topic, status
//! and date in the first columns, one explanation per finding. A catalogue:
//! a summary table with a row per product, the findings with `--details`.
//! Both end with a tally line.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ColumnConstraint, ContentArrangement, Table, Width};
use rayon::prelude::*;
use unicode_width::UnicodeWidthStr;

use std::io;

use crate::evaluate::{Finding, Status};

use super::stream::{self, Piece, ProductSummary, RunSummary, Spill};
use super::{Options, ProductError, ProductReport, RunInfo};

/// A product's findings table, when the report shows it: always for one
/// product, with `--details` for several.
pub fn piece(info: &RunInfo, p: &ProductReport, o: &Options, piece: &mut Piece) {
    if !o.several || info.details {
        let mut out = String::new();
        render_product(&mut out, info, p, o.width);
        out.push('\n');
        piece.bytes = fit_to_width(out, o.width).into_bytes();
    }
}

/// One product's table is written as it comes. Several products open with
/// a summary table, whose layout depends on every row: the rows (and the
/// details) are kept in a [`Spill`] until the end, with the widest cell of
/// each column, and the table is then laid out once and written a chunk of
/// rows at a time.
pub struct Writer {
    options: Options,
    rows: Spill,
    row_count: usize,
    /// The widest texts of each column so far.
    widest: [Widest; SUMMARY_COLUMNS],
    details: Spill,
}

impl Writer {
    pub fn new(options: Options) -> Writer {
        Writer {
            options,
            rows: Spill::default(),
            row_count: 0,
            widest: Default::default(),
            details: Spill::default(),
        }
    }
}

impl stream::Writer for Writer {
    fn product(
        &mut self,
        info: &RunInfo,
        summary: &ProductSummary,
        piece: Piece,
        w: &mut dyn io::Write,
    ) -> io::Result<()> {
        if !self.options.several {
            return w.write_all(&piece.bytes);
        }
        let row = SummaryRow::of(info, summary);
        for (widest, text) in self.widest.iter_mut().zip(&row.cells) {
            widest.offer(text);
        }
        let mut line = serde_json::to_vec(&row).expect("a row serialises");
        line.push(b'\n');
        self.rows.write(&line)?;
        self.row_count += 1;
        self.details.write(&piece.bytes)
    }

    fn tail(
        &mut self,
        info: &RunInfo,
        run: &RunSummary,
        errors: &[ProductError],
        w: &mut dyn io::Write,
    ) -> io::Result<()> {
        let mut out = String::new();
        if self.options.several {
            self.write_summary(info, w)?;
            w.write_all(b"\n")?;
            self.details.copy_to(w)?;
        }
        if let Some(c) = info.company {
            // Like a product piece: shown plain when it needs cleaning.
            let plain = RunInfo {
                color: false,
                ..info.clone()
            };
            let mut company = String::new();
            render_company(&mut company, &plain, c, run.products, self.options.width);
            if crate::safe_text::needs_cleaning(&company) {
                company = crate::safe_text::text_block(&company).into_owned();
            } else if info.color {
                company.clear();
                render_company(&mut company, info, c, run.products, self.options.width);
            }
            out.push_str(&company);
        }
        out.push_str(&tally(info, run, errors));
        w.write_all(fit_to_width(out, self.options.width).as_bytes())
    }
}

/// `text` with every line wider than `width` wrapped under its own indent
/// (list items under their text, past the `· `). The tables are already as
/// wide as `width`; this is for the headings, lists and tallies around them.
fn fit_to_width(text: String, width: u16) -> String {
    let width = usize::from(width).max(20);
    if text
        .lines()
        .all(|l| textwrap::core::display_width(l) <= width)
    {
        return text;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if textwrap::core::display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let indent = &body[..body.len() - body.trim_start().len()];
        // Two more spaces: under the text of a `· ` item, or a hanging indent.
        let hanging = format!("{indent}  ");
        let options = textwrap::Options::new(width)
            .subsequent_indent(&hanging)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
        for piece in textwrap::wrap(body, options) {
            out.push_str(&piece);
            out.push('\n');
        }
        if !line.ends_with('\n') {
            out.pop();
        }
    }
    out
}

impl Writer {
    /// The summary table: laid out by comfy-table once, from the widest
    /// cells of each column (what its layout reads), then written
    /// [`SUMMARY_CHUNK`] rows at a time with those column widths, joined as
    /// one table.
    fn write_summary(&mut self, info: &RunInfo, w: &mut dyn io::Write) -> io::Result<()> {
        let width = self.options.width;
        let mut probe = summary_table(
            &RunInfo {
                color: false,
                ..info.clone()
            },
            width,
        );
        let depth = self.widest.iter().map(|c| c.0.len()).max().unwrap_or(0);
        for i in 0..depth {
            probe.add_row(
                self.widest
                    .iter()
                    .map(|c| Cell::new(c.0.iter().nth(i).map_or("", |(_, _, t)| t.as_str())))
                    .collect::<Vec<_>>(),
            );
        }
        let top = probe.lines().next().unwrap_or_default();
        let widths: Vec<ColumnConstraint> = top
            .trim_start_matches('┌')
            .trim_end_matches('┐')
            .split('┬')
            .map(|c| ColumnConstraint::Absolute(Width::Fixed(c.chars().count() as u16)))
            .collect();
        let chunks = self.row_count.div_ceil(SUMMARY_CHUNK);
        let mut rows = io::BufRead::lines(self.rows.read_back()?);
        // The chunks are laid out side by side, a few at a time (as many as
        // there are threads): this runs after every product is checked, on
        // the critical path, and memory stays bounded by the batch.
        let batch = rayon::current_num_threads().max(1);
        for first in (0..chunks).step_by(batch) {
            let mut pending = Vec::with_capacity(batch);
            for chunk in first..(first + batch).min(chunks) {
                let mut cells = Vec::with_capacity(SUMMARY_CHUNK);
                for line in rows.by_ref().take(SUMMARY_CHUNK) {
                    let row: SummaryRow = serde_json::from_str(&line?).map_err(io::Error::other)?;
                    cells.push(row);
                }
                pending.push((chunk, cells));
            }
            let laid_out: Vec<String> = pending
                .into_par_iter()
                .map(|(chunk, cells)| {
                    let mut table = if chunk == 0 {
                        summary_table(info, width)
                    } else {
                        new_table(info, width)
                    };
                    table.set_constraints(widths.iter().cloned());
                    for row in cells {
                        table.add_row(row.cells(info));
                    }
                    let lines: Vec<String> = table.lines().collect();
                    // A chunk after the first has no top border of its own,
                    // one before the last no bottom border.
                    let from = usize::from(chunk > 0);
                    let to = lines.len() - usize::from(chunk + 1 < chunks);
                    let mut text = String::new();
                    for line in &lines[from..to] {
                        text.push_str(line);
                        text.push('\n');
                    }
                    text
                })
                .collect();
            for text in laid_out {
                w.write_all(text.as_bytes())?;
            }
        }
        Ok(())
    }
}

/// The summary's rows are laid out this many at a time.
const SUMMARY_CHUNK: usize = 1024;

const SUMMARY_COLUMNS: usize = 5;

/// How many of a column's widest cells the summary's layout is taken from.
/// comfy-table sizes a column by its widest cell, and when the columns
/// must share the width, by the longest line its cells wrap to: the widest
/// few hundred different cells decide that for any realistic catalogue.
const WIDEST: usize = 256;

/// The widest different texts of a summary column, at most [`WIDEST`], by
/// display width then length (the two comfy-table's layout measures).
#[derive(Default)]
struct Widest(std::collections::BTreeSet<(usize, usize, String)>);

impl Widest {
    fn offer(&mut self, text: &str) {
        let width = text.split('\n').map(|l| l.width()).max().unwrap_or(0);
        let key = (width, text.len());
        if self.0.len() >= WIDEST && self.0.first().is_some_and(|(w, l, _)| key <= (*w, *l)) {
            return;
        }
        self.0.insert((width, text.len(), text.to_string()));
        if self.0.len() > WIDEST {
            self.0.pop_first();
        }
    }
}

/// A summary table with its header and no rows yet.
fn summary_table(info: &RunInfo, width: u16) -> Table {
    let mut table = new_table(info, width);
    table.set_header(vec![
        "Product",
        "Profile",
        "Findings",
        "Nearest deadline",
        "Result",
    ]);
    table
}

/// A product's row of the summary table: each cell's text as the table
/// shows it, and the statuses that colour two of them.
#[derive(serde::Serialize, serde::Deserialize)]
struct SummaryRow {
    cells: [String; SUMMARY_COLUMNS],
    /// The most urgent status with a finding (an index of [`Status::ALL`]).
    first: usize,
    failing: usize,
}

impl SummaryRow {
    fn of(info: &RunInfo, p: &ProductSummary) -> SummaryRow {
        let first = Status::ALL
            .into_iter()
            .position(|s| p.count(s) > 0 && s != Status::NotApplicable)
            .unwrap_or(Status::NotApplicable as usize);
        let failing = p.failing;
        SummaryRow {
            cells: [
                cell_text(crate::safe_text::one_line(&p.name)),
                cell_text(crate::safe_text::one_line(&p.origin)),
                cell_text(counts_text(info, p)),
                cell_text(match p.nearest_deadline {
                    Some(d) => format!("{d} ({} days)", (d - info.as_of).num_days()),
                    None => "—".into(),
                }),
                if failing > 0 {
                    format!("FAIL ({failing})")
                } else {
                    "pass".into()
                },
            ],
            first,
            failing,
        }
    }

    fn cells(self, info: &RunInfo) -> Vec<Cell> {
        let [name, origin, counts, deadline, result] = self.cells;
        vec![
            Cell::new(name),
            Cell::new(origin),
            paint(info, Cell::new(counts), Status::ALL[self.first]),
            Cell::new(deadline),
            if self.failing > 0 {
                paint(info, Cell::new(result), Status::Applies)
            } else {
                Cell::new(result)
            },
        ]
    }
}

fn tally(info: &RunInfo, run: &RunSummary, errors: &[ProductError]) -> String {
    // File names and messages come from the input.
    let mut out = crate::safe_text::text_block(&super::text::error_lines(errors)).into_owned();
    let applies = run.count(Status::Applies);
    let mut tally = format!(
        "{} product{} checked against {} rules as of {}: {} unmet obligation{} in force",
        run.products,
        plural(run.products),
        info.rules.rules.len(),
        info.as_of,
        applies,
        plural(applies)
    );
    if let Some(n) = info
        .company
        .map(|c| c.failing(info.policy))
        .filter(|n| *n > 0)
    {
        tally.push_str(&format!(
            ", {n} unmet company obligation{} in force",
            plural(n)
        ));
    }
    let waived = run.count(Status::Waived);
    if waived > 0 {
        tally.push_str(&format!(", {waived} waived"));
    }
    if !info.policy.fail_on.is_empty() {
        let failing = run.failing;
        tally.push_str(&format!(
            ", {failing} finding{} failing (fail on: {})",
            plural(failing),
            info.policy.describe()
        ));
    }
    if !errors.is_empty() {
        tally.push_str(&format!(
            ", {} profile{} with errors",
            errors.len(),
            plural(errors.len())
        ));
    }
    out.push_str(&tally);
    out.push('\n');
    out
}

/// The longest word a cell shows: comfy-table lays out an unbroken word in
/// time that grows with the square of its length (a 400,000-character
/// certificate number took 76 s), so longer words are shortened, saying how
/// much was left out. The JSON report has every text in full.
const MAX_WORD: usize = 200;
/// The longest text a cell shows.
const MAX_CELL: usize = 4_000;

/// A table cell holding `text`, shortened to what a table can lay out in
/// time linear in the input. Every table of every command is built of these.
pub(crate) fn cell(text: impl AsRef<str>) -> Cell {
    Cell::new(cell_text(text))
}

/// What a [`cell`] holding `text` shows.
fn cell_text(text: impl AsRef<str>) -> String {
    use crate::safe_text::{shorten, shorten_words};
    shorten_words(&shorten(text.as_ref(), MAX_CELL), MAX_WORD).into_owned()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// "1 applies, 2 needs-info": the non-zero counts in urgency order.
fn counts_text(info: &RunInfo, p: &ProductSummary) -> String {
    let counts: Vec<String> = Status::ALL
        .iter()
        .filter(|s| **s != Status::NotApplicable || info.show_all)
        .map(|s| (s, p.count(*s)))
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    if counts.is_empty() {
        "nothing applies".to_string()
    } else {
        counts.join(", ")
    }
}

fn new_table(info: &RunInfo, width: u16) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width);
    if info.color {
        // comfy-table styles only on a terminal by itself; the decision was
        // made already (--color, NO_COLOR), so apply it as made.
        table.enforce_styling();
    }
    table
}

/// Colours a cell by status when colour is on.
fn paint(info: &RunInfo, cell: Cell, status: Status) -> Cell {
    if !info.color {
        return cell;
    }
    match status {
        Status::Applies => cell.fg(Color::Red),
        Status::InTransition | Status::NeedsInfo | Status::Upcoming => cell.fg(Color::Yellow),
        Status::Met => cell.fg(Color::Green),
        Status::Waived => cell.fg(Color::Cyan),
        Status::Informational | Status::NotApplicable => cell,
    }
}

fn render_product(out: &mut String, info: &RunInfo, p: &ProductReport, width: u16) {
    let vocab = &info.rules.vocabulary;
    let cat = &vocab.categories[p.profile.category];
    out.push_str(&format!(
        "{} — {} ({}) — {}\n",
        // A heading to read, not a record: the JSON keeps the name in full.
        crate::safe_text::shorten(
            &crate::safe_text::one_line(&p.profile.name),
            super::MAX_REPEATED
        ),
        cat.id,
        cat.name,
        p.profile.origin
    ));

    // Without --all, needs-info findings are condensed into the questions
    // below the table: a list of facts is what the reader can act on.
    // Drafts and plans are listed apart, "on the horizon", in one line each.
    let mut findings: Vec<&Finding> = p
        .visible(info.show_all)
        .filter(|f| info.show_all || (f.status != Status::NeedsInfo && !f.rule.is_watch()))
        .collect();
    // Group by topic; within a topic keep the urgency order of the report.
    findings.sort_by(|a, b| {
        (
            &a.rule.topic,
            a.status,
            a.deadline.or(a.effective),
            &a.rule.id,
        )
            .cmp(&(
                &b.rule.topic,
                b.status,
                b.deadline.or(b.effective),
                &b.rule.id,
            ))
    });

    if findings.is_empty() {
        out.push_str("  No obligation in the rule library is known to apply to this product.\n");
    } else {
        let mut table = new_table(info, width);
        table.set_header(vec!["Topic", "Status", "Date", "Obligation and why"]);
        let room = obligation_room(&findings, width);
        let mut last_topic = "";
        for f in findings {
            let topic = if f.rule.topic != last_topic {
                f.rule.topic.as_str()
            } else {
                ""
            };
            last_topic = &f.rule.topic;
            table.add_row(vec![
                cell(topic),
                paint(info, cell(status_cell(f)), f.status),
                cell(date_cell(f)),
                cell(obligation_cell(f, info.details, room)),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    if !info.show_all {
        questions(out, info, p);
        horizon(out, info, p, width);
    }
    let counts = counts_text(info, &ProductSummary::of(p, info));
    let nearest = match p.nearest_deadline() {
        Some(d) => {
            let days = (d - info.as_of).num_days();
            format!(
                "; nearest deadline {d} ({days} day{})",
                if days == 1 { "" } else { "s" }
            )
        }
        None => String::new(),
    };
    out.push_str(&format!("  {counts}{nearest}\n"));
}

/// The facts that would settle the needs-info findings. Only facts that can
/// change a mandatory outcome are listed one by one; drafts and voluntary
/// schemes never fail a check, so their open questions are only counted.
fn questions(out: &mut String, info: &RunInfo, p: &ProductReport) {
    let mut by_fact: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    let (mut binding, mut informational) = (0, 0);
    for f in p.findings.iter().filter(|f| f.status == Status::NeedsInfo) {
        if f.rule.is_informational() {
            informational += 1;
            continue;
        }
        binding += 1;
        for m in &f.missing {
            by_fact.entry(m.as_str()).or_default().push(&f.rule.id);
        }
    }
    if binding > 0 {
        let mut facts: Vec<(&str, Vec<&str>)> = by_fact.into_iter().collect();
        facts.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        out.push_str(&format!(
            "  {binding} mandatory rule{} on facts the profile does not give; add them to settle {}:\n",
            if binding == 1 { " depends" } else { "s depend" },
            if binding == 1 { "it" } else { "them" }
        ));
        for (fact, rules) in facts {
            let v = &info.rules.vocabulary;
            let (key, meaning) = match v.attributes.get(fact) {
                Some(a) => (
                    format!("attributes.{fact}"),
                    format!(" ({}) {}", a.value_type.describe(), a.meaning),
                ),
                // A category that groups kinds (`ask which kind`): name them.
                None if fact == "category" => {
                    let kinds: Vec<&str> = v
                        .children(p.profile.category)
                        .into_iter()
                        .map(|c| v.categories[c].id.as_str())
                        .collect();
                    (
                        "category".to_string(),
                        format!(
                            " which kind of {} it is: {}",
                            v.categories[p.profile.category].id,
                            kinds.join(", ")
                        ),
                    )
                }
                None => (fact.to_string(), String::new()),
            };
            let shown: Vec<&str> = rules.iter().take(3).copied().collect();
            let more = if rules.len() > 3 {
                format!(", +{} more", rules.len() - 3)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "    {key}{meaning}\n      needed by {}{more}\n",
                shown.join(", ")
            ));
        }
    }
    if informational > 0 {
        out.push_str(&format!(
            "  {informational} draft, voluntary or advisory rule{} on facts not given (--all lists them).\n",
            if informational == 1 { " also depends" } else { "s also depend" }
        ));
    }
}

/// The watch list: drafts and plans that concern the product, one line each
/// with their stage and the date they would take effect.
fn horizon(out: &mut String, info: &RunInfo, p: &ProductReport, width: u16) {
    let items: Vec<&Finding> = p.horizon(info.watch).collect();
    if items.is_empty() {
        return;
    }
    out.push_str("  On the horizon (drafts and plans; not binding yet):\n");
    for f in items {
        // One line each: the title gets what the id and stage leave.
        let room = title_room(width, 6 + watch_line(f, info.as_of, 0).chars().count());
        out.push_str(&format!("    · {}\n", watch_line(f, info.as_of, room)));
    }
}

/// "RULE: title — draft, would take effect 2027-01-01", the title cut to
/// `title_max` characters.
pub(crate) fn watch_line(f: &Finding, as_of: chrono::NaiveDate, title_max: usize) -> String {
    let r = f.rule;
    let mut s = format!("{}: {} — {}", r.id, short(&r.title, title_max), stage(r));
    if let Some(d) = r.first_effective().filter(|d| *d > as_of) {
        s.push_str(&format!(", would take effect {d}"));
    }
    if !f.missing.is_empty() {
        s.push_str(&format!(" (may concern it: {})", f.missing.join(", ")));
    }
    s
}

/// Characters left for a title in a line of `width` whose other parts take
/// `used`; at least 24, so a narrow terminal still shows a title (wrapped).
fn title_room(width: u16, used: usize) -> usize {
    usize::from(width).saturating_sub(used).max(24)
}

/// The first `max` characters of `s`, with "…" when cut.
fn short(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// How far along a watch item is: a draft, or a plan that binds no one.
pub(crate) fn stage(r: &crate::model::Rule) -> &'static str {
    if r.status == crate::model::RuleStatus::Draft {
        "draft"
    } else {
        "binds no one itself"
    }
}

/// The company's obligations, once for the run.
fn render_company(
    out: &mut String,
    info: &RunInfo,
    c: &super::CompanyReport,
    total: usize,
    width: u16,
) {
    let listed: Vec<_> = c.listed().collect();
    if !listed.is_empty() && !info.details {
        match &c.company {
            Some(co) => out.push_str(&format!("Company obligations — {} — {} (--details for more):\n", co.name, co.origin)),
            None => out.push_str("Company obligations (from company facts in the product profiles; --details for more):\n"),
        }
        for (f, products) in &listed {
            let fails = if info.policy.fails_company(f) {
                " FAIL"
            } else {
                ""
            };
            let date = date_cell(f).replace('\n', " ");
            let for_whom = if products.len() == total {
                "every product".to_string()
            } else {
                products.join(", ")
            };
            let line = |title: &str| {
                format!(
                    "  · {}{fails} {date}: {} — {title} (for {for_whom})\n",
                    f.status, f.rule.id
                )
            };
            let room = title_room(width, line("").chars().count() - 1);
            out.push_str(&line(&short(&f.rule.title, room.min(70))));
        }
    } else if !listed.is_empty() {
        match &c.company {
            Some(co) => out.push_str(&format!(
                "Company obligations — {} — {}\n",
                co.name, co.origin
            )),
            None => {
                out.push_str("Company obligations (from company facts in the product profiles)\n")
            }
        }
        let mut table = new_table(info, width);
        table.set_header(vec!["Status", "Date", "Obligation and why", "For"]);
        for (f, products) in listed {
            table.add_row(vec![
                paint(info, Cell::new(status_cell(f)), f.status),
                Cell::new(date_cell(f)),
                Cell::new(obligation_cell(f, info.details, usize::MAX)),
                Cell::new(if products.len() == total {
                    "every product".to_string()
                } else {
                    products.join("\n")
                }),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    if let Some(line) = c.unanswered_line() {
        out.push_str(&format!("{line}\n"));
    }
}

fn status_cell(f: &Finding) -> String {
    let mut s = f.status.to_string();
    if f.rule.status == crate::model::RuleStatus::Draft {
        s.push_str("\n(DRAFT)");
    }
    s
}

fn date_cell(f: &Finding) -> String {
    match (f.deadline, f.days_left, f.effective) {
        (Some(d), Some(days), _) => {
            format!("{d}\n({days} day{})", if days == 1 { "" } else { "s" })
        }
        (_, _, Some(e)) => format!("since {e}"),
        _ => match f.rule.first_effective() {
            Some(e) => e.to_string(),
            None => "—".into(),
        },
    }
}

/// The width of the product table's last column when the others take what
/// their widest cell needs (as comfy-table lays them out): three columns of
/// one space each side and a border, plus the outer borders.
fn obligation_room(findings: &[&Finding], width: u16) -> usize {
    let widest = |cell: &dyn Fn(&Finding) -> String, header: &str| {
        findings
            .iter()
            .filter_map(|f| cell(f).lines().map(|l| l.chars().count()).max())
            .chain([header.len()])
            .max()
            .unwrap_or(0)
    };
    let topic = widest(&|f| f.rule.topic.to_string(), "Topic");
    let status = widest(&status_cell, "Status");
    let date = widest(&date_cell, "Date");
    usize::from(width).saturating_sub(topic + status + date + 3 * 3 + 4)
}

/// What a finding asks and why. Without `details`, one line of each: the
/// citation and the long explanation are in `--details`, `explain` and JSON.
/// A finding that asks nothing (met, informational) keeps its title to the
/// `room` left on the id's line: the status says enough.
fn obligation_cell(f: &Finding, details: bool, room: usize) -> String {
    let r = f.rule;
    let asks_nothing = matches!(f.status, Status::Met | Status::Informational);
    let title_room = room.saturating_sub(r.id.chars().count() + 2);
    let mut s = match (asks_nothing && !details, title_room >= 16, room >= 16) {
        (true, true, _) => format!("{}: {}\n", r.id, short(&r.title, title_room)),
        // A long id: the title on a line of its own.
        (true, false, true) => format!("{}:\n{}\n", r.id, short(&r.title, room)),
        _ => format!("{}: {}\n", r.id, r.title),
    };
    if details {
        s.push_str(&super::text::citation(r));
        s.push('\n');
    }
    if matches!(
        f.status,
        Status::Applies | Status::InTransition | Status::Upcoming | Status::Waived
    ) {
        s.push_str(&format!("To do: {}\n", r.obligation));
    }
    let mut why = format!("Why: {}.", f.reason);
    match f.status {
        Status::NeedsInfo => {
            why = format!(
                "Why: {}. Add {} to the profile.",
                f.reason,
                f.missing.join(", ")
            )
        }
        // The reason says what met it, or why the rule does not bind; the
        // long explanation is for what is still to do (`explain` and the
        // JSON report carry it for every finding).
        // One line for what met it: the evidence, without "shown met" and
        // "held", which the status column already says.
        Status::Met if !details && f.evidence.met => {
            let held: Vec<&str> = f
                .evidence
                .notes
                .iter()
                .map(|n| n.strip_suffix(" held").unwrap_or(n))
                .collect();
            why = format!("Met by {}.", held.join("; "));
        }
        Status::Met | Status::NotApplicable | Status::Informational => {}
        _ if !details => {}
        _ => {
            why.push(' ');
            why.push_str(&f.explanation);
        }
    }
    // "a voluntary scheme" says no more than the status column.
    if details || f.status != Status::Informational {
        s.push_str(&why);
    } else {
        s.truncate(s.trim_end().len());
    }
    if let Some(w) = f.waiver.as_ref().filter(|w| w.expired) {
        s.push_str(&format!(
            "\nWaiver expired on {} ({}): no longer applies",
            w.expires, w.at
        ));
    }
    if !f.evidence.met
        && f.rule.met_by.is_some()
        && matches!(
            f.status,
            Status::Applies | Status::InTransition | Status::Waived
        )
    {
        // "no X is recorded" alone says nothing the To do line does not.
        let notes: Vec<&String> = f
            .evidence
            .notes
            .iter()
            .filter(|n| !(n.starts_with("no ") && n.ends_with(" is recorded")))
            .collect();
        if !notes.is_empty() {
            s.push_str(&format!(
                "\nEvidence not counted: {}",
                notes
                    .iter()
                    .map(|n| n.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
    }
    s
}

//! Reports written while a catalogue is checked. Each product is rendered
//! on the thread that evaluated it, into a [`Piece`] of its own; the pieces
//! are then written in input order by a [`Writer`] per output, which states
//! what comes before the first product and after the last. So a run never
//! holds every finding of a catalogue, and the output is the same as one
//! rendered product by product.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use crate::evaluate::Status;
use crate::model::RuleSet;

use super::{ProductError, ProductReport, RunInfo};

/// One product's share of a report. `marks` split `bytes` into items that a
/// writer may leave out (SARIF results past the cap, annotations past what
/// GitHub shows); `tag` says what kind each is.
#[derive(Default, Debug)]
pub struct Piece {
    pub bytes: Vec<u8>,
    pub marks: Vec<Mark>,
}

#[derive(Debug, Clone, Copy)]
pub struct Mark {
    /// Where the item ends in `bytes`; it starts where the previous one ended.
    pub end: usize,
    pub tag: u8,
}

impl Piece {
    /// Ends the current item here.
    pub fn mark(&mut self, tag: u8) {
        self.marks.push(Mark {
            end: self.bytes.len(),
            tag,
        });
    }

    /// The items with their tags.
    pub fn items(&self) -> impl Iterator<Item = (u8, &[u8])> {
        let mut start = 0;
        self.marks.iter().map(move |m| {
            let item = &self.bytes[start..m.end];
            start = m.end;
            (m.tag, item)
        })
    }
}

/// Set by a writer once it will write no more items (SARIF past its cap),
/// and read by the threads that render its pieces: from then on a piece
/// needs only its marks, which still say what was left out. A piece being
/// rendered always comes after everything the writer has taken, so one
/// rendered in full after all is dropped by the writer as before: the output
/// does not depend on when the signal is seen.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    pub fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// What the summaries at the top or the bottom of a report need to know of
/// a product once its findings are gone.
#[derive(Debug, Clone)]
pub struct ProductSummary {
    pub name: String,
    pub origin: String,
    pub category: usize,
    /// Per status, in [`Status::ALL`] order; not-applicable counts the
    /// findings that were not kept too.
    pub counts: [usize; 8],
    pub nearest_deadline: Option<NaiveDate>,
    pub failing: usize,
    /// Failing findings that are new or changed since the baseline.
    pub failing_new: usize,
}

impl ProductSummary {
    pub fn of(p: &ProductReport, info: &RunInfo) -> ProductSummary {
        let mut counts = [0; 8];
        for (i, s) in Status::ALL.into_iter().enumerate() {
            counts[i] = p.count(s);
        }
        let failing = p.failing(info.policy);
        ProductSummary {
            name: p.profile.name.clone(),
            origin: p.profile.origin.clone(),
            category: p.profile.category,
            counts,
            nearest_deadline: p.nearest_deadline(),
            failing,
            failing_new: p
                .findings
                .iter()
                .filter(|f| info.policy.fails(f) && f.baseline.is_some_and(|b| b.is_new()))
                .count(),
        }
    }

    pub fn count(&self, status: Status) -> usize {
        self.counts[status as usize]
    }
}

/// Totals over the products written so far.
#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    pub products: usize,
    pub counts: [usize; 8],
    pub failing: usize,
}

impl RunSummary {
    pub fn add(&mut self, p: &ProductSummary) {
        self.products += 1;
        for (total, n) in self.counts.iter_mut().zip(p.counts) {
            *total += n;
        }
        self.failing += p.failing;
    }

    pub fn count(&self, status: Status) -> usize {
        self.counts[status as usize]
    }
}

/// Bytes a writer holds until its tail (the rows of a summary that opens
/// the report, JUnit's suites under totals that come first): in memory up
/// to [`SPILL_AFTER`], then in an anonymous temporary file, so a catalogue
/// of any size holds no more than that.
#[derive(Default)]
pub struct Spill {
    memory: Vec<u8>,
    file: Option<io::BufWriter<std::fs::File>>,
}

/// What a [`Spill`] keeps in memory before it moves to a file.
pub const SPILL_AFTER: usize = 8 << 20;

impl Spill {
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        if let Some(file) = &mut self.file {
            return file.write_all(bytes);
        }
        if self.memory.len() + bytes.len() <= SPILL_AFTER {
            self.memory.extend_from_slice(bytes);
            return Ok(());
        }
        let mut file = io::BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
        file.write_all(&std::mem::take(&mut self.memory))?;
        file.write_all(bytes)?;
        self.file = Some(file);
        Ok(())
    }

    /// Everything written, from the start; the spill is empty afterwards.
    pub fn read_back(&mut self) -> io::Result<Box<dyn io::BufRead>> {
        use std::io::Seek;
        match self.file.take() {
            None => Ok(Box::new(io::Cursor::new(std::mem::take(&mut self.memory)))),
            Some(file) => {
                let mut file = file.into_inner().map_err(|e| e.into_error())?;
                file.rewind()?;
                Ok(Box::new(io::BufReader::with_capacity(1 << 20, file)))
            }
        }
    }

    /// Copies everything written to `w`; the spill is empty afterwards.
    pub fn copy_to(&mut self, w: &mut dyn Write) -> io::Result<()> {
        io::copy(&mut self.read_back()?, w).map(|_| ())
    }
}

/// The stateful, in-order half of a report format.
pub trait Writer: Send {
    /// Before the first product.
    fn head(&mut self, _info: &RunInfo, _w: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// One product's piece, in input order.
    fn product(
        &mut self,
        _info: &RunInfo,
        _summary: &ProductSummary,
        piece: Piece,
        w: &mut dyn Write,
    ) -> io::Result<()> {
        w.write_all(&piece.bytes)
    }
    /// After the last product.
    fn tail(
        &mut self,
        info: &RunInfo,
        run: &RunSummary,
        errors: &[ProductError],
        w: &mut dyn Write,
    ) -> io::Result<()>;
}

/// serde_json's pretty printer (two spaces a level) starting `level`
/// levels deep: the same text as indenting each of its lines, written in one
/// pass (a rules table is half a megabyte).
struct PrettyAt {
    level: usize,
    has_value: bool,
}

impl PrettyAt {
    /// A line feed (after a comma if `comma`), then the indent. Most lines
    /// are less than 32 levels deep: the line feed and the indent are then
    /// written at once, a JSON report writing millions of them.
    fn newline<W: ?Sized + Write>(&self, out: &mut W, comma: bool) -> io::Result<()> {
        const LINE: &[u8] = &{
            let mut line = [b' '; 65];
            line[0] = b'\n';
            line
        };
        if comma {
            out.write_all(b",")?;
        }
        let mut left = 2 * self.level;
        let first = left.min(LINE.len() - 1);
        out.write_all(&LINE[..1 + first])?;
        left -= first;
        while left > 0 {
            let n = left.min(LINE.len() - 1);
            out.write_all(&LINE[1..1 + n])?;
            left -= n;
        }
        Ok(())
    }
}

impl PrettyAt {
    /// An array or object begins: one level deeper, nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    /// It ends: its closing bracket on a line of its own unless it is empty.
    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline(out, false)?;
        }
        out.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for PrettyAt {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.newline(out, !first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.newline(out, !first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Appends `value` as serde_json's pretty printer writes it `depth` levels
/// deep (two spaces a level), without the indent of its first line.
pub fn pretty_at<T: Serialize + ?Sized>(value: &T, depth: usize, out: &mut Vec<u8>) {
    let formatter = PrettyAt {
        level: depth,
        has_value: false,
    };
    let mut ser = serde_json::Serializer::with_formatter(out, formatter);
    value.serialize(&mut ser).expect("report serialises");
}

/// Appends `value` as one line of compact JSON (no newline).
pub fn compact<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) {
    serde_json::to_writer(out, value).expect("report serialises");
}

/// The rules a report may refer to, in id order: every rule of the library,
/// so that the table can be written before any product is checked.
pub fn rules_by_id(rules: &RuleSet) -> Vec<&crate::model::Rule> {
    let mut all: Vec<&crate::model::Rule> = rules.rules.iter().collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value written `depth` levels deep reads as serde_json's pretty
    /// printer writes it inside the document: each line after the first
    /// indented by two spaces a level, empty arrays and objects and line
    /// feeds inside strings left as they are.
    #[test]
    fn a_value_written_deep_is_the_pretty_text_indented() {
        let value = serde_json::json!({
            "rules": [{"id": "a", "text": "two\nlines", "none": [], "empty": {}}, [1, [2, []]]],
            "n": null
        });
        for depth in [0, 1, 4, 40] {
            let mut out = Vec::new();
            pretty_at(&value, depth, &mut out);
            let pad = "  ".repeat(depth);
            let want = serde_json::to_string_pretty(&value)
                .unwrap()
                .replace('\n', &format!("\n{pad}"));
            assert_eq!(String::from_utf8(out).unwrap(), want, "depth {depth}");
        }
    }

    #[test]
    fn a_spill_past_its_memory_reads_back_what_was_written_from_a_file() {
        let mut spill = Spill::default();
        let line: Vec<u8> = (0..=255u8).cycle().take(1000).chain([b'\n']).collect();
        let lines = SPILL_AFTER / line.len() + 10;
        for _ in 0..lines {
            spill.write(&line).unwrap();
        }
        assert!(spill.file.is_some(), "moved to a file");
        assert!(spill.memory.is_empty());
        let mut back = Vec::new();
        spill.copy_to(&mut back).unwrap();
        assert_eq!(back.len(), lines * line.len());
        assert!(back.chunks(line.len()).all(|c| c == line.as_slice()));
    }

    #[test]
    fn a_small_spill_stays_in_memory() {
        let mut spill = Spill::default();
        spill.write(b"one\n").unwrap();
        spill.write(b"two\n").unwrap();
        assert!(spill.file.is_none());
        let mut back = Vec::new();
        spill.copy_to(&mut back).unwrap();
        assert_eq!(back, b"one\ntwo\n");
    }
}

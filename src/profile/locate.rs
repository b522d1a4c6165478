//! Where each key of a YAML document was written. serde_yaml reports lines
//! for syntax and shape errors only; the checks that need the vocabulary
//! (unknown attribute, wrong type, unknown category) run after it, so they
//! look up the line here. SARIF and GitHub annotations use it as well.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Dotted path (`attributes.rated_voltage_v`, `evidence.labels.0.grade`) →
/// 1-based (line, column) of its key, or of the item for sequence entries.
///
/// The document is read a second time for this only when a position is
/// first asked for (an error, an annotation): a catalogue run that reports
/// no positions never pays for it.
#[derive(Debug, Default, Clone)]
pub struct Locator {
    text: Option<Arc<str>>,
    positions: OnceLock<Positions>,
}

/// Keys (and sequence items) by path, and the scalar values written after a
/// key, so a message about a value can point at the value itself.
#[derive(Debug, Default, Clone)]
struct Positions {
    keys: HashMap<String, (usize, usize)>,
    values: HashMap<String, (usize, usize)>,
}

impl Locator {
    pub fn new(text: &str) -> Locator {
        Locator {
            text: Some(Arc::from(text)),
            positions: OnceLock::new(),
        }
    }

    fn positions(&self) -> &Positions {
        self.positions.get_or_init(|| {
            let Some(text) = &self.text else {
                return Positions::default();
            };
            let mut builder = Builder::default();
            let mut parser = Parser::new_from_str(text);
            // A document serde_yaml accepted parses here too; if not, lines
            // are simply unknown and messages fall back to the file name.
            let _ = parser.load(&mut builder, false);
            Positions {
                keys: builder.positions,
                values: builder.values,
            }
        })
    }

    pub fn get(&self, path: &str) -> Option<(usize, usize)> {
        self.positions().keys.get(path).copied()
    }

    /// The position of the scalar value at `path` (`category: laptp` →
    /// `laptp`), or of its key or nearest ancestor when it has none.
    pub fn value(&self, path: &str) -> Option<(usize, usize)> {
        self.positions()
            .values
            .get(path)
            .copied()
            .or_else(|| self.nearest(path))
    }

    /// The position of `path`, or of its nearest located ancestor.
    pub fn nearest(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path;
        loop {
            if let Some(pos) = self.get(p) {
                return Some(pos);
            }
            p = &p[..p.rfind('.')?];
        }
    }
}

enum Frame {
    Map {
        key: Option<String>,
        expect_key: bool,
    },
    Seq {
        index: usize,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    path: Vec<String>,
    positions: HashMap<String, (usize, usize)>,
    values: HashMap<String, (usize, usize)>,
    depth_limit_hit: bool,
}

impl Builder {
    fn current_path(&self, last: &str) -> String {
        let mut parts: Vec<&str> = self.path.iter().map(|s| s.as_str()).collect();
        parts.push(last);
        parts.join(".")
    }

    /// Called for every value (scalar or container start): works out its path
    /// and advances the parent frame.
    fn value_path(&mut self, mark: &Marker) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Map { key, expect_key }) => {
                if *expect_key {
                    None
                } else {
                    *expect_key = true;
                    key.take()
                }
            }
            Some(Frame::Seq { index }) => {
                let i = *index;
                *index += 1;
                let p = i.to_string();
                let full = self.current_path(&p);
                self.positions
                    .entry(full)
                    .or_insert((mark.line(), mark.col() + 1));
                Some(p)
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.depth_limit_hit {
            return;
        }
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(Frame::Map { key, expect_key }) = self.stack.last_mut() {
                    if *expect_key {
                        *expect_key = false;
                        *key = Some(value.clone());
                        let full = self.current_path(&value);
                        self.positions
                            .entry(full)
                            .or_insert((mark.line(), mark.col() + 1));
                        return;
                    }
                }
                if let Some(segment) = self.value_path(&mark) {
                    let full = self.current_path(&segment);
                    self.values
                        .entry(full)
                        .or_insert((mark.line(), mark.col() + 1));
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let segment = self.value_path(&mark).unwrap_or_default();
                if self.stack.len() > 256 {
                    self.depth_limit_hit = true;
                    return;
                }
                if !self.stack.is_empty() {
                    self.path.push(segment);
                }
                self.stack.push(match ev {
                    Event::MappingStart(..) => Frame::Map {
                        key: None,
                        expect_key: true,
                    },
                    _ => Frame::Seq { index: 0 },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                if !self.stack.is_empty() {
                    self.path.pop();
                }
            }
            Event::Alias(_) => {
                self.value_path(&mark);
            }
            _ => {}
        }
    }
}

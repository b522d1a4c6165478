//! cncomply: Chinese market-access obligations as rules.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! grammar/rules.pest ─▶ syntax (parse → AST) ─▶ model (resolve, check → RuleSet)
//!                                                        │
//! profile (YAML → typed Profile) ───────────────────────▶ evaluate (→ Findings)
//!                                                        │
//!                                   waiver (--waivers) ─▶ report (table, JSON, JUnit, SARIF, …)
//!                           timeline (findings over dates), compare (over rule versions)
//! ```
//!
//! `catalogue` expands the profile arguments (files, directories, globs);
//! `policy` decides which findings fail a run. `cli` is a thin layer over
//! these; tests call the library directly too.

pub mod baseline;
pub mod bundled;
pub mod catalogue;
pub mod cli;
pub mod compare;
pub mod config;
pub mod describe;
pub mod evaluate;
pub mod input;
pub mod library;
pub mod lint;
pub mod model;
pub mod policy;
pub mod position;
pub mod profile;
pub mod questionnaire;
pub mod reads;
pub mod report;
pub mod ruletest;
pub mod safe_text;
pub mod schema;
pub mod seeds;
pub mod suggest;
pub mod syntax;
pub mod timeline;
pub mod waiver;

//! cncomply: Chinese market-access obligations as rules.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! grammar/rules.pest ─▶ syntax (parse → AST) ─▶ model (resolve, check → RuleSet)
//!                                                        │
//! profile (YAML → typed Profile) ───────────────────────▶ evaluate (→ Findings) ─▶ report (table, JSON)
//!                                                        │
//!                           timeline (findings over dates), compare (over rule versions)
//! ```
//!
//! `cli` is a thin layer over these; tests call the library directly too.

pub mod bundled;
pub mod cli;
pub mod compare;
pub mod evaluate;
pub mod library;
pub mod model;
pub mod profile;
pub mod report;
pub mod ruletest;
pub mod seeds;
pub mod suggest;
pub mod syntax;
pub mod timeline;

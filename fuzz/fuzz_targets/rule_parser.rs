//! Rule files: any text through the parser and the model must give a rule
//! set or errors, never a panic or a hang; text that parses must format to
//! text that parses the same way, and formatting twice changes nothing.
#![no_main]

use cncomply::model::{RuleSet, SourceFile};
use cncomply::syntax::{format::format_source, parse_file};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let files = [SourceFile {
        name: "fuzz.rules".into(),
        text: text.to_string(),
    }];
    let _ = RuleSet::load(&files);
    if parse_file("fuzz.rules", text).is_ok() {
        let once = format_source("fuzz.rules", text).expect("parsed text formats");
        let twice = format_source("fuzz.rules", &once).expect("formatted text parses");
        assert_eq!(once, twice, "formatting is not idempotent");
    }
});

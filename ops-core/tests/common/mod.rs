//! Helpers shared by the parser's acceptance and rejection suites.
#![allow(dead_code)]

use std::path::PathBuf;

use opensrs_core::{ParseError, Position, parse, parse_str};

pub(crate) const HEAD: &str =
    "<OPS_envelope><header><version>0.9</version></header><body><data_block>";
pub(crate) const TAIL: &str = "</data_block></body></OPS_envelope>";

/// An envelope around `data`, the content of `data_block`.
pub(crate) fn env(data: &str) -> String {
    format!("{HEAD}{data}{TAIL}")
}

/// An envelope whose data_block is a dt_assoc with one item `x` holding `inner`.
pub(crate) fn item_x(inner: &str) -> String {
    env(&format!(
        r#"<dt_assoc><item key="x">{inner}</item></dt_assoc>"#
    ))
}

/// The error of parsing `xml` (bytes and str must agree).
pub(crate) fn err(xml: &str) -> ParseError {
    let e = match parse(xml.as_bytes()) {
        Ok(doc) => panic!("parsed, but must not: {:?}\n{xml}", doc.root()),
        Err(e) => e,
    };
    let e2 = parse_str(xml).expect_err("parse_str accepted what parse refused");
    assert_eq!(e, e2, "parse and parse_str disagree");
    e
}

/// The error of parsing bytes that may not be UTF-8.
pub(crate) fn err_bytes(xml: &[u8]) -> ParseError {
    match parse(xml) {
        Ok(doc) => panic!("parsed, but must not: {:?}", doc.root()),
        Err(e) => e,
    }
}

/// Offset of the `n`th (0-based) occurrence of `pat` in `s`.
pub(crate) fn nth(s: &str, pat: &str, n: usize) -> usize {
    s.match_indices(pat)
        .nth(n)
        .unwrap_or_else(|| panic!("no {n}th {pat:?}"))
        .0
}

/// Line and column of `offset` in `s`.
pub(crate) fn pos(s: &str, offset: usize) -> Position {
    Position::locate(s.as_bytes(), offset)
}

/// A fixture's text, by its name under `tests/data/` (copies of spec
/// examples kept in ops-actions' `fixtures/`; tests/tests/ of the
/// workspace checks that they stay equal).
pub(crate) fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

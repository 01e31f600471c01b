//! The checks behind the fuzz targets, kept in one place: every fuzz target
//! (`fuzz/fuzz_targets/*.rs`) and the CI replay test
//! (`tests/tests/fuzz_replay.rs`) include this file with `#[path]`, so a
//! corpus or regression file is checked the same way with or without
//! libFuzzer.
//!
//! A check takes the raw input bytes and panics on a finding. To add a
//! target (`typed_replies`, `derive_roundtrip` once ops-actions exists): a
//! function here, a file in `fuzz/fuzz_targets/` calling it, a `[[bin]]` in
//! `fuzz/Cargo.toml`, and a line in [`TARGETS`]; the replay test then picks
//! up `fuzz/seeds/<name>/` and `fuzz/regressions/<name>/` by itself.

// Each fuzz target calls one check; the replay test calls them all.
#![allow(dead_code)]

use arbitrary::{Arbitrary, Unstructured};
use ops_core::{
    Document, Kind, OwnedDocument, ParseError, ParseOptions, Value, WriteErrorKind, write_document,
};

/// A check: panics on a finding.
pub(crate) type Check = fn(&[u8]);

/// Every target, by name (the name of its `[[bin]]` and of its folders under
/// `fuzz/seeds/` and `fuzz/regressions/`), with its check.
pub(crate) const TARGETS: &[(&str, Check)] = &[("parse", parse), ("roundtrip", roundtrip)];

/// Nodes whose position-based checks run per input: `Node::position` scans
/// the input, so checking every node of a large input would be quadratic.
const POSITION_BUDGET: usize = 256;

/// Options for reading back what the writer wrote. The output of a valid
/// document may be longer than its input (`'` becomes `&apos;`), so the
/// default limits could refuse it; what is checked here is fidelity.
fn reread_options() -> ParseOptions {
    ParseOptions {
        max_depth: usize::MAX,
        max_len: usize::MAX,
        max_nodes: usize::MAX,
    }
}

/// The `parse` target: arbitrary bytes through `ops_core::parse` with the
/// default limits. Never panics; an error has a position inside the input;
/// a parsed document's views are consistent, and it writes (compact and
/// pretty), re-parses to the same value, and writes again to the same bytes.
pub(crate) fn parse(data: &[u8]) {
    let doc = match ops_core::parse(data) {
        Ok(doc) => doc,
        Err(e) => return check_error(data, &e),
    };
    check_views(&doc);
    let owned = doc.to_owned_document();
    assert_eq!(
        doc.len(),
        count_values(&owned.value),
        "Document::len disagrees with the number of values reachable from the root"
    );
    for pretty in [false, true] {
        let xml = write_document(&owned, pretty)
            .unwrap_or_else(|e| panic!("a parsed document must write (pretty: {pretty}): {e}"));
        let again = reread_options()
            .parse_str(&xml)
            .unwrap_or_else(|e| {
                panic!("the writer's output must parse (pretty: {pretty}): {e}\n{xml}")
            })
            .to_owned_document();
        assert_eq!(
            again, owned,
            "write → parse changed the value (pretty: {pretty}):\n{xml}"
        );
        let xml2 = write_document(&again, pretty)
            .unwrap_or_else(|e| panic!("a re-parsed document must write (pretty: {pretty}): {e}"));
        assert_eq!(
            xml2, xml,
            "writing the re-parsed value gave other bytes (pretty: {pretty})"
        );
    }
}

/// The `roundtrip` target: the bytes are decoded into an arbitrary
/// [`OwnedDocument`] (ops-core's `arbitrary` feature), which is written
/// (compact and pretty) and parsed back: it must be equal. The writer may
/// refuse a document only for a character XML 1.0 cannot carry, and must
/// refuse every document that holds one.
pub(crate) fn roundtrip(data: &[u8]) {
    let Ok(doc) = OwnedDocument::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let forbidden = forbidden_chars(&doc);
    for pretty in [false, true] {
        match write_document(&doc, pretty) {
            Ok(xml) => {
                assert!(
                    forbidden.is_empty(),
                    "the writer accepted forbidden characters {forbidden:X?} (pretty: {pretty})"
                );
                let back = reread_options()
                    .parse_str(&xml)
                    .unwrap_or_else(|e| {
                        panic!("the writer's output must parse (pretty: {pretty}): {e}\n{xml}")
                    })
                    .to_owned_document();
                assert_eq!(
                    back, doc,
                    "write → parse changed the value (pretty: {pretty}):\n{xml}"
                );
                let xml2 = write_document(&back, pretty)
                    .unwrap_or_else(|e| panic!("a re-parsed document must write: {e}"));
                assert_eq!(xml2, xml, "writing the re-parsed value gave other bytes");
            }
            Err(e) => match e.kind() {
                WriteErrorKind::ForbiddenChar(c) => assert!(
                    forbidden.contains(c),
                    "the writer refused U+{c:04X}, which is not a forbidden character of the \
                     document (those are {forbidden:X?}): {e}"
                ),
                _ => panic!("the writer may only refuse forbidden characters, not: {e}"),
            },
        }
    }
}

/// A parse error must point inside the input and display without panicking.
fn check_error(data: &[u8], e: &ParseError) {
    let p = e.position();
    assert!(
        p.offset <= data.len(),
        "error offset {} past the end of a {}-byte input: {e}",
        p.offset,
        data.len()
    );
    assert!(
        p.line >= 1 && p.column >= 1,
        "line and column are 1-based: {p:?}"
    );
    assert!(!e.to_string().is_empty());
}

/// Walks every value of a parsed document through the borrowed views and
/// checks that they agree with each other. Iterative, like the parser.
fn check_views(doc: &Document<'_>) {
    let root = doc.root();
    assert!(root.parent().is_none(), "the root has a parent");
    let mut budget = POSITION_BUDGET;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        let _ = node.path();
        match node.kind() {
            Kind::Scalar | Kind::ScalarRef => {
                assert!(node.as_str().is_some(), "a scalar without text");
                assert_eq!(node.len(), 0, "a scalar with children");
                assert!(node.iter().next().is_none(), "a scalar with children");
            }
            Kind::Assoc | Kind::Array => {
                assert!(node.as_str().is_none(), "a container with text");
                assert_eq!(node.iter().len(), node.len());
                let check_positions = budget > 0;
                if check_positions {
                    budget -= 1;
                }
                let here = check_positions.then(|| node.position());
                for (i, child) in node.iter().enumerate() {
                    if node.kind() == Kind::Array {
                        assert_eq!(
                            child.key().parse::<u64>().ok(),
                            Some(i as u64),
                            "dt_array element {i} has key `{}`",
                            child.key()
                        );
                    }
                    if let Some(here) = here {
                        let at = child.position();
                        assert_eq!(
                            child.parent().map(|p| p.position()),
                            Some(here),
                            "bad parent link"
                        );
                        let found = match node.kind() {
                            Kind::Array => node.index(i),
                            _ => node.get(child.key()),
                        };
                        assert_eq!(
                            found.map(|n| n.position()),
                            Some(at),
                            "lookup of item {i} failed"
                        );
                    }
                    stack.push(child);
                }
            }
        }
    }
}

/// Number of values in a tree (containers and scalars).
fn count_values(v: &Value) -> usize {
    let mut n = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        n += 1;
        match v {
            Value::Assoc(a) => stack.extend(a.iter().map(|(_, item)| &item.value)),
            Value::Array(a) => stack.extend(a.iter().map(|item| &item.value)),
            Value::Scalar(_) | Value::ScalarRef(_) => {}
        }
    }
    n
}

/// Whether XML 1.0 allows `c` (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// The characters of a document that XML 1.0 cannot carry, in any string:
/// header fields, keys, classes and text.
fn forbidden_chars(doc: &OwnedDocument) -> Vec<u32> {
    let mut out = Vec::new();
    let mut scan = |s: &str| {
        out.extend(s.chars().filter(|&c| !is_xml_char(c)).map(u32::from));
    };
    let h = &doc.header;
    for s in [Some(&h.version), h.msg_id.as_ref(), h.msg_type.as_ref()]
        .into_iter()
        .flatten()
    {
        scan(s);
    }
    let mut stack = vec![&doc.value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Scalar(s) | Value::ScalarRef(s) => scan(s),
            Value::Assoc(a) => {
                for (k, item) in a.iter() {
                    scan(k);
                    if let Some(c) = &item.class {
                        scan(c);
                    }
                    stack.push(&item.value);
                }
            }
            Value::Array(a) => {
                for item in a.iter() {
                    if let Some(c) = &item.class {
                        scan(c);
                    }
                    stack.push(&item.value);
                }
            }
        }
    }
    out
}

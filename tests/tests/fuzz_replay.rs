//! Replays the fuzz corpora as ordinary tests (no libFuzzer): every
//! committed seed (`fuzz/seeds/<target>/*`) and regression input
//! (`fuzz/regressions/<target>/*`) goes through the same check as the fuzz
//! target of that name (`fuzz/checks.rs`, shared with the targets). Crashes
//! the fuzzers found are also kept below as byte-literal tests.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "../../fuzz/checks.rs"]
mod checks;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The input files of `fuzz/<kind>/<target>/` (none if it does not exist).
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir().join(kind).join(target);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every input of `kind` through its target's check; reports all the
/// failing files at once.
fn replay(kind: &str) -> usize {
    let mut failed = Vec::new();
    let mut count = 0;
    for &(target, check) in checks::TARGETS {
        for path in inputs(kind, target) {
            let data = fs::read(&path).expect("readable input");
            count += 1;
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(&data))) {
                let msg = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)");
                failed.push(format!("{target}: {}: {msg}", path.display()));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} failing input(s):\n{}",
        failed.len(),
        failed.join("\n")
    );
    eprintln!("replayed {count} input(s) from fuzz/{kind}/");
    count
}

#[test]
fn seeds() {
    let n = replay("seeds");
    assert!(
        n > 0,
        "no seed files found under {}",
        fuzz_dir().join("seeds").display()
    );
}

#[test]
fn regressions() {
    replay("regressions");
}

#[test]
fn every_target_has_seeds() {
    for &(target, _) in checks::TARGETS {
        assert!(
            !inputs("seeds", target).is_empty(),
            "fuzz/seeds/{target}/ is empty"
        );
    }
}

#[test]
fn every_fuzz_target_is_replayed() {
    let dir = fuzz_dir().join("fuzz_targets");
    for entry in fs::read_dir(&dir).expect("fuzz/fuzz_targets exists") {
        let path = entry.expect("readable directory entry").path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        assert!(
            checks::TARGETS.iter().any(|&(t, _)| t == name),
            "fuzz target `{name}` has no entry in fuzz/checks.rs TARGETS"
        );
    }
}

// ---- crashes found by fuzzing, as byte literals ----------------------
//
// Each finding of a campaign is kept here (and as a file under
// fuzz/regressions/<target>/), named after what it exercises.

/// The envelope around a `<dt_scalar/>`, as bytes.
const ENVELOPE: &[u8] = b"<OPS_envelope><header><version>0.9</version></header><body>\
<data_block><dt_scalar/></data_block></body></OPS_envelope>";

/// Parses `prefix` followed by [`ENVELOPE`].
fn parse_after(prefix: &[u8]) -> Result<usize, ops_core::ParseError> {
    let input = [prefix, ENVELOPE].concat();
    ops_core::parse(&input).map(|doc| doc.len())
}

// Found by comparing the `parse` corpus (campaign of FUZZING.md) with
// roxmltree: inputs ops-core accepted that are not well-formed XML; fixed,
// see FUZZING.md, "Findings".

/// A processing instruction's target must be an XML Name: `8` is not one
/// (corpus file 682fd952…: `<?8' standVVV…alone='no'?>`).
#[test]
fn pi_target_that_is_not_a_name() {
    for prefix in [
        &b"<?8?>"[..],
        b"<?8' standalone='no'?>",
        b"<?='UTF-8'?>",
        b"<?'1.0'?>",
    ] {
        assert!(
            parse_after(prefix).is_err(),
            "accepted {:?}",
            String::from_utf8_lossy(prefix)
        );
    }
    // Inside a value too.
    let input = b"<OPS_envelope><header><version>0.9</version></header><body><data_block>\
<dt_assoc><item key=\"a\">x<?8?>y</item></dt_assoc></data_block></body></OPS_envelope>";
    assert!(ops_core::parse(input).is_err());
}

/// One BOM is an encoding signature; a second one is U+FEFF text in the
/// prolog.
#[test]
fn two_byte_order_marks() {
    assert!(matches!(
        parse_after(b"\xEF\xBB\xBF\xEF\xBB\xBF").map_err(|e| e.kind().clone()),
        Err(ops_core::ParseErrorKind::UnexpectedText(_))
    ));
    // With a declaration after them, the error is a misplaced declaration
    // (today: a confusing `BadDeclaration` at 1:2).
    assert!(matches!(
        parse_after(b"\xEF\xBB\xBF\xEF\xBB\xBF<?xml version='1.0'?>").map_err(|e| e.kind().clone()),
        Err(ops_core::ParseErrorKind::MisplacedDeclaration
            | ops_core::ParseErrorKind::UnexpectedText(_))
    ));
    // One BOM stays fine.
    parse_after(b"\xEF\xBB\xBF").expect("one BOM");
}

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

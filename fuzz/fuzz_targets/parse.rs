//! Arbitrary bytes → `opensrs_core::parse` with the default limits. Never
//! panics; a parsed document writes, re-parses to the same value and writes
//! again to the same bytes (compact and pretty). The checks live in
//! `../checks.rs`, shared with `tests/tests/fuzz_replay.rs`.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::parse(data));

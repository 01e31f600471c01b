//! Arbitrary bytes parsed twice, with the parser's fast path on and off
//! (every event read by quick-xml): the same document or the same error,
//! under the default and under tight limits. The check lives in
//! `../checks.rs`, shared with `tests/tests/fuzz_replay.rs`.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::parse_differential(data));

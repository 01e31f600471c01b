//! Arbitrary `OwnedDocument` (ops-core's `arbitrary` feature) → write →
//! parse → equal; the writer's refusal of a character XML 1.0 cannot carry
//! is the only allowed error. The bytes are decoded into a document by
//! `checks::roundtrip`, so the replay test decodes a corpus file exactly as
//! the fuzzer did.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::roundtrip(data));

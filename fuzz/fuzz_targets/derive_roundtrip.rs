//! Arbitrary typed requests and replies of the four ops-actions commands,
//! built through their public constructors → encode (compact and pretty) →
//! parse → decode → equal. The checks live in `../checks.rs`.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::derive_roundtrip(data));

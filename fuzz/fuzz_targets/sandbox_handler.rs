//! Arbitrary body and header values → ops-sandbox's `POST /` (no socket):
//! a 401 or a well-formed OPS reply envelope, never a panic. The checks live
//! in `../checks.rs`.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::sandbox_handler(data));

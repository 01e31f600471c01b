//! Arbitrary bytes → `opensrs_core::parse` → each of the four ops-actions
//! commands' request and reply decoders; what decodes re-encodes and decodes
//! equal. The checks live in `../checks.rs`.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::typed_replies(data));

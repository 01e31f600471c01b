//! An HTTP status and arbitrary body → the client's reply handling for
//! check_transfer and send_password: a typed reply or a bounded error,
//! never a panic, never a secret quoted. The checks live in `../checks.rs`.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::reply_handling(data));

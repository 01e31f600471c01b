//! Compile-fail tests for `#[derive(Xcp)]`: every misuse is reported, in
//! one compile, spanned at the offending tokens.
//!
//! One case per file under `tests/ui/<category>/`; the expected compiler
//! output sits beside it as `.stderr`. After an intended change to the
//! macro's messages, regenerate them with
//! `TRYBUILD=overwrite cargo test -p opensrs-tests --test ui` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/**/*.rs");
}

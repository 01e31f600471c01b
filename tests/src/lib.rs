//! Cross-crate integration tests for ops; the tests live in `tests/tests/`.

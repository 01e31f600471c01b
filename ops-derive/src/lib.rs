//! Procedural macros for `ops-core`.
//!
//! Do not depend on this crate directly: `ops-core` re-exports its macros and
//! documents them.

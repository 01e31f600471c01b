//! `#[derive(Xcp)]`: declares OpenSRS XCP commands, replies, nested
//! structs and string enums.
//!
//! Do not depend on this crate directly: `ops-core` re-exports the macro
//! and carries its reference documentation (`opensrs_core::Xcp`), where the
//! examples compile.
//!
//! The structure follows serde_derive: `internals` turns the `syn` input
//! into a typed model while a context collects every error, and `expand`
//! generates code from that model.

mod expand;
mod internals;

use proc_macro::TokenStream;

/// Derives the dt_* conversions, and for a command the `Command` trait.
/// Documented on `opensrs_core::Xcp`.
#[proc_macro_derive(Xcp, attributes(xcp))]
pub fn derive_xcp(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

//! # ops-core
//!
//! The runtime of the `ops` toolkit for the OpenSRS XCP protocol ("OPS
//! envelopes"): the `dt_assoc` / `dt_array` / `dt_scalar` value model, a
//! zero-copy bounded parser, a streaming writer, response codes, signing and
//! secrets.
//!
//! ```
//! use opensrs_core::{parse, Value, write_value};
//!
//! let v = Value::assoc([("protocol", "XCP"), ("action", "check_transfer")]);
//! let xml = write_value(&v)?;
//! let doc = parse(xml.as_bytes())?;
//! assert_eq!(doc.root().to_value(), v);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Arrays
//!
//! A `dt_array`'s item keys are its indices. They must be exactly `0..len`
//! in any document order: iteration follows the numeric index, a duplicate
//! index is an error and so is a gap (`0, 2` without `1`). Gaps are rejected
//! rather than kept because no OpenSRS peer sends them and a typed `Vec`
//! could not hold them without inventing values.
//!
//! ## Requests and replies
//!
//! ### What a request must hold
//!
//! A request's top-level dt_assoc holds `protocol` (`XCP`), `action`,
//! `object`, usually `attributes` (a dt_assoc), and sometimes the items
//! OpenSRS defines for every request, [`REQUEST_EXTRAS`] (`registrant_ip`,
//! `cookie`). All three names are required, `action` and `object` compare
//! case-insensitively, and typed decoding ([`Command::decode_request`])
//! requires `protocol` to be `XCP` in any case. A derived command refuses
//! any item it does not know, at the top level or at any depth inside
//! `attributes`; [`RequestEnvelope`] keeps the extras.
//!
//! ### What a reply must hold
//!
//! The protocol says a reply holds `protocol`, `action` (`REPLY`),
//! `object`, `is_success`, `response_code`, `response_text` and optionally
//! `attributes`. Real replies are looser, and [`Reply::from_document`]
//! reads them as OpenSRS sends them:
//!
//! - `response_code` is always required;
//! - `object` may be absent (every `name_suggest` reply); when present,
//!   typed decoding checks it against the command, ignoring case;
//! - `response_text` may be absent and then reads as empty;
//! - `protocol` may be absent; when present, typed decoding requires `XCP`;
//! - a document whose `action` is `REPLY` (any case) is a reply and must
//!   hold `is_success`;
//! - a document without `action`, or with another one, is still a reply
//!   when it holds both `response_code` and `response_text`: a server-level
//!   error (a 400 "Internal server error" without `object`, a 404 "Missing
//!   X-Username: header" without `action` and `object` that says
//!   `is_success` 1). Its `is_success` is optional.
//!
//! A reply succeeds ([`Reply::is_success`]) only when its action is
//! `REPLY`, `is_success` is 1 and the code is in the success class
//! ([`ResponseClass::Success`](code::ResponseClass::Success));
//! otherwise typed decoding answers [`ReplyError::Api`] with the code, the
//! text and the code's class. Unknown items of a reply are kept where the
//! reply type has a `rest` field, and skipped otherwise (OpenSRS adds keys).
//!
//! ## Limits
//!
//! [`ParseOptions`] bounds depth, size and node count; nothing is ever
//! fetched or expanded (no DTD, no entity but the five predefined ones).
#![forbid(unsafe_code)]

pub mod code;
pub mod convert;
mod derived;
mod doc;
mod envelope;
mod error;
pub mod secret;
#[cfg(feature = "serde")]
mod serde_impls;
pub mod sign;
mod value;
mod write;
mod xml;

pub use convert::{DecodeError, DecodeErrorKind, FromXcp, ToXcp};
pub use derived::{IntoOwned, UnknownName};
pub use doc::{Children, Document, Header, Kind, Node};
pub use envelope::{
    ApiError, Command, Error, PROTOCOL, REQUEST_EXTRAS, Reply, ReplyBody, ReplyError, Request,
    RequestEnvelope, RequestExtras, SignedRequest, write_field, write_request,
};
pub use error::{ParseError, ParseErrorKind, Position, WriteError, WriteErrorKind};
pub use value::{Array, Assoc, Item, OwnedDocument, OwnedHeader, Value};
pub use write::{IoSink, PREAMBLE, Sink, Writer, write_document, write_value};
pub use xml::{ParseOptions, parse, parse_str};

/// The `rust_decimal` crate (version 1.43) whose `Decimal` implements
/// [`ToXcp`] and [`FromXcp`] under the `decimal` feature.
#[cfg(feature = "decimal")]
pub use rust_decimal;

/// One import for a command file or a `with` module:
/// `use opensrs_core::prelude::*;`.
///
/// ```
/// use opensrs_core::prelude::*;
///
/// mod upper {
///     use opensrs_core::prelude::*;
///     pub fn write_xcp<S: Sink>(v: &String, w: &mut Writer<S>) -> Result<(), WriteError> {
///         w.scalar(&v.to_uppercase())
///     }
///     pub fn from_xcp(n: Node<'_>) -> Result<String, DecodeError> {
///         Ok(String::from_xcp(n)?.to_lowercase())
///     }
/// }
///
/// #[derive(Xcp)]
/// #[xcp(action = "get_balance", object = "balance", response = Balance)]
/// pub struct GetBalance {}
///
/// #[derive(Xcp)]
/// #[xcp(reply)]
/// pub struct Balance {
///     #[xcp(top)]
///     pub response_code: ResponseCode,
///     pub balance: String,
///     #[xcp(with = upper)]
///     pub currency: String,
/// }
/// assert!(GetBalance {}.encode()?.contains("get_balance"));
/// # Ok::<(), WriteError>(())
/// ```
pub mod prelude {
    pub use crate::code::ResponseCode;
    pub use crate::convert::RuleError;
    pub use crate::secret::Secret;
    pub use crate::{
        Assoc, Command, DecodeError, FromXcp, IntoOwned, Node, ReplyBody, Sink, ToXcp, Value,
        WriteError, Writer, Xcp,
    };
}

#[doc = include_str!("derive.md")]
pub use opensrs_derive::Xcp;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

//! # opensrs-client
//!
//! Sends OpenSRS XCP commands over signed HTTPS: an async [`Client`]
//! (reqwest with rustls, no OpenSSL) that signs each request exactly as
//! OpenSRS verifies it, reads the reply within a size limit, and answers
//! the typed reply or a [`ClientError`] that says what to do.
//!
//! What goes on the wire: `POST /` with `Content-Type: text/xml`,
//! `X-Username`, `X-Signature` (`md5_hex(md5_hex(body ++ key) ++ key)` over
//! exactly the bytes sent) and `Content-Length` in bytes.
//!
//! - [`ClientBuilder`]: endpoint ([`LIVE_ENDPOINT`], [`TEST_ENDPOINT`]),
//!   username, key (a [`Secret`](opensrs_core::secret::Secret) or a key
//!   file), connect and total timeouts, user agent, reply size limit,
//!   [`RetryPolicy`].
//! - [`Client::send_envelope`] for an envelope as bytes,
//!   [`Client::send_all`] for many commands at bounded concurrency.
//! - [`Transport`]: bring your own HTTP stack or a test double.
//! - `blocking` feature: `blocking::Client`.
//! - `tracing`: one span `opensrs.request` per request with `action`,
//!   `object`, `attempt`, `response_code` and `duration_ms`; bodies only
//!   at TRACE, secret items redacted; never the key.
//!
//! ```no_run
//! use opensrs_actions::{DomainName, domain::CheckTransfer};
//! use opensrs_client::{Client, ClientError, RetryPolicy, TEST_ENDPOINT};
//!
//! async fn check(domain: &str) -> Result<(), Box<dyn std::error::Error>> {
//!     let client = Client::builder(TEST_ENDPOINT) // or LIVE_ENDPOINT
//!         .username("myreseller")
//!         .key_file("reseller.key") // read with Secret::from_key_file
//!         .retry(RetryPolicy::new(3)) // check_transfer changes nothing: retried on "try later"
//!         .build()?;
//!     let command = CheckTransfer {
//!         domain: DomainName::new(domain)?,
//!         check_status: Some(true),
//!         get_request_address: None,
//!     };
//!     match client.send(&command).await {
//!         Ok(reply) => println!("{domain}: transferrable {:?}, status {:?}", reply.transferrable, reply.status),
//!         Err(ClientError::Api(e)) => println!("{domain}: OpenSRS said {} ({:?}): {}", e.code, e.class(), e.text),
//!         Err(e) => return Err(e.into()), // 401 names its likely causes; timeouts name their phase
//!     }
//!     Ok(())
//! }
//! ```
#![forbid(unsafe_code)]

#[cfg(feature = "blocking")]
pub mod blocking;
mod client;
mod error;
mod retry;
mod transport;

pub use client::{
    __handle_reply, Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_REPLY_BYTES,
    DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, LIVE_ENDPOINT, RawReply, ReplyStatus, TEST_ENDPOINT,
};
pub use error::{BoxError, BuildError, ClientError, TimeoutPhase, TransportError};
pub use retry::{RetryPolicy, is_try_later};
pub use transport::{HttpRequest, HttpResponse, HttpTransport, Transport};

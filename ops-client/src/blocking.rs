//! A blocking client (feature `blocking`), for code that is not async: the
//! async [`Client`](crate::Client) on a current-thread tokio runtime of its
//! own.
//!
//! ```no_run
//! use opensrs_actions::{DomainName, domain::CheckTransfer};
//! use opensrs_client::{Client, TEST_ENDPOINT};
//! let client = Client::builder(TEST_ENDPOINT)
//!     .username("reseller")
//!     .key_file("reseller.key")
//!     .build()?;
//! let client = opensrs_client::blocking::Client::new(client)?;
//! let reply = client.send(&CheckTransfer {
//!     domain: DomainName::new("example.com")?,
//!     check_status: None,
//!     get_request_address: None,
//! })?;
//! println!("{:?}", reply.transferrable);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use opensrs_core::{Command, IntoOwned};

use crate::{ClientError, HttpTransport, RawReply, Transport};

/// The async client behind a runtime of its own. Cheap to clone; the
/// clones share the runtime and the connection pool. Calling it from
/// inside an async runtime is [`ClientError::BlockingInAsync`], not a
/// panic.
pub struct Client<T = HttpTransport> {
    inner: crate::Client<T>,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl<T> Clone for Client<T> {
    fn clone(&self) -> Self {
        Client {
            inner: self.inner.clone(),
            runtime: Arc::clone(&self.runtime),
        }
    }
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Client<T> {
    /// Wraps `client` with a new current-thread runtime.
    pub fn new(client: crate::Client<T>) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(Client {
            inner: client,
            runtime: Arc::new(runtime),
        })
    }

    /// The async client.
    pub fn as_async(&self) -> &crate::Client<T> {
        &self.inner
    }

    /// Runs a future of the async client (e.g. draining
    /// [`send_all`](crate::Client::send_all)) on this client's runtime.
    pub fn block_on<F: Future>(&self, f: F) -> Result<F::Output, ClientError> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(ClientError::BlockingInAsync);
        }
        Ok(self.runtime.block_on(f))
    }

    /// [`crate::Client::send`], blocking.
    pub fn send<C>(&self, command: &C) -> Result<C::Response<'static>, ClientError>
    where
        C: Command,
        for<'d> C::Response<'d>: IntoOwned<Owned = C::Response<'static>>,
    {
        self.block_on(self.inner.send(command))?
    }

    /// [`crate::Client::send_envelope`], blocking.
    pub fn send_envelope(&self, body: impl Into<Bytes>) -> Result<RawReply, ClientError> {
        self.block_on(self.inner.send_envelope(body))?
    }

    /// [`crate::Client::send_idempotent_envelope`], blocking.
    pub fn send_idempotent_envelope(
        &self,
        body: impl Into<Bytes>,
    ) -> Result<RawReply, ClientError> {
        self.block_on(self.inner.send_idempotent_envelope(body))?
    }
}

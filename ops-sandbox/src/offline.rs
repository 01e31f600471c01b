//! One request through the sandbox's router without a socket: the entry
//! point of the `sandbox_handler` fuzz target (`fuzz/checks.rs`). Hidden
//! from the docs; not a stable API.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use opensrs_core::secret::Secret;
use tower::ServiceExt;

use crate::DEFAULT_BODY_LIMIT;
use crate::seed::Seed;
use crate::server::{self, Shared};
use crate::world::World;

/// A sandbox with the default scenario, no listener: [`Offline::post`]
/// sends one `POST /` through the same router `opensrs serve` uses.
#[derive(Debug)]
pub struct Offline {
    shared: Arc<Shared>,
}

/// What the router answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type` header's bytes, if any.
    pub content_type: Option<Vec<u8>>,
    /// The body.
    pub body: Vec<u8>,
}

impl Offline {
    /// The default scenario with reseller `username` and `key`, the clock
    /// at `unixtime`, the default body limit.
    pub fn new(username: &str, key: Secret, unixtime: i64) -> Self {
        Offline {
            shared: Arc::new(Shared {
                username: username.to_owned(),
                key,
                body_limit: DEFAULT_BODY_LIMIT,
                world: Mutex::new(World::new(&Seed::default_scenario(), username, unixtime)),
            }),
        }
    }

    /// `POST /` with these headers (a value HTTP cannot carry, such as one
    /// holding a line feed, is left out: no server would receive it) and
    /// this body, on a current-thread runtime of its own.
    pub fn post(&self, headers: &[(&str, &[u8])], body: Vec<u8>) -> OfflineResponse {
        let mut request = Request::builder().method(Method::POST).uri("/");
        for &(name, value) in headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_bytes(value),
            ) {
                request = request.header(name, value);
            }
        }
        let runtime = match tokio::runtime::Builder::new_current_thread().build() {
            Ok(r) => r,
            Err(e) => return internal(&e.to_string()),
        };
        let request = match request.body(Body::from(body)) {
            Ok(r) => r,
            Err(e) => return internal(&e.to_string()),
        };
        let app = server::router(Arc::clone(&self.shared));
        runtime.block_on(async move {
            let response = match app.oneshot(request).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get(axum::http::header::CONTENT_TYPE)
                .map(|v| v.as_bytes().to_vec());
            match axum::body::to_bytes(response.into_body(), usize::MAX).await {
                Ok(body) => OfflineResponse {
                    status,
                    content_type,
                    body: body.to_vec(),
                },
                Err(e) => internal(&e.to_string()),
            }
        })
    }

    /// Checks the world's invariants (see [`crate::Sandbox::check_invariants`]).
    pub fn check_invariants(&self) -> Result<(), String> {
        self.shared.world().check_invariants()
    }
}

/// A failure of the harness itself (no runtime, a request the builder
/// refused): status 0, which no server answers.
fn internal(message: &str) -> OfflineResponse {
    OfflineResponse {
        status: 0,
        content_type: None,
        body: message.as_bytes().to_vec(),
    }
}

//! A local OpenSRS for the commands of `opensrs-actions`: tests and demos
//! run the whole transfer story offline, in seconds, against any client.
//!
//! - **The protocol as OpenSRS speaks it.** `POST /` only, `X-Username` and
//!   `X-Signature` checked over the exact body bytes (HTTP 401 otherwise), a
//!   body-size limit (413 above it), replies that are OPS envelopes
//!   (`action` REPLY, `object` echoed, `is_success`, `response_code`,
//!   `response_text`, `attributes`). Malformed XML is a 400 reply, an
//!   unknown command 430, a missing item 460, an invalid one 465, an
//!   unknown domain or transfer 480, a transfer in the wrong state 487.
//! - **State.** Transfers go pending_owner → pending_registry → completed,
//!   or cancelled; simple_transfer jobs, one approval per registrant and
//!   job; pending trades (changes of registrant). See each command's module
//!   for what it does.
//! - **Outbox, registrant, clock.** Every email and SMS is kept
//!   ([`Sandbox::outbox`]); a test answers as the registrant
//!   ([`Sandbox::accept`], [`Sandbox::reject`]) and moves the clock
//!   ([`Sandbox::advance`]): nothing sleeps. The same over HTTP, under
//!   `/_sandbox/` (a prefix OpenSRS does not use):
//!
//! | method and path | what |
//! |---|---|
//! | `GET /_sandbox/outbox` | every message, as JSON |
//! | `GET /_sandbox/transfers`, `GET /_sandbox/approvals` | the transfers, the approvals |
//! | `GET /_sandbox/jobs/{id}` | a simple_transfer job, domain by domain |
//! | `GET /_sandbox/clock` | `{"unixtime": ..., "timestamp": ...}` |
//! | `POST /_sandbox/clock/advance` with `{"seconds": N}` | moves the clock |
//! | `POST /_sandbox/registrant/{id}/accept` (or `/reject`) | answers as registrant `id` |
//!
//! - **Seeding** from a small TOML file ([`Seed`]), or the built-in scenario.
//! - **Other clients.** Net::OpenSRS (Perl, Debian's `libnet-opensrs-perl`)
//!   reads its replies unchanged (`tests/net_opensrs.rs`, run where the
//!   module is installed). The request handler is fuzzed (`sandbox_handler`
//!   in `fuzz/`, see FUZZING.md) and benchmarked against an axum
//!   hello-world with `bench/run.sh` (BENCHMARKS.md).
//!
//! ```no_run
//! let sandbox = opensrs_sandbox::start()?;
//! println!("{} as {}", sandbox.url(), sandbox.username());
//! // ... send signed requests to sandbox.url() with sandbox.key() ...
//! sandbox.accept("alice")?;              // Alice approves her transfers
//! sandbox.advance(std::time::Duration::from_secs(7 * 86_400));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The clock starts at the seed's `start`, or at the system's time, and
//! moves only when told to.
#![forbid(unsafe_code)]

mod commands;
#[doc(hidden)]
pub mod offline;
mod reply;
mod seed;
mod server;
mod world;

use std::hash::{BuildHasher, Hasher};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use opensrs_core::secret::Secret;

pub use seed::{DEFAULT_SEED, Seed, SeedError};
pub use world::{
    APPROVAL_WINDOW, About, ActionError, Approval, ApprovalState, Channel, Contact, Job, JobDomain,
    JobOutcome, Message, REGISTRY_WINDOW, SCHEDULED_COMPLETION, SUPPORTED_TLDS, TRANSFER_LOCK,
    Transfer, TransferState, tld_supported,
};

use crate::server::Shared;
use crate::world::World;

/// The default reseller username.
pub const DEFAULT_USERNAME: &str = "sandbox";
/// The default body-size limit: 4 MiB (a simple_transfer of 10,000 domains
/// is about 1.5 MiB).
pub const DEFAULT_BODY_LIMIT: usize = 4 << 20;

/// Starts a sandbox with the default scenario on `127.0.0.1`, an
/// ephemeral port, reseller [`DEFAULT_USERNAME`] and a fresh random key.
pub fn start() -> Result<Sandbox, StartError> {
    Builder::new().start()
}

/// Why a sandbox did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The address could not be bound, or the runtime not built.
    #[error("cannot listen on {addr}: {source}")]
    Io {
        /// The address asked for.
        addr: SocketAddr,
        /// The error.
        source: std::io::Error,
    },
}

/// A sandbox's settings: [`Builder::start`] runs it.
#[derive(Debug, Clone)]
pub struct Builder {
    seed: Seed,
    username: String,
    key: Option<Secret>,
    start_time: Option<i64>,
    listen: SocketAddr,
    body_limit: usize,
    workers: usize,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// The default scenario, reseller [`DEFAULT_USERNAME`], a random key,
    /// `127.0.0.1:0`, [`DEFAULT_BODY_LIMIT`], 1 worker thread.
    pub fn new() -> Self {
        Builder {
            seed: Seed::default_scenario(),
            username: DEFAULT_USERNAME.to_owned(),
            key: None,
            start_time: None,
            listen: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
            body_limit: DEFAULT_BODY_LIMIT,
            workers: 1,
        }
    }

    /// What the sandbox starts with.
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// The reseller's username and key (the key of `X-Signature`).
    pub fn credentials(mut self, username: impl Into<String>, key: Secret) -> Self {
        self.username = username.into();
        self.key = Some(key);
        self
    }

    /// Where the clock starts (unixtime), before the seed's `start`.
    pub fn start_time(mut self, unixtime: i64) -> Self {
        self.start_time = Some(unixtime);
        self
    }

    /// The address to listen on (port 0: any free port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// The largest request body, in bytes.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Worker threads of the server's runtime (at least 1). With 1 the
    /// server runs on a single-threaded runtime, on the sandbox's own
    /// thread: no wake-ups across cores and no contention on the world's
    /// lock; more threads help only when the load generator does not need
    /// the other cores (see BENCHMARKS.md).
    pub fn workers(mut self, n: usize) -> Self {
        self.workers = n.max(1);
        self
    }

    /// Binds the address and serves on a thread of its own until the
    /// returned [`Sandbox`] is dropped.
    pub fn start(self) -> Result<Sandbox, StartError> {
        let addr = self.listen;
        let io = |source| StartError::Io { addr, source };
        let listener = std::net::TcpListener::bind(addr).map_err(io)?;
        listener.set_nonblocking(true).map_err(io)?;
        let local = listener.local_addr().map_err(io)?;
        let runtime = runtime(self.workers).map_err(io)?;
        let key = self.key.unwrap_or_else(generate_key);
        let now = self
            .start_time
            .or(self.seed.start())
            .unwrap_or_else(system_now);
        let shared = Arc::new(Shared {
            username: self.username.clone(),
            key: key.clone(),
            body_limit: self.body_limit,
            world: Mutex::new(World::new(&self.seed, &self.username, now)),
        });
        let app = server::router(Arc::clone(&shared));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("opensrs-sandbox".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    tokio::select! {
                        served = axum::serve(listener, app) => served,
                        _ = stopped => Ok(()),
                    }
                })?;
                // Connections still open are dropped with the runtime.
                runtime.shutdown_timeout(Duration::from_millis(200));
                Ok(())
            })
            .map_err(io)?;
        Ok(Sandbox {
            url: format!("http://{local}/"),
            addr: local,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// The server's runtime: single-threaded for 1 worker, multi-threaded
/// otherwise.
fn runtime(workers: usize) -> std::io::Result<tokio::runtime::Runtime> {
    if workers <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name("opensrs-sandbox")
            .enable_io()
            .build()
    }
}

/// A running sandbox: its address and credentials, its state, the
/// registrant's answers and the clock. Stops when dropped.
#[derive(Debug)]
pub struct Sandbox {
    url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl Sandbox {
    /// The base URL, `http://127.0.0.1:PORT/`: POST requests here.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The reseller username it accepts.
    pub fn username(&self) -> &str {
        &self.shared.username
    }

    /// The reseller key requests are signed with.
    pub fn key(&self) -> &Secret {
        &self.shared.key
    }

    /// The sandbox's time (unixtime).
    pub fn now(&self) -> i64 {
        self.shared.world().now
    }

    /// Moves the clock forward and runs what fell due (expired approvals,
    /// registry completions).
    pub fn advance(&self, by: Duration) {
        let seconds = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.shared.world().advance(seconds);
    }

    /// Every email and SMS sent so far, oldest first.
    pub fn outbox(&self) -> Vec<Message> {
        self.shared.world().outbox.clone()
    }

    /// Every transfer, oldest first.
    pub fn transfers(&self) -> Vec<Transfer> {
        self.shared.world().transfers.clone()
    }

    /// The latest transfer of `domain` (any reseller's).
    pub fn transfer(&self, domain: &str) -> Option<Transfer> {
        let domain = domain.to_ascii_lowercase();
        let mut world = self.shared.world();
        world.tick();
        world
            .transfers
            .iter()
            .rev()
            .find(|t| t.domain == domain)
            .cloned()
    }

    /// Every registrant approval, oldest first.
    pub fn approvals(&self) -> Vec<Approval> {
        self.shared.world().approvals.clone()
    }

    /// The simple_transfer job `id`.
    pub fn job(&self, id: u64) -> Option<Job> {
        self.shared
            .world()
            .jobs
            .iter()
            .find(|j| j.id == id)
            .cloned()
    }

    /// Every simple_transfer job.
    pub fn jobs(&self) -> Vec<Job> {
        self.shared.world().jobs.clone()
    }

    /// Registrant `registrant` (a contact id) accepts every transfer
    /// waiting for their approval: they go to pending_registry. Returns
    /// the transfers concerned.
    pub fn accept(&self, registrant: &str) -> Result<Vec<u64>, ActionError> {
        self.shared.world().answer(registrant, true)
    }

    /// Registrant `registrant` rejects every transfer waiting for their
    /// approval: they are cancelled. Returns the transfers concerned.
    pub fn reject(&self, registrant: &str) -> Result<Vec<u64>, ActionError> {
        self.shared.world().answer(registrant, false)
    }

    /// Checks the state's invariants (one active transfer per domain, one
    /// approval email per approval, every job's transfers present and
    /// consistent): the first broken one is the error.
    pub fn check_invariants(&self) -> Result<(), String> {
        self.shared.world().check_invariants()
    }

    /// Blocks until the server stops (it stops only on an I/O error, as
    /// `opensrs serve` runs until killed).
    pub fn wait(mut self) -> std::io::Result<()> {
        match self.thread.take() {
            Some(t) => t
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the server thread panicked"))),
            None => Ok(()),
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The system's time (unixtime).
fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A fresh reseller key: 112 lowercase hex digits, as OpenSRS's are. Its
/// randomness comes from the standard library's per-process hash keys and
/// the clock: unguessable enough for a local sandbox, not for anything
/// else.
pub fn generate_key() -> Secret {
    let mut key = String::with_capacity(112);
    let mut i = 0u64;
    while key.len() < 112 {
        let mut h = std::hash::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        key.push_str(&format!("{:016x}", h.finish()));
        i += 1;
    }
    key.truncate(112);
    Secret::new(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use opensrs_core::Command;
    use opensrs_core::sign::signature;

    /// 48 concurrent signed check_transfer requests over 8 connections: every
    /// one answered 200 with a success reply, whatever the number of
    /// workers (1: the single-threaded runtime).
    fn answers_concurrent_requests(workers: usize) {
        let sb = Builder::new()
            .start_time(1_717_416_000)
            .workers(workers)
            .start()
            .expect("starts");
        let body = opensrs_actions::domain::CheckTransfer {
            domain: opensrs_actions::DomainName::new("alice-shop.com").expect("a name"),
            check_status: None,
            get_request_address: None,
        }
        .encode()
        .expect("encodes");
        let sig = signature(body.as_bytes(), sb.key()).as_str().to_owned();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let replies = rt.block_on(async {
            let mut tasks = Vec::new();
            for _ in 0..8 {
                let client = reqwest::Client::new();
                let (url, user, sig, body) = (
                    sb.url().to_owned(),
                    sb.username().to_owned(),
                    sig.clone(),
                    body.clone(),
                );
                tasks.push(tokio::spawn(async move {
                    let mut got = Vec::new();
                    for _ in 0..6 {
                        let resp = client
                            .post(&url)
                            .header("X-Username", &user)
                            .header("X-Signature", &sig)
                            .body(body.clone())
                            .send()
                            .await
                            .expect("answers");
                        let status = resp.status().as_u16();
                        let content_type = resp.headers()["content-type"].clone();
                        got.push((status, content_type, resp.text().await.expect("a body")));
                    }
                    got
                }));
            }
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await.expect("a task"));
            }
            all
        });
        assert_eq!(replies.len(), 48);
        for (status, content_type, xml) in replies {
            assert_eq!(status, 200, "{xml}");
            assert_eq!(content_type, "text/xml");
            assert!(
                xml.contains(r#"<item key="response_code">200</item>"#)
                    && xml.contains(r#"<item key="is_success">1</item>"#),
                "{xml}"
            );
        }
    }

    #[test]
    fn one_worker_answers_concurrent_requests() {
        answers_concurrent_requests(1);
    }

    #[test]
    fn several_workers_answer_concurrent_requests() {
        answers_concurrent_requests(3);
    }
}

//! [`ClientBuilder`], [`Client`] and the untyped [`RawReply`].

use std::fmt;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt};
use opensrs_core::code::ResponseCode;
use opensrs_core::secret::Secret;
use opensrs_core::sign::request_headers;
use opensrs_core::{Command, Document, IntoOwned, ParseOptions, Reply, ReplyError};
use tracing::{Instrument, Level, field};
use zeroize::Zeroize;

use crate::error::{BuildError, ClientError, TimeoutPhase, TransportError, excerpt};
use crate::retry::{RetryPolicy, is_try_later};
use crate::transport::{HttpRequest, HttpResponse, HttpSettings, HttpTransport, Transport};

/// OpenSRS's live (production) endpoint.
pub const LIVE_ENDPOINT: &str = "https://rr-n1-tor.opensrs.net:55443";
/// OpenSRS's test (OT&E, "horizon") endpoint; it takes the test key.
pub const TEST_ENDPOINT: &str = "https://horizon.opensrs.net:55443";

/// Default connect timeout: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default total timeout of one exchange: 120 s (some registry operations
/// are slow).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
/// Default largest reply: 16 MiB.
pub const DEFAULT_MAX_REPLY_BYTES: usize = 16 << 20;
/// Default `User-Agent`: `opensrs-client/VERSION`.
pub const DEFAULT_USER_AGENT: &str = concat!("opensrs-client/", env!("CARGO_PKG_VERSION"));

/// Where the key comes from.
enum KeySource {
    Secret(Secret),
    File(PathBuf),
}

/// Builds a [`Client`]: endpoint, credentials, timeouts, limits, retries.
///
/// ```
/// use std::time::Duration;
/// use opensrs_client::{Client, RetryPolicy, TEST_ENDPOINT};
/// let client = Client::builder(TEST_ENDPOINT)
///     .username("reseller")
///     .key("0123456789abcdef".into())
///     .connect_timeout(Duration::from_secs(5))
///     .timeout(Duration::from_secs(60))
///     .retry(RetryPolicy::new(3))
///     .build()?;
/// assert_eq!(client.endpoint(), "https://horizon.opensrs.net:55443/");
/// assert!(!format!("{client:?}").contains("0123456789abcdef"));
/// # Ok::<(), opensrs_client::BuildError>(())
/// ```
pub struct ClientBuilder {
    endpoint: String,
    username: Option<String>,
    key: Option<KeySource>,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: String,
    max_reply_bytes: usize,
    retry: Option<RetryPolicy>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match &self.key {
            None => "none",
            Some(KeySource::Secret(_)) => opensrs_core::secret::REDACTED,
            Some(KeySource::File(_)) => "from a file",
        };
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("username", &self.username)
            .field("key", &format_args!("{key}"))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("max_reply_bytes", &self.max_reply_bytes)
            .field("retry", &self.retry)
            .finish()
    }
}

impl ClientBuilder {
    /// A builder for `endpoint` ([`LIVE_ENDPOINT`], [`TEST_ENDPOINT`], or a
    /// local server: plain `http://` only for a loopback host).
    pub fn new(endpoint: impl Into<String>) -> Self {
        ClientBuilder {
            endpoint: endpoint.into(),
            username: None,
            key: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
            retry: None,
        }
    }

    /// The reseller username (`X-Username`).
    #[must_use]
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The reseller key.
    #[must_use]
    pub fn key(mut self, key: Secret) -> Self {
        self.key = Some(KeySource::Secret(key));
        self
    }

    /// Reads the key from a file at [`build`](Self::build), with
    /// [`Secret::from_key_file`] (a BOM and surrounding whitespace
    /// removed; anything else around the key refused).
    #[must_use]
    pub fn key_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.key = Some(KeySource::File(path.into()));
        self
    }

    /// How long opening a connection (TCP and TLS) may take.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one whole exchange may take, the reply's last byte
    /// included.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest reply body read, in bytes; a larger one is
    /// [`ClientError::TooLarge`].
    #[must_use]
    pub fn max_reply_bytes(mut self, limit: usize) -> Self {
        self.max_reply_bytes = limit;
        self
    }

    /// Retries (none by default): see [`RetryPolicy`] for what is retried.
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Builds the client on [`HttpTransport`] (reqwest, rustls).
    pub fn build(self) -> Result<Client, BuildError> {
        let transport = HttpTransport::new(&HttpSettings {
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            user_agent: self.user_agent.clone(),
        })?;
        self.build_with(transport)
    }

    /// Builds the client on another [`Transport`] (the timeouts and user
    /// agent are then the transport's business).
    pub fn build_with<T: Transport>(self, transport: T) -> Result<Client<T>, BuildError> {
        let endpoint = check_endpoint(&self.endpoint)?;
        let username = self.username.ok_or(BuildError::MissingUsername)?;
        check_username(&username)?;
        let key = match self.key.ok_or(BuildError::MissingKey)? {
            KeySource::Secret(key) => key,
            KeySource::File(path) => read_key_file(path)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                endpoint: endpoint.into(),
                username,
                key,
                max_reply_bytes: self.max_reply_bytes,
                connect_timeout: self.connect_timeout,
                timeout: self.timeout,
                retry: self.retry,
            }),
        })
    }
}

fn read_key_file(path: PathBuf) -> Result<Secret, BuildError> {
    let mut bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(source) => return Err(BuildError::KeyFileIo { path, source }),
    };
    let key = Secret::from_key_file(&bytes);
    bytes.zeroize();
    key.map_err(|source| BuildError::KeyFile { path, source })
}

/// The endpoint as a URL: https (or http to a loopback host), a host, no
/// path but `/`, no query, no credentials.
fn check_endpoint(endpoint: &str) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidEndpoint {
        endpoint: shown_endpoint(endpoint),
        reason: reason.to_owned(),
    };
    let url = reqwest::Url::parse(endpoint).map_err(|e| invalid(&e.to_string()))?;
    let Some(host) = url.host() else {
        return Err(invalid("it has no host"));
    };
    match url.scheme() {
        "https" => {}
        "http" => {
            let loopback = match host {
                url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
                url::Host::Ipv4(ip) => ip.is_loopback(),
                url::Host::Ipv6(ip) => ip.is_loopback(),
            };
            if !loopback {
                return Err(BuildError::PlainHttp {
                    endpoint: shown_endpoint(endpoint),
                });
            }
        }
        other => {
            return Err(invalid(&format!(
                "scheme `{}` is not https",
                opensrs_core::__private::quote(other, 32)
            )));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials do not go in the URL"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            "OpenSRS takes POST / : give no path, query or fragment",
        ));
    }
    Ok(url.to_string())
}

/// An endpoint as an error may show it: without the user name, password,
/// query and fragment a refused URL may carry (`https://user:pw@host/?key=`
/// must not print the password or the key). Text that is no URL is not
/// shown at all when it holds a `?`, `#` or `@`.
fn shown_endpoint(endpoint: &str) -> String {
    const HIDDEN: &str = "[redacted]";
    match reqwest::Url::parse(endpoint) {
        Ok(mut url) => {
            let had_credentials = !url.username().is_empty() || url.password().is_some();
            let _ = url.set_username("");
            let _ = url.set_password(None);
            if url.query().is_some() {
                url.set_query(Some(HIDDEN));
            }
            if url.fragment().is_some() {
                url.set_fragment(Some(HIDDEN));
            }
            let shown = url.to_string();
            match (had_credentials, shown.split_once("://")) {
                (true, Some((scheme, rest))) => format!("{scheme}://{HIDDEN}@{rest}"),
                _ => shown,
            }
        }
        Err(_) if endpoint.contains(['?', '#', '@']) => HIDDEN.to_owned(),
        Err(_) => endpoint.to_owned(),
    }
}

fn check_username(username: &str) -> Result<(), BuildError> {
    let reason = if username.is_empty() {
        Some("it is empty")
    } else if username.chars().any(|c| c.is_control() || !c.is_ascii()) {
        Some("an HTTP header carries printable ASCII only")
    } else if username.trim() != username {
        Some("it has whitespace around it")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(BuildError::InvalidUsername {
            username: username.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

struct Inner<T> {
    transport: T,
    endpoint: Arc<str>,
    username: String,
    key: Secret,
    max_reply_bytes: usize,
    connect_timeout: Duration,
    timeout: Duration,
    retry: Option<RetryPolicy>,
}

/// An async OpenSRS client: signs each request, posts it, reads the reply.
///
/// Cheap to clone (one connection pool behind an `Arc`), `Send + Sync`:
/// share one for all requests. `Debug` never shows the key.
pub struct Client<T = HttpTransport> {
    inner: Arc<Inner<T>>,
}

impl<T> Clone for Client<T> {
    fn clone(&self) -> Self {
        Client {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("username", &self.inner.username)
            .field("key", &self.inner.key)
            .field("max_reply_bytes", &self.inner.max_reply_bytes)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A [`ClientBuilder`] for `endpoint`.
    pub fn builder(endpoint: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(endpoint)
    }
}

/// What is known of a request while it is sent.
#[derive(Clone, Copy)]
struct Call<'a> {
    action: &'a str,
    object: &'a str,
    idempotent: bool,
}

impl Call<'_> {
    /// `action on object`, or `the request` when the names are unknown.
    fn label(&self) -> String {
        if self.action == "?" {
            "the request".to_owned()
        } else {
            format!("{} on {}", self.action, self.object)
        }
    }
}

/// The outcome of one attempt, and whether it may be retried.
enum Retry {
    /// Never.
    No,
    /// For any command: nothing was written.
    Always,
    /// For a command that changes nothing.
    IfIdempotent,
}

impl<T: Transport> Client<T> {
    /// The endpoint, normalised (`https://host:port/`).
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The reseller username.
    pub fn username(&self) -> &str {
        &self.inner.username
    }

    fn parse_options(&self) -> ParseOptions {
        ParseOptions {
            // The parser's own cap is 2 GiB - 1.
            max_len: self.inner.max_reply_bytes.min((1 << 31) - 1),
            ..ParseOptions::default()
        }
    }

    /// Sends an envelope as given, bytes unchanged, and reads the reply's
    /// status. A reply that reports failure is still `Ok` (see
    /// [`RawReply::status`] and [`RawReply::into_result`]); HTTP errors,
    /// timeouts and bodies that are not a reply are errors.
    ///
    /// The command is treated as one that changes state: it is sent again
    /// only when nothing was written. Use
    /// [`send_idempotent_envelope`](Self::send_idempotent_envelope) for a
    /// query.
    pub async fn send_envelope(&self, body: impl Into<Bytes>) -> Result<RawReply, ClientError> {
        self.send_untyped(body.into(), false).await
    }

    /// [`send_envelope`](Self::send_envelope) for an envelope whose command
    /// changes nothing: the retry policy applies in full.
    pub async fn send_idempotent_envelope(
        &self,
        body: impl Into<Bytes>,
    ) -> Result<RawReply, ClientError> {
        self.send_untyped(body.into(), true).await
    }

    async fn send_untyped(&self, body: Bytes, idempotent: bool) -> Result<RawReply, ClientError> {
        // The names for the span, when the envelope is a request.
        let names = ParseOptions::default().parse(&body).ok().and_then(|doc| {
            let req = opensrs_core::Request::from_document(&doc).ok()?;
            Some((
                req.action().to_ascii_lowercase(),
                req.object().to_ascii_lowercase(),
            ))
        });
        let (action, object) = names.as_ref().map_or(("?", "?"), |(a, o)| (a, o));
        let call = Call {
            action,
            object,
            idempotent,
        };
        let read = ReadRaw {
            options: self.parse_options(),
            call,
        };
        let (_, raw) = self.exchange(body, call, &read).await?;
        Ok(raw)
    }

    /// Sends `command` and returns its typed reply, owned (it borrows
    /// nothing from the reply's body), or an error: [`ClientError::Api`]
    /// with the code, its class and the text when OpenSRS refused it
    /// (server-level errors included), [`ClientError::Decode`] when the
    /// body is not a reply to this command, and the transport's errors.
    ///
    /// The command is retried only as [`RetryPolicy`] allows: a command
    /// whose [`Command::IDEMPOTENT`] is `false` is sent again only when
    /// nothing of it was written.
    pub async fn send<C>(&self, command: &C) -> Result<C::Response<'static>, ClientError>
    where
        C: Command,
        for<'d> C::Response<'d>: IntoOwned<Owned = C::Response<'static>>,
    {
        let body = command.encode().map_err(ClientError::Encode)?;
        let call = Call {
            action: C::ACTION,
            object: C::OBJECT,
            idempotent: C::IDEMPOTENT,
        };
        let read = ReadTyped::<C> {
            options: self.parse_options(),
            command: PhantomData,
        };
        let (_, typed) = self.exchange(Bytes::from(body), call, &read).await?;
        typed
    }

    /// Sends `command` and returns the reply untyped, without checking it
    /// against the command ([`RawReply::decode_with`],
    /// [`RawReply::decode_owned`] do).
    pub async fn send_raw<C: Command>(&self, command: &C) -> Result<RawReply, ClientError> {
        let body = command.encode().map_err(ClientError::Encode)?;
        let call = Call {
            action: C::ACTION,
            object: C::OBJECT,
            idempotent: C::IDEMPOTENT,
        };
        let read = ReadRaw {
            options: self.parse_options(),
            call,
        };
        let (_, raw) = self.exchange(Bytes::from(body), call, &read).await?;
        Ok(raw)
    }

    /// Sends every command of `commands`, at most `concurrency` at a time
    /// on this client's pool, and yields each command with its outcome as
    /// soon as it is known (in completion order, not the input's).
    ///
    /// ```no_run
    /// use futures_util::StreamExt;
    /// use opensrs_actions::{DomainName, domain::CheckTransfer};
    /// # async fn run(client: opensrs_client::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let domains = ["a.com", "b.net"].map(|d| CheckTransfer {
    ///     domain: DomainName::new(d).unwrap(),
    ///     check_status: None,
    ///     get_request_address: None,
    /// });
    /// let mut replies = client.send_all(domains, 32);
    /// while let Some((command, reply)) = replies.next().await {
    ///     match reply {
    ///         Ok(reply) => println!("{}: {:?}", command.domain, reply.transferrable),
    ///         Err(e) => eprintln!("{}: {e}", command.domain),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn send_all<'a, C, I>(
        &'a self,
        commands: I,
        concurrency: usize,
    ) -> impl Stream<Item = (C, Result<C::Response<'static>, ClientError>)> + Send + 'a
    where
        C: Command + Send + Sync + 'a,
        for<'d> C::Response<'d>: IntoOwned<Owned = C::Response<'static>>,
        C::Response<'static>: Send,
        I: IntoIterator<Item = C>,
        I::IntoIter: Send + 'a,
    {
        stream::iter(commands)
            .map(move |command| async move {
                let result = self.send(&command).await;
                (command, result)
            })
            .buffer_unordered(concurrency.max(1))
    }

    /// Signs and posts `body`, retrying as the policy allows; `read` turns
    /// each reply body into its status and what the caller keeps of it (the
    /// body is parsed once, by `read`).
    async fn exchange<R: ReadReply>(
        &self,
        body: Bytes,
        call: Call<'_>,
        read: &R,
    ) -> Result<(ReplyStatus, R::Output), ClientError> {
        let span = tracing::info_span!(
            "opensrs.request",
            action = call.action,
            object = call.object,
            attempt = field::Empty,
            response_code = field::Empty,
            duration_ms = field::Empty,
        );
        let started = Instant::now();
        let inner = &self.inner;
        let run = async {
            if tracing::enabled!(Level::TRACE) {
                tracing::trace!(body = %redacted(&body), "request");
            }
            let request = HttpRequest {
                url: Arc::clone(&inner.endpoint),
                headers: request_headers(&inner.username, &body, &inner.key),
                body,
                max_reply_bytes: inner.max_reply_bytes,
            };
            let max_attempts = inner.retry.as_ref().map_or(1, RetryPolicy::max_attempts);
            // Every attempt but the last sends a copy; the last one sends
            // the request itself.
            for attempt in 1..max_attempts {
                tracing::Span::current().record("attempt", attempt);
                let outcome = self.attempt(request.clone(), read).await;
                let retry = match &outcome {
                    Ok((_, Retry::No)) | Err((_, Retry::No)) => false,
                    Ok((_, Retry::Always)) | Err((_, Retry::Always)) => true,
                    Ok((_, Retry::IfIdempotent)) | Err((_, Retry::IfIdempotent)) => call.idempotent,
                };
                let Some(policy) = inner.retry.as_ref().filter(|_| retry) else {
                    return outcome.map(|(read, _)| read).map_err(|(e, _)| e);
                };
                let delay = policy.delay(attempt);
                let why = match &outcome {
                    Ok(((status, _), _)) => format!("reply {}", status.code),
                    Err((e, _)) => e.to_string(),
                };
                tracing::debug!(attempt, ?delay, why, "retrying");
                tokio::time::sleep(delay).await;
            }
            tracing::Span::current().record("attempt", max_attempts);
            let outcome = self.attempt(request, read).await;
            outcome.map(|(read, _)| read).map_err(|(e, _)| e)
        };
        let result = run.instrument(span.clone()).await;
        let duration = started.elapsed();
        span.record("duration_ms", duration.as_millis() as u64);
        match &result {
            Ok((status, _)) => {
                span.record("response_code", status.code.as_u16());
                span.in_scope(|| {
                    tracing::info!(
                        response_code = status.code.as_u16(),
                        is_success = status.is_success,
                        ?duration,
                        "reply"
                    );
                });
            }
            Err(e) => {
                if let ClientError::Api(api) = e {
                    span.record("response_code", api.code.as_u16());
                }
                span.in_scope(|| tracing::warn!(error = %e, ?duration, "failed"));
            }
        }
        result
    }

    /// One post, its reply read and classified.
    async fn attempt<R: ReadReply>(
        &self,
        request: HttpRequest,
        read: &R,
    ) -> Result<((ReplyStatus, R::Output), Retry), (ClientError, Retry)> {
        let inner = &self.inner;
        let response = match inner.transport.post(request).await {
            Ok(r) => r,
            Err(e) => return Err(self.transport_error(e)),
        };
        handle_reply(response, &inner.endpoint, &inner.username, |body| {
            read.read(body)
        })
    }

    fn transport_error(&self, e: TransportError) -> (ClientError, Retry) {
        let inner = &self.inner;
        let endpoint = inner.endpoint.to_string();
        let retry = if e.nothing_written() {
            Retry::Always
        } else {
            Retry::IfIdempotent
        };
        let error = match e {
            TransportError::Connect { message, .. } => ClientError::Connect { endpoint, message },
            TransportError::Tls { message, .. } => {
                // A certificate does not fix itself.
                return (ClientError::Tls { endpoint, message }, Retry::No);
            }
            TransportError::Timeout { phase } => ClientError::Timeout {
                endpoint,
                phase,
                after: match phase {
                    TimeoutPhase::Connect => inner.connect_timeout,
                    TimeoutPhase::Total => inner.timeout,
                },
            },
            TransportError::TooLarge { limit } => {
                return (ClientError::TooLarge { limit }, Retry::No);
            }
            TransportError::Io { message, .. } => ClientError::Transport { endpoint, message },
        };
        (error, retry)
    }
}

/// A reply body as a one-line redacted rendering of its value (secret
/// items `[redacted]`), or a note when it does not parse.
fn redacted(body: &[u8]) -> String {
    match ParseOptions::default().parse(body) {
        Ok(doc) => format!("{:?}", doc.root().to_value()),
        Err(e) => format!("<{} bytes that do not parse: {e}>", body.len()),
    }
}

/// The status of a reply, read from its top-level items.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReplyStatus {
    /// Whether the reply reports success ([`Reply::is_success`]).
    pub is_success: bool,
    /// `response_code`.
    pub code: ResponseCode,
    /// `response_text` (empty when absent).
    pub text: String,
    /// `action` (`REPLY`), absent in a server-level error.
    pub action: Option<String>,
    /// `object`, absent in some replies.
    pub object: Option<String>,
}

impl ReplyStatus {
    fn of(reply: &Reply<'_>) -> ReplyStatus {
        ReplyStatus {
            is_success: reply.is_success(),
            code: reply.response_code(),
            text: reply.response_text().to_owned(),
            action: reply.action().map(str::to_owned),
            object: reply.object().map(str::to_owned),
        }
    }
}

/// An HTTP status and body turned into the reply `read` makes of it, or
/// the error: 401 is [`ClientError::Authentication`], another status than
/// 2xx is [`ClientError::Http`] (502 to 504 retried for a command that
/// changes nothing), and a reply whose code means "try later" is retried
/// for such a command.
fn handle_reply<O>(
    response: HttpResponse,
    endpoint: &str,
    username: &str,
    read: impl FnOnce(Vec<u8>) -> Result<(ReplyStatus, O), ClientError>,
) -> Result<((ReplyStatus, O), Retry), (ClientError, Retry)> {
    let HttpResponse { status, body } = response;
    match status {
        200..=299 => {}
        401 => {
            return Err((
                ClientError::Authentication {
                    endpoint: endpoint.to_owned(),
                    username: username.to_owned(),
                },
                Retry::No,
            ));
        }
        _ => {
            let retry = if matches!(status, 502..=504) {
                Retry::IfIdempotent
            } else {
                Retry::No
            };
            return Err((
                ClientError::Http {
                    endpoint: endpoint.to_owned(),
                    status,
                    excerpt: excerpt(&body),
                },
                retry,
            ));
        }
    }
    if tracing::enabled!(Level::TRACE) {
        tracing::trace!(body = %redacted(&body), "reply");
    }
    let (status, output) = read(body).map_err(|e| (e, Retry::No))?;
    let retry = if !status.is_success && is_try_later(status.code) {
        Retry::IfIdempotent
    } else {
        Retry::No
    };
    Ok(((status, output), retry))
}

/// What a send makes of a reply body: its status (for the retry rules) and
/// what the caller keeps.
trait ReadReply: Sync {
    /// What the caller keeps.
    type Output;
    /// Reads `body`, parsing it once.
    fn read(&self, body: Vec<u8>) -> Result<(ReplyStatus, Self::Output), ClientError>;
}

/// The untyped reply: [`RawReply`].
struct ReadRaw<'a> {
    options: ParseOptions,
    call: Call<'a>,
}

impl ReadReply for ReadRaw<'_> {
    type Output = RawReply;
    fn read(&self, body: Vec<u8>) -> Result<(ReplyStatus, RawReply), ClientError> {
        let raw = RawReply::read(body, self.options, self.call)?;
        Ok((raw.status.clone(), raw))
    }
}

/// Command `C`'s typed reply, owned.
struct ReadTyped<C> {
    options: ParseOptions,
    command: PhantomData<fn() -> C>,
}

impl<C> ReadReply for ReadTyped<C>
where
    C: Command,
    for<'d> C::Response<'d>: IntoOwned<Owned = C::Response<'static>>,
{
    type Output = Result<C::Response<'static>, ClientError>;
    fn read(&self, body: Vec<u8>) -> Result<(ReplyStatus, Self::Output), ClientError> {
        read_typed::<C>(body, &self.options)
    }
}

/// Reads a reply body as command `C`'s, parsing it once: its status (for
/// the retry rules) and the typed reply or the error. A body that does not
/// parse or is not a reply is the error itself.
#[allow(clippy::type_complexity)]
fn read_typed<C>(
    body: Vec<u8>,
    options: &ParseOptions,
) -> Result<(ReplyStatus, Result<C::Response<'static>, ClientError>), ClientError>
where
    C: Command,
    for<'d> C::Response<'d>: IntoOwned<Owned = C::Response<'static>>,
{
    let command = || format!("{} on {}", C::ACTION, C::OBJECT);
    let doc = options
        .parse(&body)
        .map_err(|e| decode_error(&command(), ReplyError::Parse(e), &body))?;
    let reply = Reply::from_document(&doc)
        .map_err(|e| decode_error(&command(), ReplyError::Decode(e), &body))?;
    let status = ReplyStatus::of(&reply);
    // The view is built once, for the status and for the typed reply.
    let typed = match C::decode_reply_view(&reply) {
        Ok(reply) => Ok(reply.into_owned()),
        Err(e) => Err(decode_error(&command(), e, &body)),
    };
    Ok((status, typed))
}

/// The reply handling of [`Client::send`] alone, without a network: the
/// HTTP `status` and `body` of one attempt turned into command `C`'s typed
/// reply or the error, and whether the policy may retry it (never for a
/// command that changes state). For the fuzz target `reply_handling`;
/// not a stable API.
#[doc(hidden)]
#[allow(clippy::type_complexity)]
pub fn __handle_reply<C>(
    status: u16,
    body: Vec<u8>,
    max_reply_bytes: usize,
) -> (Result<C::Response<'static>, ClientError>, bool)
where
    C: Command,
    for<'d> C::Response<'d>: IntoOwned<Owned = C::Response<'static>>,
{
    let options = ParseOptions {
        max_len: max_reply_bytes.min((1 << 31) - 1),
        ..ParseOptions::default()
    };
    let outcome = handle_reply(
        HttpResponse { status, body },
        "https://fuzz.invalid:55443/",
        "reseller",
        |body| read_typed::<C>(body, &options),
    );
    let (result, retry) = match outcome {
        Ok(((_, typed), retry)) => (typed, retry),
        Err((e, retry)) => (Err(e), retry),
    };
    let retried = match retry {
        Retry::No => false,
        Retry::Always => true,
        Retry::IfIdempotent => C::IDEMPOTENT,
    };
    (result, retried)
}

/// A reply as received: its body, owned, and its status. It is a
/// well-formed reply envelope; it may report failure.
#[derive(Clone)]
pub struct RawReply {
    body: Vec<u8>,
    status: ReplyStatus,
    options: ParseOptions,
}

impl fmt::Debug for RawReply {
    /// The status and the body's length: the body may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawReply")
            .field("status", &self.status)
            .field("len", &self.body.len())
            .finish()
    }
}

impl RawReply {
    /// Reads a reply body: it must parse and be a reply envelope.
    fn read(body: Vec<u8>, options: ParseOptions, call: Call<'_>) -> Result<RawReply, ClientError> {
        let status = {
            let status = options
                .parse(&body)
                .map_err(ReplyError::Parse)
                .and_then(|doc| Ok(ReplyStatus::of(&Reply::from_document(&doc)?)));
            match status {
                Ok(s) => s,
                Err(source) => return Err(decode_error(&call.label(), source, &body)),
            }
        };
        Ok(RawReply {
            body,
            status,
            options,
        })
    }

    /// The body's bytes, as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, owned.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The reply's status.
    pub fn status(&self) -> &ReplyStatus {
        &self.status
    }

    /// Parses the body again (with the client's limits).
    pub fn document(&self) -> Result<Document<'_>, opensrs_core::ParseError> {
        self.options.parse(&self.body)
    }

    /// `Ok(self)` when the reply reports success, the API error otherwise.
    pub fn into_result(self) -> Result<RawReply, ClientError> {
        if self.status.is_success {
            return Ok(self);
        }
        let doc = self
            .document()
            .map_err(|e| decode_error("the request", ReplyError::Parse(e), &self.body))?;
        let reply = Reply::from_document(&doc)
            .map_err(|e| decode_error("the request", ReplyError::Decode(e), &self.body))?;
        Err(ClientError::Api(reply.to_api_error()))
    }

    /// Decodes the reply as command `C`'s and hands the typed reply, which
    /// may borrow from the parsed document, to `f`:
    /// [`ClientError::Api`] when the reply reports failure,
    /// [`ClientError::Decode`] when it is not a reply to `C`.
    pub fn decode_with<C: Command, R>(
        &self,
        f: impl FnOnce(C::Response<'_>) -> R,
    ) -> Result<R, ClientError> {
        let command = || format!("{} on {}", C::ACTION, C::OBJECT);
        let doc = self
            .document()
            .map_err(|e| decode_error(&command(), ReplyError::Parse(e), &self.body))?;
        match C::decode_reply(&doc) {
            Ok(reply) => Ok(f(reply)),
            Err(e) => Err(decode_error(&command(), e, &self.body)),
        }
    }

    /// The typed reply to command `C`, owned: [`ClientError::Api`] when
    /// the reply reports failure, [`ClientError::Decode`] when it is not a
    /// reply to `C`.
    pub fn decode_owned<C>(&self) -> Result<C::Response<'static>, ClientError>
    where
        C: Command,
        for<'d> C::Response<'d>: IntoOwned<Owned = C::Response<'static>>,
    {
        let command = || format!("{} on {}", C::ACTION, C::OBJECT);
        let doc = self
            .document()
            .map_err(|e| decode_error(&command(), ReplyError::Parse(e), &self.body))?;
        match C::decode_reply(&doc) {
            Ok(reply) => Ok(reply.into_owned()),
            Err(e) => Err(decode_error(&command(), e, &self.body)),
        }
    }
}

/// A decode error with an excerpt of the body.
pub(crate) fn decode_error(command: &str, source: ReplyError, body: &[u8]) -> ClientError {
    match source {
        ReplyError::Api(api) => ClientError::Api(api),
        source => ClientError::Decode {
            command: command.to_owned(),
            source: Box::new(source),
            excerpt: excerpt(body),
            len: body.len(),
        },
    }
}

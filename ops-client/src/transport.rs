//! The HTTP exchange behind a [`Client`](crate::Client): the [`Transport`]
//! trait, and [`HttpTransport`], reqwest with rustls.

use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use opensrs_core::sign::{self, RequestHeaders, TEXT_XML};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

use crate::error::{BuildError, TimeoutPhase, TransportError, chain};

/// One request, as the client hands it to a [`Transport`]: `POST` to
/// `url` with exactly these headers and this body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The endpoint (`https://host:port/`).
    pub url: Arc<str>,
    /// `Content-Type`, `X-Username`, `X-Signature` (over exactly `body`)
    /// and `Content-Length` (in bytes): send each as given, once.
    pub headers: RequestHeaders,
    /// The envelope's bytes.
    pub body: Bytes,
    /// Stop reading the reply past this many bytes and answer
    /// [`TransportError::TooLarge`].
    pub max_reply_bytes: usize,
}

/// What came back: the HTTP status and the whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The body's bytes.
    pub body: Vec<u8>,
}

/// An HTTP stack: posts one request and brings back the reply.
///
/// Implement it to use another HTTP client, or a test double that answers
/// without a network:
///
/// ```
/// use opensrs_client::{Client, HttpRequest, HttpResponse, Transport, TransportError};
///
/// struct Canned;
///
/// impl Transport for Canned {
///     async fn post(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
///         assert_eq!(req.headers.content_length(), req.body.len());
///         Ok(HttpResponse { status: 200, body: br#"<OPS_envelope><header><version>0.9</version></header>
/// <body><data_block><dt_assoc><item key="protocol">XCP</item><item key="action">REPLY</item>
/// <item key="object">DOMAIN</item><item key="is_success">1</item>
/// <item key="response_code">200</item><item key="response_text">ok</item>
/// </dt_assoc></data_block></body></OPS_envelope>"#.to_vec() })
///     }
/// }
///
/// let client = Client::builder("https://example.test:55443")
///     .username("reseller")
///     .key("0123abcd".into())
///     .build_with(Canned)?;
/// # let rt = tokio::runtime::Builder::new_current_thread().build()?;
/// # rt.block_on(async {
/// let reply = client.send_envelope("<OPS_envelope/>").await?;
/// assert!(reply.status().is_success);
/// # Ok::<(), opensrs_client::ClientError>(()) })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Transport: Send + Sync + 'static {
    /// Posts `request` and reads the whole reply, at most
    /// `request.max_reply_bytes` of it.
    fn post(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send;
}

/// A shared transport (the caller keeps a handle, e.g. to inspect a test
/// double).
impl<T: Transport> Transport for Arc<T> {
    fn post(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        T::post(self, request)
    }
}

/// The settings of [`HttpTransport`].
#[derive(Debug, Clone)]
pub(crate) struct HttpSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) user_agent: String,
}

/// reqwest over rustls (ring, the Mozilla roots; no OpenSSL): one
/// connection pool, HTTP/1.1, TLS certificates and host names verified.
///
/// What does not change from one request to the next is prepared once: the
/// endpoint parsed as a URL and the `X-Username` header value are kept from
/// the first request and reused while the request carries the same ones
/// (a client has one endpoint and one username).
#[derive(Debug, Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
    url: Arc<OnceLock<(Arc<str>, reqwest::Url)>>,
    username: Arc<OnceLock<(String, HeaderValue)>>,
}

impl HttpTransport {
    pub(crate) fn new(settings: &HttpSettings) -> Result<Self, BuildError> {
        let client = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .user_agent(settings.user_agent.clone())
            .use_rustls_tls()
            .https_only(false)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| BuildError::Http { message: chain(&e) })?;
        Ok(HttpTransport::from_reqwest(client))
    }

    /// Wraps a reqwest client configured by the caller (its timeouts and
    /// TLS settings are then the caller's).
    pub fn from_reqwest(client: reqwest::Client) -> Self {
        HttpTransport {
            client,
            url: Arc::default(),
            username: Arc::default(),
        }
    }

    /// `url` parsed: the prepared one when it is the same text.
    fn url(&self, url: &Arc<str>) -> Result<reqwest::Url, TransportError> {
        if let Some((text, parsed)) = self.url.get()
            && (Arc::ptr_eq(text, url) || **text == **url)
        {
            return Ok(parsed.clone());
        }
        let parsed = reqwest::Url::parse(url).map_err(|e| TransportError::Connect {
            message: format!("the endpoint is not a URL: {e}"),
            source: Box::new(e),
        })?;
        let _ = self.url.set((Arc::clone(url), parsed.clone()));
        Ok(parsed)
    }

    /// The `X-Username` value: the prepared one when it is the same name.
    fn username(&self, username: &str) -> Result<HeaderValue, TransportError> {
        if let Some((text, value)) = self.username.get()
            && text == username
        {
            return Ok(value.clone());
        }
        let value = header_value(sign::X_USERNAME, username.as_bytes())?;
        let _ = self.username.set((username.to_owned(), value.clone()));
        Ok(value)
    }
}

/// `X-Username`, named once.
const X_USERNAME: HeaderName = HeaderName::from_static("x-username");
/// `X-Signature`, named once.
const X_SIGNATURE: HeaderName = HeaderName::from_static("x-signature");

/// A header value, or the error that says which header cannot be sent.
fn header_value(name: &str, value: &[u8]) -> Result<HeaderValue, TransportError> {
    HeaderValue::from_bytes(value).map_err(|e| TransportError::Connect {
        message: format!("header {name} cannot be sent: {e}"),
        source: Box::new(e),
    })
}

impl Transport for HttpTransport {
    async fn post(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let limit = request.max_reply_bytes;
        let headers = &request.headers;
        let mut map = HeaderMap::with_capacity(4);
        map.insert(CONTENT_TYPE, HeaderValue::from_static(TEXT_XML));
        map.insert(X_USERNAME, self.username(headers.username())?);
        map.insert(
            X_SIGNATURE,
            header_value(sign::X_SIGNATURE, headers.signature().as_bytes())?,
        );
        map.insert(CONTENT_LENGTH, HeaderValue::from(headers.content_length()));
        let mut http = reqwest::Request::new(reqwest::Method::POST, self.url(&request.url)?);
        *http.headers_mut() = map;
        *http.body_mut() = Some(request.body.into());
        let mut response = self.client.execute(http).await.map_err(map_error)?;
        let status = response.status().as_u16();
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(TransportError::TooLarge { limit });
        }
        // One buffer sized from Content-Length (bounded by the limit); the
        // chunks are copied into it as they come.
        let capacity = response
            .content_length()
            .map_or(8 * 1024, |n| usize::try_from(n).unwrap_or(limit));
        let mut body = Vec::with_capacity(capacity.min(limit));
        while let Some(chunk) = response.chunk().await.map_err(map_error)? {
            if body.len() + chunk.len() > limit {
                return Err(TransportError::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse { status, body })
    }
}

/// Sorts a reqwest error by phase: a connect timeout, a TLS failure and a
/// refused connection happen before anything is written.
fn map_error(e: reqwest::Error) -> TransportError {
    if e.is_timeout() {
        let phase = if e.is_connect() {
            TimeoutPhase::Connect
        } else {
            TimeoutPhase::Total
        };
        return TransportError::Timeout { phase };
    }
    let message = chain(&e);
    if is_tls(&e) {
        return TransportError::Tls {
            message,
            source: Box::new(e),
        };
    }
    if e.is_connect() {
        return TransportError::Connect {
            message,
            source: Box::new(e),
        };
    }
    TransportError::Io {
        message,
        source: Box::new(e),
    }
}

/// Whether a rustls error is in the chain. An `io::Error` hides its inner
/// error from `source()`, and hyper wraps rustls's `io::Error` in another,
/// so inner errors are opened too.
fn is_tls(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(e);
    while let Some(err) = next {
        if wraps_tls(err) {
            return true;
        }
        next = err.source();
    }
    false
}

fn wraps_tls(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = e;
    loop {
        if current.is::<rustls::Error>() {
            return true;
        }
        match current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => current = inner,
            None => return false,
        }
    }
}

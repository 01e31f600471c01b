//! The errors of building a client and of sending a command.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use opensrs_core::__private::quote;
use opensrs_core::secret::KeyFileError;
use opensrs_core::{ApiError, ReplyError, WriteError};

/// Any error a [`Transport`](crate::Transport) may carry as a source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The phase of a request that ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Opening the connection (TCP and TLS): nothing was sent.
    Connect,
    /// The whole exchange, from sending the request to the last byte of the
    /// reply: OpenSRS may have processed the request.
    Total,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connect",
            TimeoutPhase::Total => "total",
        })
    }
}

/// Why [`ClientBuilder::build`](crate::ClientBuilder::build) built no
/// client. No variant holds the key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The endpoint is not a URL the client can post to.
    #[error("invalid endpoint {}: {reason}", quote(endpoint, 200))]
    InvalidEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A plain `http://` endpoint whose host is not a loopback address.
    #[error(
        "refusing plain http:// to a host that is not loopback ({}): use https:// \
         (plain http is for 127.0.0.0/8, ::1 and localhost only)",
        quote(endpoint, 100)
    )]
    PlainHttp {
        /// The endpoint as given.
        endpoint: String,
    },
    /// No reseller username was given.
    #[error("no reseller username: set one with ClientBuilder::username")]
    MissingUsername,
    /// The username cannot travel in the `X-Username` header.
    #[error("invalid reseller username {}: {reason}", quote(username, 64))]
    InvalidUsername {
        /// The username as given.
        username: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// No key was given.
    #[error("no reseller key: set one with ClientBuilder::key or ClientBuilder::key_file")]
    MissingKey,
    /// The key file could not be read.
    #[error("cannot read the key file {}: {source}", quote(&path.display().to_string(), 200))]
    KeyFileIo {
        /// The key file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The key file does not hold a key alone.
    #[error("{}: {source}", quote(&path.display().to_string(), 200))]
    KeyFile {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it (never quotes the key).
        source: KeyFileError,
    },
    /// The HTTP stack refused its configuration.
    #[error("cannot build the HTTP client: {message}")]
    Http {
        /// The HTTP stack's message.
        message: String,
    },
}

/// Why a [`Transport`](crate::Transport) brought back no reply.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection could be opened: nothing was sent.
    #[error("cannot connect: {message}")]
    Connect {
        /// The failure and its causes, on one line.
        message: String,
        /// The underlying error.
        source: BoxError,
    },
    /// The TLS handshake failed (certificate, protocol): nothing was sent.
    #[error("TLS failure: {message}")]
    Tls {
        /// The failure and its causes, on one line.
        message: String,
        /// The underlying error.
        source: BoxError,
    },
    /// A timeout ran out.
    #[error("{phase} timeout")]
    Timeout {
        /// Which one.
        phase: TimeoutPhase,
    },
    /// The reply's body is larger than the limit; reading stopped there.
    #[error("the reply is larger than {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The exchange failed after the connection was made: the request may
    /// have been sent, in part or whole.
    #[error("{message}")]
    Io {
        /// The failure and its causes, on one line.
        message: String,
        /// The underlying error.
        source: BoxError,
    },
}

impl TransportError {
    /// Whether the failure happened before any byte of the request was
    /// written (no connection, TLS handshake, connect timeout): sending
    /// again cannot repeat an effect.
    pub fn nothing_written(&self) -> bool {
        matches!(
            self,
            TransportError::Connect { .. }
                | TransportError::Tls { .. }
                | TransportError::Timeout {
                    phase: TimeoutPhase::Connect
                }
        )
    }

    /// Wraps an error of an HTTP stack as [`TransportError::Io`], its
    /// causes joined on one line.
    pub fn io(source: impl Into<BoxError>) -> Self {
        let source = source.into();
        TransportError::Io {
            message: chain(&*source),
            source,
        }
    }
}

/// An error and its causes on one line, `: ` between them (each cause
/// whose text its parent already holds is left out).
pub(crate) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = cause.source();
    }
    out
}

/// Why a command got no typed reply. Each variant says what to do; none
/// holds the key, and reply excerpts stop before any secret item.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// HTTP 401: OpenSRS refused the credentials.
    #[error(
        "HTTP 401 from {endpoint}: OpenSRS refused the credentials of reseller {}. Likely causes: \
         the key is wrong (or was regenerated); a live key sent to the test endpoint or a test key \
         to the live one (each environment has its own key); or this machine's IP address is not \
         on the reseller's API allow-list (a change to the list takes up to 15 minutes to apply)",
        quote(username, 64)
    )]
    Authentication {
        /// The endpoint.
        endpoint: String,
        /// The reseller username sent.
        username: String,
    },
    /// OpenSRS answered with an error: `is_success` 0, a failing code, or
    /// a server-level error without `action` or `object`. The code's class
    /// ([`ApiError::class`]) says what to do.
    ///
    /// Its message quotes `response_text` cut to 300 characters, control
    /// characters escaped (the [`ApiError`] keeps it whole).
    #[error(
        "OpenSRS error {} ({}): {} [class {:?}]",
        .0.code,
        .0.code.description(),
        quote(&.0.text, 300),
        .0.class()
    )]
    Api(ApiError),
    /// The reply is not a well-formed reply to the command: not XML,
    /// truncated, not a reply, or a reply to another command.
    #[error(
        "the reply to {command} is not a valid reply: {} (body of {len} bytes, starting {excerpt})",
        cut_before_secret(&source.to_string())
    )]
    Decode {
        /// `action on object` of the request sent.
        command: String,
        /// What is wrong (the message shows it cut before any secret item
        /// it quotes: a parse error may quote the body).
        source: Box<ReplyError>,
        /// The start of the body, quoted, cut before any secret item.
        excerpt: String,
        /// The body's length in bytes.
        len: usize,
    },
    /// The reply is larger than the client's limit.
    #[error(
        "the reply is larger than the limit of {limit} bytes (raise the limit: ClientBuilder::max_reply_bytes, or --max-reply-bytes of the opensrs command)"
    )]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// An HTTP status other than 200 and 401.
    #[error("HTTP status {status} from {endpoint} (body starting {excerpt})")]
    Http {
        /// The endpoint.
        endpoint: String,
        /// The HTTP status.
        status: u16,
        /// The start of the body, quoted, cut before any secret item.
        excerpt: String,
    },
    /// A timeout ran out.
    #[error("{}", timeout_message(*phase, *after, endpoint))]
    Timeout {
        /// The endpoint.
        endpoint: String,
        /// Which timeout.
        phase: TimeoutPhase,
        /// Its length.
        after: Duration,
    },
    /// The TLS handshake failed: the server's certificate is not trusted
    /// or not for this host, or the server does not speak TLS.
    #[error("TLS failure with {endpoint}: {message}")]
    Tls {
        /// The endpoint.
        endpoint: String,
        /// The failure and its causes.
        message: String,
    },
    /// No connection could be opened.
    #[error("cannot connect to {endpoint}: {message}")]
    Connect {
        /// The endpoint.
        endpoint: String,
        /// The failure and its causes.
        message: String,
    },
    /// The exchange failed after the connection was made; the request may
    /// have been processed.
    #[error("the exchange with {endpoint} failed (the request may have been processed): {message}")]
    Transport {
        /// The endpoint.
        endpoint: String,
        /// The failure and its causes.
        message: String,
    },
    /// The command could not be written as an envelope.
    #[error("cannot encode the request: {0}")]
    Encode(WriteError),
    /// The blocking client was called inside an async runtime.
    #[error("the blocking client cannot run inside an async runtime: use the async Client there")]
    BlockingInAsync,
}

fn timeout_message(phase: TimeoutPhase, after: Duration, endpoint: &str) -> String {
    match phase {
        TimeoutPhase::Connect => format!(
            "connect timeout: no connection to {endpoint} within {after:?} (nothing was sent)"
        ),
        TimeoutPhase::Total => format!(
            "total timeout: no complete reply from {endpoint} within {after:?} \
             (the request may have been processed)"
        ),
    }
}

impl ClientError {
    /// The OpenSRS error, when the reply was one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            ClientError::Api(e) => Some(e),
            _ => None,
        }
    }
}

/// How much of a body an excerpt looks at, and shows.
const EXCERPT_BYTES: usize = 1024;
const EXCERPT_CHARS: usize = 160;

/// The start of a body for a message: at most 160 characters, quoted
/// (control characters escaped), cut before the first item under a secret
/// key.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_BYTES)];
    let text = String::from_utf8_lossy(head);
    let text = cut_before_secret(&text);
    format!("\"{}\"", quote(&text, EXCERPT_CHARS))
}

/// `text` up to the first item whose key is a secret (`key="auth_info"`,
/// any quote, any case), then `[redacted]`.
fn cut_before_secret(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut cut = None::<usize>;
    for k in opensrs_core::secret::SECRET_KEYS {
        for q in ['"', '\''] {
            let needle = format!("{q}{k}{q}");
            if let Some(i) = lower.find(&needle) {
                cut = Some(cut.map_or(i, |c| c.min(i)));
            }
        }
    }
    match cut {
        None => text.to_owned(),
        Some(i) => {
            // Back to the start of the tag that holds the key.
            let start = lower[..i].rfind('<').unwrap_or(i);
            format!("{}{}", &text[..start], opensrs_core::secret::REDACTED)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_stops_before_a_secret_item() {
        let body =
            br#"<dt_assoc><item key="domain">a.com</item><item key="Auth_Info">hunter2</item>"#;
        let e = excerpt(body);
        assert_eq!(
            e,
            r#""<dt_assoc><item key="domain">a.com</item>[redacted]""#
        );
    }

    #[test]
    fn excerpt_is_bounded_and_escaped() {
        let body = "x\n".repeat(1000);
        let e = excerpt(body.as_bytes());
        assert!(e.chars().count() <= EXCERPT_CHARS + 3, "{e}");
        assert!(e.starts_with("\"x\\nx\\n"), "{e}");
        assert!(e.ends_with("…\""), "{e}");
    }
}

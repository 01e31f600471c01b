//! The protocol's own layer: request and reply views over a parsed
//! document, the [`Command`] trait, and the errors of a reply.
//!
//! What requests and replies must hold is in the crate docs
//! ("Requests and replies").

use std::fmt;

use crate::code::ResponseCode;
use crate::convert::{DecodeError, DecodeErrorKind, FromXcp, ToXcp, text};
use crate::doc::{Document, Header, Kind, Node};
use crate::error::{ParseError, WriteError};
use crate::secret::Secret;
use crate::sign::RequestHeaders;
use crate::value::Value;
use crate::write::{Sink, Writer};

/// The value of `protocol` in every request and reply.
pub const PROTOCOL: &str = "XCP";

fn required<'d>(root: Node<'d>, key: &str) -> Result<Node<'d>, DecodeError> {
    root.get(key).ok_or_else(|| DecodeError::missing(root, key))
}

/// The `attributes` item of the top-level dt_assoc, which must itself be a
/// dt_assoc when present.
fn attributes_of(root: Node<'_>) -> Result<Option<Node<'_>>, DecodeError> {
    let attributes = root.get("attributes");
    if let Some(a) = attributes {
        crate::convert::expect_assoc(a)?;
    }
    Ok(attributes)
}

fn root_assoc<'d>(doc: &'d Document<'d>) -> Result<Node<'d>, DecodeError> {
    let root = doc.root();
    if root.kind() != Kind::Assoc {
        return Err(DecodeError::wrong_kind(
            root,
            "a dt_assoc (an XCP request or reply)",
        ));
    }
    Ok(root)
}

/// A request, as a view over a parsed document.
///
/// ```
/// use opensrs_core::{parse, Request};
/// let doc = parse(br#"<OPS_envelope><header><version>0.9</version></header><body><data_block>
/// <dt_assoc><item key="protocol">XCP</item><item key="action">CHECK_TRANSFER</item>
/// <item key="object">DOMAIN</item><item key="cookie">abc</item>
/// <item key="attributes"><dt_assoc><item key="domain">example.com</item></dt_assoc></item>
/// </dt_assoc></data_block></body></OPS_envelope>"#)?;
/// let req = Request::from_document(&doc)?;
/// assert!(req.is("check_transfer", "domain"));
/// assert_eq!(req.get("cookie").and_then(|n| n.as_str()), Some("abc"));
/// assert_eq!(req.attributes().unwrap().get("domain").unwrap().as_str(), Some("example.com"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Request<'d> {
    root: Node<'d>,
    protocol: &'d str,
    action: &'d str,
    object: &'d str,
    attributes: Option<Node<'d>>,
}

impl<'d> Request<'d> {
    /// Reads the request view of a document; `protocol`, `action` and
    /// `object` are required and must be text.
    pub fn from_document(doc: &'d Document<'d>) -> Result<Self, DecodeError> {
        let root = root_assoc(doc)?;
        let attributes = attributes_of(root)?;
        Ok(Request {
            root,
            protocol: text(required(root, "protocol")?)?,
            action: text(required(root, "action")?)?,
            object: text(required(root, "object")?)?,
            attributes,
        })
    }

    /// `protocol`, as sent (normally `XCP`).
    pub fn protocol(&self) -> &'d str {
        self.protocol
    }

    /// `action`, as sent (compare with [`is`](Self::is)).
    pub fn action(&self) -> &'d str {
        self.action
    }

    /// `object`, as sent.
    pub fn object(&self) -> &'d str {
        self.object
    }

    /// Whether this request is `action` on `object`, ignoring ASCII case.
    pub fn is(&self, action: &str, object: &str) -> bool {
        self.action.eq_ignore_ascii_case(action) && self.object.eq_ignore_ascii_case(object)
    }

    /// The `attributes` dt_assoc, if present.
    pub fn attributes(&self) -> Option<Node<'d>> {
        self.attributes
    }

    /// A top-level item by key (`cookie`, `registrant_ip`, ...).
    pub fn get(&self, key: &str) -> Option<Node<'d>> {
        self.root.get(key)
    }

    /// The top-level items other than `protocol`, `action`, `object` and
    /// `attributes`.
    pub fn other_items(&self) -> impl Iterator<Item = Node<'d>> + 'd {
        self.root
            .iter()
            .filter(|n| !matches!(n.key(), "protocol" | "action" | "object" | "attributes"))
    }

    /// The top-level dt_assoc.
    pub fn root(&self) -> Node<'d> {
        self.root
    }
}

/// A reply, as a view over a parsed document: a `REPLY` envelope, or a
/// server-level error that carries only a code and a text (see the
/// [crate docs](crate#requests-and-replies) for what is required).
///
/// ```
/// use opensrs_core::{parse, Reply, code::{ResponseClass, ResponseCode}};
/// let doc = parse(br#"<OPS_envelope><header><version>0.9</version></header><body><data_block>
/// <dt_assoc><item key="protocol">XCP</item><item key="action">REPLY</item>
/// <item key="object">DOMAIN</item><item key="is_success">0</item>
/// <item key="response_code">465</item><item key="response_text">Invalid domain</item>
/// </dt_assoc></data_block></body></OPS_envelope>"#)?;
/// let reply = Reply::from_document(&doc)?;
/// assert!(!reply.is_success());
/// assert_eq!(reply.object(), Some("DOMAIN"));
/// assert_eq!(reply.response_code(), ResponseCode::InvalidData);
/// assert_eq!(reply.response_text(), "Invalid domain");
///
/// // A server-level error: no action, no object, and `is_success` 1.
/// let doc = parse(br#"<OPS_envelope><header><version>0.9</version></header><body><data_block>
/// <dt_assoc><item key="protocol">XCP</item><item key="is_success">1</item>
/// <item key="response_code">404</item><item key="response_text">Missing X-Username: header</item>
/// </dt_assoc></data_block></body></OPS_envelope>"#)?;
/// let reply = Reply::from_document(&doc)?;
/// assert_eq!((reply.action(), reply.object()), (None, None));
/// assert_eq!(reply.success_flag(), Some(true));
/// assert!(!reply.is_success()); // not a REPLY: an error whatever it says
/// assert_eq!(reply.to_api_error().class(), ResponseClass::Server);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Reply<'d> {
    root: Node<'d>,
    protocol: Option<&'d str>,
    action: Option<&'d str>,
    object: Option<&'d str>,
    success_flag: Option<bool>,
    response_code: ResponseCode,
    response_text: &'d str,
    attributes: Option<Node<'d>>,
}

/// An optional top-level text item.
fn optional_text<'d>(root: Node<'d>, key: &str) -> Result<Option<&'d str>, DecodeError> {
    root.get(key).map(text).transpose()
}

impl<'d> Reply<'d> {
    /// Reads the reply view of a document.
    ///
    /// `response_code` is required. A document whose `action` is `REPLY`
    /// (any case) must also hold `is_success`; one without `action`, or
    /// with another action, is read as a server-level error only when it
    /// holds both `response_code` and `response_text`, and is otherwise an
    /// error about its `action`. `protocol`, `object` and `response_text`
    /// may be absent (`response_text` then reads as empty); each must be
    /// text when present.
    pub fn from_document(doc: &'d Document<'d>) -> Result<Self, DecodeError> {
        let root = root_assoc(doc)?;
        let action = optional_text(root, "action")?;
        let is_reply = action.is_some_and(|a| a.eq_ignore_ascii_case("reply"));
        let server_error =
            root.get("response_code").is_some() && root.get("response_text").is_some();
        if !is_reply && !server_error {
            let Some(found) = action else {
                return Err(DecodeError::missing(root, "action"));
            };
            let node = required(root, "action")?;
            return Err(DecodeError::at(
                node,
                DecodeErrorKind::Mismatch {
                    what: "action",
                    expected: "REPLY".to_owned(),
                    found: found.to_owned(),
                },
            ));
        }
        let success_flag = match root.get("is_success") {
            Some(n) => Some(bool::from_xcp(n)?),
            None if is_reply => return Err(DecodeError::missing(root, "is_success")),
            None => None,
        };
        let attributes = attributes_of(root)?;
        Ok(Reply {
            root,
            protocol: optional_text(root, "protocol")?,
            action,
            object: optional_text(root, "object")?,
            success_flag,
            response_code: ResponseCode::from_xcp(required(root, "response_code")?)?,
            response_text: optional_text(root, "response_text")?.unwrap_or(""),
            attributes,
        })
    }

    /// `protocol`, as sent (normally `XCP`); `None` when absent.
    pub fn protocol(&self) -> Option<&'d str> {
        self.protocol
    }

    /// `action`, as sent (`REPLY` in some case); `None` when absent (a
    /// server-level error).
    pub fn action(&self) -> Option<&'d str> {
        self.action
    }

    /// Whether `action` is `REPLY` (any case); `false` for a server-level
    /// error that has none or another one.
    pub fn is_reply_action(&self) -> bool {
        self.action.is_some_and(|a| a.eq_ignore_ascii_case("reply"))
    }

    /// `object`, as sent; `None` when absent (every `name_suggest` reply,
    /// some server-level errors).
    pub fn object(&self) -> Option<&'d str> {
        self.object
    }

    /// Whether the reply reports success: its action is `REPLY`,
    /// `is_success` is 1 and `response_code` is in the success class. A
    /// server-level error is a failure whatever its `is_success` says.
    pub fn is_success(&self) -> bool {
        self.is_reply_action()
            && self.success_flag == Some(true)
            && self.response_code.class() == crate::code::ResponseClass::Success
    }

    /// The `is_success` item as sent; `None` when absent (only possible in
    /// a server-level error). Prefer [`is_success`](Self::is_success).
    pub fn success_flag(&self) -> Option<bool> {
        self.success_flag
    }

    /// `response_code`.
    pub fn response_code(&self) -> ResponseCode {
        self.response_code
    }

    /// `response_text` (empty when absent).
    pub fn response_text(&self) -> &'d str {
        self.response_text
    }

    /// The `attributes` dt_assoc, if present.
    pub fn attributes(&self) -> Option<Node<'d>> {
        self.attributes
    }

    /// A top-level item by key.
    pub fn get(&self, key: &str) -> Option<Node<'d>> {
        self.root.get(key)
    }

    /// The top-level dt_assoc.
    pub fn root(&self) -> Node<'d> {
        self.root
    }

    /// The failure of an unsuccessful reply, with code, text and attributes.
    pub fn to_api_error(&self) -> ApiError {
        ApiError {
            code: self.response_code,
            text: self.response_text.to_owned(),
            attributes: self.attributes.map(|a| a.to_value()),
        }
    }
}

/// A reply that does not report success (see [`Reply::is_success`]):
/// OpenSRS refused the request, or the server failed before reading it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("OpenSRS error {code} ({}): {text}", code.description())]
pub struct ApiError {
    /// `response_code`.
    pub code: ResponseCode,
    /// `response_text`.
    pub text: String,
    /// `attributes`, if the reply had any.
    pub attributes: Option<Value>,
}

impl ApiError {
    /// The class of failure, to decide what to do (retry, fix input, ...).
    pub fn class(&self) -> crate::code::ResponseClass {
        self.code.class()
    }
}

/// Why a reply could not be turned into a command's response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplyError {
    /// The reply does not report success: `is_success` 0, a code outside
    /// the success class, or a server-level error (see
    /// [`Reply::is_success`]).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The reply is not a well-formed reply to this command.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The reply is not a well-formed envelope (from
    /// [`decode_reply_bytes`], which parses it).
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// Parses a reply's bytes and decodes them as command `C`'s reply in one
/// call: what an HTTP client does with a response body. The typed response
/// borrows from the parsed document, which lives only for this call, so
/// `read` takes it and returns what the caller keeps.
///
/// Uses the default [`ParseOptions`](crate::ParseOptions); for other
/// limits, parse with them and call [`Command::decode_reply`].
///
/// ```
/// use opensrs_core::{Command, ReplyError, Xcp, decode_reply_bytes};
///
/// #[derive(Xcp)]
/// #[xcp(action = "get_balance", object = "balance", response = Balance)]
/// struct GetBalance {}
///
/// #[derive(Xcp)]
/// #[xcp(reply)]
/// struct Balance {
///     balance: String,
/// }
///
/// let body = br#"<OPS_envelope><header><version>0.9</version></header><body><data_block>
/// <dt_assoc><item key="protocol">XCP</item><item key="action">REPLY</item>
/// <item key="object">BALANCE</item><item key="is_success">1</item>
/// <item key="response_code">200</item><item key="response_text">ok</item>
/// <item key="attributes"><dt_assoc><item key="balance">8549.18</item></dt_assoc></item>
/// </dt_assoc></data_block></body></OPS_envelope>"#;
/// let balance = decode_reply_bytes::<GetBalance, _>(body, |b| b.balance)?;
/// assert_eq!(balance, "8549.18");
///
/// let err = decode_reply_bytes::<GetBalance, _>(b"<OPS_envelope>", |b| b.balance).unwrap_err();
/// assert!(matches!(err, ReplyError::Parse(_)), "{err}");
/// # Ok::<(), opensrs_core::Error>(())
/// ```
pub fn decode_reply_bytes<C, R>(
    input: &[u8],
    read: impl for<'d> FnOnce(C::Response<'d>) -> R,
) -> Result<R, ReplyError>
where
    C: Command,
{
    let doc = crate::xml::parse(input)?;
    Ok(read(C::decode_reply(&doc)?))
}

/// The typed content of a successful reply: read from a [`Reply`] view,
/// written back as the items of a reply envelope.
///
/// `#[derive(Xcp)]` with `#[xcp(reply)]` implements it: fields sit in the
/// reply's `attributes` unless marked `#[xcp(top)]` (then they sit beside
/// `response_code` and `response_text`, which may themselves be fields).
pub trait ReplyBody<'d>: Sized {
    /// Whether [`write_reply_items`](Self::write_reply_items) writes
    /// `response_code`; when it does not, [`Command::encode_reply`] writes
    /// `200`, so that every encoded reply reads back.
    const WRITES_RESPONSE_CODE: bool = false;

    /// Reads the typed reply.
    fn read_reply(reply: &Reply<'d>) -> Result<Self, DecodeError>;

    /// Writes the items after `protocol`, `action`, `object` and
    /// `is_success`: `response_code`, `response_text` and `attributes` when
    /// the type holds them.
    fn write_reply_items<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError>;
}

/// An XCP command: a request type that knows its action and object, how
/// to write its items, and how to read its reply.
///
/// `#[derive(Xcp)]` with `#[xcp(action = "...", object = "...", response = ...)]`
/// implements it; by hand it looks like this:
///
/// ```
/// use opensrs_core::{Command, DecodeError, FromXcp, Reply, ReplyBody, Request, Sink, WriteError, Writer};
///
/// #[derive(Debug, PartialEq)]
/// struct GetBalance;
///
/// #[derive(Debug, PartialEq)]
/// struct Balance { balance: String }
///
/// impl<'d> ReplyBody<'d> for Balance {
///     fn read_reply(reply: &Reply<'d>) -> Result<Self, DecodeError> {
///         let attrs = opensrs_core::__private::attributes(reply)?;
///         let n = attrs.get("balance").ok_or_else(|| DecodeError::missing(attrs, "balance"))?;
///         Ok(Balance { balance: String::from_xcp(n)? })
///     }
///     fn write_reply_items<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
///         w.start_item("attributes")?;
///         w.start_assoc()?;
///         opensrs_core::write_field(w, "balance", &self.balance)?;
///         w.end_assoc()?;
///         w.end_item()
///     }
/// }
///
/// impl Command for GetBalance {
///     const ACTION: &'static str = "get_balance";
///     const OBJECT: &'static str = "balance";
///     type Response<'d> = Balance;
///
///     fn write_items<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
///         w.start_item("attributes")?;
///         w.start_assoc()?;
///         w.end_assoc()?;
///         w.end_item()
///     }
///     fn read_request(_: &Request<'_>) -> Result<Self, DecodeError> {
///         Ok(GetBalance)
///     }
/// }
///
/// let xml = GetBalance.encode()?;
/// assert!(xml.contains(r#"<item key="action">get_balance</item>"#));
/// let reply = br#"<OPS_envelope><header><version>0.9</version></header><body><data_block>
/// <dt_assoc><item key="protocol">XCP</item><item key="action">REPLY</item>
/// <item key="object">BALANCE</item><item key="is_success">1</item>
/// <item key="response_code">200</item>
/// <item key="attributes"><dt_assoc><item key="balance">8549.18</item></dt_assoc></item>
/// </dt_assoc></data_block></body></OPS_envelope>"#;
/// let doc = opensrs_core::parse(reply)?;
/// let balance = GetBalance::decode_reply(&doc)?;
/// assert_eq!(balance, Balance { balance: "8549.18".into() });
///
/// // And back: a reply envelope, as a simulator would send it.
/// let again = GetBalance::encode_reply(&balance)?;
/// assert_eq!(GetBalance::decode_reply(&opensrs_core::parse_str(&again)?)?, balance);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Command: Sized {
    /// The `action`, lower case.
    const ACTION: &'static str;
    /// The `object`, lower case.
    const OBJECT: &'static str;
    /// The typed reply; may borrow from the reply document.
    type Response<'d>: ReplyBody<'d>;
    /// The top-level items (beside `attributes`) that the command itself
    /// reads and writes (`#[xcp(top)]` fields). A [`RequestEnvelope`]
    /// leaves these to the command rather than keeping them as extras.
    const TOP_ITEMS: &'static [&'static str] = &[];
    /// Whether the command changes nothing on the server, so that sending
    /// it twice has the effect of sending it once (a query such as
    /// `check_transfer` or `lookup`). A client retries only such commands
    /// after a reply that says "try later" or a failure after the request
    /// may have been sent; a command that changes state (a registration,
    /// a transfer, a password sent by mail) keeps the default, `false`.
    const IDEMPOTENT: bool = false;

    /// Writes the top-level items after `protocol`, `action` and `object`:
    /// `attributes` and any others (`cookie`, ...).
    fn write_items<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError>;

    /// Reads the request back from a request view (action and object
    /// already checked).
    fn read_request(req: &Request<'_>) -> Result<Self, DecodeError>;

    /// Reads the typed response from a successful reply view.
    fn read_response<'d>(reply: &Reply<'d>) -> Result<Self::Response<'d>, DecodeError> {
        <Self::Response<'d> as ReplyBody<'d>>::read_reply(reply)
    }

    /// Writes the whole request envelope through `w`.
    fn encode_to<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        write_head(w, Self::ACTION, Self::OBJECT)?;
        self.write_items(w)?;
        w.end_assoc()
    }

    /// The complete request envelope, compact: the bytes to sign and send.
    fn encode(&self) -> Result<String, WriteError> {
        let mut w = Writer::new(String::with_capacity(512));
        self.encode_to(&mut w)?;
        w.finish()
    }

    /// Encodes the request and signs it in one call: the compact body and
    /// the HTTP headers that go with it (`X-Username`, `X-Signature`,
    /// `Content-Type`, `Content-Length`), as
    /// [`request_headers`](crate::sign::request_headers) makes them.
    ///
    /// ```
    /// use opensrs_core::{Command, Xcp, secret::Secret};
    ///
    /// #[derive(Xcp)]
    /// #[xcp(action = "get_balance", object = "balance", response = Balance)]
    /// struct GetBalance {}
    /// #[derive(Xcp)]
    /// #[xcp(reply)]
    /// struct Balance { balance: String }
    ///
    /// let key = Secret::new("0123456789abcdef");
    /// let signed = GetBalance {}.encode_signed("reseller", &key)?;
    /// assert_eq!(signed.headers().username(), "reseller");
    /// assert_eq!(signed.headers().content_length(), signed.body().len());
    /// assert!(!format!("{signed:?}").contains("0123456789abcdef"));
    /// # Ok::<(), opensrs_core::WriteError>(())
    /// ```
    fn encode_signed(&self, username: &str, key: &Secret) -> Result<SignedRequest, WriteError> {
        let body = self.encode()?;
        let headers = crate::sign::request_headers(username, body.as_bytes(), key);
        Ok(SignedRequest { body, headers })
    }

    /// The request envelope, indented for people.
    fn encode_pretty(&self) -> Result<String, WriteError> {
        let mut w = Writer::pretty(String::with_capacity(1024));
        self.encode_to(&mut w)?;
        w.finish()
    }

    /// Writes a successful reply envelope carrying `response` through `w`
    /// (for simulators and tests): `protocol`, `action` = `REPLY`,
    /// `object`, `is_success` = 1, then the response's own items.
    fn encode_reply_to<S: Sink>(
        response: &Self::Response<'_>,
        w: &mut Writer<S>,
    ) -> Result<(), WriteError> {
        w.start_envelope(&Header::default())?;
        w.start_assoc()?;
        for (k, v) in [
            ("protocol", PROTOCOL),
            ("action", "REPLY"),
            ("object", Self::OBJECT),
            ("is_success", "1"),
        ] {
            w.start_item(k)?;
            w.scalar(v)?;
            w.end_item()?;
        }
        if !<Self::Response<'_> as ReplyBody<'_>>::WRITES_RESPONSE_CODE {
            w.start_item("response_code")?;
            w.scalar("200")?;
            w.end_item()?;
        }
        response.write_reply_items(w)?;
        w.end_assoc()
    }

    /// A successful reply envelope carrying `response`, compact.
    fn encode_reply(response: &Self::Response<'_>) -> Result<String, WriteError> {
        let mut w = Writer::new(String::with_capacity(512));
        Self::encode_reply_to(response, &mut w)?;
        w.finish()
    }

    /// Reads a request of this command from a parsed document: `protocol`
    /// must be `XCP` and `action` and `object` this command's (any case),
    /// or the error is a [`DecodeErrorKind::Mismatch`] at the item. A
    /// derived command also refuses any item it does not know; the
    /// [`REQUEST_EXTRAS`] are accepted and dropped here, kept by
    /// [`RequestEnvelope::decode`].
    fn decode_request(doc: &Document<'_>) -> Result<Self, DecodeError> {
        let req = Request::from_document(doc)?;
        check_protocol(req.get("protocol"))?;
        check_names(&req.root(), Self::ACTION, Self::OBJECT)?;
        Self::read_request(&req)
    }

    /// Reads the reply to this command: `Ok` with the typed response when
    /// the reply reports success ([`Reply::is_success`]),
    /// [`ReplyError::Api`] with its code, text and class when it does not
    /// (server-level errors without `action` or `object` included), and
    /// [`ReplyError::Decode`] when the reply is malformed, its `protocol`
    /// is present but not `XCP`, or its `object` is present but another
    /// command's. A reply without `object` (`name_suggest`) is accepted.
    fn decode_reply<'d>(doc: &'d Document<'d>) -> Result<Self::Response<'d>, ReplyError> {
        Self::decode_reply_view(&Reply::from_document(doc)?)
    }

    /// [`decode_reply`](Self::decode_reply) from a [`Reply`] view already
    /// built (a caller that reads the reply's status first builds the view
    /// once): the same checks, the same errors.
    fn decode_reply_view<'d>(reply: &Reply<'d>) -> Result<Self::Response<'d>, ReplyError> {
        check_protocol(reply.get("protocol"))?;
        if let Some(object) = reply.object()
            && !object.eq_ignore_ascii_case(Self::OBJECT)
        {
            let node = reply.get("object").unwrap_or(reply.root());
            return Err(ReplyError::Decode(DecodeError::at(
                node,
                DecodeErrorKind::Mismatch {
                    what: "object",
                    expected: Self::OBJECT.to_owned(),
                    found: object.to_owned(),
                },
            )));
        }
        if !reply.is_success() {
            return Err(ReplyError::Api(reply.to_api_error()));
        }
        Ok(Self::read_response(reply)?)
    }
}

/// A request body and the signed headers to send it with:
/// [`Command::encode_signed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    body: String,
    headers: RequestHeaders,
}

impl SignedRequest {
    /// The body: the compact request envelope, the bytes that were signed.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The headers.
    pub fn headers(&self) -> &RequestHeaders {
        &self.headers
    }

    /// Body and headers, taken apart.
    pub fn into_parts(self) -> (String, RequestHeaders) {
        (self.body, self.headers)
    }
}

/// `protocol`, when present, must be `XCP` (any case).
fn check_protocol(node: Option<Node<'_>>) -> Result<(), DecodeError> {
    let Some(node) = node else {
        return Ok(());
    };
    let found = text(node)?;
    if found.eq_ignore_ascii_case(PROTOCOL) {
        return Ok(());
    }
    Err(DecodeError::at(
        node,
        DecodeErrorKind::Mismatch {
            what: "protocol",
            expected: PROTOCOL.to_owned(),
            found: found.to_owned(),
        },
    ))
}

fn check_names(root: &Node<'_>, action: &str, object: &str) -> Result<(), DecodeError> {
    for (what, expected) in [("action", action), ("object", object)] {
        let node = required(*root, what)?;
        let found = text(node)?;
        if !found.eq_ignore_ascii_case(expected) {
            return Err(DecodeError::at(
                node,
                DecodeErrorKind::Mismatch {
                    what,
                    expected: expected.to_owned(),
                    found: found.to_owned(),
                },
            ));
        }
    }
    Ok(())
}

/// Builds a request envelope from parts, without a typed command:
/// `protocol` XCP, `action`, `object`, then the `other` top-level items
/// (`cookie`, `registrant_ip`, ...) and `attributes` when given. Compact.
///
/// ```
/// use opensrs_core::{Request, Value, parse, write_request};
/// let attrs = Value::assoc([("domain", "example.com")]);
/// let xml = write_request("lookup", "domain", Some(&attrs), &[("cookie", &Value::from("c1"))])?;
/// let doc = parse(xml.as_bytes())?;
/// let req = Request::from_document(&doc)?;
/// assert!(req.is("LOOKUP", "DOMAIN"));
/// assert_eq!(req.get("cookie").and_then(|n| n.as_str()), Some("c1"));
/// assert_eq!(req.attributes().unwrap().to_value(), attrs);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_request(
    action: &str,
    object: &str,
    attributes: Option<&Value>,
    other: &[(&str, &Value)],
) -> Result<String, WriteError> {
    let mut w = Writer::new(String::with_capacity(512));
    w.start_envelope(&Header::default())?;
    w.start_assoc()?;
    for (k, v) in [
        ("protocol", PROTOCOL),
        ("action", action),
        ("object", object),
    ] {
        w.start_item(k)?;
        w.scalar(v).map_err(|e| e.in_key(k))?;
        w.end_item()?;
    }
    for (k, v) in other {
        if matches!(*k, "protocol" | "action" | "object" | "attributes") {
            return Err(WriteError::new(crate::error::WriteErrorKind::Misuse(
                "`protocol`, `action`, `object` and `attributes` are written from their own arguments",
            ))
            .in_key(k));
        }
        write_field(&mut w, k, *v)?;
    }
    if let Some(a) = attributes {
        write_field(&mut w, "attributes", a)?;
    }
    w.end_assoc()?;
    w.finish()
}

/// Writes `value` as the item `key` of the open dt_assoc, unless it is
/// absent; an error is given the key's path.
pub fn write_field<S: Sink, T: ToXcp + ?Sized>(
    w: &mut Writer<S>,
    key: &str,
    value: &T,
) -> Result<(), WriteError> {
    if value.is_absent() {
        return Ok(());
    }
    w.start_item(key)?;
    value.write_xcp(w).map_err(|e| e.in_key(key))?;
    w.end_item()
}

/// The top-level items OpenSRS defines for every request, beside
/// `protocol`, `action`, `object` and `attributes` (PROTOCOL.md, "Request
/// and reply conventions": "Some commands add top-level items such as
/// `cookie` or `registrant_ip`"): `registrant_ip`, the end user's address
/// that many clients send with every command, and `cookie`, the session
/// of the cookie-authenticated commands. A derived command accepts them
/// in any request; [`RequestExtras`] holds them.
pub const REQUEST_EXTRAS: &[&str] = &["registrant_ip", "cookie"];

/// The values of the [`REQUEST_EXTRAS`] in one request. `Debug` redacts
/// the cookie (a session credential).
///
/// Add a field with `..Default::default()`: the list may grow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestExtras {
    /// `registrant_ip`: the address of the end user the request is made
    /// for.
    pub registrant_ip: Option<String>,
    /// `cookie`: the session of a cookie-authenticated command.
    pub cookie: Option<Secret>,
}

impl RequestExtras {
    /// No extra item.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `registrant_ip`.
    #[must_use]
    pub fn with_registrant_ip(mut self, ip: impl Into<String>) -> Self {
        self.registrant_ip = Some(ip.into());
        self
    }

    /// Sets `cookie`.
    #[must_use]
    pub fn with_cookie(mut self, cookie: impl Into<Secret>) -> Self {
        self.cookie = Some(cookie.into());
        self
    }

    /// Whether no extra item is set.
    pub fn is_empty(&self) -> bool {
        self.registrant_ip.is_none() && self.cookie.is_none()
    }

    /// Reads the extras of a request, leaving out the keys in `skip` (the
    /// command's own top-level items); each must be text.
    pub fn read(req: &Request<'_>, skip: &[&str]) -> Result<Self, DecodeError> {
        let get = |key: &str| req.get(key).filter(|_| !skip.contains(&key));
        Ok(RequestExtras {
            registrant_ip: get("registrant_ip").map(String::from_xcp).transpose()?,
            cookie: get("cookie").map(Secret::from_xcp).transpose()?,
        })
    }

    /// Writes the extras that are set as items of the open dt_assoc,
    /// leaving out the keys in `skip`.
    pub fn write<S: Sink>(&self, w: &mut Writer<S>, skip: &[&str]) -> Result<(), WriteError> {
        if let Some(ip) = &self.registrant_ip
            && !skip.contains(&"registrant_ip")
        {
            write_field(w, "registrant_ip", ip)?;
        }
        if let Some(cookie) = &self.cookie
            && !skip.contains(&"cookie")
        {
            write_field(w, "cookie", cookie)?;
        }
        Ok(())
    }
}

/// A command with the top-level items OpenSRS defines for every request
/// ([`REQUEST_EXTRAS`]): what a server reads, and what a client sends when
/// it passes `registrant_ip` or a `cookie`.
///
/// ```
/// use opensrs_core::{Command, RequestEnvelope, RequestExtras, Xcp, parse_str};
///
/// #[derive(Xcp, Clone, PartialEq)]
/// #[xcp(action = "lookup", object = "domain", response = LookupReply)]
/// struct Lookup { domain: String }
///
/// #[derive(Xcp, Clone, PartialEq)]
/// #[xcp(reply)]
/// struct LookupReply {}
///
/// let sent = RequestEnvelope::new(Lookup { domain: "example.com".into() })
///     .with_extras(RequestExtras::new().with_registrant_ip("192.0.2.7"));
/// let xml = sent.encode()?;
/// assert!(xml.contains(r#"<item key="registrant_ip">192.0.2.7</item>"#));
///
/// let read = RequestEnvelope::<Lookup>::decode(&parse_str(&xml)?)?;
/// assert_eq!(read.extras.registrant_ip.as_deref(), Some("192.0.2.7"));
/// assert!(read == sent);
/// // The command alone accepts the extras, and drops them.
/// assert!(Lookup::decode_request(&parse_str(&xml)?)? == sent.command);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestEnvelope<C> {
    /// The command.
    pub command: C,
    /// Its top-level extras (`registrant_ip`, `cookie`).
    pub extras: RequestExtras,
}

impl<C: Command> RequestEnvelope<C> {
    /// The command without extras.
    pub fn new(command: C) -> Self {
        RequestEnvelope {
            command,
            extras: RequestExtras::default(),
        }
    }

    /// Replaces the extras.
    #[must_use]
    pub fn with_extras(mut self, extras: RequestExtras) -> Self {
        self.extras = extras;
        self
    }

    /// Reads the command as [`Command::decode_request`] does, and its
    /// extras (those the command does not read itself, [`Command::TOP_ITEMS`]).
    pub fn decode(doc: &Document<'_>) -> Result<Self, DecodeError> {
        let command = C::decode_request(doc)?;
        let req = Request::from_document(doc)?;
        Ok(RequestEnvelope {
            command,
            extras: RequestExtras::read(&req, C::TOP_ITEMS)?,
        })
    }

    /// Writes the whole request envelope through `w`: `protocol`, `action`,
    /// `object`, the extras, then the command's items.
    pub fn encode_to<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        write_head(w, C::ACTION, C::OBJECT)?;
        self.extras.write(w, C::TOP_ITEMS)?;
        self.command.write_items(w)?;
        w.end_assoc()
    }

    /// The complete request envelope, compact: the bytes to sign and send.
    pub fn encode(&self) -> Result<String, WriteError> {
        let mut w = Writer::new(String::with_capacity(512));
        self.encode_to(&mut w)?;
        w.finish()
    }

    /// The request envelope, indented for people.
    pub fn encode_pretty(&self) -> Result<String, WriteError> {
        let mut w = Writer::pretty(String::with_capacity(1024));
        self.encode_to(&mut w)?;
        w.finish()
    }
}

impl<C> From<C> for RequestEnvelope<C> {
    fn from(command: C) -> Self {
        RequestEnvelope {
            command,
            extras: RequestExtras::default(),
        }
    }
}

/// Opens a request envelope: header, the top-level dt_assoc, `protocol`,
/// `action` and `object`.
fn write_head<S: Sink>(w: &mut Writer<S>, action: &str, object: &str) -> Result<(), WriteError> {
    w.start_envelope(&Header::default())?;
    w.start_assoc()?;
    for (k, v) in [
        ("protocol", PROTOCOL),
        ("action", action),
        ("object", object),
    ] {
        w.start_item(k)?;
        w.scalar(v)?;
        w.end_item()?;
    }
    Ok(())
}

/// Any error of this crate, for callers that handle them alike: parse,
/// write, decode, rule ([`RuleError`](crate::convert::RuleError), a
/// decode error of kind [`Rule`](DecodeErrorKind::Rule)), reply and API
/// errors all convert with `?`.
///
/// ```
/// use opensrs_core::convert::RuleError;
/// use opensrs_core::{DecodeErrorKind, Error, Value, parse, write_value};
///
/// fn check(v: &Value) -> Result<(), Error> {
///     let xml = write_value(v)?;
///     let doc = parse(xml.as_bytes())?;
///     if doc.root().get("n").is_none() {
///         Err(RuleError::new("n_required", "n", "n is required here"))?;
///     }
///     Ok(())
/// }
/// let Err(Error::Decode(e)) = check(&Value::assoc([("m", "1")])) else { panic!() };
/// assert!(matches!(e.kind(), DecodeErrorKind::Rule { rule: "n_required", .. }));
/// assert_eq!(e.path(), "n");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Malformed envelope.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A value that does not fit its Rust type, or breaks a rule.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A value the writer refused.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// OpenSRS refused the request.
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<crate::convert::RuleError> for Error {
    fn from(e: crate::convert::RuleError) -> Self {
        Error::Decode(e.into())
    }
}

impl From<ReplyError> for Error {
    fn from(e: ReplyError) -> Self {
        match e {
            ReplyError::Api(e) => Error::Api(e),
            ReplyError::Decode(e) => Error::Decode(e),
            ReplyError::Parse(e) => Error::Parse(e),
        }
    }
}

/// Shows protocol, action and object only: the items may hold secrets.
impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("protocol", &self.protocol)
            .field("action", &self.action)
            .field("object", &self.object)
            .finish_non_exhaustive()
    }
}

/// Shows the status only: the attributes may hold secrets.
impl fmt::Debug for Reply<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("object", &self.object)
            .field("action", &self.action)
            .field("is_success", &self.is_success())
            .field("response_code", &self.response_code)
            .field("response_text", &self.response_text)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.action, self.object, self.protocol)
    }
}

//! The registry's types: [`CommandInfo`] (one entry of
//! [`COMMANDS`](crate::COMMANDS)), lookup by action and object, and the
//! decoded values it hands out without naming their types.

use std::fmt;

use opensrs_core::{
    Command, DecodeError, Document, ParseError, ParseOptions, ReplyError, Value, WriteError,
    Writer, write_request,
};

use crate::COMMANDS;

/// One registered command: its names, its type, and its decoders and
/// encoders behind function pointers, so that code that knows a command
/// only by name (a command line, a simulator) can use it. An entry of
/// [`COMMANDS`](crate::COMMANDS); built by the registry only.
#[derive(Clone, Copy)]
pub struct CommandInfo {
    action: &'static str,
    object: &'static str,
    type_name: &'static str,
    reply_type_name: fn() -> &'static str,
    decode_request: fn(&Document<'_>) -> Result<Box<dyn DecodedRequest>, DecodeError>,
    decode_reply: for<'d> fn(&'d Document<'d>) -> Result<Box<dyn DecodedReply + 'd>, ReplyError>,
}

impl CommandInfo {
    /// The entry of command `C`, whose type is `type_name` (e.g.
    /// `domain::CheckTransfer`).
    pub(crate) const fn of<C: Registered>(type_name: &'static str) -> Self
    where
        for<'d> C::Response<'d>: fmt::Debug + MaybeSerialize,
    {
        CommandInfo {
            action: C::ACTION,
            object: C::OBJECT,
            type_name,
            reply_type_name: reply_type_name::<C>,
            decode_request: decode_request::<C>,
            decode_reply: decode_reply::<C>,
        }
    }

    /// The action, lower case, e.g. `check_transfer`.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The object, lower case, e.g. `domain`.
    pub fn object(&self) -> &'static str {
        self.object
    }

    /// The request type's path in this crate, e.g. `domain::CheckTransfer`.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The reply type's name, e.g. `CheckTransferReply`.
    pub fn reply_type_name(&self) -> &'static str {
        (self.reply_type_name)()
    }

    /// Decodes `doc` as a request of this command, its rules applied (a
    /// request for another action or object is an error).
    pub fn decode_request(
        &self,
        doc: &Document<'_>,
    ) -> Result<Box<dyn DecodedRequest>, DecodeError> {
        (self.decode_request)(doc)
    }

    /// Decodes `doc` as a reply to this command (`is_success` 0 is
    /// [`ReplyError::Api`]). The reply may borrow from `doc`.
    pub fn decode_reply<'d>(
        &self,
        doc: &'d Document<'d>,
    ) -> Result<Box<dyn DecodedReply + 'd>, ReplyError> {
        (self.decode_reply)(doc)
    }

    /// Builds a request of this command from its `attributes` (a dt_assoc):
    /// they are decoded by the typed request, so every rule of the command
    /// holds for what comes back, and an error names the key path
    /// (`attributes.domain_name`), without a position.
    ///
    /// ```
    /// use opensrs_core::Value;
    /// let cmd = opensrs_actions::find("send_password", Some("domain"))?;
    /// let req = cmd.build_request(&Value::assoc([("domain_name", "example.com")]))?;
    /// assert!(req.encode(false)?.contains(r#"<item key="object">domain</item>"#));
    /// let err = cmd.build_request(&Value::assoc([("send_to", "owner")])).unwrap_err();
    /// assert_eq!(err.to_string(), "missing required key `domain_name` (at attributes.domain_name)");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build_request(&self, attributes: &Value) -> Result<Box<dyn DecodedRequest>, BuildError> {
        let xml = write_request(self.action, self.object, Some(attributes), &[])
            .map_err(BuildError::Write)?;
        // What was just written parses; the limits are the caller's, who
        // built `attributes`.
        let options = ParseOptions {
            max_depth: usize::MAX,
            max_len: usize::MAX,
            max_nodes: usize::MAX,
        };
        let doc = options.parse_str(&xml).map_err(BuildError::Parse)?;
        self.decode_request(&doc).map_err(|e| {
            // A position in the envelope built here would mean nothing to
            // the caller: the key path says where.
            BuildError::Decode(DecodeError::detached(e.kind().clone(), e.path()))
        })
    }
}

impl fmt::Debug for CommandInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommandInfo")
            .field("action", &self.action)
            .field("object", &self.object)
            .field("type_name", &self.type_name)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for CommandInfo {
    /// `check_transfer on domain`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {}", self.action, self.object)
    }
}

/// Why [`CommandInfo::build_request`] built no request.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The attributes hold what XML cannot carry (a forbidden character).
    #[error(transparent)]
    Write(WriteError),
    /// The built envelope did not parse (should not happen).
    #[error(transparent)]
    Parse(ParseError),
    /// The typed request refused the attributes: a missing or malformed
    /// value, or a broken rule; the error has the key path, no position.
    #[error(transparent)]
    Decode(DecodeError),
}

/// Finds the command with `action` on `object` (both case-insensitive), or
/// with `action` alone when `object` is `None` and one command has it.
///
/// ```
/// use opensrs_actions::{LookupError, find};
/// assert_eq!(find("check_transfer", None)?.object(), "domain");
/// assert_eq!(find("SEND_PASSWORD", Some("Transfer"))?.type_name(), "transfer::SendPassword");
/// let err = find("send_password", None).unwrap_err();
/// assert!(matches!(err, LookupError::Ambiguous { .. }));
/// assert_eq!(err.to_string(),
///     "action `send_password` names 2 commands: give its object (transfer, domain)");
/// # Ok::<(), LookupError>(())
/// ```
pub fn find(action: &str, object: Option<&str>) -> Result<&'static CommandInfo, LookupError> {
    let mut with_action = COMMANDS
        .iter()
        .filter(|c| c.action.eq_ignore_ascii_case(action));
    let objects = || {
        COMMANDS
            .iter()
            .filter(|c| c.action.eq_ignore_ascii_case(action))
            .map(|c| c.object)
            .collect::<Vec<_>>()
    };
    match object {
        Some(object) => with_action
            .clone()
            .find(|c| c.object.eq_ignore_ascii_case(object))
            .ok_or_else(|| match with_action.next() {
                None => LookupError::UnknownAction {
                    action: action.to_owned(),
                },
                Some(_) => LookupError::UnknownObject {
                    action: action.to_owned(),
                    object: object.to_owned(),
                    objects: objects(),
                },
            }),
        None => match (with_action.next(), with_action.next()) {
            (Some(c), None) => Ok(c),
            (None, _) => Err(LookupError::UnknownAction {
                action: action.to_owned(),
            }),
            (Some(_), Some(_)) => Err(LookupError::Ambiguous {
                action: action.to_owned(),
                objects: objects(),
            }),
        },
    }
}

/// Why [`find`] found no command. The names looked up are kept as given;
/// [`Display`](fmt::Display) shows them escaped (control and bidi
/// characters as `\u{..}`, at most 64 characters of each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// No command has this action.
    UnknownAction {
        /// The action looked up.
        action: String,
    },
    /// Several commands have this action, and no object was given.
    Ambiguous {
        /// The action looked up.
        action: String,
        /// The objects of the commands that have it.
        objects: Vec<&'static str>,
    },
    /// No command has this action on this object.
    UnknownObject {
        /// The action looked up.
        action: String,
        /// The object looked up.
        object: String,
        /// The objects of the commands that have the action.
        objects: Vec<&'static str>,
    },
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::UnknownAction { action } => {
                let known: Vec<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
                write!(
                    f,
                    "no command has action `{}` (known: {})",
                    Escaped(action),
                    known.join(", ")
                )
            }
            LookupError::Ambiguous { action, objects } => write!(
                f,
                "action `{}` names {} commands: give its object ({})",
                Escaped(action),
                objects.len(),
                objects.join(", ")
            ),
            LookupError::UnknownObject {
                action,
                object,
                objects,
            } => write!(
                f,
                "no command has action `{}` on object `{}` (its objects: {})",
                Escaped(action),
                Escaped(object),
                objects.join(", ")
            ),
        }
    }
}

impl std::error::Error for LookupError {}

/// Shows a name as every error quotes input: control and bidi characters
/// escaped (one line that reads as it is stored), at most 64 characters.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&opensrs_core::__private::quote(self.0, 64))
    }
}

/// A request decoded by the registry: its type is the command's, behind
/// this trait.
pub trait DecodedRequest: fmt::Debug + private::Sealed {
    /// The request envelope: compact (the bytes to sign and send) or
    /// indented.
    fn encode(&self, pretty: bool) -> Result<String, WriteError>;

    /// Writes the request as JSON through serde (secrets as
    /// `"[redacted]"`), compact or pretty, without a trailing newline.
    #[cfg(feature = "serde")]
    fn write_json(&self, out: &mut dyn std::io::Write, pretty: bool) -> serde_json::Result<()>;
}

/// A reply decoded by the registry: its type is the command's reply type,
/// behind this trait. It may borrow from the reply document.
pub trait DecodedReply: fmt::Debug + private::Sealed {
    /// The reply envelope written back (`Command::encode_reply`): compact
    /// or indented.
    fn encode(&self, pretty: bool) -> Result<String, WriteError>;

    /// Writes the reply as JSON through serde (secrets as `"[redacted]"`),
    /// compact or pretty, without a trailing newline.
    #[cfg(feature = "serde")]
    fn write_json(&self, out: &mut dyn std::io::Write, pretty: bool) -> serde_json::Result<()>;
}

mod private {
    /// Only the registry's wrappers implement the decoded traits.
    pub trait Sealed {}
}

/// What a registered command's types must have; every `#[derive(Xcp)]`
/// command has it (`Serialize` with this crate's `serde` feature).
/// (Its reply type's bounds are repeated on each use: where clauses on an
/// associated type are not implied.)
pub(crate) trait Registered: Command + fmt::Debug + MaybeSerialize + 'static {}

impl<C> Registered for C where C: Command + fmt::Debug + MaybeSerialize + 'static {}

/// `serde::Serialize` with the `serde` feature; nothing without.
#[cfg(feature = "serde")]
pub(crate) trait MaybeSerialize: serde::Serialize {}
#[cfg(feature = "serde")]
impl<T: serde::Serialize + ?Sized> MaybeSerialize for T {}
/// `serde::Serialize` with the `serde` feature; nothing without.
#[cfg(not(feature = "serde"))]
pub(crate) trait MaybeSerialize {}
#[cfg(not(feature = "serde"))]
impl<T: ?Sized> MaybeSerialize for T {}

#[cfg(feature = "serde")]
fn write_json<T: serde::Serialize>(
    value: &T,
    out: &mut dyn std::io::Write,
    pretty: bool,
) -> serde_json::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(out, value)
    } else {
        serde_json::to_writer(out, value)
    }
}

/// A typed request behind [`DecodedRequest`].
struct Req<C>(C);
/// A typed reply behind [`DecodedReply`]; `C` is the command.
struct Rep<'d, C: Command>(C::Response<'d>);

impl<C> private::Sealed for Req<C> {}
impl<'d, C: Command> private::Sealed for Rep<'d, C> {}

impl<C: Registered> fmt::Debug for Req<C>
where
    for<'d> C::Response<'d>: fmt::Debug + MaybeSerialize,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'d, C: Registered> fmt::Debug for Rep<'d, C>
where
    for<'e> C::Response<'e>: fmt::Debug + MaybeSerialize,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<C: Registered> DecodedRequest for Req<C>
where
    for<'d> C::Response<'d>: fmt::Debug + MaybeSerialize,
{
    fn encode(&self, pretty: bool) -> Result<String, WriteError> {
        if pretty {
            self.0.encode_pretty()
        } else {
            self.0.encode()
        }
    }

    #[cfg(feature = "serde")]
    fn write_json(&self, out: &mut dyn std::io::Write, pretty: bool) -> serde_json::Result<()> {
        write_json(&self.0, out, pretty)
    }
}

impl<'d, C: Registered> DecodedReply for Rep<'d, C>
where
    for<'e> C::Response<'e>: fmt::Debug + MaybeSerialize,
{
    fn encode(&self, pretty: bool) -> Result<String, WriteError> {
        if !pretty {
            return C::encode_reply(&self.0);
        }
        let mut w = Writer::pretty(String::with_capacity(1024));
        C::encode_reply_to(&self.0, &mut w)?;
        w.finish()
    }

    #[cfg(feature = "serde")]
    fn write_json(&self, out: &mut dyn std::io::Write, pretty: bool) -> serde_json::Result<()> {
        write_json(&self.0, out, pretty)
    }
}

fn reply_type_name<C: Registered>() -> &'static str
where
    for<'d> C::Response<'d>: fmt::Debug + MaybeSerialize,
{
    let full = std::any::type_name::<C::Response<'static>>();
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}

fn decode_request<C: Registered>(doc: &Document<'_>) -> Result<Box<dyn DecodedRequest>, DecodeError>
where
    for<'d> C::Response<'d>: fmt::Debug + MaybeSerialize,
{
    Ok(Box::new(Req(C::decode_request(doc)?)))
}

fn decode_reply<'d, C: Registered>(
    doc: &'d Document<'d>,
) -> Result<Box<dyn DecodedReply + 'd>, ReplyError>
where
    for<'e> C::Response<'e>: fmt::Debug + MaybeSerialize,
{
    Ok(Box::new(Rep::<C>(C::decode_reply(doc)?)))
}

/// `a == b`, in a constant.
pub(crate) const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_is_one_pair_of_names() {
        for (i, a) in COMMANDS.iter().enumerate() {
            assert_eq!(a.action, a.action.to_ascii_lowercase());
            assert_eq!(a.object, a.object.to_ascii_lowercase());
            assert!(a.type_name.starts_with(&format!("{}::", a.object)), "{a:?}");
            for b in &COMMANDS[i + 1..] {
                assert!((a.action, a.object) != (b.action, b.object), "{a} twice");
            }
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(
            find("Check_Transfer", None).unwrap().type_name(),
            "domain::CheckTransfer"
        );
        assert_eq!(
            find("send_password", Some("DOMAIN")).unwrap().type_name(),
            "domain::SendPassword"
        );
        assert_eq!(
            find("send_password", Some("transfer"))
                .unwrap()
                .reply_type_name(),
            "StatusReply"
        );
        assert_eq!(
            find("nope\u{202E}\n", None).unwrap_err().to_string(),
            "no command has action `nope\\u{202E}\\n` (known: send_password on transfer, \
             send_password on domain, resend_trade_approval_notice on domain, \
             simple_transfer on domain, check_transfer on domain)"
        );
        assert_eq!(
            find("check_transfer", Some("transfer"))
                .unwrap_err()
                .to_string(),
            "no command has action `check_transfer` on object `transfer` (its objects: domain)"
        );
        assert_eq!(
            find("nope", Some("domain")).unwrap_err(),
            LookupError::UnknownAction {
                action: "nope".into()
            }
        );
        assert_eq!(
            find("send_password", None).unwrap_err(),
            LookupError::Ambiguous {
                action: "send_password".into(),
                objects: vec!["transfer", "domain"]
            }
        );
    }

    #[test]
    fn build_request_applies_the_rules() {
        let cmd = find("resend_trade_approval_notice", None).unwrap();
        let attrs = Value::assoc([
            ("domain", "example.com"),
            ("registrant_type", "new"),
            ("send_type", "SMS"),
        ]);
        let err = cmd.build_request(&attrs).unwrap_err();
        assert!(matches!(err, BuildError::Decode(ref e) if e.position().is_none()));
        assert_eq!(
            err.to_string(),
            "rule `sms_requires_current_registrant` broken: send_type SMS is only allowed when \
             registrant_type is current (at attributes.send_type)"
        );
        let attrs = Value::assoc([("domain", "a\u{1}.com")]);
        let err = find("check_transfer", None)
            .unwrap()
            .build_request(&attrs)
            .unwrap_err();
        assert!(matches!(err, BuildError::Write(_)), "{err:?}");
    }
}

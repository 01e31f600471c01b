//! Conversions between Rust values and dt_* values, in the spirit of serde's
//! `Serialize` / `Deserialize`: [`ToXcp`] writes a value straight through
//! the streaming [`Writer`] (no tree in between), [`FromXcp`] reads one from a
//! borrowed [`Node`] (zero-copy where the type borrows).
//!
//! | Rust | dt_* |
//! |---|---|
//! | `&str`, `String`, `Cow<str>`, [`Secret`](crate::secret::Secret) | text |
//! | `bool` | `1` / `0` (see [`bool`'s impl](#impl-FromXcp%3C'd%3E-for-bool)) |
//! | integers | decimal text; overflow and non-digits are errors |
//! | `rust_decimal::Decimal` (feature `decimal`) | decimal text (`8549.18`, `-1.5`, `0`), exact; an exponent or other text is an error; written with its scale, so `1.50` stays `1.50` (example on its `FromXcp` impl) |
//! | `Option<T>` | absent key ↔ `None` (as a struct field); an empty item is `Some("")`, not `None`; a `None` in a `Vec` or a map is a write error |
//! | `Vec<T>` | `dt_array` |
//! | `BTreeMap<String, T>`, `HashMap<String, T>` | `dt_assoc` |
//! | [`Value`](crate::Value) | any |
//!
//! ```
//! use opensrs_core::{FromXcp, ToXcp, parse, Header, Writer};
//!
//! let mut w = Writer::new(String::new());
//! w.start_envelope(&Header::default())?;
//! vec![1u32, 20, 300].write_xcp(&mut w)?;
//! let xml = w.finish()?;
//!
//! let doc = parse(xml.as_bytes())?;
//! let back = Vec::<u32>::from_xcp(doc.root())?;
//! assert_eq!(back, [1, 20, 300]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::doc::{Kind, Node};
use crate::error::{Position, WriteError};
use crate::write::{Sink, Writer};

/// Writes a Rust value as one dt_* value: the content of the open item, or
/// the whole `data_block`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written as a dt_* value",
    label = "`{Self}` does not implement `ToXcp`",
    note = "derive `Xcp` on it, implement `opensrs_core::ToXcp`, or use `#[xcp(with = module)]` on the field"
)]
pub trait ToXcp {
    /// Writes `self` through `w`.
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError>;

    /// Whether the value is absent: a struct field whose value is absent
    /// (`Option::None`) is not written at all.
    fn is_absent(&self) -> bool {
        false
    }
}

/// Reads a Rust value from a borrowed dt_* view.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a dt_* value",
    label = "`{Self}` does not implement `FromXcp`",
    note = "derive `Xcp` on it, implement `opensrs_core::FromXcp`, or use `#[xcp(with = module)]` on the field"
)]
pub trait FromXcp<'d>: Sized {
    /// Reads the value at `node`.
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError>;

    /// The value of an absent key, if the type has one (`Option` gives
    /// `None`); `None` here makes the key required.
    fn from_absent() -> Option<Self> {
        None
    }
}

/// A value that could not be read as the Rust type asked for: what was
/// expected, and where (line:column and key path).
///
/// ```
/// use opensrs_core::{FromXcp, parse};
/// let doc = parse(br#"<OPS_envelope><header><version>0.9</version></header><body><data_block>
/// <dt_assoc><item key="n">12x</item></dt_assoc></data_block></body></OPS_envelope>"#)?;
/// let err = u32::from_xcp(doc.root().get("n").unwrap()).unwrap_err();
/// assert_eq!(err.to_string(), "2:11: expected an integer (u32), found `12x` (at n)");
/// # Ok::<(), opensrs_core::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    kind: DecodeErrorKind,
    path: String,
    position: Option<Position>,
}

/// The kinds of [`DecodeError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// A required key is absent.
    #[error("missing required key `{0}`")]
    Missing(String),
    /// A value of another kind (e.g. text where a dt_assoc was expected).
    #[error("expected {expected}, found a {}", found.name())]
    WrongKind {
        /// What was expected.
        expected: &'static str,
        /// What was found.
        found: Kind,
    },
    /// Text that does not read as the type.
    #[error("expected {expected}, found `{found}`")]
    Invalid {
        /// What was expected, e.g. `an integer (u32)`.
        expected: &'static str,
        /// The text found.
        found: String,
    },
    /// `action` / `object` / `protocol` is not what this command expects.
    #[error("expected {what} `{expected}`, found `{found}`")]
    Mismatch {
        /// `action`, `object` or `protocol`.
        what: &'static str,
        /// The expected value.
        expected: String,
        /// The value found.
        found: String,
    },
    /// An item a typed request does not define: a typo such as
    /// `check_staus`, or a key of a nested dt_assoc that its type does not
    /// name (the key path says where).
    #[error("unknown item `{0}`: the request's type does not define it")]
    Unknown(String),
    /// A rule of the command was broken (e.g. "SMS only with the current
    /// registrant").
    #[error("rule `{rule}` broken: {message}")]
    Rule {
        /// A stable name of the rule.
        rule: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Any other problem, described.
    #[error("{0}")]
    Custom(String),
}

impl DecodeErrorKind {
    /// Quotes the text a kind carries as every error quotes input: a 1 MB
    /// `action` found where another was expected gives a line of at most
    /// a few hundred characters, escaped.
    fn bounded(mut self) -> Self {
        use crate::error::{MAX_QUOTE, MAX_RULE, quote};
        match &mut self {
            DecodeErrorKind::Invalid { found, .. } => *found = quote(found, MAX_QUOTE),
            DecodeErrorKind::Mismatch {
                expected, found, ..
            } => {
                *expected = quote(expected, MAX_QUOTE);
                *found = quote(found, MAX_QUOTE);
            }
            DecodeErrorKind::Missing(key) | DecodeErrorKind::Unknown(key) => {
                *key = quote(key, MAX_QUOTE)
            }
            DecodeErrorKind::Rule { message: m, .. } | DecodeErrorKind::Custom(m) => {
                // The command's own explanation, its quoted pieces already
                // bounded: room for a sentence that says what to do.
                if crate::error::needs_quote(m, MAX_RULE) {
                    *m = quote(m, MAX_RULE);
                }
            }
            DecodeErrorKind::WrongKind { .. } => {}
        }
        self
    }
}

impl DecodeError {
    /// An error about the value at `node`.
    ///
    /// When the node is a secret (its key path goes through one of
    /// [`SECRET_KEYS`](crate::secret::SECRET_KEYS)), the text `Invalid` and
    /// `Mismatch` quote is replaced by `[redacted]`; so it is in
    /// [`detached`](Self::detached).
    pub fn at(node: Node<'_>, kind: DecodeErrorKind) -> Self {
        let path = node.path();
        DecodeError {
            kind: redact_secret(kind, &path).bounded(),
            path: crate::error::bound_path(path),
            position: Some(node.position()),
        }
    }

    /// A required `key` missing from the dt_assoc at `container`.
    pub fn missing(container: Node<'_>, key: &str) -> Self {
        let mut path = container.key_path();
        path.push_path(key);
        DecodeError {
            kind: DecodeErrorKind::Missing(key.to_owned()).bounded(),
            path: crate::error::bound_path(path.into_string()),
            position: Some(container.position()),
        }
    }

    /// A value of the wrong kind at `node`.
    pub fn wrong_kind(node: Node<'_>, expected: &'static str) -> Self {
        Self::at(
            node,
            DecodeErrorKind::WrongKind {
                expected,
                found: node.kind(),
            },
        )
    }

    /// Text at `node` that does not read as `expected`.
    /// The text found is quoted up to 64 characters, escaped.
    pub fn invalid(node: Node<'_>, expected: &'static str) -> Self {
        let found = crate::error::quote(node.as_str().unwrap_or_default(), crate::error::MAX_QUOTE);
        Self::at(node, DecodeErrorKind::Invalid { expected, found })
    }

    /// An error with no position (e.g. a rule checked when a value is
    /// built), at key path `path`.
    pub fn detached(kind: DecodeErrorKind, path: impl Into<String>) -> Self {
        let path = path.into();
        DecodeError {
            kind: redact_secret(kind, &path).bounded(),
            path: crate::error::bound_path(path),
            position: None,
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }

    /// The key path of the value, e.g. `attributes.domain_list[3].auth_info`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Where the value starts in the input, when it came from one.
    pub fn position(&self) -> Option<Position> {
        self.position
    }
}

/// `kind` with the input text it quotes replaced by `[redacted]` when
/// `path` is a secret's. `Rule` and `Custom` messages are written by the
/// code that checks the value, which must not quote a secret in them.
fn redact_secret(mut kind: DecodeErrorKind, path: &str) -> DecodeErrorKind {
    if crate::secret::path_is_secret(path) {
        match &mut kind {
            DecodeErrorKind::Invalid { found, .. } | DecodeErrorKind::Mismatch { found, .. } => {
                crate::secret::REDACTED.clone_into(found);
            }
            _ => {}
        }
    }
    kind
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = self.position {
            write!(f, "{p}: ")?;
        }
        write!(f, "{}", self.kind)?;
        if !self.path.is_empty() {
            write!(f, " (at {})", self.path)?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

impl DecodeError {
    /// A broken rule found in the value decoded at `container`; the rule's
    /// own path (relative to `container`) picks the position reported.
    pub fn rule(container: Node<'_>, rule: RuleError) -> Self {
        let mut node = container;
        for seg in rule.path.split(['.', '[']).filter(|s| !s.is_empty()) {
            let next = match seg.strip_suffix(']') {
                Some(i) => i.parse().ok().and_then(|i| node.index(i)),
                None => node.get(seg),
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        let mut path = container.key_path();
        path.push_path(&rule.path);
        let path = path.into_string();
        DecodeError {
            kind: DecodeErrorKind::Rule {
                rule: rule.rule,
                message: rule.message,
            }
            .bounded(),
            path: crate::error::bound_path(path),
            position: Some(node.position()),
        }
    }
}

/// A rule of a command that a value breaks, found when the value is built
/// or decoded: which rule (a stable name), what is wrong, and the key path
/// of the offending value relative to the struct that checks it.
///
/// ```
/// use opensrs_core::convert::RuleError;
/// let e = RuleError::new("sms_requires_current_registrant", "attributes.send_type",
///     "send_type SMS is only allowed when registrant_type is current");
/// assert_eq!(e.rule(), "sms_requires_current_registrant");
/// assert_eq!(e.to_string(),
///     "send_type SMS is only allowed when registrant_type is current \
///      (rule `sms_requires_current_registrant`, at attributes.send_type)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (rule `{rule}`, at {path})")]
pub struct RuleError {
    rule: &'static str,
    path: String,
    message: String,
}

impl RuleError {
    /// A broken `rule` at `path`, described by `message`.
    pub fn new(rule: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        RuleError {
            rule,
            path: path.into(),
            message: message.into(),
        }
    }

    /// The rule's stable name.
    pub fn rule(&self) -> &'static str {
        self.rule
    }

    /// The key path of the offending value.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// A rule broken where no input was read (a value being built): a
/// [`DecodeError`] of kind [`Rule`](DecodeErrorKind::Rule) at the rule's
/// path, without a position. Found while decoding, a rule is reported with
/// [`DecodeError::rule`] instead, at the position of its value.
impl From<RuleError> for DecodeError {
    fn from(rule: RuleError) -> Self {
        DecodeError::detached(
            DecodeErrorKind::Rule {
                rule: rule.rule,
                message: rule.message,
            },
            rule.path,
        )
    }
}

/// The text of a scalar node, or a wrong-kind error.
pub fn text<'d>(node: Node<'d>) -> Result<&'d str, DecodeError> {
    node.as_str()
        .ok_or_else(|| DecodeError::wrong_kind(node, "text"))
}

/// Requires `node` to be a dt_assoc.
pub fn expect_assoc(node: Node<'_>) -> Result<(), DecodeError> {
    if node.kind() == Kind::Assoc {
        Ok(())
    } else {
        Err(DecodeError::wrong_kind(node, "a dt_assoc"))
    }
}

/// Requires `node` to be a dt_array.
pub fn expect_array(node: Node<'_>) -> Result<(), DecodeError> {
    if node.kind() == Kind::Array {
        Ok(())
    } else {
        Err(DecodeError::wrong_kind(node, "a dt_array"))
    }
}

mod impls;

pub(crate) use impls::write_assoc_items;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::doc::Header;

    fn write<T: ToXcp + ?Sized>(v: &T) -> Result<String, WriteError> {
        let mut w = Writer::new(String::new());
        w.start_envelope(&Header::default())?;
        v.write_xcp(&mut w)?;
        w.finish()
    }

    #[test]
    fn none_outside_a_struct_field_is_refused_not_emptied() {
        let err = write(&vec![Some("a".to_owned()), None]).unwrap_err();
        assert_eq!(err.path(), "[1]");
        let mut m = BTreeMap::new();
        m.insert("k".to_owned(), None::<String>);
        let err = write(&m).unwrap_err();
        assert_eq!(err.path(), "k");
    }

    #[test]
    fn integers_round_trip_at_their_limits() {
        let xml = write(&vec![i64::MIN, i64::MAX, 0]).unwrap();
        let doc = crate::parse_str(&xml).unwrap();
        assert_eq!(
            Vec::<i64>::from_xcp(doc.root()).unwrap(),
            [i64::MIN, i64::MAX, 0]
        );
        assert!(Vec::<u8>::from_xcp(doc.root()).is_err());
    }
}

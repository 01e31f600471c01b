//! Domain names: validated, and converted to their ASCII form.

use std::fmt;

mod idn;

use opensrs_core::{DecodeError, DecodeErrorKind, FromXcp, Node, Sink, ToXcp, WriteError, Writer};

/// The longest domain name, without a trailing dot.
const MAX_LEN: usize = 253;
/// The longest label.
const MAX_LABEL: usize = 63;

/// A domain name as sent to OpenSRS: at least two labels of letters,
/// digits and hyphens (no hyphen at either end of a label), labels of 1 to
/// 63 characters, 253 characters in all, a top-level label that is not all
/// digits.
///
/// The domain sent is the domain given:
///
/// - An ASCII name is kept exactly as given, case included (`Example.COM`
///   is sent as `Example.COM`; DNS names are case-insensitive). Its A-labels
///   (`xn--...`) must decode to a valid IDNA2008 label.
/// - A name with non-ASCII characters is converted to its ASCII form, with
///   A-labels (IDNA, UTS 46 ToASCII, with the `idna` crate), and so sent in
///   lower case: `bücher.example` is sent as `xn--bcher-kva.example`, and so
///   are `BÜCHER.example` and the decomposed (NFD) `bu\u{308}cher.example`.
///   This happens only when the UTS 46 mapping changes nothing but case and
///   NFC normalisation. A character the mapping would remove (soft hyphen
///   U+00AD, zero width space U+200B) or replace by another (full-width
///   `ｅ`, the Kelvin sign U+212A, the ideographic full stop U+3002) is
///   refused, with its position: another domain would be sent. So is every
///   character IDNA2008 (RFC 5892) disallows (symbols, emoji, punctuation,
///   ...) or allows only in a context that is not there (a middle dot
///   outside `l·l`, a zero width joiner or non-joiner outside the places
///   RFC 5892 permits them).
///
/// The same rules hold in [`new`](Self::new), [`FromStr`](std::str::FromStr)
/// and on decode.
///
/// ```
/// use opensrs_actions::{DomainName, DomainNameError};
/// assert_eq!(DomainName::new("example.com")?.as_str(), "example.com");
/// assert_eq!(DomainName::new("bücher.example")?.as_str(), "xn--bcher-kva.example");
/// assert_eq!(DomainName::new("BÜCHER.example")?.as_str(), "xn--bcher-kva.example");
/// assert!(DomainName::new("-bad.com").is_err());
/// assert!(DomainName::new("localhost").is_err());
/// assert!(DomainName::new("xn--zz.com").is_err()); // not a valid A-label
/// assert_eq!(
///     DomainName::new("exa\u{AD}mple.com"),
///     Err(DomainNameError::Removed { position: 4, ch: '\u{AD}' }),
/// );
/// assert_eq!(
///     DomainName::new("\u{212A}elvin.com").unwrap_err().to_string(),
///     "character 1 of the name, U+212A `\u{212A}`, would be sent as `k`: IDNA mapping \
///      (UTS 46) replaces it, and another domain would be sent (write `k` if that is the \
///      name you mean)",
/// );
/// # Ok::<(), opensrs_actions::DomainNameError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DomainName(String);

/// Why a text is not a domain name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainNameError {
    /// The empty text.
    #[error("a domain name cannot be empty")]
    Empty,
    /// Longer than 253 characters.
    #[error("domain name is {0} characters long, more than 253")]
    TooLong(usize),
    /// Two dots in a row, or a dot at either end.
    #[error("domain name has an empty label (a dot at an end, or two in a row)")]
    EmptyLabel,
    /// A label longer than 63 characters.
    #[error("label `{0}` is longer than 63 characters")]
    LabelTooLong(String),
    /// A character other than a letter, digit or hyphen.
    #[error("label `{label}` holds `{ch}`: only letters, digits and hyphens are allowed")]
    InvalidChar {
        /// The label.
        label: String,
        /// The character.
        ch: char,
    },
    /// A label that starts or ends with a hyphen.
    #[error("label `{0}` starts or ends with a hyphen")]
    HyphenAtEdge(String),
    /// A single label: no top-level domain.
    #[error("`{0}` has no top-level domain")]
    SingleLabel(String),
    /// A top-level label made of digits only.
    #[error("top-level label `{0}` is all digits")]
    NumericTld(String),
    /// The internationalised name cannot be converted to ASCII.
    #[error("`{0}` is not a valid internationalised domain name")]
    Idna(String),
    /// A character that IDNA mapping (UTS 46) would remove: another domain
    /// would be sent.
    #[error(
        "character {position} of the name, {}, would be removed by IDNA mapping (UTS 46), \
         and another domain would be sent: leave it out",
        idn::show_char(*.ch)
    )]
    Removed {
        /// Its position in the name, in characters, from 1.
        position: usize,
        /// The character.
        ch: char,
    },
    /// A character that IDNA mapping (UTS 46) would replace with another
    /// text (not just its lower case): another domain would be sent.
    #[error(
        "character {position} of the name, {}, would be sent as {}: IDNA mapping (UTS 46) \
         replaces it, and another domain would be sent (write {} if that is the name you mean)",
        idn::show_char(*.ch),
        idn::show_text(.to),
        idn::show_text(.to)
    )]
    Rewritten {
        /// Its position in the name, in characters, from 1.
        position: usize,
        /// The character.
        ch: char,
        /// What the mapping makes of it.
        to: String,
    },
    /// A character that IDNA (UTS 46, or IDNA2008 as RFC 5892 derives it)
    /// does not allow in a domain name.
    #[error(
        "character {position} of the name, {}, is not allowed in a domain name: {reason}",
        idn::show_char(*.ch)
    )]
    Disallowed {
        /// Its position in the name, in characters, from 1.
        position: usize,
        /// The character.
        ch: char,
        /// Why.
        reason: &'static str,
    },
    /// A character that IDNA2008 allows only in a context (RFC 5892
    /// CONTEXTJ and CONTEXTO rules) that is not there.
    #[error(
        "character {position} of the name, {}, is not allowed where it is: {rule}",
        idn::show_char(*.ch)
    )]
    Context {
        /// Its position in the name, in characters, from 1.
        position: usize,
        /// The character.
        ch: char,
        /// The rule, in words.
        rule: &'static str,
    },
    /// An A-label (`xn--...`) that decodes to a label IDNA2008 does not
    /// allow.
    #[error(
        "A-label `{label}` stands for a label whose character {position}, {}, is not allowed: \
         {reason}",
        idn::show_char(*.ch)
    )]
    ALabel {
        /// The A-label, as given.
        label: String,
        /// The position of the character in the decoded label, from 1.
        position: usize,
        /// The character.
        ch: char,
        /// Why.
        reason: &'static str,
    },
}

impl DomainName {
    /// Validates `name`, converting an internationalised one to ASCII (see
    /// the type's documentation for the rules).
    pub fn new(name: &str) -> Result<Self, DomainNameError> {
        if name.is_empty() {
            return Err(DomainNameError::Empty);
        }
        // No valid name is this long even in Unicode form (IDNA never
        // shortens a label below a quarter): refuse before converting, so an
        // error never quotes a huge input.
        if name.len() > 4 * MAX_LEN {
            return Err(DomainNameError::TooLong(name.chars().count()));
        }
        let ascii = if name.is_ascii() {
            name.to_owned()
        } else {
            idn::to_ascii(name)?
        };
        check_ascii(&ascii)?;
        // A-labels (`xn--...`), given or made: they must decode to a valid
        // IDNA2008 label, or the registry would refuse them.
        idn::check_a_labels(&ascii, name)?;
        Ok(DomainName(ascii))
    }

    /// The ASCII form, as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Unicode form, for display (`xn--bcher-kva.example` → `bücher.example`).
    pub fn to_unicode(&self) -> String {
        idna::domain_to_unicode(&self.0).0
    }
}

fn check_ascii(name: &str) -> Result<(), DomainNameError> {
    if name.len() > MAX_LEN {
        return Err(DomainNameError::TooLong(name.len()));
    }
    let labels: Vec<&str> = name.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Err(DomainNameError::EmptyLabel);
        }
        if label.len() > MAX_LABEL {
            return Err(DomainNameError::LabelTooLong((*label).to_owned()));
        }
        if let Some(ch) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(DomainNameError::InvalidChar {
                label: (*label).to_owned(),
                ch,
            });
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(DomainNameError::HyphenAtEdge((*label).to_owned()));
        }
    }
    match labels.last() {
        _ if labels.len() < 2 => Err(DomainNameError::SingleLabel(name.to_owned())),
        Some(tld) if tld.bytes().all(|b| b.is_ascii_digit()) => {
            Err(DomainNameError::NumericTld((*tld).to_owned()))
        }
        _ => Ok(()),
    }
}

impl fmt::Debug for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DomainName({:?})", self.0)
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for DomainName {
    type Err = DomainNameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DomainName::new(s)
    }
}

impl ToXcp for DomainName {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.scalar(&self.0)
    }
}

impl<'d> FromXcp<'d> for DomainName {
    /// Validates as [`DomainName::new`] does; an invalid name is a
    /// [`DecodeErrorKind::Rule`] error named `domain_name` at its key path.
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        let text = opensrs_core::convert::text(node)?;
        DomainName::new(text).map_err(|e| {
            DecodeError::at(
                node,
                DecodeErrorKind::Rule {
                    rule: "domain_name",
                    message: e.to_string(),
                },
            )
        })
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for DomainName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

//! Domain names: validated, and converted to their ASCII form.

use std::fmt;

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
/// An internationalised name is converted to its ASCII form (IDNA, UTS 46)
/// with the `idna` crate: `bücher.example` is sent as
/// `xn--bcher-kva.example`. An ASCII name is kept exactly as given, case
/// included.
///
/// ```
/// use opensrs_actions::DomainName;
/// assert_eq!(DomainName::new("example.com")?.as_str(), "example.com");
/// assert_eq!(DomainName::new("bücher.example")?.as_str(), "xn--bcher-kva.example");
/// assert!(DomainName::new("-bad.com").is_err());
/// assert!(DomainName::new("localhost").is_err());
/// assert!(DomainName::new("xn--zz.com").is_err()); // not a valid A-label
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
}

impl DomainName {
    /// Validates `name`, converting an internationalised one to ASCII.
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
            idna::domain_to_ascii_strict(name)
                .map_err(|_| DomainNameError::Idna(name.to_owned()))?
        };
        check_ascii(&ascii)?;
        // An ASCII name may still carry A-labels (`xn--...`): they must
        // decode as IDNA, or the registry would refuse them.
        let has_a_label = ascii
            .split('.')
            .any(|l| l.len() >= 4 && l[..4].eq_ignore_ascii_case("xn--"));
        if has_a_label && idna::domain_to_unicode(&ascii).1.is_err() {
            return Err(DomainNameError::Idna(name.to_owned()));
        }
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

//! Phone numbers in OpenSRS form.

use std::fmt;

use opensrs_core::{DecodeError, DecodeErrorKind, FromXcp, Node, Sink, ToXcp, WriteError, Writer};

/// A phone number in OpenSRS form `+CC.NNNN…`: `+`, a country code 1 to 999
/// (1 to 3 digits, no leading zero: ITU-T E.164 country codes never start
/// with 0), a dot, then 4 to 14 digits, optionally followed by `x` and an
/// extension of 1 to 6 digits. The same rules hold on decode.
///
/// ```
/// use opensrs_actions::PhoneNumber;
/// assert!(PhoneNumber::new("+1.2602180057").is_ok());
/// assert!(PhoneNumber::new("+44.2071234567x12").is_ok());
/// assert!(PhoneNumber::new("260-218-0057").is_err());
/// assert!(PhoneNumber::new("+0.2602180057").is_err());
/// assert!(PhoneNumber::new("+01.2602180057").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

/// A text that is not in OpenSRS phone form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a phone number in OpenSRS form +CC.NNNN (e.g. +1.4165550123)")]
pub struct PhoneNumberError(pub String);

fn digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

impl PhoneNumber {
    /// Checks the form.
    pub fn new(number: &str) -> Result<Self, PhoneNumberError> {
        // A valid number is at most 1+3+1+14+1+6 characters: quote no more
        // than a little over that in the error, escaped by the one helper.
        let bad = || PhoneNumberError(opensrs_core::__private::quote(number, 40));
        let rest = number.strip_prefix('+').ok_or_else(bad)?;
        let (cc, local) = rest.split_once('.').ok_or_else(bad)?;
        let (local, ext) = match local.split_once('x') {
            Some((l, e)) => (l, Some(e)),
            None => (local, None),
        };
        // A country code from 1 to 999, written without a leading zero.
        let country_code = digits(cc, 1, 3) && !cc.starts_with('0');
        if !country_code || !digits(local, 4, 14) || ext.is_some_and(|e| !digits(e, 1, 6)) {
            return Err(bad());
        }
        Ok(PhoneNumber(number.to_owned()))
    }

    /// The number as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({:?})", self.0)
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for PhoneNumber {
    type Err = PhoneNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PhoneNumber::new(s)
    }
}

impl ToXcp for PhoneNumber {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.scalar(&self.0)
    }
}

impl<'d> FromXcp<'d> for PhoneNumber {
    /// A malformed number is a [`DecodeErrorKind::Rule`] error named
    /// `phone_number_format`.
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        let text = opensrs_core::convert::text(node)?;
        PhoneNumber::new(text).map_err(|e| {
            DecodeError::at(
                node,
                DecodeErrorKind::Rule {
                    rule: "phone_number_format",
                    message: e.to_string(),
                },
            )
        })
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for PhoneNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

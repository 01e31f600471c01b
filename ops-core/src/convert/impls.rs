//! The impls of [`ToXcp`](super::ToXcp) and [`FromXcp`](super::FromXcp)
//! for the standard types: text, bool, integers, `Option`, `Vec`, maps and
//! the owned value types.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use super::{DecodeError, FromXcp, ToXcp, expect_array, expect_assoc, text};
use crate::doc::Node;
use crate::error::WriteError;
use crate::secret::Secret;
use crate::value::Value;
use crate::write::{Sink, Writer};

// `convert/decimal.rs`, declared here to keep `convert/mod.rs` to the traits.
#[cfg(feature = "decimal")]
#[path = "decimal.rs"]
mod decimal;

// ---- text ----------------------------------------------------------------

impl ToXcp for str {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.scalar(self)
    }
}

impl<T: ToXcp + ?Sized> ToXcp for &T {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        (**self).write_xcp(w)
    }
    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
}

impl<T: ToXcp + ?Sized> ToXcp for Box<T> {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        (**self).write_xcp(w)
    }
    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
}

impl ToXcp for String {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.scalar(self)
    }
}

impl ToXcp for Cow<'_, str> {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.scalar(self)
    }
}

impl ToXcp for Secret {
    /// Writes the secret's text byte for byte (escaped as XML requires).
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.scalar(self.expose())
    }
}

impl<'d> FromXcp<'d> for &'d str {
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        text(node)
    }
}

impl<'d> FromXcp<'d> for Cow<'d, str> {
    /// Always borrowed: the document owns any decoded text.
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        text(node).map(Cow::Borrowed)
    }
}

impl<'d> FromXcp<'d> for String {
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        text(node).map(str::to_owned)
    }
}

impl<'d> FromXcp<'d> for Secret {
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        text(node).map(Secret::from)
    }
}

// ---- bool ----------------------------------------------------------------

impl ToXcp for bool {
    /// Writes `1` or `0`, as the protocol does.
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.scalar(if *self { "1" } else { "0" })
    }
}

impl<'d> FromXcp<'d> for bool {
    /// Reads `1` / `0`, the protocol's booleans. Older replies and the Perl
    /// codec also carry `Y` / `N`, `yes` / `no` and `true` / `false` (any
    /// case), which are accepted too. Anything else, the empty text included,
    /// is an error: a boolean is never guessed.
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        let t = text(node)?;
        match t {
            "1" => Ok(true),
            "0" => Ok(false),
            _ if ["y", "yes", "true"]
                .iter()
                .any(|s| t.eq_ignore_ascii_case(s)) =>
            {
                Ok(true)
            }
            _ if ["n", "no", "false"]
                .iter()
                .any(|s| t.eq_ignore_ascii_case(s)) =>
            {
                Ok(false)
            }
            _ => Err(DecodeError::invalid(
                node,
                "a boolean (1 or 0; Y/N, yes/no and true/false are read too)",
            )),
        }
    }
}

// ---- integers ------------------------------------------------------------

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToXcp for $t {
            /// Decimal digits (with `-` when negative), formatted by `itoa`
            /// without allocating.
            fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
                w.scalar(itoa::Buffer::new().format(*self))
            }
        }

        impl<'d> FromXcp<'d> for $t {
            /// Decimal digits, with a leading `-` for a negative number of a
            /// signed type. No `+`, no spaces, no other base.
            fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
                let t = text(node)?;
                let digits = t.strip_prefix('-').unwrap_or(t);
                let expected = concat!("an integer (", stringify!($t), ")");
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(DecodeError::invalid(node, expected));
                }
                t.parse::<$t>().map_err(|_| DecodeError::invalid(
                    node,
                    concat!("an integer in the range of ", stringify!($t)),
                ))
            }
        }
    )*};
}

integers!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
);

// ---- Option --------------------------------------------------------------

impl<T: ToXcp> ToXcp for Option<T> {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        match self {
            Some(v) => v.write_xcp(w),
            // A struct field skips None (is_absent). Anywhere else (an
            // element of a Vec, a map value) None has no dt_* form: an empty
            // item would read back as Some(""), and leaving the key out would
            // drop it, so refuse.
            None => Err(WriteError::new(crate::error::WriteErrorKind::Misuse(
                "None has no dt_* form outside a struct field",
            ))),
        }
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<'d, T: FromXcp<'d>> FromXcp<'d> for Option<T> {
    /// A present key, even an empty item, is `Some`.
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        T::from_xcp(node).map(Some)
    }
    fn from_absent() -> Option<Self> {
        Some(None)
    }
}

// ---- Vec -----------------------------------------------------------------

impl<T: ToXcp> ToXcp for [T] {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.start_array()?;
        for (i, v) in self.iter().enumerate() {
            w.start_element()?;
            v.write_xcp(w).map_err(|e| e.in_index(i))?;
            w.end_item()?;
        }
        w.end_array()
    }
}

impl<T: ToXcp> ToXcp for Vec<T> {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        self.as_slice().write_xcp(w)
    }
}

impl<'d, T: FromXcp<'d>> FromXcp<'d> for Vec<T> {
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        expect_array(node)?;
        node.iter().map(T::from_xcp).collect()
    }
}

// ---- maps ----------------------------------------------------------------

fn write_map<'a, S: Sink, T: ToXcp + 'a>(
    w: &mut Writer<S>,
    items: impl Iterator<Item = (&'a String, &'a T)>,
) -> Result<(), WriteError> {
    w.start_assoc()?;
    for (k, v) in items {
        w.start_item(k)?;
        v.write_xcp(w).map_err(|e| e.in_key(k))?;
        w.end_item()?;
    }
    w.end_assoc()
}

impl<T: ToXcp> ToXcp for BTreeMap<String, T> {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        write_map(w, self.iter())
    }
}

impl<T: ToXcp, H: BuildHasher> ToXcp for HashMap<String, T, H> {
    /// Items are written in the map's iteration order.
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        write_map(w, self.iter())
    }
}

impl<'d, T: FromXcp<'d>> FromXcp<'d> for BTreeMap<String, T> {
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        expect_assoc(node)?;
        node.iter()
            .map(|n| Ok((n.key().to_owned(), T::from_xcp(n)?)))
            .collect()
    }
}

impl<'d, T: FromXcp<'d>, H: BuildHasher + Default> FromXcp<'d> for HashMap<String, T, H> {
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        expect_assoc(node)?;
        node.iter()
            .map(|n| Ok((n.key().to_owned(), T::from_xcp(n)?)))
            .collect()
    }
}

// ---- Value ---------------------------------------------------------------

impl ToXcp for Value {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.value(self)
    }
}

impl<'d> FromXcp<'d> for Value {
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        Ok(node.to_value())
    }
}

/// Writes the items of an owned dt_assoc into the open dt_assoc.
pub(crate) fn write_assoc_items<S: Sink>(
    a: &crate::value::Assoc,
    w: &mut Writer<S>,
) -> Result<(), WriteError> {
    for (k, item) in a.iter() {
        match &item.class {
            Some(c) => w.start_item_with_class(k, c)?,
            None => w.start_item(k)?,
        }
        w.value(&item.value).map_err(|e| e.in_key(k))?;
        w.end_item()?;
    }
    Ok(())
}

impl ToXcp for crate::value::Assoc {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.start_assoc()?;
        write_assoc_items(self, w)?;
        w.end_assoc()
    }
}

impl<'d> FromXcp<'d> for crate::value::Assoc {
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        match node.to_value() {
            Value::Assoc(a) => Ok(a),
            _ => Err(DecodeError::wrong_kind(node, "a dt_assoc")),
        }
    }
}

impl ToXcp for crate::value::Array {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.start_array()?;
        for (i, item) in self.iter().enumerate() {
            match &item.class {
                Some(c) => w.start_element_with_class(c)?,
                None => {
                    w.start_element()?;
                }
            }
            w.value(&item.value).map_err(|e| e.in_index(i))?;
            w.end_item()?;
        }
        w.end_array()
    }
}

impl<'d> FromXcp<'d> for crate::value::Array {
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        match node.to_value() {
            Value::Array(a) => Ok(a),
            _ => Err(DecodeError::wrong_kind(node, "a dt_array")),
        }
    }
}

impl<'d> FromXcp<'d> for Node<'d> {
    /// The view itself: for fields decoded by hand later.
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        Ok(node)
    }
}

/// A borrowed value writes as the owned [`Value`] it copies to would, with
/// its items' classes, without copying it: re-emitting a parsed document
/// needs no owned tree.
///
/// ```
/// use opensrs_core::{Header, ToXcp, Writer, parse};
/// let doc = parse(br#"<OPS_envelope><header><version>0.9</version></header><body><data_block>
/// <dt_array><item key="1">b</item><item key="0" class="C">a</item></dt_array>
/// </data_block></body></OPS_envelope>"#)?;
/// let mut w = Writer::new(String::new());
/// w.start_envelope(&Header::default())?;
/// doc.root().write_xcp(&mut w)?;
/// let xml = w.finish()?;
/// assert!(xml.contains(r#"<dt_array><item key="0" class="C">a</item><item key="1">b</item></dt_array>"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl ToXcp for Node<'_> {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        crate::walk::walk(*self, &mut crate::walk::ToWriter::new(w))
    }
}

/// What a `response_code` must be: the range [`ResponseCode`] holds.
///
/// [`ResponseCode`]: crate::code::ResponseCode
const RESPONSE_CODE: &str = "a response code (a whole number from 0 to 65535)";

impl<'d> FromXcp<'d> for crate::code::ResponseCode {
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        text(node)?
            .parse()
            .map_err(|_| DecodeError::invalid(node, RESPONSE_CODE))
    }
}

impl ToXcp for crate::code::ResponseCode {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        self.as_u16().write_xcp(w)
    }
}

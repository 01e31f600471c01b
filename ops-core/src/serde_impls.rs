//! `serde::Serialize` impls (feature `serde`), for printing typed values as
//! JSON: values keep their shape (dt_assoc → map in order, dt_array → seq,
//! text → string), response codes are numbers, and secrets are redacted:
//! a [`Secret`] and the value of every item whose key is a
//! [secret key](crate::secret::SECRET_KEYS) (at any depth) serialize as
//! `"[redacted]"`. (`opensrs decode` does not print values through these
//! impls: it writes the user's own document as JSON in full.)

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::code::ResponseCode;
use crate::secret::Secret;
use crate::value::{Array, Assoc, Value};

impl Serialize for Value {
    /// Recursive: bounded by the parser's `max_depth` for parsed values.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Scalar(t) | Value::ScalarRef(t) => s.serialize_str(t),
            Value::Assoc(a) => a.serialize(s),
            Value::Array(a) => a.serialize(s),
        }
    }
}

impl Serialize for Assoc {
    /// A map in document order; the value of an item under a secret key is
    /// `"[redacted]"`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.len()))?;
        for (k, item) in self.iter() {
            serialize_entry(&mut m, k, &item.value)?;
        }
        m.end()
    }
}

/// Adds `key: value` to `m`, or `key: "[redacted]"` when `key` is a
/// [secret key](crate::secret::is_secret_key).
pub(crate) fn serialize_entry<M: SerializeMap, V: Serialize + ?Sized>(
    m: &mut M,
    key: &str,
    value: &V,
) -> Result<(), M::Error> {
    if crate::secret::is_secret_key(key) {
        m.serialize_entry(key, crate::secret::REDACTED)
    } else {
        m.serialize_entry(key, value)
    }
}

impl Serialize for Array {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut q = s.serialize_seq(Some(self.len()))?;
        for item in self.iter() {
            q.serialize_element(&item.value)?;
        }
        q.end()
    }
}

impl Serialize for ResponseCode {
    /// The number.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(self.as_u16())
    }
}

impl Serialize for Secret {
    /// `"[redacted]"`, never the value.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(crate::secret::REDACTED)
    }
}

impl Serialize for crate::__private::Redacted {
    /// `"[redacted]"`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(crate::secret::REDACTED)
    }
}

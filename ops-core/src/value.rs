//! The owned value model, for building values and for dynamic use.

use std::fmt;

use indexmap::IndexMap;

/// An owned dt_* value.
///
/// Item text and `dt_scalar` are the same value ([`Value::Scalar`]): the
/// writer emits plain item text, and `dt_scalar` only where a scalar is the
/// whole `data_block`. `dt_scalarref` stays distinct.
///
/// ```
/// use opensrs_core::Value;
/// let v = Value::assoc([
///     ("domain", Value::from("example.com")),
///     ("list", Value::array(["a", "b"])),
/// ]);
/// assert_eq!(v.get("domain").and_then(Value::as_str), Some("example.com"));
/// assert_eq!(v.get("list").and_then(|l| l.index(1)).and_then(Value::as_str), Some("b"));
/// ```
///
/// `Debug` prints `[redacted]` for the value of every item whose key is a
/// [secret key](crate::secret::SECRET_KEYS), at any depth:
///
/// ```
/// use opensrs_core::Value;
/// let v = Value::assoc([("user", Value::assoc([("password", "hunter2")]))]);
/// let debug = format!("{v:?}");
/// assert!(debug.contains("[redacted]") && !debug.contains("hunter2"), "{debug}");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub enum Value {
    /// Text.
    Scalar(String),
    /// A `dt_scalarref`.
    ScalarRef(String),
    /// A `dt_assoc`.
    Assoc(Assoc),
    /// A `dt_array`.
    Array(Array),
}

impl Value {
    /// A dt_assoc from `(key, value)` pairs; a later duplicate key replaces
    /// the earlier value in place.
    pub fn assoc<K: Into<String>, V: Into<Value>>(
        items: impl IntoIterator<Item = (K, V)>,
    ) -> Value {
        let mut a = Assoc::new();
        for (k, v) in items {
            a.insert(k, v);
        }
        Value::Assoc(a)
    }

    /// A dt_array from values, indexed `0..n` in order.
    pub fn array<V: Into<Value>>(items: impl IntoIterator<Item = V>) -> Value {
        let mut a = Array::new();
        for v in items {
            a.push(v);
        }
        Value::Array(a)
    }

    /// The text of a scalar or scalar ref.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Scalar(s) | Value::ScalarRef(s) => Some(s),
            _ => None,
        }
    }

    /// The dt_assoc, if this is one.
    pub fn as_assoc(&self) -> Option<&Assoc> {
        match self {
            Value::Assoc(a) => Some(a),
            _ => None,
        }
    }

    /// The dt_array, if this is one.
    pub fn as_array(&self) -> Option<&Array> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The value under `key` of a dt_assoc.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_assoc().and_then(|a| a.get(key))
    }

    /// The element `i` of a dt_array.
    pub fn index(&self, i: usize) -> Option<&Value> {
        self.as_array().and_then(|a| a.get(i))
    }

    /// The kind of value.
    pub fn kind(&self) -> crate::Kind {
        match self {
            Value::Scalar(_) => crate::Kind::Scalar,
            Value::ScalarRef(_) => crate::Kind::ScalarRef,
            Value::Assoc(_) => crate::Kind::Assoc,
            Value::Array(_) => crate::Kind::Array,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Scalar(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Scalar(s)
    }
}

impl From<Assoc> for Value {
    fn from(a: Assoc) -> Self {
        Value::Assoc(a)
    }
}

impl From<Array> for Value {
    fn from(a: Array) -> Self {
        Value::Array(a)
    }
}

/// An item's value with its optional `class` attribute (a Perl class name).
#[derive(Clone, PartialEq, Eq)]
pub struct Item {
    /// The `class` attribute, if any.
    pub class: Option<String>,
    /// The value.
    pub value: Value,
}

impl From<Value> for Item {
    fn from(value: Value) -> Self {
        Item { class: None, value }
    }
}

/// An owned dt_assoc: unique keys, kept in insertion (document) order.
///
/// Iteration and writing follow that order; equality ignores it, as the
/// protocol does (decode(encode(M)) == M up to order).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Assoc {
    items: IndexMap<String, Item>,
}

impl Assoc {
    /// An empty dt_assoc.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty dt_assoc with room for `n` items.
    pub fn with_capacity(n: usize) -> Self {
        Assoc {
            items: IndexMap::with_capacity(n),
        }
    }

    /// Sets `key` to `value` (no class); returns the previous item, whose
    /// place the new value takes.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Item> {
        self.insert_item(key.into(), Item::from(value.into()))
    }

    /// Sets `key` to `item`; returns the previous item.
    pub fn insert_item(&mut self, key: String, item: Item) -> Option<Item> {
        self.items.insert(key, item)
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.items.get(key).map(|i| &i.value)
    }

    /// The item (value and class) under `key`.
    pub fn get_item(&self, key: &str) -> Option<&Item> {
        self.items.get(key)
    }

    /// Removes `key`, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<Item> {
        self.items.shift_remove(key)
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn raw_iter(&self) -> indexmap::map::Iter<'_, String, Item> {
        self.items.iter()
    }

    /// Items in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &Item)> + ExactSizeIterator {
        self.items.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Assoc {
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        let mut a = Assoc::new();
        for (k, v) in iter {
            a.insert(k, v);
        }
        a
    }
}

/// Drops nested containers through the one tree walk (`walk` module): the derived
/// drop would recurse once per level, and overflow the stack on a value
/// built from a deep document (parsed with a raised `max_depth`).
impl Drop for Assoc {
    fn drop(&mut self) {
        if self.items.values().any(|i| i.value.has_children()) {
            crate::walk::dismantle(Value::Assoc(Assoc {
                items: std::mem::take(&mut self.items),
            }));
        }
    }
}

impl Assoc {
    /// Takes the items out, leaving the dt_assoc empty.
    pub(crate) fn take_items(&mut self) -> indexmap::map::IntoIter<String, Item> {
        std::mem::take(&mut self.items).into_iter()
    }
}

impl Value {
    /// Whether this is a container holding at least one item.
    fn has_children(&self) -> bool {
        match self {
            Value::Assoc(a) => !a.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Scalar(_) | Value::ScalarRef(_) => false,
        }
    }
}

/// Debug output in the shape a derive would give (`Assoc(Assoc { items:
/// {"k": Item { class: None, value: Scalar("v") }} })`), with the value of
/// every item under a secret key printed as `[redacted]`.
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Scalar(t) => f.debug_tuple("Scalar").field(t).finish(),
            Value::ScalarRef(t) => f.debug_tuple("ScalarRef").field(t).finish(),
            Value::Assoc(a) => f.debug_tuple("Assoc").field(a).finish(),
            Value::Array(a) => f.debug_tuple("Array").field(a).finish(),
        }
    }
}

impl fmt::Debug for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Item")
            .field("class", &self.class)
            .field("value", &self.value)
            .finish()
    }
}

/// An item under a secret key: its class, and `[redacted]` for its value.
struct SecretItem<'a>(&'a Item);

impl fmt::Debug for SecretItem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Item")
            .field("class", &self.0.class)
            .field("value", &format_args!("{}", crate::secret::REDACTED))
            .finish()
    }
}

/// The items of an [`Assoc`], secret ones redacted.
struct AssocItems<'a>(&'a Assoc);

impl fmt::Debug for AssocItems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, item) in self.0.iter() {
            if crate::secret::is_secret_key(k) {
                m.entry(&k, &SecretItem(item));
            } else {
                m.entry(&k, item);
            }
        }
        m.finish()
    }
}

impl fmt::Debug for Assoc {
    /// Prints `[redacted]` for the value of an item whose key is a
    /// [secret key](crate::secret::SECRET_KEYS).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Assoc")
            .field("items", &AssocItems(self))
            .finish()
    }
}

impl fmt::Debug for Array {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Array").field("items", &self.items).finish()
    }
}

/// An owned dt_array: elements indexed `0..len`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Array {
    items: Vec<Item>,
}

impl Array {
    /// An empty dt_array.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty dt_array with room for `n` elements.
    pub fn with_capacity(n: usize) -> Self {
        Array {
            items: Vec::with_capacity(n),
        }
    }

    /// Appends a value (no class).
    pub fn push(&mut self, value: impl Into<Value>) {
        self.items.push(Item::from(value.into()));
    }

    /// Appends an item.
    pub fn push_item(&mut self, item: Item) {
        self.items.push(item);
    }

    /// The value at `i`.
    pub fn get(&self, i: usize) -> Option<&Value> {
        self.items.get(i).map(|i| &i.value)
    }

    /// The item (value and class) at `i`.
    pub fn get_item(&self, i: usize) -> Option<&Item> {
        self.items.get(i)
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Elements in index order.
    pub fn iter(&self) -> std::slice::Iter<'_, Item> {
        self.items.iter()
    }
}

/// Drops nested containers through the one tree walk (`walk` module), as a dt_assoc does.
impl Drop for Array {
    fn drop(&mut self) {
        if self.items.iter().any(|i| i.value.has_children()) {
            crate::walk::dismantle(Value::Array(Array {
                items: std::mem::take(&mut self.items),
            }));
        }
    }
}

impl Array {
    /// Takes the items out, leaving the dt_array empty.
    pub(crate) fn take_items(&mut self) -> std::vec::IntoIter<Item> {
        std::mem::take(&mut self.items).into_iter()
    }
}

impl<V: Into<Value>> FromIterator<V> for Array {
    fn from_iter<T: IntoIterator<Item = V>>(iter: T) -> Self {
        let mut a = Array::new();
        for v in iter {
            a.push(v);
        }
        a
    }
}

/// An owned header; see [`Header`](crate::Header).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedHeader {
    /// Protocol version.
    pub version: String,
    /// Optional message id.
    pub msg_id: Option<String>,
    /// Optional message type.
    pub msg_type: Option<String>,
}

impl Default for OwnedHeader {
    /// Version `0.9`.
    fn default() -> Self {
        OwnedHeader {
            version: "0.9".to_owned(),
            msg_id: None,
            msg_type: None,
        }
    }
}

impl OwnedHeader {
    /// Borrows as a [`Header`](crate::Header).
    pub fn as_header(&self) -> crate::Header<'_> {
        crate::Header {
            version: &self.version,
            msg_id: self.msg_id.as_deref(),
            msg_type: self.msg_type.as_deref(),
        }
    }
}

/// An owned envelope: header and data_block value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedDocument {
    /// The header.
    pub header: OwnedHeader,
    /// The data_block's value.
    pub value: Value,
}

impl OwnedDocument {
    /// A document with the default header (`0.9`) around `value`.
    pub fn new(value: Value) -> Self {
        OwnedDocument {
            header: OwnedHeader::default(),
            value,
        }
    }
}

#[cfg(feature = "arbitrary")]
mod arb {
    use super::*;
    use arbitrary::{Arbitrary, Result, Unstructured};

    fn text(u: &mut Unstructured<'_>) -> Result<String> {
        // Bias towards the characters that break codecs.
        let n = u.int_in_range(0..=12)?;
        let mut s = String::new();
        for _ in 0..n {
            let c = match u.int_in_range(0..=9)? {
                0 => *u.choose(&['<', '>', '&', '"', '\''])?,
                1 => *u.choose(&[' ', '\t', '\n', '\r'])?,
                2 => *u.choose(&['é', '✓', '𝄞', '\u{FFFD}', '\u{85}'])?,
                3 => char::arbitrary(u)?,
                _ => char::from(u.int_in_range(b'a'..=b'z')?),
            };
            s.push(c);
        }
        Ok(s)
    }

    impl<'a> Arbitrary<'a> for Value {
        /// Builds a tree iteratively with a bounded number of nodes, so a
        /// fuzzer cannot make it recurse deeply.
        fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
            let budget = u.int_in_range(0..=64)?;
            let mut stack: Vec<Value> = Vec::new();
            let mut made = 0;
            // Postfix construction: leaves push, containers pop k children.
            while made < budget && !u.is_empty() {
                made += 1;
                match u.int_in_range(0..=5)? {
                    0..=2 => stack.push(Value::Scalar(text(u)?)),
                    3 => stack.push(Value::ScalarRef(text(u)?)),
                    4 => {
                        let k = u.int_in_range(0..=stack.len().min(4))?;
                        let mut a = Assoc::new();
                        for v in stack.split_off(stack.len() - k) {
                            let class = if u.ratio(1, 8)? { Some(text(u)?) } else { None };
                            a.insert_item(text(u)?, Item { class, value: v });
                        }
                        stack.push(Value::Assoc(a));
                    }
                    _ => {
                        let k = u.int_in_range(0..=stack.len().min(4))?;
                        let mut a = Array::new();
                        for v in stack.split_off(stack.len() - k) {
                            let class = if u.ratio(1, 8)? { Some(text(u)?) } else { None };
                            a.push_item(Item { class, value: v });
                        }
                        stack.push(Value::Array(a));
                    }
                }
            }
            Ok(match stack.len() {
                0 => Value::Scalar(String::new()),
                1 => stack.pop().unwrap_or(Value::Scalar(String::new())),
                _ => Value::array(stack),
            })
        }
    }

    impl<'a> Arbitrary<'a> for OwnedDocument {
        fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
            let msg_id = if u.ratio(1, 4)? { Some(text(u)?) } else { None };
            Ok(OwnedDocument {
                header: OwnedHeader {
                    version: if u.ratio(1, 4)? {
                        text(u)?
                    } else {
                        "0.9".to_owned()
                    },
                    msg_id,
                    msg_type: None,
                },
                value: Value::arbitrary(u)?,
            })
        }
    }
}

//! The one key-path builder: every key path in a message of the workspace
//! (parse, decode, rule and write errors, the CLI's) is built here.
//!
//! A path reads `attributes.domain_list[3].auth_info`: keys joined by `.`,
//! array indices in brackets. A key may be empty, so whether a dot goes
//! before a key depends on whether a segment came before it, never on the
//! text so far. Keys are quoted as errors quote input (cut to 64
//! characters, control and bidi characters escaped): a path names where an
//! error is, and must neither copy a huge key nor send raw controls to a
//! terminal.

use crate::error::{MAX_QUOTE, needs_quote, quote};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seg {
    Key,
    Index,
}

/// A key path being built, from the outside in ([`push_key`](Self::push_key),
/// [`push_index`](Self::push_index)) or from the inside out while an error
/// travels up ([`prepend_key`](Self::prepend_key),
/// [`prepend_index`](Self::prepend_index)).
///
/// ```
/// use opensrs_core::__private::KeyPath;
/// let mut p = KeyPath::new();
/// p.push_key("attributes");
/// p.push_key("domain_list");
/// p.push_index(3);
/// p.push_key("auth\u{1b}info");
/// assert_eq!(p.as_str(), "attributes.domain_list[3].auth\\u{1B}info");
///
/// let mut q = KeyPath::new();
/// q.prepend_key("auth_info");
/// q.prepend_index(3);
/// q.prepend_key("domain_list");
/// assert_eq!(q.as_str(), "domain_list[3].auth_info");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyPath {
    text: String,
    first: Option<Seg>,
    last: Option<Seg>,
}

impl KeyPath {
    /// The empty path (the top value).
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a segment: an array index as written (`is_index`), or a key.
    /// Both are quoted.
    pub fn push(&mut self, is_index: bool, key: &str) {
        let short;
        let key = if needs_quote(key, MAX_QUOTE) {
            short = quote(key, MAX_QUOTE);
            short.as_str()
        } else {
            key
        };
        if is_index {
            self.text.push('[');
            self.text.push_str(key);
            self.text.push(']');
            self.mark_last(Seg::Index);
        } else {
            if self.last.is_some() {
                self.text.push('.');
            }
            self.text.push_str(key);
            self.mark_last(Seg::Key);
        }
    }

    /// Appends a key of a dt_assoc.
    pub fn push_key(&mut self, key: &str) {
        self.push(false, key);
    }

    /// Appends an index of a dt_array.
    pub fn push_index(&mut self, i: usize) {
        self.push(true, itoa::Buffer::new().format(i));
    }

    /// Appends a path relative to this one (`domain_list[3].auth_info`, or
    /// `[2].name`), escaped as keys are but not cut.
    pub fn push_path(&mut self, rel: &str) {
        if rel.is_empty() {
            return;
        }
        let escaped;
        let rel = if needs_quote(rel, usize::MAX) {
            escaped = quote(rel, usize::MAX);
            escaped.as_str()
        } else {
            rel
        };
        let seg = if rel.starts_with('[') {
            Seg::Index
        } else {
            if self.last.is_some() {
                self.text.push('.');
            }
            Seg::Key
        };
        self.text.push_str(rel);
        if self.first.is_none() {
            self.first = Some(seg);
        }
        // What a relative path ends with is not known: a key, most often.
        self.last = Some(Seg::Key);
    }

    fn mark_last(&mut self, seg: Seg) {
        if self.first.is_none() {
            self.first = Some(seg);
        }
        self.last = Some(seg);
    }

    /// Puts a key of a dt_assoc in front.
    pub fn prepend_key(&mut self, key: &str) {
        let short;
        let key = if needs_quote(key, MAX_QUOTE) {
            short = quote(key, MAX_QUOTE);
            short.as_str()
        } else {
            key
        };
        if self.first == Some(Seg::Key) {
            self.text.insert(0, '.');
        }
        self.text.insert_str(0, key);
        self.mark_first(Seg::Key);
    }

    /// Puts an index of a dt_array in front.
    pub fn prepend_index(&mut self, i: usize) {
        let mut seg = String::with_capacity(24);
        seg.push('[');
        seg.push_str(itoa::Buffer::new().format(i));
        seg.push(']');
        if self.first == Some(Seg::Key) {
            seg.push('.');
        }
        self.text.insert_str(0, &seg);
        self.mark_first(Seg::Index);
    }

    fn mark_first(&mut self, seg: Seg) {
        if self.last.is_none() {
            self.last = Some(seg);
        }
        self.first = Some(seg);
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The path as text, owned.
    pub fn into_string(self) -> String {
        self.text
    }
}

impl<'k> FromIterator<(bool, &'k str)> for KeyPath {
    /// A path from `(is_index, key)` segments, outside in.
    fn from_iter<I: IntoIterator<Item = (bool, &'k str)>>(segs: I) -> Self {
        let mut p = KeyPath::new();
        for (is_index, key) in segs {
            p.push(is_index, key);
        }
        p
    }
}

//! The parsed document and cheap `Copy` views over it. The storage is the
//! [arena](crate::arena)'s; these views read it through its small API.

use std::fmt;

pub use crate::arena::Kind;
use crate::arena::{Arena, NodeId};
use crate::error::Position;
use crate::value::Value;

/// The header of an envelope: `version`, and the optional `msg_id` and `msg_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Header<'a> {
    /// Protocol version; OpenSRS sends `0.9`.
    pub version: &'a str,
    /// Optional message id (older clients and servers).
    pub msg_id: Option<&'a str>,
    /// Optional message type (older clients and servers).
    pub msg_type: Option<&'a str>,
}

impl Default for Header<'_> {
    /// Version `0.9`, no msg_id, no msg_type.
    fn default() -> Self {
        Header {
            version: "0.9",
            msg_id: None,
            msg_type: None,
        }
    }
}

/// A parsed OPS envelope.
///
/// Keys and text borrow from the input; only text that held references or
/// carriage returns, or that CDATA, comments or processing instructions
/// split into pieces, is copied, into one buffer per document (a value that
/// is one CDATA section and nothing else is borrowed too). Values live in one flat arena, so a parse makes a handful of
/// allocations however many values the document holds.
///
/// ```
/// let xml = br#"<?xml version="1.0"?>
/// <OPS_envelope><header><version>0.9</version></header><body><data_block>
///   <dt_assoc><item key="protocol">XCP</item><item key="n">&lt;1&gt;</item></dt_assoc>
/// </data_block></body></OPS_envelope>"#;
/// let doc = opensrs_core::parse(xml)?;
/// assert_eq!(doc.header().version, "0.9");
/// assert_eq!(doc.root().get("protocol").and_then(|n| n.as_str()), Some("XCP"));
/// assert_eq!(doc.root().get("n").and_then(|n| n.as_str()), Some("<1>"));
/// # Ok::<(), opensrs_core::ParseError>(())
/// ```
pub struct Document<'a> {
    arena: Arena<'a>,
}

impl<'a> Document<'a> {
    /// The document over a finished arena.
    pub(crate) fn new(arena: Arena<'a>) -> Self {
        Document { arena }
    }

    /// The envelope's header.
    pub fn header(&self) -> Header<'_> {
        let h = self.arena.header();
        Header {
            version: self.arena.text(h.version),
            msg_id: h.msg_id.map(|s| self.arena.text(s)),
            msg_type: h.msg_type.map(|s| self.arena.text(s)),
        }
    }

    /// The value inside `data_block`.
    pub fn root(&self) -> Node<'_> {
        Node {
            doc: self,
            id: self.arena.root(),
        }
    }

    /// The input this document was parsed from (after the BOM, if any, is
    /// kept: offsets count from the start of the input as given).
    pub fn input(&self) -> &'a str {
        self.arena.input()
    }

    /// Number of values in the document (items and containers).
    pub fn len(&self) -> usize {
        self.arena.len()
    }

    /// Whether the document holds no values (never true for a parsed one).
    pub fn is_empty(&self) -> bool {
        self.arena.len() == 0
    }

    /// Converts to an owned document.
    pub fn to_owned_document(&self) -> crate::value::OwnedDocument {
        let h = self.header();
        crate::value::OwnedDocument {
            header: crate::value::OwnedHeader {
                version: h.version.to_owned(),
                msg_id: h.msg_id.map(str::to_owned),
                msg_type: h.msg_type.map(str::to_owned),
            },
            value: self.root().to_value(),
        }
    }
}

/// Shows the header and the size only: values may hold secrets (auth
/// codes, passwords), so a `{:?}` in a log line never prints them. Print
/// [`Document::root`] explicitly to see the values.
impl fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("header", &self.header())
            .field("values", &self.arena.len())
            .finish_non_exhaustive()
    }
}

/// A cheap, `Copy` view of one value in a [`Document`].
#[derive(Clone, Copy)]
pub struct Node<'d> {
    doc: &'d Document<'d>,
    id: NodeId,
}

impl<'d> Node<'d> {
    #[inline]
    fn arena(&self) -> &'d Arena<'d> {
        &self.doc.arena
    }

    #[inline]
    fn at(&self, id: NodeId) -> Node<'d> {
        Node { doc: self.doc, id }
    }

    /// What kind of value this is.
    #[inline]
    pub fn kind(&self) -> Kind {
        self.arena().kind(self.id)
    }

    /// The `key` of the item that holds this value (`""` for the top value);
    /// for a dt_array element, its index as written.
    #[inline]
    pub fn key(&self) -> &'d str {
        self.arena().key(self.id)
    }

    /// The `class` attribute of the item that holds this value, if any.
    #[inline]
    pub fn class(&self) -> Option<&'d str> {
        self.arena().class(self.id)
    }

    /// The text of a scalar (item text, dt_scalar or dt_scalarref), or `None`
    /// for a container.
    #[inline]
    pub fn as_str(&self) -> Option<&'d str> {
        self.arena().scalar(self.id).map(|(text, _)| text)
    }

    /// Whether the text of this scalar was copied (it held references or
    /// carriage returns, or CDATA, comments or processing instructions split
    /// it into pieces) rather than borrowed from the input.
    pub fn is_materialised(&self) -> bool {
        self.arena().scalar(self.id).is_some_and(|(_, owned)| owned)
    }

    #[inline]
    fn child_ids(&self) -> &'d [NodeId] {
        self.arena().children(self.id)
    }

    /// Number of items of a container (0 for a scalar).
    #[inline]
    pub fn len(&self) -> usize {
        self.child_ids().len()
    }

    /// Whether this is a container without items, or a scalar.
    pub fn is_empty(&self) -> bool {
        self.child_ids().is_empty()
    }

    /// The item of a dt_assoc with this key (a linear scan: to visit every
    /// item, use [`iter`](Self::iter)). `None` for other kinds.
    pub fn get(&self, key: &str) -> Option<Node<'d>> {
        if self.kind() != Kind::Assoc {
            return None;
        }
        self.iter().find(|n| n.key() == key)
    }

    /// The element at index `i` of a dt_array. `None` for other kinds.
    pub fn index(&self, i: usize) -> Option<Node<'d>> {
        if self.kind() != Kind::Array {
            return None;
        }
        self.child_ids().get(i).map(|&id| self.at(id))
    }

    /// The items of a container: a dt_assoc in document order, a dt_array in
    /// index order (whatever the document order). Empty for a scalar.
    #[inline]
    pub fn iter(&self) -> Children<'d> {
        Children {
            doc: self.doc,
            ids: self.child_ids().iter(),
        }
    }

    /// The parent container, `None` for the top value.
    pub fn parent(&self) -> Option<Node<'d>> {
        self.arena().parent(self.id).map(|p| self.at(p))
    }

    /// Where the element holding this value starts in the input.
    pub fn position(&self) -> Position {
        self.arena().position(self.id)
    }

    /// The key path of this value, e.g. `attributes.domain_list[3].auth_info`
    /// (empty for the top value). Computed on demand from parent links.
    pub fn path(&self) -> String {
        self.key_path().into_string()
    }

    /// The key path of this value, to extend.
    pub(crate) fn key_path(&self) -> crate::path::KeyPath {
        self.arena().path(self.id)
    }

    /// The document this node belongs to.
    pub fn document(&self) -> &'d Document<'d> {
        self.doc
    }

    /// Copies this value into an owned [`Value`].
    ///
    /// Iterative: no recursion, whatever the depth.
    pub fn to_value(&self) -> Value {
        crate::walk::to_value(*self)
    }
}

/// Text as a quoted string, containers as maps and lists; the value of an
/// item whose key is a [secret key](crate::secret::SECRET_KEYS) prints as
/// `[redacted]`, and so does such an item printed on its own (read it with
/// [`Node::as_str`] when it is needed).
impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if crate::secret::is_secret_key(self.key()) {
            return f.write_str(crate::secret::REDACTED);
        }
        match self.kind() {
            Kind::Scalar => write!(f, "{:?}", self.as_str().unwrap_or_default()),
            Kind::ScalarRef => write!(f, "ScalarRef({:?})", self.as_str().unwrap_or_default()),
            Kind::Assoc => f
                .debug_map()
                .entries(self.iter().map(|n| (n.key(), n)))
                .finish(),
            Kind::Array => f.debug_list().entries(self.iter()).finish(),
        }
    }
}

impl PartialEq<Value> for Node<'_> {
    fn eq(&self, other: &Value) -> bool {
        self.to_value() == *other
    }
}

/// Iterator over the items of a container; see [`Node::iter`].
#[derive(Clone)]
pub struct Children<'d> {
    doc: &'d Document<'d>,
    ids: std::slice::Iter<'d, u32>,
}

impl<'d> Iterator for Children<'d> {
    type Item = Node<'d>;

    #[inline]
    fn next(&mut self) -> Option<Node<'d>> {
        self.ids.next().map(|&id| Node { doc: self.doc, id })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ids.size_hint()
    }
}

impl ExactSizeIterator for Children<'_> {}

impl<'d> DoubleEndedIterator for Children<'d> {
    fn next_back(&mut self) -> Option<Node<'d>> {
        self.ids.next_back().map(|&id| Node { doc: self.doc, id })
    }
}

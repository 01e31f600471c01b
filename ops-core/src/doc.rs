//! The parsed document: a flat arena of nodes and cheap `Copy` views over it.

use std::fmt;

use crate::error::Position;
use crate::value::{Array, Assoc, Item, Value};

/// A piece of text: a byte range either of the input or of the document's
/// buffer of materialised text. The top bit of `len` says which.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

const OWNED: u32 = 1 << 31;

impl Span {
    pub(crate) const EMPTY: Span = Span { start: 0, len: 0 };

    pub(crate) fn input(start: usize, len: usize) -> Span {
        Span {
            start: start as u32,
            len: len as u32,
        }
    }

    pub(crate) fn owned(start: usize, len: usize) -> Span {
        Span {
            start: start as u32,
            len: len as u32 | OWNED,
        }
    }

    #[inline]
    pub(crate) fn is_owned(self) -> bool {
        self.len & OWNED != 0
    }

    #[inline]
    pub(crate) fn range(self) -> std::ops::Range<usize> {
        let len = (self.len & !OWNED) as usize;
        self.start as usize..self.start as usize + len
    }
}

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A `dt_assoc`: items named by key.
    Assoc,
    /// A `dt_array`: items numbered `0..len`.
    Array,
    /// Text: the text of an `<item>`, or a `dt_scalar`.
    Scalar,
    /// A `dt_scalarref` (from the reference Perl codec).
    ScalarRef,
}

impl Kind {
    /// The name used in messages: `dt_assoc`, `dt_array`, `dt_scalar`, `dt_scalarref`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Assoc => "dt_assoc",
            Kind::Array => "dt_array",
            Kind::Scalar => "dt_scalar",
            Kind::ScalarRef => "dt_scalarref",
        }
    }
}

pub(crate) const NO_PARENT: u32 = u32::MAX;

/// One value in the arena. For a container, `a..a+b` is its range in
/// `Document::children`; for a scalar, `text` is its text.
#[derive(Clone, Copy)]
pub(crate) struct NodeData {
    pub(crate) kind: Kind,
    pub(crate) has_class: bool,
    pub(crate) key: Span,
    pub(crate) class: Span,
    pub(crate) text: Span,
    pub(crate) parent: u32,
    /// Byte offset of the element that holds this value (its `<item>`, or
    /// the value element itself at the top).
    pub(crate) pos: u32,
}

impl NodeData {
    /// A node for a value held by an item with `key` and `class`.
    #[inline]
    pub(crate) fn new(
        kind: Kind,
        (key, class): (Span, Option<Span>),
        text: Span,
        parent: u32,
        pos: u32,
    ) -> Self {
        NodeData {
            kind,
            has_class: class.is_some(),
            key,
            class: class.unwrap_or(Span::EMPTY),
            text,
            parent,
            pos,
        }
    }
}

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

#[derive(Clone, Copy, Default)]
pub(crate) struct HeaderData {
    pub(crate) version: Span,
    pub(crate) msg_id: Option<Span>,
    pub(crate) msg_type: Option<Span>,
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
    pub(crate) input: &'a str,
    pub(crate) owned: String,
    pub(crate) nodes: Vec<NodeData>,
    pub(crate) children: Vec<u32>,
    pub(crate) header: HeaderData,
    pub(crate) root: u32,
}

impl<'a> Document<'a> {
    #[inline]
    pub(crate) fn text(&self, span: Span) -> &str {
        let src = if span.is_owned() {
            self.owned.as_str()
        } else {
            self.input
        };
        src.get(span.range()).unwrap_or_default()
    }

    /// The envelope's header.
    pub fn header(&self) -> Header<'_> {
        Header {
            version: self.text(self.header.version),
            msg_id: self.header.msg_id.map(|s| self.text(s)),
            msg_type: self.header.msg_type.map(|s| self.text(s)),
        }
    }

    /// The value inside `data_block`.
    pub fn root(&self) -> Node<'_> {
        Node {
            doc: self,
            id: self.root,
        }
    }

    /// The input this document was parsed from (after the BOM, if any, is
    /// kept: offsets count from the start of the input as given).
    pub fn input(&self) -> &'a str {
        self.input
    }

    /// Number of values in the document (items and containers).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the document holds no values (never true for a parsed one).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
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

    #[inline]
    fn node(&self, id: u32) -> &NodeData {
        &self.nodes[id as usize]
    }
}

/// Shows the header and the size only: values may hold secrets (auth
/// codes, passwords), so a `{:?}` in a log line never prints them. Print
/// [`Document::root`] explicitly to see the values.
impl fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("header", &self.header())
            .field("values", &self.nodes.len())
            .finish_non_exhaustive()
    }
}

/// A cheap, `Copy` view of one value in a [`Document`].
#[derive(Clone, Copy)]
pub struct Node<'d> {
    doc: &'d Document<'d>,
    id: u32,
}

impl<'d> Node<'d> {
    #[inline]
    fn data(&self) -> &'d NodeData {
        self.doc.node(self.id)
    }

    /// What kind of value this is.
    #[inline]
    pub fn kind(&self) -> Kind {
        self.data().kind
    }

    /// The `key` of the item that holds this value (`""` for the top value);
    /// for a dt_array element, its index as written.
    #[inline]
    pub fn key(&self) -> &'d str {
        self.doc.text(self.data().key)
    }

    /// The `class` attribute of the item that holds this value, if any.
    #[inline]
    pub fn class(&self) -> Option<&'d str> {
        let d = self.data();
        d.has_class.then(|| self.doc.text(d.class))
    }

    /// The text of a scalar (item text, dt_scalar or dt_scalarref), or `None`
    /// for a container.
    #[inline]
    pub fn as_str(&self) -> Option<&'d str> {
        match self.kind() {
            Kind::Scalar | Kind::ScalarRef => Some(self.doc.text(self.data().text)),
            Kind::Assoc | Kind::Array => None,
        }
    }

    /// Whether the text of this scalar was copied (it held references or
    /// carriage returns, or CDATA, comments or processing instructions split
    /// it into pieces) rather than borrowed from the input.
    pub fn is_materialised(&self) -> bool {
        matches!(self.kind(), Kind::Scalar | Kind::ScalarRef) && self.data().text.is_owned()
    }

    #[inline]
    fn child_ids(&self) -> &'d [u32] {
        match self.kind() {
            Kind::Assoc | Kind::Array => {
                let t = self.data().text;
                let r = t.start as usize..t.start as usize + t.len as usize;
                self.doc.children.get(r).unwrap_or_default()
            }
            Kind::Scalar | Kind::ScalarRef => &[],
        }
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
        self.child_ids()
            .get(i)
            .map(|&id| Node { doc: self.doc, id })
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
        let p = self.data().parent;
        (p != NO_PARENT).then_some(Node {
            doc: self.doc,
            id: p,
        })
    }

    /// Where the element holding this value starts in the input.
    pub fn position(&self) -> Position {
        Position::locate(self.doc.input.as_bytes(), self.data().pos as usize)
    }

    /// The key path of this value, e.g. `attributes.domain_list[3].auth_info`
    /// (empty for the top value). Computed on demand from parent links.
    pub fn path(&self) -> String {
        let mut segs = Vec::new();
        let mut cur = *self;
        while let Some(p) = cur.parent() {
            segs.push((p.kind() == Kind::Array, cur.key()));
            cur = p;
        }
        key_path(segs.into_iter().rev())
    }

    /// The document this node belongs to.
    pub fn document(&self) -> &'d Document<'d> {
        self.doc
    }

    /// Copies this value into an owned [`Value`].
    ///
    /// Iterative: no recursion, whatever the depth.
    pub fn to_value(&self) -> Value {
        // Build bottom-up with an explicit stack of partially built containers.
        enum Partial<'d> {
            Assoc(Assoc, Children<'d>),
            Array(Array, Children<'d>),
        }
        fn leaf(n: &Node<'_>) -> Option<Value> {
            match n.kind() {
                Kind::Scalar => Some(Value::Scalar(n.as_str().unwrap_or_default().to_owned())),
                Kind::ScalarRef => {
                    Some(Value::ScalarRef(n.as_str().unwrap_or_default().to_owned()))
                }
                Kind::Assoc | Kind::Array => None,
            }
        }
        fn open<'d>(n: &Node<'d>) -> Partial<'d> {
            match n.kind() {
                Kind::Array => Partial::Array(Array::with_capacity(n.len()), n.iter()),
                _ => Partial::Assoc(Assoc::with_capacity(n.len()), n.iter()),
            }
        }
        if let Some(v) = leaf(self) {
            return v;
        }
        let mut stack: Vec<(Option<Node<'d>>, Partial<'d>)> = vec![(None, open(self))];
        // The bottom entry is this node: when it is finished, it is the result.
        let mut result = Value::Assoc(Assoc::new());
        while let Some(top) = stack.last_mut() {
            let next = match &mut top.1 {
                Partial::Assoc(_, it) | Partial::Array(_, it) => it.next(),
            };
            if let Some(child) = next {
                match leaf(&child) {
                    Some(v) => push_child(&mut top.1, &child, v),
                    None => stack.push((Some(child), open(&child))),
                }
                continue;
            }
            let Some((node, partial)) = stack.pop() else {
                break;
            };
            let v = match partial {
                Partial::Assoc(a, _) => Value::Assoc(a),
                Partial::Array(a, _) => Value::Array(a),
            };
            match (node, stack.last_mut()) {
                (Some(n), Some(parent)) => push_child(&mut parent.1, &n, v),
                _ => result = v,
            }
        }
        return result;

        fn push_child(p: &mut Partial<'_>, child: &Node<'_>, v: Value) {
            let item = Item {
                class: child.class().map(str::to_owned),
                value: v,
            };
            match p {
                Partial::Assoc(a, _) => {
                    a.insert_item(child.key().to_owned(), item);
                }
                Partial::Array(a, _) => a.push_item(item),
            }
        }
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

/// Joins path segments, `(is_index, key)` from the outside in, into a key
/// path: `attributes.domain_list[3].auth_info`. A key may be empty, so the
/// dot depends on whether a segment came before, not on the text so far.
///
/// A key is quoted as errors quote input (cut to 64 characters, control
/// and bidi characters escaped): a path names where an error is, and must
/// neither copy a huge key nor send raw controls to a terminal.
pub(crate) fn key_path<'k>(segs: impl Iterator<Item = (bool, &'k str)>) -> String {
    let mut out = String::new();
    let mut first = true;
    for (is_index, key) in segs {
        let short;
        let key = if crate::error::needs_quote(key, crate::error::MAX_QUOTE) {
            short = crate::error::quote(key, crate::error::MAX_QUOTE);
            short.as_str()
        } else {
            key
        };
        if is_index {
            out.push('[');
            out.push_str(key);
            out.push(']');
        } else {
            if !first {
                out.push('.');
            }
            out.push_str(key);
        }
        first = false;
    }
    out
}

/// A view of node `id` (for the parser's error paths).
pub(crate) fn node_view<'d>(doc: &'d Document<'d>, id: u32) -> Node<'d> {
    Node { doc, id }
}

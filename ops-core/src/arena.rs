//! The arena: where a parsed document's values live, and the one place that
//! knows how they are stored.
//!
//! Values are [`NodeData`] records in one flat `Vec`, the items of every
//! container one range of a second `Vec` of ids, and text a [`Span`] of
//! either the input or one buffer of materialised text. The public views
//! ([`Document`](crate::Document), [`Node`](crate::Node)) read it through
//! [`Arena`]'s small read API; the parser (`xml/`) fills it through
//! [`Builder`]. Neither sees the other, nor the fields here.

use std::ops::Range;

use crate::error::Position;
use crate::path::KeyPath;

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

    /// Whether this is a dt_assoc or a dt_array.
    #[inline]
    pub(crate) fn is_container(self) -> bool {
        matches!(self, Kind::Assoc | Kind::Array)
    }
}

/// A piece of text: a byte range either of the input or of the arena's
/// buffer of materialised text. The top bit of `len` says which.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    start: u32,
    len: u32,
}

const OWNED: u32 = 1 << 31;

impl Span {
    pub(crate) const EMPTY: Span = Span { start: 0, len: 0 };

    /// `len` bytes of the input from `start`.
    pub(crate) fn input(start: usize, len: usize) -> Span {
        Span {
            start: start as u32,
            len: len as u32,
        }
    }

    /// `len` bytes of the materialised text from `start`.
    pub(crate) fn owned(start: usize, len: usize) -> Span {
        Span {
            start: start as u32,
            len: len as u32 | OWNED,
        }
    }

    /// Whether the text was materialised rather than borrowed.
    #[inline]
    pub(crate) fn is_owned(self) -> bool {
        self.len & OWNED != 0
    }

    #[inline]
    pub(crate) fn range(self) -> Range<usize> {
        let len = (self.len & !OWNED) as usize;
        self.start as usize..self.start as usize + len
    }
}

/// The id of a node in its arena.
pub(crate) type NodeId = u32;

const NO_PARENT: NodeId = NodeId::MAX;

/// One value. For a container, `body` is its range of ids in
/// `Arena::children`; for a scalar, its text.
#[derive(Clone, Copy)]
pub(crate) struct NodeData {
    kind: Kind,
    has_class: bool,
    key: Span,
    class: Span,
    body: Span,
    parent: NodeId,
    /// Byte offset of the element that holds this value (its `<item>`, or
    /// the value element itself at the top).
    pos: u32,
}

/// Where a value sits: the key and class of the item that holds it (none
/// for the top value), its parent container, and the offset of the element.
#[derive(Clone, Copy)]
pub(crate) struct Slot {
    pub(crate) key: Span,
    pub(crate) class: Option<Span>,
    pub(crate) parent: Option<NodeId>,
    pub(crate) pos: u32,
}

/// The envelope header's text.
#[derive(Clone, Copy, Default)]
pub(crate) struct HeaderSpans {
    pub(crate) version: Span,
    pub(crate) msg_id: Option<Span>,
    pub(crate) msg_type: Option<Span>,
}

/// The storage of one parsed document.
pub(crate) struct Arena<'a> {
    input: &'a str,
    owned: String,
    nodes: Vec<NodeData>,
    children: Vec<NodeId>,
    header: HeaderSpans,
    root: NodeId,
}

impl<'a> Arena<'a> {
    /// The input the document was parsed from.
    #[inline]
    pub(crate) fn input(&self) -> &'a str {
        self.input
    }

    /// The text of `span`.
    #[inline]
    pub(crate) fn text(&self, span: Span) -> &str {
        let src = if span.is_owned() {
            self.owned.as_str()
        } else {
            self.input
        };
        src.get(span.range()).unwrap_or_default()
    }

    /// Number of nodes.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The top value.
    #[inline]
    pub(crate) fn root(&self) -> NodeId {
        self.root
    }

    /// The header's text.
    #[inline]
    pub(crate) fn header(&self) -> HeaderSpans {
        self.header
    }

    #[inline]
    fn node(&self, id: NodeId) -> &NodeData {
        &self.nodes[id as usize]
    }

    /// What node `id` is.
    #[inline]
    pub(crate) fn kind(&self, id: NodeId) -> Kind {
        self.node(id).kind
    }

    /// The key of the item holding `id` (`""` at the top).
    #[inline]
    pub(crate) fn key(&self, id: NodeId) -> &str {
        self.text(self.node(id).key)
    }

    /// The class of the item holding `id`, if it has one.
    #[inline]
    pub(crate) fn class(&self, id: NodeId) -> Option<&str> {
        let d = self.node(id);
        d.has_class.then(|| self.text(d.class))
    }

    /// The text of scalar `id` and whether it was materialised; `None` for
    /// a container.
    #[inline]
    pub(crate) fn scalar(&self, id: NodeId) -> Option<(&str, bool)> {
        let d = self.node(id);
        (!d.kind.is_container()).then(|| (self.text(d.body), d.body.is_owned()))
    }

    /// The item ids of container `id` (none for a scalar).
    #[inline]
    pub(crate) fn children(&self, id: NodeId) -> &[NodeId] {
        let d = self.node(id);
        if d.kind.is_container() {
            let r = d.body.start as usize..(d.body.start + d.body.len) as usize;
            self.children.get(r).unwrap_or_default()
        } else {
            &[]
        }
    }

    /// The container holding `id`, `None` at the top.
    #[inline]
    pub(crate) fn parent(&self, id: NodeId) -> Option<NodeId> {
        let p = self.node(id).parent;
        (p != NO_PARENT).then_some(p)
    }

    /// Where the element holding `id` starts (computed: error path only).
    pub(crate) fn position(&self, id: NodeId) -> Position {
        Position::locate(self.input.as_bytes(), self.node(id).pos as usize)
    }

    /// The key path of `id`, from its parent links.
    pub(crate) fn path(&self, id: NodeId) -> KeyPath {
        let mut segs = Vec::new();
        let mut cur = id;
        while let Some(p) = self.parent(cur) {
            segs.push((self.kind(p) == Kind::Array, self.key(cur)));
            cur = p;
        }
        segs.into_iter().rev().collect()
    }
}

/// Why the items of a dt_array do not number `0..len`.
pub(crate) enum IndexError {
    /// Item `id` has an index past the end (or none that parses).
    Gap { id: NodeId, index: u32, len: usize },
    /// Item `id` has the index of item `first`.
    Duplicate {
        id: NodeId,
        index: u32,
        first: NodeId,
    },
}

/// Fills an [`Arena`]: nodes, container items and materialised text.
pub(crate) struct Builder<'a> {
    arena: Arena<'a>,
}

impl<'a> Builder<'a> {
    /// An empty arena for `input`, sized from its length.
    pub(crate) fn new(input: &'a str) -> Self {
        let estimate = (input.len() / 40).clamp(16, 1 << 20);
        Builder {
            arena: Arena {
                input,
                owned: String::new(),
                nodes: Vec::with_capacity(estimate),
                children: Vec::with_capacity(estimate),
                header: HeaderSpans::default(),
                root: 0,
            },
        }
    }

    /// The arena so far, to read.
    #[inline]
    pub(crate) fn arena(&self) -> &Arena<'a> {
        &self.arena
    }

    /// Adds a node (for a container, without items yet); returns its id.
    #[inline]
    pub(crate) fn push(&mut self, kind: Kind, slot: Slot, text: Span) -> NodeId {
        let id = self.arena.nodes.len() as NodeId;
        self.arena.nodes.push(NodeData {
            kind,
            has_class: slot.class.is_some(),
            key: slot.key,
            class: slot.class.unwrap_or(Span::EMPTY),
            body: text,
            parent: slot.parent.unwrap_or(NO_PARENT),
            pos: slot.pos,
        });
        id
    }

    /// Gives dt_assoc `node` its items, in document order.
    pub(crate) fn set_assoc_items(&mut self, node: NodeId, items: &[NodeId]) {
        let start = self.arena.children.len();
        self.arena.children.extend_from_slice(items);
        self.set_range(node, start, items.len());
    }

    /// Gives dt_array `node` its items, placed by their index keys, which
    /// must be exactly `0..items.len()`.
    pub(crate) fn set_array_items(
        &mut self,
        node: NodeId,
        items: &[NodeId],
        index: impl Fn(&str) -> Option<u32>,
    ) -> Result<(), IndexError> {
        let len = items.len();
        let start = self.arena.children.len();
        self.arena.children.resize(start + len, NO_PARENT);
        for &id in items {
            let i = index(self.arena.key(id)).unwrap_or(u32::MAX);
            if i as usize >= len {
                return Err(IndexError::Gap { id, index: i, len });
            }
            let slot = &mut self.arena.children[start + i as usize];
            if *slot != NO_PARENT {
                return Err(IndexError::Duplicate {
                    id,
                    index: i,
                    first: *slot,
                });
            }
            *slot = id;
        }
        self.set_range(node, start, len);
        Ok(())
    }

    fn set_range(&mut self, node: NodeId, start: usize, len: usize) {
        self.arena.nodes[node as usize].body = Span {
            start: start as u32,
            len: len as u32,
        };
    }

    /// The buffer of materialised text, to append to; a [`Span::owned`]
    /// names what was appended. Reserved on first use.
    #[inline]
    pub(crate) fn owned_text(&mut self) -> &mut String {
        if self.arena.owned.capacity() == 0 {
            let n = (self.arena.input.len() / 16).max(64);
            self.arena.owned.reserve(n);
        }
        &mut self.arena.owned
    }

    /// Length of the buffer of materialised text.
    #[inline]
    pub(crate) fn owned_len(&self) -> usize {
        self.arena.owned.len()
    }

    /// The finished arena, with its header and top value.
    pub(crate) fn finish(mut self, header: HeaderSpans, root: NodeId) -> Arena<'a> {
        self.arena.header = header;
        self.arena.root = root;
        self.arena
    }
}

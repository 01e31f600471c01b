//! The one tree walk: an explicit stack of item iterators, never recursion,
//! whatever the depth. Writing an owned [`Value`] ([`Writer::value`]),
//! writing a borrowed [`Node`] (`ToXcp for Node`), copying a node into a
//! `Value` ([`Node::to_value`]), dropping a deep `Value`, and the CLI's JSON
//! output are all visitors of [`walk`].

use std::convert::Infallible;

use crate::arena::Kind;
use crate::doc::{Children, Node};
use crate::error::WriteError;
use crate::value::{Array, Assoc, Item, Value};
use crate::write::{Sink, Writer};

/// What a value is to the walk: a leaf, or a container and its items.
pub enum Opened<T: Tree> {
    /// A scalar (or scalar ref): nothing under it.
    Leaf(T),
    /// A dt_assoc or dt_array, and its items in order.
    Container(Kind, T::Items),
}

/// A value the walk can visit.
pub trait Tree: Sized {
    /// The items of a container, each a value of the same kind.
    type Items: Iterator<Item = Self>;
    /// Splits a value into what the walk needs.
    fn open(self) -> Opened<Self>;
}

/// What the walk calls, in document order. `depth` is the number of
/// containers open around the value (0 for the one the walk started at).
pub trait Visitor<T: Tree> {
    /// The error that stops the walk.
    type Error;

    /// Before each value, leaf or container.
    fn enter(&mut self, _value: &T, _depth: usize) -> Result<(), Self::Error> {
        Ok(())
    }

    /// A leaf value.
    fn leaf(&mut self, value: T, depth: usize) -> Result<(), Self::Error>;

    /// A container, before its items.
    fn open(&mut self, kind: Kind, items: &T::Items, depth: usize) -> Result<(), Self::Error>;

    /// A container, after its items.
    fn close(&mut self, kind: Kind, depth: usize) -> Result<(), Self::Error>;
}

/// Visits `root` and everything under it, depth first, with an explicit
/// stack: the only walk of the workspace.
pub fn walk<T: Tree, V: Visitor<T>>(root: T, visitor: &mut V) -> Result<(), V::Error> {
    let mut stack: Vec<(Kind, T::Items)> = Vec::new();
    let mut next = Some(root);
    loop {
        if let Some(value) = next.take() {
            let depth = stack.len();
            visitor.enter(&value, depth)?;
            match value.open() {
                Opened::Leaf(value) => visitor.leaf(value, depth)?,
                Opened::Container(kind, items) => {
                    visitor.open(kind, &items, depth)?;
                    stack.push((kind, items));
                }
            }
        }
        let Some((kind, items)) = stack.last_mut() else {
            return Ok(());
        };
        match items.next() {
            Some(child) => next = Some(child),
            None => {
                let kind = *kind;
                stack.pop();
                visitor.close(kind, stack.len())?;
            }
        }
    }
}

impl<'d> Tree for Node<'d> {
    type Items = Children<'d>;

    #[inline]
    fn open(self) -> Opened<Self> {
        match self.kind() {
            kind @ (Kind::Assoc | Kind::Array) => Opened::Container(kind, self.iter()),
            Kind::Scalar | Kind::ScalarRef => Opened::Leaf(self),
        }
    }
}

/// An owned value taken apart: dropping one walks it, so that a deep value
/// never drops recursively.
pub(crate) struct Owned(pub(crate) Value);

impl Tree for Owned {
    type Items = Drain;

    fn open(self) -> Opened<Self> {
        match self.0 {
            Value::Assoc(mut a) => Opened::Container(Kind::Assoc, Drain::Assoc(a.take_items())),
            Value::Array(mut a) => Opened::Container(Kind::Array, Drain::Array(a.take_items())),
            leaf => Opened::Leaf(Owned(leaf)),
        }
    }
}

/// The items taken out of an owned container.
pub(crate) enum Drain {
    Assoc(indexmap::map::IntoIter<String, Item>),
    Array(std::vec::IntoIter<Item>),
}

impl Iterator for Drain {
    type Item = Owned;

    fn next(&mut self) -> Option<Owned> {
        match self {
            Drain::Assoc(it) => it.next().map(|(_, i)| Owned(i.value)),
            Drain::Array(it) => it.next().map(|i| Owned(i.value)),
        }
    }
}

/// Drops `v` by walking it: every container is emptied before it drops.
pub(crate) fn dismantle(v: Value) {
    struct Discard;
    impl Visitor<Owned> for Discard {
        type Error = Infallible;
        fn leaf(&mut self, _: Owned, _: usize) -> Result<(), Infallible> {
            Ok(())
        }
        fn open(&mut self, _: Kind, _: &Drain, _: usize) -> Result<(), Infallible> {
            Ok(())
        }
        fn close(&mut self, _: Kind, _: usize) -> Result<(), Infallible> {
            Ok(())
        }
    }
    let Ok(()) = walk(Owned(v), &mut Discard);
}

/// A borrowed owned value with the key and class of the item holding it,
/// as the writer walks it.
#[derive(Clone, Copy)]
pub(crate) struct ValueRef<'v> {
    key: &'v str,
    class: Option<&'v str>,
    value: &'v Value,
}

impl<'v> ValueRef<'v> {
    /// The top value of a walk.
    pub(crate) fn top(value: &'v Value) -> Self {
        ValueRef {
            key: "",
            class: None,
            value,
        }
    }
}

/// The items of a borrowed owned container.
pub(crate) enum RefItems<'v> {
    Assoc(indexmap::map::Iter<'v, String, Item>),
    Array(std::slice::Iter<'v, Item>),
}

impl<'v> Iterator for RefItems<'v> {
    type Item = ValueRef<'v>;

    #[inline]
    fn next(&mut self) -> Option<ValueRef<'v>> {
        let (key, item) = match self {
            RefItems::Assoc(it) => it.next().map(|(k, i)| (k.as_str(), i))?,
            RefItems::Array(it) => ("", it.next()?),
        };
        Some(ValueRef {
            key,
            class: item.class.as_deref(),
            value: &item.value,
        })
    }
}

impl<'v> Tree for ValueRef<'v> {
    type Items = RefItems<'v>;

    #[inline]
    fn open(self) -> Opened<Self> {
        match self.value {
            Value::Assoc(a) => Opened::Container(Kind::Assoc, RefItems::Assoc(a.raw_iter())),
            Value::Array(a) => Opened::Container(Kind::Array, RefItems::Array(a.iter())),
            Value::Scalar(_) | Value::ScalarRef(_) => Opened::Leaf(self),
        }
    }
}

/// A value the writer can emit: what an item needs besides the walk.
pub(crate) trait Emit<'t>: Tree + Copy {
    /// The key of the item holding it (read only in a dt_assoc).
    fn key(&self) -> &'t str;
    /// The class of the item holding it.
    fn class(&self) -> Option<&'t str>;
    /// A leaf's text, and whether it is a scalar ref.
    fn text(&self) -> (&'t str, bool);
}

impl<'d> Emit<'d> for Node<'d> {
    #[inline]
    fn key(&self) -> &'d str {
        Node::key(self)
    }
    #[inline]
    fn class(&self) -> Option<&'d str> {
        Node::class(self)
    }
    #[inline]
    fn text(&self) -> (&'d str, bool) {
        (
            self.as_str().unwrap_or_default(),
            self.kind() == Kind::ScalarRef,
        )
    }
}

impl<'v> Emit<'v> for ValueRef<'v> {
    #[inline]
    fn key(&self) -> &'v str {
        self.key
    }
    #[inline]
    fn class(&self) -> Option<&'v str> {
        self.class
    }
    #[inline]
    fn text(&self) -> (&'v str, bool) {
        match self.value {
            Value::ScalarRef(s) => (s, true),
            other => (other.as_str().unwrap_or_default(), false),
        }
    }
}

#[derive(Clone, Copy)]
enum Seg<'t> {
    Key(&'t str),
    Index(usize),
}

/// Writes a walked value through the writer. An error names where it
/// happened: the items open around it, from the value the walk started at.
pub(crate) struct ToWriter<'w, 't, S: Sink> {
    w: &'w mut Writer<S>,
    /// Each open container: its kind, the item holding it (none at the
    /// top) and how many items it has had.
    open: Vec<(Kind, Option<Seg<'t>>, usize)>,
    /// The item holding the value being written.
    item: Option<Seg<'t>>,
}

impl<'w, 't, S: Sink> ToWriter<'w, 't, S> {
    pub(crate) fn new(w: &'w mut Writer<S>) -> Self {
        ToWriter {
            w,
            open: Vec::new(),
            item: None,
        }
    }

    /// `e` with the path of the open items prepended, innermost first.
    #[cold]
    fn located(&self, mut e: WriteError, with_item: bool) -> WriteError {
        let inner = if with_item { self.item } else { None };
        let outer = self.open.iter().rev().map(|(_, seg, _)| *seg);
        for seg in std::iter::once(inner).chain(outer).flatten() {
            e = match seg {
                Seg::Key(k) => e.in_key(k),
                Seg::Index(i) => e.in_index(i),
            };
        }
        e
    }
}

impl<'t, S: Sink, T: Emit<'t>> Visitor<T> for ToWriter<'_, 't, S> {
    type Error = WriteError;

    #[inline]
    fn enter(&mut self, value: &T, depth: usize) -> Result<(), WriteError> {
        if depth == 0 {
            self.item = None;
            return Ok(());
        }
        let Some((kind, _, count)) = self.open.last_mut() else {
            return Ok(());
        };
        let index = *count;
        *count += 1;
        let (seg, r) = match (*kind, value.class()) {
            (Kind::Array, None) => (Seg::Index(index), self.w.start_element().map(drop)),
            (Kind::Array, Some(c)) => (Seg::Index(index), self.w.start_element_with_class(c)),
            (_, None) => (Seg::Key(value.key()), self.w.start_item(value.key())),
            (_, Some(c)) => (
                Seg::Key(value.key()),
                self.w.start_item_with_class(value.key(), c),
            ),
        };
        self.item = Some(seg);
        // An error opening the item already names it.
        r.map_err(|e| self.located(e, false))
    }

    #[inline]
    fn leaf(&mut self, value: T, depth: usize) -> Result<(), WriteError> {
        let r = match value.text() {
            (text, false) => self.w.scalar(text),
            (text, true) => self.w.scalar_ref(text),
        };
        r.map_err(|e| self.located(e, true))?;
        if depth > 0 {
            self.w.end_item()?;
        }
        Ok(())
    }

    #[inline]
    fn open(&mut self, kind: Kind, _: &T::Items, _: usize) -> Result<(), WriteError> {
        let r = match kind {
            Kind::Array => self.w.start_array(),
            _ => self.w.start_assoc(),
        };
        r.map_err(|e| self.located(e, true))?;
        self.open.push((kind, self.item, 0));
        Ok(())
    }

    #[inline]
    fn close(&mut self, kind: Kind, depth: usize) -> Result<(), WriteError> {
        self.open.pop();
        match kind {
            Kind::Array => self.w.end_array()?,
            _ => self.w.end_assoc()?,
        }
        if depth > 0 {
            self.w.end_item()?;
        }
        Ok(())
    }
}

/// Copies a node into an owned [`Value`].
pub(crate) fn to_value(node: Node<'_>) -> Value {
    enum Partial {
        Assoc(Assoc),
        Array(Array),
    }
    struct Build<'d> {
        /// The open containers, each with the key and class of its item.
        stack: Vec<(Partial, &'d str, Option<&'d str>)>,
        /// Key and class of the value being visited.
        slot: (&'d str, Option<&'d str>),
        result: Option<Value>,
    }
    impl Build<'_> {
        #[inline]
        fn put(&mut self, (key, class): (&str, Option<&str>), value: Value) {
            let item = Item {
                class: class.map(str::to_owned),
                value,
            };
            match self.stack.last_mut() {
                Some((Partial::Assoc(a), ..)) => {
                    a.insert_item(key.to_owned(), item);
                }
                Some((Partial::Array(a), ..)) => a.push_item(item),
                None => self.result = Some(item.value),
            }
        }
    }
    impl<'d> Visitor<Node<'d>> for Build<'d> {
        type Error = Infallible;
        #[inline]
        fn enter(&mut self, node: &Node<'d>, _: usize) -> Result<(), Infallible> {
            self.slot = (node.key(), node.class());
            Ok(())
        }
        #[inline]
        fn leaf(&mut self, node: Node<'d>, _: usize) -> Result<(), Infallible> {
            let text = node.as_str().unwrap_or_default().to_owned();
            let v = match node.kind() {
                Kind::ScalarRef => Value::ScalarRef(text),
                _ => Value::Scalar(text),
            };
            self.put(self.slot, v);
            Ok(())
        }
        #[inline]
        fn open(&mut self, kind: Kind, items: &Children<'d>, _: usize) -> Result<(), Infallible> {
            let p = match kind {
                Kind::Array => Partial::Array(Array::with_capacity(items.len())),
                _ => Partial::Assoc(Assoc::with_capacity(items.len())),
            };
            self.stack.push((p, self.slot.0, self.slot.1));
            Ok(())
        }
        #[inline]
        fn close(&mut self, _: Kind, _: usize) -> Result<(), Infallible> {
            if let Some((p, key, class)) = self.stack.pop() {
                let v = match p {
                    Partial::Assoc(a) => Value::Assoc(a),
                    Partial::Array(a) => Value::Array(a),
                };
                self.put((key, class), v);
            }
            Ok(())
        }
    }
    let mut b = Build {
        stack: Vec::new(),
        slot: ("", None),
        result: None,
    };
    let Ok(()) = walk(node, &mut b);
    b.result.unwrap_or(Value::Scalar(String::new()))
}

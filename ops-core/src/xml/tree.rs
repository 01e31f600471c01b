//! Creating nodes through the arena's builder, and finishing a container
//! (array indices placed in numeric order, dt_assoc keys checked for
//! duplicates).

use super::*;
use crate::arena::IndexError;

impl<'a> Parser<'a> {
    /// Key, class, position and parent for a value about to be created in
    /// the innermost frame (an item, or data_block).
    pub(super) fn value_slot(&self) -> Slot {
        match self.frames.last() {
            Some(Frame::Item {
                key,
                class,
                pos,
                parent,
                ..
            }) => Slot {
                key: *key,
                class: *class,
                parent: Some(*parent),
                pos: *pos,
            },
            _ => Slot {
                key: Span::EMPTY,
                class: None,
                parent: None,
                pos: self.pos as u32,
            },
        }
    }

    pub(super) fn new_node(&mut self, kind: Kind, text: Span) -> R<NodeId> {
        if self.arena.arena().len() >= self.opts.max_nodes {
            return Err(self.err(E::TooManyNodes {
                max: self.opts.max_nodes,
            }));
        }
        let slot = self.value_slot();
        Ok(self.arena.push(kind, slot, text))
    }

    /// Records `id` as the value of the innermost frame.
    pub(super) fn set_value(&mut self, id: NodeId) -> R<()> {
        match self.frames.last_mut() {
            Some(Frame::Item { value, .. }) => {
                if value.is_some() {
                    return Err(self.err(E::MultipleValues("item")));
                }
                *value = Some(id);
            }
            Some(Frame::DataBlock { value }) => {
                *value = true;
                self.root = Some(id);
            }
            _ => {}
        }
        Ok(())
    }

    pub(super) fn finish_container(&mut self, node: NodeId, mark: usize) -> R<()> {
        if self.arena.arena().kind(node) == Kind::Array {
            let r = self
                .arena
                .set_array_items(node, &self.pending[mark..], parse_index);
            match r {
                Ok(()) => {}
                Err(IndexError::Gap { id, index, len }) => {
                    return Err(self.node_err(E::IndexGap { index, len }, id));
                }
                Err(IndexError::Duplicate { id, index, first }) => {
                    let first = self.arena.arena().position(first);
                    return Err(self.node_err(E::DuplicateIndex { index, first }, id));
                }
            }
        } else {
            self.check_unique_keys(mark)?;
            self.arena.set_assoc_items(node, &self.pending[mark..]);
        }
        self.pending.truncate(mark);
        Ok(())
    }

    /// Rejects a key used twice in one dt_assoc: pairwise for small
    /// containers, a hash map for large ones, so the check stays linear.
    pub(super) fn check_unique_keys(&self, mark: usize) -> R<()> {
        let ids = &self.pending[mark..];
        let arena = self.arena.arena();
        let key = |id: NodeId| arena.key(id);
        let dup = if ids.len() <= 16 {
            ids.iter().enumerate().find_map(|(i, &b)| {
                ids[..i]
                    .iter()
                    .find(|&&a| key(a) == key(b))
                    .map(|&a| (a, b))
            })
        } else {
            let mut seen: HashMap<&str, NodeId> = HashMap::with_capacity(ids.len());
            ids.iter()
                .find_map(|&b| seen.insert(key(b), b).map(|a| (a, b)))
        };
        match dup {
            None => Ok(()),
            Some((a, b)) => Err(self.node_err(
                E::DuplicateKey {
                    key: excerpt(key(b)),
                    first: arena.position(a),
                },
                b,
            )),
        }
    }
}

//! The arena: creating nodes, and finishing a container (array indices
//! placed in numeric order, dt_assoc keys checked for duplicates).

use super::*;

impl<'a> Parser<'a> {
    pub(super) fn push_node(&mut self, data: NodeData) -> R<u32> {
        if self.doc.nodes.len() >= self.opts.max_nodes {
            return Err(self.err(E::TooManyNodes {
                max: self.opts.max_nodes,
            }));
        }
        let id = self.doc.nodes.len() as u32;
        self.doc.nodes.push(data);
        Ok(id)
    }

    /// Key, class, position and parent for a value about to be created in
    /// the innermost frame (an item, or data_block).
    pub(super) fn value_slot(&self) -> (Span, Option<Span>, u32, u32) {
        match self.frames.last() {
            Some(Frame::Item {
                key,
                class,
                pos,
                parent,
                ..
            }) => (*key, *class, *pos, *parent),
            _ => (Span::EMPTY, None, self.pos as u32, NO_PARENT),
        }
    }

    pub(super) fn new_node(&mut self, kind: Kind, text: Span) -> R<u32> {
        let (key, class, pos, parent) = self.value_slot();
        self.push_node(NodeData::new(kind, (key, class), text, parent, pos))
    }

    /// Records `id` as the value of the innermost frame.
    pub(super) fn set_value(&mut self, id: u32) -> R<()> {
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

    pub(super) fn finish_container(&mut self, node: u32, mark: usize) -> R<()> {
        let kids = self.pending.len() - mark;
        let start = self.doc.children.len();
        if self.doc.nodes[node as usize].kind == Kind::Array {
            self.doc.children.resize(start + kids, NO_PARENT);
            for i in mark..self.pending.len() {
                let id = self.pending[i];
                let key = self.doc.text(self.doc.nodes[id as usize].key);
                let index = parse_index(key).unwrap_or(u32::MAX);
                let slot = start + index as usize;
                if index as usize >= kids {
                    return Err(self.node_err(E::IndexGap { index, len: kids }, id));
                }
                let first = self.doc.children[slot];
                if first != NO_PARENT {
                    let first = crate::doc::node_view(&self.doc, first).position();
                    return Err(self.node_err(E::DuplicateIndex { index, first }, id));
                }
                self.doc.children[slot] = id;
            }
        } else {
            self.check_unique_keys(mark)?;
            self.doc.children.extend_from_slice(&self.pending[mark..]);
        }
        self.pending.truncate(mark);
        self.doc.nodes[node as usize].text = Span {
            start: start as u32,
            len: kids as u32,
        };
        Ok(())
    }

    /// Rejects a key used twice in one dt_assoc: pairwise for small
    /// containers, a hash map for large ones, so the check stays linear.
    pub(super) fn check_unique_keys(&self, mark: usize) -> R<()> {
        let ids = &self.pending[mark..];
        let key = |id: u32| self.doc.text(self.doc.nodes[id as usize].key);
        let dup = if ids.len() <= 16 {
            ids.iter().enumerate().find_map(|(i, &b)| {
                ids[..i]
                    .iter()
                    .find(|&&a| key(a) == key(b))
                    .map(|&a| (a, b))
            })
        } else {
            let mut seen: HashMap<&str, u32> = HashMap::with_capacity(ids.len());
            ids.iter()
                .find_map(|&b| seen.insert(key(b), b).map(|a| (a, b)))
        };
        match dup {
            None => Ok(()),
            Some((a, b)) => {
                let first = crate::doc::node_view(&self.doc, a).position();
                Err(self.node_err(
                    E::DuplicateKey {
                        key: excerpt(key(b)),
                        first,
                    },
                    b,
                ))
            }
        }
    }
}

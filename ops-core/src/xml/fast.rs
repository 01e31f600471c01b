//! The fast path: a tokenizer on the raw bytes for the shapes OPS envelopes
//! are made of, `<item key="…">text</item>`, `<dt_assoc>`, `</dt_array>`,
//! text between elements and the five entity references.
//!
//! It is not a second parser. It cuts the input into exactly the events
//! quick-xml would produce for these shapes (the same text pieces, the same
//! names, the same positions) and hands them to the same handlers (`open`,
//! `close`, `text_event`), so the tree and every check stay in one place.
//! At the first byte it does not handle, always a `<` or a `&` (a comment,
//! CDATA, a processing instruction, the declaration, the DOCTYPE, an
//! attribute in an unusual form, a malformed tag or reference), it stops
//! and the quick-xml loop reads the next event from there. The differential
//! fuzz target `parse_differential` parses every input both ways.

use memchr::{memchr, memchr2, memchr3};

use super::*;

/// A byte the fast path accepts in an element name. Names with any other
/// byte (non-ASCII ones included) go to quick-xml.
#[inline]
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':')
}

impl<'a> Parser<'a> {
    /// Tokenizes from `at` for as long as the input has the shapes handled
    /// here. Returns the offset of the first construct left to quick-xml
    /// (always a `<` or a `&`), or `None` once the whole input is read.
    pub(super) fn fast(&mut self, mut at: usize) -> R<Option<usize>> {
        let input: &'a str = self.input();
        let b = input.as_bytes();
        loop {
            // Text up to the next markup or reference, as quick-xml cuts it.
            let Some(i) = memchr2(b'<', b'&', &b[at..]) else {
                if at < b.len() {
                    self.pos = at;
                    self.text_event(TextPiece::Raw(&input[at..]))?;
                }
                self.pos = b.len();
                return Ok(None);
            };
            let m = at + i;
            if m > at {
                self.pos = at;
                self.text_event(TextPiece::Raw(&input[at..m]))?;
            }
            at = match b[m] {
                b'&' => match self.fast_ref(m)? {
                    Some(end) => end,
                    None => return Ok(Some(m)),
                },
                _ => match self.fast_tag(m)? {
                    Some(end) => end,
                    None => return Ok(Some(m)),
                },
            };
        }
    }

    /// A reference `&…;` at `m`: the same name quick-xml would report (all
    /// up to the `;`, when no `&` or `<` comes first), resolved by the same
    /// function. `None` leaves an unclosed one to quick-xml.
    #[inline]
    fn fast_ref(&mut self, m: usize) -> R<Option<usize>> {
        let input: &'a str = self.input();
        let b = input.as_bytes();
        match memchr3(b';', b'&', b'<', &b[m + 1..]) {
            Some(i) if b[m + 1 + i] == b';' => {
                self.pos = m;
                let c = resolve_ref(&input[m + 1..m + 1 + i]).map_err(|k| self.err(k))?;
                self.text_event(TextPiece::Char(c))?;
                Ok(Some(m + 2 + i))
            }
            _ => Ok(None),
        }
    }

    /// A tag at `m` (`b[m]` is `<`) in one of the forms handled here:
    /// `</name>`, `<name>`, `<name/>`, or a name, whitespace and attributes
    /// that [`item_key_fast`](Self::item_key_fast) accepts, then `>` or
    /// `/>`. Returns the offset after the tag, or `None` to leave the tag to
    /// quick-xml.
    #[inline]
    fn fast_tag(&mut self, m: usize) -> R<Option<usize>> {
        let input: &'a str = self.input();
        let b = input.as_bytes();
        let end_tag = b.get(m + 1) == Some(&b'/');
        let start = m + 1 + usize::from(end_tag);
        let name_end = start
            + b[start..]
                .iter()
                .position(|&c| !is_name_byte(c))
                .unwrap_or(b.len() - start);
        if name_end == start {
            return Ok(None);
        }
        let name = &input[start..name_end];
        self.pos = m;
        match b.get(name_end) {
            Some(b'>') if end_tag => {
                self.close(Some(name))?;
                Ok(Some(name_end + 1))
            }
            _ if end_tag => Ok(None),
            Some(b'>') => {
                self.open(&BytesStart::from_content(name, name.len()))?;
                Ok(Some(name_end + 1))
            }
            Some(b'/') if b.get(name_end + 1) == Some(&b'>') => {
                self.open(&BytesStart::from_content(name, name.len()))?;
                self.close(None)?;
                Ok(Some(name_end + 2))
            }
            Some(&c) if is_xml_space(c) => {
                let Some(gt) = memchr(b'>', &b[name_end..]).map(|i| name_end + i) else {
                    return Ok(None);
                };
                let empty = b[gt - 1] == b'/';
                let content_end = gt - usize::from(empty);
                let attrs = &input[name_end..content_end];
                let Some(key) = self.item_key_fast(attrs) else {
                    return Ok(None);
                };
                match self.frames.last() {
                    // What `open` does for an item with this key.
                    Some(&Frame::Container { node, .. }) if name == "item" => {
                        self.push_item(key, None, node)?;
                    }
                    _ => {
                        let content = &input[start..content_end];
                        self.open(&BytesStart::from_content(content, name.len()))?;
                    }
                }
                if empty {
                    self.close(None)?;
                }
                Ok(Some(gt + 1))
            }
            _ => Ok(None),
        }
    }
}

//! The streaming writer: values go straight to a `String`, a `Vec<u8>` or an
//! `io::Write`, with no tree in between.
//!
//! The writer checks the order of calls (one value per item, items only in
//! containers), escapes `& < > " '` in keys and text, and refuses the
//! characters XML 1.0 cannot carry: it never emits malformed XML.

use std::io;

use crate::doc::Header;
use crate::error::{WriteError, WriteErrorKind};
use crate::value::{OwnedDocument, Value};
use crate::walk::{ToWriter, ValueRef};

/// Where the writer's output goes.
pub trait Sink {
    /// Appends `s`.
    fn push(&mut self, s: &str) -> io::Result<()>;
}

impl Sink for String {
    #[inline]
    fn push(&mut self, s: &str) -> io::Result<()> {
        self.push_str(s);
        Ok(())
    }
}

impl Sink for Vec<u8> {
    #[inline]
    fn push(&mut self, s: &str) -> io::Result<()> {
        self.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// Adapts any `io::Write` as a [`Sink`]. Wrap unbuffered writers in an
/// `io::BufWriter` first: the writer makes many small writes.
#[derive(Debug)]
pub struct IoSink<W: io::Write>(pub W);

impl<W: io::Write> Sink for IoSink<W> {
    fn push(&mut self, s: &str) -> io::Result<()> {
        self.0.write_all(s.as_bytes())
    }
}

/// The declaration and DOCTYPE that open every envelope, as OpenSRS sends them.
pub const PREAMBLE: &str = "<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\n<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>\n";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Frame {
    /// Inside `data_block`.
    Top {
        has_value: bool,
    },
    Assoc,
    Array {
        next: u32,
    },
    Item {
        has_value: bool,
        container: bool,
    },
}

/// Streams one envelope.
///
/// A whole envelope comes only from [`finish`](Self::finish) returning `Ok`.
/// After an error, what was already written (including part of the text of
/// the failing call) is the beginning of an envelope only: discard it. With
/// an `io::Write` sink, buffer the body and send it once `finish` succeeds
/// (the body must be signed anyway).
///
/// ```
/// use opensrs_core::{Header, Writer};
/// let mut w = Writer::new(String::new());
/// w.start_envelope(&Header::default())?;
/// w.start_assoc()?;
/// w.start_item("protocol")?;
/// w.scalar("XCP")?;
/// w.end_item()?;
/// w.end_assoc()?;
/// let xml = w.finish()?;
/// assert!(xml.ends_with(r#"<data_block><dt_assoc><item key="protocol">XCP</item></dt_assoc></data_block></body></OPS_envelope>"#));
/// assert_eq!(opensrs_core::parse_str(&xml)?.root().get("protocol").unwrap().as_str(), Some("XCP"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Writer<S: Sink> {
    out: S,
    pretty: bool,
    frames: Vec<Frame>,
    started: bool,
}

/// Indentation unit of pretty output.
const INDENT: &str = "    ";

impl<S: Sink> Writer<S> {
    /// A writer of compact, canonical output.
    pub fn new(out: S) -> Self {
        Writer {
            out,
            pretty: false,
            frames: Vec::with_capacity(16),
            started: false,
        }
    }

    /// A writer of indented output (four spaces), for people to read.
    /// Whitespace between elements is formatting: it parses to the same value.
    pub fn pretty(out: S) -> Self {
        Writer {
            pretty: true,
            ..Writer::new(out)
        }
    }

    fn raw(&mut self, s: &str) -> Result<(), WriteError> {
        self.out.push(s).map_err(|e| WriteError::new(e.into()))
    }

    fn misuse(m: &'static str) -> WriteError {
        WriteError::new(WriteErrorKind::Misuse(m))
    }

    fn newline(&mut self, extra: usize) -> Result<(), WriteError> {
        if self.pretty {
            // data_block sits at level 2 (OPS_envelope > body > data_block),
            // and the Top frame is the first on the stack.
            let level = 1 + self.frames.len() + extra;
            self.raw("\n")?;
            for _ in 0..level {
                self.raw(INDENT)?;
            }
        }
        Ok(())
    }

    /// Writes the declaration, DOCTYPE, header and the opening of
    /// `body` / `data_block`. Call once, first.
    pub fn start_envelope(&mut self, header: &Header<'_>) -> Result<(), WriteError> {
        if self.started {
            return Err(Self::misuse("start_envelope called twice"));
        }
        self.started = true;
        let (nl, i1, i2) = if self.pretty {
            ("\n", INDENT, "        ")
        } else {
            ("", "", "")
        };
        self.raw(PREAMBLE)?;
        self.raw("<OPS_envelope>")?;
        self.raw(nl)?;
        self.raw(i1)?;
        self.raw("<header>")?;
        for (name, v) in [
            ("version", Some(header.version)),
            ("msg_id", header.msg_id),
            ("msg_type", header.msg_type),
        ] {
            if let Some(v) = v {
                self.raw(nl)?;
                self.raw(i2)?;
                self.raw("<")?;
                self.raw(name)?;
                self.raw(">")?;
                escape_into(&mut self.out, v, false).map_err(|e| e.in_key(name))?;
                self.raw("</")?;
                self.raw(name)?;
                self.raw(">")?;
            }
        }
        self.raw(nl)?;
        self.raw(i1)?;
        self.raw("</header>")?;
        self.raw(nl)?;
        self.raw(i1)?;
        self.raw("<body>")?;
        self.raw(nl)?;
        self.raw(i2)?;
        self.raw("<data_block>")?;
        self.frames.push(Frame::Top { has_value: false });
        Ok(())
    }

    /// Marks the innermost frame as holding a value; errors if it can't.
    fn begin_value(&mut self, container: bool) -> Result<(), WriteError> {
        match self.frames.last_mut() {
            Some(Frame::Top { has_value } | Frame::Item { has_value, .. }) if !*has_value => {
                *has_value = true;
                if let Some(Frame::Item { container: c, .. }) = self.frames.last_mut() {
                    *c = container;
                }
                Ok(())
            }
            Some(Frame::Top { .. } | Frame::Item { .. }) => {
                Err(Self::misuse("more than one value in an item or data_block"))
            }
            Some(Frame::Assoc | Frame::Array { .. }) => Err(Self::misuse(
                "a value inside a container must sit in an item",
            )),
            None => Err(Self::misuse("start_envelope was not called")),
        }
    }

    /// Opens a dt_assoc.
    pub fn start_assoc(&mut self) -> Result<(), WriteError> {
        self.begin_value(true)?;
        self.newline(1)?;
        self.raw("<dt_assoc>")?;
        self.frames.push(Frame::Assoc);
        Ok(())
    }

    /// Closes the open dt_assoc.
    pub fn end_assoc(&mut self) -> Result<(), WriteError> {
        match self.frames.last() {
            Some(Frame::Assoc) => {
                self.frames.pop();
                self.newline(1)?;
                self.raw("</dt_assoc>")
            }
            _ => Err(Self::misuse("end_assoc without an open dt_assoc")),
        }
    }

    /// Opens a dt_array; its elements are numbered by [`start_element`](Self::start_element).
    pub fn start_array(&mut self) -> Result<(), WriteError> {
        self.begin_value(true)?;
        self.newline(1)?;
        self.raw("<dt_array>")?;
        self.frames.push(Frame::Array { next: 0 });
        Ok(())
    }

    /// Closes the open dt_array.
    pub fn end_array(&mut self) -> Result<(), WriteError> {
        match self.frames.last() {
            Some(Frame::Array { .. }) => {
                self.frames.pop();
                self.newline(1)?;
                self.raw("</dt_array>")
            }
            _ => Err(Self::misuse("end_array without an open dt_array")),
        }
    }

    /// Opens an item of the open dt_assoc; `key` is escaped. An error names
    /// the item in its path: callers wrap only the errors of its value.
    pub fn start_item(&mut self, key: &str) -> Result<(), WriteError> {
        if self.frames.last() != Some(&Frame::Assoc) {
            return Err(Self::misuse("start_item outside a dt_assoc"));
        }
        self.newline(1)?;
        self.raw("<item key=\"")?;
        escape_into(&mut self.out, key, true).map_err(|e| e.in_key(key))?;
        self.raw("\">")?;
        self.frames.push(Frame::Item {
            has_value: false,
            container: false,
        });
        Ok(())
    }

    /// Opens the next element of the open dt_array (keys `0`, `1`, ...);
    /// returns its index.
    pub fn start_element(&mut self) -> Result<usize, WriteError> {
        let Some(Frame::Array { next }) = self.frames.last_mut() else {
            return Err(Self::misuse("start_element outside a dt_array"));
        };
        let i = *next;
        *next += 1;
        self.newline(1)?;
        self.raw("<item key=\"")?;
        self.raw(itoa::Buffer::new().format(i))?;
        self.raw("\">")?;
        self.frames.push(Frame::Item {
            has_value: false,
            container: false,
        });
        Ok(i as usize)
    }

    /// Opens an item of the open dt_assoc with a `class` attribute (a Perl
    /// class name).
    pub fn start_item_with_class(&mut self, key: &str, class: &str) -> Result<(), WriteError> {
        self.open_item_class(Some(key), class)
    }

    /// Opens the next element of the open dt_array with a `class` attribute.
    pub fn start_element_with_class(&mut self, class: &str) -> Result<(), WriteError> {
        self.open_item_class(None, class)
    }

    /// Closes the open item. An item without a value is an empty scalar.
    pub fn end_item(&mut self) -> Result<(), WriteError> {
        match self.frames.last() {
            Some(&Frame::Item { container, .. }) => {
                self.frames.pop();
                if container {
                    self.newline(1)?;
                }
                self.raw("</item>")
            }
            _ => Err(Self::misuse("end_item without an open item")),
        }
    }

    /// Writes text: the text of the open item, or a `dt_scalar` when it is
    /// the whole data_block.
    pub fn scalar(&mut self, text: &str) -> Result<(), WriteError> {
        self.begin_value(false)?;
        if matches!(self.frames.last(), Some(Frame::Top { .. })) {
            self.newline(1)?;
            self.raw("<dt_scalar>")?;
            escape_into(&mut self.out, text, false)?;
            self.raw("</dt_scalar>")
        } else {
            escape_into(&mut self.out, text, false)
        }
    }

    /// Writes a `dt_scalarref`.
    pub fn scalar_ref(&mut self, text: &str) -> Result<(), WriteError> {
        self.begin_value(false)?;
        self.raw("<dt_scalarref>")?;
        escape_into(&mut self.out, text, false)?;
        self.raw("</dt_scalarref>")
    }

    /// Writes an owned value (iteratively: no recursion, whatever its depth).
    pub fn value(&mut self, v: &Value) -> Result<(), WriteError> {
        crate::walk::walk(ValueRef::top(v), &mut ToWriter::new(self))
    }

    /// Opens an item carrying a `class` attribute.
    fn open_item_class(&mut self, key: Option<&str>, class: &str) -> Result<(), WriteError> {
        let index = match (key, self.frames.last_mut()) {
            (Some(_), Some(Frame::Assoc)) => None,
            (None, Some(Frame::Array { next })) => {
                let i = *next;
                *next += 1;
                Some(i)
            }
            _ => return Err(Self::misuse("item outside its container")),
        };
        // Like `start_item`, an error names the item it opens.
        let named = |e: WriteError| match (key, index) {
            (Some(k), _) => e.in_key(k),
            (None, Some(i)) => e.in_index(i as usize),
            (None, None) => e,
        };
        self.newline(1)?;
        self.raw("<item key=\"")?;
        match (key, index) {
            (Some(k), _) => escape_into(&mut self.out, k, true).map_err(named)?,
            (None, Some(i)) => {
                self.raw(itoa::Buffer::new().format(i))?;
            }
            (None, None) => {}
        }
        self.raw("\" class=\"")?;
        escape_into(&mut self.out, class, true).map_err(named)?;
        self.raw("\">")?;
        self.frames.push(Frame::Item {
            has_value: false,
            container: false,
        });
        Ok(())
    }

    /// Closes `data_block`, `body` and the envelope, and returns the output.
    pub fn finish(mut self) -> Result<S, WriteError> {
        match self.frames.as_slice() {
            [Frame::Top { has_value: true }] => {}
            [Frame::Top { has_value: false }] => {
                return Err(Self::misuse("data_block holds no value"));
            }
            [] => return Err(Self::misuse("start_envelope was not called")),
            _ => return Err(Self::misuse("a container or item is still open")),
        }
        if self.pretty {
            self.raw("\n        </data_block>\n    </body>\n</OPS_envelope>\n")?;
        } else {
            self.raw("</data_block></body></OPS_envelope>")?;
        }
        Ok(self.out)
    }
}

/// What each byte needs: 0 nothing, 1 an escape, 2 a check (control byte or
/// the lead byte of U+FFFE / U+FFFF).
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = 2;
        i += 1;
    }
    t[b'&' as usize] = 1;
    t[b'<' as usize] = 1;
    t[b'>' as usize] = 1;
    t[b'"' as usize] = 1;
    t[b'\'' as usize] = 1;
    t[0xEF] = 2;
    t
};

/// Escapes `s` into `out`. In attributes, tab, LF and CR are written as
/// character references (attribute normalisation would turn them into
/// spaces); in text only CR is (line-end normalisation would drop it).
pub(crate) fn escape_into<S: Sink + ?Sized>(
    out: &mut S,
    s: &str,
    attribute: bool,
) -> Result<(), WriteError> {
    let bytes = s.as_bytes();
    let mut last = 0;
    let io = |e: io::Error| WriteError::new(e.into());
    for (i, &b) in bytes.iter().enumerate() {
        let class = CLASS[b as usize];
        if class == 0 {
            continue;
        }
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            b'\r' => "&#13;",
            b'\n' if attribute => "&#10;",
            b'\t' if attribute => "&#9;",
            b'\n' | b'\t' => continue,
            0xEF => {
                if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF))
                {
                    let c = if bytes[i + 2] == 0xBE { 0xFFFE } else { 0xFFFF };
                    return Err(WriteError::new(WriteErrorKind::ForbiddenChar(c)));
                }
                continue;
            }
            _ => return Err(WriteError::new(WriteErrorKind::ForbiddenChar(u32::from(b)))),
        };
        out.push(&s[last..i]).map_err(io)?;
        out.push(rep).map_err(io)?;
        last = i + 1;
    }
    out.push(&s[last..]).map_err(io)
}

/// Writes a value as a complete envelope with the default header, compact.
///
/// ```
/// use opensrs_core::{Value, write_value};
/// let xml = write_value(&Value::array(["a&b"]))?;
/// assert!(xml.contains(r#"<dt_array><item key="0">a&amp;b</item></dt_array>"#));
/// # Ok::<(), opensrs_core::WriteError>(())
/// ```
pub fn write_value(v: &Value) -> Result<String, WriteError> {
    let mut w = Writer::new(String::with_capacity(256));
    w.start_envelope(&Header::default())?;
    w.value(v)?;
    w.finish()
}

/// Writes an owned document, compact or pretty.
pub fn write_document(doc: &OwnedDocument, pretty: bool) -> Result<String, WriteError> {
    let out = String::with_capacity(256);
    let mut w = if pretty {
        Writer::pretty(out)
    } else {
        Writer::new(out)
    };
    w.start_envelope(&doc.header.as_header())?;
    w.value(&doc.value)?;
    w.finish()
}

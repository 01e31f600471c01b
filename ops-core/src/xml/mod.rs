//! The parser. This is the only module that uses quick-xml: its API changes
//! between minor versions, so it is kept behind this one door.
//!
//! The build is iterative: an explicit stack of frames, one per open
//! element, never recursion. Values go into the [arena](crate::arena)
//! through its builder; text borrows from the input unless it has to be
//! decoded.
//!
//! Tokens come from two places. The [fast path](fast) reads the shapes OPS
//! envelopes are made of straight from the bytes; at anything else (the
//! declaration, the DOCTYPE, comments, CDATA, unusual attributes, any
//! malformed markup) a quick-xml reader started at that byte reads the next
//! event (`Parser::slow`), and the fast path goes on after it. Both feed the
//! same handlers (`open`, `close`, `text_event`), which hold every check,
//! and the fuzz target `parse_differential` requires the same result with
//! the fast path on and off.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};

use crate::arena::{Builder, HeaderSpans, Kind, NodeId, Slot, Span};
use crate::doc::Document;
use crate::error::{ParseError, ParseErrorKind as E, Position};

mod attrs;
mod fast;
mod lexical;
mod prolog;
mod text;
mod tree;

use text::{TextAcc, TextPiece};

pub(crate) use lexical::{excerpt, parse_index};
use lexical::{
    find_forbidden, has_cr_or_gt, is_blank, is_name, is_xml_space, is_xml_space_char,
    push_normalised, resolve_ref,
};
use prolog::{check_decl_syntax, check_doctype};

/// Limits and settings of the parser.
///
/// ```
/// use opensrs_core::ParseOptions;
/// let opts = ParseOptions { max_depth: 8, ..ParseOptions::default() };
/// let xml = br#"<OPS_envelope><header><version>0.9</version></header>
///   <body><data_block><dt_scalar>hi</dt_scalar></data_block></body></OPS_envelope>"#;
/// assert_eq!(opts.parse(xml)?.root().as_str(), Some("hi"));
/// # Ok::<(), opensrs_core::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// Deepest nesting of dt_assoc / dt_array containers. Default 64.
    ///
    /// Parsing, [`Node::to_value`](crate::Node::to_value), the writer and
    /// dropping a [`Value`](crate::Value) are iterative at any depth. The
    /// derived `Clone`, `PartialEq` and `Debug` of an owned `Value` recurse,
    /// though: keep this limit in the hundreds if you clone or compare owned
    /// values (a 2 MiB thread stack held 700 levels in a debug build, 1,000
    /// in release).
    pub max_depth: usize,
    /// Largest input in bytes. Default 32 MiB; at most 2 GiB - 1.
    pub max_len: usize,
    /// Most values (items and containers) in one document. Default 2,000,000.
    pub max_nodes: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_depth: 64,
            max_len: 32 << 20,
            max_nodes: 2_000_000,
        }
    }
}

/// Parses an OPS envelope with the default [`ParseOptions`].
///
/// ```
/// let doc = opensrs_core::parse(br#"<OPS_envelope><header><version>0.9</version></header>
///   <body><data_block><dt_array><item key="1">b</item><item key="0">a</item></dt_array>
///   </data_block></body></OPS_envelope>"#)?;
/// let items: Vec<_> = doc.root().iter().map(|n| n.as_str().unwrap()).collect();
/// assert_eq!(items, ["a", "b"]); // index order, not document order
/// # Ok::<(), opensrs_core::ParseError>(())
/// ```
pub fn parse(input: &[u8]) -> Result<Document<'_>, ParseError> {
    ParseOptions::default().parse(input)
}

/// Parses an OPS envelope held in a `str` with the default [`ParseOptions`].
pub fn parse_str(input: &str) -> Result<Document<'_>, ParseError> {
    ParseOptions::default().parse_str(input)
}

const MAX_LEN_CAP: usize = (1 << 31) - 1;

impl ParseOptions {
    /// Parses bytes, which must be UTF-8.
    pub fn parse<'a>(&self, input: &'a [u8]) -> Result<Document<'a>, ParseError> {
        self.parse_bytes(input, true)
    }

    /// Parses a `str`.
    pub fn parse_str<'a>(&self, input: &'a str) -> Result<Document<'a>, ParseError> {
        self.parse_text(input, true)
    }

    /// [`parse`](Self::parse), with the fast path on or off: off, every
    /// event comes from quick-xml (what the differential fuzz target
    /// compares the fast path with).
    pub(crate) fn parse_bytes<'a>(
        &self,
        input: &'a [u8],
        fast: bool,
    ) -> Result<Document<'a>, ParseError> {
        self.check_len(input)?;
        let bom = match input {
            [0xFE, 0xFF, ..] => Some("big-endian"),
            [0xFF, 0xFE, ..] => Some("little-endian"),
            _ => None,
        };
        if let Some(order) = bom {
            return Err(ParseError::new(
                E::Utf16(order),
                Position::locate(input, 0),
                String::new(),
            ));
        }
        let s = std::str::from_utf8(input).map_err(|e| {
            let at = e.valid_up_to();
            let valid = std::str::from_utf8(&input[..at]).unwrap_or_default();
            ParseError::new(
                E::InvalidUtf8,
                Position::locate(input, at),
                self.path_at(valid, fast),
            )
        })?;
        self.parse_text(s, fast)
    }

    fn parse_text<'a>(&self, input: &'a str, fast: bool) -> Result<Document<'a>, ParseError> {
        self.check_len(input.as_bytes())?;
        if let Some(at) = find_forbidden(input.as_bytes()) {
            let c = input[at..].chars().next().map_or(0, u32::from);
            return Err(ParseError::new(
                E::ForbiddenChar(c),
                Position::locate(input.as_bytes(), at),
                self.path_at(&input[..at], fast),
            ));
        }
        Parser::new(input, *self, fast).run()
    }

    /// The key path open at the end of `prefix`, for an error found by a
    /// scan before parsing: the path of the error that parsing the prefix
    /// ends with. Only called on the error path.
    fn path_at(&self, prefix: &str, fast: bool) -> String {
        match Parser::new(prefix, *self, fast).run() {
            Err(e) => e.path().to_owned(),
            Ok(_) => String::new(),
        }
    }

    fn check_len(&self, input: &[u8]) -> Result<(), ParseError> {
        let max = self.max_len.min(MAX_LEN_CAP);
        if input.len() > max {
            return Err(ParseError::new(
                E::TooLarge {
                    len: input.len(),
                    max,
                },
                Position::locate(input, max),
                String::new(),
            ));
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Version,
    MsgId,
    MsgType,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Version => "version",
            Field::MsgId => "msg_id",
            Field::MsgType => "msg_type",
        }
    }
}

/// One open element.
enum Frame {
    Envelope {
        header: bool,
        body: bool,
    },
    Header,
    HeaderField(Field),
    Body {
        data_block: bool,
    },
    DataBlock {
        value: bool,
    },
    Container {
        node: NodeId,
        mark: u32,
    },
    Item {
        key: Span,
        class: Option<Span>,
        pos: u32,
        parent: NodeId,
        in_array: bool,
        /// The value element inside, once it has been read.
        value: Option<NodeId>,
    },
    Scalar {
        kind: Kind,
    },
}

impl Frame {
    fn context(&self) -> &'static str {
        match self {
            Frame::Envelope { .. } => "OPS_envelope",
            Frame::Header => "header",
            Frame::HeaderField(f) => f.name(),
            Frame::Body { .. } => "body",
            Frame::DataBlock { .. } => "data_block",
            Frame::Container { .. } => "a dt_assoc/dt_array (only <item> may appear)",
            Frame::Item { .. } => "item",
            Frame::Scalar { .. } => "dt_scalar/dt_scalarref (they hold text only)",
        }
    }
}

#[derive(PartialEq, Eq)]
enum Top {
    Prolog,
    Root,
    Done,
}

struct Parser<'a> {
    opts: ParseOptions,
    arena: Builder<'a>,
    /// Offset of the quick-xml input within the input (a BOM's length).
    base: usize,
    frames: Vec<Frame>,
    /// Children of the open containers, innermost last.
    pending: Vec<u32>,
    acc: TextAcc,
    depth: usize,
    top: Top,
    seen_doctype: bool,
    header: HeaderSpans,
    seen_fields: [bool; 3],
    root: Option<NodeId>,
    /// Start of the event being handled.
    pos: usize,
    /// Whether the [fast path](fast) reads what it can (off only to test
    /// it against the quick-xml loop alone).
    fast: bool,
}

type R<T> = Result<T, ParseError>;

impl<'a> Parser<'a> {
    fn new(input: &'a str, opts: ParseOptions, fast: bool) -> Self {
        let estimate = (input.len() / 40).clamp(16, 1 << 20);
        Parser {
            opts,
            arena: Builder::new(input),
            base: if input.starts_with('\u{FEFF}') { 3 } else { 0 },
            frames: Vec::with_capacity(32),
            pending: Vec::with_capacity(estimate / 2),
            acc: TextAcc::default(),
            depth: 0,
            top: Top::Prolog,
            seen_doctype: false,
            header: HeaderSpans::default(),
            seen_fields: [false; 3],
            root: None,
            pos: 0,
            fast,
        }
    }

    /// The input being parsed.
    #[inline]
    fn input(&self) -> &'a str {
        self.arena.arena().input()
    }

    /// The text of `span`.
    #[inline]
    fn text(&self, span: Span) -> &str {
        self.arena.arena().text(span)
    }

    // ---- errors -------------------------------------------------------

    fn err_at(&self, kind: E, offset: usize) -> ParseError {
        ParseError::new(
            kind,
            Position::locate(self.input().as_bytes(), offset),
            self.stack_path(),
        )
    }

    fn err(&self, kind: E) -> ParseError {
        self.err_at(kind, self.pos)
    }

    /// The key path of the open items, from the frame stack.
    fn stack_path(&self) -> String {
        let items = self.frames.iter().filter_map(|f| match f {
            Frame::Item { key, in_array, .. } => Some((*in_array, self.text(*key))),
            _ => None,
        });
        items.collect::<crate::path::KeyPath>().into_string()
    }

    fn node_err(&self, kind: E, id: NodeId) -> ParseError {
        let arena = self.arena.arena();
        ParseError::new(kind, arena.position(id), arena.path(id).into_string())
    }

    // ---- text ---------------------------------------------------------

    fn open(&mut self, e: &BytesStart<'a>) -> R<()> {
        let name = e.name().0;
        if name.is_empty() {
            return Err(self.err(E::WhitespaceAfterLt("<")));
        }
        let unexpected = |p: &Self, context| {
            p.err(E::UnexpectedElement {
                found: excerpt(name),
                context,
            })
        };
        let frame = match self.frames.last_mut() {
            None => {
                if self.top == Top::Done {
                    return Err(self.err(E::TrailingContent));
                }
                if name != "OPS_envelope" {
                    return Err(unexpected(
                        self,
                        "the document (the root is <OPS_envelope>)",
                    ));
                }
                self.no_attributes(e, "OPS_envelope")?;
                self.top = Top::Root;
                Frame::Envelope {
                    header: false,
                    body: false,
                }
            }
            Some(Frame::Envelope { header, body }) => match name {
                "header" if *header => return Err(self.err(E::DuplicateElement("header"))),
                "header" if *body => return Err(unexpected(self, "OPS_envelope after <body>")),
                "header" => {
                    *header = true;
                    self.no_attributes(e, "header")?;
                    Frame::Header
                }
                "body" if *body => return Err(self.err(E::DuplicateElement("body"))),
                "body" if !*header => return Err(self.err(E::MissingElement("header"))),
                "body" => {
                    *body = true;
                    self.no_attributes(e, "body")?;
                    Frame::Body { data_block: false }
                }
                _ => return Err(unexpected(self, "OPS_envelope")),
            },
            Some(Frame::Header) => {
                let field = match name {
                    "version" => Field::Version,
                    "msg_id" => Field::MsgId,
                    "msg_type" => Field::MsgType,
                    _ => return Err(unexpected(self, "header")),
                };
                let i = field as usize;
                if self.seen_fields[i] {
                    return Err(self.err(E::DuplicateElement(field.name())));
                }
                self.seen_fields[i] = true;
                self.no_attributes(e, field.name())?;
                self.acc = TextAcc::default();
                Frame::HeaderField(field)
            }
            Some(Frame::Body { data_block }) => {
                if name != "data_block" {
                    return Err(unexpected(self, "body"));
                }
                if *data_block {
                    return Err(self.err(E::DuplicateElement("data_block")));
                }
                *data_block = true;
                self.no_attributes(e, "data_block")?;
                Frame::DataBlock { value: false }
            }
            Some(Frame::DataBlock { value }) => {
                if *value {
                    return Err(self.err(E::MultipleValues("data_block")));
                }
                return self.open_value(e, name);
            }
            Some(Frame::Container { node, .. }) => {
                let node = *node;
                if name != "item" {
                    return Err(unexpected(
                        self,
                        "a dt_assoc/dt_array (only <item> may appear)",
                    ));
                }
                return self.open_item(e, node);
            }
            Some(Frame::Item { value, .. }) => {
                if value.is_some() {
                    return Err(self.err(E::MultipleValues("item")));
                }
                if self.acc.significant {
                    return Err(self.err(E::MixedContent));
                }
                self.discard_text();
                return self.open_value(e, name);
            }
            Some(Frame::HeaderField(_) | Frame::Scalar { .. }) => {
                let context = self.frames.last().map_or("", Frame::context);
                return Err(unexpected(self, context));
            }
        };
        self.frames.push(frame);
        Ok(())
    }

    /// Opens dt_assoc / dt_array / dt_scalar / dt_scalarref.
    fn open_value(&mut self, e: &BytesStart<'a>, name: &str) -> R<()> {
        let kind = match name {
            "dt_assoc" => Kind::Assoc,
            "dt_array" => Kind::Array,
            "dt_scalar" => Kind::Scalar,
            "dt_scalarref" => Kind::ScalarRef,
            _ => {
                let context = self.frames.last().map_or("", Frame::context);
                return Err(self.err(E::UnexpectedElement {
                    found: excerpt(name),
                    context,
                }));
            }
        };
        self.no_attributes(e, kind.name())?;
        match kind {
            Kind::Assoc | Kind::Array => {
                if self.depth >= self.opts.max_depth {
                    return Err(self.err(E::TooDeep {
                        max: self.opts.max_depth,
                    }));
                }
                self.depth += 1;
                let node = self.new_node(kind, Span::EMPTY)?;
                self.frames.push(Frame::Container {
                    node,
                    mark: self.pending.len() as u32,
                });
            }
            Kind::Scalar | Kind::ScalarRef => {
                self.acc = TextAcc::default();
                self.frames.push(Frame::Scalar { kind });
            }
        }
        Ok(())
    }

    fn open_item(&mut self, e: &BytesStart<'a>, parent: NodeId) -> R<()> {
        let (key, class) = match self.item_key_fast(e.attributes_raw()) {
            Some(key) => (key, None),
            None => self.item_attributes(e)?,
        };
        self.push_item(key, class, parent)
    }

    fn push_item(&mut self, key: Span, class: Option<Span>, parent: NodeId) -> R<()> {
        let in_array = self.arena.arena().kind(parent) == Kind::Array;
        self.frames.push(Frame::Item {
            key,
            class,
            pos: self.pos as u32,
            parent,
            in_array,
            value: None,
        });
        if in_array {
            let k = self.text(key);
            if parse_index(k).is_none() {
                return Err(self.err(E::InvalidIndex(excerpt(k))));
            }
        }
        self.acc = TextAcc::default();
        Ok(())
    }

    /// The element name a frame was opened with.
    fn frame_name(&self, frame: &Frame) -> &'static str {
        match frame {
            Frame::Envelope { .. } => "OPS_envelope",
            Frame::Header => "header",
            Frame::HeaderField(f) => f.name(),
            Frame::Body { .. } => "body",
            Frame::DataBlock { .. } => "data_block",
            Frame::Container { node, .. } => self.arena.arena().kind(*node).name(),
            Frame::Item { .. } => "item",
            Frame::Scalar { kind } => kind.name(),
        }
    }

    /// Closes the innermost element; `end` is the name of its end tag
    /// (`None` for an empty-element tag). End names are checked here, against
    /// the frame stack, rather than by quick-xml, which would copy every
    /// start name to check them.
    fn close(&mut self, end: Option<&str>) -> R<()> {
        let Some(frame) = self.frames.pop() else {
            // quick-xml's own words for it, as before readers could start
            // mid-document.
            let name = end.unwrap_or_default().to_owned();
            let e = quick_xml::Error::IllFormed(
                quick_xml::errors::IllFormedError::UnmatchedEndTag(name),
            );
            return Err(self.err(E::Syntax(e.to_string())));
        };
        if let Some(end) = end {
            if end.is_empty() || end.starts_with(is_xml_space_char) {
                self.frames.push(frame);
                return Err(self.err(E::WhitespaceAfterLt("</")));
            }
            let expected = self.frame_name(&frame);
            if end != expected {
                self.frames.push(frame);
                return Err(self.err(E::Syntax(format!(
                    "end tag </{end}> does not match the open <{expected}>"
                ))));
            }
        }
        match frame {
            Frame::Envelope { header, body } => {
                if !header {
                    return Err(self.err(E::MissingElement("header")));
                }
                if !body {
                    return Err(self.err(E::MissingElement("body")));
                }
                self.top = Top::Done;
            }
            Frame::Header => {
                if !self.seen_fields[Field::Version as usize] {
                    return Err(self.err(E::MissingElement("version")));
                }
            }
            Frame::HeaderField(f) => {
                let s = self.take_text();
                match f {
                    Field::Version => self.header.version = s,
                    Field::MsgId => self.header.msg_id = Some(s),
                    Field::MsgType => self.header.msg_type = Some(s),
                }
            }
            Frame::Body { data_block } => {
                if !data_block {
                    return Err(self.err(E::MissingElement("data_block")));
                }
            }
            Frame::DataBlock { value } => {
                if !value {
                    return Err(self.err(E::MissingElement(
                        "dt_assoc, dt_array, dt_scalar or dt_scalarref",
                    )));
                }
            }
            Frame::Container { node, mark } => {
                self.depth -= 1;
                self.finish_container(node, mark as usize)?;
                self.set_value(node)?;
            }
            Frame::Item {
                value,
                key,
                class,
                pos,
                parent,
                ..
            } => {
                let id = match value {
                    Some(id) => id,
                    None => {
                        if self.arena.arena().len() >= self.opts.max_nodes {
                            // Back on the stack, so that the error names the item.
                            self.frames.push(frame);
                            return Err(self.err(E::TooManyNodes {
                                max: self.opts.max_nodes,
                            }));
                        }
                        let text = self.take_text();
                        let slot = Slot {
                            key,
                            class,
                            parent: Some(parent),
                            pos,
                        };
                        self.arena.push(Kind::Scalar, slot, text)
                    }
                };
                self.pending.push(id);
                self.acc = TextAcc::default();
            }
            Frame::Scalar { kind } => {
                let text = self.take_text();
                let id = self.new_node(kind, text)?;
                self.set_value(id)?;
            }
        }
        Ok(())
    }

    fn run(mut self) -> R<Document<'a>> {
        // One BOM is the encoding signature; quick-xml would silently skip
        // a second one, which is U+FEFF text in the prolog.
        if self.input()[self.base..].starts_with('\u{FEFF}') {
            self.pos = self.base;
            return Err(self.err(E::UnexpectedText("the prolog")));
        }
        let mut at = Some(self.base);
        while let Some(from) = at {
            let from = if self.fast {
                match self.fast(from)? {
                    Some(from) => from,
                    None => break,
                }
            } else {
                from
            };
            at = self.slow(from)?;
            // A quick-xml event always consumes input, so this never
            // happens; if it did, quick-xml alone reads on rather than loop.
            if at.is_some_and(|at| at <= from) {
                debug_assert!(false, "no progress at {from}");
                self.fast = false;
            }
        }
        if let Some(f) = self.frames.last() {
            let what = match f {
                Frame::Item { .. } => "inside an <item>",
                _ => "before the envelope was closed",
            };
            return Err(self.err(E::UnexpectedEof(what)));
        }
        let Some(root) = self.root else {
            return Err(self.err(E::UnexpectedEof("no <OPS_envelope> element")));
        };
        Ok(Document::new(self.arena.finish(self.header, root)))
    }

    /// Reads events with quick-xml from `from`: only the next one while the
    /// fast path is on (it goes on after it), else all of them. Returns
    /// where it stopped, or `None` at the end of the input.
    ///
    /// `from` is the start of the input (after a BOM), or a `<` or a `&`
    /// where the fast path stopped: never a BOM, which a new reader would
    /// skip.
    fn slow(&mut self, from: usize) -> R<Option<usize>> {
        let input = self.input();
        debug_assert!(from == self.base || matches!(input.as_bytes()[from], b'<' | b'&'));
        let mut reader = Reader::from_str(&input[from..]);
        let cfg = reader.config_mut();
        // End names are checked by `close` against the frame stack, and so
        // are end tags with no start tag: a reader started mid-document
        // has not seen the start tags.
        cfg.check_end_names = false;
        cfg.allow_unmatched_ends = true;
        cfg.check_comments = true;
        cfg.expand_empty_elements = false;
        cfg.trim_text(false);
        loop {
            self.pos = from + reader.buffer_position() as usize;
            // Matched in place: moving the whole event out of the `Result`
            // first costs a store-forwarding stall on every event.
            match reader.read_event() {
                Err(e) => {
                    let at = from + reader.error_position() as usize;
                    if let quick_xml::Error::IllFormed(
                        quick_xml::errors::IllFormedError::UnclosedReference,
                    ) = e
                    {
                        // quick-xml reports where the text began; point at the `&`.
                        let input = input.as_bytes();
                        let end = input.len().min(at.saturating_add(4096));
                        let amp = input[at..end].iter().position(|&b| b == b'&');
                        return Err(self.err_at(E::BareAmpersand, amp.map_or(at, |i| at + i)));
                    }
                    return Err(self.err_at(E::Syntax(e.to_string()), at));
                }
                Ok(Event::Start(e)) => self.open(&e)?,
                Ok(Event::Empty(e)) => {
                    self.open(&e)?;
                    self.close(None)?;
                }
                Ok(Event::End(e)) => self.close(Some(e.name().0))?,
                Ok(Event::Text(t)) => self.text_event(TextPiece::Raw(&t.into_inner()))?,
                Ok(Event::CData(t)) => {
                    self.text_event(TextPiece::CData(&t.into_inner()))?;
                }
                Ok(Event::GeneralRef(r)) => {
                    let c = resolve_ref(&r).map_err(|k| self.err(k))?;
                    self.text_event(TextPiece::Char(c))?;
                }
                Ok(Event::Comment(_)) => {}
                Ok(Event::PI(pi)) => {
                    if pi.target().eq_ignore_ascii_case("xml") && pi.target() != "xml" {
                        return Err(self.err(E::DeclarationCase(pi.target().to_owned())));
                    }
                    if pi.target().eq_ignore_ascii_case("xml") {
                        return Err(self.err(E::MisplacedDeclaration));
                    }
                    if !is_name(pi.target()) {
                        return Err(self.err(E::Syntax(
                            "processing instruction target is not an XML name".into(),
                        )));
                    }
                }
                Ok(Event::Decl(d)) => {
                    // Only as the very first thing: any event before it
                    // (text included) starts earlier.
                    if self.pos != self.base {
                        return Err(self.err(E::MisplacedDeclaration));
                    }
                    self.check_decl(&d)?;
                }
                Ok(Event::DocType(d)) => {
                    if self.top != Top::Prolog || self.seen_doctype {
                        return Err(self.err(E::BadDoctype(
                            "only one DOCTYPE, before the root element".into(),
                        )));
                    }
                    self.seen_doctype = true;
                    // quick-xml takes `<!doctype` in any case, and without
                    // whitespace before the name.
                    let raw = input.as_bytes().get(self.pos..).unwrap_or_default();
                    if !raw.starts_with(b"<!DOCTYPE")
                        || !raw.get(9).is_some_and(|&b| is_xml_space(b))
                    {
                        return Err(self.err(E::BadDoctype(
                            "`<!DOCTYPE` must be upper case and followed by whitespace".into(),
                        )));
                    }
                    check_doctype(&d).map_err(|k| self.err(k))?;
                }
                Ok(Event::Eof) => return Ok(None),
            }
            if self.fast {
                return Ok(Some(from + reader.buffer_position() as usize));
            }
        }
    }

    fn check_decl(&self, d: &quick_xml::events::BytesDecl<'_>) -> R<()> {
        let bad = |m: String| self.err(E::BadDeclaration(m));
        // The text between `<?xml` and `?>`.
        let raw = self.input().get(self.pos..).unwrap_or_default();
        let inner = raw
            .find("?>")
            .and_then(|end| raw.get(5..end))
            .unwrap_or_default();
        check_decl_syntax(inner).map_err(bad)?;
        let version = d.version().map_err(|e| bad(e.to_string()))?;
        if &*version != "1.0" {
            return Err(bad(format!("version `{version}` (only 1.0)")));
        }
        if let Some(enc) = d.encoding() {
            let enc = enc.map_err(|e| bad(e.to_string()))?;
            // US-ASCII is a subset of UTF-8: a document that declares it
            // reads the same as UTF-8.
            if !["utf-8", "utf8", "us-ascii"]
                .iter()
                .any(|ok| enc.eq_ignore_ascii_case(ok))
            {
                return Err(self.err(E::UnsupportedEncoding(excerpt(&enc))));
            }
        }
        if let Some(sa) = d.standalone() {
            let sa = sa.map_err(|e| bad(e.to_string()))?;
            if &*sa != "yes" && &*sa != "no" {
                return Err(bad(format!("standalone `{sa}` (yes or no)")));
            }
        }
        Ok(())
    }
}

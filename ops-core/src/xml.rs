//! The parser. This is the only module that uses quick-xml: its API changes
//! between minor versions, so it is kept behind this one door.
//!
//! The build is iterative: an explicit stack of frames, one per open
//! element, never recursion. Values go into the flat arena of a
//! [`Document`]; text borrows from the input unless it has to be decoded.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};

use crate::doc::{Document, HeaderData, Kind, NO_PARENT, NodeData, Span};
use crate::error::{ParseError, ParseErrorKind as E, Position};

/// Limits and settings of the parser.
///
/// ```
/// use ops_core::ParseOptions;
/// let opts = ParseOptions { max_depth: 8, ..ParseOptions::default() };
/// let xml = br#"<OPS_envelope><header><version>0.9</version></header>
///   <body><data_block><dt_scalar>hi</dt_scalar></data_block></body></OPS_envelope>"#;
/// assert_eq!(opts.parse(xml)?.root().as_str(), Some("hi"));
/// # Ok::<(), ops_core::ParseError>(())
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
/// let doc = ops_core::parse(br#"<OPS_envelope><header><version>0.9</version></header>
///   <body><data_block><dt_array><item key="1">b</item><item key="0">a</item></dt_array>
///   </data_block></body></OPS_envelope>"#)?;
/// let items: Vec<_> = doc.root().iter().map(|n| n.as_str().unwrap()).collect();
/// assert_eq!(items, ["a", "b"]); // index order, not document order
/// # Ok::<(), ops_core::ParseError>(())
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
        self.check_len(input)?;
        let s = std::str::from_utf8(input).map_err(|e| {
            let at = e.valid_up_to();
            let valid = std::str::from_utf8(&input[..at]).unwrap_or_default();
            ParseError::new(
                E::InvalidUtf8,
                Position::locate(input, at),
                self.path_at(valid),
            )
        })?;
        self.parse_str(s)
    }

    /// Parses a `str`.
    pub fn parse_str<'a>(&self, input: &'a str) -> Result<Document<'a>, ParseError> {
        self.check_len(input.as_bytes())?;
        if let Some(at) = find_forbidden(input.as_bytes()) {
            let c = input[at..].chars().next().map_or(0, u32::from);
            return Err(ParseError::new(
                E::ForbiddenChar(c),
                Position::locate(input.as_bytes(), at),
                self.path_at(&input[..at]),
            ));
        }
        Parser::new(input, *self).run()
    }

    /// The key path open at the end of `prefix`, for an error found by a
    /// scan before parsing: the path of the error that parsing the prefix
    /// ends with. Only called on the error path.
    fn path_at(&self, prefix: &str) -> String {
        match Parser::new(prefix, *self).run() {
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

/// At most this many characters of the input are quoted in an error, so
/// that an error about a 20 MiB key does not copy it.
const EXCERPT: usize = 64;

/// `s`, or its first [`EXCERPT`] characters and `…`.
pub(crate) fn excerpt(s: &str) -> String {
    match s.char_indices().nth(EXCERPT) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// Whether `s` is an XML 1.0 Name (production 5).
fn is_name(s: &str) -> bool {
    fn start(c: char) -> bool {
        matches!(c, ':' | 'A'..='Z' | '_' | 'a'..='z'
            | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
            | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
            | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
            | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
    }
    let mut chars = s.chars();
    chars.next().is_some_and(start)
        && chars.all(|c| {
            start(c)
                || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}'
                    | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
        })
}

/// Whether `c` is a character XML 1.0 allows.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Finds the first character XML 1.0 forbids in valid UTF-8: a C0 control
/// other than tab, LF and CR, or U+FFFE / U+FFFF (`EF BF BE` / `EF BF BF`).
/// A branch-free test per byte, OR-ed over a 64-byte block, which LLVM turns
/// into vector compares; a block with a hit is rescanned exactly.
fn find_forbidden(b: &[u8]) -> Option<usize> {
    let mut base = 0;
    for chunk in b.chunks_exact(64) {
        let mut acc = 0u8;
        for &x in chunk {
            let ctrl = (x < 0x20) & (x != b'\t') & (x != b'\n') & (x != b'\r');
            acc |= u8::from(ctrl | (x == 0xEF));
        }
        if acc != 0
            && let Some(j) = find_forbidden_slow(b, base, base + 64)
        {
            return Some(j);
        }
        base += 64;
    }
    find_forbidden_slow(b, base, b.len())
}

fn find_forbidden_slow(b: &[u8], from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&i| match b[i] {
        c if c < 0x20 => !matches!(c, b'\t' | b'\n' | b'\r'),
        0xEF => b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)),
        _ => false,
    })
}

/// Whether `b` holds a CR or a `>`, eight bytes at a time: the scan every
/// piece of text gets, as cheap as the search for CR alone.
fn has_cr_or_gt(b: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(LO) & !x & HI != 0;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        if has_zero(x ^ (LO * 0x0D)) || has_zero(x ^ (LO * u64::from(b'>'))) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&c| c == b'\r' || c == b'>')
}

fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(is_xml_space)
}

/// Resolves the name inside `&...;`: one of the five predefined entities or
/// a character reference.
fn resolve_ref(name: &str) -> Result<char, E> {
    Ok(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let Some(num) = name.strip_prefix('#') else {
                return Err(E::UnknownEntity(excerpt(name)));
            };
            let (digits, radix) = match num.strip_prefix('x') {
                Some(h) => (h, 16),
                None => (num, 10),
            };
            if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
                return Err(E::InvalidCharRef(excerpt(name)));
            }
            // XML puts no bound on leading zeros; what is left must fit.
            let significant = digits.trim_start_matches('0');
            if significant.len() > 8 {
                return Err(E::ForbiddenCharRef(excerpt(name)));
            }
            let significant = if significant.is_empty() {
                "0"
            } else {
                significant
            };
            let n = u32::from_str_radix(significant, radix)
                .map_err(|_| E::ForbiddenCharRef(excerpt(name)))?;
            match char::from_u32(n) {
                Some(c) if is_xml_char(c) => c,
                _ => return Err(E::ForbiddenCharRef(excerpt(name))),
            }
        }
    })
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
        node: u32,
        mark: u32,
    },
    Item {
        key: Span,
        class: Option<Span>,
        pos: u32,
        parent: u32,
        in_array: bool,
        /// The value element inside, once it has been read.
        value: Option<u32>,
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

/// Text being collected for the innermost text-holding element.
#[derive(Default)]
struct TextAcc {
    span: Option<Span>,
    owned_start: usize,
    /// Holds non-whitespace text, a reference or CDATA: not formatting.
    significant: bool,
}

#[derive(PartialEq, Eq)]
enum Top {
    Prolog,
    Root,
    Done,
}

struct Parser<'a> {
    opts: ParseOptions,
    doc: Document<'a>,
    /// Offset of the quick-xml input within `doc.input` (a BOM's length).
    base: usize,
    frames: Vec<Frame>,
    /// Children of the open containers, innermost last.
    pending: Vec<u32>,
    acc: TextAcc,
    depth: usize,
    top: Top,
    seen_doctype: bool,
    header: HeaderData,
    seen_fields: [bool; 3],
    root: Option<u32>,
    /// Start of the event being handled.
    pos: usize,
}

type R<T> = Result<T, ParseError>;

impl<'a> Parser<'a> {
    fn new(input: &'a str, opts: ParseOptions) -> Self {
        let estimate = (input.len() / 40).clamp(16, 1 << 20);
        Parser {
            opts,
            doc: Document {
                input,
                owned: String::new(),
                nodes: Vec::with_capacity(estimate),
                children: Vec::with_capacity(estimate),
                header: HeaderData::default(),
                root: 0,
            },
            base: if input.starts_with('\u{FEFF}') { 3 } else { 0 },
            frames: Vec::with_capacity(32),
            pending: Vec::with_capacity(estimate / 2),
            acc: TextAcc::default(),
            depth: 0,
            top: Top::Prolog,
            seen_doctype: false,
            header: HeaderData::default(),
            seen_fields: [false; 3],
            root: None,
            pos: 0,
        }
    }

    // ---- errors -------------------------------------------------------

    fn err_at(&self, kind: E, offset: usize) -> ParseError {
        ParseError::new(
            kind,
            Position::locate(self.doc.input.as_bytes(), offset),
            self.stack_path(),
        )
    }

    fn err(&self, kind: E) -> ParseError {
        self.err_at(kind, self.pos)
    }

    /// The key path of the open items, from the frame stack.
    fn stack_path(&self) -> String {
        crate::doc::key_path(self.frames.iter().filter_map(|f| match f {
            Frame::Item { key, in_array, .. } => Some((*in_array, self.doc.text(*key))),
            _ => None,
        }))
    }

    fn node_err(&self, kind: E, id: u32) -> ParseError {
        let node = crate::doc::node_view(&self.doc, id);
        ParseError::new(kind, node.position(), node.path())
    }

    // ---- text ---------------------------------------------------------

    /// Offset of `s` within the input, if it is a slice of it.
    fn offset_of(&self, s: &str) -> Option<usize> {
        let start = self.doc.input.as_ptr() as usize;
        let p = s.as_ptr() as usize;
        (p >= start && p + s.len() <= start + self.doc.input.len()).then(|| p - start)
    }

    /// Moves the accumulated text into the owned buffer, so more can be appended.
    fn materialise(&mut self) {
        match self.acc.span {
            Some(s) if s.is_owned() => {}
            Some(s) => {
                if self.doc.owned.capacity() == 0 {
                    self.doc.owned.reserve((self.doc.input.len() / 16).max(64));
                }
                self.acc.owned_start = self.doc.owned.len();
                let text = self.doc.input.get(s.range()).unwrap_or_default();
                self.doc.owned.push_str(text);
                self.acc.span = Some(Span::owned(self.acc.owned_start, text.len()));
            }
            None => {
                if self.doc.owned.capacity() == 0 {
                    self.doc.owned.reserve((self.doc.input.len() / 16).max(64));
                }
                self.acc.owned_start = self.doc.owned.len();
                self.acc.span = Some(Span::owned(self.acc.owned_start, 0));
            }
        }
    }

    fn sync_owned_span(&mut self) {
        let start = self.acc.owned_start;
        self.acc.span = Some(Span::owned(start, self.doc.owned.len() - start));
    }

    /// Appends raw text (line ends not yet normalised).
    ///
    /// XML 1.0 (2.4) forbids `]]>` in character data; a CDATA piece never
    /// holds it (the section ends there), so the check serves both.
    fn push_text(&mut self, piece: &'a str, significant: bool) -> R<()> {
        if piece.is_empty() {
            return Ok(());
        }
        self.acc.significant |= significant || !is_blank(piece);
        // One pass for the two rare bytes; most text holds neither.
        let rare = has_cr_or_gt(piece.as_bytes());
        let has_cr = rare && piece.as_bytes().contains(&b'\r');
        if rare && let Some(i) = piece.as_bytes().windows(3).position(|w| w == b"]]>") {
            let at = self.offset_of(piece).map_or(self.pos, |o| o + i);
            return Err(self.err_at(E::Syntax("`]]>` in text".into()), at));
        }
        match (self.acc.span, self.offset_of(piece)) {
            (None, Some(off)) if !has_cr => {
                self.acc.span = Some(Span::input(off, piece.len()));
            }
            _ => {
                self.materialise();
                if has_cr {
                    push_normalised(&mut self.doc.owned, piece);
                } else {
                    self.doc.owned.push_str(piece);
                }
                self.sync_owned_span();
            }
        }
        Ok(())
    }

    fn push_char(&mut self, c: char) {
        self.acc.significant = true;
        self.materialise();
        self.doc.owned.push(c);
        self.sync_owned_span();
    }

    /// Drops the accumulated text (whitespace around a value element).
    fn discard_text(&mut self) {
        if let Some(s) = self.acc.span
            && s.is_owned()
        {
            self.doc.owned.truncate(self.acc.owned_start);
        }
        self.acc = TextAcc::default();
    }

    fn take_text(&mut self) -> Span {
        let s = self.acc.span.unwrap_or(Span::EMPTY);
        self.acc = TextAcc::default();
        s
    }

    /// An attribute value, normalised as XML 1.0 requires: references
    /// decoded, tab / CR / LF (and CR LF) turned into one space each.
    fn attr_value(&mut self, raw: &str) -> R<Span> {
        let plain = !raw
            .bytes()
            .any(|b| matches!(b, b'&' | b'<' | b'\t' | b'\n' | b'\r'));
        if plain && let Some(off) = self.offset_of(raw) {
            return Ok(Span::input(off, raw.len()));
        }
        if raw.contains('<') {
            return Err(self.err(E::Syntax("`<` in an attribute value".into())));
        }
        let start = self.doc.owned.len();
        let mut rest = raw;
        while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
            self.doc.owned.push_str(&rest[..i]);
            let b = rest.as_bytes()[i];
            if b == b'&' {
                let Some(end) = rest[i..].find(';') else {
                    return Err(self.err(E::Syntax("`&` without `;` in an attribute value".into())));
                };
                let c = resolve_ref(&rest[i + 1..i + end]).map_err(|k| self.err(k))?;
                self.doc.owned.push(c);
                rest = &rest[i + end + 1..];
            } else {
                self.doc.owned.push(' ');
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
            }
        }
        self.doc.owned.push_str(rest);
        Ok(Span::owned(start, self.doc.owned.len() - start))
    }

    // ---- nodes --------------------------------------------------------

    fn push_node(&mut self, data: NodeData) -> R<u32> {
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
    fn value_slot(&self) -> (Span, Option<Span>, u32, u32) {
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

    fn new_node(&mut self, kind: Kind, text: Span) -> R<u32> {
        let (key, class, pos, parent) = self.value_slot();
        self.push_node(NodeData {
            kind,
            has_class: class.is_some(),
            key,
            class: class.unwrap_or(Span::EMPTY),
            text,
            parent,
            pos,
        })
    }

    /// Records `id` as the value of the innermost frame.
    fn set_value(&mut self, id: u32) -> R<()> {
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

    // ---- elements -----------------------------------------------------

    fn no_attributes(&self, e: &BytesStart<'_>, element: &'static str) -> R<()> {
        if let Some(a) = e.attributes().next() {
            let attribute = match a {
                Ok(a) => excerpt(a.key.0),
                Err(e) => return Err(self.attr_error(e)),
            };
            return Err(self.err(E::UnexpectedAttribute { element, attribute }));
        }
        Ok(())
    }

    /// XML requires whitespace between attributes, which quick-xml does not
    /// check (`key='a'class='b'` is not well-formed): the offset after the
    /// closing quote of the value `raw` when no whitespace or tag end
    /// follows it. The caller reports it once the tokenizer has had its say
    /// on the whole tag.
    fn unseparated_attr(&self, raw: &str) -> Option<usize> {
        let after = self.offset_of(raw)? + raw.len() + 1;
        match self.doc.input.as_bytes().get(after) {
            Some(&b) if is_xml_space(b) || b == b'/' || b == b'>' => None,
            _ => Some(after),
        }
    }

    /// A malformed attribute, positioned at the offending character.
    fn attr_error(&self, e: AttrError) -> ParseError {
        let (at, msg) = match e {
            AttrError::ExpectedEq(p) => (p, "attribute name must be followed by `=`".to_owned()),
            AttrError::ExpectedValue(p) => (p, "`=` must be followed by a quoted value".to_owned()),
            AttrError::UnquotedValue(p) => (p, "attribute value must be quoted".to_owned()),
            AttrError::ExpectedQuote(p, q) => (
                p,
                format!("attribute value lacks its closing {}", q as char),
            ),
            AttrError::Duplicated(p, _) => (p, "duplicate attribute".to_owned()),
        };
        // Positions count from the character after `<`.
        self.err_at(E::Syntax(msg), self.pos + 1 + at)
    }

    fn open(&mut self, e: &BytesStart<'a>) -> R<()> {
        let name = e.name().0;
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

    /// The attributes of an `<item>` in their usual form, ` key="v"` alone
    /// (either quote, XML whitespace around) with nothing in `v` to decode
    /// or normalise: the span of `v`. `None` sends the tag down the general
    /// path, which reports every error.
    fn item_key_fast(&self, raw: &str) -> Option<Span> {
        let b = raw.as_bytes();
        let lead = b.iter().take_while(|&&c| is_xml_space(c)).count();
        if lead == 0 {
            return None;
        }
        let (q, v) = match b.get(lead..)? {
            [b'k', b'e', b'y', b'=', q @ (b'"' | b'\''), v @ ..] => (*q, v),
            _ => return None,
        };
        let end = v
            .iter()
            .position(|&c| c == q || matches!(c, b'&' | b'<' | b'\t' | b'\n' | b'\r'))?;
        if v[end] != q || !v[end + 1..].iter().all(|&c| is_xml_space(c)) {
            return None;
        }
        let start = self.offset_of(raw)? + lead + 5;
        Some(Span::input(start, end))
    }

    fn open_item(&mut self, e: &BytesStart<'a>, parent: u32) -> R<()> {
        let (key, class) = match self.item_key_fast(e.attributes_raw()) {
            Some(key) => (key, None),
            None => self.item_attributes(e)?,
        };
        self.push_item(key, class, parent)
    }

    /// The general path of [`open_item`](Self::open_item): quick-xml's
    /// attribute iterator, with its checks (and its allocation).
    #[cold]
    #[inline(never)]
    fn item_attributes(&mut self, e: &BytesStart<'a>) -> R<(Span, Option<Span>)> {
        let mut key = None;
        let mut class = None;
        let mut unseparated = None;
        for a in e.attributes() {
            let a = a.map_err(|e| self.attr_error(e))?;
            unseparated = unseparated.or(self.unseparated_attr(&a.value));
            match a.key.0 {
                "key" => key = Some(self.attr_value(&a.value)?),
                "class" => class = Some(self.attr_value(&a.value)?),
                other => {
                    return Err(self.err(E::UnexpectedAttribute {
                        element: "item",
                        attribute: excerpt(other),
                    }));
                }
            }
        }
        if let Some(at) = unseparated {
            return Err(self.err_at(
                E::Syntax("attributes must be separated by whitespace".into()),
                at,
            ));
        }
        let Some(key) = key else {
            return Err(self.err(E::MissingKey));
        };
        Ok((key, class))
    }

    fn push_item(&mut self, key: Span, class: Option<Span>, parent: u32) -> R<()> {
        let in_array = self.doc.nodes[parent as usize].kind == Kind::Array;
        self.frames.push(Frame::Item {
            key,
            class,
            pos: self.pos as u32,
            parent,
            in_array,
            value: None,
        });
        if in_array {
            let k = self.doc.text(key);
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
            Frame::Container { node, .. } => self.doc.nodes[*node as usize].kind.name(),
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
            return Err(self.err(E::Syntax("unmatched end tag".into())));
        };
        if let Some(end) = end {
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
                        if self.doc.nodes.len() >= self.opts.max_nodes {
                            // Back on the stack, so that the error names the item.
                            self.frames.push(frame);
                            return Err(self.err(E::TooManyNodes {
                                max: self.opts.max_nodes,
                            }));
                        }
                        let text = self.take_text();
                        let id = self.doc.nodes.len() as u32;
                        self.doc.nodes.push(NodeData {
                            kind: Kind::Scalar,
                            has_class: class.is_some(),
                            key,
                            class: class.unwrap_or(Span::EMPTY),
                            text,
                            parent,
                            pos,
                        });
                        id
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

    fn finish_container(&mut self, node: u32, mark: usize) -> R<()> {
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
    fn check_unique_keys(&self, mark: usize) -> R<()> {
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

    // ---- text events --------------------------------------------------

    /// Text (raw, CDATA or a decoded reference) in the innermost frame.
    fn text_event(&mut self, piece: TextPiece<'a>) -> R<()> {
        let holds_text = match self.frames.last() {
            Some(
                Frame::Item { value: None, .. } | Frame::Scalar { .. } | Frame::HeaderField(_),
            ) => true,
            Some(Frame::Item { value: Some(_), .. }) => {
                return match piece {
                    TextPiece::Raw(s) if is_blank(s) => Ok(()),
                    _ => Err(self.err(E::MixedContent)),
                };
            }
            _ => false,
        };
        if holds_text {
            match piece {
                TextPiece::Raw(s) => self.push_text(s, false)?,
                TextPiece::CData(s) => {
                    self.acc.significant = true;
                    self.push_text(s, true)?;
                }
                TextPiece::Char(c) => self.push_char(c),
            }
            return Ok(());
        }
        if let TextPiece::Raw(s) = piece
            && is_blank(s)
        {
            return Ok(());
        }
        Err(match self.frames.last() {
            Some(f) => self.err(E::UnexpectedText(f.context())),
            None if self.top == Top::Done => self.err(E::TrailingContent),
            None => self.err(E::UnexpectedText("the prolog")),
        })
    }

    // ---- the loop -----------------------------------------------------

    fn run(mut self) -> R<Document<'a>> {
        let body = &self.doc.input[self.base..];
        // One BOM is the encoding signature; quick-xml would silently skip
        // a second one, which is U+FEFF text in the prolog.
        if body.starts_with('\u{FEFF}') {
            self.pos = self.base;
            return Err(self.err(E::UnexpectedText("the prolog")));
        }
        let mut reader = Reader::from_str(body);
        let cfg = reader.config_mut();
        // End names are checked by `close` against the frame stack.
        cfg.check_end_names = false;
        cfg.check_comments = true;
        cfg.expand_empty_elements = false;
        cfg.trim_text(false);
        let mut first = true;
        loop {
            self.pos = self.base + reader.buffer_position() as usize;
            let was_first = std::mem::replace(&mut first, false);
            // Matched in place: moving the whole event out of the `Result`
            // first costs a store-forwarding stall on every event.
            match reader.read_event() {
                Err(e) => {
                    let at = self.base + reader.error_position() as usize;
                    return Err(self.err_at(E::Syntax(e.to_string()), at));
                }
                Ok(Event::Start(e)) => self.open(&e)?,
                Ok(Event::Empty(e)) => {
                    self.open(&e)?;
                    self.close(None)?;
                }
                Ok(Event::End(e)) => self.close(Some(e.name().0))?,
                Ok(Event::Text(t)) => self.text_event(TextPiece::Raw(borrowed(t.into_inner())))?,
                Ok(Event::CData(t)) => {
                    self.text_event(TextPiece::CData(borrowed(t.into_inner())))?;
                }
                Ok(Event::GeneralRef(r)) => {
                    let c = resolve_ref(&r).map_err(|k| self.err(k))?;
                    self.text_event(TextPiece::Char(c))?;
                }
                Ok(Event::Comment(_)) => {}
                Ok(Event::PI(pi)) => {
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
                    if !was_first || self.pos != self.base {
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
                    let raw = self
                        .doc
                        .input
                        .as_bytes()
                        .get(self.pos..)
                        .unwrap_or_default();
                    if !raw.starts_with(b"<!DOCTYPE")
                        || !raw.get(9).is_some_and(|&b| is_xml_space(b))
                    {
                        return Err(self.err(E::BadDoctype(
                            "`<!DOCTYPE` must be upper case and followed by whitespace".into(),
                        )));
                    }
                    check_doctype(&d).map_err(|k| self.err(k))?;
                }
                Ok(Event::Eof) => break,
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
        self.doc.root = root;
        self.doc.header = self.header;
        Ok(self.doc)
    }

    fn check_decl(&self, d: &quick_xml::events::BytesDecl<'_>) -> R<()> {
        let bad = |m: String| self.err(E::BadDeclaration(m));
        // The text between `<?xml` and `?>`.
        let raw = self.doc.input.get(self.pos..).unwrap_or_default();
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
            if !enc.eq_ignore_ascii_case("utf-8") {
                return Err(bad(format!("encoding `{enc}` (only UTF-8)")));
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

enum TextPiece<'a> {
    Raw(&'a str),
    CData(&'a str),
    Char(char),
}

/// quick-xml's slice reader hands out borrowed text; an owned one would
/// only come from a future change of that crate, and is then leaked
/// into nothing: it is copied by the caller through `push_text`.
fn borrowed(c: std::borrow::Cow<'_, str>) -> &str {
    match c {
        std::borrow::Cow::Borrowed(s) => s,
        std::borrow::Cow::Owned(_) => "",
    }
}

fn push_normalised(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if rest.starts_with('\n') {
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
}

/// A dt_array index: decimal digits only, fitting in u32.
pub(crate) fn parse_index(k: &str) -> Option<u32> {
    if k.is_empty() || !k.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    k.parse().ok()
}

/// Checks the pseudo-attributes of an XML declaration as strictly as XML 1.0
/// has them, which quick-xml does not: `version`, then optionally
/// `encoding`, then optionally `standalone`, each after whitespace, each
/// once, and nothing else. Their values are checked by the caller.
fn check_decl_syntax(s: &str) -> Result<(), String> {
    const NAMES: [&str; 3] = ["version", "encoding", "standalone"];
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let mut rest = s;
    // Index in NAMES of the first name still allowed.
    let mut next = 0;
    loop {
        let t = rest.trim_start_matches(ws);
        if t.is_empty() {
            return Ok(());
        }
        if t.len() == rest.len() {
            return Err("whitespace expected between pseudo-attributes".into());
        }
        let name_len = t.find(|c: char| c == '=' || ws(c)).unwrap_or(t.len());
        let name = &t[..name_len];
        match NAMES.iter().position(|&n| n == name) {
            Some(i) if i >= next && (next > 0 || i == 0) => next = i + 1,
            Some(_) => {
                return Err(format!(
                    "`{name}` out of place (version, encoding, standalone)"
                ));
            }
            None => return Err(format!("unknown pseudo-attribute `{name}`")),
        }
        let Some(t) = t[name_len..].trim_start_matches(ws).strip_prefix('=') else {
            return Err(format!("`=` expected after `{name}`"));
        };
        let t = t.trim_start_matches(ws);
        let Some(q) = t.chars().next().filter(|&c| c == '"' || c == '\'') else {
            return Err(format!("quoted value expected after `{name}=`"));
        };
        let Some(end) = t[1..].find(q) else {
            return Err(format!("unterminated value of `{name}`"));
        };
        rest = &t[end + 2..];
    }
}

/// Checks the text of `<!DOCTYPE ...>`: the name `OPS_envelope`, an
/// optional external id (never fetched), and no internal subset.
fn check_doctype(content: &str) -> Result<(), E> {
    let bad = |m: &str| E::BadDoctype(m.to_owned());
    let s = content.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let name_end = s
        .find(|c: char| c.is_ascii_whitespace() || c == '[')
        .unwrap_or(s.len());
    if &s[..name_end] != "OPS_envelope" {
        return Err(bad("the DOCTYPE must name OPS_envelope"));
    }
    let mut rest = s[name_end..].trim_start();
    let literals = if let Some(r) = rest.strip_prefix("SYSTEM") {
        rest = r;
        1
    } else if let Some(r) = rest.strip_prefix("PUBLIC") {
        rest = r;
        2
    } else {
        0
    };
    for _ in 0..literals {
        let r = rest.trim_start();
        if r.len() == rest.len() {
            return Err(bad("whitespace expected before a literal"));
        }
        let Some(q) = r.chars().next().filter(|&c| c == '"' || c == '\'') else {
            return Err(bad("quoted literal expected"));
        };
        let Some(end) = r[1..].find(q) else {
            return Err(bad("unterminated literal"));
        };
        rest = &r[end + 2..];
    }
    let rest = rest.trim_start();
    if rest.starts_with('[') {
        return Err(E::InternalSubset);
    }
    if !rest.is_empty() {
        return Err(bad("unexpected text after the external id"));
    }
    Ok(())
}

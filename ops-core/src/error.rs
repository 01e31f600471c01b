//! Errors of the parser and of the writer.

use std::fmt;

/// Where in the input an error was found.
///
/// `offset` is a byte offset into the input as given (a UTF-8 BOM included);
/// `line` and `column` are 1-based, and the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Position {
    /// Byte offset from the start of the input.
    pub offset: usize,
    /// Line number, starting at 1.
    pub line: u32,
    /// Column number in characters, starting at 1.
    pub column: u32,
}

impl Position {
    /// Computes line and column of `offset` in `input`.
    ///
    /// Only called on the error path: it scans the input up to `offset`.
    /// Lines end at LF, CR LF or a lone CR, as XML 1.0 has them.
    pub fn locate(input: &[u8], offset: usize) -> Position {
        let offset = offset.min(input.len());
        let before = &input[..offset];
        let mut lines = 0;
        let mut line_start = 0;
        for (i, &b) in before.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && input.get(i + 1) != Some(&b'\n')) {
                lines += 1;
                line_start = i + 1;
            }
        }
        // Count characters, not bytes: every byte that is not a UTF-8
        // continuation byte starts a character.
        let column = before[line_start..]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        Position {
            offset,
            line: u32::try_from(lines + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A parse error: what went wrong, where (byte offset, line, column), and the
/// key path of the value being read (`attributes.domain_list[3].auth_info`).
///
/// Display reads `LINE:COL: message (at KEY.PATH)`; the path part is left out
/// when the error sits outside any item.
///
/// ```
/// let err = opensrs_core::parse(b"<OPS_envelope>").unwrap_err();
/// assert_eq!(err.position().line, 1);
/// assert!(err.to_string().starts_with("1:15: "), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    kind: ParseErrorKind,
    position: Position,
    path: String,
}

impl ParseError {
    /// Every message is bounded here, in one place: text quoted from the
    /// input (a 20 MiB element name, quick-xml's own message about it) is cut
    /// to [`MAX_MESSAGE`] characters, so an error never copies unbounded input.
    ///
    /// Inside a secret item (a key path through one of
    /// [`SECRET_KEYS`](crate::secret::SECRET_KEYS)) no text of the input is
    /// quoted at all: see [`redact_secret`].
    pub(crate) fn new(mut kind: ParseErrorKind, position: Position, path: String) -> Self {
        use ParseErrorKind as K;
        if crate::secret::path_is_secret(&path) {
            redact_secret(&mut kind);
        }
        match &mut kind {
            K::Syntax(m)
            | K::BadDeclaration(m)
            | K::BadDoctype(m)
            | K::UnsupportedEncoding(m)
            | K::DeclarationCase(m) => bound(m),
            K::UnknownEntity(m)
            | K::InvalidCharRef(m)
            | K::ForbiddenCharRef(m)
            | K::InvalidIndex(m)
            | K::UnexpectedElement { found: m, .. }
            | K::UnexpectedAttribute { attribute: m, .. }
            | K::DuplicateKey { key: m, .. } => bound(m),
            _ => {}
        }
        ParseError {
            kind,
            position,
            path: bound_path(path),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ParseErrorKind {
        &self.kind
    }

    /// Where it went wrong.
    pub fn position(&self) -> Position {
        self.position
    }

    /// The key path of the value being read, e.g. `attributes.domain_list[3]`;
    /// empty outside any item.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// The most characters of a message an error keeps.
pub(crate) const MAX_MESSAGE: usize = 160;

/// The most characters of a rule's or a custom decode message: the
/// command's own sentence, whose quoted input is already bounded.
pub(crate) const MAX_RULE: usize = 240;

/// The most characters of one piece of input (a key, an element name, a
/// value) that a message quotes.
pub(crate) const MAX_QUOTE: usize = 64;

/// Cuts `m` to [`MAX_MESSAGE`] characters, escaped by [`quote`].
pub(crate) fn bound(m: &mut String) {
    if needs_quote(m, MAX_MESSAGE) {
        *m = quote(m, MAX_MESSAGE);
    }
}

/// Whether [`quote`] would change `s`: it is longer than `max_chars` or
/// holds a character to escape. Lets callers skip the copy.
pub(crate) fn needs_quote(s: &str, max_chars: usize) -> bool {
    (s.len() > max_chars && s.chars().nth(max_chars).is_some()) || s.chars().any(needs_escape)
}

/// The one helper that quotes input in a message: `s` with every control
/// character and every bidirectional control escaped (`\n`, `\u{1B}`,
/// `\u{202E}`), so nothing raw reaches a terminal, cut to at most
/// `max_chars` characters of output followed by `…` when it is longer.
///
/// Escaping is idempotent (a backslash is kept as is), so a message built
/// from quoted pieces can be quoted again as a whole.
pub(crate) fn quote(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max_chars.saturating_mul(4).saturating_add(3)));
    let mut count = 0;
    for c in s.chars() {
        let start = out.len();
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{{{:X}}}", u32::from(c));
            }
            c => out.push(c),
        }
        count += out[start..].chars().count();
        if count > max_chars {
            out.truncate(start);
            out.push('…');
            break;
        }
    }
    out
}

/// A key path for an error, cut at its start to [`MAX_MESSAGE`] characters
/// (`…` first): the innermost keys name the value. Its keys are already
/// quoted by the one key-path builder, [`KeyPath`](crate::path::KeyPath).
pub(crate) fn bound_path(mut path: String) -> String {
    let chars = path.chars().count();
    if chars > MAX_MESSAGE {
        let cut = path
            .char_indices()
            .nth(chars - (MAX_MESSAGE - 1))
            .map_or(0, |(i, _)| i);
        path.replace_range(..cut, "…");
    }
    path
}

/// Whether `c` must not reach a terminal raw: a C0/C1 control or DEL, a
/// line or paragraph separator, or a bidirectional control (the embeddings
/// and overrides U+202A–U+202E, the isolates U+2066–U+2069, the marks
/// U+200E, U+200F and U+061C).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Replaces every text a parse error quotes from the input with
/// [`REDACTED`](crate::secret::REDACTED): for an error inside a secret item,
/// where that text may be part of an auth code or password. The kind, the
/// position and the path stay. A forbidden character, and a character
/// reference that names one (`&#1;`), are kept: XML cannot carry that
/// character, so it is no part of any value, and naming it is what lets the
/// user find it.
fn redact_secret(kind: &mut ParseErrorKind) {
    use ParseErrorKind as K;
    match kind {
        K::Syntax(m)
        | K::BadDeclaration(m)
        | K::BadDoctype(m)
        | K::UnknownEntity(m)
        | K::InvalidCharRef(m)
        | K::InvalidIndex(m)
        | K::UnexpectedElement { found: m, .. }
        | K::UnexpectedAttribute { attribute: m, .. }
        | K::DuplicateKey { key: m, .. } => {
            crate::secret::REDACTED.clone_into(m);
        }
        _ => {}
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.position, self.kind)?;
        if !self.path.is_empty() {
            write!(f, " (at {})", self.path)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

/// The kinds of [`ParseError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The input is longer than [`ParseOptions::max_len`](crate::ParseOptions::max_len).
    #[error("input is {len} bytes, more than the limit of {max}")]
    TooLarge {
        /// Length of the input.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Containers are nested deeper than [`ParseOptions::max_depth`](crate::ParseOptions::max_depth).
    #[error("dt_assoc/dt_array nesting deeper than the limit of {max}")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// More values than [`ParseOptions::max_nodes`](crate::ParseOptions::max_nodes).
    #[error("more than the limit of {max} values")]
    TooManyNodes {
        /// The limit.
        max: usize,
    },
    /// The input is not valid UTF-8.
    #[error("input is not valid UTF-8")]
    InvalidUtf8,
    /// A character XML 1.0 does not allow appears in the input.
    #[error("character U+{0:04X} is not allowed in XML 1.0")]
    ForbiddenChar(u32),
    /// A character reference names a character XML 1.0 does not allow.
    #[error("character reference `&{0};` names a character XML 1.0 does not allow")]
    ForbiddenCharRef(String),
    /// A character reference that is not a well-formed number.
    #[error("malformed character reference `&{0};`")]
    InvalidCharRef(String),
    /// A `&` that starts no reference: a literal `&` in text must be written `&amp;`.
    #[error(
        "`&` starts no entity or character reference (`&name;`): write `&amp;` for a literal `&`"
    )]
    BareAmpersand,
    /// An entity reference other than the five predefined ones.
    #[error("unknown entity `&{0};` (only &lt; &gt; &amp; &apos; &quot; are allowed)")]
    UnknownEntity(String),
    /// A DOCTYPE with an internal subset (`[...]`): never accepted.
    #[error("DOCTYPE with an internal subset is not accepted")]
    InternalSubset,
    /// A DOCTYPE that is malformed or names another root element.
    #[error("malformed DOCTYPE: {0}")]
    BadDoctype(String),
    /// An XML declaration that is not at the very start of the input.
    #[error("XML declaration is only allowed at the start of the input")]
    MisplacedDeclaration,
    /// A declared encoding other than UTF-8 (US-ASCII, a subset, is accepted).
    #[error("{0} is not supported: OPS envelopes are UTF-8")]
    UnsupportedEncoding(String),
    /// The input starts with a UTF-16 byte order mark (`FE FF` or `FF FE`).
    #[error("input is UTF-16 ({0} byte order mark): OPS envelopes are UTF-8")]
    Utf16(&'static str),
    /// `<?XML` or another case of `<?xml`: the declaration's name is lower case.
    #[error("`<?{0}` is not an XML declaration: write it lower-case, `<?xml`")]
    DeclarationCase(String),
    /// Whitespace between `<` (or `</`) and the element name.
    #[error("whitespace after `{0}`: the element name must follow it directly")]
    WhitespaceAfterLt(&'static str),
    /// An XML declaration with an unsupported version, encoding or standalone value.
    #[error("unsupported XML declaration: {0}")]
    BadDeclaration(String),
    /// Malformed XML, as reported by the tokenizer.
    #[error("malformed XML: {0}")]
    Syntax(String),
    /// The input ended inside the document.
    #[error("unexpected end of input: {0}")]
    UnexpectedEof(&'static str),
    /// An element that has no place here.
    #[error("unexpected element <{found}> in {context}")]
    UnexpectedElement {
        /// The element found.
        found: String,
        /// Where it was found.
        context: &'static str,
    },
    /// An attribute that has no place here.
    #[error("unexpected attribute `{attribute}` on <{element}>")]
    UnexpectedAttribute {
        /// The element.
        element: &'static str,
        /// The attribute.
        attribute: String,
    },
    /// Non-whitespace text where only elements may appear.
    #[error("unexpected text in {0}")]
    UnexpectedText(&'static str),
    /// Text beside a container inside an item.
    #[error("item holds both text and a dt_assoc/dt_array/dt_scalar value")]
    MixedContent,
    /// More than one value inside an item or data_block.
    #[error("more than one value in {0}")]
    MultipleValues(&'static str),
    /// A required element is missing.
    #[error("missing <{0}>")]
    MissingElement(&'static str),
    /// An element that may appear only once appears twice.
    #[error("duplicate <{0}>")]
    DuplicateElement(&'static str),
    /// An `<item>` without a `key` attribute.
    #[error("item without a `key` attribute")]
    MissingKey,
    /// A key that appears twice in one dt_assoc.
    #[error("duplicate key `{key}` in dt_assoc (first at {first})")]
    DuplicateKey {
        /// The key.
        key: String,
        /// Where the first item with that key starts.
        first: Position,
    },
    /// A dt_array index that is not a non-negative decimal integer.
    #[error("dt_array index `{0}` is not an index: digits only, at most 4294967295")]
    InvalidIndex(String),
    /// A dt_array index that appears twice.
    #[error("duplicate dt_array index {index} (first at {first})")]
    DuplicateIndex {
        /// The index.
        index: u32,
        /// Where the first item with that index starts.
        first: Position,
    },
    /// A dt_array whose indices are not exactly `0..len`.
    #[error("dt_array index {index} leaves a gap: an array of {len} items takes indices 0 to {}", len.saturating_sub(1))]
    IndexGap {
        /// The index out of range.
        index: u32,
        /// Number of items in the array.
        len: usize,
    },
    /// Content after the root element.
    #[error("content after the root element")]
    TrailingContent,
}

/// An error of the writer.
///
/// ```
/// use opensrs_core::{Value, write_value};
/// let err = write_value(&Value::assoc([("bad", Value::from("\u{1}"))])).unwrap_err();
/// assert_eq!(err.path(), "bad");
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{kind}{}", if path.as_str().is_empty() { String::new() } else { format!(" (at {})", path.as_str()) })]
pub struct WriteError {
    kind: WriteErrorKind,
    path: crate::path::KeyPath,
}

impl WriteError {
    pub(crate) fn new(kind: WriteErrorKind) -> Self {
        WriteError {
            kind,
            path: crate::path::KeyPath::new(),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &WriteErrorKind {
        &self.kind
    }

    /// The key path of the value being written, e.g. `attributes.domain_list[3]`.
    pub fn path(&self) -> &str {
        self.path.as_str()
    }

    /// Prepends a key path segment: `key` in a dt_assoc (quoted as every
    /// path quotes keys).
    ///
    /// Encoders call this while an error travels up, so the path costs
    /// nothing when writing succeeds.
    pub fn in_key(mut self, key: &str) -> Self {
        self.path.prepend_key(key);
        self
    }

    /// Prepends a key path segment: index `i` in a dt_array.
    pub fn in_index(mut self, i: usize) -> Self {
        self.path.prepend_index(i);
        self
    }
}

/// The kinds of [`WriteError`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteErrorKind {
    /// A character XML 1.0 cannot carry, even escaped.
    #[error("character U+{0:04X} cannot be written in XML 1.0")]
    ForbiddenChar(u32),
    /// The streaming writer was driven in an order that would not give an
    /// envelope (e.g. two values in one item).
    #[error("writer misuse: {0}")]
    Misuse(&'static str),
    /// The output failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The value breaks a rule of its type (`#[xcp(validate = ...)]`),
    /// checked on encode as on decode; the error's path is the rule's.
    #[error("{} (rule `{}`)", .0.message(), .0.rule())]
    Rule(crate::convert::RuleError),
}

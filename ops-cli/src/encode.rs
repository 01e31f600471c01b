//! `opensrs encode`: JSON in, an envelope out.
//!
//! The JSON is read by struson's streaming reader (RFC 8259, strict: no
//! comments, no trailing comma, one top-level value), which feeds the
//! streaming writer as it goes: no tree is built in between. What the
//! mapping needs beyond a generic JSON value:
//!
//! - a number is written as the text it was given (`1.0` stays `1.0`, `1e3`
//!   stays `1e3`, `-0` stays `-0`, 40 digits stay 40 digits);
//! - a key that appears twice in one object is an error (a dt_assoc cannot
//!   hold it), with the position of the first;
//! - nesting is bounded by `--max-depth`, checked here on an explicit stack
//!   (struson's reader is iterative too), counted as the XML parser counts
//!   dt_assoc / dt_array nesting;
//! - every error carries line, column and the key path of the value being
//!   read, in the parser's format (`attributes.domain_list[3].auth_info`),
//!   with input quoted bounded and escaped.
//!
//! Objects become dt_assoc (member order kept), arrays dt_array, strings
//! text, numbers their text, `true`/`false` `1`/`0`; `null` is an error.
//! A leading UTF-8 byte order mark is skipped.

use std::collections::HashMap;

use opensrs_core::{Header, Position, Sink, WriteError, Writer};
use struson::reader::{
    JsonReader, JsonStreamReader, ReaderError, ReaderSettings, SyntaxErrorKind as S, ValueType,
};

/// An error with its byte offset and the key path of the value being read.
#[derive(Debug)]
pub(crate) struct EncodeError {
    pub(crate) offset: usize,
    pub(crate) message: String,
    pub(crate) path: String,
}

/// Limits of the reader.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Deepest nesting of objects and arrays, counted as the XML parser
    /// counts dt_assoc / dt_array nesting.
    pub(crate) max_depth: usize,
}

/// How many characters of a key or of the input an error quotes.
const QUOTE: usize = 64;

/// Reads the JSON text `input` and writes it as an envelope with the
/// default header.
pub(crate) fn encode<S: Sink>(
    input: &[u8],
    out: S,
    pretty: bool,
    limits: Limits,
) -> Result<S, EncodeError> {
    let text = std::str::from_utf8(input).map_err(|e| EncodeError {
        offset: e.valid_up_to(),
        message: "input is not valid UTF-8".to_owned(),
        path: String::new(),
    })?;
    let base = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let mut w = if pretty {
        Writer::pretty(out)
    } else {
        Writer::new(out)
    };
    let settings = ReaderSettings {
        // Nesting is bounded below, with the parser's message and limit.
        max_nesting_depth: None,
        // Numbers are written as their text, never parsed: any size is fine.
        restrict_number_values: false,
        // The key path is kept below, in the parser's format.
        track_path: false,
        ..ReaderSettings::default()
    };
    let mut r = Reader {
        json: JsonStreamReader::new_custom(&input[base..], settings),
        input,
        base,
        stack: Vec::new(),
        limits,
    };
    w.start_envelope(&Header::default())
        .map_err(|e| r.write_error(0, &e))?;
    r.run(&mut w)?;
    let end = input.len();
    let json = std::mem::replace(&mut r.json, JsonStreamReader::new(&[][..]));
    json.consume_trailing_whitespace()
        .map_err(|e| r.reader_error(e, Expect::Trailing))?;
    w.finish().map_err(|e| EncodeError {
        offset: end,
        message: e.kind().to_string(),
        path: String::new(),
    })
}

/// An open object or array, with the member or element being read.
enum Open {
    Object {
        /// Keys seen so far, with the offset of each.
        keys: HashMap<String, usize>,
        /// The key of the member being read.
        current: Option<String>,
    },
    Array {
        /// Index of the element being read.
        current: Option<usize>,
    },
}

/// What the reader expected when struson reported an error: it picks the
/// message's "expected ..." part.
#[derive(Clone, Copy)]
enum Expect {
    Value,
    Key,
    /// `,` or the end of the innermost object (`true`) or array.
    Next(bool),
    Trailing,
}

struct Reader<'a> {
    json: JsonStreamReader<&'a [u8]>,
    input: &'a [u8],
    /// Length of a skipped BOM: struson's offsets start after it.
    base: usize,
    stack: Vec<Open>,
    limits: Limits,
}

type R<T> = Result<T, EncodeError>;

impl Reader<'_> {
    /// Reads the one top-level value, iteratively.
    fn run<S: Sink>(&mut self, w: &mut Writer<S>) -> R<()> {
        loop {
            if let Some(top) = self.stack.last() {
                let object = matches!(top, Open::Object { .. });
                let more = match self.json.has_next() {
                    Ok(more) => more,
                    Err(e) => return Err(self.has_next_error(e, object)),
                };
                if !more {
                    self.close(w, object)?;
                    if self.stack.is_empty() {
                        return Ok(());
                    }
                    self.end_item(w)?;
                    continue;
                }
                if object {
                    self.member_key(w)?;
                } else {
                    self.next_element(w)?;
                }
            }
            if self.value(w)? {
                continue;
            }
            if self.stack.is_empty() {
                return Ok(());
            }
            self.end_item(w)?;
        }
    }

    /// Reads one value. A scalar is written whole: then `false`. A
    /// container is opened and `true` returned: its items are read next.
    fn value<S: Sink>(&mut self, w: &mut Writer<S>) -> R<bool> {
        let kind = self
            .json
            .peek()
            .map_err(|e| self.reader_error_in(e, Expect::Value))?;
        let start = self.offset();
        match kind {
            ValueType::Object | ValueType::Array => {
                let object = kind == ValueType::Object;
                if self.stack.len() >= self.limits.max_depth {
                    return Err(self.err(
                        start,
                        format!(
                            "objects and arrays nested deeper than the limit of {}",
                            self.limits.max_depth
                        ),
                    ));
                }
                let r = if object {
                    self.json.begin_object()
                } else {
                    self.json.begin_array()
                };
                r.map_err(|e| self.reader_error_in(e, Expect::Value))?;
                let r = if object {
                    w.start_assoc()
                } else {
                    w.start_array()
                };
                r.map_err(|e| self.write_error(start, &e))?;
                self.stack.push(if object {
                    Open::Object {
                        keys: HashMap::new(),
                        current: None,
                    }
                } else {
                    Open::Array { current: None }
                });
                Ok(true)
            }
            ValueType::String => {
                let r = match self.json.next_str() {
                    Ok(s) => w.scalar(s),
                    Err(e) => return Err(self.reader_error_at(e, Expect::Value, start)),
                };
                r.map_err(|e| self.write_error(start, &e))?;
                Ok(false)
            }
            ValueType::Number => {
                let r = match self.json.next_number_as_str() {
                    Ok(s) => w.scalar(s),
                    Err(e) => return Err(self.reader_error_at(e, Expect::Value, start)),
                };
                r.map_err(|e| self.write_error(start, &e))?;
                Ok(false)
            }
            ValueType::Boolean => {
                let b = self
                    .json
                    .next_bool()
                    .map_err(|e| self.reader_error_at(e, Expect::Value, start))?;
                w.scalar(if b { "1" } else { "0" })
                    .map_err(|e| self.write_error(start, &e))?;
                Ok(false)
            }
            ValueType::Null => Err(self.err(
                start,
                "null has no dt_* form: leave the member out, or use \"\" for an empty value",
            )),
        }
    }

    /// Closes the innermost container, at its `}` or `]`.
    fn close<S: Sink>(&mut self, w: &mut Writer<S>, object: bool) -> R<()> {
        let at = self.offset();
        let r = if object {
            self.json.end_object()
        } else {
            self.json.end_array()
        };
        r.map_err(|e| self.reader_error_in(e, Expect::Next(object)))?;
        self.stack.pop();
        let r = if object { w.end_assoc() } else { w.end_array() };
        r.map_err(|e| self.write_error(at, &e))
    }

    /// Closes the item holding the value just read.
    fn end_item<S: Sink>(&mut self, w: &mut Writer<S>) -> R<()> {
        let at = self.offset();
        w.end_item().map_err(|e| self.write_error(at, &e))
    }

    /// Reads `"key":` and opens its item.
    fn member_key<S: Sink>(&mut self, w: &mut Writer<S>) -> R<()> {
        if let Some(Open::Object { current, .. }) = self.stack.last_mut() {
            *current = None;
        }
        let start = self.offset();
        let key = self
            .json
            .next_name_owned()
            .map_err(|e| self.reader_error_at(e, Expect::Key, start))?;
        let mut first = None;
        if let Some(Open::Object { keys, current }) = self.stack.last_mut() {
            first = keys.get(&key).copied();
            if first.is_none() {
                keys.insert(key.clone(), start);
            }
            *current = Some(key);
        }
        if let Some(first) = first {
            let first = Position::locate(self.input, first);
            let key = self.current_key();
            let message = format!(
                "duplicate key `{}` in object (first at {first})",
                opensrs_core::__private::quote(key, QUOTE)
            );
            return Err(self.err(start, message));
        }
        w.start_item(self.current_key())
            .map_err(|e| self.write_error(start, &e))
    }

    fn current_key(&self) -> &str {
        match self.stack.last() {
            Some(Open::Object {
                current: Some(k), ..
            }) => k,
            _ => "",
        }
    }

    /// Opens the item of the next array element.
    fn next_element<S: Sink>(&mut self, w: &mut Writer<S>) -> R<()> {
        let at = self.offset();
        if let Some(Open::Array { current }) = self.stack.last_mut() {
            *current = Some(current.map_or(0, |i| i + 1));
        }
        w.start_element()
            .map(drop)
            .map_err(|e| self.write_error(at, &e))
    }

    /// The byte offset in the input (BOM included) that struson is at.
    fn offset(&self) -> usize {
        self.struson_offset(&self.json.current_position(false))
    }

    fn struson_offset(&self, p: &struson::reader::JsonReaderPosition) -> usize {
        let at = p
            .data_pos
            .and_then(|d| usize::try_from(d).ok())
            .unwrap_or(0);
        (self.base + at).min(self.input.len())
    }

    /// The key path of the value being read, built by ops-core's one
    /// key-path builder (each key quoted, bounded and escaped).
    fn path(&self) -> String {
        let mut path = opensrs_core::__private::KeyPath::new();
        for open in &self.stack {
            match open {
                Open::Object {
                    current: Some(k), ..
                } => path.push_key(k),
                Open::Array { current: Some(i) } => path.push_index(*i),
                Open::Object { current: None, .. } | Open::Array { current: None } => {}
            }
        }
        path.into_string()
    }

    fn err(&self, offset: usize, message: impl Into<String>) -> EncodeError {
        EncodeError {
            offset,
            message: message.into(),
            path: self.path(),
        }
    }

    /// An error of `has_next`, which reads past a `,` (or the opening `{` /
    /// `[`) to the start of the next member or element: there it is about
    /// that member's key or that element's value, reported at its place.
    fn has_next_error(&mut self, e: ReaderError, object: bool) -> EncodeError {
        let at = match &e {
            ReaderError::SyntaxError(s) => self.struson_offset(&s.location),
            _ => self.offset(),
        };
        let before = self.input[..at]
            .iter()
            .rev()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
        if !matches!(before, Some(b',' | b'[' | b'{')) {
            return self.reader_error(e, Expect::Next(object));
        }
        match self.stack.last_mut() {
            Some(Open::Object { current, .. }) => {
                *current = None;
                self.reader_error(e, Expect::Key)
            }
            Some(Open::Array { current }) => {
                *current = Some(current.map_or(0, |i| i + 1));
                self.reader_error_at(e, Expect::Value, at)
            }
            None => self.reader_error(e, Expect::Value),
        }
    }

    /// struson's error, at the position it reports.
    fn reader_error_in(&mut self, e: ReaderError, expect: Expect) -> EncodeError {
        self.reader_error(e, expect)
    }

    /// struson's error inside a token that starts at `start` (a number, a
    /// key, a literal): reported at the token, as the parser reports.
    fn reader_error_at(&mut self, e: ReaderError, expect: Expect, start: usize) -> EncodeError {
        let unterminated = matches!(
            &e,
            ReaderError::SyntaxError(s) if s.kind == S::IncompleteDocument
        ) && self.input.get(start) == Some(&b'"');
        let mut err = self.reader_error(e, expect);
        if unterminated {
            err.message = "unterminated string".to_owned();
            err.offset = start;
        }
        if err.message == "invalid number" || err.message == "invalid literal" {
            err.offset = start;
        }
        err
    }

    /// Translates struson's error into the parser's words: what was
    /// expected, what was found, where.
    fn reader_error(&mut self, e: ReaderError, expect: Expect) -> EncodeError {
        let (kind, location) = match e {
            ReaderError::SyntaxError(s) => (Some(s.kind), s.location),
            ReaderError::IoError { location, .. } => {
                let offset = self.struson_offset(&location);
                return self.err(offset, "input is not valid UTF-8");
            }
            ReaderError::MaxNestingDepthExceeded { location, .. }
            | ReaderError::UnexpectedValueType { location, .. }
            | ReaderError::UnexpectedStructure { location, .. }
            | ReaderError::UnsupportedNumberValue { location, .. } => (None, location),
            // Any other error struson may add: described by struson.
            other => return self.err(self.offset(), other.to_string()),
        };
        let mut offset = self.struson_offset(&location);
        let mut expected = match expect {
            Expect::Value => "a JSON value",
            Expect::Key => "a string key",
            Expect::Next(true) => "`,` or `}` after an object member",
            Expect::Next(false) => "`,` or `]` after an array element",
            Expect::Trailing => "",
        };
        if kind == Some(S::TrailingCommaNotEnabled) {
            // struson points at the `,`; the error is what follows it, in
            // the place of the next member or element.
            let after = self.input[offset..]
                .iter()
                .skip(1)
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
            offset = after.map_or(self.input.len(), |i| offset + 1 + i);
            match self.stack.last_mut() {
                Some(Open::Object { current, .. }) => {
                    *current = None;
                    expected = "a string key";
                }
                Some(Open::Array { current }) => {
                    *current = Some(current.map_or(0, |i| i + 1));
                    expected = "a JSON value";
                }
                None => {}
            }
        }
        let found = match std::str::from_utf8(&self.input[offset..]) {
            Ok(rest) => rest.chars().next(),
            Err(_) => None,
        };
        let found = match found {
            None => "the end of the input".to_owned(),
            Some(c) => format!(
                "`{}`",
                opensrs_core::__private::quote(&c.to_string(), QUOTE)
            ),
        };
        let message = match kind {
            Some(S::MalformedNumber | S::TrailingDataAfterNumber) => "invalid number".to_owned(),
            Some(S::TrailingDataAfterLiteral) => "invalid literal".to_owned(),
            Some(S::NotEscapedControlCharacter) => {
                let c = self.input.get(offset).copied().unwrap_or(0);
                format!("control character U+{c:04X} must be escaped in a JSON string")
            }
            Some(S::UnknownEscapeSequence | S::MalformedEscapeSequence) => {
                "invalid escape in string".to_owned()
            }
            Some(S::UnpairedSurrogatePairEscapeSequence) => {
                "unpaired surrogate in \\u escape".to_owned()
            }
            Some(S::MissingColon) => format!("expected `:` after an object key, found {found}"),
            Some(S::CommentsNotEnabled | S::IncompleteComment | S::BlockCommentNotClosed) => {
                "comments are not JSON".to_owned()
            }
            Some(S::TrailingData) => "unexpected content after the JSON value".to_owned(),
            _ if matches!(expect, Expect::Trailing) => {
                "unexpected content after the JSON value".to_owned()
            }
            _ => format!("expected {expected}, found {found}"),
        };
        self.err(offset, message)
    }

    /// A writer error at `offset`: a character XML cannot carry, or (never
    /// expected) a misuse of the writer.
    fn write_error(&self, offset: usize, e: &WriteError) -> EncodeError {
        self.err(offset, e.kind().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits { max_depth: 64 };

    fn encode_str(json: &str) -> Result<String, EncodeError> {
        encode(json.as_bytes(), String::new(), false, LIMITS)
    }

    fn body(xml: &str) -> &str {
        let start = xml.find("<data_block>").unwrap() + "<data_block>".len();
        let end = xml.find("</data_block>").unwrap();
        &xml[start..end]
    }

    fn error(json: &str) -> (String, String, String) {
        let e = encode_str(json).unwrap_err();
        let p = Position::locate(json.as_bytes(), e.offset);
        (p.to_string(), e.message, e.path)
    }

    #[test]
    fn maps_every_json_kind() {
        let xml = encode_str(
            r#" {"s": "a<&>\"'\u00e9\ud834\udd1e", "n": [1.0, -0, 1e3, 2E-7, 10], "b": [true, false], "o": {}, "a": [], "e": ""} "#,
        )
        .unwrap();
        assert_eq!(
            body(&xml),
            concat!(
                r#"<dt_assoc><item key="s">a&lt;&amp;&gt;&quot;&apos;é𝄞</item>"#,
                r#"<item key="n"><dt_array><item key="0">1.0</item><item key="1">-0</item><item key="2">1e3</item><item key="3">2E-7</item><item key="4">10</item></dt_array></item>"#,
                r#"<item key="b"><dt_array><item key="0">1</item><item key="1">0</item></dt_array></item>"#,
                r#"<item key="o"><dt_assoc></dt_assoc></item><item key="a"><dt_array></dt_array></item><item key="e"></item></dt_assoc>"#,
            )
        );
        let doc = opensrs_core::parse_str(&xml).unwrap();
        assert_eq!(
            doc.root().get("s").and_then(|n| n.as_str()),
            Some("a<&>\"'é𝄞")
        );
    }

    #[test]
    fn top_level_scalars_and_bom() {
        assert_eq!(
            body(&encode_str("\u{FEFF}\"x\"").unwrap()),
            "<dt_scalar>x</dt_scalar>"
        );
        assert_eq!(
            body(&encode_str("42").unwrap()),
            "<dt_scalar>42</dt_scalar>"
        );
        assert_eq!(
            body(&encode_str("true").unwrap()),
            "<dt_scalar>1</dt_scalar>"
        );
    }

    #[test]
    fn errors_carry_position_and_path() {
        let cases: &[(&str, (&str, &str, &str))] = &[
            (
                "",
                (
                    "1:1",
                    "expected a JSON value, found the end of the input",
                    "",
                ),
            ),
            (
                "{\"a\": {\"b\": [1, null]}}",
                (
                    "1:17",
                    "null has no dt_* form: leave the member out, or use \"\" for an empty value",
                    "a.b[1]",
                ),
            ),
            (
                "{\"a\": 1,}",
                ("1:9", "expected a string key, found `}`", ""),
            ),
            (
                "{\"a\": 1, \"a\": 2}",
                ("1:10", "duplicate key `a` in object (first at 1:2)", "a"),
            ),
            (
                "[1 2]",
                (
                    "1:4",
                    "expected `,` or `]` after an array element, found `2`",
                    "[0]",
                ),
            ),
            ("[01]", ("1:2", "invalid number", "[0]")),
            ("[1.]", ("1:2", "invalid number", "[0]")),
            ("[-]", ("1:2", "invalid number", "[0]")),
            ("[tru]", ("1:2", "expected a JSON value, found `t`", "[0]")),
            ("[truex]", ("1:2", "invalid literal", "[0]")),
            (
                "{\"k\":\n \"a\u{1}\"}",
                (
                    "2:4",
                    "control character U+0001 must be escaped in a JSON string",
                    "k",
                ),
            ),
            (
                "{\"k\": \"\\u0001\"}",
                ("1:7", "character U+0001 cannot be written in XML 1.0", "k"),
            ),
            (
                "{\"\\uFFFF\": 1}",
                (
                    "1:2",
                    "character U+FFFF cannot be written in XML 1.0",
                    "\u{FFFF}",
                ),
            ),
            (
                "[\"\\ud800\"]",
                ("1:3", "unpaired surrogate in \\u escape", "[0]"),
            ),
            (
                "[\"\\udc00\"]",
                ("1:3", "unpaired surrogate in \\u escape", "[0]"),
            ),
            ("[\"\\x\"]", ("1:3", "invalid escape in string", "[0]")),
            ("[\"abc", ("1:2", "unterminated string", "[0]")),
            (
                "{\"a\" 1}",
                ("1:6", "expected `:` after an object key, found `1`", "a"),
            ),
            (
                "{} x",
                ("1:4", "unexpected content after the JSON value", ""),
            ),
            (
                "[1",
                (
                    "1:3",
                    "expected `,` or `]` after an array element, found the end of the input",
                    "[0]",
                ),
            ),
            ("é", ("1:1", "expected a JSON value, found `é`", "")),
        ];
        let mut wrong = Vec::new();
        for (json, (pos, message, path)) in cases {
            let (p, m, pa) = error(json);
            if (p.as_str(), m.as_str(), pa.as_str()) != (*pos, *message, *path) {
                wrong.push(format!("{json:?}: got {:?}", (p, m, pa)));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let e = encode(b"[\"a\xff\"]", String::new(), false, LIMITS).unwrap_err();
        assert_eq!(
            (e.offset, e.message.as_str()),
            (3, "input is not valid UTF-8")
        );
    }

    #[test]
    fn depth_is_bounded_as_the_parser_bounds_it() {
        let limits = Limits { max_depth: 3 };
        let ok = "[[[]]]";
        let xml = encode(ok.as_bytes(), String::new(), false, limits).unwrap();
        let opts = opensrs_core::ParseOptions {
            max_depth: 3,
            ..Default::default()
        };
        assert!(opts.parse_str(&xml).is_ok());
        let e = encode(b"[[[[]]]]", String::new(), false, limits).unwrap_err();
        assert_eq!(e.offset, 3);
        assert_eq!(e.path, "[0][0][0]");
        // Deep input is no problem for the reader itself.
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let limits = Limits { max_depth: 200_000 };
        assert!(encode(deep.as_bytes(), Vec::new(), false, limits).is_ok());
    }
}

//! `opensrs encode`: JSON in, an envelope out.
//!
//! A small strict JSON reader (RFC 8259) that feeds the streaming writer as
//! it goes. It is not serde_json's because the mapping needs what a generic
//! JSON value loses or refuses:
//!
//! - a number is written as the text it was given (`1.0` stays `1.0`, `1e3`
//!   stays `1e3`, `-0` stays `-0`), which serde_json only keeps with its
//!   `arbitrary_precision` feature, a feature that would change serde_json
//!   for every crate of the workspace;
//! - a key that appears twice in one object is an error (a dt_assoc cannot
//!   hold it), where serde_json keeps the last one silently;
//! - nesting is bounded by `--max-depth`, checked on an explicit stack, with
//!   no recursion (serde_json recurses and stops at 128);
//! - every error carries line, column and the key path of the value being
//!   read, in the parser's format (`attributes.domain_list[3].auth_info`).
//!
//! Objects become dt_assoc (member order kept), arrays dt_array, strings
//! text, numbers their text, `true`/`false` `1`/`0`; `null` is an error.
//! A leading UTF-8 byte order mark is skipped.

use std::borrow::Cow;
use std::collections::HashMap;

use opensrs_core::{Header, Position, Sink, WriteError, Writer};

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
    let mut w = if pretty {
        Writer::pretty(out)
    } else {
        Writer::new(out)
    };
    let mut r = Reader {
        s: text,
        b: text.as_bytes(),
        pos: 0,
        stack: Vec::new(),
        limits,
    };
    if r.b.starts_with("\u{FEFF}".as_bytes()) {
        r.pos = 3;
    }
    w.start_envelope(&Header::default())
        .map_err(|e| r.write_error(0, &e))?;
    r.run(&mut w)?;
    w.finish().map_err(|e| r.write_error(r.pos, &e))
}

/// An open object or array, with the member or element being read.
enum Open<'a> {
    Object {
        /// Keys seen so far, with the offset of each.
        keys: HashMap<Cow<'a, str>, usize>,
        /// The key of the member being read.
        current: Option<Cow<'a, str>>,
    },
    Array {
        /// Index of the element being read.
        current: Option<usize>,
    },
}

struct Reader<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    stack: Vec<Open<'a>>,
    limits: Limits,
}

type R<T> = Result<T, EncodeError>;

impl<'a> Reader<'a> {
    fn run<S: Sink>(&mut self, w: &mut Writer<S>) -> R<()> {
        loop {
            if self.value(w)? {
                // A container was opened and its first item started.
                continue;
            }
            // A value is complete: read what follows it, closing containers,
            // until a `,` starts the next item or the top value is done.
            loop {
                self.skip_ws();
                let Some(top) = self.stack.last_mut() else {
                    return match self.peek() {
                        None => Ok(()),
                        Some(_) => {
                            Err(self.err(self.pos, "unexpected content after the JSON value"))
                        }
                    };
                };
                let is_object = matches!(top, Open::Object { .. });
                match (self.peek(), is_object) {
                    (Some(b','), _) => {
                        self.end_item(w)?;
                        self.pos += 1;
                        if is_object {
                            self.skip_ws();
                            self.member_key(w)?;
                        } else {
                            self.next_element(w)?;
                        }
                        break;
                    }
                    (Some(b'}'), true) | (Some(b']'), false) => {
                        self.end_item(w)?;
                        self.close(w)?;
                    }
                    (found, true) => {
                        return Err(self.unexpected(found, "`,` or `}` after an object member"));
                    }
                    (found, false) => {
                        return Err(self.unexpected(found, "`,` or `]` after an array element"));
                    }
                }
            }
        }
    }

    /// Reads one value at the current position. A scalar is written whole
    /// and an empty container opened and closed: then `false`. A non-empty
    /// container is opened and its first item started (for an object, up to
    /// the `:`): then `true`, and the item's value is read next. Never
    /// recursive.
    fn value<S: Sink>(&mut self, w: &mut Writer<S>) -> R<bool> {
        self.skip_ws();
        let start = self.pos;
        match self.peek() {
            Some(b'{') => {
                self.open(w, true)?;
                self.skip_ws();
                if self.peek() == Some(b'}') {
                    self.close(w)?;
                    return Ok(false);
                }
                self.member_key(w)?;
                Ok(true)
            }
            Some(b'[') => {
                self.open(w, false)?;
                self.skip_ws();
                if self.peek() == Some(b']') {
                    self.close(w)?;
                    return Ok(false);
                }
                self.next_element(w)?;
                Ok(true)
            }
            Some(b'"') => {
                let s = self.string()?;
                w.scalar(&s).map_err(|e| self.write_error(start, &e))?;
                Ok(false)
            }
            Some(b't') => self.literal(w, "true", "1").map(|()| false),
            Some(b'f') => self.literal(w, "false", "0").map(|()| false),
            Some(b'n') if self.b[start..].starts_with(b"null") => Err(self.err(
                start,
                "null has no dt_* form: leave the member out, or use \"\" for an empty value",
            )),
            Some(b'-' | b'0'..=b'9') => {
                let text = self.number()?;
                w.scalar(text).map_err(|e| self.write_error(start, &e))?;
                Ok(false)
            }
            found => Err(self.unexpected(found, "a JSON value")),
        }
    }

    fn open<S: Sink>(&mut self, w: &mut Writer<S>, object: bool) -> R<()> {
        let start = self.pos;
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
            w.start_assoc()
        } else {
            w.start_array()
        };
        r.map_err(|e| self.write_error(start, &e))?;
        self.pos += 1;
        self.stack.push(if object {
            Open::Object {
                keys: HashMap::new(),
                current: None,
            }
        } else {
            Open::Array { current: None }
        });
        Ok(())
    }

    /// Closes the innermost container at the current `}` or `]`.
    fn close<S: Sink>(&mut self, w: &mut Writer<S>) -> R<()> {
        let start = self.pos;
        self.pos += 1;
        let r = match self.stack.pop() {
            Some(Open::Object { .. }) => w.end_assoc(),
            Some(Open::Array { .. }) => w.end_array(),
            None => Ok(()),
        };
        r.map_err(|e| self.write_error(start, &e))
    }

    /// Closes the item holding the value just read (none for the top value).
    fn end_item<S: Sink>(&mut self, w: &mut Writer<S>) -> R<()> {
        if self.stack.is_empty() {
            return Ok(());
        }
        let at = self.pos;
        w.end_item().map_err(|e| self.write_error(at, &e))
    }

    /// Reads `"key":` and opens its item.
    fn member_key<S: Sink>(&mut self, w: &mut Writer<S>) -> R<()> {
        let start = self.pos;
        if let Some(Open::Object { current, .. }) = self.stack.last_mut() {
            *current = None;
        }
        if self.peek() != Some(b'"') {
            let found = self.peek();
            return Err(self.unexpected(found, "a string key"));
        }
        let key = self.string()?;
        let mut first = None;
        if let Some(Open::Object { keys, current }) = self.stack.last_mut() {
            *current = Some(key.clone());
            first = keys.get(&key).copied();
            if first.is_none() {
                keys.insert(key.clone(), start);
            }
        }
        if let Some(first) = first {
            let first = Position::locate(self.b, first);
            let message = format!("duplicate key `{key}` in object (first at {first})");
            return Err(self.err(start, message));
        }
        w.start_item(&key)
            .map_err(|e| self.write_error(start, &e))?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            let found = self.peek();
            return Err(self.unexpected(found, "`:` after an object key"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Opens the item of the next array element.
    fn next_element<S: Sink>(&mut self, w: &mut Writer<S>) -> R<()> {
        let at = self.pos;
        if let Some(Open::Array { current }) = self.stack.last_mut() {
            *current = Some(current.map_or(0, |i| i + 1));
        }
        w.start_element()
            .map(drop)
            .map_err(|e| self.write_error(at, &e))
    }

    fn literal<S: Sink>(&mut self, w: &mut Writer<S>, word: &str, text: &str) -> R<()> {
        let start = self.pos;
        if !self.b[start..].starts_with(word.as_bytes()) {
            let found = self.peek();
            return Err(self.unexpected(found, "a JSON value"));
        }
        self.pos += word.len();
        if self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            return Err(self.err(start, "invalid literal"));
        }
        w.scalar(text).map_err(|e| self.write_error(start, &e))
    }

    /// Reads a number and returns its text as written.
    fn number(&mut self) -> R<&'a str> {
        let start = self.pos;
        let bad = |r: &Self| r.err(start, "invalid number");
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(bad(self)),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return Err(bad(self));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return Err(bad(self));
            }
            self.digits();
        }
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-'))
        {
            return Err(bad(self));
        }
        Ok(&self.s[start..self.pos])
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    /// Reads a string literal at `"`; borrows it unless it holds escapes.
    fn string(&mut self) -> R<Cow<'a, str>> {
        let start = self.pos;
        self.pos += 1;
        let mut owned: Option<String> = None;
        let mut run = self.pos;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.err(start, "unterminated string"));
            };
            match c {
                b'"' => {
                    let tail = &self.s[run..self.pos];
                    self.pos += 1;
                    return Ok(match owned {
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(tail),
                    });
                }
                b'\\' => {
                    owned
                        .get_or_insert_with(String::new)
                        .push_str(&self.s[run..self.pos]);
                    let esc = self.pos;
                    self.pos += 1;
                    let ch = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let ch = self.unicode_escape(esc)?;
                            s_push(&mut owned, ch);
                            run = self.pos;
                            continue;
                        }
                        _ => return Err(self.err(esc, "invalid escape in string")),
                    };
                    self.pos += 1;
                    s_push(&mut owned, ch);
                    run = self.pos;
                }
                0x00..=0x1F => {
                    return Err(self.err(
                        self.pos,
                        format!("control character U+{c:04X} must be escaped in a JSON string"),
                    ));
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Reads the four hex digits after `\u` (and a low surrogate's `\uXXXX`
    /// after a high one).
    fn unicode_escape(&mut self, esc: usize) -> R<char> {
        let hi = self.hex4(esc)?;
        let code = match hi {
            0xD800..=0xDBFF => {
                if !self.b[self.pos..].starts_with(b"\\u") {
                    return Err(self.err(esc, "unpaired surrogate in \\u escape"));
                }
                self.pos += 2;
                let lo = self.hex4(esc)?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(self.err(esc, "unpaired surrogate in \\u escape"));
                }
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.err(esc, "unpaired surrogate in \\u escape")),
            _ => hi,
        };
        char::from_u32(code).ok_or_else(|| self.err(esc, "invalid \\u escape"))
    }

    fn hex4(&mut self, esc: usize) -> R<u32> {
        let digits = self
            .b
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.err(esc, "invalid \\u escape"))?;
        let mut v = 0u32;
        for &d in digits {
            let n = char::from(d)
                .to_digit(16)
                .ok_or_else(|| self.err(esc, "invalid \\u escape"))?;
            v = v * 16 + n;
        }
        self.pos += 4;
        Ok(v)
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// The key path of the value being read, in the parser's format.
    fn path(&self) -> String {
        let mut out = String::new();
        for open in &self.stack {
            match open {
                Open::Object {
                    current: Some(k), ..
                } => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Open::Array { current: Some(i) } => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
                Open::Object { current: None, .. } | Open::Array { current: None } => {}
            }
        }
        out
    }

    fn err(&self, offset: usize, message: impl Into<String>) -> EncodeError {
        EncodeError {
            offset,
            message: message.into(),
            path: self.path(),
        }
    }

    fn unexpected(&self, found: Option<u8>, expected: &str) -> EncodeError {
        let message = match found {
            None => format!("expected {expected}, found the end of the input"),
            Some(_) => {
                let c = self.s[self.pos..].chars().next().unwrap_or('\u{FFFD}');
                format!("expected {expected}, found `{c}`")
            }
        };
        self.err(self.pos, message)
    }

    /// A writer error at `offset`: a character XML cannot carry, or (never
    /// expected) a misuse of the writer.
    fn write_error(&self, offset: usize, e: &WriteError) -> EncodeError {
        self.err(offset, e.kind().to_string())
    }
}

fn s_push(owned: &mut Option<String>, c: char) {
    owned.get_or_insert_with(String::new).push(c);
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
        for (json, (pos, message, path)) in cases {
            let (p, m, pa) = error(json);
            assert_eq!(
                (p.as_str(), m.as_str(), pa.as_str()),
                (*pos, *message, *path),
                "{json:?}"
            );
        }
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

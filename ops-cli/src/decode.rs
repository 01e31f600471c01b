//! `opensrs decode`: a parsed document's value as JSON, streamed.
//!
//! dt_assoc becomes an object in document order, dt_array an array in index
//! order, and every scalar (item text, dt_scalar, dt_scalarref) a string.
//! The walk is ops-core's one explicit-stack walk, never recursion, and no
//! JSON tree is built: output goes straight to the writer. Pretty output is laid out as
//! `serde_json::to_string_pretty` lays out the same value.

use std::io::{self, Write};

use opensrs_core::__private::{Visitor, walk};
use opensrs_core::{Children, Kind, Node};

/// Writes `root` as JSON followed by a newline.
pub(crate) fn write_json<W: Write>(root: Node<'_>, out: &mut W, pretty: bool) -> io::Result<()> {
    write_value(root, out, pretty, 0)?;
    out.write_all(b"\n")
}

/// [`write_json`] with the text under a secret key (`auth_info`,
/// `password`, ... at any depth) written as `"[redacted]"`: for what came
/// from a server rather than from the user's own file.
pub(crate) fn write_json_redacted<W: Write>(
    root: Node<'_>,
    out: &mut W,
    pretty: bool,
) -> io::Result<()> {
    walk(
        root,
        &mut Json {
            out,
            pretty,
            indent: 0,
            open: Vec::new(),
            redact: Some(Redaction::default()),
        },
    )?;
    out.write_all(b"\n")
}

/// Writes `root` as JSON, no newline after it. Pretty output indents the
/// lines after the first by `indent` levels more, for a value nested that
/// deep in an enclosing object.
pub(crate) fn write_value<W: Write>(
    root: Node<'_>,
    out: &mut W,
    pretty: bool,
    indent: usize,
) -> io::Result<()> {
    walk(
        root,
        &mut Json {
            out,
            pretty,
            indent,
            open: Vec::new(),
            redact: None,
        },
    )
}

/// The JSON output, as a visitor of ops-core's one tree walk.
struct Json<'w, W> {
    out: &'w mut W,
    pretty: bool,
    indent: usize,
    /// Each open container: whether it is an object, and how many members
    /// or elements it has had.
    open: Vec<(bool, usize)>,
    /// Whether to redact secrets, and where the walk is about them.
    redact: Option<Redaction>,
}

/// Which open containers hold secrets (their key, or one above, is a
/// secret key), and whether the value being entered does.
#[derive(Default)]
struct Redaction {
    open: Vec<bool>,
    entered: bool,
}

impl<'d, W: Write> Visitor<Node<'d>> for Json<'_, W> {
    type Error = io::Error;

    fn enter(&mut self, node: &Node<'d>, depth: usize) -> io::Result<()> {
        let Some((object, written)) = self.open.last_mut() else {
            return Ok(());
        };
        let object = *object;
        *written += 1;
        if *written > 1 {
            self.out.write_all(b",")?;
        }
        newline(self.out, self.pretty, self.indent + depth)?;
        if object {
            string(self.out, node.key())?;
            self.out.write_all(if self.pretty { b": " } else { b":" })?;
        }
        if let Some(r) = &mut self.redact {
            r.entered = r.open.last().copied().unwrap_or(false)
                || (object && opensrs_core::secret::is_secret_key(node.key()));
        }
        Ok(())
    }

    fn leaf(&mut self, node: Node<'d>, _: usize) -> io::Result<()> {
        if self.redact.as_ref().is_some_and(|r| r.entered) {
            return string(self.out, opensrs_core::secret::REDACTED);
        }
        string(self.out, node.as_str().unwrap_or_default())
    }

    fn open(&mut self, kind: Kind, _: &Children<'d>, _: usize) -> io::Result<()> {
        if let Some(r) = &mut self.redact {
            let secret = r.entered;
            r.open.push(secret);
        }
        let object = kind == Kind::Assoc;
        self.out.write_all(if object { b"{" } else { b"[" })?;
        self.open.push((object, 0));
        Ok(())
    }

    fn close(&mut self, _: Kind, depth: usize) -> io::Result<()> {
        if let Some(r) = &mut self.redact {
            r.open.pop();
        }
        let Some((object, written)) = self.open.pop() else {
            return Ok(());
        };
        // An empty container stays on one line: `{}`, `[]`.
        if written > 0 {
            newline(self.out, self.pretty, self.indent + depth)?;
        }
        self.out.write_all(if object { b"}" } else { b"]" })
    }
}

fn newline<W: Write>(out: &mut W, pretty: bool, depth: usize) -> io::Result<()> {
    if pretty {
        out.write_all(b"\n")?;
        for _ in 0..depth {
            out.write_all(b"  ")?;
        }
    }
    Ok(())
}

/// A JSON string literal, escaped as serde_json escapes it, and also with
/// every character that would act on a terminal written as `\uXXXX`: C1
/// controls, DEL, the bidi controls and marks, the line and paragraph
/// separators. The text is the same JSON string; only its spelling is safe
/// to print.
fn string<W: Write>(out: &mut W, s: &str) -> io::Result<()> {
    if !s.chars().any(acts_on_terminal) {
        return serde_json::to_writer(&mut *out, s).map_err(io::Error::from);
    }
    let mut buf = String::with_capacity(s.len() + 16);
    buf.push('"');
    for c in s.chars() {
        match c {
            '"' => buf.push_str("\\\""),
            '\\' => buf.push_str("\\\\"),
            '\n' => buf.push_str("\\n"),
            '\r' => buf.push_str("\\r"),
            '\t' => buf.push_str("\\t"),
            c if c < ' ' || acts_on_terminal(c) => {
                use std::fmt::Write as _;
                let _ = write!(buf, "\\u{:04x}", u32::from(c));
            }
            c => buf.push(c),
        }
    }
    buf.push('"');
    out.write_all(buf.as_bytes())
}

/// `json` (serde_json's output) with every character a terminal would act
/// on written as a `\uXXXX` escape: such characters only occur inside JSON
/// strings, where the escape reads back as the same text.
pub(crate) fn terminal_safe(json: String) -> String {
    if !json.chars().any(acts_on_terminal) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if acts_on_terminal(c) {
            use std::fmt::Write as _;
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters other than C0 controls (which JSON escapes anyway) that a
/// terminal would act on.
fn acts_on_terminal(c: char) -> bool {
    matches!(
        c,
        '\u{7F}'..='\u{9F}'
            | '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(xml: &str, pretty: bool) -> String {
        let doc = opensrs_core::parse_str(xml).unwrap();
        let mut out = Vec::new();
        write_json(doc.root(), &mut out, pretty).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn envelope(value: &str) -> String {
        format!(
            "<OPS_envelope><header><version>0.9</version></header><body><data_block>{value}</data_block></body></OPS_envelope>"
        )
    }

    #[test]
    fn terminal_controls_are_escaped_and_read_back_the_same() {
        let xml = envelope(
            "<dt_assoc><item key=\"a&#x202E;\">x&#x9B;y&#x85;z&#x2066;\"\\</item></dt_assoc>",
        );
        let json = decode(&xml, false);
        assert_eq!(
            json,
            "{\"a\\u202e\":\"x\\u009by\\u0085z\\u2066\\\"\\\\\"}\n"
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back,
            serde_json::json!({"a\u{202E}": "x\u{9B}y\u{85}z\u{2066}\"\\"})
        );
    }

    #[test]
    fn terminal_safe_json_reads_back_the_same() {
        let v = serde_json::json!({"d": "a\u{202E}b\u{9B}c"});
        let safe = terminal_safe(v.to_string());
        assert_eq!(safe, r#"{"d":"a\u202eb\u009bc"}"#);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&safe).unwrap(), v);
    }

    #[test]
    fn secrets_are_redacted_at_any_depth_when_asked() {
        let xml = envelope(
            r#"<dt_assoc><item key="auth_info">s1</item><item key="a"><dt_assoc><item key="password"><dt_array><item key="0">s2</item></dt_array></item><item key="ok">v</item></dt_assoc></item><item key="l"><dt_array><item key="0">keep</item></dt_array></item></dt_assoc>"#,
        );
        let doc = opensrs_core::parse_str(&xml).unwrap();
        let mut out = Vec::new();
        write_json_redacted(doc.root(), &mut out, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"auth_info":"[redacted]","a":{"password":["[redacted]"],"ok":"v"},"l":["keep"]}"#
                .to_owned()
                + "\n"
        );
        // The plain transcoder keeps the user's data.
        assert!(decode(&xml, false).contains(r#""auth_info":"s1""#));
    }

    #[test]
    fn layout_matches_serde_json() {
        let xml = envelope(
            r#"<dt_assoc><item key="z">1</item><item key="a"><dt_array><item key="1">"b"</item><item key="0"><dt_assoc/></item></dt_array></item><item key="e"><dt_array/></item><item key="s"><dt_scalarref>r</dt_scalarref></item></dt_assoc>"#,
        );
        let expected = serde_json::json!({"z": "1", "a": [{}, "\"b\""], "e": [], "s": "r"});
        assert_eq!(
            decode(&xml, true),
            serde_json::to_string_pretty(&expected).unwrap() + "\n"
        );
        assert_eq!(
            decode(&xml, false),
            serde_json::to_string(&expected).unwrap() + "\n"
        );
    }

    #[test]
    fn a_scalar_root_is_a_string() {
        assert_eq!(
            decode(&envelope("<dt_scalar>a\nb</dt_scalar>"), true),
            "\"a\\nb\"\n"
        );
    }
}

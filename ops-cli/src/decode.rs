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
        Ok(())
    }

    fn leaf(&mut self, node: Node<'d>, _: usize) -> io::Result<()> {
        string(self.out, node.as_str().unwrap_or_default())
    }

    fn open(&mut self, kind: Kind, _: &Children<'d>, _: usize) -> io::Result<()> {
        let object = kind == Kind::Assoc;
        self.out.write_all(if object { b"{" } else { b"[" })?;
        self.open.push((object, 0));
        Ok(())
    }

    fn close(&mut self, _: Kind, depth: usize) -> io::Result<()> {
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

/// A JSON string literal, escaped by serde_json.
fn string<W: Write>(out: &mut W, s: &str) -> io::Result<()> {
    serde_json::to_writer(&mut *out, s).map_err(io::Error::from)
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

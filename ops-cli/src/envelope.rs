//! `opensrs decode --envelope`: the header and the request's names or the
//! reply's typed status, around the data_block's JSON.
//!
//! ```text
//! {
//!   "header": {"version": "0.9", "msg_id": null, "msg_type": null},
//!   "reply": {"protocol": "XCP", "action": "REPLY", "object": "DOMAIN",
//!             "is_success": true, "response_code": 200, "class": "success",
//!             "retryable": false, "description": "success",
//!             "response_text": "Query successful"},
//!   "data": { ...what `opensrs decode` prints... }
//! }
//! ```
//!
//! A request has `"request": {"protocol", "action", "object"}` in place of
//! `"reply"`. A document is a reply when its top-level `action` is `REPLY`
//! (any case), or when it carries `response_code` and `response_text` (a
//! server-level error, which may lack `action` and `object`); a request
//! otherwise. In a reply, `protocol`, `action` and `object` are `null` when
//! absent, and `is_success` is the reply's status as `Reply::is_success`
//! reads it (a server-level error is `false` even if it says 1).

use std::io::{self, Write};

use opensrs_core::{DecodeError, Document, Reply, Request};
use serde_json::{Value as Json, json};

use crate::decode;

/// The `--envelope` help: the JSON shape, shown by `opensrs decode --help`.
pub(crate) const HELP: &str = "\
Print the header and the request's names or the reply's typed status too:
{
  \"header\": {\"version\": \"0.9\", \"msg_id\": null, \"msg_type\": null},
  \"reply\": {
    \"protocol\": \"XCP\", \"action\": \"REPLY\", \"object\": \"DOMAIN\",
    \"is_success\": true, \"response_code\": 200,
    \"class\": \"success\", \"retryable\": false,
    \"description\": \"success\", \"response_text\": \"Query successful\"
  },
  \"data\": <what decode prints without --envelope>
}
A request has \"request\": {\"protocol\", \"action\", \"object\"} (as sent) in
place of \"reply\". The document is a reply when its action is REPLY (any
case), or when it carries response_code and response_text (a server-level
error, which may lack action and object). In a reply, protocol, action and
object are null when absent (name_suggest replies have no object), and
is_success is true only for a REPLY with is_success 1 and a success code: a
server-level error is false whatever it says (the data shows what was
sent). msg_id and msg_type are null when the header lacks them;
response_code is a number, class the snake_case name of its class
(success, deferred, authentication, permission, validation, not_found,
conflict, quota, registry, server, invalid_command, unknown), retryable
whether that class may succeed if sent again, description the code's
meaning in the protocol table. A reply missing response_code, a REPLY
missing is_success, or a request missing protocol, action or object, is an
error.";

/// The request or reply view of a document.
pub(crate) enum View<'d> {
    Request(Request<'d>),
    Reply(Reply<'d>),
}

/// Whether the document is a reply: its top-level `action` is `REPLY` (any
/// case), or it carries `response_code` and `response_text` (a server-level
/// error, with or without `action` and `object`).
pub(crate) fn is_reply(doc: &Document<'_>) -> bool {
    let root = doc.root();
    root.get("action")
        .and_then(|n| n.as_str())
        .is_some_and(|a| a.eq_ignore_ascii_case("reply"))
        || (root.get("response_code").is_some() && root.get("response_text").is_some())
}

/// Reads the view the document's `action` calls for.
pub(crate) fn view<'d>(doc: &'d Document<'d>) -> Result<View<'d>, DecodeError> {
    if is_reply(doc) {
        Reply::from_document(doc).map(View::Reply)
    } else {
        Request::from_document(doc).map(View::Request)
    }
}

/// The snake_case name of a `Debug` variant name (`NotFound` →
/// `not_found`).
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `"request"` or `"reply"`, and its JSON.
fn status(view: &View<'_>) -> (&'static str, Json) {
    match view {
        View::Request(r) => (
            "request",
            json!({
                "protocol": r.protocol(),
                "action": r.action(),
                "object": r.object(),
            }),
        ),
        View::Reply(r) => {
            let code = r.response_code();
            let class = code.class();
            (
                "reply",
                json!({
                    "protocol": r.protocol(),
                    "action": r.action(),
                    "object": r.object(),
                    "is_success": r.is_success(),
                    "response_code": code.as_u16(),
                    "class": snake_case(&format!("{class:?}")),
                    "retryable": class.is_retryable(),
                    "description": code.description(),
                    "response_text": r.response_text(),
                }),
            )
        }
    }
}

/// Writes one member of the top-level object whose value is `value`,
/// laid out as serde_json lays it out one level deep.
fn member<W: Write>(out: &mut W, key: &str, value: &Json, pretty: bool) -> io::Result<()> {
    write_key(out, key, pretty)?;
    if pretty {
        let text = serde_json::to_string_pretty(value).map_err(io::Error::from)?;
        // serde_json escapes every newline inside strings: each one here
        // starts a line of the layout, to be indented one level more.
        out.write_all(text.replace('\n', "\n  ").as_bytes())
    } else {
        serde_json::to_writer(&mut *out, value).map_err(io::Error::from)
    }
}

fn write_key<W: Write>(out: &mut W, key: &str, pretty: bool) -> io::Result<()> {
    if pretty {
        out.write_all(b"\n  ")?;
    }
    serde_json::to_writer(&mut *out, key).map_err(io::Error::from)?;
    out.write_all(if pretty { b": " } else { b":" })
}

/// Writes the `--envelope` JSON, then a newline.
pub(crate) fn write_json<W: Write>(
    doc: &Document<'_>,
    view: &View<'_>,
    out: &mut W,
    pretty: bool,
) -> io::Result<()> {
    let h = doc.header();
    let header = json!({
        "version": h.version,
        "msg_id": h.msg_id,
        "msg_type": h.msg_type,
    });
    let (name, status) = status(view);
    out.write_all(b"{")?;
    member(out, "header", &header, pretty)?;
    out.write_all(b",")?;
    member(out, name, &status, pretty)?;
    out.write_all(b",")?;
    write_key(out, "data", pretty)?;
    decode::write_value(doc.root(), out, pretty, 1)?;
    out.write_all(if pretty { b"\n}\n" } else { b"}\n" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(xml: &str, pretty: bool) -> String {
        let doc = opensrs_core::parse_str(xml).unwrap();
        let v = view(&doc).unwrap();
        let mut out = Vec::new();
        write_json(&doc, &v, &mut out, pretty).unwrap();
        String::from_utf8(out).unwrap()
    }

    const REPLY: &str = "<OPS_envelope><header><version>0.9</version><msg_id>7</msg_id></header>\
        <body><data_block><dt_assoc><item key=\"protocol\">XCP</item><item key=\"action\">reply</item>\
        <item key=\"object\">DOMAIN</item><item key=\"is_success\">0</item>\
        <item key=\"response_code\">480</item><item key=\"response_text\">a\nb</item>\
        <item key=\"attributes\"><dt_assoc><item key=\"x\"><dt_array><item key=\"0\">1</item></dt_array></item></dt_assoc></item>\
        </dt_assoc></data_block></body></OPS_envelope>";

    #[test]
    fn layout_matches_serde_json() {
        let expected = json!({
            "header": {"version": "0.9", "msg_id": "7", "msg_type": null},
            "reply": {
                "protocol": "XCP", "action": "reply", "object": "DOMAIN",
                "is_success": false, "response_code": 480, "class": "not_found",
                "retryable": false, "description": "item not found", "response_text": "a\nb",
            },
            "data": {
                "protocol": "XCP", "action": "reply", "object": "DOMAIN", "is_success": "0",
                "response_code": "480", "response_text": "a\nb", "attributes": {"x": ["1"]},
            },
        });
        assert_eq!(
            run(REPLY, true),
            serde_json::to_string_pretty(&expected).unwrap() + "\n"
        );
        assert_eq!(
            run(REPLY, false),
            serde_json::to_string(&expected).unwrap() + "\n"
        );
    }

    #[test]
    fn class_names_are_snake_case() {
        assert_eq!(snake_case("InvalidCommand"), "invalid_command");
        assert_eq!(snake_case("Success"), "success");
    }
}

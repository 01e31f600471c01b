//! Reply envelopes: success from a typed response, failures with
//! PROTOCOL.md's codes.

use opensrs_core::{
    Command, DecodeError, DecodeErrorKind, Header, ParseError, ReplyBody, WriteError, Writer,
};

/// The room a reply is written into at first, in bytes.
const REPLY_CAPACITY: usize = 1024;

/// The most characters of a request's `object` echoed in a reply.
const MAX_ECHO: usize = 64;

/// A request that ran and failed: the reply's code and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) code: u16,
    pub(crate) text: String,
}

impl Failure {
    pub(crate) fn new(code: u16, text: impl Into<String>) -> Self {
        Failure {
            code,
            text: text.into(),
        }
    }
}

/// `object` as echoed: at most [`MAX_ECHO`] characters of it.
fn echo(object: &str) -> &str {
    match object.char_indices().nth(MAX_ECHO) {
        Some((i, _)) => &object[..i],
        None => object,
    }
}

fn head(w: &mut Writer<String>, object: &str, success: bool) -> Result<(), WriteError> {
    w.start_envelope(&Header::default())?;
    w.start_assoc()?;
    for (k, v) in [
        ("protocol", "XCP"),
        ("action", "REPLY"),
        ("object", echo(object)),
        ("is_success", if success { "1" } else { "0" }),
    ] {
        w.start_item(k)?;
        w.scalar(v)?;
        w.end_item()?;
    }
    Ok(())
}

/// A success reply of command `C` carrying `response`.
pub(crate) fn success<C: Command>(object: &str, response: &C::Response<'static>) -> String {
    let written = (|| {
        // Most replies fit: the check_transfer one is 663 bytes.
        let mut w = Writer::new(String::with_capacity(REPLY_CAPACITY));
        head(&mut w, object, true)?;
        if !<C::Response<'static> as ReplyBody<'static>>::WRITES_RESPONSE_CODE {
            w.start_item("response_code")?;
            w.scalar("200")?;
            w.end_item()?;
        }
        response.write_reply_items(&mut w)?;
        w.end_assoc()?;
        w.finish()
    })();
    written.unwrap_or_else(|e| {
        failure(
            object,
            &Failure::new(
                400,
                format!("Internal server error: the reply could not be written: {e}"),
            ),
        )
    })
}

/// A failure reply: `is_success` 0, `code`, `text`.
pub(crate) fn failure(object: &str, f: &Failure) -> String {
    let written = (|| {
        let mut w = Writer::new(String::with_capacity(512));
        head(&mut w, object, false)?;
        let code = f.code.to_string();
        for (k, v) in [("response_code", code.as_str()), ("response_text", &f.text)] {
            w.start_item(k)?;
            w.scalar(v)?;
            w.end_item()?;
        }
        w.end_assoc()?;
        w.finish()
    })();
    match written {
        Ok(xml) => xml,
        // Only a text XML cannot carry gets here (every text is built from
        // escaped, bounded pieces): a fixed reply then.
        Err(_) if object.is_empty() => FALLBACK.to_owned(),
        Err(_) => failure("", &Failure::new(f.code, "Internal server error")),
    }
}

/// The reply when nothing else could be written.
const FALLBACK: &str = "<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\n<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>\n<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key=\"protocol\">XCP</item><item key=\"action\">REPLY</item><item key=\"is_success\">0</item><item key=\"response_code\">400</item><item key=\"response_text\">Internal server error</item></dt_assoc></data_block></body></OPS_envelope>";

/// The code of a request the typed decode refused: 460 for a missing
/// item, 465 for anything present but invalid.
pub(crate) fn decode_code(e: &DecodeError) -> u16 {
    match e.kind() {
        DecodeErrorKind::Missing(_) => 460,
        _ => 465,
    }
}

/// The reply to a request the typed decode refused.
pub(crate) fn decode_failure(object: &str, e: &DecodeError) -> String {
    let text = match decode_code(e) {
        460 => format!("Missing required field: {e}"),
        _ => format!("Invalid data: {e}"),
    };
    failure(object, &Failure::new(decode_code(e), text))
}

/// The reply to a body that is not a well-formed envelope (400, as
/// OpenSRS answers what it cannot read).
pub(crate) fn parse_failure(e: &ParseError) -> String {
    failure(
        "",
        &Failure::new(400, format!("Malformed XML request: {e}")),
    )
}

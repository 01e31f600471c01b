//! `opensrs fmt`: a parsed document re-emitted through the streaming writer.
//!
//! The walk uses an explicit stack and feeds the writer directly: no owned
//! tree is built. The header (version, msg_id, msg_type) and `class`
//! attributes are kept; item text and `dt_scalar` inside an item are the
//! same value and come out as item text.

use opensrs_core::{Children, Document, Kind, Node, Sink, WriteError, Writer};

/// Writes `doc` as an envelope, compact or pretty.
pub(crate) fn write_envelope<S: Sink>(
    doc: &Document<'_>,
    out: S,
    pretty: bool,
) -> Result<S, WriteError> {
    let mut w = if pretty {
        Writer::pretty(out)
    } else {
        Writer::new(out)
    };
    w.start_envelope(&doc.header())?;
    write_node(&mut w, doc.root())?;
    w.finish()
}

/// Writes one value and everything under it.
pub(crate) fn write_node<S: Sink>(w: &mut Writer<S>, root: Node<'_>) -> Result<(), WriteError> {
    let mut stack: Vec<(Children<'_>, Kind)> = Vec::new();
    let mut next = Some(root);
    loop {
        if let Some(node) = next.take() {
            let in_item = !stack.is_empty();
            match node.kind() {
                Kind::Scalar | Kind::ScalarRef => {
                    let text = node.as_str().unwrap_or_default();
                    if node.kind() == Kind::Scalar {
                        w.scalar(text)?;
                    } else {
                        w.scalar_ref(text)?;
                    }
                    if in_item {
                        w.end_item()?;
                    }
                }
                Kind::Assoc => {
                    w.start_assoc()?;
                    stack.push((node.iter(), Kind::Assoc));
                }
                Kind::Array => {
                    w.start_array()?;
                    stack.push((node.iter(), Kind::Array));
                }
            }
        }
        let Some((items, kind)) = stack.last_mut() else {
            return Ok(());
        };
        match items.next() {
            Some(child) => {
                match (*kind, child.class()) {
                    (Kind::Array, None) => w.start_element().map(drop)?,
                    (Kind::Array, Some(c)) => w.start_element_with_class(c)?,
                    (_, None) => w.start_item(child.key())?,
                    (_, Some(c)) => w.start_item_with_class(child.key(), c)?,
                }
                next = Some(child);
            }
            None => {
                if *kind == Kind::Assoc {
                    w.end_assoc()?;
                } else {
                    w.end_array()?;
                }
                stack.pop();
                if !stack.is_empty() {
                    w.end_item()?;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_header_classes_and_scalar_refs() {
        let xml = "<OPS_envelope><header><version>0.9</version><msg_id>7</msg_id></header><body><data_block>\
            <dt_assoc><item key=\"a\" class=\"C\"><dt_array><item key=\"1\">y</item><item key=\"0\" class=\"D\"><dt_scalarref>x</dt_scalarref></item></dt_array></item>\
            <item key=\"b\"><dt_assoc/></item></dt_assoc></data_block></body></OPS_envelope>";
        let doc = opensrs_core::parse_str(xml).unwrap();
        let compact = write_envelope(&doc, String::new(), false).unwrap();
        assert_eq!(
            compact,
            format!(
                "{}<OPS_envelope><header><version>0.9</version><msg_id>7</msg_id></header><body><data_block>\
                 <dt_assoc><item key=\"a\" class=\"C\"><dt_array><item key=\"0\" class=\"D\"><dt_scalarref>x</dt_scalarref></item><item key=\"1\">y</item></dt_array></item>\
                 <item key=\"b\"><dt_assoc></dt_assoc></item></dt_assoc></data_block></body></OPS_envelope>",
                opensrs_core::PREAMBLE
            )
        );
        let again = opensrs_core::parse_str(&compact).unwrap();
        assert_eq!(again.to_owned_document(), doc.to_owned_document());
        let pretty = write_envelope(&doc, String::new(), true).unwrap();
        let from_pretty = opensrs_core::parse_str(&pretty).unwrap();
        assert_eq!(from_pretty.to_owned_document(), doc.to_owned_document());
    }
}

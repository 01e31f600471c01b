//! `opensrs fmt`: a parsed document re-emitted through the streaming writer.
//!
//! The root node writes itself (`ToXcp for Node`, through ops-core's one
//! explicit-stack walk) and feeds the writer directly: no owned tree is
//! built. The header (version, msg_id, msg_type) and `class`
//! attributes are kept; item text and `dt_scalar` inside an item are the
//! same value and come out as item text.

use opensrs_core::{Document, Sink, ToXcp, WriteError, Writer};

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
    doc.root().write_xcp(&mut w)?;
    w.finish()
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

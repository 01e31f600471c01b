//! [`ToXcp`] / [`FromXcp`] for [`rust_decimal::Decimal`] (feature
//! `decimal`): prices and balances read exactly, never through a float.

use rust_decimal::Decimal;

use super::{DecodeError, FromXcp, ToXcp, text};
use crate::doc::Node;
use crate::error::WriteError;
use crate::write::{Sink, Writer};

impl ToXcp for Decimal {
    /// Writes the number with its scale, as `Display` does: `8549.18`,
    /// `-1.5`, `1.50` (trailing zeros kept), `0`. Text that [`FromXcp`]
    /// read is written back byte for byte when it had no leading zeros
    /// (`007` comes back as `7`) and was not a negative zero.
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.scalar(&self.to_string())
    }
}

impl<'d> FromXcp<'d> for Decimal {
    /// Reads OpenSRS's decimal text exactly: an optional `-`, digits, and
    /// optionally a `.` followed by digits (`8549.18`, `-1.5`, `0`). An
    /// exponent (`1e3`), a `+`, spaces, `_`, a bare `.5` or `5.` and any
    /// other text are errors (`expected a decimal number`); so is a number
    /// `Decimal` cannot hold exactly (more than 28 decimal places, or more
    /// than 96 bits of digits): it is never rounded.
    ///
    /// ```
    /// use opensrs_core::rust_decimal::Decimal;
    /// use opensrs_core::{FromXcp, ToXcp, Header, Writer, parse};
    ///
    /// let doc = parse(br#"<OPS_envelope><header><version>0.9</version></header><body><data_block>
    /// <dt_assoc><item key="balance">8549.18</item><item key="bad">1e3</item></dt_assoc>
    /// </data_block></body></OPS_envelope>"#)?;
    /// let balance = Decimal::from_xcp(doc.root().get("balance").unwrap())?;
    /// assert_eq!(balance, Decimal::new(854918, 2));
    ///
    /// let err = Decimal::from_xcp(doc.root().get("bad").unwrap()).unwrap_err();
    /// assert_eq!(err.to_string(), "2:45: expected a decimal number, found `1e3` (at bad)");
    ///
    /// let mut w = Writer::new(String::new());
    /// w.start_envelope(&Header::default())?;
    /// balance.write_xcp(&mut w)?;
    /// assert!(w.finish()?.contains("<dt_scalar>8549.18</dt_scalar>"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        let t = text(node)?;
        if !is_decimal_text(t) {
            return Err(DecodeError::invalid(node, "a decimal number"));
        }
        Decimal::from_str_exact(t)
            .map_err(|_| DecodeError::invalid(node, "a decimal number in the range of Decimal"))
    }
}

/// `-?[0-9]+(\.[0-9]+)?`
fn is_decimal_text(t: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = t.strip_prefix('-').unwrap_or(t);
    match unsigned.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(unsigned),
    }
}

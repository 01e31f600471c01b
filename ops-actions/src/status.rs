//! The reply of the commands whose reply holds only the standard fields.

use std::borrow::Cow;

use opensrs_core::Xcp;
use opensrs_core::code::ResponseCode;

/// A reply with only the standard fields: the code and the text, no
/// attributes. The reply of `send_password` (on `transfer` and on
/// `domain`) and of `resend_trade_approval_notice`; each of those modules
/// names it after its command (`SendPasswordReply`, ...).
///
/// ```
/// use opensrs_actions::StatusReply;
/// use opensrs_actions::transfer::SendPassword;
/// use opensrs_core::{Command, code::ResponseCode, parse_str};
///
/// let sent = StatusReply { response_code: ResponseCode::Success, response_text: "Message sent.".into() };
/// let xml = SendPassword::encode_reply(&sent)?;
/// assert_eq!(SendPassword::decode_reply(&parse_str(&xml)?)?, sent);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Xcp, Clone, PartialEq, Eq)]
#[xcp(reply)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub struct StatusReply<'a> {
    /// The response code (200 on success).
    #[xcp(top)]
    pub response_code: ResponseCode,
    /// The message describing the outcome, e.g. `Message sent.` or
    /// `SMS message successfully sent to +1.2602180057`.
    #[xcp(top)]
    pub response_text: Cow<'a, str>,
}

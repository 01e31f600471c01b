//! `resend_trade_approval_notice` on object `domain`.
//!
//! Resends the notice of a trade (change of registrant) approval, by SMS or
//! email, to the new or the current registrant.

use opensrs_core::Xcp;
use opensrs_core::convert::RuleError;

use crate::{DomainName, PhoneNumber};

/// Request. Built with [`new`](Self::new), which enforces the rules; a
/// decoded request is checked against the same rules.
///
/// Rules, each a [`RuleError`] with this name:
/// - `sms_requires_current_registrant`: `send_type` SMS only when
///   `registrant_type` is `current`;
/// - `sms_phone_number_requires_sms`: `sms_phone_number` only with SMS;
/// - `phone_number_format` (when decoding): the number is in OpenSRS form
///   `+CC.NNNN` (see [`PhoneNumber`]).
///
/// ```
/// use opensrs_actions::domain::{RegistrantType, ResendTradeApprovalNotice, SendType};
/// use opensrs_actions::{DomainName, PhoneNumber};
/// let ok = ResendTradeApprovalNotice::new(
///     DomainName::new("example.com")?,
///     RegistrantType::Current,
///     SendType::Sms,
///     Some(PhoneNumber::new("+1.2602180057")?),
/// );
/// assert!(ok.is_ok());
/// let err = ResendTradeApprovalNotice::new(
///     DomainName::new("example.com")?, RegistrantType::New, SendType::Sms, None,
/// ).unwrap_err();
/// assert_eq!(err.rule(), "sms_requires_current_registrant");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Xcp, Clone, PartialEq, Eq)]
#[xcp(
    action = "resend_trade_approval_notice",
    object = "domain",
    response = ResendTradeApprovalNoticeReply<'_>,
    validate = Self::check
)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub struct ResendTradeApprovalNotice {
    /// The domain the notice is about. Sent by the spec's examples though
    /// missing from its table: required in practice.
    domain: DomainName,
    /// Which registrant gets the notice: `new` or `current`.
    registrant_type: RegistrantType,
    /// How the notice is sent: `SMS` or `Email` (any case on decode).
    send_type: SendType,
    /// The number the SMS goes to; without it, the current registrant's
    /// phone number is used.
    sms_phone_number: Option<PhoneNumber>,
}

impl ResendTradeApprovalNotice {
    /// A request, if it keeps the rules.
    pub fn new(
        domain: DomainName,
        registrant_type: RegistrantType,
        send_type: SendType,
        sms_phone_number: Option<PhoneNumber>,
    ) -> Result<Self, RuleError> {
        let req = ResendTradeApprovalNotice {
            domain,
            registrant_type,
            send_type,
            sms_phone_number,
        };
        req.check()?;
        Ok(req)
    }

    fn check(&self) -> Result<(), RuleError> {
        if self.send_type == SendType::Sms && self.registrant_type != RegistrantType::Current {
            return Err(RuleError::new(
                "sms_requires_current_registrant",
                "attributes.send_type",
                "send_type SMS is only allowed when registrant_type is current",
            ));
        }
        if self.sms_phone_number.is_some() && self.send_type != SendType::Sms {
            return Err(RuleError::new(
                "sms_phone_number_requires_sms",
                "attributes.sms_phone_number",
                "sms_phone_number is only allowed when send_type is SMS",
            ));
        }
        Ok(())
    }

    /// The domain.
    pub fn domain(&self) -> &DomainName {
        &self.domain
    }

    /// The registrant who gets the notice.
    pub fn registrant_type(&self) -> RegistrantType {
        self.registrant_type
    }

    /// How the notice is sent.
    pub fn send_type(&self) -> SendType {
        self.send_type
    }

    /// The SMS number, if given.
    pub fn sms_phone_number(&self) -> Option<&PhoneNumber> {
        self.sms_phone_number.as_ref()
    }
}

/// Which registrant a trade notice goes to.
#[derive(Xcp, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub enum RegistrantType {
    /// The new registrant.
    New,
    /// The current registrant.
    Current,
}

/// How a trade notice is sent.
#[derive(Xcp, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub enum SendType {
    /// By SMS; only to the current registrant.
    #[xcp(rename = "SMS")]
    Sms,
    /// By email.
    #[xcp(rename = "Email")]
    Email,
}

/// Reply: only the standard fields (the code and the text), as
/// [`StatusReply`](crate::StatusReply).
pub type ResendTradeApprovalNoticeReply<'a> = crate::StatusReply<'a>;

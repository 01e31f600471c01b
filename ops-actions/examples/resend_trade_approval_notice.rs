//! `resend_trade_approval_notice` on `domain`: builds the request, prints
//! it and its `X-Signature`, then decodes the spec's example reply.
//!
//! ```sh
//! cargo run -p opensrs-actions --example resend_trade_approval_notice -- YOUR_RESELLER_KEY
//! OPS_KEY=YOUR_RESELLER_KEY cargo run -p opensrs-actions --example resend_trade_approval_notice
//! ```
//!
//! Without a key it signs with a fake demo key, and says so.

mod common;

use opensrs_actions::domain::{RegistrantType, ResendTradeApprovalNotice, SendType};
use opensrs_actions::{DomainName, PhoneNumber};
use opensrs_core::parse_str;

/// The spec's reply to an SMS notice.
const REPLY: &str = include_str!("../fixtures/domain/resend_trade_approval_notice/reply_sms.xml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // SMS goes to the current registrant only: `new` checks the rules.
    let request = ResendTradeApprovalNotice::new(
        DomainName::new("tucows-d6ad7a0fc501d8.com")?,
        RegistrantType::Current,
        SendType::Sms,
        Some(PhoneNumber::new("+1.2602180057")?),
    )?;
    common::print_signed_request(&request)?;

    let doc = parse_str(REPLY)?;
    common::print_reply::<ResendTradeApprovalNotice>(
        &doc,
        "fixtures/domain/resend_trade_approval_notice/reply_sms.xml",
    )?;
    Ok(())
}

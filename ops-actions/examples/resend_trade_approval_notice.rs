//! `resend_trade_approval_notice` on `domain`: builds the request, prints
//! it and its `X-Signature`, then decodes the spec's example reply.
//!
//! ```sh
//! cargo run -p ops-actions --example resend_trade_approval_notice -- YOUR_RESELLER_KEY
//! OPS_KEY=YOUR_RESELLER_KEY cargo run -p ops-actions --example resend_trade_approval_notice
//! ```
//!
//! Without a key it signs with a fake demo key, and says so.

use ops_actions::domain::{RegistrantType, ResendTradeApprovalNotice, SendType};
use ops_actions::{DomainName, PhoneNumber};
use ops_core::secret::Secret;
use ops_core::sign::signature;
use ops_core::{Command, parse_str};

/// The spec's reply to an SMS notice.
const REPLY: &str = include_str!("../../fixtures/resend_trade_approval_notice/reply_sms.xml");

/// A fake key of the right shape (112 hex characters): it signs nothing real.
const DEMO_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\
                        0123456789abcdef0123456789abcdef0123456789abcdef";

/// The reseller key: the first argument, else `OPS_KEY`, else [`DEMO_KEY`];
/// with where it came from.
fn reseller_key() -> (Secret, &'static str) {
    if let Some(key) = std::env::args().nth(1) {
        (Secret::new(key), "the key given as the first argument")
    } else if let Ok(key) = std::env::var("OPS_KEY") {
        (Secret::new(key), "the key in OPS_KEY")
    } else {
        (
            Secret::new(DEMO_KEY),
            "a FAKE demo key (give your key as the first argument or in OPS_KEY)",
        )
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // SMS goes to the current registrant only: `new` checks the rules.
    let request = ResendTradeApprovalNotice::new(
        DomainName::new("tucows-d6ad7a0fc501d8.com")?,
        RegistrantType::Current,
        SendType::Sms,
        Some(PhoneNumber::new("+1.2602180057")?),
    )?;
    let pretty = request.encode_pretty()?;
    println!("Request (indented for reading):\n{}\n", pretty.trim_end());

    // Sign exactly the bytes that are sent: the compact encoding.
    let body = request.encode()?;
    let (key, key_source) = reseller_key();
    println!("X-Signature: {}", signature(body.as_bytes(), &key));
    println!(
        "  over the {} bytes of the compact body, with {key_source}\n",
        body.len()
    );

    let doc = parse_str(REPLY)?;
    let reply = ResendTradeApprovalNotice::decode_reply(&doc)?;
    println!("Reply (fixtures/resend_trade_approval_notice/reply_sms.xml):\n{reply:#?}");
    Ok(())
}

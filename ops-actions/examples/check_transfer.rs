//! `check_transfer` on `domain`: builds the request, prints it and its
//! `X-Signature`, then decodes the spec's example reply.
//!
//! ```sh
//! cargo run -p opensrs-actions --example check_transfer -- YOUR_RESELLER_KEY
//! OPS_KEY=YOUR_RESELLER_KEY cargo run -p opensrs-actions --example check_transfer
//! ```
//!
//! Without a key it signs with a fake demo key, and says so.

mod common;

use opensrs_actions::DomainName;
use opensrs_actions::domain::CheckTransfer;
use opensrs_core::parse_str;

/// The spec's reply for a transfer waiting on the registry.
const REPLY: &str = include_str!("../fixtures/domain/check_transfer/reply_pending_registry.xml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let request = CheckTransfer {
        domain: DomainName::new("example.com")?,
        check_status: Some(true),
        get_request_address: Some(true),
    };

    common::print_signed_request(&request)?;

    let doc = parse_str(REPLY)?;
    let reply = common::print_reply::<CheckTransfer>(
        &doc,
        "fixtures/domain/check_transfer/reply_pending_registry.xml",
    )?;
    if let Some(time) = reply.timestamp.as_ref().and_then(|t| t.parsed()) {
        println!("timestamp parsed: {time:?}");
    }
    Ok(())
}

//! `send_password` on `transfer`: builds the request, prints it and its
//! `X-Signature`, then decodes the spec's example reply.
//!
//! ```sh
//! cargo run -p opensrs-actions --example send_password -- YOUR_RESELLER_KEY
//! OPS_KEY=YOUR_RESELLER_KEY cargo run -p opensrs-actions --example send_password
//! ```
//!
//! Without a key it signs with a fake demo key, and says so.

mod common;

use opensrs_actions::DomainName;
use opensrs_actions::transfer::SendPassword;
use opensrs_core::parse_str;

/// The spec's example reply.
const REPLY: &str = include_str!("../fixtures/transfer/send_password/reply.xml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let request = SendPassword {
        domain_name: DomainName::new("example.com")?,
    };
    common::print_signed_request(&request)?;

    let doc = parse_str(REPLY)?;
    common::print_reply::<SendPassword>(&doc, "fixtures/transfer/send_password/reply.xml")?;
    Ok(())
}

//! `simple_transfer` on `domain` (deprecated by OpenSRS since 2018-05-25):
//! builds the request, prints it and its `X-Signature`, then decodes the spec's example reply.
//!
//! ```sh
//! cargo run -p opensrs-actions --example simple_transfer -- YOUR_RESELLER_KEY
//! OPS_KEY=YOUR_RESELLER_KEY cargo run -p opensrs-actions --example simple_transfer
//! ```
//!
//! Without a key it signs with a fake demo key, and says so.

// OpenSRS deprecated simple_transfer, and the type says so with
// `#[deprecated]`; this example uses it on purpose.
#![allow(deprecated)]

mod common;

use opensrs_actions::DomainName;
use opensrs_actions::domain::{SimpleTransfer, TransferDomain};
use opensrs_core::parse_str;

/// The spec's example reply.
const REPLY: &str = include_str!("../fixtures/domain/simple_transfer/reply.xml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Auth codes are secrets: written byte for byte, never shown by Debug.
    let request = SimpleTransfer::new(
        vec![
            TransferDomain::new(DomainName::new("newtransfer461.com")?, "@xMj%[1b"),
            TransferDomain::new(DomainName::new("newtransfer462.com")?, "Mj%zA>1r"),
        ],
        vec![
            DomainName::new("ns1.exampledns.com")?,
            DomainName::new("ns2.exampledns.com")?,
        ],
    )?;
    println!("Request (Debug: auth codes redacted):\n{request:#?}\n");
    common::print_signed_request(&request)?;

    let doc = parse_str(REPLY)?;
    common::print_reply::<SimpleTransfer>(&doc, "fixtures/domain/simple_transfer/reply.xml")?;
    Ok(())
}

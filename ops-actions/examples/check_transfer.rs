//! `check_transfer` on `domain`: builds the request, prints it and its
//! `X-Signature`, then decodes the spec's example reply.
//!
//! ```sh
//! cargo run -p ops-actions --example check_transfer -- YOUR_RESELLER_KEY
//! OPS_KEY=YOUR_RESELLER_KEY cargo run -p ops-actions --example check_transfer
//! ```
//!
//! Without a key it signs with a fake demo key, and says so.

use ops_actions::DomainName;
use ops_actions::domain::CheckTransfer;
use ops_core::secret::Secret;
use ops_core::sign::signature;
use ops_core::{Command, parse_str};

/// The spec's reply for a transfer waiting on the registry.
const REPLY: &str = include_str!("../../fixtures/check_transfer/reply_pending_registry.xml");

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
    let request = CheckTransfer {
        domain: DomainName::new("example.com")?,
        check_status: Some(true),
        get_request_address: Some(true),
    };

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
    let reply = CheckTransfer::decode_reply(&doc)?;
    println!("Reply (fixtures/check_transfer/reply_pending_registry.xml):\n{reply:#?}");
    if let Some(time) = reply.timestamp.as_ref().and_then(|t| t.parsed()) {
        println!("timestamp parsed: {time:?}");
    }
    Ok(())
}

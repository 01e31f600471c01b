//! Shared by the examples: the reseller key, printing a request with its
//! `X-Signature`, and printing a decoded example reply.

use std::error::Error;
use std::fmt::Debug;

use opensrs_core::secret::Secret;
use opensrs_core::sign::signature;
use opensrs_core::{Command, Document};

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

/// Prints `request` indented for reading, then the `X-Signature` of its
/// compact encoding with [`reseller_key`].
pub(crate) fn print_signed_request<C: Command>(request: &C) -> Result<(), Box<dyn Error>> {
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
    Ok(())
}

/// Decodes `doc`, the fixture `file`, as the reply to `C`, and prints it.
pub(crate) fn print_reply<'d, C>(
    doc: &'d Document<'d>,
    file: &str,
) -> Result<C::Response<'d>, Box<dyn Error>>
where
    C: Command,
    C::Response<'d>: Debug,
{
    let reply = C::decode_reply(doc)?;
    println!("Reply ({file}):\n{reply:#?}");
    Ok(reply)
}

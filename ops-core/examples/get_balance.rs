//! The extension story: a command outside the four that ops-actions ships,
//! declared in a few lines with `#[derive(Xcp)]`.
//!
//! `get_balance` on object `balance` asks for the reseller's account
//! balance. Run it with `cargo run -p opensrs-core --example get_balance`
//! (it needs the `decimal` feature, which ops-core's dev-dependencies turn
//! on): it prints the request, decodes the fixture reply
//! (`examples/data/get_balance_reply.xml`) with the amounts as exact
//! decimals (`rust_decimal::Decimal`), and checks that the reply round-trips
//! through `encode_reply` with the amounts written back as they came.

use std::borrow::Cow;

use opensrs_core::code::ResponseCode;
use opensrs_core::rust_decimal::Decimal;
use opensrs_core::{Command, Xcp, parse, parse_str};

/// Request: the balance of the reseller's account. No attributes.
#[derive(Xcp, Clone, PartialEq, Eq)]
#[xcp(action = "get_balance", object = "balance", response = GetBalanceReply<'_>)]
pub struct GetBalance;

/// Reply: the balance and the amount on hold, exact.
#[derive(Xcp, Clone, PartialEq, Eq)]
#[xcp(reply)]
pub struct GetBalanceReply<'a> {
    /// 200 on success.
    #[xcp(top)]
    pub response_code: ResponseCode,
    /// The message.
    #[xcp(top)]
    pub response_text: Cow<'a, str>,
    /// The account balance.
    pub balance: Decimal,
    /// The amount held for pending orders.
    pub hold_balance: Option<Decimal>,
}

/// The fixture reply.
pub const REPLY: &str = include_str!("data/get_balance_reply.xml");

/// Encodes the request, decodes the fixture reply and checks its round
/// trip; returns the decoded reply's balance.
pub fn demo() -> Result<Decimal, Box<dyn std::error::Error>> {
    let request = GetBalance.encode_pretty()?;
    println!("{request}");
    let doc = parse(REPLY.as_bytes())?;
    let reply = GetBalance::decode_reply(&doc)?;
    println!("{reply:#?}");
    let again = GetBalance::encode_reply(&reply)?;
    let doc2 = parse_str(&again)?;
    assert!(
        GetBalance::decode_reply(&doc2)? == reply,
        "the reply round-trips"
    );
    assert!(
        again.contains(">8549.18<") && again.contains(">1676.05<"),
        "the amounts are written back as they came"
    );
    Ok(reply.balance)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let balance = demo()?;
    println!("balance: {balance}");
    assert_eq!(balance, Decimal::new(854_918, 2));
    Ok(())
}

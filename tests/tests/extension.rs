//! The extension example (ops-core/examples/get_balance.rs) works: a command
//! declared outside ops-actions encodes, decodes its fixture reply and
//! round-trips.

#[allow(dead_code, unreachable_pub)]
#[path = "../../ops-core/examples/get_balance.rs"]
mod get_balance;

use opensrs_core::{Command, parse};

#[test]
fn get_balance_example_round_trips() {
    assert_eq!(get_balance::demo().unwrap().to_string(), "8549.18");
}

#[test]
fn get_balance_request_has_empty_attributes() {
    let xml = get_balance::GetBalance.encode().unwrap();
    assert!(xml.contains(
        r#"<item key="action">get_balance</item><item key="object">balance</item><item key="attributes"><dt_assoc></dt_assoc></item>"#
    ), "{xml}");
    let doc = parse(xml.as_bytes()).unwrap();
    assert!(get_balance::GetBalance::decode_request(&doc).unwrap() == get_balance::GetBalance);
}

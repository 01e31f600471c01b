//! `send_password` on `transfer`: every request and reply fixture of the
//! spec decoded, encoded and round-tripped, with snapshots (see `common`).

mod common;

use opensrs_actions::DomainName;
use opensrs_actions::transfer::{SendPassword, SendPasswordReply};
use opensrs_core::Command;
use opensrs_core::code::ResponseCode;

#[test]
fn request_fixtures_decode_encode_and_round_trip() {
    let requests = common::check_requests::<SendPassword>("send_password");
    let stems: Vec<&str> = requests.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(stems, ["request"]);
    assert_eq!(
        requests[0].1,
        SendPassword {
            domain_name: DomainName::new("example.com").unwrap()
        }
    );
    // The object is `transfer`, not `domain` (send_password on domain is
    // another command).
    let xml = requests[0].1.encode().unwrap();
    assert!(
        xml.contains(r#"<item key="object">transfer</item>"#),
        "{xml}"
    );
}

#[test]
fn reply_fixtures_decode_reencode_and_round_trip() {
    let mut seen = Vec::new();
    common::check_replies::<SendPassword>(
        "send_password",
        |a, b| a == b,
        |stem, r: &SendPasswordReply<'_>| {
            assert_eq!(r.response_code, ResponseCode::Success);
            assert_eq!(r.response_text, "Message sent.");
            seen.push(stem.to_owned());
        },
    );
    assert_eq!(seen, ["reply"]);
}

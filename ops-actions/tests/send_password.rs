//! `send_password` on `transfer` and `send_password` on `domain`: two
//! commands with one action. Every request and reply fixture of each
//! decoded, encoded and round-tripped (the snapshots are taken by
//! `fixtures.rs`; see `common`).

mod common;

use opensrs_actions::DomainName;
use opensrs_actions::{domain, transfer};
use opensrs_core::code::ResponseCode;
use opensrs_core::{Command, parse_str};

#[test]
fn transfer_request_fixtures_decode_encode_and_round_trip() {
    let requests = common::check_requests::<transfer::SendPassword>(common::Snap::No);
    let stems: Vec<&str> = requests.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(stems, ["request"]);
    assert_eq!(
        requests[0].1,
        transfer::SendPassword {
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
fn transfer_reply_fixtures_decode_reencode_and_round_trip() {
    let mut seen = Vec::new();
    common::check_replies::<transfer::SendPassword>(
        common::Snap::No,
        |a, b| a == b,
        |stem, r: &transfer::SendPasswordReply<'_>| {
            assert_eq!(r.response_code, ResponseCode::Success);
            assert_eq!(r.response_text, "Message sent.");
            seen.push(stem.to_owned());
        },
    );
    assert_eq!(seen, ["reply"]);
}

#[test]
fn domain_request_fixtures_decode_encode_and_round_trip() {
    let requests = common::check_requests::<domain::SendPassword>(common::Snap::No);
    let stems: Vec<&str> = requests.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(stems, ["request"]);
    assert_eq!(
        requests[0].1,
        domain::SendPassword {
            domain_name: DomainName::new("example.com").unwrap(),
            send_to: Some(domain::SendTo::Owner),
            sub_user: Some(false),
        }
    );
    let xml = requests[0].1.encode().unwrap();
    assert!(xml.contains(r#"<item key="object">domain</item>"#), "{xml}");
}

#[test]
fn domain_request_fields() {
    let decode = |attributes: &str| {
        let xml = format!(
            r#"<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>
            <item key="protocol">XCP</item><item key="action">send_password</item>
            <item key="object">domain</item><item key="attributes"><dt_assoc>{attributes}</dt_assoc></item>
            </dt_assoc></data_block></body></OPS_envelope>"#
        );
        let doc = parse_str(&xml).unwrap();
        domain::SendPassword::decode_request(&doc).map_err(|e| e.to_string())
    };
    // send_to and sub_user are optional (OpenSRS then sends to the admin
    // contact, the domain's own password); send_to in any case.
    let r = decode(r#"<item key="domain_name">example.com</item>"#).unwrap();
    assert_eq!((r.send_to, r.sub_user), (None, None));
    let r = decode(
        r#"<item key="domain_name">example.com</item><item key="send_to">ADMIN</item><item key="sub_user">1</item>"#,
    )
    .unwrap();
    assert_eq!(
        (r.send_to, r.sub_user),
        (Some(domain::SendTo::Admin), Some(true))
    );
    // domain_name is required; send_to is owner or admin; sub_user 0 or 1.
    let e = decode(r#"<item key="send_to">owner</item>"#).unwrap_err();
    assert!(e.contains("missing required key `domain_name`"), "{e}");
    let e = decode(r#"<item key="domain_name">example.com</item><item key="send_to">tech</item>"#)
        .unwrap_err();
    assert!(e.contains("(at attributes.send_to)"), "{e}");
    let e = decode(r#"<item key="domain_name">example.com</item><item key="sub_user">2</item>"#)
        .unwrap_err();
    assert!(e.contains("(at attributes.sub_user)"), "{e}");
    // A transfer's send_password is another command.
    let transfer = common::fixture_text("transfer/send_password/request.xml");
    let e = domain::SendPassword::decode_request(&parse_str(&transfer).unwrap()).unwrap_err();
    assert!(
        e.to_string()
            .contains("expected object `domain`, found `transfer`"),
        "{e}"
    );
}

#[test]
fn domain_reply_fixtures_decode_reencode_and_round_trip() {
    let mut seen = Vec::new();
    common::check_replies::<domain::SendPassword>(
        common::Snap::No,
        |a, b| a == b,
        |stem, r: &domain::SendPasswordReply<'_>| {
            assert_eq!(r.response_code, ResponseCode::Success);
            assert_eq!(r.response_text, "Message sent");
            seen.push(stem.to_owned());
        },
    );
    assert_eq!(seen, ["reply"]);
}

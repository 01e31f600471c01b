//! `resend_trade_approval_notice` on `domain`: every request and reply
//! fixture of the spec decoded, encoded and round-tripped, with snapshots
//! (see `common`). The rules are tested in `rules.rs`.

mod common;

use opensrs_actions::domain::{
    RegistrantType, ResendTradeApprovalNotice, ResendTradeApprovalNoticeReply, SendType,
};
use opensrs_actions::{DomainName, PhoneNumber};
use opensrs_core::code::ResponseCode;

#[test]
fn request_fixtures_decode_encode_and_round_trip() {
    let requests = common::check_requests::<ResendTradeApprovalNotice>(common::Snap::No);
    let stems: Vec<&str> = requests.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(stems, ["request_email", "request_sms"]);

    // The examples send `email` and `sms` in lower case: read
    // case-insensitively, written as the spec's table names them.
    let email = ResendTradeApprovalNotice::new(
        DomainName::new("gfe7892gf2933e2f.com").unwrap(),
        RegistrantType::New,
        SendType::Email,
        None,
    )
    .unwrap();
    let sms = ResendTradeApprovalNotice::new(
        DomainName::new("tucows-d6ad7a0fc501d8.com").unwrap(),
        RegistrantType::Current,
        SendType::Sms,
        Some(PhoneNumber::new("+1.2602180057").unwrap()),
    )
    .unwrap();
    assert_eq!(requests[0].1, email);
    assert_eq!(requests[1].1, sms);
}

#[test]
fn reply_fixtures_decode_reencode_and_round_trip() {
    let mut seen = Vec::new();
    common::check_replies::<ResendTradeApprovalNotice>(
        common::Snap::No,
        |a, b| a == b,
        |stem, r: &ResendTradeApprovalNoticeReply<'_>| {
            assert_eq!(r.response_code, ResponseCode::Success);
            let text = match stem {
                "reply_email" => "Approval notification re-sent via EMAIL for the new registrant",
                "reply_sms" => "SMS message successfully sent to +1.2602180057",
                other => panic!("no expectation for fixture {other}"),
            };
            assert_eq!(r.response_text, text);
            seen.push(stem.to_owned());
        },
    );
    assert_eq!(seen, ["reply_email", "reply_sms"]);
}

//! `check_transfer` on `domain`: every request and reply fixture of the spec
//! decoded, encoded and round-tripped, with snapshots (see `common`).

mod common;

use opensrs_actions::DomainName;
use opensrs_actions::domain::{CheckTransfer, CheckTransferReply, TransferStatus};
use opensrs_core::code::ResponseCode;

#[test]
fn request_fixtures_decode_encode_and_round_trip() {
    let requests = common::check_requests::<CheckTransfer>(common::Snap::No);
    let expected = CheckTransfer {
        domain: DomainName::new("example.com").unwrap(),
        check_status: Some(true),
        get_request_address: Some(true),
    };
    let stems: Vec<&str> = requests.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(stems, ["request"]);
    assert_eq!(requests[0].1, expected);
}

#[test]
fn reply_fixtures_decode_reencode_and_round_trip() {
    let mut seen = Vec::new();
    common::check_replies::<CheckTransfer>(
        common::Snap::No,
        |a, b| a == b,
        |stem, r: &CheckTransferReply<'_>| {
            let (status, unixtime) = match stem {
                "reply_completed" => (TransferStatus::Completed, 1_340_046_925),
                "reply_pending_owner" => (TransferStatus::PendingOwner, 1_520_826_472),
                "reply_pending_registry" => (TransferStatus::PendingRegistry, 1_339_686_334),
                other => panic!("no expectation for fixture {other}"),
            };
            assert_eq!(r.response_code, ResponseCode::Success, "{stem}");
            assert_eq!(r.status, Some(status), "{stem}");
            assert_eq!(r.unixtime, Some(unixtime), "{stem}");
            assert_eq!(r.transferrable, Some(false), "{stem}");
            assert_eq!(r.noservice, Some(false), "{stem}");
            // The page's `[email protected]` artefact (with a no-break space, as
            // the fixture has it) is an opaque string.
            assert_eq!(
                r.request_address.as_deref(),
                Some("[email\u{a0}protected]"),
                "{stem}"
            );
            // The examples carry the asctime form; it parses.
            let ts = r.timestamp.as_ref().expect("timestamp");
            assert!(ts.parsed().is_some(), "{stem}: {ts:?} parses");
            assert!(r.other.is_empty(), "{stem}: every key is named");
            seen.push(stem.to_owned());
        },
    );
    assert_eq!(
        seen,
        [
            "reply_completed",
            "reply_pending_owner",
            "reply_pending_registry"
        ]
    );
}

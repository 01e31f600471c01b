//! `simple_transfer` on `domain` (deprecated by OpenSRS): every request and
//! reply fixture of the spec decoded, encoded and round-tripped, with
//! snapshots (see `common`). The rules and auth codes are tested in
//! `rules.rs`.

// The command is deprecated by OpenSRS and carries `#[deprecated]`; it is
// tested on purpose.
#![allow(deprecated)]

mod common;

use opensrs_actions::DomainName;
use opensrs_actions::domain::{SimpleTransfer, SimpleTransferReply, TransferDomain};
use opensrs_core::Command;
use opensrs_core::code::ResponseCode;

/// The spec example's auth codes, in order.
const SPEC_CODES: [&str; 4] = ["@xMj%[1b", "Mj%zA>1r", "AK4u.+5U", "L+7Dk`3j"];

/// The spec example's four domains with their auth codes.
fn spec_domains() -> Vec<TransferDomain> {
    (461..=464)
        .zip(SPEC_CODES)
        .map(|(n, code)| {
            TransferDomain::new(
                DomainName::new(&format!("newtransfer{n}.com")).unwrap(),
                code,
            )
        })
        .collect()
}

#[test]
fn request_fixtures_decode_encode_and_round_trip() {
    let requests = common::check_requests::<SimpleTransfer>(common::Snap::No);
    let stems: Vec<&str> = requests.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(stems, ["request", "request_with_nameservers"]);

    let plain = SimpleTransfer::new(spec_domains(), vec![]).unwrap();
    let with_ns = SimpleTransfer::new(
        spec_domains(),
        vec![
            DomainName::new("ns1.exampledns.com").unwrap(),
            DomainName::new("ns2.exampledns.com").unwrap(),
        ],
    )
    .unwrap();
    assert_eq!(requests[0].1, plain);
    assert_eq!(requests[1].1, with_ns);

    for (stem, req) in &requests {
        // Auth codes are written byte for byte: the untyped parse of the
        // encoded request reads each one back exactly...
        let xml = req.encode().unwrap();
        let doc = opensrs_core::parse_str(&xml).unwrap();
        let list = doc
            .root()
            .get("attributes")
            .unwrap()
            .get("domain_list")
            .unwrap();
        for (i, code) in SPEC_CODES.iter().enumerate() {
            let written = list.index(i).unwrap().get("auth_info").unwrap().as_str();
            assert_eq!(written, Some(*code), "{stem}: auth_info [{i}]");
        }
        // ...with `%`, `` ` ``, `[`, `@` as they are (`>` may be written
        // `&gt;`: the same text in XML).
        for raw in ["@xMj%[1b", "AK4u.+5U", "L+7Dk`3j"] {
            assert!(
                xml.contains(&format!(">{raw}</item>")),
                "{stem}: {raw} in {xml}"
            );
        }
        // And Debug never shows them.
        let debug = format!("{req:?}");
        for fragment in ["xMj", "zA", "AK4u", "Dk`"] {
            assert!(!debug.contains(fragment), "{stem}: Debug shows {fragment}");
        }
    }
}

#[test]
fn reply_fixtures_decode_reencode_and_round_trip() {
    let mut seen = Vec::new();
    common::check_replies::<SimpleTransfer>(
        common::Snap::No,
        |a, b| a == b,
        |stem, r: &SimpleTransferReply<'_>| {
            assert_eq!(r.response_code, ResponseCode::Success);
            // The newline inside the value is data, kept.
            assert_eq!(r.response_text, "Simple transfer job successfully\nadded");
            assert_eq!(r.simple_transfer_job_id, "134");
            seen.push(stem.to_owned());
        },
    );
    assert_eq!(seen, ["reply"]);
}

//! `opensrs request`, run as a user runs it: attributes through the typed
//! requests and back, JSON input, refusals that name the key.

#![allow(deprecated)] // simple_transfer is deprecated by OpenSRS, and tested here on purpose.
#![allow(dead_code)] // `common` serves several test files.

mod common;

use common::{TempDir, assert_error_format, fixture_bytes, xcp};
use opensrs_actions::domain::{
    CheckTransfer, RegistrantType, ResendTradeApprovalNotice, SendType, SimpleTransfer,
    TransferDomain,
};
use opensrs_actions::transfer::SendPassword;
use opensrs_actions::{DomainName, PhoneNumber};
use opensrs_core::Command as _;

// ---- request ---------------------------------------------------------------

fn name(s: &str) -> DomainName {
    DomainName::new(s).expect("valid domain name")
}

/// Builds a request from arguments, checks its bytes against `expected`'s
/// encoding (compact and `--pretty`), and reads it back as `C`.
#[track_caller]
fn request_round_trip<C>(args: &[&str], expected: &C)
where
    C: opensrs_core::Command + PartialEq + std::fmt::Debug,
{
    for pretty in [false, true] {
        let mut all = vec!["request"];
        all.extend_from_slice(args);
        let encoded = if pretty {
            all.push("--pretty");
            expected.encode_pretty()
        } else {
            expected.encode()
        };
        let run = xcp(&all, None).ok();
        assert_eq!(run.stdout(), encoded.expect("encodes"), "{all:?}");
        let doc = opensrs_core::parse(&run.stdout).expect("envelope parses");
        assert_eq!(
            &C::decode_request(&doc).expect("decodes"),
            expected,
            "{all:?}"
        );
    }
}

/// [`request_round_trip`], and `expected` is the request the fixture `rel`
/// holds.
#[track_caller]
fn request_round_trip_of_fixture<C>(args: &[&str], expected: &C, rel: &str)
where
    C: opensrs_core::Command + PartialEq + std::fmt::Debug,
{
    request_round_trip(args, expected);
    let bytes = fixture_bytes(rel);
    let doc = opensrs_core::parse(&bytes).expect("fixture parses");
    assert_eq!(
        expected,
        &C::decode_request(&doc).expect("fixture decodes"),
        "{rel}"
    );
}

#[test]
fn request_attributes_round_trip_through_the_typed_requests() {
    request_round_trip_of_fixture(
        &[
            "send_password",
            "--object",
            "transfer",
            "domain_name=example.com",
        ],
        &SendPassword {
            domain_name: name("example.com"),
        },
        "ops-actions/fixtures/transfer/send_password/request.xml",
    );
    request_round_trip_of_fixture(
        &[
            "SEND_PASSWORD",
            "--object",
            "Domain",
            "domain_name=example.com",
            "send_to=owner",
            "sub_user=0",
        ],
        &opensrs_actions::domain::SendPassword {
            domain_name: name("example.com"),
            send_to: Some(opensrs_actions::domain::SendTo::Owner),
            sub_user: Some(false),
        },
        "ops-actions/fixtures/domain/send_password/request.xml",
    );
    request_round_trip_of_fixture(
        &[
            "check_transfer",
            "domain=example.com",
            "check_status=1",
            "get_request_address=1",
        ],
        &CheckTransfer {
            domain: name("example.com"),
            check_status: Some(true),
            get_request_address: Some(true),
        },
        "ops-actions/fixtures/domain/check_transfer/request.xml",
    );
    request_round_trip_of_fixture(
        &[
            "resend_trade_approval_notice",
            "domain=tucows-d6ad7a0fc501d8.com",
            "registrant_type=current",
            "send_type=SMS",
            "sms_phone_number=+1.2602180057",
        ],
        &ResendTradeApprovalNotice::new(
            name("tucows-d6ad7a0fc501d8.com"),
            RegistrantType::Current,
            SendType::Sms,
            Some(PhoneNumber::new("+1.2602180057").expect("valid")),
        )
        .expect("keeps the rules"),
        "ops-actions/fixtures/domain/resend_trade_approval_notice/request_sms.xml",
    );

    let codes = [
        ("newtransfer461.com", "@xMj%[1b"),
        ("newtransfer462.com", "Mj%zA>1r"),
        ("newtransfer463.com", "AK4u.+5U"),
        ("newtransfer464.com", "L+7Dk`3j"),
    ];
    let list = || {
        codes
            .iter()
            .map(|(d, c)| TransferDomain::new(name(d), *c))
            .collect::<Vec<_>>()
    };
    let mut pairs = Vec::new();
    for (i, (d, c)) in codes.iter().enumerate() {
        pairs.push(format!("domain_list.{i}.domain_name={d}"));
        pairs.push(format!("domain_list.{i}.auth_info={c}"));
    }
    let mut args = vec!["simple_transfer"];
    args.extend(pairs.iter().map(String::as_str));
    request_round_trip_of_fixture(
        &args,
        &SimpleTransfer::new(list(), vec![]).expect("keeps the rules"),
        "ops-actions/fixtures/domain/simple_transfer/request.xml",
    );
    args.extend([
        "nameserver_list.0=ns1.exampledns.com",
        "nameserver_list.1=ns2.exampledns.com",
    ]);
    request_round_trip_of_fixture(
        &args,
        &SimpleTransfer::new(
            list(),
            vec![name("ns1.exampledns.com"), name("ns2.exampledns.com")],
        )
        .expect("keeps the rules"),
        "ops-actions/fixtures/domain/simple_transfer/request_with_nameservers.xml",
    );
    // An internationalised name is sent in its ASCII form.
    request_round_trip(
        &[
            "send_password",
            "--object",
            "transfer",
            "domain_name=bücher.example",
        ],
        &SendPassword {
            domain_name: name("xn--bcher-kva.example"),
        },
    );
}

#[test]
fn request_from_a_json_file() {
    let dir = TempDir::new("request-json");
    let f = dir.file(
        "attrs.json",
        br#"{"domain_list": [{"domain_name": "a.com", "auth_info": "S3cr3t"}]}"#,
    );
    let run = xcp(&["request", "simple_transfer", "--json", &f], None).ok();
    let expected = SimpleTransfer::new(vec![TransferDomain::new(name("a.com"), "S3cr3t")], vec![])
        .expect("keeps the rules");
    assert_eq!(run.stdout(), expected.encode().expect("encodes"));
    // Stdin, and a JSON error with its position.
    let run = xcp(
        &["request", "check_transfer", "--json", "-"],
        Some(br#"{"domain": "example.com"}"#),
    )
    .ok();
    assert!(run.stdout().contains("example.com"));
    let line = xcp(
        &["request", "check_transfer", "--json", "-"],
        Some(br#"{"domain": null}"#),
    )
    .fails();
    assert_error_format(&line, "<stdin>");
    let line = xcp(&["request", "check_transfer", "--json", "-"], Some(b"[1]")).fails();
    assert_eq!(line, "<stdin>: expected a JSON object: the attributes");
    // A secret the typed request refuses: not shown.
    let f = dir.file(
        "bad.json",
        br#"{"domain_list": [{"domain_name": "a.com", "auth_info": {"x": "S3cr3t"}}]}"#,
    );
    let line = xcp(&["request", "simple_transfer", "--json", &f], None).fails();
    assert!(!line.contains("S3cr3t"), "{line}");
    assert!(
        line.ends_with("(at attributes.domain_list[0].auth_info)"),
        "{line}"
    );
}

#[test]
fn request_refusals_name_the_key() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "send_password",
                "--object",
                "transfer",
                "domain_name=exa mple.com",
            ],
            "domain_name: rule `domain_name` broken: label `exa mple` holds ` `: only letters, digits and hyphens are allowed (at attributes.domain_name)",
        ),
        (
            &["check_transfer", "domain=localhost"],
            "domain: rule `domain_name` broken: `localhost` has no top-level domain (at attributes.domain)",
        ),
        (
            &[
                "resend_trade_approval_notice",
                "domain=example.com",
                "registrant_type=new",
                "send_type=sms",
            ],
            "send_type: rule `sms_requires_current_registrant` broken: send_type SMS is only allowed when registrant_type is current (at attributes.send_type)",
        ),
        (
            &[
                "simple_transfer",
                "domain_list.0.domain_name=ok.com",
                "domain_list.0.auth_info=x",
                "domain_list.1.domain_name=bad_name.com",
                "domain_list.1.auth_info=S3cr3tC0de",
            ],
            "domain_list.1.domain_name: rule `domain_name` broken: label `bad_name` holds `_`: only letters, digits and hyphens are allowed (at attributes.domain_list[1].domain_name)",
        ),
        (
            &["check_transfer", "domain=example.com", "check_status=2"],
            "check_status: expected a boolean (1 or 0; Y/N, yes/no and true/false are read too), found `2` (at attributes.check_status)",
        ),
        (
            &["check_transfer"],
            "domain: missing required key `domain` (at attributes.domain)",
        ),
        (
            &["check_transfer", "S3cr3tC0de"],
            "argument 1: expected KEY=VALUE (the argument is not shown: it may hold a secret)",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["request"];
        all.extend_from_slice(args);
        let line = xcp(&all, None).fails();
        if expected.contains("boolean") {
            assert!(
                line.starts_with("check_status: ")
                    && line.ends_with("(at attributes.check_status)"),
                "{line}"
            );
        } else {
            assert_eq!(line, *expected, "{args:?}");
        }
        assert!(!line.contains("S3cr3tC0de"), "{line}");
    }
}

#[test]
fn request_names_are_usage_errors() {
    let cases: &[&[&str]] = &[
        &["request"],
        &["request", "lookup", "domain=example.com"],
        &["request", "send_password", "domain_name=example.com"],
        &[
            "request",
            "check_transfer",
            "--object",
            "transfer",
            "domain=example.com",
        ],
        &[
            "request",
            "check_transfer",
            "--json",
            "x.json",
            "domain=example.com",
        ],
    ];
    for args in cases {
        let err = xcp(args, None).usage_error();
        assert!(err.starts_with("error: "), "{args:?}: {err}");
    }
    let err = xcp(
        &["request", "send_password", "domain_name=example.com"],
        None,
    )
    .usage_error();
    assert!(err.contains("give its object (transfer, domain)"), "{err}");
    // The usage error never repeats an auth code.
    let err = xcp(
        &[
            "request",
            "simple_transfer",
            "domain_list.0.auth_info=S3cr3t",
            "--bogus",
        ],
        None,
    )
    .usage_error();
    assert!(!err.contains("S3cr3t"), "{err}");
    let help = xcp(&["request", "--help"], None).ok();
    for part in [
        "[KEY=VALUE]...",
        "--object <OBJECT>",
        "--json <FILE>",
        "--pretty",
    ] {
        assert!(help.stdout().contains(part), "{part}: {}", help.stdout());
    }
}

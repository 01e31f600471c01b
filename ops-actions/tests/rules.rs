//! The rules of the four commands, each with its typed error, at build and
//! at decode; domain names; auth codes; and the reply quirks of
//! check_transfer. Decode cases start from a spec fixture and edit its XML.

// simple_transfer is deprecated by OpenSRS and carries `#[deprecated]`; it
// is tested on purpose.
#![allow(deprecated)]

mod common;

use std::fmt::Debug;

use opensrs_actions::domain::{
    CheckTransfer, CheckTransferReply, RegistrantType, ResendTradeApprovalNotice, SendType,
    SimpleTransfer, TransferDomain, TransferStatus,
};
use opensrs_actions::jiff::{civil::date, tz::offset};
use opensrs_actions::transfer::SendPassword;
use opensrs_actions::{DomainName, DomainNameError, ParsedTime, PhoneNumber, PhoneNumberError};
use opensrs_core::convert::RuleError;
use opensrs_core::{
    Command, DecodeError, DecodeErrorKind, ParseErrorKind, ReplyError, Value, parse_str,
};

// ---------------------------------------------------------------------------
// Helpers

/// `text` with the only occurrence of `from` replaced by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` once in the fixture"
    );
    text.replacen(from, to, 1)
}

/// The 1-based line of the first line of `text` holding `needle`.
fn line_of(text: &str, needle: &str) -> u32 {
    let i = text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` in the text"));
    u32::try_from(i + 1).unwrap()
}

/// The 1-based line of the last line of `text` holding `needle`.
fn last_line_of(text: &str, needle: &str) -> u32 {
    let i = text
        .lines()
        .collect::<Vec<_>>()
        .iter()
        .rposition(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` in the text"));
    u32::try_from(i + 1).unwrap()
}

/// The error of decoding `xml` as a request of `C`.
fn request_error<C: Command + Debug>(xml: &str) -> DecodeError {
    let doc = parse_str(xml).expect("well-formed XML");
    match C::decode_request(&doc) {
        Ok(req) => panic!("decoded, but must fail: {req:?}"),
        Err(e) => e,
    }
}

/// Checks that `err` is the rule `rule` at key path `path`, reported at the
/// (last) line of `xml` holding `at`, and that its Display leads with
/// `LINE:COL: `.
fn assert_rule(err: &DecodeError, rule: &str, path: &str, xml: &str, at: &str) {
    match err.kind() {
        DecodeErrorKind::Rule { rule: r, .. } => assert_eq!(*r, rule, "{err}"),
        other => panic!("expected rule `{rule}`, got {other:?} ({err})"),
    }
    assert_eq!(err.path(), path, "{err}");
    let pos = err.position().expect("a decoded value has a position");
    assert_eq!(pos.line, last_line_of(xml, at), "{err}");
    let display = err.to_string();
    assert!(
        display.starts_with(&format!(
            "{}:{}: rule `{rule}` broken: ",
            pos.line, pos.column
        )),
        "{display}"
    );
    assert!(display.ends_with(&format!(" (at {path})")), "{display}");
}

fn domain(name: &str) -> DomainName {
    DomainName::new(name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn phone(number: &str) -> PhoneNumber {
    PhoneNumber::new(number).unwrap_or_else(|e| panic!("{number}: {e}"))
}

/// `name` escaped as a Rust string, combining marks included (Rust's
/// `escape_debug` keeps a mark that follows a letter).
fn esc(name: &str) -> String {
    name.chars()
        .map(|c| {
            if ('\u{300}'..='\u{36F}').contains(&c) {
                c.escape_unicode().to_string()
            } else {
                c.escape_debug().to_string()
            }
        })
        .collect()
}

/// The Display of a decode error, as a line of a snapshot: `case: error`.
fn line(case: &str, err: &impl std::fmt::Display) -> String {
    format!("{case}\n    {err}\n")
}

// ---------------------------------------------------------------------------
// resend_trade_approval_notice

const RESEND_EMAIL: &str = "domain/resend_trade_approval_notice/request_email.xml";
const RESEND_SMS: &str = "domain/resend_trade_approval_notice/request_sms.xml";

#[test]
fn resend_sms_only_to_the_current_registrant_when_built() {
    let err = ResendTradeApprovalNotice::new(
        domain("example.com"),
        RegistrantType::New,
        SendType::Sms,
        None,
    )
    .unwrap_err();
    assert_eq!(err.rule(), "sms_requires_current_registrant");
    assert_eq!(err.path(), "attributes.send_type");
    // With a number too: the first rule broken is reported.
    let err = ResendTradeApprovalNotice::new(
        domain("example.com"),
        RegistrantType::New,
        SendType::Sms,
        Some(phone("+1.2602180057")),
    )
    .unwrap_err();
    assert_eq!(err.rule(), "sms_requires_current_registrant");

    for (registrant, number) in [
        (RegistrantType::Current, None),
        (RegistrantType::Current, Some(phone("+1.2602180057"))),
    ] {
        ResendTradeApprovalNotice::new(domain("example.com"), registrant, SendType::Sms, number)
            .expect("SMS to the current registrant");
    }
    for registrant in [RegistrantType::New, RegistrantType::Current] {
        ResendTradeApprovalNotice::new(domain("example.com"), registrant, SendType::Email, None)
            .expect("Email to either registrant");
    }
}

#[test]
fn resend_phone_number_only_with_sms_when_built() {
    for registrant in [RegistrantType::New, RegistrantType::Current] {
        let err: RuleError = ResendTradeApprovalNotice::new(
            domain("example.com"),
            registrant,
            SendType::Email,
            Some(phone("+1.2602180057")),
        )
        .unwrap_err();
        assert_eq!(err.rule(), "sms_phone_number_requires_sms");
        assert_eq!(err.path(), "attributes.sms_phone_number");
    }
}

#[test]
fn resend_malformed_phone_numbers_are_typed_errors() {
    // A malformed number never reaches `ResendTradeApprovalNotice::new`:
    // it takes a `PhoneNumber`, and building one checks the form.
    for bad in [
        "260-218-0057",
        "+1.",
        "+1234.5678",
        "",
        "+1.2602180057x",
        "1.2602180057",
        // Country code 0, or written with a leading zero: 1 to 999 only.
        "+0.2602180057",
        "+000.2602180057",
        "+01.2602180057",
    ] {
        let err = PhoneNumber::new(bad).unwrap_err();
        assert_eq!(err, PhoneNumberError(bad.to_owned()));
        assert!(err.to_string().contains("OpenSRS form"), "{err}");
    }
    for good in [
        "+1.2602180057",
        "+44.2071234567x12",
        "+999.1234",
        "+10.2602180057",
        "+100.2602180057",
    ] {
        assert_eq!(phone(good).as_str(), good);
    }
}

#[test]
fn resend_rules_when_decoded() {
    let email = common::fixture_text(RESEND_EMAIL);
    let sms = common::fixture_text(RESEND_SMS);
    let mut shown = String::new();

    // SMS to the new registrant.
    let xml = edit(
        &email,
        r#"<item key="send_type">email</item>"#,
        r#"<item key="send_type">SmS</item>"#,
    );
    let err = request_error::<ResendTradeApprovalNotice>(&xml);
    assert_rule(
        &err,
        "sms_requires_current_registrant",
        "attributes.send_type",
        &xml,
        r#"key="send_type""#,
    );
    shown += &line("send_type SmS with registrant_type new", &err);

    // A phone number with Email.
    let xml = edit(
        &email,
        r#"<item key="send_type">email</item>"#,
        r#"<item key="send_type">email</item>
                        <item key="sms_phone_number">+1.2602180057</item>"#,
    );
    let err = request_error::<ResendTradeApprovalNotice>(&xml);
    assert_rule(
        &err,
        "sms_phone_number_requires_sms",
        "attributes.sms_phone_number",
        &xml,
        r#"key="sms_phone_number""#,
    );
    shown += &line("sms_phone_number with send_type email", &err);

    // Malformed numbers.
    for bad in [
        "260-218-0057",
        "+1.",
        "+1234.5678",
        "+0.2602180057",
        "+01.2602180057",
    ] {
        let xml = edit(&sms, "+1.2602180057", bad);
        let err = request_error::<ResendTradeApprovalNotice>(&xml);
        assert_rule(
            &err,
            "phone_number_format",
            "attributes.sms_phone_number",
            &xml,
            r#"key="sms_phone_number""#,
        );
        shown += &line(&format!("sms_phone_number {bad}"), &err);
    }

    // An unknown send_type is an error, not a rule.
    let xml = edit(&email, ">email<", ">fax<");
    let err = request_error::<ResendTradeApprovalNotice>(&xml);
    assert!(
        matches!(err.kind(), DecodeErrorKind::Invalid { .. }),
        "{err}"
    );
    assert_eq!(err.path(), "attributes.send_type");
    shown += &line("send_type fax", &err);

    common::snapshot(
        "rules__resend_trade_approval_notice__decode_errors",
        "fixtures/domain/resend_trade_approval_notice/request_*.xml edited to break each rule: \
         the case, then the DecodeError's Display (LINE:COL: message (at KEY.PATH))",
        &shown,
    );
}

#[test]
fn resend_send_type_and_registrant_type_any_case_on_decode() {
    let email = common::fixture_text(RESEND_EMAIL);
    for (send, registrant) in [("EMAIL", "NEW"), ("Email", "New"), ("eMaIl", "new")] {
        let xml = edit(&email, ">email<", &format!(">{send}<"));
        let xml = edit(&xml, ">new<", &format!(">{registrant}<"));
        let doc = parse_str(&xml).unwrap();
        let req = ResendTradeApprovalNotice::decode_request(&doc).unwrap();
        assert_eq!(req.send_type(), SendType::Email);
        assert_eq!(req.registrant_type(), RegistrantType::New);
        // Written back as the spec's table names them.
        let out = req.encode().unwrap();
        assert!(
            out.contains(r#"<item key="send_type">Email</item>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<item key="registrant_type">new</item>"#),
            "{out}"
        );
    }
}

// ---------------------------------------------------------------------------
// simple_transfer: list size, auth codes

const SIMPLE: &str = "domain/simple_transfer/request.xml";

fn transfer_domains(n: usize) -> Vec<TransferDomain> {
    (0..n)
        .map(|i| TransferDomain::new(domain(&format!("d{i}.example")), format!("code-{i}")))
        .collect()
}

#[test]
fn simple_transfer_holds_1_to_10000_domains_when_built() {
    for n in [0, 10_001] {
        let err = SimpleTransfer::new(transfer_domains(n), vec![]).unwrap_err();
        assert_eq!(err.rule(), "domain_list_size", "{n}");
        assert_eq!(err.path(), "attributes.domain_list", "{n}");
        assert!(
            err.message().contains(&format!("holds {n} domains")),
            "{err}"
        );
    }
    for n in [1, 10_000] {
        let req = SimpleTransfer::new(transfer_domains(n), vec![]).expect("in range");
        assert_eq!(req.domain_list().len(), n);
    }
}

/// A simple_transfer request with `n` generated domains.
fn simple_transfer_xml(n: usize) -> String {
    let mut items = String::new();
    for i in 0..n {
        items += &format!(
            r#"<item key="{i}"><dt_assoc><item key="domain_name">d{i}.example</item><item key="auth_info">code-{i}</item></dt_assoc></item>"#
        );
    }
    let text = common::fixture_text(SIMPLE);
    let start = text.find("<dt_array>").unwrap();
    let end = text.find("</dt_array>").unwrap() + "</dt_array>".len();
    format!(
        "{}<dt_array>{items}</dt_array>{}",
        &text[..start],
        &text[end..]
    )
}

#[test]
fn simple_transfer_holds_1_to_10000_domains_when_decoded() {
    let mut shown = String::new();
    for n in [0, 10_001] {
        let xml = simple_transfer_xml(n);
        let err = request_error::<SimpleTransfer>(&xml);
        assert_rule(
            &err,
            "domain_list_size",
            "attributes.domain_list",
            &xml,
            r#"key="domain_list""#,
        );
        shown += &line(&format!("domain_list of {n} domains"), &err);
    }
    for n in [1, 10_000] {
        let xml = simple_transfer_xml(n);
        let doc = parse_str(&xml).unwrap();
        let req = SimpleTransfer::decode_request(&doc).expect("in range");
        assert_eq!(req.domain_list().len(), n);
    }
    common::snapshot(
        "rules__simple_transfer__decode_errors",
        "fixtures/domain/simple_transfer/request.xml with its domain_list replaced: the case, \
         then the DecodeError's Display",
        &shown,
    );
}

#[test]
fn simple_transfer_auth_codes_are_not_empty_when_built() {
    let mut domains = transfer_domains(5);
    domains[3].auth_info = "".into();
    let err = SimpleTransfer::new(domains, vec![]).unwrap_err();
    assert_eq!(err.rule(), "auth_info_empty");
    assert_eq!(err.path(), "attributes.domain_list[3].auth_info");
    assert!(err.message().contains("domain_list[3] is empty"), "{err}");
    // A code of spaces is a code: it is sent as given.
    let mut domains = transfer_domains(2);
    domains[1].auth_info = " ".into();
    SimpleTransfer::new(domains, vec![]).expect("a code of one space");
}

#[test]
fn simple_transfer_holds_each_domain_once_when_built() {
    let cases = [
        ("example.com", "example.com"),
        ("Example.com", "example.COM"),
        ("bücher.de", "xn--bcher-kva.de"),
        ("BÜCHER.de", "XN--BCHER-KVA.DE"),
        ("bu\u{308}cher.de", "bücher.de"),
    ];
    for (first, second) in cases {
        let mut domains = transfer_domains(4);
        domains[1] = TransferDomain::new(domain(first), "a");
        domains[3] = TransferDomain::new(domain(second), "b");
        let err = SimpleTransfer::new(domains, vec![]).unwrap_err();
        assert_eq!(err.rule(), "duplicate_domain", "{first} {second}");
        assert_eq!(err.path(), "attributes.domain_list[3].domain_name");
        assert!(
            err.message().contains("same domain as domain_list[1]"),
            "{err}"
        );
    }
    // Different domains, even close ones, are fine.
    let domains = vec![
        TransferDomain::new(domain("bucher.de"), "a"),
        TransferDomain::new(domain("bücher.de"), "b"),
        TransferDomain::new(domain("bücher.com"), "c"),
        TransferDomain::new(domain("xn--bcher-kva.at"), "d"),
    ];
    assert_eq!(
        SimpleTransfer::new(domains, vec![])
            .unwrap()
            .domain_list()
            .len(),
        4
    );
}

#[test]
fn simple_transfer_build_rules_hold_when_decoded() {
    let simple = common::fixture_text(SIMPLE);
    let mut shown = String::new();

    // An empty code, written both ways.
    for empty in [
        r#"<item key="auth_info"></item>"#,
        r#"<item key="auth_info"/>"#,
    ] {
        let xml = edit(&simple, r#"<item key="auth_info">L+7Dk`3j</item>"#, empty);
        let err = request_error::<SimpleTransfer>(&xml);
        assert_rule(
            &err,
            "auth_info_empty",
            "attributes.domain_list[3].auth_info",
            &xml,
            empty,
        );
        shown += &line(&format!("domain_list[3].auth_info {empty}"), &err);
    }

    // The same domain twice: as given, by case, and as U-label and A-label.
    for (first, second) in [
        ("same.example", "same.example"),
        ("Example.com", "example.com"),
        ("bücher.de", "xn--bcher-kva.de"),
        ("XN--BCHER-KVA.de", "bu\u{308}cher.de"),
    ] {
        let xml = edit(&simple, ">newtransfer462.com<", &format!(">{first}<"));
        let xml = edit(&xml, ">newtransfer464.com<", &format!(">{second}<"));
        let err = request_error::<SimpleTransfer>(&xml);
        assert_rule(
            &err,
            "duplicate_domain",
            "attributes.domain_list[3].domain_name",
            &xml,
            &format!(">{second}<"),
        );
        shown += &line(
            &format!(
                "domain_list[1] `{}`, domain_list[3] `{}`",
                esc(first),
                esc(second)
            ),
            &err,
        );
    }

    common::snapshot(
        "rules__simple_transfer_build_rules__decode_errors",
        "fixtures/simple_transfer/request.xml with an empty auth_info, then with the same \
         domain twice (as given, by case, as U-label and A-label): the case, then the \
         DecodeError's Display",
        &shown,
    );
}

#[test]
fn auth_codes_are_written_byte_for_byte_and_never_shown() {
    let codes = [
        "%",
        ">",
        "`",
        "[",
        "@",
        "&<\"'",
        "a%>`[@&<\"'z",
        "]]>",
        "  spaced  ",
    ];
    let domains: Vec<TransferDomain> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| TransferDomain::new(domain(&format!("d{i}.example")), *c))
        .collect();
    let req = SimpleTransfer::new(domains, vec![]).unwrap();

    for (how, xml) in [
        ("compact", req.encode().unwrap()),
        ("pretty", req.encode_pretty().unwrap()),
    ] {
        // Read back untyped: exactly the bytes given.
        let doc = parse_str(&xml).unwrap();
        let list = doc
            .root()
            .get("attributes")
            .unwrap()
            .get("domain_list")
            .unwrap();
        for (i, code) in codes.iter().enumerate() {
            let node = list.index(i).unwrap().get("auth_info").unwrap();
            assert_eq!(node.as_str(), Some(*code), "{how} [{i}]");
        }
        // Read back typed: an equal request, equal codes.
        let back = SimpleTransfer::decode_request(&doc).unwrap();
        assert_eq!(back, req, "{how}");
        for (d, code) in back.domain_list().iter().zip(codes) {
            assert_eq!(d.auth_info.expose().as_bytes(), code.as_bytes(), "{how}");
        }
        // Debug shows none of them.
        for shown in [format!("{back:?}"), format!("{back:#?}")] {
            assert!(!shown.contains("code"), "{shown}");
            for fragment in ["%", "&", "`", "]]", "spaced", "\\\""] {
                assert!(!shown.contains(fragment), "{how}: {fragment} in {shown}");
            }
            assert_eq!(shown.matches("[redacted]").count(), codes.len(), "{shown}");
        }
    }

    common::snapshot(
        "rules__auth_info_special_characters__encoded_pretty",
        "a simple_transfer request whose auth codes are %, >, `, [, @, &<\"', all of them, ]]> \
         and a code with spaces, encoded pretty: each is escaped only as XML needs",
        &req.encode_pretty().unwrap(),
    );
}

// ---------------------------------------------------------------------------
// Domain names

/// Invalid names and the error each must give.
fn invalid_names() -> Vec<(String, DomainNameError)> {
    let label64 = "a".repeat(64);
    // 254 characters: labels of 62, 62, 62 and 61 letters, then `.com`.
    let long = format!("{0}.{0}.{0}.{1}.com", "a".repeat(62), "a".repeat(61));
    assert_eq!(long.len(), 254);
    vec![
        (String::new(), DomainNameError::Empty),
        ("-a.com".into(), DomainNameError::HyphenAtEdge("-a".into())),
        ("a-.com".into(), DomainNameError::HyphenAtEdge("a-".into())),
        ("a..com".into(), DomainNameError::EmptyLabel),
        ("a.com.".into(), DomainNameError::EmptyLabel),
        (".a.com".into(), DomainNameError::EmptyLabel),
        (
            format!("{label64}.com"),
            DomainNameError::LabelTooLong(label64.clone()),
        ),
        (long, DomainNameError::TooLong(254)),
        (
            "localhost".into(),
            DomainNameError::SingleLabel("localhost".into()),
        ),
        ("a.123".into(), DomainNameError::NumericTld("123".into())),
        (
            "exa mple.com".into(),
            DomainNameError::InvalidChar {
                label: "exa mple".into(),
                ch: ' ',
            },
        ),
        (
            "a_b.com".into(),
            DomainNameError::InvalidChar {
                label: "a_b".into(),
                ch: '_',
            },
        ),
    ]
}

#[test]
fn invalid_domain_names_are_typed_errors() {
    for (name, expected) in invalid_names() {
        assert_eq!(DomainName::new(&name), Err(expected), "`{name}`");
        assert!(name.parse::<DomainName>().is_err(), "`{name}`");
    }
    // The limits themselves are fine.
    let label63 = "a".repeat(63);
    assert!(DomainName::new(&format!("{label63}.com")).is_ok());
    let max = format!("{0}.{0}.{0}.{1}.com", "a".repeat(62), "a".repeat(60));
    assert_eq!(max.len(), 253);
    assert!(DomainName::new(&max).is_ok());
    assert!(DomainName::new("a.b2").is_ok());
    assert_eq!(domain("Example.COM").as_str(), "Example.COM");
}

#[test]
fn odd_domain_names_never_panic() {
    let odd = [
        ".",
        "..",
        "-",
        "a.-",
        "ü",
        "😀.com",
        "xn--.com",
        "a\u{0}b.com",
        "\u{200b}.com",
        "ä.ß.ς",
        "1.2.3.4",
        "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z",
    ];
    let long_unicode = "ü".repeat(300);
    for name in odd.iter().copied().chain([long_unicode.as_str()]) {
        // Either outcome is fine; panicking is not.
        let _ = DomainName::new(name);
    }
}

#[test]
fn invalid_domain_names_when_decoded_name_their_key_path() {
    let simple = common::fixture_text(SIMPLE);
    let mut shown = String::new();
    for (name, expected) in invalid_names() {
        let xml = edit(&simple, ">newtransfer463.com<", &format!(">{name}<"));
        let err = request_error::<SimpleTransfer>(&xml);
        assert_rule(
            &err,
            "domain_name",
            "attributes.domain_list[2].domain_name",
            &xml,
            &format!(">{name}</item>"),
        );
        let DecodeErrorKind::Rule { message, .. } = err.kind() else {
            unreachable!()
        };
        assert_eq!(*message, expected.to_string());
        shown += &line(&format!("domain_list[2].domain_name `{name}`"), &err);
    }

    // The same in the other commands' domain keys.
    let cases = [
        (
            "transfer/send_password/request.xml",
            "attributes.domain_name",
        ),
        ("domain/check_transfer/request.xml", "attributes.domain"),
        (RESEND_EMAIL, "attributes.domain"),
        (
            "domain/simple_transfer/request_with_nameservers.xml",
            "attributes.nameserver_list[1]",
        ),
    ];
    for (fixture, path) in cases {
        let text = common::fixture_text(fixture);
        let good = match fixture {
            RESEND_EMAIL => "gfe7892gf2933e2f.com",
            f if f.contains("nameservers") => "ns2.exampledns.com",
            _ => "example.com",
        };
        let xml = edit(&text, &format!(">{good}<"), ">a..com<");
        let err = match fixture {
            "transfer/send_password/request.xml" => request_error::<SendPassword>(&xml),
            "domain/check_transfer/request.xml" => request_error::<CheckTransfer>(&xml),
            RESEND_EMAIL => request_error::<ResendTradeApprovalNotice>(&xml),
            _ => request_error::<SimpleTransfer>(&xml),
        };
        assert_rule(&err, "domain_name", path, &xml, ">a..com<");
        shown += &line(&format!("{fixture}: {path} `a..com`"), &err);
    }

    common::snapshot(
        "rules__domain_name__decode_errors",
        "spec fixtures with one domain name replaced by an invalid one: the case, then the \
         DecodeError's Display",
        &shown,
    );
}

#[test]
fn internationalised_names_are_sent_in_ascii() {
    let buecher = domain("bücher.example");
    let tesuto = domain("例え.テスト");
    assert_eq!(buecher.as_str(), "xn--bcher-kva.example");
    assert_eq!(tesuto.as_str(), "xn--r8jz45g.xn--zckzah");
    assert_eq!(buecher.to_unicode(), "bücher.example");
    assert_eq!(tesuto.to_unicode(), "例え.テスト");

    let req = SimpleTransfer::new(
        vec![
            TransferDomain::new(buecher.clone(), "auth-1"),
            TransferDomain::new(tesuto.clone(), "auth-2"),
        ],
        vec![domain("ns1.bücher.example")],
    )
    .unwrap();
    let xml = req.encode_pretty().unwrap();
    assert!(!xml.contains("bücher") && !xml.contains("例え"), "{xml}");
    common::snapshot(
        "rules__idn__encoded_pretty",
        "a simple_transfer request built with bücher.example, 例え.テスト and name server \
         ns1.bücher.example: the wire carries their ASCII (IDNA) forms",
        &xml,
    );

    // Unicode names in a request's XML are converted when decoded.
    let xml = edit(
        &common::fixture_text("domain/check_transfer/request.xml"),
        ">example.com<",
        ">例え.テスト<",
    );
    let doc = parse_str(&xml).unwrap();
    let req = CheckTransfer::decode_request(&doc).unwrap();
    assert_eq!(req.domain, tesuto);
}

/// Names the UTS 46 mapping would rewrite, or that IDNA2008 refuses, and
/// the error each must give.
fn rewritten_names() -> Vec<(&'static str, DomainNameError)> {
    use DomainNameError::{ALabel, Context, Disallowed, Removed, Rewritten};
    let joiners = "IDNA2008 (RFC 5892) allows a joiner only after a virama, a non-joiner also \
                   between joining letters";
    let symbols = "IDNA2008 (RFC 5892) allows only letters, digits and combining marks (no \
                   symbols, punctuation or emoji)";
    vec![
        // Removed by the mapping: soft hyphen, zero width space.
        (
            "exa\u{AD}mple.com",
            Removed {
                position: 4,
                ch: '\u{AD}',
            },
        ),
        (
            "exa\u{200B}mple.com",
            Removed {
                position: 4,
                ch: '\u{200B}',
            },
        ),
        // Kept by the mapping, refused by the joiner rules outside their
        // context.
        (
            "exa\u{200C}mple.com",
            Context {
                position: 4,
                ch: '\u{200C}',
                rule: joiners,
            },
        ),
        (
            "exa\u{200D}mple.com",
            Context {
                position: 4,
                ch: '\u{200D}',
                rule: joiners,
            },
        ),
        // Replaced by another character.
        (
            "ｅｘａｍｐｌｅ.com",
            Rewritten {
                position: 1,
                ch: 'ｅ',
                to: "e".into(),
            },
        ),
        (
            "example.ｃｏｍ",
            Rewritten {
                position: 9,
                ch: 'ｃ',
                to: "c".into(),
            },
        ),
        (
            "\u{212A}elvin.com",
            Rewritten {
                position: 1,
                ch: '\u{212A}',
                to: "k".into(),
            },
        ),
        (
            "bücher\u{3002}de",
            Rewritten {
                position: 7,
                ch: '\u{3002}',
                to: ".".into(),
            },
        ),
        (
            "\u{2126}.com",
            Rewritten {
                position: 1,
                ch: '\u{2126}',
                to: "ω".into(),
            },
        ),
        (
            "\u{1C5}x.com",
            Rewritten {
                position: 1,
                ch: '\u{1C5}',
                to: "d\u{17E}".into(),
            },
        ),
        // Disallowed by UTS 46 itself.
        (
            "a\u{202E}b.com",
            Disallowed {
                position: 2,
                ch: '\u{202E}',
                reason: "IDNA (UTS 46) disallows it",
            },
        ),
        // Valid in UTS 46, disallowed by IDNA2008.
        (
            "i\u{2665}.com",
            Disallowed {
                position: 2,
                ch: '\u{2665}',
                reason: symbols,
            },
        ),
        (
            "\u{1F600}.com",
            Disallowed {
                position: 1,
                ch: '\u{1F600}',
                reason: symbols,
            },
        ),
        (
            "xn--g6h.com",
            ALabel {
                label: "xn--g6h".into(),
                position: 1,
                ch: '\u{2665}',
                reason: symbols,
            },
        ),
        // CONTEXTO: a middle dot only in `l·l`.
        (
            "a\u{B7}b.com",
            Context {
                position: 2,
                ch: '\u{B7}',
                rule: "IDNA2008 (RFC 5892) allows a middle dot only between two `l` (Catalan)",
            },
        ),
    ]
}

#[test]
fn domain_names_are_sent_as_given_or_refused() {
    let mut shown = String::new();
    for (name, expected) in rewritten_names() {
        let err = DomainName::new(name).unwrap_err();
        assert_eq!(err, expected, "`{}`", esc(name));
        assert_eq!(name.parse::<DomainName>(), Err(expected), "`{}`", esc(name));
        let message = err.to_string();
        // One line, no raw control or invisible character.
        assert!(
            !message
                .chars()
                .any(|c| c.is_control() || ('\u{200B}'..='\u{202E}').contains(&c) || c == '\u{AD}'),
            "{message:?}"
        );
        shown += &line(&format!("`{}`", esc(name)), &message);
    }
    common::snapshot(
        "rules__idn__refused",
        "names that IDNA mapping (UTS 46) would rewrite or that IDNA2008 (RFC 5892) refuses \
         (escaped as Rust strings): the name, then DomainNameError's Display",
        &shown,
    );
}

#[test]
fn internationalised_names_changed_only_by_case_and_nfc_are_accepted() {
    for name in [
        "bücher.de",
        "BÜCHER.de",
        "Bücher.DE",
        "bu\u{308}cher.de",
        "BU\u{308}CHER.de",
        "xn--bcher-kva.de",
    ] {
        assert_eq!(domain(name).as_str(), "xn--bcher-kva.de", "`{}`", esc(name));
    }
    // IDNA2008 letters that UTS 46 transitional processing would rewrite:
    // kept (non-transitional), sent as their own A-labels.
    assert_eq!(domain("straße.de").as_str(), "xn--strae-oqa.de");
    assert_eq!(domain("ς.gr").as_str(), "xn--3xa.gr");
    // Joiners where RFC 5892 allows them: after a virama (ZWJ), between
    // joining letters (ZWNJ, Persian).
    assert_eq!(
        domain("\u{915}\u{94D}\u{200D}\u{937}.com").as_str(),
        "xn--11b2ezcw70k.com"
    );
    assert!(
        domain("\u{645}\u{6CC}\u{200C}\u{62E}\u{648}\u{627}\u{647}\u{645}.ir")
            .as_str()
            .starts_with("xn--")
    );
    // A middle dot between two `l` (Catalan).
    assert_eq!(
        domain("col\u{B7}lecci\u{F3}.cat").to_unicode(),
        "col\u{B7}lecci\u{F3}.cat"
    );
    // An ASCII character a name may not hold, in an internationalised name.
    assert_eq!(
        DomainName::new("bü cher.de"),
        Err(DomainNameError::InvalidChar {
            label: "bü cher".into(),
            ch: ' '
        })
    );
}

#[test]
fn rewritten_domain_names_are_refused_when_decoded() {
    let fixture = common::fixture_text("domain/check_transfer/request.xml");
    let mut shown = String::new();
    for (name, expected) in rewritten_names() {
        let xml = edit(&fixture, ">example.com<", &format!(">{name}<"));
        let err = request_error::<CheckTransfer>(&xml);
        assert_rule(
            &err,
            "domain_name",
            "attributes.domain",
            &xml,
            r#"key="domain""#,
        );
        let DecodeErrorKind::Rule { message, .. } = err.kind() else {
            unreachable!()
        };
        assert_eq!(*message, expected.to_string());
        shown += &line(&format!("attributes.domain `{}`", esc(name)), &err);
    }
    // Accepted ones decode to the same request.
    let expected = CheckTransfer::decode_request(
        &parse_str(&edit(&fixture, ">example.com<", ">xn--bcher-kva.de<")).unwrap(),
    )
    .unwrap();
    for name in ["bücher.de", "BÜCHER.de", "bu\u{308}cher.de"] {
        let xml = edit(&fixture, ">example.com<", &format!(">{name}<"));
        let req = CheckTransfer::decode_request(&parse_str(&xml).unwrap()).unwrap();
        assert_eq!(req, expected, "`{}`", esc(name));
    }
    common::snapshot(
        "rules__idn__decode_errors",
        "fixtures/check_transfer/request.xml with its domain replaced by a name IDNA mapping \
         would rewrite or IDNA2008 refuses (escaped as Rust strings): the case, then the \
         DecodeError's Display",
        &shown,
    );
}

// ---------------------------------------------------------------------------
// check_transfer

const CT_COMPLETED: &str = "domain/check_transfer/reply_completed.xml";

/// Decodes `xml` as a check_transfer reply and passes it to `f`.
fn with_reply<R>(xml: &str, f: impl FnOnce(CheckTransferReply<'_>) -> R) -> R {
    let doc = parse_str(xml).expect("well-formed XML");
    f(CheckTransfer::decode_reply(&doc).unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn check_transfer_both_timestamp_forms_parse() {
    let fixture = common::fixture_text(CT_COMPLETED);
    // The examples' form: asctime, the server's local time.
    with_reply(&fixture, |r| {
        let ts = r.timestamp.unwrap();
        assert_eq!(ts.raw(), "Mon Jun 18 15:15:25 2012");
        let t = ts.parsed().unwrap();
        assert_eq!(t, ParsedTime::Civil(date(2012, 6, 18).at(15, 15, 25, 0)));
        assert_eq!(t.instant(), None);
        // `unixtime` is authoritative: 19:15:25 UTC, the server four hours behind.
        assert_eq!(r.unixtime, Some(1_340_046_925));
        let at = t.at_offset(offset(-4)).unwrap();
        assert_eq!(Some(at.as_second()), r.unixtime);
    });
    // The table's form: DD MMM YYYY HH:MM:SS GMT.
    let xml = edit(
        &fixture,
        "Mon Jun 18 15:15:25 2012",
        "18 Jun 2012 19:15:25 GMT",
    );
    with_reply(&xml, |r| {
        let ts = r.timestamp.clone().unwrap();
        assert_eq!(ts.raw(), "18 Jun 2012 19:15:25 GMT");
        let t = ts.parsed().unwrap();
        assert_eq!(t.civil(), date(2012, 6, 18).at(19, 15, 25, 0));
        assert_eq!(t.instant().map(|i| i.as_second()), r.unixtime);
        // Kept as it came when written back.
        let out = CheckTransfer::encode_reply(&r).unwrap();
        assert!(out.contains(">18 Jun 2012 19:15:25 GMT<"), "{out}");
    });
    // A third form is kept raw, unparsed.
    let xml = edit(&fixture, "Mon Jun 18 15:15:25 2012", "2012-06-18T19:15:25Z");
    with_reply(&xml, |r| {
        let ts = r.timestamp.unwrap();
        assert_eq!(ts.raw(), "2012-06-18T19:15:25Z");
        assert_eq!(ts.parsed(), None);
    });
}

#[test]
fn check_transfer_unknown_status_and_keys_are_kept() {
    let fixture = common::fixture_text(CT_COMPLETED);
    let xml = edit(&fixture, ">completed<", ">pending_frobnication<");
    let xml = edit(
        &xml,
        r#"<item key="noservice">0</item>"#,
        r#"<item key="noservice">0</item>
                        <item key="frobnication_level">11</item>
                        <item key="frobnicators">
                            <dt_array>
                                <item key="0">alice</item>
                                <item key="1"></item>
                            </dt_array>
                        </item>
                        <item key="type">rsp2rsp</item>"#,
    );
    let doc = parse_str(&xml).unwrap();
    let r = CheckTransfer::decode_reply(&doc).unwrap();
    assert_eq!(
        r.status,
        Some(TransferStatus::Unknown("pending_frobnication".into()))
    );
    assert_eq!(
        r.transfer_type,
        Some(opensrs_actions::domain::TransferType::Rsp2Rsp)
    );
    assert_eq!(r.other.len(), 2);
    assert_eq!(r.other.get("frobnication_level"), Some(&Value::from("11")));
    assert_eq!(
        r.other.get("frobnicators"),
        Some(&Value::array(["alice", ""]))
    );
    common::snapshot(
        "rules__check_transfer_unknown_status_and_key__decoded",
        "fixtures/domain/check_transfer/reply_completed.xml with status pending_frobnication, a \
         type, and two keys CheckTransferReply does not name, decoded",
        &format!("{r:#?}"),
    );

    // Written back: the unknown status as it came, the unknown keys kept.
    let out = common::encode_reply_pretty::<CheckTransfer>(&r);
    assert!(
        out.contains(r#"<item key="status">pending_frobnication</item>"#),
        "{out}"
    );
    assert!(
        out.contains(r#"<item key="frobnication_level">11</item>"#),
        "{out}"
    );
    let again_doc = parse_str(&out).unwrap();
    let again = CheckTransfer::decode_reply(&again_doc).unwrap();
    assert_eq!(again, r);
    let compact = CheckTransfer::encode_reply(&r).unwrap();
    let again_doc = parse_str(&compact).unwrap();
    assert_eq!(CheckTransfer::decode_reply(&again_doc).unwrap(), r);
    common::snapshot(
        "rules__check_transfer_unknown_status_and_key__reencoded",
        "the reply above written back by Command::encode_reply (shown indented)",
        &out,
    );
}

#[test]
fn check_transfer_action_and_object_any_case() {
    let fixture = common::fixture_text("domain/check_transfer/request.xml");
    // The fixture sends CHECK_TRANSFER / DOMAIN.
    assert!(fixture.contains(">CHECK_TRANSFER<") && fixture.contains(">DOMAIN<"));
    let expected = CheckTransfer::decode_request(&parse_str(&fixture).unwrap()).unwrap();
    for (action, object) in [
        ("check_transfer", "domain"),
        ("Check_Transfer", "Domain"),
        ("CHECK_TRANSFER", "domain"),
    ] {
        let xml = edit(&fixture, ">CHECK_TRANSFER<", &format!(">{action}<"));
        let xml = edit(&xml, ">DOMAIN<", &format!(">{object}<"));
        let req = CheckTransfer::decode_request(&parse_str(&xml).unwrap()).unwrap();
        assert_eq!(req, expected, "{action} {object}");
    }
    // Replies: REPLY / DOMAIN in the fixture, any case accepted.
    let reply = common::fixture_text(CT_COMPLETED);
    for (action, object) in [("reply", "domain"), ("Reply", "DoMaIn")] {
        let xml = edit(&reply, ">REPLY<", &format!(">{action}<"));
        let xml = edit(&xml, ">DOMAIN<", &format!(">{object}<"));
        with_reply(&xml, |r| {
            assert_eq!(r.status, Some(TransferStatus::Completed))
        });
    }
}

#[test]
fn replies_and_requests_for_another_command_are_errors() {
    let mut shown = String::new();

    // A check_transfer reply for object `transfer`.
    let xml = edit(
        &common::fixture_text(CT_COMPLETED),
        r#"<item key="object">DOMAIN</item>"#,
        r#"<item key="object">TRANSFER</item>"#,
    );
    let doc = parse_str(&xml).unwrap();
    let err = CheckTransfer::decode_reply(&doc).unwrap_err();
    let ReplyError::Decode(err) = err else {
        panic!("expected a decode error, got {err:?}")
    };
    match err.kind() {
        DecodeErrorKind::Mismatch {
            what,
            expected,
            found,
        } => {
            assert_eq!(
                (*what, expected.as_str(), found.as_str()),
                ("object", "domain", "TRANSFER")
            );
        }
        other => panic!("expected a mismatch, got {other:?}"),
    }
    assert_eq!(err.path(), "object");
    assert_eq!(err.position().unwrap().line, line_of(&xml, ">TRANSFER<"));
    shown += &line("check_transfer reply with object TRANSFER", &err);

    // The send_password reply (object `transfer`) read as a check_transfer reply.
    let text = common::fixture_text("transfer/send_password/reply.xml");
    let doc = parse_str(&text).unwrap();
    assert!(matches!(
        CheckTransfer::decode_reply(&doc),
        Err(ReplyError::Decode(_))
    ));
    // And a check_transfer reply read as a send_password reply.
    let text = common::fixture_text(CT_COMPLETED);
    let doc = parse_str(&text).unwrap();
    let err = SendPassword::decode_reply(&doc).unwrap_err();
    shown += &line("check_transfer reply read as send_password's", &err);

    // A check_transfer request read as send_password: action, then object.
    let xml = common::fixture_text("domain/check_transfer/request.xml");
    let err = request_error::<SendPassword>(&xml);
    assert!(
        matches!(err.kind(), DecodeErrorKind::Mismatch { what: "action", .. }),
        "{err}"
    );
    shown += &line("check_transfer request read as send_password", &err);
    // send_password on `domain` is another command than on `transfer`.
    let xml = edit(
        &common::fixture_text("transfer/send_password/request.xml"),
        ">transfer<",
        ">domain<",
    );
    let err = request_error::<SendPassword>(&xml);
    assert!(
        matches!(err.kind(), DecodeErrorKind::Mismatch { what: "object", .. }),
        "{err}"
    );
    shown += &line("send_password request on object domain", &err);

    common::snapshot(
        "rules__wrong_command__decode_errors",
        "replies and requests decoded as another command: the case, then the error's Display",
        &shown,
    );
}

#[test]
fn doubled_quote_reply_is_a_parse_error() {
    let text = common::fixture_text("domain/check_transfer/bad/reply_doubled_quotes.xml");
    let err = parse_str(&text).unwrap_err();
    assert!(matches!(err.kind(), ParseErrorKind::Syntax(_)), "{err:?}");
    // At the first doubled quote, line 10.
    assert_eq!(err.position().line, line_of(&text, r#"key=""protocol"""#));
    assert!(err.to_string().starts_with("10:"), "{err}");
    common::snapshot(
        "rules__doubled_quotes__parse_error",
        "fixtures/domain/check_transfer/bad/reply_doubled_quotes.xml (the spec's check_transfer \
         Response 1 as printed): the ParseError's Display",
        &err.to_string(),
    );
}

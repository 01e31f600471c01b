//! The derive, end to end: declare commands, encode, decode, round-trip.

use std::borrow::Cow;

use opensrs_core::code::ResponseCode;
use opensrs_core::{Assoc, Command, ReplyError, Xcp, parse, parse_str};

#[derive(Xcp, Clone, PartialEq)]
#[xcp(action = "check_transfer", object = "domain", response = CheckTransferReply<'_>)]
struct CheckTransfer {
    domain: String,
    #[xcp(default)]
    check_status: bool,
    get_request_address: Option<bool>,
    #[xcp(top)]
    cookie: Option<String>,
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(reply)]
struct CheckTransferReply<'a> {
    #[xcp(top)]
    response_code: ResponseCode,
    #[xcp(top)]
    response_text: &'a str,
    transferrable: bool,
    status: Option<Status>,
    reason: Option<Cow<'a, str>>,
    unixtime: Option<u64>,
    #[xcp(rest)]
    other: Assoc,
}

#[derive(Xcp, Clone, Debug, PartialEq)]
enum Status {
    PendingOwner,
    PendingRegistry,
    Completed,
    #[xcp(other)]
    Unknown(String),
}

#[derive(Xcp, Clone, PartialEq)]
struct Domain {
    domain_name: String,
    #[xcp(secret)]
    auth_info: String,
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(action = "simple_transfer", object = "domain", response = JobReply)]
struct SimpleTransfer {
    domain_list: Vec<Domain>,
    #[xcp(rename = "nameserver_list", default, skip_if = Vec::is_empty)]
    nameservers: Vec<String>,
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(reply)]
struct JobReply {
    simple_transfer_job_id: u64,
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../ops-actions/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn request_round_trips() {
    let req = CheckTransfer {
        domain: "example.com".into(),
        check_status: true,
        get_request_address: Some(true),
        cookie: None,
    };
    let xml = req.encode().unwrap();
    assert!(xml.contains(r#"<item key="attributes"><dt_assoc><item key="domain">example.com</item><item key="check_status">1</item><item key="get_request_address">1</item></dt_assoc></item>"#), "{xml}");
    let doc = parse_str(&xml).unwrap();
    assert!(CheckTransfer::decode_request(&doc).unwrap() == req);
}

#[test]
fn spec_request_decodes() {
    let bytes = fixture("domain/check_transfer/request.xml");
    let doc = parse(&bytes).unwrap();
    let req = CheckTransfer::decode_request(&doc).unwrap();
    assert_eq!(req.domain, "example.com");
    assert!(req.check_status);
    assert_eq!(
        format!("{req:?}"),
        r#"CheckTransfer { domain: "example.com", check_status: true, get_request_address: Some(true), cookie: None }"#
    );
}

#[test]
fn spec_reply_decodes_borrowing_and_keeps_unknown_keys() {
    let bytes = fixture("domain/check_transfer/reply_completed.xml");
    let doc = parse(&bytes).unwrap();
    let reply = CheckTransfer::decode_reply(&doc).unwrap();
    assert_eq!(reply.status, Some(Status::Completed));
    assert_eq!(reply.response_code, ResponseCode::Success);
    assert!(matches!(reply.reason, Some(Cow::Borrowed(_))));
    assert_eq!(reply.unixtime, Some(1340046925));
    assert_eq!(
        reply.other.get("reason_code").and_then(|v| v.as_str()),
        Some("domain_already_belongs_to_current_reseller")
    );
    let again = CheckTransfer::encode_reply(&reply).unwrap();
    let doc2 = parse_str(&again).unwrap();
    assert!(CheckTransfer::decode_reply(&doc2).unwrap() == reply);
}

#[test]
fn secrets_are_redacted_and_written_exactly() {
    let bytes = fixture("domain/simple_transfer/request_with_nameservers.xml");
    let doc = parse(&bytes).unwrap();
    let req = SimpleTransfer::decode_request(&doc).unwrap();
    assert_eq!(req.domain_list[1].auth_info, "Mj%zA>1r");
    let dbg = format!("{req:?}");
    assert!(!dbg.contains("Mj%zA"), "{dbg}");
    assert!(dbg.contains("[redacted]"), "{dbg}");
    let xml = req.encode().unwrap();
    assert!(xml.contains("Mj%zA&gt;1r"));
    assert!(SimpleTransfer::decode_request(&parse_str(&xml).unwrap()).unwrap() == req);
}

#[test]
fn decode_errors_name_the_key_path() {
    let xml = fixture("domain/simple_transfer/reply.xml");
    let s = String::from_utf8(xml).unwrap().replace(">134<", ">13x<");
    let doc = parse_str(&s).unwrap();
    let err = SimpleTransfer::decode_reply(&doc).unwrap_err();
    let ReplyError::Decode(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.path(), "attributes.simple_transfer_job_id");
    assert!(
        e.to_string()
            .contains("expected an integer (u64), found `13x`"),
        "{e}"
    );
}

#[test]
fn a_rest_item_that_shadows_a_field_is_refused_not_written_twice() {
    let bytes = fixture("domain/check_transfer/reply_completed.xml");
    let doc = parse(&bytes).unwrap();
    let mut reply = CheckTransfer::decode_reply(&doc).unwrap();
    reply.other.insert("status", "cancelled");
    let err = CheckTransfer::encode_reply(&reply).unwrap_err();
    assert_eq!(err.path(), "attributes.status");
    assert!(
        err.to_string()
            .contains("a `rest` field holds a key that a named field"),
        "{err}"
    );
}

#[test]
fn write_errors_inside_attributes_name_the_full_path() {
    let req = SimpleTransfer {
        domain_list: vec![Domain {
            domain_name: "example.com".into(),
            auth_info: "bad\u{1}code".into(),
        }],
        nameservers: vec![],
    };
    let err = req.encode().unwrap_err();
    assert_eq!(err.path(), "attributes.domain_list[0].auth_info");
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(action = "GET_BALANCE", object = "Balance", response = JobReply)]
struct UpperCase;

#[test]
fn action_and_object_are_sent_lower_case() {
    assert_eq!(<UpperCase as Command>::ACTION, "get_balance");
    assert_eq!(<UpperCase as Command>::OBJECT, "balance");
    let xml = UpperCase.encode().unwrap();
    assert!(
        xml.contains(r#"<item key="action">get_balance</item><item key="object">balance</item>"#),
        "{xml}"
    );
}

#[test]
fn write_request_refuses_an_other_item_that_would_repeat_a_key() {
    use opensrs_core::{Value, write_request};
    let err = write_request(
        "lookup",
        "domain",
        None,
        &[("action", &Value::from("DELETE"))],
    )
    .unwrap_err();
    assert_eq!(err.path(), "action");
}

#[test]
fn parse_errors_never_quote_unbounded_input() {
    let big = "a".repeat(100_000);
    for xml in [
        format!(
            "<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key=\"k\">v</{big}></dt_assoc></data_block></body></OPS_envelope>"
        ),
        format!("</{big}>"),
        format!("<?xml version='1.0' encoding='{big}'?><OPS_envelope/>"),
        format!("<?xml version='1.0' {big}='x'?><OPS_envelope/>"),
    ] {
        let err = parse(xml.as_bytes()).unwrap_err();
        assert!(
            err.to_string().len() < 400,
            "{} bytes",
            err.to_string().len()
        );
    }
}

// ---- issue 15: strict requests, loose replies --------------------------------

/// The simple_transfer fixture with `edit` applied to its XML.
fn simple_transfer_with(edit: impl Fn(&str) -> String) -> String {
    let xml = String::from_utf8(fixture(
        "domain/simple_transfer/request_with_nameservers.xml",
    ))
    .unwrap();
    let edited = edit(&xml);
    assert_ne!(edited, xml, "the edit changed nothing");
    edited
}

#[test]
fn unknown_key_in_a_nested_request_struct_is_refused_with_its_path() {
    let xml = simple_transfer_with(|x| {
        x.replacen(
            r#"<item key="domain_name">"#,
            r#"<item key="auth_inf">x</item><item key="domain_name">"#,
            1,
        )
    });
    let e = SimpleTransfer::decode_request(&parse_str(&xml).unwrap()).unwrap_err();
    assert_eq!(
        e.kind(),
        &opensrs_core::DecodeErrorKind::Unknown("auth_inf".into())
    );
    assert_eq!(e.path(), "attributes.domain_list[0].auth_inf");
    assert!(e.position().is_some());
}

#[test]
fn request_typo_and_top_level_items() {
    let base = String::from_utf8(fixture("domain/check_transfer/request.xml")).unwrap();
    let typo = base.replacen(
        r#"<item key="check_status">"#,
        r#"<item key="check_staus">"#,
        1,
    );
    assert_ne!(typo, base);
    let e = CheckTransfer::decode_request(&parse_str(&typo).unwrap()).unwrap_err();
    assert_eq!(e.path(), "attributes.check_staus");
    // The command's own `cookie` field and the extra `registrant_ip`.
    let extras = base.replacen(
        r#"<item key="protocol">XCP</item>"#,
        r#"<item key="protocol">XCP</item><item key="registrant_ip">192.0.2.9</item><item key="cookie">c</item>"#,
        1,
    );
    let doc = parse_str(&extras).unwrap();
    let full = opensrs_core::RequestEnvelope::<CheckTransfer>::decode(&doc).unwrap();
    assert_eq!(full.command.cookie.as_deref(), Some("c"));
    assert_eq!(full.extras.cookie, None);
    assert_eq!(full.extras.registrant_ip.as_deref(), Some("192.0.2.9"));
    let again = full.encode().unwrap();
    assert!(again.contains(r#"<item key="registrant_ip">192.0.2.9</item>"#));
    assert_eq!(again.matches(r#"key="cookie""#).count(), 1);
    let stray = base.replacen(
        r#"<item key="protocol">XCP</item>"#,
        r#"<item key="protocol">XCP</item><item key="session">c</item>"#,
        1,
    );
    let e = CheckTransfer::decode_request(&parse_str(&stray).unwrap()).unwrap_err();
    assert_eq!(e.path(), "session");
}

#[test]
fn reply_without_object_or_response_text_decodes() {
    let xml = r#"<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>
<item key="protocol">XCP</item><item key="action">REPLY</item><item key="is_success">1</item>
<item key="response_code">200</item>
<item key="attributes"><dt_assoc><item key="transferrable">1</item><item key="later_key">x</item></dt_assoc></item>
</dt_assoc></data_block></body></OPS_envelope>"#;
    let doc = parse_str(xml).unwrap();
    let r = CheckTransfer::decode_reply(&doc).unwrap();
    assert_eq!(r.response_text, "");
    assert!(r.transferrable);
    assert!(r.other.get("later_key").is_some());
    let server = xml
        .replace(r#"<item key="action">REPLY</item>"#, "")
        .replace(">200<", ">404<")
        .replace(
            r#"<item key="response_code">"#,
            r#"<item key="response_text">Missing X-Username: header</item><item key="response_code">"#,
        );
    let doc = parse_str(&server).unwrap();
    let Err(ReplyError::Api(a)) = CheckTransfer::decode_reply(&doc) else {
        panic!("expected the API error")
    };
    assert_eq!(
        (a.code.as_u16(), a.text.as_str(), a.class()),
        (
            404,
            "Missing X-Username: header",
            opensrs_core::code::ResponseClass::Server
        )
    );
}

// ---- the gaps closed in issue 16 -------------------------------------------

/// A reply wrapped in a minimal success envelope.
fn reply_xml(object: &str, attributes: &str) -> String {
    format!(
        r#"<?xml version='1.0' encoding='UTF-8' standalone='no' ?><OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key="protocol">XCP</item><item key="action">REPLY</item><item key="object">{object}</item><item key="is_success">1</item><item key="response_code">200</item><item key="response_text">Query successful</item><item key="attributes"><dt_assoc>{attributes}</dt_assoc></item></dt_assoc></data_block></body></OPS_envelope>"#
    )
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(action = "lookup", object = "domain", response = OwnedReply<'_>)]
struct Lookup {
    domain: String,
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(reply)]
struct OwnedReply<'a> {
    #[xcp(top)]
    response_text: Cow<'a, str>,
    status: Option<Status>,
    nameservers: Vec<Nameserver<'a>>,
    count: u32,
}

#[derive(Xcp, Clone, PartialEq)]
struct Nameserver<'a> {
    name: Cow<'a, str>,
}

/// A client can decode and hand back a reply that outlives the buffer.
fn lookup_owned(xml: String) -> OwnedReply<'static> {
    use opensrs_core::IntoOwned;
    let doc = parse_str(&xml).unwrap();
    Lookup::decode_reply(&doc).unwrap().into_owned()
}

#[test]
fn a_borrowing_reply_becomes_owned() {
    let xml = reply_xml(
        "domain",
        r#"<item key="status">completed</item><item key="count">2</item><item key="nameservers"><dt_array><item key="0"><dt_assoc><item key="name">ns1.example.com</item></dt_assoc></item></dt_array></item>"#,
    );
    let r = lookup_owned(xml);
    assert_eq!(r.response_text, "Query successful");
    assert!(matches!(r.response_text, Cow::Owned(_)));
    assert_eq!(r.nameservers[0].name, "ns1.example.com");
    assert!(matches!(r.nameservers[0].name, Cow::Owned(_)));
    assert_eq!(r.status, Some(Status::Completed));
    assert_eq!(r.count, 2);
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(
    action = "get",
    object = "domain",
    response = AllInfo,
    attr(type = "all_info")
)]
struct GetDomainAllInfo {
    #[xcp(top)]
    cookie: String,
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(reply)]
struct AllInfo {
    #[xcp(default)]
    auto_renew: bool,
}

#[test]
fn a_constant_attribute_is_written_required_and_checked() {
    let req = GetDomainAllInfo {
        cookie: "c00k1e".into(),
    };
    let xml = req.encode().unwrap();
    assert!(
        xml.contains(
            r#"<item key="attributes"><dt_assoc><item key="type">all_info</item></dt_assoc></item>"#
        ),
        "{xml}"
    );
    let doc = parse_str(&xml).unwrap();
    assert!(GetDomainAllInfo::decode_request(&doc).unwrap() == req);

    let upper = xml.replace(">all_info<", ">ALL_INFO<");
    assert!(GetDomainAllInfo::decode_request(&parse_str(&upper).unwrap()).unwrap() == req);

    let other = xml.replace(">all_info<", ">owner<");
    let err = GetDomainAllInfo::decode_request(&parse_str(&other).unwrap()).unwrap_err();
    assert_eq!(err.path(), "attributes.type");
    assert!(err.to_string().contains("all_info"), "{err}");

    let absent = xml.replace(r#"<item key="type">all_info</item>"#, "");
    let err = GetDomainAllInfo::decode_request(&parse_str(&absent).unwrap()).unwrap_err();
    assert!(
        matches!(err.kind(), opensrs_core::DecodeErrorKind::Missing(_)),
        "{err}"
    );
    assert!(err.to_string().contains("type"), "{err}");
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(reply)]
struct Prices {
    currency: String,
    #[xcp(rest)]
    prices: std::collections::BTreeMap<String, u32>,
}

#[test]
fn a_typed_rest_reads_and_writes_its_items() {
    #[derive(Xcp, Clone, PartialEq)]
    #[xcp(action = "get_prices", object = "domain", response = Prices)]
    struct GetPrices {}

    let xml = reply_xml(
        "domain",
        r#"<item key="currency">CAD</item><item key="com">12</item><item key="net">15</item>"#,
    );
    let doc = parse_str(&xml).unwrap();
    let r = GetPrices::decode_reply(&doc).unwrap();
    assert_eq!(r.currency, "CAD");
    assert_eq!(r.prices.get("com"), Some(&12));
    assert_eq!(r.prices.get("net"), Some(&15));
    let back = GetPrices::encode_reply(&r).unwrap();
    assert!(back.contains(r#"<item key="net">15</item>"#), "{back}");

    let bad = reply_xml(
        "domain",
        r#"<item key="currency">CAD</item><item key="org">cheap</item>"#,
    );
    let doc = parse_str(&bad).unwrap();
    let err = GetPrices::decode_reply(&doc).map(|_| ()).unwrap_err();
    assert!(err.to_string().contains("attributes.org"), "{err}");
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(action = "notify", object = "domain", response = JobReply, validate = Self::check)]
struct Notify {
    send_type: String,
    phone: Option<String>,
}

impl Notify {
    fn check(&self) -> Result<(), opensrs_core::convert::RuleError> {
        if self.phone.is_some() && self.send_type != "sms" {
            return Err(opensrs_core::convert::RuleError::new(
                "phone_requires_sms",
                "attributes.phone",
                "phone is only allowed when send_type is sms",
            ));
        }
        Ok(())
    }
}

#[test]
fn validate_runs_on_encode_too() {
    let ok = Notify {
        send_type: "sms".into(),
        phone: Some("+1.5555551234".into()),
    };
    assert!(ok.encode().is_ok());
    let bad = Notify {
        send_type: "email".into(),
        phone: Some("+1.5555551234".into()),
    };
    let err = bad.encode().unwrap_err();
    assert!(
        matches!(err.kind(), opensrs_core::WriteErrorKind::Rule(r) if r.rule() == "phone_requires_sms")
    );
    assert_eq!(err.path(), "attributes.phone");
    assert_eq!(
        err.to_string(),
        "phone is only allowed when send_type is sms (rule `phone_requires_sms`) (at attributes.phone)"
    );
}

#[test]
fn validate_on_a_nested_struct_names_the_full_path_on_encode() {
    #[derive(Xcp, Clone, PartialEq)]
    #[xcp(validate = Self::check)]
    struct Contact {
        fax: String,
    }
    impl Contact {
        fn check(&self) -> Result<(), opensrs_core::convert::RuleError> {
            if self.fax.is_empty() {
                return Err(opensrs_core::convert::RuleError::new(
                    "fax",
                    "fax",
                    "fax is empty",
                ));
            }
            Ok(())
        }
    }
    #[derive(Xcp, Clone, PartialEq)]
    #[xcp(action = "modify", object = "domain", response = JobReply)]
    struct Modify {
        contacts: Vec<Contact>,
    }
    let m = Modify {
        contacts: vec![Contact { fax: "1".into() }, Contact { fax: String::new() }],
    };
    let err = m.encode().unwrap_err();
    assert_eq!(err.path(), "attributes.contacts[1].fax");
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(reply)]
struct Flags {
    #[xcp(yes_no)]
    lock_state: bool,
    #[xcp(yes_no)]
    whois_privacy: Option<bool>,
    auto_renew: bool,
}

#[test]
fn yes_no_booleans_re_encode_as_y_and_n() {
    #[derive(Xcp, Clone, PartialEq)]
    #[xcp(action = "get_flags", object = "domain", response = Flags)]
    struct GetFlags {}

    let xml = reply_xml(
        "domain",
        r#"<item key="lock_state">Y</item><item key="whois_privacy">n</item><item key="auto_renew">1</item>"#,
    );
    let doc = parse_str(&xml).unwrap();
    let r = GetFlags::decode_reply(&doc).unwrap();
    assert!(r.lock_state && r.auto_renew);
    assert_eq!(r.whois_privacy, Some(false));
    let back = GetFlags::encode_reply(&r).unwrap();
    assert!(
        back.contains(r#"<item key="lock_state">Y</item>"#),
        "{back}"
    );
    assert!(
        back.contains(r#"<item key="whois_privacy">N</item>"#),
        "{back}"
    );
    assert!(
        back.contains(r#"<item key="auto_renew">1</item>"#),
        "{back}"
    );
    let none = Flags {
        lock_state: false,
        whois_privacy: None,
        auto_renew: false,
    };
    let back = GetFlags::encode_reply(&none).unwrap();
    assert!(!back.contains("whois_privacy"), "{back}");
}

#[derive(Xcp, Clone, Copy, Debug, PartialEq)]
enum Period {
    OneYear,
    #[xcp(rename = "2Y")]
    TwoYears,
}

#[test]
fn string_enums_have_from_str_and_display() {
    assert_eq!("one_year".parse::<Period>(), Ok(Period::OneYear));
    assert_eq!("2y".parse::<Period>(), Ok(Period::TwoYears));
    assert_eq!(Period::TwoYears.to_string(), "2Y");
    let err = "ten".parse::<Period>().unwrap_err();
    assert_eq!(err.to_string(), "`ten` is not one of `one_year`, `2Y`");
    assert_eq!(err.expected(), &["one_year", "2Y"]);

    assert_eq!("PENDING_OWNER".parse::<Status>(), Ok(Status::PendingOwner));
    let s: Status = "on_hold".parse().unwrap();
    assert_eq!(s, Status::Unknown("on_hold".into()));
    assert_eq!(s.to_string(), "on_hold");
}

#[derive(Xcp, Clone, Debug, PartialEq)]
#[xcp(no_debug)]
struct PlainDebug {
    name: String,
}

#[test]
fn no_debug_lets_the_user_derive_debug() {
    let p = PlainDebug { name: "x".into() };
    assert_eq!(format!("{p:?}"), r#"PlainDebug { name: "x" }"#);
}

#[test]
fn encode_signed_gives_the_body_and_its_headers() {
    let key = opensrs_core::secret::Secret::new("0123456789abcdef0123456789abcdef");
    let req = Lookup {
        domain: "example.com".into(),
    };
    let signed = req.encode_signed("reseller", &key).unwrap();
    assert_eq!(signed.body(), req.encode().unwrap());
    let expected = opensrs_core::sign::request_headers("reseller", signed.body().as_bytes(), &key);
    assert!(signed.headers() == &expected);
    assert!(!format!("{signed:?}").contains("0123456789abcdef"));
}

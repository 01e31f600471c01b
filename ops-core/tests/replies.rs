//! Replies as OpenSRS sends them, and strict typed decoding (issue 15,
//! items 1 and 4): the regression cases, as literal XML.

use std::borrow::Cow;

use opensrs_core::code::{ResponseClass, ResponseCode};
use opensrs_core::{
    Assoc, Command, DecodeErrorKind, Reply, ReplyError, Request, RequestEnvelope, RequestExtras,
    Xcp, parse_str,
};

/// A whole envelope, as OpenSRS writes it (prolog, DOCTYPE, indentation),
/// around the items of the top-level dt_assoc.
fn envelope(items: &str) -> String {
    format!(
        "<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\n\
         <!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>\n\
         <OPS_envelope>\n <header>\n  <version>0.9</version>\n </header>\n <body>\n  <data_block>\n   \
         <dt_assoc>\n{items}\n   </dt_assoc>\n  </data_block>\n </body>\n</OPS_envelope>\n"
    )
}

// ---- commands used below ---------------------------------------------------

#[derive(Xcp, Clone, PartialEq)]
#[xcp(action = "name_suggest", object = "domain", response = SuggestReply<'_>)]
struct NameSuggest {
    searchstring: String,
    #[xcp(default)]
    services: Vec<String>,
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(reply)]
struct SuggestReply<'a> {
    #[xcp(top)]
    response_code: ResponseCode,
    #[xcp(top)]
    response_text: Cow<'a, str>,
    #[xcp(rest)]
    other: Assoc,
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(action = "check_transfer", object = "domain", response = CheckReply<'_>)]
struct CheckTransfer {
    domain: String,
    #[xcp(default)]
    check_status: bool,
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(reply)]
struct CheckReply<'a> {
    #[xcp(top)]
    response_text: &'a str,
    transferrable: bool,
    contact: Option<Contact>,
}

/// Nested in both a request and a reply; no `rest`.
#[derive(Xcp, Clone, PartialEq)]
struct Contact {
    first_name: String,
    phone: Option<String>,
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(action = "update_contacts", object = "domain", response = CheckReply<'_>)]
struct UpdateContacts {
    domain: String,
    contact_set: Vec<Contact>,
    owner: Option<Contact>,
    #[xcp(default)]
    extra: Flexible,
}

/// Keeps what it does not name, so any key is welcome inside it.
#[derive(Xcp, Clone, PartialEq, Default)]
struct Flexible {
    #[xcp(rest)]
    items: Assoc,
}

#[derive(Xcp, Clone, PartialEq)]
#[xcp(action = "get", object = "domain", response = CheckReply<'_>)]
struct GetWithCookie {
    domain: String,
    #[xcp(top)]
    cookie: String,
}

fn reply_err<C: Command>(xml: &str) -> ReplyError
where
    for<'d> C::Response<'d>: std::fmt::Debug,
{
    let doc = parse_str(xml).unwrap();
    match C::decode_reply(&doc) {
        Ok(r) => panic!("decoded, but must not: {r:?}"),
        Err(e) => e,
    }
}

fn api(e: ReplyError) -> opensrs_core::ApiError {
    match e {
        ReplyError::Api(a) => a,
        e => panic!("expected the API error, got: {e}"),
    }
}

// ---- item 1: replies without object, server-level errors --------------------

/// A `name_suggest` reply as captured: no `object` at all.
const NAME_SUGGEST_REPLY: &str = r#"    <item key="protocol">XCP</item>
    <item key="action">REPLY</item>
    <item key="is_success">1</item>
    <item key="response_code">200</item>
    <item key="response_text">Command completed successfully</item>
    <item key="attributes">
     <dt_assoc>
      <item key="lookup"><dt_assoc><item key="count">1</item></dt_assoc></item>
     </dt_assoc>
    </item>"#;

#[test]
fn name_suggest_reply_without_object_decodes() {
    let xml = envelope(NAME_SUGGEST_REPLY);
    let doc = parse_str(&xml).unwrap();
    let view = Reply::from_document(&doc).unwrap();
    assert_eq!(view.object(), None);
    assert_eq!(view.protocol(), Some("XCP"));
    assert!(view.is_success());
    let r = NameSuggest::decode_reply(&doc).unwrap();
    assert_eq!(r.response_code, ResponseCode::Success);
    assert_eq!(r.response_text, "Command completed successfully");
    assert!(r.other.get("lookup").is_some());
}

#[test]
fn object_when_present_still_matches_case_insensitively() {
    let xml = envelope(&NAME_SUGGEST_REPLY.replace(
        r#"<item key="action">REPLY</item>"#,
        r#"<item key="action">REPLY</item><item key="object">Domain</item>"#,
    ));
    assert!(NameSuggest::decode_reply(&parse_str(&xml).unwrap()).is_ok());
    let xml = envelope(&NAME_SUGGEST_REPLY.replace(
        r#"<item key="action">REPLY</item>"#,
        r#"<item key="action">REPLY</item><item key="object">TRANSFER</item>"#,
    ));
    let ReplyError::Decode(e) = reply_err::<NameSuggest>(&xml) else {
        panic!("expected a decode error")
    };
    assert!(
        matches!(e.kind(), DecodeErrorKind::Mismatch { what: "object", found, .. } if found == "TRANSFER"),
        "{e}"
    );
    assert_eq!(e.path(), "object");
}

/// A 400 as OpenSRS sends it: `REPLY`, no `object`.
const SERVER_400: &str = r#"    <item key="protocol">XCP</item>
    <item key="action">REPLY</item>
    <item key="is_success">0</item>
    <item key="response_code">400</item>
    <item key="response_text">Internal server error</item>"#;

#[test]
fn internal_server_error_400_without_object_is_the_api_error() {
    let xml = envelope(SERVER_400);
    let doc = parse_str(&xml).unwrap();
    let view = Reply::from_document(&doc).unwrap();
    assert_eq!((view.object(), view.is_success()), (None, false));
    let a = api(reply_err::<CheckTransfer>(&xml));
    assert_eq!(a.code, ResponseCode::ServerError);
    assert_eq!(a.text, "Internal server error");
    assert_eq!(a.class(), ResponseClass::Server);
    assert_eq!(
        a.to_string(),
        format!(
            "OpenSRS error 400 ({}): Internal server error",
            ResponseCode::ServerError.description()
        )
    );
}

/// A 404 as OpenSRS sends it: neither `action` nor `object`, and
/// `is_success` 1.
const MISSING_USERNAME_404: &str = r#"    <item key="protocol">XCP</item>
    <item key="is_success">1</item>
    <item key="response_code">404</item>
    <item key="response_text">Missing X-Username: header</item>"#;

#[test]
fn missing_username_404_without_action_is_an_error_despite_is_success_1() {
    let xml = envelope(MISSING_USERNAME_404);
    let doc = parse_str(&xml).unwrap();
    let view = Reply::from_document(&doc).unwrap();
    assert_eq!(view.action(), None);
    assert!(!view.is_reply_action());
    assert_eq!(view.success_flag(), Some(true));
    assert!(!view.is_success());
    for e in [
        reply_err::<CheckTransfer>(&xml),
        reply_err::<NameSuggest>(&xml),
    ] {
        let a = api(e);
        assert_eq!(a.code, ResponseCode::InternalServerError);
        assert_eq!(a.code.as_u16(), 404);
        assert_eq!(a.text, "Missing X-Username: header");
        assert_eq!(a.class(), ResponseClass::Server);
    }
}

#[test]
fn a_server_error_may_lack_protocol_and_is_success() {
    let xml = envelope(
        r#"<item key="response_code">400</item><item key="response_text">Internal server error</item>"#,
    );
    let doc = parse_str(&xml).unwrap();
    let view = Reply::from_document(&doc).unwrap();
    assert_eq!((view.protocol(), view.success_flag()), (None, None));
    assert_eq!(api(reply_err::<CheckTransfer>(&xml)).code.as_u16(), 400);
}

#[test]
fn is_success_1_with_a_failure_code_is_a_failure() {
    let xml = envelope(
        r#"<item key="protocol">XCP</item><item key="action">REPLY</item><item key="object">DOMAIN</item>
        <item key="is_success">1</item><item key="response_code">465</item><item key="response_text">Invalid</item>"#,
    );
    let a = api(reply_err::<CheckTransfer>(&xml));
    assert_eq!(
        (a.code.as_u16(), a.class()),
        (465, ResponseClass::Validation)
    );
    // A deferral is no success either.
    let xml = xml.replace(">465<", ">350<");
    assert_eq!(
        api(reply_err::<CheckTransfer>(&xml)).class(),
        ResponseClass::Deferred
    );
}

#[test]
fn what_is_not_a_reply_is_still_refused() {
    // No action, and no response_text: not a server error either.
    let xml = envelope(r#"<item key="protocol">XCP</item><item key="response_code">400</item>"#);
    let e = Reply::from_document(&parse_str(&xml).unwrap()).unwrap_err();
    assert_eq!(e.kind(), &DecodeErrorKind::Missing("action".into()));
    // A request is not a reply.
    let xml = envelope(
        r#"<item key="protocol">XCP</item><item key="action">LOOKUP</item><item key="object">DOMAIN</item>"#,
    );
    let e = Reply::from_document(&parse_str(&xml).unwrap()).unwrap_err();
    assert!(
        matches!(e.kind(), DecodeErrorKind::Mismatch { what: "action", .. }),
        "{e}"
    );
    // A REPLY needs is_success, and every reply needs response_code.
    let xml = envelope(
        r#"<item key="protocol">XCP</item><item key="action">REPLY</item><item key="response_code">200</item>"#,
    );
    let e = Reply::from_document(&parse_str(&xml).unwrap()).unwrap_err();
    assert_eq!(e.kind(), &DecodeErrorKind::Missing("is_success".into()));
    let xml = envelope(
        r#"<item key="protocol">XCP</item><item key="action">REPLY</item><item key="is_success">1</item>"#,
    );
    let e = Reply::from_document(&parse_str(&xml).unwrap()).unwrap_err();
    assert_eq!(e.kind(), &DecodeErrorKind::Missing("response_code".into()));
}

#[test]
fn response_text_absent_reads_as_empty_in_the_typed_view() {
    let xml = envelope(
        r#"<item key="protocol">XCP</item><item key="action">REPLY</item><item key="object">DOMAIN</item>
        <item key="is_success">1</item><item key="response_code">200</item>"#,
    );
    let doc = parse_str(&xml).unwrap();
    assert_eq!(Reply::from_document(&doc).unwrap().response_text(), "");
    let r = NameSuggest::decode_reply(&doc).unwrap();
    assert_eq!(r.response_text, Cow::Borrowed(""));
    // `&str` too; and a missing required attribute is still an error.
    let e = CheckTransfer::decode_reply(&doc).unwrap_err();
    let ReplyError::Decode(e) = e else {
        panic!("{e}")
    };
    assert_eq!(e.path(), "attributes.transferrable");
    let xml = xml.replace(
        r#"<item key="response_code">200</item>"#,
        r#"<item key="response_code">200</item><item key="attributes"><dt_assoc><item key="transferrable">1</item></dt_assoc></item>"#,
    );
    let doc = parse_str(&xml).unwrap();
    let r = CheckTransfer::decode_reply(&doc).unwrap();
    assert_eq!((r.response_text, r.transferrable), ("", true));
}

#[test]
fn replies_keep_or_skip_unknown_items_at_any_depth() {
    let xml = envelope(
        r#"<item key="protocol">XCP</item><item key="action">REPLY</item><item key="object">DOMAIN</item>
        <item key="is_success">1</item><item key="response_code">200</item><item key="new_top">x</item>
        <item key="attributes"><dt_assoc><item key="transferrable">0</item><item key="new_key">1</item>
        <item key="contact"><dt_assoc><item key="first_name">Ada</item><item key="new_nested">2</item></dt_assoc></item>
        </dt_assoc></item>"#,
    );
    let doc = parse_str(&xml).unwrap();
    let r = CheckTransfer::decode_reply(&doc).unwrap();
    assert_eq!(r.contact.unwrap().first_name, "Ada");
    let r = NameSuggest::decode_reply(&doc).unwrap();
    assert!(r.other.get("new_key").is_some());
}

// ---- item 4: typed decoding is strict ---------------------------------------

const CHECK_TRANSFER: &str = r#"    <item key="protocol">XCP</item>
    <item key="action">CHECK_TRANSFER</item>
    <item key="object">DOMAIN</item>
    <item key="attributes">
     <dt_assoc>
      <item key="domain">example.com</item>
      <item key="check_status">1</item>
     </dt_assoc>
    </item>"#;

#[test]
fn protocol_must_be_xcp_in_any_case() {
    let ok = envelope(&CHECK_TRANSFER.replace(">XCP<", ">xcp<"));
    assert!(CheckTransfer::decode_request(&parse_str(&ok).unwrap()).is_ok());
    let xml = envelope(&CHECK_TRANSFER.replace(">XCP<", ">FOO<"));
    let e = CheckTransfer::decode_request(&parse_str(&xml).unwrap()).unwrap_err();
    assert_eq!(
        e.kind(),
        &DecodeErrorKind::Mismatch {
            what: "protocol",
            expected: "XCP".into(),
            found: "FOO".into()
        }
    );
    assert_eq!(e.path(), "protocol");
    let pos = e.position().expect("a position");
    assert_eq!((pos.line, pos.column), (10, 5), "{e}");
    // In a reply, when present.
    let xml = envelope(&NAME_SUGGEST_REPLY.replace(">XCP<", ">FOO<"));
    let ReplyError::Decode(e) = reply_err::<NameSuggest>(&xml) else {
        panic!("expected a decode error")
    };
    assert!(
        matches!(
            e.kind(),
            DecodeErrorKind::Mismatch {
                what: "protocol",
                ..
            }
        ),
        "{e}"
    );
    // The untyped view reads it as sent.
    let doc = parse_str(&xml).unwrap();
    assert_eq!(Reply::from_document(&doc).unwrap().protocol(), Some("FOO"));
}

#[test]
fn a_typo_in_attributes_is_refused_with_its_key_path() {
    let xml = envelope(&CHECK_TRANSFER.replace("check_status", "check_staus"));
    let e = CheckTransfer::decode_request(&parse_str(&xml).unwrap()).unwrap_err();
    assert_eq!(e.kind(), &DecodeErrorKind::Unknown("check_staus".into()));
    assert_eq!(e.path(), "attributes.check_staus");
    assert_eq!(e.position().map(|p| p.line), Some(16));
    assert!(e.to_string().contains("check_staus"), "{e}");
}

#[test]
fn an_unknown_key_in_a_nested_dt_assoc_is_refused() {
    let request = |contact: &str, owner: &str| {
        envelope(&format!(
            r#"<item key="protocol">XCP</item><item key="action">update_contacts</item><item key="object">domain</item>
            <item key="attributes"><dt_assoc><item key="domain">example.com</item>
            <item key="contact_set"><dt_array><item key="0"><dt_assoc><item key="first_name">Ada</item></dt_assoc></item>
            <item key="1"><dt_assoc>{contact}</dt_assoc></item></dt_array></item>
            <item key="owner"><dt_assoc>{owner}</dt_assoc></item>
            <item key="extra"><dt_assoc><item key="anything"><dt_assoc><item key="goes">1</item></dt_assoc></item></dt_assoc></item>
            </dt_assoc></item>"#
        ))
    };
    let good = request(
        r#"<item key="first_name">Bob</item><item key="phone">+1.5</item>"#,
        r#"<item key="first_name">Cy</item>"#,
    );
    let c = UpdateContacts::decode_request(&parse_str(&good).unwrap()).unwrap();
    assert_eq!(c.contact_set.len(), 2);
    assert!(c.extra.items.get("anything").is_some());
    let in_array = request(
        r#"<item key="first_name">Bob</item><item key="fax_nmber">1</item>"#,
        r#"<item key="first_name">Cy</item>"#,
    );
    let e = UpdateContacts::decode_request(&parse_str(&in_array).unwrap()).unwrap_err();
    assert_eq!(e.kind(), &DecodeErrorKind::Unknown("fax_nmber".into()));
    assert_eq!(e.path(), "attributes.contact_set[1].fax_nmber");
    let in_option = request(
        r#"<item key="first_name">Bob</item>"#,
        r#"<item key="first_name">Cy</item><item key="nick">c</item>"#,
    );
    let e = UpdateContacts::decode_request(&parse_str(&in_option).unwrap()).unwrap_err();
    assert_eq!(e.path(), "attributes.owner.nick");
    // The same struct read on its own, or in a reply, skips unknown keys.
    let doc = parse_str(&in_array).unwrap();
    let node = doc
        .root()
        .get("attributes")
        .unwrap()
        .get("contact_set")
        .unwrap();
    let contacts: Vec<Contact> = opensrs_core::FromXcp::from_xcp(node).unwrap();
    assert_eq!(contacts[1].first_name, "Bob");
}

#[test]
fn an_unknown_top_level_item_is_refused_the_request_extras_are_kept() {
    let with = |extra: &str| envelope(&format!("{CHECK_TRANSFER}\n    {extra}"));
    let xml = with(r#"<item key="registrant_ip">192.0.2.7</item><item key="cookie">c00k1e</item>"#);
    let doc = parse_str(&xml).unwrap();
    let plain = CheckTransfer::decode_request(&doc).unwrap();
    assert!(plain.check_status);
    let full = RequestEnvelope::<CheckTransfer>::decode(&doc).unwrap();
    assert_eq!(full.extras.registrant_ip.as_deref(), Some("192.0.2.7"));
    assert_eq!(
        full.extras.cookie.as_ref().map(|c| c.expose()),
        Some("c00k1e")
    );
    assert!(!format!("{full:?}").contains("c00k1e"));
    // Re-encoded, and read back the same.
    let again = full.encode().unwrap();
    assert!(
        again.contains(r#"<item key="registrant_ip">192.0.2.7</item>"#),
        "{again}"
    );
    assert!(
        again.contains(r#"<item key="cookie">c00k1e</item>"#),
        "{again}"
    );
    let back = RequestEnvelope::<CheckTransfer>::decode(&parse_str(&again).unwrap()).unwrap();
    assert!(back == full);
    let req = Request::from_document(&doc).unwrap();
    assert_eq!(
        req.get("registrant_ip").and_then(|n| n.as_str()),
        Some("192.0.2.7")
    );
    // Set by a library author.
    let built = RequestEnvelope::new(plain)
        .with_extras(RequestExtras::new().with_registrant_ip("2001:db8::1"));
    assert!(built.encode_pretty().unwrap().contains("2001:db8::1"));

    let xml = with(r#"<item key="registrant_iq">192.0.2.7</item>"#);
    let e = CheckTransfer::decode_request(&parse_str(&xml).unwrap()).unwrap_err();
    assert_eq!(e.kind(), &DecodeErrorKind::Unknown("registrant_iq".into()));
    assert_eq!(e.path(), "registrant_iq");
}

#[test]
fn a_command_own_top_item_is_not_an_extra() {
    let xml = envelope(
        r#"<item key="protocol">XCP</item><item key="action">get</item><item key="object">domain</item>
        <item key="cookie">mine</item><item key="registrant_ip">192.0.2.1</item>
        <item key="attributes"><dt_assoc><item key="domain">example.com</item></dt_assoc></item>"#,
    );
    let full = RequestEnvelope::<GetWithCookie>::decode(&parse_str(&xml).unwrap()).unwrap();
    assert_eq!(full.command.cookie, "mine");
    assert_eq!(full.extras.cookie, None);
    assert_eq!(GetWithCookie::TOP_ITEMS, ["cookie"]);
    let again = full.encode().unwrap();
    assert_eq!(again.matches(r#"key="cookie""#).count(), 1, "{again}");
    let back = RequestEnvelope::<GetWithCookie>::decode(&parse_str(&again).unwrap()).unwrap();
    assert!(back == full);
}

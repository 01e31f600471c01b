//! The code `#[derive(Xcp)]` generates is hygienic and warning-free.
//!
//! The derives in `shadowed` sit in a module that redefines every name the
//! generated code could pick up by accident: the prelude's `Result`,
//! `Option`, `Some`, `None`, `Ok`, `Err`, `String`, `Default`; modules
//! named `core`, `std` and `opensrs_core`; and the runtime's own trait and type
//! names. The file compiles under `deny(warnings)` and a few allow-by-default
//! lints that crates commonly turn on, so the generated code adds no warning
//! to a user's crate. The tests at the bottom use the types, so the impls
//! are not only well-formed but the ones expected.
#![deny(
    warnings,
    rust_2018_idioms,
    unused_qualifications,
    unused_lifetimes,
    trivial_casts,
    trivial_numeric_casts,
    unused_import_braces,
    missing_debug_implementations,
    single_use_lifetimes,
    unused_results,
    redundant_lifetimes
)]

mod shadowed {
    // Only the shadowing items themselves are allowed to be unused.
    #[allow(unused_imports)]
    use self::Prelude::{Err, None, Ok, Some};

    #[allow(dead_code)]
    enum Prelude {
        Some,
        None,
        Ok,
        Err,
    }
    #[allow(dead_code)]
    struct Result;
    #[allow(dead_code)]
    struct Option;
    #[allow(dead_code)]
    struct String;
    #[allow(dead_code)]
    trait Default {}
    #[allow(dead_code)]
    trait AsRef {}
    #[allow(dead_code)]
    trait FromXcp {}
    #[allow(dead_code)]
    trait ToXcp {}
    #[allow(dead_code)]
    trait Command {}
    #[allow(dead_code)]
    trait ReplyBody {}
    #[allow(dead_code)]
    trait Rest {}
    #[allow(dead_code)]
    trait Sink {}
    #[allow(dead_code)]
    struct Writer;
    #[allow(dead_code)]
    struct Node;
    #[allow(dead_code)]
    struct Redacted;
    #[allow(dead_code)]
    mod core {}
    #[allow(dead_code)]
    mod std {}
    #[allow(dead_code)]
    mod opensrs_core {}
    #[allow(dead_code)]
    mod fmt {}
    #[allow(dead_code)]
    mod __private {}

    use ::opensrs_core::Xcp;

    /// A command: `attributes` and top-level fields, `default`, `Option`,
    /// `skip_if`, `rename`.
    #[derive(Xcp, Clone, PartialEq)]
    #[xcp(action = "update_all", object = "domain", response = UpdateReply<'_>)]
    pub(crate) struct Update {
        pub(crate) domain: ::std::string::String,
        #[xcp(default)]
        pub(crate) notify: bool,
        pub(crate) period: ::std::option::Option<u32>,
        #[xcp(rename = "contact_set", default, skip_if = ::std::vec::Vec::is_empty)]
        pub(crate) contacts: ::std::vec::Vec<Contact>,
        pub(crate) channel: ::std::option::Option<Channel>,
        #[xcp(top)]
        pub(crate) cookie: ::std::option::Option<::std::string::String>,
    }

    /// A nested struct with a secret.
    #[derive(Xcp, Clone, PartialEq)]
    pub(crate) struct Contact {
        pub(crate) email: ::std::string::String,
        #[xcp(secret)]
        pub(crate) password: ::std::option::Option<::std::string::String>,
    }

    /// A borrowing reply with a catch-all.
    #[derive(Xcp, Clone, PartialEq)]
    #[xcp(reply)]
    pub(crate) struct UpdateReply<'a> {
        #[xcp(top)]
        pub(crate) response_code: ::opensrs_core::code::ResponseCode,
        #[xcp(top)]
        pub(crate) response_text: &'a str,
        pub(crate) status: ::std::borrow::Cow<'a, str>,
        pub(crate) channel: ::std::option::Option<Channel>,
        #[xcp(rest)]
        pub(crate) other: ::opensrs_core::Assoc,
    }

    /// A string enum with a fallback.
    #[derive(Xcp, Clone, PartialEq, Debug)]
    pub(crate) enum Channel {
        Email,
        #[xcp(rename = "SMS")]
        Sms,
        #[xcp(other)]
        Unknown(::std::string::String),
    }

    /// A string enum without one.
    #[derive(Xcp, Clone, Copy, PartialEq, Debug)]
    pub(crate) enum Period {
        OneYear,
        TwoYears,
    }
}

use opensrs_core::code::ResponseCode;
use opensrs_core::{Command, FromXcp, Node, parse_str};
use shadowed::{Channel, Contact, Period, Update, UpdateReply};

#[test]
fn command_encodes_and_decodes() {
    let update = Update {
        domain: "example.com".into(),
        notify: true,
        period: Some(2),
        contacts: vec![Contact {
            email: "ada@example.com".into(),
            password: Some("hunter2".into()),
        }],
        channel: Some(Channel::Sms),
        cookie: Some("c00k1e".into()),
    };
    let xml = update.encode().unwrap();
    assert!(xml.contains(r#"<item key="cookie">c00k1e</item>"#), "{xml}");
    assert!(xml.contains(r#"<item key="channel">SMS</item>"#), "{xml}");
    assert!(xml.contains(r#"<item key="contact_set">"#), "{xml}");
    let doc = parse_str(&xml).unwrap();
    let back = Update::decode_request(&doc).unwrap();
    assert!(back == update);
    let dbg = format!("{back:?}");
    assert!(!dbg.contains("hunter2"), "{dbg}");
}

#[test]
fn skipped_and_absent_fields_read_back() {
    let update = Update {
        domain: "example.com".into(),
        notify: false,
        period: None,
        contacts: Vec::new(),
        channel: None,
        cookie: None,
    };
    let xml = update.encode().unwrap();
    assert!(!xml.contains("contact_set"), "{xml}");
    assert!(!xml.contains("period"), "{xml}");
    let doc = parse_str(&xml).unwrap();
    assert!(Update::decode_request(&doc).unwrap() == update);
}

#[test]
fn reply_decodes_borrowing_and_keeps_unknown_keys() {
    let xml = r#"<?xml version='1.0' encoding='UTF-8' standalone='no' ?>
<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>
<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>
<item key="protocol">XCP</item><item key="action">REPLY</item><item key="object">DOMAIN</item>
<item key="is_success">1</item><item key="response_code">200</item>
<item key="response_text">Command successful</item>
<item key="attributes"><dt_assoc>
<item key="status">updated</item><item key="channel">fax</item><item key="new_key">1</item>
</dt_assoc></item>
</dt_assoc></data_block></body></OPS_envelope>"#;
    let doc = parse_str(xml).unwrap();
    let reply: UpdateReply<'_> = Update::decode_reply(&doc).unwrap();
    assert_eq!(reply.response_code, ResponseCode::Success);
    assert_eq!(reply.response_text, "Command successful");
    assert!(matches!(
        reply.status,
        std::borrow::Cow::Borrowed("updated")
    ));
    assert_eq!(reply.channel, Some(Channel::Unknown("fax".into())));
    assert_eq!(
        reply.other.get("new_key").and_then(|v| v.as_str()),
        Some("1")
    );
    let again = Update::encode_reply(&reply).unwrap();
    let doc2 = parse_str(&again).unwrap();
    assert!(Update::decode_reply(&doc2).unwrap() == reply);
}

#[test]
fn string_enums_compare_case_insensitively() {
    let doc = parse_str(
        "<OPS_envelope><header><version>0.9</version></header><body><data_block>\
         <dt_array><item key=\"0\">TWO_YEARS</item><item key=\"1\">sms</item></dt_array>\
         </data_block></body></OPS_envelope>",
    )
    .unwrap();
    let items: Vec<Node<'_>> = doc.root().iter().collect();
    assert_eq!(Period::from_xcp(items[0]).unwrap(), Period::TwoYears);
    assert_eq!(Channel::from_xcp(items[1]).unwrap(), Channel::Sms);
    assert_eq!(Channel::Sms.as_ref(), "SMS");
    assert_eq!(Period::OneYear.as_ref(), "one_year");
    let err = Period::from_xcp(items[1]).unwrap_err();
    assert!(
        err.to_string().contains("one of `one_year`, `two_years`"),
        "{err}"
    );
}

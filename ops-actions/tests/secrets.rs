//! Secrets never printed (issue 15, item 2): the list of secret keys covers
//! every `secret` field of the shipped commands; errors inside a secret item
//! quote none of its text; `Debug` and serde of untyped values and of the
//! `rest` catch-all redact secret items.

// simple_transfer is deprecated by OpenSRS; it is tested on purpose.
#![allow(deprecated)]

use std::path::Path;

use opensrs_actions::domain::{CheckTransfer, SimpleTransfer};
use opensrs_core::secret::{SECRET_KEYS, is_secret_key};
use opensrs_core::{Command, FromXcp, Value, parse_str};

/// A text no output may contain.
const CODE: &str = "Zq7S3cr3tC0de";

/// The simple_transfer request of the spec, its first auth code replaced
/// by `auth_info`'s content.
fn transfer_request(auth_info: &str) -> String {
    let xml = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/domain/simple_transfer/request.xml"),
    )
    .expect("fixture");
    let from = r#"<item key="auth_info">@xMj%[1b</item>"#;
    assert_eq!(xml.matches(from).count(), 1, "the fixture changed");
    xml.replacen(
        from,
        &format!(r#"<item key="auth_info">{auth_info}</item>"#),
        1,
    )
}

/// A check_transfer reply whose attributes hold a `domain_auth_info` that
/// the typed reply does not name, and a nested `password`.
const CHECK_TRANSFER_REPLY: &str = concat!(
    "<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>",
    r#"<item key="protocol">XCP</item><item key="action">REPLY</item><item key="object">DOMAIN</item>"#,
    r#"<item key="is_success">1</item><item key="response_code">200</item>"#,
    r#"<item key="response_text">Query successful</item>"#,
    r#"<item key="attributes"><dt_assoc>"#,
    r#"<item key="transferrable">1</item>"#,
    r#"<item key="domain_auth_info">Zq7S3cr3tC0de</item>"#,
    r#"<item key="extra"><dt_assoc><item key="password">Zq7S3cr3tC0de</item><item key="note">kept</item></dt_assoc></item>"#,
    "</dt_assoc></item></dt_assoc></data_block></body></OPS_envelope>"
);

#[test]
fn every_secret_field_of_the_shipped_commands_is_a_secret_key() {
    // Scans the sources: a `#[xcp(secret)]` (possibly with other options,
    // `rename = "..."` among them) on a field; its wire key is the rename
    // or the field's name.
    let mut found = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            for (i, line) in lines.iter().enumerate() {
                let Some(attr) = line.strip_prefix("#[xcp(") else {
                    continue;
                };
                if !attr.split([',', ')', ' ']).any(|w| w == "secret") {
                    continue;
                }
                let renamed = attr
                    .split_once("rename = \"")
                    .and_then(|(_, r)| r.split_once('"'))
                    .map(|(k, _)| k.to_owned());
                let field = lines[i + 1..]
                    .iter()
                    .find(|l| !l.starts_with("#[") && !l.starts_with("//"))
                    .and_then(|l| l.trim_start_matches("pub ").split_once(':'))
                    .map(|(name, _)| name.trim().to_owned())
                    .unwrap_or_else(|| panic!("no field after {line} in {}", path.display()));
                found.push((path.display().to_string(), renamed.unwrap_or(field)));
            }
        }
    }
    assert!(
        found.iter().any(|(_, k)| k == "auth_info"),
        "the scan found no secret field: {found:?}"
    );
    for (file, key) in &found {
        assert!(
            is_secret_key(key),
            "{file}: secret field `{key}` is not in SECRET_KEYS {SECRET_KEYS:?}"
        );
    }
}

#[test]
fn a_parse_error_inside_auth_info_quotes_none_of_it() {
    for (bad, what) in [
        (format!("{CODE}&{CODE};"), "unknown entity"),
        (format!("{CODE}&#x{CODE};"), "malformed character reference"),
        (format!("{CODE}</{CODE}>"), "malformed XML"),
    ] {
        let xml = transfer_request(&bad);
        let err = parse_str(&xml).unwrap_err();
        let msg = err.to_string();
        assert!(!msg.contains(CODE) && !msg.contains("Zq7"), "{msg}");
        assert!(msg.contains(what), "{msg}");
        assert!(msg.starts_with("19:"), "{msg}");
        assert_eq!(err.path(), "attributes.domain_list[0].auth_info", "{msg}");
        assert!(msg.contains("[redacted]"), "{msg}");
    }
    // Outside a secret item the same error quotes the input, as before.
    let xml = transfer_request("ok").replace(
        r#"<item key="domain_name">newtransfer462.com</item>"#,
        r#"<item key="domain_name">newtransfer462.com&bogus;</item>"#,
    );
    let msg = parse_str(&xml).unwrap_err().to_string();
    assert!(msg.contains("`&bogus;`"), "{msg}");
}

#[test]
fn the_exact_message_of_a_parse_error_inside_auth_info() {
    let xml = transfer_request(&format!("ab&{CODE};"));
    assert_eq!(
        parse_str(&xml).unwrap_err().to_string(),
        "19:25: unknown entity `&[redacted];` (only &lt; &gt; &amp; &apos; &quot; are allowed) \
         (at attributes.domain_list[0].auth_info)"
    );
}

#[test]
fn a_decode_error_inside_a_secret_item_quotes_none_of_it() {
    let xml = transfer_request(CODE);
    let doc = parse_str(&xml).unwrap();
    let node = doc
        .root()
        .get("attributes")
        .and_then(|a| a.get("domain_list"))
        .and_then(|l| l.index(0))
        .and_then(|d| d.get("auth_info"))
        .unwrap();
    let err = u32::from_xcp(node).unwrap_err();
    assert_eq!(
        err.to_string(),
        "19:1: expected an integer (u32), found `[redacted]` \
         (at attributes.domain_list[0].auth_info)"
    );
    // The typed request still reads the code.
    let req = SimpleTransfer::decode_request(&doc).unwrap();
    assert_eq!(req.domain_list()[0].auth_info.expose(), CODE);
    assert!(!format!("{req:?}").contains(CODE));
}

#[test]
fn a_secret_in_the_rest_of_a_typed_reply_is_redacted() {
    let doc = parse_str(CHECK_TRANSFER_REPLY).unwrap();
    let reply = CheckTransfer::decode_reply(&doc).unwrap();
    // Kept as it came, for whoever reads it on purpose...
    assert_eq!(
        reply.other.get("domain_auth_info").and_then(Value::as_str),
        Some(CODE)
    );
    // ... and never printed.
    let debug = format!("{reply:?}");
    assert!(!debug.contains(CODE), "{debug}");
    assert!(
        debug.contains(r#""domain_auth_info": Item { class: None, value: [redacted] }"#),
        "{debug}"
    );
    assert!(
        debug.contains(r#""password": Item { class: None, value: [redacted] }"#),
        "{debug}"
    );
    assert!(debug.contains("kept"), "{debug}");
    assert!(!format!("{reply:#?}").contains(CODE));
}

#[test]
fn value_and_node_debug_redact_secret_items_at_any_depth() {
    let v = Value::assoc([
        ("user", Value::from("ada")),
        (
            "creds",
            Value::array([Value::assoc([
                ("password", Value::from(CODE)),
                ("Reg_Password", Value::assoc([("x", Value::from(CODE))])),
            ])]),
        ),
    ]);
    let debug = format!("{v:?}");
    assert!(!debug.contains(CODE), "{debug}");
    assert!(debug.contains("\"ada\""), "{debug}");
    assert_eq!(debug.matches("[redacted]").count(), 2, "{debug}");
    assert!(!format!("{v:#?}").contains(CODE));

    let doc = parse_str(CHECK_TRANSFER_REPLY).unwrap();
    let attributes = doc.root().get("attributes").unwrap();
    let debug = format!("{attributes:?}");
    assert!(!debug.contains(CODE), "{debug}");
    assert!(
        debug.contains(r#""domain_auth_info": [redacted]"#),
        "{debug}"
    );
    assert!(debug.contains(r#""note": "kept""#), "{debug}");
    // Printed on its own, a secret item is redacted too.
    let code = attributes.get("domain_auth_info").unwrap();
    assert_eq!(format!("{code:?}"), "[redacted]");
    assert_eq!(code.as_str(), Some(CODE));
    // The owned form of the whole document.
    let owned = doc.root().to_value();
    assert!(!format!("{owned:?}").contains(CODE));
}

#[test]
fn serde_of_values_redacts_secret_items_at_any_depth() {
    let v = Value::assoc([(
        "outer",
        Value::assoc([
            ("password", Value::from(CODE)),
            ("domain", Value::from("example.com")),
        ]),
    )]);
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        r#"{"outer":{"password":"[redacted]","domain":"example.com"}}"#
    );
    let doc = parse_str(CHECK_TRANSFER_REPLY).unwrap();
    let json = serde_json::to_string(&doc.root().to_value()).unwrap();
    assert!(!json.contains(CODE), "{json}");
    assert!(
        json.contains(r#""domain_auth_info":"[redacted]""#),
        "{json}"
    );
}

/// `opensrs decode --as check_transfer` prints the typed reply through
/// serde: the `rest` items are redacted there too.
#[cfg(feature = "serde")]
#[test]
fn serde_of_a_typed_reply_redacts_its_rest() {
    let doc = parse_str(CHECK_TRANSFER_REPLY).unwrap();
    let reply = CheckTransfer::decode_reply(&doc).unwrap();
    let json = serde_json::to_string(&reply).unwrap();
    assert!(!json.contains(CODE), "{json}");
    assert!(
        json.contains(r#""domain_auth_info":"[redacted]""#),
        "{json}"
    );
    assert!(json.contains(r#""note":"kept""#), "{json}");
}

#[test]
fn a_derived_debug_redacts_secret_items_of_either_kind_of_rest() {
    use std::collections::BTreeMap;

    use opensrs_core::{Assoc, Xcp};

    #[derive(Xcp)]
    struct WithMap {
        name: String,
        #[xcp(rest)]
        other: BTreeMap<String, Value>,
    }
    #[derive(Xcp)]
    struct WithAssoc {
        name: String,
        #[xcp(rest)]
        other: Assoc,
    }
    let xml = concat!(
        "<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>",
        r#"<item key="name">n</item><item key="auth_info">Zq7S3cr3tC0de</item>"#,
        r#"<item key="x"><dt_assoc><item key="key">Zq7S3cr3tC0de</item></dt_assoc></item>"#,
        "</dt_assoc></data_block></body></OPS_envelope>"
    );
    let doc = parse_str(xml).unwrap();
    let map = WithMap::from_xcp(doc.root()).unwrap();
    assert_eq!(map.other.len(), 2);
    let debug = format!("{map:?}");
    assert!(!debug.contains(CODE), "{debug}");
    assert!(debug.contains(r#""auth_info": [redacted]"#), "{debug}");
    let assoc = WithAssoc::from_xcp(doc.root()).unwrap();
    assert_eq!(assoc.name, map.name);
    let debug = format!("{assoc:#?}");
    assert!(!debug.contains(CODE), "{debug}");
    assert_eq!(debug.matches("[redacted]").count(), 2, "{debug}");
}

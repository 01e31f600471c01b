//! What the parser rejects (issue 2, item 3), structural part: elements,
//! keys, indices, item content, missing pieces (malformed XML, positions,
//! truncation and limits are in `reject_malformed.rs`). Each test asserts the exact error kind, and
//! several the whole message `LINE:COL: message (at KEY.PATH)`.

use opensrs_core::{ParseErrorKind as K, parse_str};

mod common;
use common::*;

// ---- elements ---------------------------------------------------------------

fn unexpected(xml: &str, found: &str, context: &str) {
    let e = err(xml);
    assert_eq!(
        e.kind(),
        &K::UnexpectedElement {
            found: found.into(),
            context: match context {
                "document" => "the document (the root is <OPS_envelope>)",
                "container" => "a dt_assoc/dt_array (only <item> may appear)",
                "scalar" => "dt_scalar/dt_scalarref (they hold text only)",
                other => match other {
                    "OPS_envelope" => "OPS_envelope",
                    "header" => "header",
                    "version" => "version",
                    "msg_id" => "msg_id",
                    "body" => "body",
                    "data_block" => "data_block",
                    "item" => "item",
                    _ => panic!("unknown context {other}"),
                },
            }
        },
        "{xml}"
    );
}

#[test]
fn unknown_root_element() {
    unexpected("<ops_envelope/>", "ops_envelope", "document");
    unexpected("<html><body/></html>", "html", "document");
    let e = err("<?xml version='1.0'?>\n<envelope/>");
    assert_eq!(
        e.to_string(),
        "2:1: unexpected element <envelope> in the document (the root is <OPS_envelope>)"
    );
}

#[test]
fn unknown_element_in_envelope() {
    unexpected(
        "<OPS_envelope><head><version>0.9</version></head></OPS_envelope>",
        "head",
        "OPS_envelope",
    );
    unexpected(
        &env("<dt_scalar/>").replace("</body>", "</body><trailer/>"),
        "trailer",
        "OPS_envelope",
    );
}

#[test]
fn unknown_element_in_header() {
    unexpected(
        "<OPS_envelope><header><version>0.9</version><msg_size>1</msg_size></header></OPS_envelope>",
        "msg_size",
        "header",
    );
}

#[test]
fn element_inside_a_header_field() {
    unexpected(
        "<OPS_envelope><header><version><b>0.9</b></version></header></OPS_envelope>",
        "b",
        "version",
    );
    unexpected(
        "<OPS_envelope><header><version>0.9</version><msg_id><dt_scalar/></msg_id></header></OPS_envelope>",
        "dt_scalar",
        "msg_id",
    );
}

#[test]
fn unknown_element_in_body() {
    unexpected(
        "<OPS_envelope><header><version>0.9</version></header><body><data/></body></OPS_envelope>",
        "data",
        "body",
    );
}

#[test]
fn unknown_element_in_data_block() {
    unexpected(&env("<dt_hash/>"), "dt_hash", "data_block");
    unexpected(&env("<item key='a'>v</item>"), "item", "data_block");
}

#[test]
fn non_item_element_in_a_container() {
    unexpected(
        &env("<dt_assoc><dt_assoc/></dt_assoc>"),
        "dt_assoc",
        "container",
    );
    unexpected(
        &env("<dt_array><value>1</value></dt_array>"),
        "value",
        "container",
    );
    unexpected(
        &env("<dt_assoc><item key='a'/><items/></dt_assoc>"),
        "items",
        "container",
    );
}

#[test]
fn unknown_element_in_an_item() {
    unexpected(&item_x("<b>bold</b>"), "b", "item");
    unexpected(&item_x("<item key='y'/>"), "item", "item");
    let e = err(&item_x("<dt_struct/>"));
    assert_eq!(e.path(), "x");
    assert!(
        e.to_string()
            .ends_with("unexpected element <dt_struct> in item (at x)"),
        "{e}"
    );
}

#[test]
fn element_inside_dt_scalar_or_dt_scalarref() {
    // The DTD would allow containers inside dt_scalar; this codec documents
    // that dt_scalar and dt_scalarref hold text only.
    unexpected(
        &env("<dt_scalar><dt_assoc/></dt_scalar>"),
        "dt_assoc",
        "scalar",
    );
    unexpected(&item_x("<dt_scalarref>a<b/></dt_scalarref>"), "b", "scalar");
    unexpected(
        &item_x("<dt_scalar><dt_scalar>a</dt_scalar></dt_scalar>"),
        "dt_scalar",
        "scalar",
    );
}

#[test]
fn item_without_key() {
    let e = err(&env("<dt_assoc><item>v</item></dt_assoc>"));
    assert_eq!(e.kind(), &K::MissingKey);
    assert_eq!(
        err(&env("<dt_array><item class='c'/></dt_array>")).kind(),
        &K::MissingKey
    );
    let xml = env(
        "<dt_assoc><item key='outer'><dt_array><item key='0'/><item>v</item></dt_array></item></dt_assoc>",
    );
    let col = nth(&xml, "<item", 2) + 1;
    assert_eq!(
        err(&xml).to_string(),
        format!("1:{col}: item without a `key` attribute (at outer)")
    );
}

#[test]
fn unknown_attribute() {
    let e = err(&env(
        "<dt_assoc><item key='a' type='string'>v</item></dt_assoc>",
    ));
    assert_eq!(
        e.kind(),
        &K::UnexpectedAttribute {
            element: "item",
            attribute: "type".into()
        }
    );
    // Attribute names are case-sensitive.
    let e = err(&env("<dt_assoc><item Key='a'>v</item></dt_assoc>"));
    assert_eq!(
        e.kind(),
        &K::UnexpectedAttribute {
            element: "item",
            attribute: "Key".into()
        }
    );
    for (xml, element, attribute) in [
        (env("<dt_assoc id='1'/>"), "dt_assoc", "id"),
        (env("<dt_array len='0'/>"), "dt_array", "len"),
        (
            env("<dt_scalar xml:space='preserve'/>"),
            "dt_scalar",
            "xml:space",
        ),
        (env("<dt_scalarref a=''/>"), "dt_scalarref", "a"),
        (
            env("<dt_scalar/>").replace("<OPS_envelope>", "<OPS_envelope xmlns='urn:x'>"),
            "OPS_envelope",
            "xmlns",
        ),
        (
            env("<dt_scalar/>").replace("<header>", "<header a='1'>"),
            "header",
            "a",
        ),
        (
            env("<dt_scalar/>").replace("<version>", "<version v='1'>"),
            "version",
            "v",
        ),
        (
            env("<dt_scalar/>").replace("<body>", "<body b='1'>"),
            "body",
            "b",
        ),
        (
            env("<dt_scalar/>").replace("<data_block>", "<data_block d='1'>"),
            "data_block",
            "d",
        ),
    ] {
        let e = err(&xml);
        assert_eq!(
            e.kind(),
            &K::UnexpectedAttribute {
                element,
                attribute: attribute.into()
            },
            "{xml}"
        );
    }
}

#[test]
fn unknown_attribute_display() {
    let xml = env(
        "<dt_assoc><item key='a'><dt_assoc><item key='b' lang='en'>v</item></dt_assoc></item></dt_assoc>",
    );
    let col = nth(&xml, "<item", 1) + 1;
    assert_eq!(
        err(&xml).to_string(),
        format!("1:{col}: unexpected attribute `lang` on <item> (at a)")
    );
}

// ---- duplicate keys ---------------------------------------------------------

#[test]
fn duplicate_key_in_a_small_dt_assoc() {
    let xml = format!(
        "{HEAD}\n<dt_assoc>\n  <item key=\"a\">1</item>\n  <item key=\"b\">2</item>\n  <item key=\"a\">3</item>\n</dt_assoc>{TAIL}"
    );
    let e = err(&xml);
    let first = pos(&xml, nth(&xml, "<item", 0));
    assert_eq!((first.line, first.column), (3, 3));
    assert_eq!(
        e.kind(),
        &K::DuplicateKey {
            key: "a".into(),
            first
        }
    );
    assert_eq!(e.position(), pos(&xml, nth(&xml, "<item", 2)));
    assert_eq!((e.position().line, e.position().column), (5, 3));
    assert_eq!(
        e.to_string(),
        "5:3: duplicate key `a` in dt_assoc (first at 3:3) (at a)"
    );
}

#[test]
fn duplicate_key_in_a_large_dt_assoc() {
    let mut body = String::from("\n<dt_assoc>\n");
    for i in 0..40 {
        let key = if i == 33 {
            "k7".to_owned()
        } else {
            format!("k{i}")
        };
        body.push_str(&format!("<item key=\"{key}\">{i}</item>\n"));
    }
    body.push_str("</dt_assoc>");
    let xml = env(&format!(
        "<dt_assoc><item key='attributes'>{body}</item></dt_assoc>"
    ));
    let e = err(&xml);
    let first = pos(&xml, xml.find("<item key=\"k7\"").unwrap());
    let second = pos(&xml, xml.rfind("<item key=\"k7\"").unwrap());
    assert_eq!((first.line, first.column), (10, 1));
    assert_eq!((second.line, second.column), (36, 1));
    assert_eq!(
        e.kind(),
        &K::DuplicateKey {
            key: "k7".into(),
            first
        }
    );
    assert_eq!(e.position(), second);
    assert_eq!(e.path(), "attributes.k7");
    assert_eq!(
        e.to_string(),
        "36:1: duplicate key `k7` in dt_assoc (first at 10:1) (at attributes.k7)"
    );
}

#[test]
fn duplicate_key_at_both_ends_of_a_large_dt_assoc() {
    let n = 2000;
    let mut items: String = (0..n).map(|i| format!("<item key='{i}'/>")).collect();
    items.push_str("<item key='0'/>");
    let xml = env(&format!("<dt_assoc>{items}</dt_assoc>"));
    let e = err(&xml);
    let first = pos(&xml, nth(&xml, "<item", 0));
    assert_eq!(
        e.kind(),
        &K::DuplicateKey {
            key: "0".into(),
            first
        }
    );
    assert_eq!(e.position(), pos(&xml, nth(&xml, "<item", n)));
}

#[test]
fn keys_equal_after_decoding_are_duplicates() {
    let xml =
        env("<dt_assoc><item key='a&amp;b'>1</item><item key=\"a&#38;b\">2</item></dt_assoc>");
    assert!(matches!(err(&xml).kind(), K::DuplicateKey { key, .. } if key == "a&b"));
    // Attribute normalisation makes a tab a space.
    let xml = env("<dt_assoc><item key='a b'>1</item><item key=\"a\tb\">2</item></dt_assoc>");
    assert!(matches!(err(&xml).kind(), K::DuplicateKey { key, .. } if key == "a b"));
}

#[test]
fn same_key_in_different_dt_assocs_is_fine() {
    let xml = env(
        "<dt_assoc><item key='a'><dt_assoc><item key='a'>1</item></dt_assoc></item><item key='b'><dt_assoc><item key='a'>2</item></dt_assoc></item></dt_assoc>",
    );
    assert!(parse_str(&xml).is_ok());
}

// ---- dt_array indices -----------------------------------------------------------

#[test]
fn duplicate_array_index() {
    let xml = format!(
        "{HEAD}\n<dt_array>\n<item key=\"0\">a</item>\n<item key=\"1\">b</item>\n<item key=\"0\">c</item>\n</dt_array>{TAIL}"
    );
    let e = err(&xml);
    let first = pos(&xml, nth(&xml, "<item", 0));
    assert_eq!(e.kind(), &K::DuplicateIndex { index: 0, first });
    assert_eq!(
        e.to_string(),
        "5:1: duplicate dt_array index 0 (first at 3:1) (at [0])"
    );
}

#[test]
fn duplicate_array_index_written_differently() {
    let xml = env("<dt_array><item key='01'>a</item><item key='1'>b</item></dt_array>");
    let e = err(&xml);
    assert!(
        matches!(e.kind(), K::DuplicateIndex { index: 1, .. }),
        "{e}"
    );
}

#[test]
fn non_numeric_array_index() {
    for k in [
        "a",
        "",
        "1.0",
        "0x1",
        " 1",
        "1 ",
        "\u{661}",
        "4294967296",
        "99999999999999999999",
    ] {
        let xml = env(&format!("<dt_array><item key='{k}'>v</item></dt_array>"));
        assert_eq!(err(&xml).kind(), &K::InvalidIndex(k.into()), "{k:?}");
    }
}

#[test]
fn negative_array_index() {
    let xml = env("<dt_array><item key='0'>a</item><item key='-1'>b</item></dt_array>");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::InvalidIndex("-1".into()));
    assert_eq!(e.position().offset, nth(&xml, "<item", 1));
    assert_eq!(
        err(&env("<dt_array><item key='+0'/></dt_array>")).kind(),
        &K::InvalidIndex("+0".into())
    );
}

#[test]
fn invalid_index_display() {
    let xml = env(
        "<dt_assoc><item key='list'><dt_array><item key='first'>v</item></dt_array></item></dt_assoc>",
    );
    let col = nth(&xml, "<item", 1) + 1;
    assert_eq!(
        err(&xml).to_string(),
        format!(
            "1:{col}: dt_array index `first` is not an index: digits only, at most 4294967295 (at list[first])"
        )
    );
}

#[test]
fn array_index_gap() {
    // Gaps are rejected by design (see the crate documentation).
    let xml = env("<dt_array><item key='0'>a</item><item key='2'>c</item></dt_array>");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::IndexGap { index: 2, len: 2 });
    assert_eq!(e.position().offset, nth(&xml, "<item", 1));
    assert_eq!(e.path(), "[2]");
    let xml = env("<dt_array><item key='1'>b</item></dt_array>");
    assert_eq!(err(&xml).kind(), &K::IndexGap { index: 1, len: 1 });
}

#[test]
fn huge_array_index_is_a_gap_not_an_allocation() {
    let xml = env("<dt_array><item key='4294967295'>a</item></dt_array>");
    assert_eq!(
        err(&xml).kind(),
        &K::IndexGap {
            index: u32::MAX,
            len: 1
        }
    );
}

// ---- item content -------------------------------------------------------------

#[test]
fn text_before_a_container_in_an_item() {
    let xml = item_x("text<dt_assoc/>");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::MixedContent);
    assert_eq!(
        e.to_string(),
        format!(
            "1:{}: item holds both text and a dt_assoc/dt_array/dt_scalar value (at x)",
            xml.find("<dt_assoc/>").unwrap() + 1
        )
    );
    for inner in [
        " t <dt_array/>",
        "&amp;<dt_assoc/>",
        "<![CDATA[ ]]><dt_assoc/>",
        "t<!--c--><dt_scalar>v</dt_scalar>",
        "t<dt_scalarref/>",
    ] {
        assert_eq!(err(&item_x(inner)).kind(), &K::MixedContent, "{inner}");
    }
}

#[test]
fn text_after_a_container_in_an_item() {
    for inner in [
        "<dt_assoc/>text",
        "<dt_array></dt_array> t ",
        "<dt_assoc/>&amp;",
        "<dt_assoc/><![CDATA[x]]>",
        "<dt_scalar>v</dt_scalar><!--c-->t",
        "<dt_scalarref>v</dt_scalarref>&#32;",
    ] {
        let e = err(&item_x(inner));
        assert_eq!(e.kind(), &K::MixedContent, "{inner}");
        assert_eq!(e.path(), "x");
    }
}

#[test]
fn more_than_one_value_in_an_item() {
    for inner in [
        "<dt_assoc/><dt_array/>",
        "<dt_scalar>a</dt_scalar><dt_scalar>b</dt_scalar>",
        "<dt_assoc/> <!--c--> <dt_assoc/>",
        "<dt_scalarref/><dt_scalarref/>",
    ] {
        let xml = item_x(inner);
        let e = err(&xml);
        assert_eq!(e.kind(), &K::MultipleValues("item"), "{inner}");
        assert_eq!(e.path(), "x");
    }
    let xml = item_x("<dt_assoc/><dt_array/>");
    assert_eq!(
        err(&xml).to_string(),
        format!(
            "1:{}: more than one value in item (at x)",
            xml.find("<dt_array/>").unwrap() + 1
        )
    );
}

#[test]
fn more_than_one_value_in_data_block() {
    let e = err(&env("<dt_assoc/><dt_assoc/>"));
    assert_eq!(e.kind(), &K::MultipleValues("data_block"));
    assert_eq!(
        err(&env("<dt_scalar>a</dt_scalar>\n<dt_array/>")).kind(),
        &K::MultipleValues("data_block")
    );
}

#[test]
fn text_in_data_block_and_other_element_only_places() {
    assert_eq!(err(&env("text")).kind(), &K::UnexpectedText("data_block"));
    assert_eq!(
        err(&env("<dt_assoc/>text")).kind(),
        &K::UnexpectedText("data_block")
    );
    assert_eq!(
        err(&env("<dt_assoc>t<item key='a'/></dt_assoc>")).kind(),
        &K::UnexpectedText("a dt_assoc/dt_array (only <item> may appear)")
    );
    assert_eq!(
        err(&env("<dt_array><![CDATA[x]]></dt_array>")).kind(),
        &K::UnexpectedText("a dt_assoc/dt_array (only <item> may appear)")
    );
    assert_eq!(
        err(&env("<dt_assoc>&amp;</dt_assoc>")).kind(),
        &K::UnexpectedText("a dt_assoc/dt_array (only <item> may appear)")
    );
    let xml = "<OPS_envelope>x<header><version>0.9</version></header></OPS_envelope>";
    assert_eq!(err(xml).kind(), &K::UnexpectedText("OPS_envelope"));
    let xml = "<OPS_envelope><header>x<version>0.9</version></header></OPS_envelope>";
    assert_eq!(err(xml).kind(), &K::UnexpectedText("header"));
    let xml = env("<dt_scalar/>").replace("<body>", "<body>x");
    assert_eq!(err(&xml).kind(), &K::UnexpectedText("body"));
    let xml = format!("text{}", env("<dt_scalar/>"));
    assert_eq!(err(&xml).kind(), &K::UnexpectedText("the prolog"));
}

#[test]
fn an_empty_cdata_beside_a_container_is_no_content() {
    // Issue 15 item 6: expat reads these as the container alone. Before:
    // "1:108: item holds both text and a dt_assoc/dt_array/dt_scalar value
    // (at x)".
    for inner in [
        "<![CDATA[]]><dt_assoc/>",
        "<dt_assoc/><![CDATA[]]>",
        " <![CDATA[]]>\n<dt_assoc></dt_assoc> <![CDATA[]]> ",
        "<![CDATA[]]><![CDATA[]]><dt_array/>",
    ] {
        let xml = item_x(inner);
        let doc = parse_str(&xml).unwrap_or_else(|e| panic!("{inner}: {e}"));
        let x = doc.root().get("x").expect("x");
        assert!(x.as_str().is_none() && x.is_empty(), "{inner}");
    }
    // Alone, it is an empty value, as before.
    let xml = item_x("<![CDATA[]]>");
    let doc = parse_str(&xml).expect("empty CDATA");
    assert_eq!(doc.root().get("x").and_then(|n| n.as_str()), Some(""));
}

#[test]
fn whitespace_after_the_angle_bracket() {
    // Issue 15 item 6. Before: "1:82: unexpected element <> in a
    // dt_assoc/dt_array (only <item> may appear)".
    let xml = env("<dt_assoc>< item key='a'>v</item></dt_assoc>");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::WhitespaceAfterLt("<"));
    assert_eq!(
        e.to_string(),
        "1:82: whitespace after `<`: the element name must follow it directly"
    );
    let e = err(&env("<dt_assoc><item key='a'>v</ item></dt_assoc>"));
    assert_eq!(e.kind(), &K::WhitespaceAfterLt("</"), "{e}");
    assert_eq!(e.path(), "a");
    assert_eq!(err("< OPS_envelope/>").kind(), &K::WhitespaceAfterLt("<"));
}

#[test]
fn keys_in_messages_are_escaped_and_bounded() {
    // Bidi controls and long keys reach no terminal raw. Before: the key
    // `kk\u{202E}` was printed raw in the message and in the path.
    let key = format!("kk\u{202E}\u{2066}{}", "x".repeat(1000));
    let xml = env(&format!(
        "<dt_assoc><item key='{key}'>v</item><item key='{key}'>v</item></dt_assoc>"
    ));
    let m = err(&xml).to_string();
    assert!(m.chars().count() <= 300, "{} chars", m.chars().count());
    // 64 characters of output: the escapes count.
    let quoted = format!("kk\\u{{202E}}\\u{{2066}}{}…", "x".repeat(46));
    let second = pos(&xml, nth(&xml, "<item", 1));
    assert_eq!(
        m,
        format!("{second}: duplicate key `{quoted}` in dt_assoc (first at 1:82) (at {quoted})")
    );
}

// ---- missing and duplicate elements ---------------------------------------------

#[test]
fn missing_header() {
    let xml = "<OPS_envelope><body><data_block><dt_scalar/></data_block></body></OPS_envelope>";
    assert_eq!(err(xml).kind(), &K::MissingElement("header"));
    assert_eq!(err("<OPS_envelope/>").kind(), &K::MissingElement("header"));
    assert_eq!(
        err("<OPS_envelope></OPS_envelope>").kind(),
        &K::MissingElement("header")
    );
}

#[test]
fn missing_version() {
    let xml = "<OPS_envelope><header><msg_id>1</msg_id></header><body><data_block><dt_scalar/></data_block></body></OPS_envelope>";
    let e = err(xml);
    assert_eq!(e.kind(), &K::MissingElement("version"));
    assert_eq!(
        e.to_string(),
        format!(
            "1:{}: missing <version>",
            xml.find("</header>").unwrap() + 1
        )
    );
    assert_eq!(
        err("<OPS_envelope><header/><body><data_block><dt_scalar/></data_block></body></OPS_envelope>").kind(),
        &K::MissingElement("version")
    );
}

#[test]
fn missing_body() {
    let xml = "<OPS_envelope><header><version>0.9</version></header></OPS_envelope>";
    assert_eq!(err(xml).kind(), &K::MissingElement("body"));
}

#[test]
fn missing_data_block() {
    let xml = "<OPS_envelope><header><version>0.9</version></header><body></body></OPS_envelope>";
    assert_eq!(err(xml).kind(), &K::MissingElement("data_block"));
    let xml = "<OPS_envelope><header><version>0.9</version></header><body/></OPS_envelope>";
    assert_eq!(err(xml).kind(), &K::MissingElement("data_block"));
}

#[test]
fn missing_value() {
    let want = K::MissingElement("dt_assoc, dt_array, dt_scalar or dt_scalarref");
    assert_eq!(err(&env("")).kind(), &want);
    assert_eq!(err(&env(" <!-- nothing --> ")).kind(), &want);
    let xml = env("").replace("<data_block></data_block>", "<data_block/>");
    assert_eq!(err(&xml).kind(), &want);
}

#[test]
fn duplicate_envelope_parts() {
    let h = "<header><version>0.9</version></header>";
    let xml = format!("<OPS_envelope>{h}{h}</OPS_envelope>");
    assert_eq!(err(&xml).kind(), &K::DuplicateElement("header"));
    let xml =
        "<OPS_envelope><header><version>0.9</version><version>1</version></header></OPS_envelope>";
    assert_eq!(err(xml).kind(), &K::DuplicateElement("version"));
    let xml =
        "<OPS_envelope><header><version>0.9</version><msg_id/><msg_id/></header></OPS_envelope>";
    assert_eq!(err(xml).kind(), &K::DuplicateElement("msg_id"));
    let xml = env("<dt_scalar/>").replace("</body>", "</body><body/>");
    assert_eq!(err(&xml).kind(), &K::DuplicateElement("body"));
    let xml = env("<dt_scalar/>").replace("</data_block>", "</data_block><data_block/>");
    assert_eq!(err(&xml).kind(), &K::DuplicateElement("data_block"));
    let xml = env("<dt_scalar/>").replace("</body>", &format!("</body>{h}"));
    assert_eq!(err(&xml).kind(), &K::DuplicateElement("header"));
}

//! What the parser rejects (issue 2, item 3): malformed XML, error
//! positions, truncated input and trailing content, and the limits.

use std::time::{Duration, Instant};

use opensrs_core::{ParseErrorKind as K, ParseOptions, parse_str};

mod common;
use common::*;

// ---- malformed XML ----------------------------------------------------------------

#[test]
fn mismatched_end_tags() {
    for xml in [
        env("<dt_assoc></dt_array>"),
        env("<dt_assoc><item key='a'>v</itm></dt_assoc>"),
        env("<dt_assoc><item key='a'>v</dt_assoc></item>"),
        "<OPS_envelope></ops_envelope>".to_owned(),
        format!("{}</OPS_envelope>", env("<dt_scalar/>")),
        "</OPS_envelope>".to_owned(),
    ] {
        let e = err(&xml);
        assert!(matches!(e.kind(), K::Syntax(_)), "{xml}: {e}");
    }
    let xml = env("<dt_assoc></dt_array>");
    let e = err(&xml);
    assert_eq!(e.position().offset, xml.find("</dt_array>").unwrap(), "{e}");
}

#[test]
fn bad_attributes() {
    for (attrs, msg) in [
        ("key=a", "attribute value must be quoted"),
        ("key", "attribute name must be followed by `=`"),
        ("key=", "`=` must be followed by a quoted value"),
        ("key=\"a\" key=\"b\"", "duplicate attribute"),
        ("key=\"\"a\"\"", "attribute name must be followed by `=`"),
    ] {
        let xml = env(&format!("<dt_assoc><item {attrs}>v</item></dt_assoc>"));
        let e = err(&xml);
        assert_eq!(e.kind(), &K::Syntax(msg.into()), "{attrs}: {e}");
    }
    for attrs in ["key=\"a<b\"", "key='a\""] {
        let xml = env(&format!("<dt_assoc><item {attrs}>v</item></dt_assoc>"));
        let e = err(&xml);
        assert!(matches!(e.kind(), K::Syntax(_)), "{attrs}: {e}");
    }
    // Before: "`&` without `;` in an attribute value".
    for attrs in ["key=\"a&\"", "key=\"a&amp\""] {
        let xml = env(&format!("<dt_assoc><item {attrs}>v</item></dt_assoc>"));
        assert_eq!(err(&xml).kind(), &K::BareAmpersand, "{attrs}");
    }
}

#[test]
fn attributes_without_whitespace_between_them() {
    let xml = env("<dt_assoc><item key='a'class='b'>v</item></dt_assoc>");
    let e = err(&xml);
    assert_eq!(
        e.kind(),
        &K::Syntax("attributes must be separated by whitespace".into())
    );
    assert_eq!(e.position().offset, xml.find("class").unwrap());
    let xml = env("<dt_assoc><item class=\"b\"key=\"a\"/></dt_assoc>");
    assert!(matches!(err(&xml).kind(), K::Syntax(_)));
}

#[test]
fn bad_attribute_display() {
    let xml =
        env("<dt_assoc><item key='a'><dt_assoc><item key=b>v</item></dt_assoc></item></dt_assoc>");
    let col = xml.find("key=b").unwrap() + 5;
    assert_eq!(
        err(&xml).to_string(),
        format!("1:{col}: malformed XML: attribute value must be quoted (at a)")
    );
}

#[test]
fn doubled_quote_fixture() {
    let xml = fixture("check_transfer_reply_doubled_quotes.xml");
    assert_eq!(
        err(&xml).to_string(),
        "10:39: malformed XML: attribute name must be followed by `=`"
    );
}

#[test]
fn processing_instruction_without_a_target() {
    let e = err(&item_x("a<? ?>b"));
    assert_eq!(
        e.kind(),
        &K::Syntax("processing instruction target is not an XML name".into())
    );
    assert_eq!(e.path(), "x");
}

#[test]
fn processing_instruction_target_that_is_not_a_name() {
    // `a` is a target and ` b` its content: accepted.
    assert!(opensrs_core::parse_str(&item_x("a<?a b?>b")).is_ok());
    for pi in ["<?8?>", "<?-a?>", "<?.x?>"] {
        let e = err(&item_x(&format!("a{pi}b")));
        assert_eq!(
            e.kind(),
            &K::Syntax("processing instruction target is not an XML name".into()),
            "{pi}"
        );
    }
}

#[test]
fn malformed_markup() {
    for inner in [
        "a <!-- x -- y --> b",
        "<!-- x --->",
        "<![CDATA[unclosed",
        "<!-- unclosed",
        "<?pi unclosed",
    ] {
        let e = err(&item_x(inner));
        assert!(matches!(e.kind(), K::Syntax(_)), "{inner}: {e}");
        assert_eq!(e.path(), "x", "{inner}");
    }
    let e = err(&item_x("<dt_assoc></ dt_assoc>"));
    assert_eq!(e.kind(), &K::WhitespaceAfterLt("</"));
    assert_eq!(e.path(), "x");
    let e = err(&item_x("a&"));
    assert_eq!(e.kind(), &K::BareAmpersand);
    assert_eq!(e.path(), "x");
    // A stray `<` is an error too, whatever the tokenizer makes of it.
    for inner in ["a < b", "a<", "a<>b", "<1/>", "<dt_assoc/ >"] {
        assert!(parse_str(&item_x(inner)).is_err(), "{inner}");
    }
}

#[test]
fn cdata_end_in_text() {
    // XML 1.0 section 2.4: `]]>` may not appear in character data.
    let xml = item_x("a ]]> b");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::Syntax("`]]>` in text".into()));
    assert_eq!(e.position().offset, xml.find("]]>").unwrap());
    assert_eq!(e.path(), "x");
    assert!(err(&env("<dt_scalar>]]></dt_scalar>")).kind() == &K::Syntax("`]]>` in text".into()));
    // Wherever it sits in a long piece of text.
    for pad in 0..20 {
        let text = format!("{}]]>{}", "a".repeat(pad), "b".repeat(20 - pad));
        let xml = item_x(&text);
        let e = err(&xml);
        assert_eq!(e.position().offset, xml.find("]]>").unwrap(), "{pad}");
    }
    // Split by a reference or markup it is fine.
    assert!(parse_str(&item_x("]]&gt;")).is_ok());
    assert!(parse_str(&item_x("]]<!--c-->>")).is_ok());
    assert!(parse_str(&item_x("] ]>")).is_ok());
}

// ---- positions --------------------------------------------------------------------

#[test]
fn lines_end_at_lf_crlf_and_lone_cr() {
    for nl in ["\n", "\r\n", "\r"] {
        let xml = format!("<OPS_envelope>{nl}<header>{nl}  <foo/>");
        let e = err(&xml);
        assert_eq!((e.position().line, e.position().column), (3, 3), "{nl:?}");
    }
}

#[test]
fn empty_keys_keep_their_place_in_the_path() {
    let xml = env(
        "<dt_assoc><item key=''><dt_assoc><item key=''>&bad;</item></dt_assoc></item></dt_assoc>",
    );
    assert_eq!(err(&xml).path(), ".");
    let xml = env(
        "<dt_array><item key='0'><dt_assoc><item key=''>&bad;</item></dt_assoc></item></dt_array>",
    );
    assert_eq!(err(&xml).path(), "[0].");
    let xml = env(
        "<dt_assoc><item key='a.b'><dt_assoc><item key='[1]'>&bad;</item></dt_assoc></item></dt_assoc>",
    );
    assert_eq!(err(&xml).path(), "a.b.[1]");
}

// ---- truncation and trailing content ------------------------------------------------

#[test]
fn empty_and_blank_input() {
    for xml in [
        "",
        " ",
        "\n\n",
        "<?xml version='1.0'?>",
        "\u{FEFF}",
        "<!--c-->",
    ] {
        assert_eq!(
            err(xml).kind(),
            &K::UnexpectedEof("no <OPS_envelope> element"),
            "{xml:?}"
        );
    }
}

#[test]
fn truncated_inside_an_item() {
    let xml = env("<dt_assoc><item key='a'><dt_array><item key='0'>text");
    let xml = &xml[..xml.find("text").unwrap() + 4];
    let e = err(xml);
    assert_eq!(e.kind(), &K::UnexpectedEof("inside an <item>"));
    assert_eq!(e.path(), "a[0]");
    assert_eq!(e.position().offset, xml.len());
    assert_eq!(
        e.to_string(),
        format!(
            "1:{}: unexpected end of input: inside an <item> (at a[0])",
            xml.len() + 1
        )
    );
}

#[test]
fn truncated_before_the_envelope_is_closed() {
    let full = env("<dt_scalar>a</dt_scalar>");
    for cut in ["</body>", "</data_block>", "</OPS_envelope>"] {
        let xml = &full[..full.find(cut).unwrap()];
        assert_eq!(
            err(xml).kind(),
            &K::UnexpectedEof("before the envelope was closed"),
            "{xml}"
        );
    }
}

#[test]
fn truncated_inside_markup() {
    let full = item_x("<![CDATA[v]]><!--c-->");
    for cut in [
        "<item key=\"x",
        "<item key=\"x\"",
        "<![CDATA[v",
        "<!--c",
        "</item",
    ] {
        let end = full.find(cut).unwrap_or_else(|| panic!("{cut}")) + cut.len();
        let xml = &full[..end];
        let e = err(xml);
        assert!(
            matches!(e.kind(), K::Syntax(_) | K::UnexpectedEof(_)),
            "{xml}: {e}"
        );
    }
}

#[test]
fn second_root_element() {
    let xml = format!("{}\n<OPS_envelope/>", env("<dt_scalar/>"));
    let e = err(&xml);
    assert_eq!(e.kind(), &K::TrailingContent);
    assert_eq!(e.to_string(), "2:1: content after the root element");
    let xml = format!("{}<other/>", env("<dt_scalar/>"));
    assert_eq!(err(&xml).kind(), &K::TrailingContent);
}

#[test]
fn text_after_the_root() {
    for tail in ["x", "\n\nx\n", "<![CDATA[]]>", "&amp;", " <!--c--> y"] {
        let xml = format!("{}{tail}", env("<dt_scalar/>"));
        assert_eq!(err(&xml).kind(), &K::TrailingContent, "{tail:?}");
    }
}

// ---- limits ------------------------------------------------------------------------

fn nested_assoc(n: usize) -> String {
    env(&format!(
        "{}<dt_assoc/>{}",
        "<dt_assoc><item key='k'>".repeat(n - 1),
        "</item></dt_assoc>".repeat(n - 1)
    ))
}

#[test]
fn sixty_five_nested_dt_assoc_exceed_the_default_depth() {
    assert!(parse_str(&nested_assoc(64)).is_ok());
    let xml = nested_assoc(65);
    let e = err(&xml);
    assert_eq!(e.kind(), &K::TooDeep { max: 64 });
    assert_eq!(e.position().offset, nth(&xml, "<dt_assoc", 64));
    assert_eq!(e.path(), vec!["k"; 64].join("."));
}

#[test]
fn max_depth_is_configurable() {
    let opts = ParseOptions {
        max_depth: 2,
        ..ParseOptions::default()
    };
    assert!(opts.parse_str(&nested_assoc(2)).is_ok());
    let e = opts.parse_str(&nested_assoc(3)).unwrap_err();
    assert_eq!(e.kind(), &K::TooDeep { max: 2 });
    assert_eq!(
        e.to_string(),
        format!(
            "1:{}: dt_assoc/dt_array nesting deeper than the limit of 2 (at k.k)",
            nth(&nested_assoc(3), "<dt_assoc", 2) + 1
        )
    );
    let zero = ParseOptions {
        max_depth: 0,
        ..ParseOptions::default()
    };
    assert!(zero.parse_str(&env("<dt_scalar>a</dt_scalar>")).is_ok());
    assert_eq!(
        zero.parse_str(&env("<dt_array/>")).unwrap_err().kind(),
        &K::TooDeep { max: 0 }
    );
}

fn very_deep(n: usize) -> String {
    let mut s = String::with_capacity(n * 40);
    s.push_str(HEAD);
    for i in 0..n {
        if i % 2 == 0 {
            s.push_str("<dt_assoc><item key='k'>");
        } else {
            s.push_str("<dt_array><item key='0'>");
        }
    }
    s.push('v');
    for i in (0..n).rev() {
        if i % 2 == 0 {
            s.push_str("</item></dt_assoc>");
        } else {
            s.push_str("</item></dt_array>");
        }
    }
    s.push_str(TAIL);
    s
}

#[test]
fn hundred_thousand_deep_nesting_is_too_deep_quickly() {
    let xml = very_deep(100_000);
    let t = Instant::now();
    let e = err(&xml);
    assert_eq!(e.kind(), &K::TooDeep { max: 64 });
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[test]
fn hundred_thousand_deep_nesting_without_a_depth_limit_does_not_overflow() {
    // Run on a small stack: the parser must be iterative.
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let xml = very_deep(100_000);
            let opts = ParseOptions {
                max_depth: usize::MAX,
                ..ParseOptions::default()
            };
            let doc = opts.parse_str(&xml).expect("deep but well-formed");
            assert_eq!(doc.len(), 100_001);
            let mut n = doc.root();
            let mut depth = 0;
            while let Some(c) = n.iter().next() {
                n = c;
                depth += 1;
            }
            assert_eq!(depth, 100_000);
            assert_eq!(n.as_str(), Some("v"));
            assert_eq!(
                n.path().len(),
                "k".len() * 50_000 + "[0]".len() * 50_000 + 49_999
            );
            // Errors deep down build their path without recursion either.
            let cut = &xml[..xml.find(">v<").unwrap() + 1];
            let e = opts.parse_str(cut).unwrap_err();
            assert_eq!(e.kind(), &K::UnexpectedEof("inside an <item>"));
        })
        .unwrap();
    handle.join().expect("no stack overflow, no panic");
}

#[test]
fn unclosed_deep_nesting() {
    let xml = format!("{HEAD}{}", "<dt_array><item key='0'>".repeat(100_000));
    assert_eq!(err(&xml).kind(), &K::TooDeep { max: 64 });
    let xml = format!("{HEAD}{}", "<dt_assoc><item key='a'>".repeat(10));
    assert_eq!(err(&xml).kind(), &K::UnexpectedEof("inside an <item>"));
}

#[test]
fn max_len() {
    let xml = item_x("0123456789");
    let opts = ParseOptions {
        max_len: 100,
        ..ParseOptions::default()
    };
    let e = opts.parse(xml.as_bytes()).unwrap_err();
    assert_eq!(
        e.kind(),
        &K::TooLarge {
            len: xml.len(),
            max: 100
        }
    );
    assert_eq!(e, opts.parse_str(&xml).unwrap_err());
    assert_eq!(
        e.to_string(),
        format!(
            "1:101: input is {} bytes, more than the limit of 100",
            xml.len()
        )
    );
    // Checked before anything else, even before UTF-8.
    let mut bad = vec![0xFF; 200];
    bad.extend_from_slice(xml.as_bytes());
    assert!(matches!(
        opts.parse(&bad).unwrap_err().kind(),
        K::TooLarge { .. }
    ));
    // The default is at least 32 MiB.
    assert!(ParseOptions::default().max_len >= 32 << 20);
}

#[test]
fn max_nodes() {
    let items: String = (0..10)
        .map(|i| format!("<item key='{i}'>v</item>"))
        .collect();
    let xml = env(&format!("<dt_array>{items}</dt_array>"));
    let opts = ParseOptions {
        max_nodes: 10,
        ..ParseOptions::default()
    };
    let e = opts.parse_str(&xml).unwrap_err();
    assert_eq!(e.kind(), &K::TooManyNodes { max: 10 });
    assert_eq!(
        e.to_string().split(": ").nth(1),
        Some("more than the limit of 10 values (at [9])")
    );
    let opts = ParseOptions {
        max_nodes: 11,
        ..ParseOptions::default()
    };
    assert_eq!(opts.parse_str(&xml).unwrap().len(), 11);
}

#[test]
fn max_nodes_bounds_empty_items_too() {
    let items = "<item key='a'/>";
    let many: String = (0..1000).map(|i| format!("<item key='{i}'/>")).collect();
    let opts = ParseOptions {
        max_nodes: 100,
        ..ParseOptions::default()
    };
    assert!(
        opts.parse_str(&env(&format!("<dt_assoc>{items}</dt_assoc>")))
            .is_ok()
    );
    let e = opts
        .parse_str(&env(&format!("<dt_assoc>{many}</dt_assoc>")))
        .unwrap_err();
    assert_eq!(e.kind(), &K::TooManyNodes { max: 100 });
}

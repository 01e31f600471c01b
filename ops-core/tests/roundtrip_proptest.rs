//! Property tests of the writer and the parser together (issue 2, items 4
//! and 7): for every value v, parse(write(v)) == v and
//! write(parse(write(v))) == write(v), compact and pretty; and the writer
//! refuses what XML 1.0 cannot carry, naming where.

use opensrs_core::{
    Array, Assoc, IoSink, Item, OwnedDocument, OwnedHeader, Value, WriteErrorKind, Writer, parse,
    parse_str, write_document, write_value,
};
use proptest::prelude::*;
use proptest::test_runner::Config;

// ---- strategies -------------------------------------------------------------

fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Characters that break codecs, weighted towards markup and whitespace.
fn xml_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select(vec!['<', '&', '>', '"', '\'', ']', ';', '#', '[', '.']),
        3 => prop::sample::select(vec![' ', '\t', '\n', '\r']),
        4 => proptest::char::range('a', 'z'),
        2 => prop::sample::select(vec![
            '\u{e9}', '\u{2713}', '\u{1D11E}', '\u{1F600}', '\u{10FFFF}', '\u{10000}',
            '\u{85}', '\u{A0}', '\u{2028}', '\u{FEFF}', '\u{FFFD}', '\u{E000}', '\u{D7FF}', '\u{7F}',
        ]),
        1 => any::<char>().prop_filter("an XML 1.0 character", |&c| is_xml_char(c)),
    ]
}

/// Text full of `<&>"'`, `]]>`, whitespace and non-ASCII; often empty.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        2 => prop::sample::select(vec![
            " ", "  ", "\t", "\n", "\r", "\r\n", " \r\n\t ", "]]>", "]]", "<![CDATA[x]]>", "-->",
            "&amp;", "&#0;", "&lt;&gt;", "0", "\u{1F600}",
        ])
        .prop_map(str::to_owned),
        8 => prop::collection::vec(xml_char(), 0..12).prop_map(|v| v.into_iter().collect()),
    ]
}

fn class() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        6 => Just(None),
        1 => Just(Some("Some::Perl::Class".to_owned())),
        1 => text().prop_map(Some),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => text().prop_map(Value::Scalar),
        1 => text().prop_map(Value::ScalarRef),
    ]
}

fn assoc_of(items: Vec<(String, Option<String>, Value)>) -> Value {
    let mut a = Assoc::new();
    for (k, class, value) in items {
        a.insert_item(k, Item { class, value });
    }
    Value::Assoc(a)
}

fn array_of(items: Vec<(Option<String>, Value)>) -> Value {
    let mut a = Array::new();
    for (class, value) in items {
        a.push_item(Item { class, value });
    }
    Value::Array(a)
}

/// Trees up to eight levels deep, up to ten items per container.
fn tree() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(8, 64, 10, |inner| {
        prop_oneof![
            prop::collection::vec((text(), class(), inner.clone()), 0..10).prop_map(assoc_of),
            prop::collection::vec((class(), inner), 0..10).prop_map(array_of),
        ]
    })
}

/// A wide container: hundreds of items (the hashed duplicate check).
fn wide() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::collection::vec((text(), class(), leaf()), 17..200).prop_map(assoc_of),
        prop::collection::vec((class(), leaf()), 17..200).prop_map(array_of),
    ]
}

/// A chain of up to 40 containers around a small tree.
fn deep() -> impl Strategy<Value = Value> {
    let small = leaf().prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec((text(), class(), inner.clone()), 0..4).prop_map(assoc_of),
            prop::collection::vec((class(), inner), 0..4).prop_map(array_of),
        ]
    });
    (
        prop::collection::vec((any::<bool>(), text(), class()), 0..=40),
        small,
    )
        .prop_map(|(chain, bottom)| {
            let mut cur = bottom;
            for (is_assoc, key, class) in chain.into_iter().rev() {
                let item = Item { class, value: cur };
                cur = if is_assoc {
                    let mut a = Assoc::new();
                    a.insert_item(key, item);
                    Value::Assoc(a)
                } else {
                    let mut a = Array::new();
                    a.push_item(item);
                    Value::Array(a)
                };
            }
            cur
        })
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => tree(),
        1 => wide(),
        2 => deep(),
    ]
}

fn header() -> impl Strategy<Value = OwnedHeader> {
    (
        prop_oneof![3 => Just("0.9".to_owned()), 1 => text()],
        prop::option::of(text()),
        prop::option::of(text()),
    )
        .prop_map(|(version, msg_id, msg_type)| OwnedHeader {
            version,
            msg_id,
            msg_type,
        })
}

fn document() -> impl Strategy<Value = OwnedDocument> {
    (header(), value()).prop_map(|(header, value)| OwnedDocument { header, value })
}

// ---- helpers -------------------------------------------------------------

/// Equality that also checks the order of dt_assoc items, and classes
/// (`Value`'s own equality ignores item order, as the protocol does).
fn same_in_order(a: &Value, b: &Value) -> bool {
    let mut stack = vec![(a, b)];
    while let Some((a, b)) = stack.pop() {
        match (a, b) {
            (Value::Scalar(x), Value::Scalar(y)) | (Value::ScalarRef(x), Value::ScalarRef(y)) => {
                if x != y {
                    return false;
                }
            }
            (Value::Assoc(x), Value::Assoc(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                for ((kx, ix), (ky, iy)) in x.iter().zip(y.iter()) {
                    if kx != ky || ix.class != iy.class {
                        return false;
                    }
                    stack.push((&ix.value, &iy.value));
                }
            }
            (Value::Array(x), Value::Array(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                for (ix, iy) in x.iter().zip(y.iter()) {
                    if ix.class != iy.class {
                        return false;
                    }
                    stack.push((&ix.value, &iy.value));
                }
            }
            _ => return false,
        }
    }
    true
}

fn config() -> Config {
    Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    }
}

// ---- round trips -----------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn value_round_trips(v in value()) {
        let xml = write_value(&v).expect("a value of XML characters is writable");
        let doc = parse_str(&xml).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
        let back = doc.root().to_value();
        prop_assert_eq!(&back, &v);
        prop_assert!(same_in_order(&back, &v), "item order or class changed\n{}", xml);
        let again = write_value(&back).unwrap();
        prop_assert_eq!(again, xml);
    }

    #[test]
    fn document_round_trips_compact_and_pretty(d in document()) {
        let mut outputs = Vec::new();
        for pretty in [false, true] {
            let xml = write_document(&d, pretty).expect("writable");
            let doc = parse(xml.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
            let back = doc.to_owned_document();
            prop_assert_eq!(&back, &d);
            prop_assert!(same_in_order(&back.value, &d.value), "order changed\n{}", xml);
            let again = write_document(&back, pretty).unwrap();
            prop_assert_eq!(&again, &xml);
            outputs.push(xml);
        }
        // Pretty output differs from compact by formatting whitespace only.
        prop_assert!(outputs[0].len() <= outputs[1].len());
    }
}

proptest! {
    #![proptest_config(Config { cases: 64, ..config() })]

    #[test]
    fn streaming_into_io_write_gives_the_same_bytes(d in document()) {
        let s = write_document(&d, false).unwrap();
        let mut w = Writer::new(IoSink(Vec::new()));
        w.start_envelope(&d.header.as_header()).unwrap();
        w.value(&d.value).unwrap();
        let IoSink(bytes) = w.finish().unwrap();
        prop_assert_eq!(bytes, s.as_bytes());
        let mut w = Writer::new(Vec::new());
        w.start_envelope(&d.header.as_header()).unwrap();
        w.value(&d.value).unwrap();
        prop_assert_eq!(w.finish().unwrap(), s.as_bytes());
    }

    #[test]
    fn plain_written_text_is_borrowed_when_read_back(s in prop::collection::vec(proptest::char::range('a', 'z'), 0..20)) {
        // Plain text written and read back borrows from the output.
        let s: String = s.into_iter().collect();
        let v = Value::assoc([("k", Value::from(s.clone()))]);
        let xml = write_value(&v).unwrap();
        let doc = parse_str(&xml).unwrap();
        let n = doc.root().get("k").unwrap();
        prop_assert_eq!(n.as_str(), Some(s.as_str()));
        prop_assert!(!n.is_materialised());
    }
}

// ---- the writer refuses what XML cannot carry ------------------------------------

fn forbidden_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => (0u32..0x20)
            .prop_filter("not tab, LF or CR", |c| !matches!(c, 0x9 | 0xA | 0xD))
            .prop_map(|c| char::from_u32(c).unwrap()),
        1 => Just('\u{FFFE}'),
        1 => Just('\u{FFFF}'),
    ]
}

/// One step of the path down to the bad spot: a key in a dt_assoc (with
/// items before it), or the next index in a dt_array (after `n` elements).
#[derive(Clone, Debug)]
enum Seg {
    Key(String, Vec<(String, Value)>),
    Index(Vec<Value>),
}

fn seg() -> impl Strategy<Value = Seg> {
    prop_oneof![
        (text(), prop::collection::vec((text(), leaf()), 0..4)).prop_map(|(k, s)| Seg::Key(k, s)),
        prop::collection::vec(leaf(), 0..4).prop_map(Seg::Index),
    ]
}

/// Where the forbidden character goes.
#[derive(Clone, Copy, Debug)]
enum Spot {
    Scalar,
    ScalarRef,
    Key,
    Class,
}

fn spot() -> impl Strategy<Value = Spot> {
    prop::sample::select(vec![Spot::Scalar, Spot::ScalarRef, Spot::Key, Spot::Class])
}

fn poisoned(s: &str, at: usize, c: char) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let at = at % (chars.len() + 1);
    chars.insert(at, c);
    chars.into_iter().collect()
}

/// Builds the value and the key path the writer must report.
fn build(mut segs: Vec<Seg>, spot: Spot, bad: String) -> (Value, String) {
    let (leaf, class) = match spot {
        Spot::Scalar => (Value::Scalar(bad), None),
        Spot::ScalarRef => (Value::ScalarRef(bad), None),
        Spot::Key => {
            // The bad key names the innermost item.
            match segs.last_mut() {
                Some(Seg::Key(k, _)) => *k = bad,
                _ => segs.push(Seg::Key(bad, Vec::new())),
            }
            (Value::from("v"), None)
        }
        Spot::Class => {
            // The class goes on the innermost item.
            if segs.is_empty() {
                segs.push(Seg::Index(Vec::new()));
            }
            (Value::from("v"), Some(bad))
        }
    };
    // Keys joined by `.`, indices as `[i]`, as the parser writes paths:
    // each key quoted (controls escaped, cut to 64 characters).
    let mut path = String::new();
    for (i, s) in segs.iter().enumerate() {
        match s {
            Seg::Key(k, _) => {
                if i > 0 {
                    path.push('.');
                }
                path.push_str(&opensrs_core::__private::quote(k, 64));
            }
            Seg::Index(before) => path.push_str(&format!("[{}]", before.len())),
        }
    }
    let mut cur = leaf;
    let mut class = class;
    for s in segs.into_iter().rev() {
        let item = Item {
            class: class.take(),
            value: cur,
        };
        cur = match s {
            Seg::Key(k, siblings) => {
                let mut a = Assoc::new();
                for (sk, sv) in siblings {
                    if sk != k {
                        a.insert(sk, sv);
                    }
                }
                a.insert_item(k, item);
                Value::Assoc(a)
            }
            Seg::Index(before) => {
                let mut a: Array = before.into_iter().collect();
                a.push_item(item);
                Value::Array(a)
            }
        };
    }
    (cur, path)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn writer_refuses_forbidden_characters_with_their_path(
        segs in prop::collection::vec(seg(), 0..6),
        spot in spot(),
        base in text(),
        at in any::<usize>(),
        c in forbidden_char(),
    ) {
        let bad = poisoned(&base, at, c);
        let (v, path) = build(segs, spot, bad);
        let err = write_value(&v).expect_err("a forbidden character must be refused");
        prop_assert!(
            matches!(err.kind(), WriteErrorKind::ForbiddenChar(x) if *x == c as u32),
            "{:?}", err
        );
        prop_assert_eq!(err.path(), path.as_str());
        for pretty in [false, true] {
            let d = OwnedDocument::new(v.clone());
            let e = write_document(&d, pretty).expect_err("refused");
            prop_assert_eq!(e.path(), path.as_str());
        }
    }

    #[test]
    fn writer_refuses_forbidden_characters_in_the_header(
        field in 0..3usize,
        base in text(),
        at in any::<usize>(),
        c in forbidden_char(),
    ) {
        let bad = poisoned(&base, at, c);
        let mut h = OwnedHeader::default();
        let name = match field {
            0 => { h.version = bad; "version" }
            1 => { h.msg_id = Some(bad); "msg_id" }
            _ => { h.msg_type = Some(bad); "msg_type" }
        };
        let d = OwnedDocument { header: h, value: Value::from("v") };
        let err = write_document(&d, false).expect_err("refused");
        prop_assert!(matches!(err.kind(), WriteErrorKind::ForbiddenChar(x) if *x == c as u32));
        prop_assert_eq!(err.path(), name);
    }
}

// ---- fixed cases -----------------------------------------------------------

#[test]
fn forbidden_characters_are_refused_everywhere() {
    for c in (0u32..0x20)
        .filter(|c| !matches!(c, 0x9 | 0xA | 0xD))
        .chain([0xFFFE, 0xFFFF])
    {
        let c = char::from_u32(c).unwrap();
        let s = format!("a{c}b");
        for v in [
            Value::Scalar(s.clone()),
            Value::ScalarRef(s.clone()),
            Value::assoc([(s.as_str(), "v")]),
            Value::array([Value::Scalar(s.clone())]),
        ] {
            let e = write_value(&v).unwrap_err();
            assert!(
                matches!(e.kind(), WriteErrorKind::ForbiddenChar(x) if *x == c as u32),
                "{c:?}: {e}"
            );
        }
    }
}

#[test]
fn write_error_paths() {
    let bad = Value::from("\u{1}");
    let v = Value::assoc([(
        "attributes",
        Value::assoc([(
            "domain_list",
            Value::array([
                Value::assoc([("auth_info", "ok")]),
                Value::assoc([("domain", Value::from("x")), ("auth_info", bad.clone())]),
            ]),
        )]),
    )]);
    let e = write_value(&v).unwrap_err();
    assert_eq!(e.path(), "attributes.domain_list[1].auth_info");
    assert_eq!(
        e.to_string(),
        "character U+0001 cannot be written in XML 1.0 (at attributes.domain_list[1].auth_info)"
    );
    let v = Value::array([Value::array([Value::from("a"), bad.clone()])]);
    assert_eq!(write_value(&v).unwrap_err().path(), "[0][1]");
    let v = Value::array([Value::assoc([("k", bad.clone())])]);
    assert_eq!(write_value(&v).unwrap_err().path(), "[0].k");
    assert_eq!(write_value(&bad).unwrap_err().path(), "");
    // A key that looks like an index still gets its dot.
    let v = Value::assoc([("a", Value::assoc([("[0]", bad.clone())]))]);
    assert_eq!(write_value(&v).unwrap_err().path(), "a.[0]");
    // A bad key is named once, quoted as every path quotes keys: no raw
    // control reaches a terminal.
    let v = Value::assoc([("a", Value::assoc([("b\u{2}", "v")]))]);
    assert_eq!(write_value(&v).unwrap_err().path(), "a.b\\u{2}");
}

#[test]
fn known_hard_values_round_trip() {
    let tricky = [
        "",
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\n\r",
        " \r\n ",
        "]]>",
        "]]]]>>",
        "<![CDATA[",
        "&amp;",
        "&#13;",
        "<&>\"'",
        "\u{1F600}",
        "\u{FEFF}",
        "\u{85}\u{2028}",
        "a\u{10FFFF}b",
    ];
    for t in tricky {
        let mut a = Assoc::new();
        a.insert_item(
            t.to_owned(),
            Item {
                class: Some(t.to_owned()),
                value: Value::Scalar(t.to_owned()),
            },
        );
        a.insert_item(
            format!("{t}-ref"),
            Item::from(Value::ScalarRef(t.to_owned())),
        );
        let v = Value::Array(
            [Value::Assoc(a), Value::Scalar(t.to_owned())]
                .into_iter()
                .collect(),
        );
        let d = OwnedDocument {
            header: OwnedHeader {
                version: t.to_owned(),
                msg_id: Some(t.to_owned()),
                msg_type: Some(t.to_owned()),
            },
            value: v,
        };
        for pretty in [false, true] {
            let xml = write_document(&d, pretty).unwrap();
            let back = parse_str(&xml)
                .unwrap_or_else(|e| panic!("{t:?}: {e}\n{xml}"))
                .to_owned_document();
            assert_eq!(back, d, "{t:?}\n{xml}");
            assert!(same_in_order(&back.value, &d.value));
            assert_eq!(write_document(&back, pretty).unwrap(), xml);
        }
        // At the top, as dt_scalar and dt_scalarref.
        for v in [Value::Scalar(t.to_owned()), Value::ScalarRef(t.to_owned())] {
            let xml = write_value(&v).unwrap();
            assert_eq!(parse_str(&xml).unwrap().root().to_value(), v, "{xml}");
        }
    }
}

#[test]
fn deep_and_wide_values_round_trip() {
    // 60 levels: within the parser's default depth of 64.
    let mut v = Value::from("bottom");
    for i in 0..60 {
        v = if i % 2 == 0 {
            Value::assoc([(format!("k{i}"), v)])
        } else {
            Value::array([Value::from("x"), v])
        };
    }
    let xml = write_value(&v).unwrap();
    assert_eq!(parse_str(&xml).unwrap().root().to_value(), v);
    let wide: Value =
        Value::assoc((0..5000).map(|i| (format!("key{i}"), Value::from(format!("<{i}>")))));
    let xml = write_value(&wide).unwrap();
    let back = parse_str(&xml).unwrap().root().to_value();
    assert!(same_in_order(&back, &wide));
}

#[test]
fn assoc_equality_ignores_order_but_writing_does_not() {
    let a = Value::assoc([("x", "1"), ("y", "2")]);
    let b = Value::assoc([("y", "2"), ("x", "1")]);
    assert_eq!(a, b);
    assert!(!same_in_order(&a, &b));
    assert_ne!(write_value(&a).unwrap(), write_value(&b).unwrap());
}

#[test]
fn hundred_thousand_deep_owned_values_need_no_recursion() {
    // Building, writing, reading back and dropping: all iterative, on a
    // small stack. (Compared by their output: derived equality recurses.)
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(|| {
            let n = 100_000;
            let mut v = Value::from("bottom");
            for i in 0..n {
                v = if i % 2 == 0 {
                    Value::assoc([("k", v)])
                } else {
                    Value::array([v])
                };
            }
            let xml = write_value(&v).unwrap();
            let opts = opensrs_core::ParseOptions {
                max_depth: usize::MAX,
                ..opensrs_core::ParseOptions::default()
            };
            let doc = opts.parse_str(&xml).unwrap();
            let back = doc.root().to_value();
            assert_eq!(write_value(&back).unwrap(), xml);
            drop(back);
            drop(v);
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
}

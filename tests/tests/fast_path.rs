//! The parser's fast path (issue 19) against quick-xml alone: every input
//! here is parsed both ways (`parse` and
//! `__private::parse_without_fast_path`), under the default limits and
//! under tight ones, through the differential fuzz target's own check
//! (`parse_both_ways` in `fuzz/checks.rs`), and the two must agree exactly: the same document
//! (header, values, keys, classes, which texts are borrowed, positions and
//! paths of every node) or the same error (kind, message, position, path).
//! A table of crafted inputs aims at each place where a byte tokenizer and
//! a quick-xml reader started mid-document could cut the input differently;
//! a proptest builds random envelopes from canonical and odd fragments.
//! Some results are also checked against known values, so that the suite
//! fails if both paths went wrong the same way.

use opensrs_core::__private::parse_without_fast_path;
use opensrs_core::{Document, OwnedDocument, ParseError, ParseErrorKind as K, ParseOptions, Value};

#[path = "../../fuzz/checks.rs"]
mod checks;

const HEAD: &str = "<OPS_envelope><header><version>0.9</version></header><body><data_block>";
const TAIL: &str = "</data_block></body></OPS_envelope>";

/// An envelope around `data`, the content of `data_block`.
fn env(data: &str) -> String {
    format!("{HEAD}{data}{TAIL}")
}

/// An envelope whose data_block is a dt_assoc holding `items`.
fn assoc(items: &str) -> String {
    env(&format!("<dt_assoc>{items}</dt_assoc>"))
}

/// An envelope whose data_block is a dt_assoc with one item `x` holding `inner`.
fn item_x(inner: &str) -> String {
    assoc(&format!(r#"<item key="x">{inner}</item>"#))
}

/// The option sets every input is parsed under: the defaults, and limits
/// tight enough that depth and node counts trip part-way.
fn option_sets() -> [ParseOptions; 4] {
    let d = ParseOptions::default();
    [
        d,
        ParseOptions {
            max_depth: 3,
            max_nodes: 24,
            ..d
        },
        ParseOptions {
            max_depth: 1,
            max_nodes: 2,
            ..d
        },
        ParseOptions {
            max_depth: 0,
            max_nodes: 0,
            ..d
        },
    ]
}

/// Parses `input` both ways under every option set and asserts agreement
/// (the differential fuzz target's check). Returns the result under the
/// default options, for concrete checks.
fn agree(input: &[u8]) -> Result<OwnedDocument, ParseError> {
    checks::parse_both_ways(input, &option_sets())
}

#[path = "fast_path/random.rs"]
mod random;
#[path = "fast_path/table.rs"]
mod table;

use table::table;

#[test]
fn every_crafted_input_parses_the_same_both_ways() {
    let table = table();
    assert!(table.len() >= 60, "{} inputs", table.len());
    let failed: Vec<&str> = table
        .iter()
        .filter(|(_, input)| std::panic::catch_unwind(|| agree(input)).is_err())
        .map(|(intent, _)| *intent)
        .collect();
    assert!(
        failed.is_empty(),
        "disagreement on:\n  {}",
        failed.join("\n  ")
    );
}

// ---- concrete results: both paths right, not merely alike --------------

fn value_of(xml: &str) -> OwnedDocument {
    agree(xml.as_bytes()).unwrap_or_else(|e| panic!("must parse: {e}\n{xml}"))
}

fn error_of(xml: &[u8]) -> ParseError {
    match agree(xml) {
        Ok(d) => panic!("must not parse: {d:?}"),
        Err(e) => e,
    }
}

fn fast_doc(xml: &str) -> Document<'_> {
    opensrs_core::parse(xml.as_bytes()).expect("parses")
}

#[test]
fn references_and_line_ends_decode_to_the_right_text() {
    let xml = item_x("&amp;&lt;&gt;&quot;&apos;&#65;&#x42;");
    let doc = fast_doc(&xml);
    let x = doc.root().get("x").unwrap();
    assert_eq!(x.as_str(), Some("&<>\"'AB"));
    assert!(x.is_materialised());
    value_of(&xml);

    let xml = item_x("a\r\nb\rc");
    assert_eq!(
        fast_doc(&xml).root().get("x").unwrap().as_str(),
        Some("a\nb\nc")
    );

    let xml = item_x("plain");
    let doc = fast_doc(&xml);
    let x = doc.root().get("x").unwrap();
    assert_eq!(x.as_str(), Some("plain"));
    assert!(!x.is_materialised(), "one plain piece is borrowed");

    let xml = item_x("a<!--c-->b<![CDATA[<c>]]>");
    assert_eq!(
        fast_doc(&xml).root().get("x").unwrap().as_str(),
        Some("ab<c>")
    );
}

#[test]
fn keys_in_every_form_read_right() {
    let xml = assoc(concat!(
        "<item key='a'>1</item>",
        "<item\tkey=\"b\"\r\n>2</item>",
        "<item key=\"c>d\">3</item>",
        "<item key=\"e\tf\">4</item>",
        "<item key=\"g&amp;h\" class=\"k\">5</item>",
        "<item key=\"i\" />",
        "<item key='j\"'/>",
    ));
    value_of(&xml);
    let doc = fast_doc(&xml);
    let keys: Vec<_> = doc.root().iter().map(|n| n.key()).collect();
    assert_eq!(keys, ["a", "b", "c>d", "e f", "g&h", "i", "j\""]);
    let texts: Vec<_> = doc.root().iter().map(|n| n.as_str().unwrap()).collect();
    assert_eq!(texts, ["1", "2", "3", "4", "5", "", ""]);
    assert_eq!(doc.root().get("g&h").unwrap().class(), Some("k"));
    // Each value sits where its <item> starts.
    let b = doc.root().get("b").unwrap().position();
    assert_eq!(b.offset, xml.find("<item\tkey").unwrap());
}

#[test]
fn end_tags_with_trailing_whitespace_close_the_element() {
    let xml = assoc("<item key=\"a\">1</item ><item key=\"b\">2</item\n>");
    let doc = value_of(&xml);
    assert_eq!(
        doc.value,
        Value::assoc([("a", Value::from("1")), ("b", Value::from("2"))])
    );
}

#[test]
fn errors_name_the_right_place_and_words() {
    // An unknown entity: at the `&`, after multi-byte text (columns count
    // characters, not bytes).
    let xml = item_x("é€𝄞&bogus;");
    let e = error_of(xml.as_bytes());
    assert_eq!(e.kind(), &K::UnknownEntity("bogus".into()));
    let at = xml.find('&').unwrap();
    assert_eq!(e.position().offset, at);
    assert_eq!(e.position().line, 1);
    assert_eq!(e.position().column as usize, xml[..at].chars().count() + 1);
    assert_eq!(e.path(), "x");
    assert_eq!(
        e.to_string(),
        format!(
            "1:{}: unknown entity `&bogus;` (only &lt; &gt; &amp; &apos; &quot; are allowed) (at x)",
            xml[..at].chars().count() + 1
        )
    );

    // A lone CR ends a line.
    let xml = item_x("a\rb&bogus;");
    let e = error_of(xml.as_bytes());
    assert_eq!((e.position().line, e.position().column), (2, 2));

    // A mismatched end tag.
    let xml = env("<dt_assoc></dt_array>");
    let e = error_of(xml.as_bytes());
    assert_eq!(
        e.kind(),
        &K::Syntax("end tag </dt_array> does not match the open <dt_assoc>".into())
    );
    assert_eq!(e.position().offset, xml.find("</dt_array>").unwrap());

    // An end tag with no start tag: quick-xml's words.
    let e = error_of(b"</OPS_envelope>");
    assert!(
        matches!(e.kind(), K::Syntax(m) if m.contains("OPS_envelope")),
        "{e}"
    );
    assert_eq!(e.position().offset, 0);

    // A bare `&`: at the `&`, not where the text began.
    let xml = item_x("a & b");
    let e = error_of(xml.as_bytes());
    assert_eq!(e.kind(), &K::BareAmpersand);
    assert_eq!(e.position().offset, xml.find('&').unwrap());

    // An invalid array index names the item.
    let xml = env("<dt_array><item key=\"x\">a</item></dt_array>");
    let e = error_of(xml.as_bytes());
    assert_eq!(e.kind(), &K::InvalidIndex("x".into()));
    assert_eq!(e.position().offset, xml.find("<item").unwrap());

    // `]]>` in text: at the `]`.
    let xml = item_x("a]]>b");
    let e = error_of(xml.as_bytes());
    assert_eq!(e.kind(), &K::Syntax("`]]>` in text".into()));
    assert_eq!(e.position().offset, xml.find("]]>").unwrap());

    // Unexpected text between items.
    let xml = assoc("x<item key=\"a\">1</item>");
    let e = error_of(xml.as_bytes());
    assert_eq!(
        e.kind(),
        &K::UnexpectedText("a dt_assoc/dt_array (only <item> may appear)")
    );
    assert_eq!(e.position().offset, xml.find('x').unwrap());

    // A key attribute on a container.
    let xml = env("<dt_assoc key=\"a\"></dt_assoc>");
    let e = error_of(xml.as_bytes());
    assert_eq!(
        e.kind(),
        &K::UnexpectedAttribute {
            element: "dt_assoc",
            attribute: "key".into()
        }
    );

    // The end of input inside an item: at the end.
    let xml = format!("{HEAD}<dt_assoc><item key=\"a\">text");
    let e = error_of(xml.as_bytes());
    assert_eq!(e.kind(), &K::UnexpectedEof("inside an <item>"));
    assert_eq!(e.position().offset, xml.len());
    assert_eq!(e.path(), "a");
}

#[test]
fn errors_inside_secrets_quote_nothing() {
    let xml = assoc("<item key=\"auth_info\">se&cret;</item>");
    let e = error_of(xml.as_bytes());
    assert_eq!(e.path(), "auth_info");
    assert!(!e.to_string().contains("cret"), "{e}");

    let xml = assoc("<item key=\"auth_info\"><dt_array><item key=\"s3cret\"/></dt_array></item>");
    let e = error_of(xml.as_bytes());
    // The message quotes nothing; the path keeps its keys, as documented.
    assert_eq!(e.kind(), &K::InvalidIndex("[redacted]".into()));
    assert_eq!(e.path(), "auth_info[s3cret]");
}

#[test]
fn limits_trip_at_the_same_element() {
    let opts = ParseOptions {
        max_depth: 1,
        ..ParseOptions::default()
    };
    let xml = env("<dt_assoc><item key=\"a\"><dt_assoc/></item></dt_assoc>");
    let e = opts.parse(xml.as_bytes()).unwrap_err();
    assert_eq!(e.kind(), &K::TooDeep { max: 1 });
    assert_eq!(e.position().offset, xml.find("<dt_assoc/>").unwrap());
    assert_eq!(e.path(), "a");
    assert_eq!(
        parse_without_fast_path(&opts, xml.as_bytes()).unwrap_err(),
        e
    );

    let opts = ParseOptions {
        max_nodes: 2,
        ..ParseOptions::default()
    };
    let xml = assoc("<item key=\"a\">1</item><item key=\"b\">2</item>");
    let e = opts.parse(xml.as_bytes()).unwrap_err();
    assert_eq!(e.kind(), &K::TooManyNodes { max: 2 });
    // The third value is the second item, refused at its end tag.
    assert_eq!(e.position().offset, xml.rfind("</item>").unwrap());
    assert_eq!(e.path(), "b");
    assert_eq!(
        parse_without_fast_path(&opts, xml.as_bytes()).unwrap_err(),
        e
    );

    let opts = ParseOptions {
        max_len: 10,
        ..ParseOptions::default()
    };
    let xml = assoc("");
    let e = opts.parse(xml.as_bytes()).unwrap_err();
    assert!(matches!(e.kind(), K::TooLarge { max: 10, .. }), "{e}");
    assert_eq!(
        parse_without_fast_path(&opts, xml.as_bytes()).unwrap_err(),
        e
    );
}

// ---- random envelopes --------------------------------------------------

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
use proptest::prelude::*;
use proptest::test_runner::Config;

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

/// The crafted inputs, each with one line of intent.
fn table() -> Vec<(&'static str, Vec<u8>)> {
    let s = |x: String| x.into_bytes();
    let canonical = assoc(r#"<item key="a">1</item><item key="b">2</item>"#);
    vec![
        // ---- prolog, BOM, declaration, DOCTYPE ----
        ("canonical items", s(canonical.clone())),
        (
            "a BOM then the envelope: the fast path starts after it",
            s(format!("\u{FEFF}{canonical}")),
        ),
        (
            "a BOM then a declaration: declaration at base",
            s(format!("\u{FEFF}<?xml version=\"1.0\"?>{canonical}")),
        ),
        (
            "two BOMs: the second is text in the prolog",
            s(format!("\u{FEFF}\u{FEFF}{canonical}")),
        ),
        (
            "a BOM then space then a declaration: misplaced",
            s(format!("\u{FEFF} <?xml version=\"1.0\"?>{canonical}")),
        ),
        (
            "space then a declaration: misplaced",
            s(format!(" <?xml version=\"1.0\"?>{canonical}")),
        ),
        (
            "a comment then a declaration: misplaced",
            s(format!("<!--c--><?xml version=\"1.0\"?>{canonical}")),
        ),
        (
            "`<?XML`: the declaration in the wrong case",
            s(format!("<?XML version=\"1.0\"?>{canonical}")),
        ),
        (
            "a declaration inside the envelope",
            s(item_x("<?xml version=\"1.0\"?>v")),
        ),
        (
            "DOCTYPE before the root",
            s(format!(
                "<!DOCTYPE OPS_envelope SYSTEM \"ops.dtd\">\n{canonical}"
            )),
        ),
        (
            "DOCTYPE inside the root",
            s(item_x("<!DOCTYPE OPS_envelope>")),
        ),
        (
            "lower-case doctype",
            s(format!("<!doctype OPS_envelope>{canonical}")),
        ),
        (
            "`<!DOCTYPE>` with no name",
            s(format!("<!DOCTYPE>{canonical}")),
        ),
        (
            "DOCTYPE with an internal subset",
            s(format!(
                "<!DOCTYPE OPS_envelope [<!ENTITY e \"x\">]>{canonical}"
            )),
        ),
        (
            "a PI before the root, then fast tags",
            s(format!("<?pi data?>{canonical}")),
        ),
        (
            "U+FEFF as text in the prolog, no BOM",
            s(format!(" \u{FEFF}{canonical}")),
        ),
        ("text before the root", s(format!("x{canonical}"))),
        ("empty input", Vec::new()),
        ("a BOM alone", "\u{FEFF}".as_bytes().to_vec()),
        ("only whitespace", b" \t\r\n".to_vec()),
        // ---- start tags ----
        ("single-quoted key", s(assoc("<item key='a'>1</item>"))),
        (
            "tab, CR and LF around the key",
            s(assoc(
                "<item\tkey=\"a\"\r\n>1</item><item\nkey='b' \t>2</item>",
            )),
        ),
        (
            "empty item with a key, both spellings",
            s(assoc("<item key=\"a\"/><item key=\"b\" />")),
        ),
        ("`>` inside a key", s(assoc("<item key=\"a>b\">1</item>"))),
        ("`/>` inside a key", s(assoc("<item key=\"a/>\">1</item>"))),
        (
            "a key then a class",
            s(assoc("<item key=\"a\" class=\"c\">1</item>")),
        ),
        (
            "a class then a key",
            s(assoc("<item class=\"c\" key=\"a\">1</item>")),
        ),
        (
            "a `\"` inside a single-quoted key",
            s(assoc("<item key='a\"b'>1</item>")),
        ),
        (
            "a reference in a key",
            s(assoc("<item key=\"a&amp;b\">1</item>")),
        ),
        (
            "a tab in a key (normalised to a space)",
            s(assoc("<item key=\"a\tb\">1</item>")),
        ),
        ("CR LF in a key", s(assoc("<item key=\"a\r\nb\">1</item>"))),
        ("spaces around `=`", s(assoc("<item key = \"a\">1</item>"))),
        (
            "attributes not separated",
            s(assoc("<item key=\"a\"class=\"c\">1</item>")),
        ),
        ("`/ >` at the end of a tag", s(assoc("<item key=\"a\"/ >"))),
        ("an item without a key", s(assoc("<item>1</item>"))),
        ("an empty tag item without a key", s(assoc("<item/>"))),
        ("an empty key", s(assoc("<item key=\"\">1</item>"))),
        (
            "a key with an unknown entity",
            s(assoc("<item key=\"a&bogus;\">1</item>")),
        ),
        (
            "a key with a bare `&`",
            s(assoc("<item key=\"a&b\">1</item>")),
        ),
        ("a key with `<`", s(assoc("<item key=\"a<b\">1</item>"))),
        ("an unquoted key", s(assoc("<item key=a>1</item>"))),
        (
            "a key lacking its closing quote before `>`",
            s(assoc("<item key=\"a>1</item>")),
        ),
        (
            "duplicate key attributes",
            s(assoc("<item key=\"a\" key=\"b\">1</item>")),
        ),
        ("`key` in upper case", s(assoc("<item KEY=\"a\">1</item>"))),
        (
            "whitespace after `<`",
            s(assoc("< item key=\"a\">1</item>")),
        ),
        (
            "a non-ASCII byte in the name",
            s(assoc("<itemé key=\"a\">1</itemé>")),
        ),
        (
            "`<` right after the name",
            s(assoc("<item<dt_scalar>1</item>")),
        ),
        ("`<` after the key", s(assoc("<item key=\"a\"<x>1</item>"))),
        (
            "a container tag with a trailing space",
            s(env("<dt_assoc ><item key=\"a\">1</item></dt_assoc >")),
        ),
        (
            "empty containers",
            s(env(
                "<dt_assoc><item key=\"a\"><dt_assoc/></item><item key=\"b\"><dt_array /></item></dt_assoc>",
            )),
        ),
        (
            "a key attribute on a container",
            s(env("<dt_assoc key=\"a\"></dt_assoc>")),
        ),
        (
            "a key attribute on a dt_scalar",
            s(item_x("<dt_scalar key='k'/>")),
        ),
        (
            "a key attribute on the root",
            s(format!(
                "<OPS_envelope key=\"a\"><header><version>0.9</version></header><body><data_block><dt_scalar/>{TAIL}"
            )),
        ),
        (
            "a key attribute on version",
            s(format!(
                "<OPS_envelope><header><version key=\"v\">0.9</version></header><body><data_block><dt_scalar/>{TAIL}"
            )),
        ),
        (
            "an item directly in data_block",
            s(env("<item key=\"a\">1</item>")),
        ),
        ("an item in an item", s(item_x("<item key=\"y\">1</item>"))),
        (
            "an item in a dt_scalar",
            s(item_x("<dt_scalar><item key=\"y\"/></dt_scalar>")),
        ),
        (
            "colon, dash, dot, digit names",
            s(assoc("<a:b></a:b><-x/><.y/><1/>")),
        ),
        ("a name with `/` inside", s(assoc("<a/b>"))),
        // ---- end tags ----
        (
            "`</item >`: trailing space in an end tag",
            s(assoc(
                "<item key=\"a\">1</item ><item key=\"b\">2</item\r\n>",
            )),
        ),
        (
            "`</ item>`: space after `</`",
            s(assoc("<item key=\"a\">1</ item>")),
        ),
        ("`</>`: an empty end tag", s(assoc("<item key=\"a\">1</>"))),
        ("`</item/>`", s(assoc("<item key=\"a\">1</item/>"))),
        (
            "an attribute with `>` in an end tag",
            s(assoc("<item key=\"a\">1</item a=\">\">")),
        ),
        ("a mismatched end tag", s(env("<dt_assoc></dt_array>"))),
        (
            "an end tag in the wrong case",
            s(assoc("<item key=\"a\">1</ITEM>")),
        ),
        ("an end tag with no start tag", b"</OPS_envelope>".to_vec()),
        (
            "an extra end tag after the root",
            s(format!("{canonical}</OPS_envelope>")),
        ),
        ("an element after the root", s(format!("{canonical}<x/>"))),
        (
            "an end tag split by the end of input",
            s(format!("{HEAD}<dt_scalar>v</dt_scal")),
        ),
        ("`<` at the end of input", s(format!("{HEAD}<dt_scalar>v<"))),
        (
            "a start tag cut after its key",
            s(format!("{HEAD}<dt_assoc><item key=\"a\"")),
        ),
        (
            "a start tag cut after a space",
            s(format!("{HEAD}<dt_assoc><item ")),
        ),
        (
            "the input ends inside an item",
            s(format!("{HEAD}<dt_assoc><item key=\"a\">text")),
        ),
        (
            "the input ends before the envelope closes",
            s(format!("{HEAD}<dt_scalar>v</dt_scalar>")),
        ),
        // ---- references ----
        (
            "the five references",
            s(item_x("&amp;&lt;&gt;&quot;&apos;")),
        ),
        ("character references", s(item_x("&#65;&#x42;&#x00043;"))),
        (
            "leading zeros in a character reference",
            s(item_x("&#0000000000065;")),
        ),
        ("`&#0;`: a forbidden character", s(item_x("a&#0;"))),
        ("`&#x110000;`: out of range", s(item_x("&#x110000;"))),
        ("a surrogate reference", s(item_x("&#xD800;"))),
        ("`&#xZZ;`: malformed", s(item_x("&#xZZ;"))),
        ("`&#;`: no digits", s(item_x("&#;"))),
        ("`&nbsp;`: unknown entity", s(item_x("a&nbsp;b"))),
        ("`&;`: empty reference", s(item_x("a&;b"))),
        ("`& b;`: a reference named ` b`", s(item_x("a & b;"))),
        ("a bare `&` before markup", s(item_x("a & b"))),
        ("`&amp` then `<`", s(item_x("&amp<dt_scalar/>"))),
        ("`&a&b;`: an `&` before the `;`", s(item_x("&a&b;"))),
        (
            "`&amp` at the end of input",
            s(format!("{HEAD}<dt_scalar>&amp")),
        ),
        ("`&` at the end of input", s(format!("{HEAD}<dt_scalar>&"))),
        (
            "a reference between elements",
            s(env("<dt_assoc>&amp;</dt_assoc>")),
        ),
        ("a reference in the prolog", s(format!("&amp;{canonical}"))),
        ("a reference after the root", s(format!("{canonical}&amp;"))),
        (
            "a reference beside a container",
            s(item_x("<dt_scalar>v</dt_scalar>&amp;")),
        ),
        (
            "a reference in the header",
            s(format!(
                "<OPS_envelope><header><version>0.&#57;</version></header><body><data_block><dt_scalar/>{TAIL}"
            )),
        ),
        ("a reference with a multi-byte name", s(item_x("&é;"))),
        // ---- text ----
        ("plain text is borrowed", s(item_x("plain"))),
        ("CR LF in text", s(item_x("a\r\nb"))),
        ("a lone CR in text", s(item_x("a\rb"))),
        ("CR LF split by a reference", s(item_x("a\r&amp;\nb"))),
        ("U+FEFF in item text", s(item_x("\u{FEFF}v"))),
        (
            "U+FEFF first in a dt_scalar",
            s(item_x("<dt_scalar>\u{FEFF}</dt_scalar>")),
        ),
        (
            "U+FEFF between items",
            s(assoc(
                "<item key=\"a\">1</item>\u{FEFF}<item key=\"b\">2</item>",
            )),
        ),
        ("U+FEFF after a reference", s(item_x("&amp;\u{FEFF}"))),
        ("U+FEFF after a comment", s(item_x("<!--c-->\u{FEFF}"))),
        ("`]]>` in text", s(item_x("a]]>b"))),
        ("`]]` then `&gt;`", s(item_x("a]]&gt;b"))),
        ("`]]` then CDATA `>`", s(item_x("]]<![CDATA[>]]>"))),
        ("CDATA `]]` then text `>`", s(item_x("<![CDATA[]]]]>>"))),
        ("CDATA between texts", s(item_x("a<![CDATA[<b>&amp;]]>c"))),
        (
            "an empty CDATA beside a container",
            s(item_x("<![CDATA[]]><dt_scalar>v</dt_scalar><![CDATA[]]>")),
        ),
        (
            "a CDATA with text beside a container",
            s(item_x("<![CDATA[x]]><dt_scalar>v</dt_scalar>")),
        ),
        ("a comment inside text", s(item_x("a<!--c-->b"))),
        ("`--` inside a comment", s(item_x("a<!-- x -- y -->b"))),
        (
            "an unclosed comment",
            s(format!("{HEAD}<dt_scalar>a<!-- x")),
        ),
        ("a PI inside text", s(item_x("a<?pi x?>b"))),
        ("a PI with a bad target", s(item_x("a<?1pi x?>b"))),
        (
            "text between elements",
            s(assoc("x<item key=\"a\">1</item>")),
        ),
        (
            "text after a value in an item",
            s(item_x("<dt_scalar>v</dt_scalar>x")),
        ),
        (
            "text before a value in an item",
            s(item_x("x<dt_scalar>v</dt_scalar>")),
        ),
        (
            "whitespace around a value in an item",
            s(item_x(" \r\n\t<dt_scalar>v</dt_scalar>\n ")),
        ),
        (
            "two values in an item",
            s(item_x("<dt_scalar>v</dt_scalar><dt_scalar>w</dt_scalar>")),
        ),
        ("trailing text after the root", s(format!("{canonical}x"))),
        (
            "trailing whitespace after the root",
            s(format!("{canonical} \r\n")),
        ),
        (
            "multi-byte text then an error: columns count characters",
            s(item_x("é€𝄞&bogus;")),
        ),
        (
            "multi-byte text on a second line then an error",
            s(item_x("é\r\n€𝄞<dt_scalar/>")),
        ),
        (
            "a lone CR as a line end before an error",
            s(item_x("a\rb&bogus;")),
        ),
        // ---- arrays, keys, limits ----
        (
            "an array in document order",
            s(env(
                "<dt_array><item key=\"1\">b</item><item key='0'>a</item></dt_array>",
            )),
        ),
        (
            "an array index with a leading zero",
            s(env("<dt_array><item key=\"00\">a</item></dt_array>")),
        ),
        (
            "a non-numeric array index",
            s(env("<dt_array><item key=\"x\">a</item></dt_array>")),
        ),
        (
            "an array index too large",
            s(env(
                "<dt_array><item key=\"4294967296\">a</item></dt_array>",
            )),
        ),
        (
            "a gap in an array",
            s(env("<dt_array><item key=\"1\">a</item></dt_array>")),
        ),
        (
            "a duplicate array index",
            s(env(
                "<dt_array><item key=\"0\">a</item><item key=\"0\"/></dt_array>",
            )),
        ),
        (
            "a duplicate key",
            s(assoc("<item key=\"a\">1</item><item key='a'>2</item>")),
        ),
        (
            "nesting deeper than the tight limit",
            s(env(
                "<dt_assoc><item key=\"a\"><dt_assoc><item key=\"b\"><dt_array><item key=\"0\"><dt_assoc><item key=\"c\">1</item></dt_assoc></item></dt_array></item></dt_assoc></item></dt_assoc>",
            )),
        ),
        (
            "more nodes than the tight limit",
            s(assoc(
                &(0..30)
                    .map(|i| format!("<item key=\"k{i}\">{i}</item>"))
                    .collect::<String>(),
            )),
        ),
        (
            "empty items at the node limit",
            s(assoc(
                &(0..30)
                    .map(|i| format!("<item key=\"k{i}\"/>"))
                    .collect::<String>(),
            )),
        ),
        (
            "a dt_scalar at the node limit",
            s(env("<dt_scalar>v</dt_scalar>")),
        ),
        (
            "the header fields",
            s(format!(
                "<OPS_envelope><header><version>0.9</version><msg_id>1</msg_id><msg_type>a&amp;b</msg_type></header><body><data_block><dt_scalar/>{TAIL}"
            )),
        ),
        (
            "a duplicate header field",
            s(format!(
                "<OPS_envelope><header><version>0.9</version><version>1</version></header><body><data_block><dt_scalar/>{TAIL}"
            )),
        ),
        (
            "a missing version",
            s(format!(
                "<OPS_envelope><header></header><body><data_block><dt_scalar/>{TAIL}"
            )),
        ),
        // ---- secrets: errors inside them are redacted ----
        (
            "an unknown entity in auth_info",
            s(assoc("<item key=\"auth_info\">se&cret;</item>")),
        ),
        (
            "a forbidden reference in a password",
            s(assoc(
                "<item key=\"password\"><dt_scalar>&#1;</dt_scalar></item>",
            )),
        ),
        (
            "a bad element inside a secret",
            s(assoc("<item key=\"reseller_key\"><secretname/></item>")),
        ),
        (
            "a bad key under a secret",
            s(assoc(
                "<item key=\"auth_info\"><dt_array><item key=\"s3cret\"/></dt_array></item>",
            )),
        ),
        // ---- errors found by a scan before parsing: path of the prefix ----
        ("a control character in an item", s(item_x("a\u{1}b"))),
        (
            "a control character inside a start tag",
            s(assoc("<item key=\"a\u{1}\">1</item>")),
        ),
        (
            "a control character in a reference",
            s(item_x("&am\u{1}p;")),
        ),
        (
            "U+FFFE in a secret",
            s(assoc("<item key=\"auth_info\">a\u{FFFE}</item>")),
        ),
        ("invalid UTF-8 in an item", {
            let mut v = item_x("ab").into_bytes();
            let at = v.windows(2).position(|w| w == b"ab").unwrap() + 1;
            v[at] = 0xFF;
            v
        }),
        ("a UTF-16 BOM", vec![0xFF, 0xFE, b'<', 0]),
    ]
}

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

/// Pieces of an item's content or of a container's items: canonical ones,
/// and odd ones that send the fast path to quick-xml, or are errors.
const ITEM_FRAGMENTS: &[&str] = &[
    "<item key=\"a\">1</item>",
    "<item key='b'>two</item>",
    "<item key=\"c\"/>",
    "<item key=\"d\" />",
    "<item\tkey=\"e\"\r\n>x</item>",
    "<item key=\"f\"><dt_scalar>s</dt_scalar></item>",
    "<item key=\"g\"><dt_assoc><item key=\"h\">v</item></dt_assoc></item>",
    "<item key=\"i\"><dt_array><item key=\"0\">z</item></dt_array></item>",
    "<item key=\"j\" class=\"c\">q</item>",
    "<item key=\"k>l\">w</item>",
    "<item key=\"m&amp;\">&lt;</item>",
    "<item key=\"n\">a&#65;b</item >",
    "<item key=\"o\">a\r\nb</item>",
    "<item key=\"p\"><![CDATA[x]]>y</item>",
    "<item key=\"q\">x<!--c-->y</item>",
    "<item key=\"r\"><?pi?>\u{FEFF}</item>",
    "<item key=\"auth_info\">s&e;</item>",
    "<item key=\"s\">é€𝄞</item>",
    "\n  ",
    "<!-- between -->",
    "<item>nokey</item>",
    "<item key=\"a\">dup</item>",
    "</item>",
    "&amp;",
    "x",
    "<item key=\"t\">&bad</item>",
    "<item key=\"u\">]]></item>",
    "< item key=\"v\"/>",
    "<item key=\"w\"</item>",
];

/// Contents of a dt_array element, canonical and odd.
const VALUE_FRAGMENTS: &[&str] = &[
    "v",
    "",
    "<dt_scalar>s</dt_scalar>",
    "<dt_scalarref>r</dt_scalarref>",
    "<dt_assoc/>",
    "<dt_array></dt_array>",
    "<dt_assoc><item key=\"k\">&#x263A;</item></dt_assoc>",
    " <dt_scalar>&quot;</dt_scalar> ",
    "a\r\nb",
    "<![CDATA[c]]>",
    "&gt;&lt;",
];

fn envelope() -> impl Strategy<Value = String> {
    let items = prop::collection::vec(prop::sample::select(ITEM_FRAGMENTS), 0..8);
    let values = prop::collection::vec(prop::sample::select(VALUE_FRAGMENTS), 0..6);
    (items, values, 0u8..3, prop::bool::ANY, prop::bool::ANY).prop_map(
        |(items, values, shape, bom, decl)| {
            let mut s = String::new();
            if bom {
                s.push('\u{FEFF}');
            }
            if decl {
                s.push_str("<?xml version=\"1.0\"?>\n");
            }
            let array: String = values
                .iter()
                .enumerate()
                .rev()
                .map(|(i, v)| format!("<item key=\"{i}\">{v}</item>"))
                .collect();
            s.push_str(&match shape {
                0 => assoc(&items.concat()),
                1 => env(&format!("<dt_array>{array}</dt_array>")),
                _ => assoc(&format!(
                    "{}<item key=\"arr\"><dt_array>{array}</dt_array></item>",
                    items.concat()
                )),
            });
            s
        },
    )
}

/// Pieces that change how XML is cut into events, spliced into envelopes.
const SPLICES: &[&str] = &[
    "<",
    ">",
    "&",
    ";",
    "/",
    "\"",
    "'",
    "=",
    " ",
    "\t",
    "\r",
    "\n",
    "!",
    "?",
    "-",
    "]",
    "#",
    "x",
    "\u{FEFF}",
    "é",
    "𝄞",
    "\u{1}",
    "&amp;",
    "&#x41;",
    "<!---->",
    "<![CDATA[",
    "]]>",
    "</",
    "/>",
    "\r\n",
    "<?pi?>",
    "<item key=\"z\">",
    "</item>",
    "<dt_assoc>",
    "</dt_assoc>",
    "<dt_scalar/>",
    "<!DOCTYPE OPS_envelope>",
    "<?xml version=\"1.0\"?>",
];

fn cases() -> u32 {
    std::env::var("FAST_PATH_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512)
}

proptest! {
    #![proptest_config(Config { cases: cases(), failure_persistence: None, ..Config::default() })]

    #[test]
    fn random_envelopes_parse_the_same_both_ways(xml in envelope()) {
        agree(xml.as_bytes()).ok();
    }

    /// A random envelope with pieces of markup spliced in (possibly inside
    /// a multi-byte character), bytes replaced or removed, or cut short.
    #[test]
    fn mutated_envelopes_parse_the_same_both_ways(
        xml in envelope(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(SPLICES), 0u8..3), 1..4),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let mut b = xml.into_bytes();
        for (at, piece, op) in edits {
            let i = at.index(b.len() + 1);
            match op {
                0 => {
                    b.splice(i..i, piece.bytes());
                }
                1 if i < b.len() => b[i] = piece.as_bytes()[0],
                _ if i < b.len() => {
                    b.remove(i);
                }
                _ => b.extend_from_slice(piece.as_bytes()),
            }
        }
        if let Some(cut) = cut {
            let i = cut.index(b.len() + 1);
            b.truncate(i);
        }
        agree(&b).ok();
    }
}

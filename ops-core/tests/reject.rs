//! What the parser rejects (issue 2, item 3): one test per rejection rule,
//! each asserting the exact error kind, and for several the whole message
//! `LINE:COL: message (at KEY.PATH)`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ops_core::{ParseError, ParseErrorKind as K, ParseOptions, Position, parse, parse_str};

const HEAD: &str = "<OPS_envelope><header><version>0.9</version></header><body><data_block>";
const TAIL: &str = "</data_block></body></OPS_envelope>";

fn env(data: &str) -> String {
    format!("{HEAD}{data}{TAIL}")
}

/// An envelope whose data_block is a dt_assoc with one item `x` holding `inner`.
fn item_x(inner: &str) -> String {
    env(&format!(
        r#"<dt_assoc><item key="x">{inner}</item></dt_assoc>"#
    ))
}

/// The error of parsing `xml` (bytes and str must agree).
fn err(xml: &str) -> ParseError {
    let e = match parse(xml.as_bytes()) {
        Ok(doc) => panic!("parsed, but must not: {:?}\n{xml}", doc.root()),
        Err(e) => e,
    };
    let e2 = parse_str(xml).expect_err("parse_str accepted what parse refused");
    assert_eq!(e, e2, "parse and parse_str disagree");
    e
}

fn err_bytes(xml: &[u8]) -> ParseError {
    match parse(xml) {
        Ok(doc) => panic!("parsed, but must not: {:?}", doc.root()),
        Err(e) => e,
    }
}

/// Offset of the `n`th (0-based) occurrence of `pat` in `s`.
fn nth(s: &str, pat: &str, n: usize) -> usize {
    s.match_indices(pat)
        .nth(n)
        .unwrap_or_else(|| panic!("no {n}th {pat:?}"))
        .0
}

fn pos(s: &str, offset: usize) -> Position {
    Position::locate(s.as_bytes(), offset)
}

fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

// ---- DOCTYPE and entities ------------------------------------------------------

#[test]
fn doctype_with_internal_subset() {
    let xml = format!(
        "<?xml version='1.0'?>\n<!DOCTYPE OPS_envelope [<!ENTITY x \"y\">]>\n{}",
        item_x("&x;")
    );
    let e = err(&xml);
    assert_eq!(e.kind(), &K::InternalSubset);
    assert_eq!(
        e.to_string(),
        "2:1: DOCTYPE with an internal subset is not accepted"
    );
}

#[test]
fn doctype_with_external_id_and_internal_subset() {
    // The XXE shape: an external entity declared in the internal subset.
    let xml = format!(
        "<!DOCTYPE OPS_envelope SYSTEM \"ops.dtd\" [\n<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>{}",
        item_x("&xxe;")
    );
    assert_eq!(err(&xml).kind(), &K::InternalSubset);
    let xml = format!("<!DOCTYPE OPS_envelope PUBLIC 'a' 'b'[]>{}", item_x("v"));
    assert_eq!(err(&xml).kind(), &K::InternalSubset);
}

#[test]
fn billion_laughs_is_refused_at_the_doctype() {
    let mut subset = String::from("<!ENTITY lol0 \"lol\">");
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        subset.push_str(&format!("<!ENTITY lol{i} \"{refs}\">"));
    }
    let xml = format!("<!DOCTYPE OPS_envelope [{subset}]>{}", item_x("&lol9;"));
    let t = Instant::now();
    assert_eq!(err(&xml).kind(), &K::InternalSubset);
    assert!(t.elapsed() < Duration::from_secs(2));
}

#[test]
fn doctype_naming_another_root() {
    let xml = format!("<!DOCTYPE html>{}", item_x("v"));
    assert!(
        matches!(err(&xml).kind(), K::BadDoctype(_)),
        "{}",
        err(&xml)
    );
    let xml = format!("<!DOCTYPE OPS_envelope2 SYSTEM 'ops.dtd'>{}", item_x("v"));
    assert!(matches!(err(&xml).kind(), K::BadDoctype(_)));
}

#[test]
fn malformed_doctype() {
    for dt in [
        "<!DOCTYPE OPS_envelope SYSTEM>",
        "<!DOCTYPE OPS_envelope SYSTEM ops.dtd>",
        "<!DOCTYPE OPS_envelope PUBLIC 'only-one'>",
        "<!DOCTYPE OPS_envelope SYSTEM 'a' 'b'>",
        "<!DOCTYPE OPS_envelope junk>",
    ] {
        let xml = format!("{dt}{}", item_x("v"));
        let e = err(&xml);
        assert!(matches!(e.kind(), K::BadDoctype(_)), "{dt}: {e}");
    }
}

#[test]
fn doctype_keyword_in_lower_case_or_without_whitespace() {
    for dt in [
        "<!doctype OPS_envelope>",
        "<!DocType OPS_envelope SYSTEM 'ops.dtd'>",
        "<!DOCTYPEOPS_envelope>",
    ] {
        let xml = format!("{dt}{}", item_x("v"));
        let e = err(&xml);
        assert!(matches!(e.kind(), K::BadDoctype(_)), "{dt}: {e}");
    }
}

#[test]
fn doctype_twice_or_after_the_root() {
    let dt = "<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>";
    let xml = format!("{dt}{dt}{}", item_x("v"));
    assert!(matches!(err(&xml).kind(), K::BadDoctype(_)));
    let xml = format!("{}{dt}", item_x("v"));
    assert!(matches!(err(&xml).kind(), K::BadDoctype(_)));
}

#[test]
fn unknown_entity_in_text() {
    let xml = item_x("a&nbsp;b");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::UnknownEntity("nbsp".into()));
    let col = xml.find("&nbsp;").unwrap() + 1;
    assert_eq!(
        e.to_string(),
        format!(
            "1:{col}: unknown entity `&nbsp;` (only &lt; &gt; &amp; &apos; &quot; are allowed) (at x)"
        )
    );
}

#[test]
fn unknown_external_entity_is_never_expanded() {
    let xml = format!(
        "<!DOCTYPE OPS_envelope SYSTEM 'http://127.0.0.1:1/ops.dtd'>{}",
        item_x("&ext;")
    );
    assert_eq!(err(&xml).kind(), &K::UnknownEntity("ext".into()));
}

#[test]
fn unknown_entity_in_attribute_and_header() {
    let xml = env("<dt_assoc><item key='a&copy;b'>v</item></dt_assoc>");
    assert_eq!(err(&xml).kind(), &K::UnknownEntity("copy".into()));
    let xml = env("<dt_assoc><item key='a' class='&ext;'>v</item></dt_assoc>");
    assert_eq!(err(&xml).kind(), &K::UnknownEntity("ext".into()));
    let xml = "<OPS_envelope><header><version>&ver;</version></header><body><data_block>\
        <dt_scalar/></data_block></body></OPS_envelope>";
    assert_eq!(err(xml).kind(), &K::UnknownEntity("ver".into()));
    // Entity names are case-sensitive.
    assert_eq!(
        err(&item_x("&AMP;")).kind(),
        &K::UnknownEntity("AMP".into())
    );
    assert_eq!(err(&item_x("&Lt;")).kind(), &K::UnknownEntity("Lt".into()));
}

#[test]
fn unknown_entity_in_dt_scalar_reports_no_item_path() {
    let xml = env("<dt_scalar>&bogus;</dt_scalar>");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::UnknownEntity("bogus".into()));
    assert_eq!(e.path(), "");
    assert!(!e.to_string().contains("(at"), "{e}");
}

#[test]
fn ampersand_without_semicolon() {
    for inner in ["a & b", "&amp", "a&b<!--c-->", "&#65"] {
        let e = err(&item_x(inner));
        assert!(matches!(e.kind(), K::Syntax(_)), "{inner}: {e}");
    }
    let e = err(&env("<dt_assoc><item key='a&amp'>v</item></dt_assoc>"));
    assert!(matches!(e.kind(), K::Syntax(_)), "{e}");
}

// ---- forbidden characters ---------------------------------------------------

#[test]
fn forbidden_control_character_raw() {
    let xml = item_x("a\u{1}b");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::ForbiddenChar(1));
    let at = xml.find('\u{1}').unwrap();
    assert_eq!(e.position(), pos(&xml, at));
    assert_eq!(e.position().offset, at);
    assert_eq!(
        e.to_string(),
        format!(
            "1:{}: character U+0001 is not allowed in XML 1.0 (at x)",
            at + 1
        )
    );
    for c in ['\u{0}', '\u{8}', '\u{B}', '\u{C}', '\u{E}', '\u{1F}'] {
        let e = err(&item_x(&format!("a{c}")));
        assert_eq!(e.kind(), &K::ForbiddenChar(c as u32), "{c:?}");
    }
}

#[test]
fn forbidden_character_raw_deep_in_a_fixture() {
    let xml = fixture("simple_transfer/request.xml").replace("L+7Dk`3j", "L+7\u{1B}Dk");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::ForbiddenChar(0x1B));
    assert_eq!(
        e.to_string(),
        "37:26: character U+001B is not allowed in XML 1.0 (at attributes.domain_list[3].auth_info)"
    );
}

#[test]
fn forbidden_noncharacters_raw() {
    let xml = item_x("\u{e9}\u{FFFE}");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::ForbiddenChar(0xFFFE));
    assert_eq!(e.position().offset, xml.find('\u{FFFE}').unwrap());
    // The column counts characters, not bytes.
    assert_eq!(
        e.position().column as usize,
        xml.find('\u{e9}').unwrap() + 2
    );
    assert_eq!(err(&item_x("\u{FFFF}")).kind(), &K::ForbiddenChar(0xFFFF));
}

#[test]
fn forbidden_characters_raw_outside_values() {
    // In a key, a comment, a tag, the prolog: nowhere.
    for xml in [
        env("<dt_assoc><item key='a\u{2}'>v</item></dt_assoc>"),
        env("<dt_assoc><!-- \u{7} --><item key='a'>v</item></dt_assoc>"),
        env("<dt_assoc><item\u{C} key='a'>v</item></dt_assoc>"),
        format!("<!-- \u{FFFE} -->{}", item_x("v")),
        format!("{}\u{0}", item_x("v")),
        item_x("<![CDATA[\u{1B}]]>"),
    ] {
        let e = err(&xml);
        assert!(matches!(e.kind(), K::ForbiddenChar(_)), "{e}");
    }
}

#[test]
fn allowed_edge_characters_are_not_forbidden() {
    // The neighbours of the forbidden ones.
    for c in [
        '\t',
        '\n',
        '\u{20}',
        '\u{7F}',
        '\u{85}',
        '\u{D7FF}',
        '\u{E000}',
        '\u{FFFD}',
        '\u{10000}',
        '\u{10FFFF}',
    ] {
        let xml = item_x(&format!("a{c}"));
        assert!(parse_str(&xml).is_ok(), "{c:?}");
    }
}

#[test]
fn forbidden_character_references() {
    for r in [
        "#0",
        "#1",
        "#x0",
        "#x1F",
        "#xD800",
        "#xDFFF",
        "#55296",
        "#xFFFE",
        "#xFFFF",
        "#65535",
        "#x110000",
        "#1114112",
        "#99999999999",
        "#xFFFFFFFFFF",
    ] {
        let xml = item_x(&format!("a&{r};"));
        let e = err(&xml);
        assert_eq!(e.kind(), &K::ForbiddenCharRef(r.into()), "{r}");
    }
}

#[test]
fn forbidden_character_reference_display() {
    let xml = item_x("ok&#0;");
    let col = xml.find("&#0;").unwrap() + 1;
    assert_eq!(
        err(&xml).to_string(),
        format!(
            "1:{col}: character reference `&#0;` names a character XML 1.0 does not allow (at x)"
        )
    );
}

#[test]
fn forbidden_character_reference_deep_in_a_fixture() {
    // attributes.domain_list[3].auth_info of the simple_transfer example.
    let xml = fixture("simple_transfer/request.xml").replace("L+7Dk`3j", "L+7&#1;Dk");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::ForbiddenCharRef("#1".into()));
    assert_eq!(e.path(), "attributes.domain_list[3].auth_info");
    assert_eq!(
        e.to_string(),
        "37:26: character reference `&#1;` names a character XML 1.0 does not allow \
         (at attributes.domain_list[3].auth_info)"
    );
    assert_eq!(e.position().offset, xml.find("&#1;").unwrap());
}

#[test]
fn forbidden_character_references_in_attributes() {
    let xml = env("<dt_assoc><item key='a&#x0;'>v</item></dt_assoc>");
    assert_eq!(err(&xml).kind(), &K::ForbiddenCharRef("#x0".into()));
    let xml = env("<dt_assoc><item key='a' class='&#xFFFF;'>v</item></dt_assoc>");
    assert_eq!(err(&xml).kind(), &K::ForbiddenCharRef("#xFFFF".into()));
}

#[test]
fn malformed_character_references() {
    for r in [
        "#", "#x", "#12a", "#xG1", "#X41", "#-1", "#+1", "# 65", "#x 41", "#1.0", "#x-1",
        "#\u{664}",
    ] {
        let xml = item_x(&format!("&{r};"));
        let e = err(&xml);
        assert_eq!(e.kind(), &K::InvalidCharRef(r.into()), "{r}");
    }
    let xml = env("<dt_assoc><item key='&#xZ;'>v</item></dt_assoc>");
    assert_eq!(err(&xml).kind(), &K::InvalidCharRef("#xZ".into()));
}

#[test]
fn malformed_character_reference_display() {
    let xml = format!(
        "{HEAD}\n<dt_assoc>\n<item key=\"a\">\n<dt_array>\n<item key=\"0\">&#xG;</item>\n</dt_array>\n</item>\n</dt_assoc>{TAIL}"
    );
    assert_eq!(
        err(&xml).to_string(),
        "5:15: malformed character reference `&#xG;` (at a[0])"
    );
}

// ---- encoding -------------------------------------------------------------

#[test]
fn non_utf8_input() {
    let mut xml = item_x("caf_").into_bytes();
    let at = item_x("caf_").find("caf_").unwrap() + 3;
    xml[at] = 0xE9; // Latin-1 é
    let e = err_bytes(&xml);
    assert_eq!(e.kind(), &K::InvalidUtf8);
    assert_eq!(e.position().offset, at);
    assert_eq!(e.position().line, 1);
    assert_eq!(
        e.to_string(),
        format!("1:{}: input is not valid UTF-8 (at x)", at + 1)
    );
}

#[test]
fn non_utf8_sequences() {
    for bad in [
        &b"\xFF"[..],
        b"\xC0\xAF",         // overlong '/'
        b"\xE0\x80\xAF",     // overlong
        b"\xED\xA0\x80",     // a surrogate
        b"\xF4\x90\x80\x80", // beyond U+10FFFF
        b"\x80",             // lone continuation
        b"\xE2\x82",         // truncated sequence
    ] {
        let mut xml = HEAD.as_bytes().to_vec();
        xml.extend_from_slice(b"<dt_scalar>");
        xml.extend_from_slice(bad);
        xml.extend_from_slice(b"</dt_scalar>");
        xml.extend_from_slice(TAIL.as_bytes());
        let e = err_bytes(&xml);
        assert_eq!(e.kind(), &K::InvalidUtf8, "{bad:?}");
        assert_eq!(e.position().offset, HEAD.len() + "<dt_scalar>".len());
    }
}

#[test]
fn utf16_input_is_not_utf8() {
    let mut xml = vec![0xFF, 0xFE];
    for u in item_x("v").encode_utf16() {
        xml.extend_from_slice(&u.to_le_bytes());
    }
    assert_eq!(err_bytes(&xml).kind(), &K::InvalidUtf8);
}

#[test]
fn encoding_other_than_utf8_in_the_declaration() {
    for enc in ["ISO-8859-1", "UTF-16", "windows-1252", "US-ASCII", "UTF8"] {
        let xml = format!("<?xml version='1.0' encoding='{enc}'?>{}", item_x("v"));
        let e = err(&xml);
        assert!(matches!(e.kind(), K::BadDeclaration(_)), "{enc}: {e}");
        assert!(e.to_string().contains(enc), "{e}");
    }
    let xml = format!("<?xml version='1.0' encoding='ISO-8859-1'?>{}", item_x("v"));
    assert_eq!(
        err(&xml).to_string(),
        "1:1: unsupported XML declaration: encoding `ISO-8859-1` (only UTF-8)"
    );
}

#[test]
fn malformed_declaration_pseudo_attributes() {
    for decl in [
        "<?xml version='1.0' foo='bar'?>",
        "<?xml version='1.0'encoding='UTF-8'?>",
        "<?xml version='1.0' standalone='yes' encoding='UTF-8'?>",
        "<?xml version='1.0' encoding='UTF-8' encoding='UTF-8'?>",
        "<?xml version='1.0' version='1.0'?>",
        "<?xml version='1.0' encoding?>",
        "<?xml version='1.0' encoding=UTF-8?>",
        "<?xml version=\"1.0'?>",
        "<?xml standalone='yes' version='1.0'?>",
    ] {
        let xml = format!("{decl}{}", item_x("v"));
        let e = err(&xml);
        assert!(matches!(e.kind(), K::BadDeclaration(_)), "{decl}: {e}");
        assert_eq!(e.position().offset, 0);
    }
    let xml = format!("<?xml version='1.0' foo='bar'?>{}", item_x("v"));
    assert_eq!(
        err(&xml).to_string(),
        "1:1: unsupported XML declaration: unknown pseudo-attribute `foo`"
    );
}

#[test]
fn other_xml_version_or_standalone() {
    for decl in [
        "<?xml version='1.1'?>",
        "<?xml version='2.0' encoding='UTF-8'?>",
        "<?xml version='1.0' standalone='maybe'?>",
        "<?xml encoding='UTF-8'?>",
    ] {
        let xml = format!("{decl}{}", item_x("v"));
        let e = err(&xml);
        assert!(matches!(e.kind(), K::BadDeclaration(_)), "{decl}: {e}");
    }
}

// ---- XML declaration placement ---------------------------------------------------

#[test]
fn declaration_after_whitespace() {
    let xml = format!(" <?xml version='1.0'?>{}", item_x("v"));
    let e = err(&xml);
    assert_eq!(e.kind(), &K::MisplacedDeclaration);
    assert_eq!(
        e.to_string(),
        "1:2: XML declaration is only allowed at the start of the input"
    );
    let xml = format!("\n<?xml version='1.0'?>{}", item_x("v"));
    assert_eq!(err(&xml).kind(), &K::MisplacedDeclaration);
    let xml = format!("\u{FEFF} <?xml version='1.0'?>{}", item_x("v"));
    assert_eq!(err(&xml).kind(), &K::MisplacedDeclaration);
}

#[test]
fn declaration_after_a_comment_or_pi() {
    let xml = format!("<!--c--><?xml version='1.0'?>{}", item_x("v"));
    assert_eq!(err(&xml).kind(), &K::MisplacedDeclaration);
    let xml = format!("<?pi?><?xml version='1.0'?>{}", item_x("v"));
    assert_eq!(err(&xml).kind(), &K::MisplacedDeclaration);
}

#[test]
fn declaration_twice() {
    let xml = format!("<?xml version='1.0'?><?xml version='1.0'?>{}", item_x("v"));
    assert_eq!(err(&xml).kind(), &K::MisplacedDeclaration);
}

#[test]
fn declaration_in_the_middle() {
    let xml = item_x("a<?xml version='1.0'?>b");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::MisplacedDeclaration);
    assert_eq!(e.path(), "x");
    let xml = format!("{}<?xml version='1.0'?>", item_x("v"));
    assert_eq!(err(&xml).kind(), &K::MisplacedDeclaration);
    // The target is reserved in any case.
    let xml = item_x("a<?XML version='1.0'?>b");
    assert_eq!(err(&xml).kind(), &K::MisplacedDeclaration);
}

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
        format!("1:{col}: dt_array index `first` is not a non-negative integer (at list[first])")
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
        "<dt_assoc/><![CDATA[]]>",
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
    for attrs in ["key=\"a<b\"", "key='a\"", "key=\"a&\"", "key=\"a&amp\""] {
        let xml = env(&format!("<dt_assoc><item {attrs}>v</item></dt_assoc>"));
        let e = err(&xml);
        assert!(matches!(e.kind(), K::Syntax(_)), "{attrs}: {e}");
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
    let xml = fixture("bad/check_transfer_reply_doubled_quotes.xml");
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
    assert!(ops_core::parse_str(&item_x("a<?a b?>b")).is_ok());
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
        "<dt_assoc></ dt_assoc>",
        "a&",
    ] {
        let e = err(&item_x(inner));
        assert!(matches!(e.kind(), K::Syntax(_)), "{inner}: {e}");
        assert_eq!(e.path(), "x", "{inner}");
    }
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

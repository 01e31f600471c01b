//! What the parser rejects (issue 2, item 3), lexical part: DOCTYPE,
//! entities, characters, encoding, the declaration; structure is in
//! `reject_structure.rs`. One test per rejection rule,
//! each asserting the exact error kind, and for several the whole message
//! `LINE:COL: message (at KEY.PATH)`.

use std::time::{Duration, Instant};

use opensrs_core::{ParseErrorKind as K, parse_str};

mod common;
use common::*;

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
    // Issue 15 item 6. Before: "1:98: malformed XML: ill-formed document:
    // entity or character reference not closed: `;` not found before end of
    // input (at x)".
    let xml = item_x("a & b");
    let e = err(&xml);
    assert_eq!(e.kind(), &K::BareAmpersand);
    assert_eq!(e.position(), pos(&xml, xml.find('&').unwrap()));
    assert_eq!(
        e.to_string(),
        "1:98: `&` starts no entity or character reference (`&name;`): \
         write `&amp;` for a literal `&` (at x)"
    );
    for inner in ["&amp", "a&b<!--c-->", "&#65", "a & b;", "a &;", "AT&T"] {
        let xml = item_x(inner);
        let e = err(&xml);
        assert_eq!(e.kind(), &K::BareAmpersand, "{inner}: {e}");
        assert_eq!(
            e.position(),
            pos(&xml, xml.find('&').unwrap()),
            "{inner}: {e}"
        );
    }
    let e = err(&env("<dt_assoc><item key='a&amp'>v</item></dt_assoc>"));
    assert_eq!(e.kind(), &K::BareAmpersand, "{e}");
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
    let xml = fixture("simple_transfer_request.xml").replace("L+7Dk`3j", "L+7\u{1B}Dk");
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
    let xml = fixture("simple_transfer_request.xml").replace("L+7Dk`3j", "L+7&#1;Dk");
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
    // Issue 15 item 6. Before: "1:1: input is not valid UTF-8".
    for (bom, order) in [([0xFF, 0xFE], "little"), ([0xFE, 0xFF], "big")] {
        let mut xml = bom.to_vec();
        for u in item_x("v").encode_utf16() {
            xml.extend_from_slice(&if order == "little" {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        let e = err_bytes(&xml);
        assert!(matches!(e.kind(), K::Utf16(_)), "{e}");
        assert_eq!(
            e.to_string(),
            format!(
                "1:1: input is UTF-16 ({order}-endian byte order mark): OPS envelopes are UTF-8"
            )
        );
    }
}

#[test]
fn encoding_other_than_utf8_in_the_declaration() {
    for enc in ["ISO-8859-1", "UTF-16", "windows-1252", "latin1", "UTF_8"] {
        let xml = format!("<?xml version='1.0' encoding='{enc}'?>{}", item_x("v"));
        let e = err(&xml);
        assert_eq!(e.kind(), &K::UnsupportedEncoding(enc.into()), "{enc}: {e}");
    }
    // Issue 15 item 6. Before: "1:1: unsupported XML declaration: encoding
    // `ISO-8859-1` (only UTF-8)".
    let xml = format!("<?xml version='1.0' encoding='ISO-8859-1'?>{}", item_x("v"));
    assert_eq!(
        err(&xml).to_string(),
        "1:1: ISO-8859-1 is not supported: OPS envelopes are UTF-8"
    );
    // A huge or hostile name is quoted bounded and escaped.
    let xml = format!(
        "<?xml version='1.0' encoding='{}\u{202E}'?>{}",
        "E".repeat(10_000),
        item_x("v")
    );
    let m = err(&xml).to_string();
    assert!(m.len() < 300 && !m.contains('\u{202E}'), "{m}");
}

#[test]
fn utf8_us_ascii_and_utf8_without_hyphen_are_accepted() {
    // US-ASCII is a subset of UTF-8. Before: "1:1: unsupported XML
    // declaration: encoding `US-ASCII` (only UTF-8)".
    for enc in [
        "UTF-8", "utf-8", "Utf-8", "UTF8", "utf8", "US-ASCII", "us-ascii",
    ] {
        let xml = format!("<?xml version='1.0' encoding='{enc}'?>{}", item_x("v"));
        let doc = parse_str(&xml).unwrap_or_else(|e| panic!("{enc}: {e}"));
        assert_eq!(doc.root().get("x").and_then(|n| n.as_str()), Some("v"));
    }
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
    assert_eq!(err(&xml).kind(), &K::DeclarationCase("XML".into()));
}

#[test]
fn declaration_in_upper_case() {
    // Issue 15 item 6. Before: "1:1: XML declaration is only allowed at the
    // start of the input".
    let xml = format!("<?XML version='1.0'?>{}", item_x("v"));
    let e = err(&xml);
    assert_eq!(e.kind(), &K::DeclarationCase("XML".into()));
    assert_eq!(
        e.to_string(),
        "1:1: `<?XML` is not an XML declaration: write it lower-case, `<?xml`"
    );
    let xml = format!("<?xMl version='1.0'?>{}", item_x("v"));
    assert_eq!(err(&xml).kind(), &K::DeclarationCase("xMl".into()));
}

//! The crafted inputs of `fast_path.rs`, each with one line of intent:
//! one per place where a byte tokenizer and a quick-xml reader started
//! mid-document could cut the input differently.

use super::{HEAD, TAIL, assoc, env, item_x};

/// The crafted inputs, each with one line of intent.
pub(super) fn table() -> Vec<(&'static str, Vec<u8>)> {
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

//! What the parser accepts (issue 2, item 3): one test per acceptance rule.

use opensrs_core::{Kind, ParseOptions, Value, parse, parse_str};

mod common;
use common::{HEAD, TAIL, env, item_x};

/// Parses `xml` and returns the data_block's value.
fn value(xml: &str) -> Value {
    match parse_str(xml) {
        Ok(doc) => doc.root().to_value(),
        Err(e) => panic!("{e}\n{xml}"),
    }
}

/// The text of item `x` in [`item_x`]`(inner)`.
fn text_x(inner: &str) -> String {
    let xml = item_x(inner);
    let doc = parse_str(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let x = doc.root().get("x").expect("item x");
    x.as_str().expect("x is a scalar").to_owned()
}

fn scalar(s: &str) -> Value {
    Value::Scalar(s.to_owned())
}

// ---- prolog -----------------------------------------------------------

#[test]
fn xml_declaration_with_double_quotes() {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>{}"#,
        env("<dt_scalar>a</dt_scalar>")
    );
    assert_eq!(value(&xml), scalar("a"));
}

#[test]
fn xml_declaration_with_single_quotes_and_space_before_end() {
    let xml = format!(
        "<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\n{}",
        env("<dt_scalar>a</dt_scalar>")
    );
    assert_eq!(value(&xml), scalar("a"));
}

#[test]
fn xml_declaration_with_mixed_quotes_and_lowercase_encoding() {
    let xml = format!(
        "<?xml version='1.0' encoding=\"utf-8\"?>{}",
        env("<dt_scalar>a</dt_scalar>")
    );
    assert_eq!(value(&xml), scalar("a"));
}

#[test]
fn xml_declaration_with_any_whitespace() {
    let xml = format!(
        "<?xml\tversion = \"1.0\"\n\tencoding\r\n=\t'UTF-8' standalone='yes'\n?>{}",
        env("<dt_scalar>a</dt_scalar>")
    );
    assert_eq!(value(&xml), scalar("a"));
}

#[test]
fn xml_declaration_without_encoding() {
    let xml = format!("<?xml version=\"1.0\"?>{}", env("<dt_scalar>a</dt_scalar>"));
    assert_eq!(value(&xml), scalar("a"));
}

#[test]
fn no_prolog_at_all() {
    assert_eq!(value(&env("<dt_scalar>a</dt_scalar>")), scalar("a"));
}

#[test]
fn utf8_bom_without_declaration() {
    let xml = format!("\u{FEFF}{}", env("<dt_scalar>a</dt_scalar>"));
    assert_eq!(value(&xml), scalar("a"));
    let bytes = xml.as_bytes();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    assert_eq!(parse(bytes).unwrap().root().as_str(), Some("a"));
}

#[test]
fn utf8_bom_then_declaration() {
    let xml = format!(
        "\u{FEFF}<?xml version='1.0' encoding='UTF-8'?>\n{}",
        env("<dt_scalar>a</dt_scalar>")
    );
    assert_eq!(value(&xml), scalar("a"));
    assert_eq!(parse(xml.as_bytes()).unwrap().root().as_str(), Some("a"));
}

#[test]
fn bom_offsets_count_from_the_input_as_given() {
    let xml = format!("\u{FEFF}{}", item_x("v"));
    let doc = parse_str(&xml).unwrap();
    let x = doc.root().get("x").unwrap();
    assert_eq!(x.position().offset, xml.find("<item").unwrap());
}

#[test]
fn doctype_with_system_id_single_quotes() {
    let xml = format!(
        "<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\n<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>\n{}",
        env("<dt_scalar>a</dt_scalar>")
    );
    assert_eq!(value(&xml), scalar("a"));
}

#[test]
fn doctype_with_system_id_double_quotes_and_a_url_never_fetched() {
    let xml = format!(
        "<!DOCTYPE OPS_envelope SYSTEM \"http://127.0.0.1:1/never/fetched.dtd\">{}",
        env("<dt_scalar>a</dt_scalar>")
    );
    assert_eq!(value(&xml), scalar("a"));
}

#[test]
fn doctype_with_public_id() {
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE OPS_envelope PUBLIC \"-//OpenSRS//DTD OPS 0.9//EN\" 'file:///etc/passwd'>\n{}",
        env("<dt_scalar>a</dt_scalar>")
    );
    assert_eq!(value(&xml), scalar("a"));
}

#[test]
fn doctype_without_external_id() {
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE OPS_envelope>\n{}",
        env("<dt_scalar>a</dt_scalar>")
    );
    assert_eq!(value(&xml), scalar("a"));
    let xml = format!(
        "<!DOCTYPE OPS_envelope >{}",
        env("<dt_scalar>a</dt_scalar>")
    );
    assert_eq!(value(&xml), scalar("a"));
}

// ---- comments and processing instructions -------------------------------

#[test]
fn comment_inside_a_value_splits_nothing() {
    assert_eq!(text_x("ab<!--c-->cd"), "abcd");
    assert_eq!(text_x("<!--c-->abcd<!--d-->"), "abcd");
    assert_eq!(text_x("a<!---->b<!-- - -->c"), "abc");
}

#[test]
fn processing_instruction_inside_a_value_splits_nothing() {
    assert_eq!(text_x("ab<?pi some data?>cd"), "abcd");
    assert_eq!(text_x("<?pi?>ab"), "ab");
}

#[test]
fn comments_and_pis_before_and_after_the_root() {
    let xml = format!(
        "<?xml version='1.0'?><!-- a --><?pi x?>\n<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'><!--b-->\n<?xml-stylesheet href='a'?>{}<!-- after --><?pi after?>\n<!--x-->\n",
        env("<dt_scalar>a</dt_scalar>")
    );
    assert_eq!(value(&xml), scalar("a"));
}

#[test]
fn comments_and_pis_between_elements_and_items() {
    let xml = "<OPS_envelope><!--1--><header><?p?><!--2--><version><!--3-->0.9<?q?></version><!--4--></header>\
        <!--5--><body><!--6--><data_block><!--7--><dt_assoc><!--8-->\
        <item key='a'>1</item><!--9--><?pi between items?>\n<item key='b'><!--10--><dt_array><!--11--><item key='0'>z</item><!--12--></dt_array><!--13--></item>\
        <!--14--></dt_assoc><!--15--></data_block><!--16--></body><!--17--></OPS_envelope>";
    let doc = parse_str(xml).unwrap();
    assert_eq!(doc.header().version, "0.9");
    assert_eq!(
        doc.root().to_value(),
        Value::assoc([("a", Value::from("1")), ("b", Value::array(["z"]))])
    );
}

#[test]
fn comment_inside_dt_scalar_and_header_field() {
    let xml = "<OPS_envelope><header><version>0.<!--x-->9</version></header><body><data_block>\
        <dt_scalar>a<!--x-->b</dt_scalar></data_block></body></OPS_envelope>";
    let doc = parse_str(xml).unwrap();
    assert_eq!(doc.header().version, "0.9");
    assert_eq!(doc.root().as_str(), Some("ab"));
}

// ---- CDATA ---------------------------------------------------------------

#[test]
fn cdata_section() {
    assert_eq!(text_x("<![CDATA[hello]]>"), "hello");
    assert_eq!(text_x("<![CDATA[]]>"), "");
}

#[test]
fn cdata_with_markup_characters_inside() {
    assert_eq!(
        text_x("<![CDATA[<&>\"' <item key='no'/> &amp;]]>"),
        "<&>\"' <item key='no'/> &amp;"
    );
}

#[test]
fn cdata_with_square_bracket_tricks() {
    assert_eq!(text_x("<![CDATA[]]]>"), "]");
    assert_eq!(text_x("<![CDATA[a]]b]]>"), "a]]b");
    assert_eq!(text_x("<![CDATA[a]]]]>"), "a]]");
    assert_eq!(text_x("<![CDATA[a]>]]>"), "a]>");
    // `]]>` itself can only be carried across two sections.
    assert_eq!(text_x("<![CDATA[]]]]><![CDATA[>]]>"), "]]>");
    assert_eq!(text_x("]]&gt;"), "]]>");
}

#[test]
fn cdata_mixed_with_text_and_references() {
    assert_eq!(text_x("x<![CDATA[<]]>y&amp;z<![CDATA[>]]>"), "x<y&z>");
}

#[test]
fn cdata_keeps_whitespace() {
    assert_eq!(text_x("<![CDATA[  ]]>"), "  ");
    assert_eq!(text_x(" <![CDATA[\t]]> "), " \t ");
}

#[test]
fn cdata_in_dt_scalar() {
    let xml = env("<dt_scalar><![CDATA[<b>]]></dt_scalar>");
    assert_eq!(value(&xml), scalar("<b>"));
}

// ---- whitespace, attributes ---------------------------------------------

#[test]
fn whitespace_between_elements_is_ignored() {
    let xml = "\n<OPS_envelope>\n\t<header>\r\n  <version>0.9</version>\n </header>\n <body>\n  <data_block>\n   <dt_assoc>\n    \
        <item key=\"a\">1</item>\r\n    <item key=\"b\">\n     <dt_array>\n      <item key=\"0\">\n       <dt_assoc>\n       </dt_assoc>\n      </item>\n     </dt_array>\n    </item>\n   </dt_assoc>\n  </data_block>\n </body>\n</OPS_envelope>\n\n";
    let doc = parse_str(xml).unwrap();
    assert_eq!(
        doc.root().to_value(),
        Value::assoc([
            ("a", Value::from("1")),
            ("b", Value::array([Value::assoc::<&str, Value>([])]))
        ])
    );
}

#[test]
fn whitespace_around_a_container_inside_an_item_is_ignored() {
    assert_eq!(
        value(&item_x("\n  <!-- c -->\r\n  <dt_assoc/>\n  <?p?>\t ")),
        Value::assoc([("x", Value::assoc::<&str, Value>([]))])
    );
    assert_eq!(
        value(&item_x(" <dt_scalarref>r</dt_scalarref> ")),
        Value::assoc([("x", Value::ScalarRef("r".into()))])
    );
}

#[test]
fn whitespace_inside_tags() {
    let xml = "<OPS_envelope ><header\n><version\t>0.9</version ></header\r\n><body><data_block><dt_assoc \
        ><item\n key = \"x\"\n>v</item ></dt_assoc\n></data_block></body></OPS_envelope >";
    assert_eq!(value(xml), Value::assoc([("x", "v")]));
}

#[test]
fn attributes_in_any_order_and_either_quoting() {
    let xml = env(
        "<dt_assoc><item key=\"a\" class='A'>1</item><item class=\"B\" key='b'>2</item>\
         <item class='C' key=\"c\">3</item></dt_assoc>",
    );
    let doc = parse_str(&xml).unwrap();
    let root = doc.root();
    let got: Vec<_> = root
        .iter()
        .map(|n| (n.key(), n.class(), n.as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("a", Some("A"), "1"),
            ("b", Some("B"), "2"),
            ("c", Some("C"), "3")
        ]
    );
}

#[test]
fn quotes_of_the_other_kind_inside_attribute_values() {
    let xml = env(r#"<dt_assoc><item key='say "hi"'>1</item><item key="it's">2</item></dt_assoc>"#);
    let doc = parse_str(&xml).unwrap();
    let keys: Vec<_> = doc.root().iter().map(|n| n.key()).collect();
    assert_eq!(keys, ["say \"hi\"", "it's"]);
}

#[test]
fn class_attribute_is_kept() {
    let xml = env(
        "<dt_array><item key='0' class='Some::Perl::Class'><dt_assoc/></item>\
         <item key='1'>b</item><item key='2' class=''>c</item></dt_array>",
    );
    let doc = parse_str(&xml).unwrap();
    let root = doc.root();
    assert_eq!(root.index(0).unwrap().class(), Some("Some::Perl::Class"));
    assert_eq!(root.index(0).unwrap().kind(), Kind::Assoc);
    assert_eq!(root.index(1).unwrap().class(), None);
    assert_eq!(root.index(2).unwrap().class(), Some(""));
    let v = root.to_value();
    let a = v.as_array().unwrap();
    assert_eq!(
        a.get_item(0).unwrap().class.as_deref(),
        Some("Some::Perl::Class")
    );
    assert_eq!(a.get_item(1).unwrap().class, None);
    assert_eq!(a.get_item(2).unwrap().class.as_deref(), Some(""));
}

#[test]
fn class_attribute_with_references_is_decoded() {
    let xml = env("<dt_assoc><item class='A&amp;B&#x3A;&#58;C' key='k'>v</item></dt_assoc>");
    let doc = parse_str(&xml).unwrap();
    assert_eq!(doc.root().get("k").unwrap().class(), Some("A&B::C"));
}

// ---- references ------------------------------------------------------------

#[test]
fn predefined_entities_in_text() {
    assert_eq!(text_x("&lt;&gt;&amp;&apos;&quot;"), "<>&'\"");
    assert_eq!(text_x("a &amp;amp; b"), "a &amp; b");
}

#[test]
fn decimal_character_references_in_text() {
    assert_eq!(text_x("&#65;&#0066;&#233;&#128512;"), "AB\u{e9}\u{1F600}");
    assert_eq!(text_x("&#9;&#10;&#13;&#32;"), "\t\n\r ");
}

#[test]
fn hexadecimal_character_references_in_text() {
    assert_eq!(
        text_x("&#x41;&#x00042;&#xe9;&#xE9;&#x1F600;&#x10FFFF;"),
        "AB\u{e9}\u{e9}\u{1F600}\u{10FFFF}"
    );
    assert_eq!(
        text_x("&#xD7FF;&#xE000;&#xFFFD;&#x10000;"),
        "\u{D7FF}\u{E000}\u{FFFD}\u{10000}"
    );
}

#[test]
fn character_references_with_many_leading_zeros() {
    // XML 1.0 puts no bound on the number of digits.
    assert_eq!(text_x("&#0000000000065;"), "A");
    assert_eq!(text_x("&#x00000000000041;"), "A");
}

#[test]
fn references_in_keys() {
    let xml = env(
        "<dt_assoc><item key=\"a&amp;b&lt;c&gt;d&quot;e&apos;f\">1</item><item key='&#65;&#x42;&#x1F600;'>2</item></dt_assoc>",
    );
    let doc = parse_str(&xml).unwrap();
    let keys: Vec<_> = doc.root().iter().map(|n| n.key()).collect();
    assert_eq!(keys, ["a&b<c>d\"e'f", "AB\u{1F600}"]);
    assert_eq!(doc.root().get("AB\u{1F600}").unwrap().as_str(), Some("2"));
}

#[test]
fn references_in_array_indices() {
    let xml = env("<dt_array><item key='&#49;'>b</item><item key='&#x30;'>a</item></dt_array>");
    assert_eq!(value(&xml), Value::array(["a", "b"]));
}

#[test]
fn references_in_header_fields() {
    let xml = "<OPS_envelope><header><version>0&#46;9</version><msg_id>a&amp;b</msg_id></header>\
        <body><data_block><dt_scalar/></data_block></body></OPS_envelope>";
    let doc = parse_str(xml).unwrap();
    assert_eq!(doc.header().version, "0.9");
    assert_eq!(doc.header().msg_id, Some("a&b"));
}

#[test]
fn non_ascii_text_and_keys_are_kept() {
    let xml =
        env("<dt_assoc><item key='cl\u{e9} \u{2713}'>\u{1D11E} \u{e9}t\u{e9}</item></dt_assoc>");
    assert_eq!(
        value(&xml),
        Value::assoc([("cl\u{e9} \u{2713}", "\u{1D11E} \u{e9}t\u{e9}")])
    );
}

// ---- line ends and attribute normalisation -------------------------------

#[test]
fn crlf_in_text_becomes_lf() {
    assert_eq!(text_x("a\r\nb\r\n"), "a\nb\n");
    assert_eq!(text_x("\r\n"), "\n");
}

#[test]
fn lone_cr_in_text_becomes_lf() {
    assert_eq!(text_x("a\rb\r"), "a\nb\n");
    assert_eq!(text_x("\r\r\n\n\r"), "\n\n\n\n");
}

#[test]
fn cr_and_gt_anywhere_in_long_text() {
    for pad in 0..20 {
        let a = "a".repeat(pad);
        let b = "b".repeat(20 - pad);
        assert_eq!(text_x(&format!("{a}\r{b}")), format!("{a}\n{b}"), "{pad}");
        assert_eq!(text_x(&format!("{a}>{b}")), format!("{a}>{b}"), "{pad}");
        assert_eq!(text_x(&format!("{a}]>]{b}")), format!("{a}]>]{b}"), "{pad}");
    }
}

#[test]
fn cr_in_cdata_is_normalised_too() {
    assert_eq!(text_x("<![CDATA[a\r\nb\rc]]>"), "a\nb\nc");
}

#[test]
fn cr_reference_in_text_stays_cr() {
    assert_eq!(text_x("a&#13;&#10;b&#xD;"), "a\r\nb\r");
}

#[test]
fn crlf_in_header_field_becomes_lf() {
    let xml = "<OPS_envelope><header><version>0.9</version><msg_type>a\r\nb\rc</msg_type></header>\
        <body><data_block><dt_scalar/></data_block></body></OPS_envelope>";
    assert_eq!(parse_str(xml).unwrap().header().msg_type, Some("a\nb\nc"));
}

#[test]
fn tab_cr_lf_in_attribute_values_become_spaces() {
    let xml = env("<dt_assoc><item key='a\tb\nc\rd\r\ne'>1</item></dt_assoc>");
    let doc = parse_str(&xml).unwrap();
    assert_eq!(doc.root().iter().next().unwrap().key(), "a b c d e");
}

#[test]
fn spaces_in_attribute_values_are_kept() {
    // CDATA attributes are not collapsed: leading, trailing, double spaces stay.
    let xml = env("<dt_assoc><item key='  a  b '>1</item><item key=''>2</item></dt_assoc>");
    let doc = parse_str(&xml).unwrap();
    let keys: Vec<_> = doc.root().iter().map(|n| n.key()).collect();
    assert_eq!(keys, ["  a  b ", ""]);
}

#[test]
fn character_references_in_attribute_values_are_not_normalised() {
    let xml = env("<dt_assoc><item key='a&#10;b&#13;c&#9;d&#xA;e&#xD;&#xA;f'>1</item></dt_assoc>");
    let doc = parse_str(&xml).unwrap();
    assert_eq!(
        doc.root().iter().next().unwrap().key(),
        "a\nb\rc\td\ne\r\nf"
    );
}

// ---- whitespace-only and empty values ------------------------------------

#[test]
fn whitespace_only_values_are_kept_exactly() {
    assert_eq!(text_x("  "), "  ");
    assert_eq!(text_x(" "), " ");
    assert_eq!(text_x("\t"), "\t");
    assert_eq!(text_x("\n"), "\n");
    assert_eq!(text_x(" \n\t "), " \n\t ");
    let xml = env(r#"<dt_assoc><item key="x"> </item></dt_assoc>"#);
    assert_eq!(value(&xml), Value::assoc([("x", " ")]));
}

#[test]
fn surrounding_whitespace_of_a_text_value_is_kept() {
    assert_eq!(text_x("  a b  "), "  a b  ");
    assert_eq!(text_x("\n  a\n"), "\n  a\n");
}

#[test]
fn whitespace_only_dt_scalar_is_kept() {
    assert_eq!(value(&env("<dt_scalar>  </dt_scalar>")), scalar("  "));
    assert_eq!(
        value(&env("<dt_scalarref>\n</dt_scalarref>")),
        Value::ScalarRef("\n".into())
    );
}

#[test]
fn empty_item_self_closing_is_a_present_empty_scalar() {
    let xml = env(r#"<dt_assoc><item key="x"/><item key="y">0</item></dt_assoc>"#);
    let doc = parse_str(&xml).unwrap();
    let x = doc.root().get("x").expect("empty item is present");
    assert_eq!(x.kind(), Kind::Scalar);
    assert_eq!(x.as_str(), Some(""));
    assert_eq!(doc.root().len(), 2);
}

#[test]
fn empty_item_with_end_tag_is_a_present_empty_scalar() {
    let xml = env(r#"<dt_assoc><item key="x"></item></dt_assoc>"#);
    let doc = parse_str(&xml).unwrap();
    let x = doc.root().get("x").expect("empty item is present");
    assert_eq!(x.kind(), Kind::Scalar);
    assert_eq!(x.as_str(), Some(""));
    assert_eq!(doc.root().to_value(), Value::assoc([("x", "")]));
}

#[test]
fn empty_items_in_an_array() {
    let xml = env(
        r#"<dt_array><item key="1"></item><item key="0"/><item key="2"><!--c--></item></dt_array>"#,
    );
    assert_eq!(value(&xml), Value::array(["", "", ""]));
}

#[test]
fn empty_containers_and_scalars() {
    assert_eq!(value(&env("<dt_assoc/>")), Value::assoc::<&str, Value>([]));
    assert_eq!(
        value(&env("<dt_assoc></dt_assoc>")),
        Value::assoc::<&str, Value>([])
    );
    assert_eq!(value(&env("<dt_array/>")), Value::array::<Value>([]));
    assert_eq!(
        value(&env("<dt_array> </dt_array>")),
        Value::array::<Value>([])
    );
    assert_eq!(value(&env("<dt_scalar/>")), scalar(""));
    assert_eq!(value(&env("<dt_scalar></dt_scalar>")), scalar(""));
    assert_eq!(
        value(&env("<dt_scalarref/>")),
        Value::ScalarRef(String::new())
    );
}

// ---- dt_scalar / dt_scalarref ---------------------------------------------

#[test]
fn dt_scalar_at_top() {
    let xml = env("<dt_scalar>hello world</dt_scalar>");
    let doc = parse_str(&xml).unwrap();
    assert_eq!(doc.root().kind(), Kind::Scalar);
    assert_eq!(doc.root().as_str(), Some("hello world"));
    assert_eq!(doc.root().key(), "");
    assert!(doc.root().parent().is_none());
}

#[test]
fn dt_scalarref_at_top() {
    let xml = env("<dt_scalarref>hello</dt_scalarref>");
    let doc = parse_str(&xml).unwrap();
    assert_eq!(doc.root().kind(), Kind::ScalarRef);
    assert_eq!(doc.root().as_str(), Some("hello"));
    assert_eq!(doc.root().to_value(), Value::ScalarRef("hello".into()));
}

#[test]
fn dt_scalar_and_dt_scalarref_inside_items() {
    let xml = env(
        "<dt_assoc><item key='s'><dt_scalar>a&amp;b</dt_scalar></item>\
         <item key='r' class='SCALAR'><dt_scalarref>c</dt_scalarref></item>\
         <item key='l'><dt_array><item key='0'><dt_scalarref/></item><item key='1'><dt_scalar> </dt_scalar></item></dt_array></item></dt_assoc>",
    );
    let doc = parse_str(&xml).unwrap();
    let root = doc.root();
    let s = root.get("s").unwrap();
    assert_eq!((s.kind(), s.as_str()), (Kind::Scalar, Some("a&b")));
    let r = root.get("r").unwrap();
    assert_eq!(
        (r.kind(), r.as_str(), r.class()),
        (Kind::ScalarRef, Some("c"), Some("SCALAR"))
    );
    let l = root.get("l").unwrap();
    assert_eq!(l.index(0).unwrap().kind(), Kind::ScalarRef);
    assert_eq!(l.index(1).unwrap().as_str(), Some(" "));
    // dt_scalar inside an item is the same value as plain item text.
    assert_eq!(root.to_value().get("s"), Some(&Value::from("a&b")));
}

// ---- dt_array order ----------------------------------------------------------

#[test]
fn dt_array_is_read_in_numeric_index_order() {
    let order = [10, 2, 0, 1, 9, 3, 8, 4, 7, 5, 6];
    let items: String = order
        .iter()
        .map(|i| format!("<item key=\"{i}\">v{i}</item>"))
        .collect();
    let xml = env(&format!("<dt_array>{items}</dt_array>"));
    let doc = parse_str(&xml).unwrap();
    let got: Vec<_> = doc.root().iter().map(|n| n.as_str().unwrap()).collect();
    let want: Vec<_> = (0..11).map(|i| format!("v{i}")).collect();
    assert_eq!(got, want);
    // "10" comes after "9", not after "1".
    assert_eq!(doc.root().index(10).unwrap().key(), "10");
    assert_eq!(doc.root().index(2).unwrap().key(), "2");
    let keys: Vec<_> = doc.root().iter().map(|n| n.key()).collect();
    assert_eq!(
        keys,
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
    );
    assert_eq!(
        doc.root().to_value(),
        Value::array(want.iter().map(String::as_str))
    );
}

#[test]
fn dt_array_in_reverse_document_order() {
    let items: String = (0..120)
        .rev()
        .map(|i| format!("<item key=\"{i}\">{i}</item>"))
        .collect();
    let xml = env(&format!("<dt_array>{items}</dt_array>"));
    let doc = parse_str(&xml).unwrap();
    for (i, n) in doc.root().iter().enumerate() {
        assert_eq!(n.as_str(), Some(i.to_string().as_str()));
    }
}

#[test]
fn nested_arrays_are_each_in_index_order() {
    let xml = env(
        "<dt_array><item key='1'><dt_array><item key='1'>d</item><item key='0'>c</item></dt_array></item>\
         <item key='0'><dt_array><item key='0'>a</item><item key='1'>b</item></dt_array></item></dt_array>",
    );
    assert_eq!(
        value(&xml),
        Value::array([Value::array(["a", "b"]), Value::array(["c", "d"])])
    );
}

#[test]
fn dt_assoc_keeps_document_order() {
    let xml = env(
        "<dt_assoc><item key='b'>1</item><item key='a'>2</item><item key='10'>3</item><item key='2'>4</item></dt_assoc>",
    );
    let doc = parse_str(&xml).unwrap();
    let keys: Vec<_> = doc.root().iter().map(|n| n.key()).collect();
    assert_eq!(keys, ["b", "a", "10", "2"]);
}

// ---- header ---------------------------------------------------------------

#[test]
fn header_without_msg_id_and_msg_type() {
    let xml = env("<dt_scalar/>");
    let doc = parse_str(&xml).unwrap();
    let h = doc.header();
    assert_eq!((h.version, h.msg_id, h.msg_type), ("0.9", None, None));
}

#[test]
fn header_with_msg_id_and_msg_type() {
    let xml = "<OPS_envelope><header><version>0.9</version><msg_id>2.21765911726198</msg_id>\
        <msg_type>standard</msg_type></header><body><data_block><dt_scalar/></data_block></body></OPS_envelope>";
    let doc = parse_str(xml).unwrap();
    let h = doc.header();
    assert_eq!(
        (h.version, h.msg_id, h.msg_type),
        ("0.9", Some("2.21765911726198"), Some("standard"))
    );
    let owned = doc.to_owned_document();
    assert_eq!(owned.header.msg_id.as_deref(), Some("2.21765911726198"));
}

#[test]
fn header_fields_in_any_order_and_only_one_of_them() {
    let xml = "<OPS_envelope><header><msg_type>t</msg_type><version>0.9</version></header>\
        <body><data_block><dt_scalar/></data_block></body></OPS_envelope>";
    let doc = parse_str(xml).unwrap();
    let h = doc.header();
    assert_eq!((h.version, h.msg_id, h.msg_type), ("0.9", None, Some("t")));
    let xml = "<OPS_envelope><header><msg_id/><version>1.0</version></header>\
        <body><data_block><dt_scalar/></data_block></body></OPS_envelope>";
    let doc = parse_str(xml).unwrap();
    let h = doc.header();
    assert_eq!((h.version, h.msg_id, h.msg_type), ("1.0", Some(""), None));
}

#[test]
fn header_field_whitespace_is_kept() {
    let xml = "<OPS_envelope><header><version> 0.9 </version></header>\
        <body><data_block><dt_scalar/></data_block></body></OPS_envelope>";
    assert_eq!(parse_str(xml).unwrap().header().version, " 0.9 ");
}

// ---- zero copy --------------------------------------------------------------

#[test]
fn plain_values_are_borrowed_from_the_input() {
    let xml = env(
        "<dt_assoc><item key='a'>plain text</item><item key='b'>  </item><item key='c'>\u{e9}\n</item>\
         <item key='d'><dt_scalarref>r</dt_scalarref></item><item key='e'>x<!--c--></item>\
         <item key='f'><!--c-->y</item></dt_assoc>",
    );
    let doc = parse_str(&xml).unwrap();
    for n in doc.root().iter() {
        assert!(!n.is_materialised(), "{} was copied", n.key());
        let s = n.as_str().unwrap();
        let start = xml.as_ptr() as usize;
        let p = s.as_ptr() as usize;
        assert!(
            s.is_empty() || (p >= start && p + s.len() <= start + xml.len()),
            "{} does not borrow from the input",
            n.key()
        );
    }
    let top = env("<dt_scalar>top</dt_scalar>");
    assert!(!parse_str(&top).unwrap().root().is_materialised());
}

#[test]
fn empty_values_are_not_materialised() {
    let xml = env("<dt_assoc><item key='a'/><item key='b'></item></dt_assoc>");
    let doc = parse_str(&xml).unwrap();
    assert!(doc.root().iter().all(|n| !n.is_materialised()));
}

#[test]
fn values_with_references_are_materialised() {
    let xml = env(
        "<dt_assoc><item key='a'>a&amp;b</item><item key='b'>&#65;</item><item key='c'>plain</item></dt_assoc>",
    );
    let doc = parse_str(&xml).unwrap();
    let root = doc.root();
    assert!(root.get("a").unwrap().is_materialised());
    assert_eq!(root.get("a").unwrap().as_str(), Some("a&b"));
    assert!(root.get("b").unwrap().is_materialised());
    assert!(!root.get("c").unwrap().is_materialised());
}

#[test]
fn values_split_by_cdata_or_comments_are_materialised() {
    let xml = env(
        "<dt_assoc><item key='cdata'>a<![CDATA[<]]>b</item><item key='comment'>ab<!--c-->cd</item>\
         <item key='pi'>ab<?p?>cd</item><item key='cr'>a\r\nb</item></dt_assoc>",
    );
    let doc = parse_str(&xml).unwrap();
    let root = doc.root();
    for (k, want) in [
        ("cdata", "a<b"),
        ("comment", "abcd"),
        ("pi", "abcd"),
        ("cr", "a\nb"),
    ] {
        let n = root.get(k).unwrap();
        assert!(n.is_materialised(), "{k}");
        assert_eq!(n.as_str(), Some(want), "{k}");
    }
}

#[test]
fn a_lone_cdata_section_is_borrowed() {
    // Its content is a slice of the input as it stands: no copy needed.
    let xml = env("<dt_assoc><item key='x'><![CDATA[<&>]]></item></dt_assoc>");
    let doc = parse_str(&xml).unwrap();
    let x = doc.root().get("x").unwrap();
    assert_eq!(x.as_str(), Some("<&>"));
    assert!(!x.is_materialised());
}

#[test]
fn materialised_and_borrowed_values_coexist() {
    let mut items = String::new();
    for i in 0..50 {
        if i % 2 == 0 {
            items.push_str(&format!("<item key='{i}'>v&amp;{i}</item>"));
        } else {
            items.push_str(&format!("<item key='{i}'>v{i}</item>"));
        }
    }
    let xml = env(&format!("<dt_array>{items}</dt_array>"));
    let doc = parse_str(&xml).unwrap();
    for (i, n) in doc.root().iter().enumerate() {
        if i % 2 == 0 {
            assert_eq!(n.as_str().unwrap(), format!("v&{i}"));
            assert!(n.is_materialised());
        } else {
            assert_eq!(n.as_str().unwrap(), format!("v{i}"));
            assert!(!n.is_materialised());
        }
    }
}

// ---- positions, paths, options ------------------------------------------------

#[test]
fn node_positions_and_paths() {
    let xml = format!(
        "{HEAD}\n<dt_assoc>\n <item key='attributes'><dt_assoc><item key='domain_list'><dt_array>\n  <item key='0'><dt_assoc><item key='auth_info'>a</item></dt_assoc></item>\n</dt_array></item></dt_assoc></item>\n</dt_assoc>{TAIL}"
    );
    let doc = parse_str(&xml).unwrap();
    let auth = doc
        .root()
        .get("attributes")
        .and_then(|a| a.get("domain_list"))
        .and_then(|l| l.index(0))
        .and_then(|d| d.get("auth_info"))
        .unwrap();
    assert_eq!(auth.path(), "attributes.domain_list[0].auth_info");
    let p = auth.position();
    assert_eq!(p.line, 4);
    assert_eq!(p.column, 27);
    assert_eq!(&xml[p.offset..p.offset + 5], "<item");
}

#[test]
fn generous_limits_accept_what_the_defaults_refuse() {
    let deep = 200;
    let xml = env(&format!(
        "{}{}",
        "<dt_array><item key='0'>".repeat(deep),
        "</item></dt_array>".repeat(deep)
    ));
    assert!(parse_str(&xml).is_err());
    let opts = ParseOptions {
        max_depth: deep,
        ..ParseOptions::default()
    };
    let doc = opts.parse_str(&xml).unwrap();
    // `deep` arrays and the empty item at the bottom.
    assert_eq!(doc.len(), deep + 1);
}

#[test]
fn limits_are_inclusive() {
    let xml = env("<dt_array><item key='0'>a</item><item key='1'>b</item></dt_array>");
    let exact = ParseOptions {
        max_len: xml.len(),
        max_nodes: 3,
        max_depth: 1,
    };
    assert_eq!(exact.parse(xml.as_bytes()).unwrap().len(), 3);
}

#[test]
fn sixty_four_nested_containers_parse_under_the_defaults() {
    let xml = env(&format!(
        "{}<dt_assoc/>{}",
        "<dt_assoc><item key='k'>".repeat(63),
        "</item></dt_assoc>".repeat(63)
    ));
    let doc = parse_str(&xml).unwrap();
    assert_eq!(doc.len(), 64);
}

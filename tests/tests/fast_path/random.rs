//! Random envelopes for `fast_path.rs`: built from canonical and odd
//! fragments, then spliced, mutated and cut short; each must parse the
//! same with the fast path on and off.

use super::{agree, assoc, env};
use proptest::prelude::*;
use proptest::test_runner::Config;

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

//! Inputs and helpers for the codec bench.

use opensrs_core::{Document, Kind, Sink, WriteError, Writer};

/// (a) A check_transfer reply (~1 KB), as OpenSRS sends it.
pub(crate) const CHECK_TRANSFER_REPLY: &str =
    include_str!("../data/check_transfer_reply_pending_registry.xml");

/// Characters of generated auth codes in input (b): printable, none that
/// XML escapes, so every value borrows from the input.
const PLAIN: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789@%[]+.`~!#$^*()-_=";

/// A deterministic xorshift generator: the same input on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn plain(&mut self) -> char {
        char::from(PLAIN[(self.next() % PLAIN.len() as u64) as usize])
    }
}

/// (b) / (c): a simple_transfer request with `n` domains, laid out like
/// `ops-actions/fixtures/domain/simple_transfer/request.xml` (one element per line). With
/// `escaped`, every auth code carries `&amp; &lt; &gt; &quot; &apos;` and a
/// numeric reference `&#64;`, so every auth_info value is materialised.
pub(crate) fn simple_transfer(n: usize, escaped: bool) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut s = String::with_capacity(n * if escaped { 170 } else { 135 } + 512);
    s.push_str(
        "<?xml version='1.0' encoding=\"UTF-8\" standalone=\"no\"?>\n\
         <OPS_envelope>\n<header>\n<version>0.9</version>\n</header>\n<body>\n<data_block>\n\
         <dt_assoc>\n<item key=\"protocol\">XCP</item>\n<item key=\"object\">DOMAIN</item>\n\
         <item key=\"action\">SIMPLE_TRANSFER</item>\n<item key=\"attributes\">\n<dt_assoc>\n\
         <item key=\"domain_list\">\n<dt_array>\n",
    );
    for i in 0..n {
        s.push_str("<item key=\"");
        s.push_str(&i.to_string());
        s.push_str("\">\n<dt_assoc>\n<item key=\"domain_name\">newtransfer");
        s.push_str(&(i + 461).to_string());
        s.push_str(".com</item>\n<item key=\"auth_info\">");
        const REFS: [&str; 6] = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#64;"];
        for k in 0..8 {
            s.push(rng.plain());
            if let Some(r) = REFS.get(k).filter(|_| escaped) {
                s.push_str(r);
            }
        }
        s.push_str("</item>\n</dt_assoc>\n</item>\n");
    }
    s.push_str(
        "</dt_array>\n</item>\n</dt_assoc>\n</item>\n</dt_assoc>\n</data_block>\n</body>\n</OPS_envelope>\n",
    );
    s
}

/// Writes `doc` as a compact envelope straight from the borrowed document:
/// an explicit stack of child iterators drives the streaming [`Writer`], and
/// no owned tree is built.
pub(crate) fn stream_document<S: Sink>(doc: &Document<'_>, out: S) -> Result<S, WriteError> {
    let mut w = Writer::new(out);
    w.start_envelope(&doc.header())?;
    let root = doc.root();
    let mut stack = Vec::with_capacity(16);
    match root.kind() {
        Kind::Scalar => w.scalar(root.as_str().unwrap_or_default())?,
        Kind::ScalarRef => w.scalar_ref(root.as_str().unwrap_or_default())?,
        Kind::Assoc => {
            w.start_assoc()?;
            stack.push((Kind::Assoc, root.iter()));
        }
        Kind::Array => {
            w.start_array()?;
            stack.push((Kind::Array, root.iter()));
        }
    }
    while let Some((parent, children)) = stack.last_mut() {
        let parent = *parent;
        let Some(child) = children.next() else {
            stack.pop();
            if parent == Kind::Array {
                w.end_array()?;
            } else {
                w.end_assoc()?;
            }
            if !stack.is_empty() {
                w.end_item()?;
            }
            continue;
        };
        match (parent, child.class()) {
            (Kind::Array, None) => {
                w.start_element()?;
            }
            (Kind::Array, Some(c)) => w.start_element_with_class(c)?,
            (_, None) => w.start_item(child.key())?,
            (_, Some(c)) => w.start_item_with_class(child.key(), c)?,
        }
        match child.kind() {
            Kind::Scalar => {
                w.scalar(child.as_str().unwrap_or_default())?;
                w.end_item()?;
            }
            Kind::ScalarRef => {
                w.scalar_ref(child.as_str().unwrap_or_default())?;
                w.end_item()?;
            }
            Kind::Assoc => {
                w.start_assoc()?;
                stack.push((Kind::Assoc, child.iter()));
            }
            Kind::Array => {
                w.start_array()?;
                stack.push((Kind::Array, child.iter()));
            }
        }
    }
    w.finish()
}

/// quick-xml's raw event loop: `read_event` until `Eof`, nothing else.
/// Returns the number of events so that the loop cannot be optimised away.
pub(crate) fn quick_xml_events(s: &str) -> usize {
    let mut r = quick_xml::Reader::from_str(s);
    let mut n = 0usize;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => return n,
            Ok(_) => n += 1,
            Err(e) => panic!("quick-xml: {e}"),
        }
    }
}

/// `roxmltree::Document::parse`, with `allow_dtd` set: the check_transfer
/// reply carries `<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>`, which plain
/// `parse` rejects. The flag changes nothing for inputs without a DOCTYPE.
pub(crate) fn roxmltree_parse(s: &str) -> roxmltree::Document<'_> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(s, opts).expect("roxmltree parses")
}

//! The checks behind the fuzz targets, kept in one place: every fuzz target
//! (`fuzz/fuzz_targets/*.rs`) and the CI replay test
//! (`tests/tests/fuzz_replay.rs`) include this file with `#[path]`, so a
//! corpus or regression file is checked the same way with or without
//! libFuzzer.
//!
//! A check takes the raw input bytes and panics on a finding. To add a
//! target: a function here, a file in `fuzz/fuzz_targets/` calling it, a `[[bin]]` in
//! `fuzz/Cargo.toml`, and a line in [`TARGETS`]; the replay test then picks
//! up `fuzz/seeds/<name>/` and `fuzz/regressions/<name>/` by itself.

// Each fuzz target calls one check; the replay test calls them all.
// `SimpleTransfer` is deprecated (by OpenSRS), and fuzzed on purpose.
#![allow(dead_code, deprecated)]

use std::borrow::Cow;
use std::fmt::Debug;

use arbitrary::{Arbitrary, Unstructured};
use opensrs_actions::domain::{
    CheckTransfer, CheckTransferReply, RegistrantType, ResendTradeApprovalNotice,
    ResendTradeApprovalNoticeReply, SendPassword as DomainSendPassword, SendTo, SendType,
    SimpleTransfer, SimpleTransferReply, TransferDomain, TransferStatus, TransferType,
};
use opensrs_actions::transfer::{SendPassword, SendPasswordReply};
use opensrs_actions::{DomainName, PhoneNumber, Timestamp};
use opensrs_core::code::ResponseCode;
use opensrs_core::secret::Secret;
use opensrs_core::{
    Assoc, Command, DecodeErrorKind, Document, Item, Kind, OwnedDocument, ParseError, ParseOptions,
    Reply, ReplyError, Request, RequestEnvelope, Value, WriteError, WriteErrorKind, Writer,
    write_document,
};

/// A check: panics on a finding.
pub(crate) type Check = fn(&[u8]);

/// Every target, by name (the name of its `[[bin]]` and of its folders under
/// `fuzz/seeds/` and `fuzz/regressions/`), with its check.
pub(crate) const TARGETS: &[(&str, Check)] = &[
    ("parse", parse),
    ("parse_differential", parse_differential),
    ("roundtrip", roundtrip),
    ("typed_replies", typed_replies),
    ("derive_roundtrip", derive_roundtrip),
    ("reply_handling", reply_handling),
    ("sandbox_handler", sandbox_handler),
];

/// Nodes whose position-based checks run per input: `Node::position` scans
/// the input, so checking every node of a large input would be quadratic.
const POSITION_BUDGET: usize = 256;

/// Options for reading back what the writer wrote. The output of a valid
/// document may be longer than its input (`'` becomes `&apos;`), so the
/// default limits could refuse it; what is checked here is fidelity.
fn reread_options() -> ParseOptions {
    ParseOptions {
        max_depth: usize::MAX,
        max_len: usize::MAX,
        max_nodes: usize::MAX,
    }
}

/// The `parse` target: arbitrary bytes through `opensrs_core::parse` with the
/// default limits. Never panics; an error has a position inside the input;
/// a parsed document's views are consistent, and it writes (compact and
/// pretty), re-parses to the same value, and writes again to the same bytes.
pub(crate) fn parse(data: &[u8]) {
    let doc = match opensrs_core::parse(data) {
        Ok(doc) => doc,
        Err(e) => return check_error(data, &e),
    };
    check_views(&doc);
    let owned = doc.to_owned_document();
    assert_eq!(
        doc.len(),
        count_values(&owned.value),
        "Document::len disagrees with the number of values reachable from the root"
    );
    for pretty in [false, true] {
        let xml = write_document(&owned, pretty)
            .unwrap_or_else(|e| panic!("a parsed document must write (pretty: {pretty}): {e}"));
        let again = reread_options()
            .parse_str(&xml)
            .unwrap_or_else(|e| {
                panic!("the writer's output must parse (pretty: {pretty}): {e}\n{xml}")
            })
            .to_owned_document();
        assert_eq!(
            again, owned,
            "write → parse changed the value (pretty: {pretty}):\n{xml}"
        );
        let xml2 = write_document(&again, pretty)
            .unwrap_or_else(|e| panic!("a re-parsed document must write (pretty: {pretty}): {e}"));
        assert_eq!(
            xml2, xml,
            "writing the re-parsed value gave other bytes (pretty: {pretty})"
        );
    }
}

/// The `parse_differential` target: every input is parsed twice, with the
/// parser's fast path on (as always) and off (every event read by
/// quick-xml), under the default limits and under tight ones (so that the
/// depth and node limits trip part-way). The two must give the same
/// document (header, values, keys, classes, which texts are borrowed, and
/// node positions) or the same error (kind, position, key path, message).
pub(crate) fn parse_differential(data: &[u8]) {
    let tight = ParseOptions {
        max_depth: 3,
        max_nodes: 24,
        ..ParseOptions::default()
    };
    let _ = parse_both_ways(data, &[ParseOptions::default(), tight]);
}

/// Parses `data` with the fast path on and off under each of `options`,
/// asserts that the two agree, and returns the result under the first
/// options (for tests that check it against known values).
pub(crate) fn parse_both_ways(
    data: &[u8],
    options: &[ParseOptions],
) -> Result<OwnedDocument, ParseError> {
    let mut first = None;
    for opts in options {
        let fast = opts.parse(data);
        let slow = opensrs_core::__private::parse_without_fast_path(opts, data);
        let result = match (fast, slow) {
            (Ok(fast), Ok(slow)) => {
                same_document(&fast, &slow);
                Ok(fast.to_owned_document())
            }
            (Err(fast), Err(slow)) => {
                assert_eq!(
                    fast, slow,
                    "the fast path and quick-xml disagree on the error ({opts:?})"
                );
                Err(fast)
            }
            (fast, slow) => panic!(
                "the fast path and quick-xml disagree ({opts:?}):\n  fast: {:?}\n  slow: {:?}",
                fast.map(|d| d.to_owned_document()),
                slow.map(|d| d.to_owned_document())
            ),
        };
        first.get_or_insert(result);
    }
    first.expect("at least one set of options")
}

/// Asserts that two parses of the same input are the same document, node
/// by node, in one walk over both.
fn same_document(a: &Document<'_>, b: &Document<'_>) {
    assert_eq!(a.header(), b.header(), "headers differ");
    assert_eq!(a.len(), b.len(), "value counts differ");
    let mut budget = POSITION_BUDGET;
    let mut stack = vec![(a.root(), b.root())];
    while let Some((x, y)) = stack.pop() {
        let at = x.path();
        assert_eq!(at, y.path(), "paths differ");
        assert_eq!(x.kind(), y.kind(), "kinds differ at {at}");
        assert_eq!(x.key(), y.key(), "keys differ at {at}");
        assert_eq!(x.class(), y.class(), "classes differ at {at}");
        assert_eq!(x.as_str(), y.as_str(), "texts differ at {at}");
        assert_eq!(
            x.is_materialised(),
            y.is_materialised(),
            "one text is borrowed, the other copied, at {at}"
        );
        assert_eq!(x.len(), y.len(), "child counts differ at {at}");
        if budget > 0 {
            budget -= 1;
            assert_eq!(x.position(), y.position(), "positions differ at {at}");
        }
        stack.extend(x.iter().zip(y.iter()));
    }
}

/// The `roundtrip` target: the bytes are decoded into an arbitrary
/// [`OwnedDocument`] (ops-core's `arbitrary` feature), which is written
/// (compact and pretty) and parsed back: it must be equal. The writer may
/// refuse a document only for a character XML 1.0 cannot carry, and must
/// refuse every document that holds one.
pub(crate) fn roundtrip(data: &[u8]) {
    let Ok(doc) = OwnedDocument::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let forbidden = forbidden_chars(&doc);
    for pretty in [false, true] {
        match write_document(&doc, pretty) {
            Ok(xml) => {
                assert!(
                    forbidden.is_empty(),
                    "the writer accepted forbidden characters {forbidden:X?} (pretty: {pretty})"
                );
                let back = reread_options()
                    .parse_str(&xml)
                    .unwrap_or_else(|e| {
                        panic!("the writer's output must parse (pretty: {pretty}): {e}\n{xml}")
                    })
                    .to_owned_document();
                assert_eq!(
                    back, doc,
                    "write → parse changed the value (pretty: {pretty}):\n{xml}"
                );
                let xml2 = write_document(&back, pretty)
                    .unwrap_or_else(|e| panic!("a re-parsed document must write: {e}"));
                assert_eq!(xml2, xml, "writing the re-parsed value gave other bytes");
            }
            Err(e) => match e.kind() {
                WriteErrorKind::ForbiddenChar(c) => assert!(
                    forbidden.contains(c),
                    "the writer refused U+{c:04X}, which is not a forbidden character of the \
                     document (those are {forbidden:X?}): {e}"
                ),
                _ => panic!("the writer may only refuse forbidden characters, not: {e}"),
            },
        }
    }
}

/// A parse error must point inside the input and display without panicking.
fn check_error(data: &[u8], e: &ParseError) {
    let p = e.position();
    assert!(
        p.offset <= data.len(),
        "error offset {} past the end of a {}-byte input: {e}",
        p.offset,
        data.len()
    );
    assert!(
        p.line >= 1 && p.column >= 1,
        "line and column are 1-based: {p:?}"
    );
    assert!(!e.to_string().is_empty());
}

/// Walks every value of a parsed document through the borrowed views and
/// checks that they agree with each other. Iterative, like the parser.
fn check_views(doc: &Document<'_>) {
    let root = doc.root();
    assert!(root.parent().is_none(), "the root has a parent");
    let mut budget = POSITION_BUDGET;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        let _ = node.path();
        match node.kind() {
            Kind::Scalar | Kind::ScalarRef => {
                assert!(node.as_str().is_some(), "a scalar without text");
                assert_eq!(node.len(), 0, "a scalar with children");
                assert!(node.iter().next().is_none(), "a scalar with children");
            }
            Kind::Assoc | Kind::Array => {
                assert!(node.as_str().is_none(), "a container with text");
                assert_eq!(node.iter().len(), node.len());
                let check_positions = budget > 0;
                if check_positions {
                    budget -= 1;
                }
                let here = check_positions.then(|| node.position());
                for (i, child) in node.iter().enumerate() {
                    if node.kind() == Kind::Array {
                        assert_eq!(
                            child.key().parse::<u64>().ok(),
                            Some(i as u64),
                            "dt_array element {i} has key `{}`",
                            child.key()
                        );
                    }
                    if let Some(here) = here {
                        let at = child.position();
                        assert_eq!(
                            child.parent().map(|p| p.position()),
                            Some(here),
                            "bad parent link"
                        );
                        let found = match node.kind() {
                            Kind::Array => node.index(i),
                            _ => node.get(child.key()),
                        };
                        assert_eq!(
                            found.map(|n| n.position()),
                            Some(at),
                            "lookup of item {i} failed"
                        );
                    }
                    stack.push(child);
                }
            }
        }
    }
}

/// Number of values in a tree (containers and scalars).
fn count_values(v: &Value) -> usize {
    let mut n = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        n += 1;
        match v {
            Value::Assoc(a) => stack.extend(a.iter().map(|(_, item)| &item.value)),
            Value::Array(a) => stack.extend(a.iter().map(|item| &item.value)),
            Value::Scalar(_) | Value::ScalarRef(_) => {}
        }
    }
    n
}

/// Whether XML 1.0 allows `c` (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// The characters of a document that XML 1.0 cannot carry, in any string:
/// header fields, keys, classes and text.
fn forbidden_chars(doc: &OwnedDocument) -> Vec<u32> {
    let mut out = Vec::new();
    let mut scan = |s: &str| {
        out.extend(s.chars().filter(|&c| !is_xml_char(c)).map(u32::from));
    };
    let h = &doc.header;
    for s in [Some(&h.version), h.msg_id.as_ref(), h.msg_type.as_ref()]
        .into_iter()
        .flatten()
    {
        scan(s);
    }
    let mut stack = vec![&doc.value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Scalar(s) | Value::ScalarRef(s) => scan(s),
            Value::Assoc(a) => {
                for (k, item) in a.iter() {
                    scan(k);
                    if let Some(c) = &item.class {
                        scan(c);
                    }
                    stack.push(&item.value);
                }
            }
            Value::Array(a) => {
                for item in a.iter() {
                    if let Some(c) = &item.class {
                        scan(c);
                    }
                    stack.push(&item.value);
                }
            }
        }
    }
    out
}

// ---- typed_replies ----------------------------------------------------

/// Decodes `doc` as a request of command `$c`; on success, the request
/// re-encodes (compact and pretty), re-parses and decodes to an equal one.
macro_rules! request_roundtrip {
    ($c:ty, $doc:expr) => {
        if let Ok(req) = <$c as Command>::decode_request($doc) {
            request_rules::<$c>($doc);
            for pretty in [false, true] {
                let xml = if pretty { req.encode_pretty() } else { req.encode() }
                    .unwrap_or_else(|e| {
                        panic!(
                            "a decoded {} request must encode (pretty: {pretty}): {e}",
                            <$c as Command>::ACTION
                        )
                    });
                let doc2 = reread(&xml);
                let again = <$c as Command>::decode_request(&doc2).unwrap_or_else(|e| {
                    panic!(
                        "a re-encoded {} request must decode (pretty: {pretty}): {e}\n{xml}",
                        <$c as Command>::ACTION
                    )
                });
                assert_eq!(
                    again,
                    req,
                    "{} request: decode → encode → decode changed it (pretty: {pretty}):\n{xml}",
                    <$c as Command>::ACTION
                );
            }
        }
    };
}

/// Decodes `doc` as a reply to command `$c`; on success, the reply
/// re-encodes (compact and pretty), re-parses and decodes to an equal one.
/// An error must display.
macro_rules! reply_roundtrip {
    ($c:ty, $doc:expr) => {
        let result = <$c as Command>::decode_reply($doc);
        reply_rules::<$c>($doc, result.as_ref().err());
        match result {
            Err(e) => assert!(!e.to_string().is_empty()),
            Ok(reply) => {
                for pretty in [false, true] {
                    let xml = encode_reply::<$c>(&reply, pretty).unwrap_or_else(|e| {
                        panic!(
                            "a decoded {} reply must encode (pretty: {pretty}): {e}",
                            <$c as Command>::ACTION
                        )
                    });
                    let doc2 = reread(&xml);
                    let again = <$c as Command>::decode_reply(&doc2).unwrap_or_else(|e| {
                        panic!(
                            "a re-encoded {} reply must decode (pretty: {pretty}): {e}\n{xml}",
                            <$c as Command>::ACTION
                        )
                    });
                    assert_eq!(
                        again,
                        reply,
                        "{} reply: decode → encode → decode changed it (pretty: {pretty}):\n{xml}",
                        <$c as Command>::ACTION
                    );
                }
            }
        }
    };
}

/// The reply rules (issue 15), checked against the untyped view for a
/// typed decode that gave `err` (`None`: it succeeded):
/// - a typed success is a reply view that reports success (`REPLY`,
///   `is_success` 1, a 2xx code), with `protocol` absent or `XCP` and
///   `object` absent or the command's (any case);
/// - a reply view that does not report success, with a good protocol and
///   object, is `ReplyError::Api` with its code and text (server-level
///   errors without `action` or `object` included), never a decode error;
/// - a `protocol` present and not `XCP` is a `protocol` mismatch.
fn reply_rules<C: Command>(doc: &Document<'_>, err: Option<&ReplyError>) {
    let view = Reply::from_document(doc);
    let Ok(view) = view else {
        assert!(
            err.is_some(),
            "{}: a typed reply decoded where the view did not",
            C::ACTION
        );
        return;
    };
    let protocol_ok = view
        .protocol()
        .is_none_or(|p| p.eq_ignore_ascii_case("XCP"));
    let object_ok = view
        .object()
        .is_none_or(|o| o.eq_ignore_ascii_case(C::OBJECT));
    match err {
        None => {
            assert!(
                view.is_success(),
                "{}: decoded a reply that reports failure",
                C::ACTION
            );
            assert!(view.is_reply_action() && view.success_flag() == Some(true));
            assert!(
                protocol_ok && object_ok,
                "{}: decoded another protocol or object",
                C::ACTION
            );
        }
        Some(ReplyError::Api(api)) => {
            assert!(
                !view.is_success(),
                "{}: an API error for a success",
                C::ACTION
            );
            assert!(protocol_ok && object_ok);
            assert_eq!(api.code, view.response_code());
            assert_eq!(api.text, view.response_text());
            assert_eq!(api.class(), view.response_code().class());
        }
        Some(ReplyError::Decode(e)) => {
            if !protocol_ok {
                assert!(
                    matches!(
                        e.kind(),
                        DecodeErrorKind::Mismatch {
                            what: "protocol",
                            ..
                        }
                    ),
                    "{}: a bad protocol must be a protocol mismatch: {e}",
                    C::ACTION
                );
            } else if object_ok {
                assert!(
                    view.is_success(),
                    "{}: a failing reply must be the API error, not: {e}",
                    C::ACTION
                );
            }
        }
        Some(e) => panic!("{}: a parsed document cannot give {e}", C::ACTION),
    }
}

/// The request rules (issue 15), for a document that decoded as a request
/// of `C`: `protocol` is `XCP` (any case), every top-level item is the
/// command's own or one every request may hold, and the
/// [`RequestEnvelope`] keeps the extras through encode → decode.
fn request_rules<C: Command + PartialEq + Debug>(doc: &Document<'_>) {
    let req = Request::from_document(doc).expect("a decoded request has a request view");
    assert!(
        req.protocol().eq_ignore_ascii_case("XCP"),
        "{}: protocol {:?}",
        C::ACTION,
        req.protocol()
    );
    for item in req.root().iter() {
        let key = item.key();
        assert!(
            matches!(key, "protocol" | "action" | "object" | "attributes")
                || opensrs_core::REQUEST_EXTRAS.contains(&key)
                || C::TOP_ITEMS.contains(&key),
            "{}: decoded a request with the unknown top-level item {key:?}",
            C::ACTION
        );
    }
    let full = RequestEnvelope::<C>::decode(doc).unwrap_or_else(|e| {
        panic!(
            "{}: decode_request accepted, RequestEnvelope refused: {e}",
            C::ACTION
        )
    });
    let xml = full
        .encode()
        .unwrap_or_else(|e| panic!("{}: a decoded envelope must encode: {e}", C::ACTION));
    let back = RequestEnvelope::<C>::decode(&reread(&xml)).unwrap_or_else(|e| {
        panic!(
            "{}: a re-encoded envelope must decode: {e}\n{xml}",
            C::ACTION
        )
    });
    assert_eq!(
        back,
        full,
        "{}: the extras changed through encode → decode:\n{xml}",
        C::ACTION
    );
}

/// Parses what an encoder wrote, with generous limits.
fn reread(xml: &str) -> Document<'_> {
    reread_options()
        .parse_str(xml)
        .unwrap_or_else(|e| panic!("the encoder's output must parse: {e}\n{xml}"))
}

/// `C::encode_reply`, or its pretty form through `encode_reply_to`.
fn encode_reply<C: Command>(reply: &C::Response<'_>, pretty: bool) -> Result<String, WriteError> {
    if !pretty {
        return C::encode_reply(reply);
    }
    let mut w = Writer::pretty(String::new());
    C::encode_reply_to(reply, &mut w)?;
    w.finish()
}

/// The `typed_replies` target: arbitrary bytes through `opensrs_core::parse`
/// (default limits), then through the request and reply decoders of every
/// command registered in `opensrs_actions::with_commands!`. Never panics
/// (errors are fine); what decodes re-encodes, re-parses and decodes to an
/// equal value.
pub(crate) fn typed_replies(data: &[u8]) {
    let Ok(doc) = opensrs_core::parse(data) else {
        return;
    };
    macro_rules! every_command {
        ($(($object:ident, $action:ident) => $module:ident :: $ty:ident,)*) => {
            $(
                request_roundtrip!(opensrs_actions::$module::$ty, &doc);
                reply_roundtrip!(opensrs_actions::$module::$ty, &doc);
            )*
        };
    }
    opensrs_actions::with_commands!(every_command);
}

// ---- derive_roundtrip -------------------------------------------------

/// Builds typed values from fuzzer bytes through the public constructors,
/// and remembers every string it put in them (to check the writer's
/// refusals against).
struct Gen<'u, 'a> {
    u: &'u mut Unstructured<'a>,
    texts: Vec<String>,
}

/// Pieces of text that break codecs.
const AWKWARD: &[&str] = &[
    "<&>\"'",
    "]]>",
    "<![CDATA[",
    "&amp;",
    "&#65;",
    "é",
    "✓",
    "𝄞",
    "\u{FFFD}",
    "\u{85}",
    "\u{2028}",
    "\r\n",
    "\r",
    "\n",
    "\t",
    " ",
    "  ",
    "\u{0}",
    "\u{1}",
    "\u{B}",
    "\u{FFFE}",
    "\u{D7FF}",
    "\u{E000}",
    "--",
    "?>",
    "<item key=\"x\">",
    "</dt_scalar>",
];

impl<'u, 'a> Gen<'u, 'a> {
    /// Arbitrary text, biased towards [`AWKWARD`] pieces; may be empty.
    fn text(&mut self) -> arbitrary::Result<String> {
        let n = self.u.int_in_range(0..=8)?;
        let mut s = String::new();
        for _ in 0..n {
            match self.u.int_in_range(0..=7)? {
                0 | 1 => s.push_str(self.u.choose(AWKWARD)?),
                2 => s.push(char::arbitrary(self.u)?),
                3 => s.push_str(<&str>::arbitrary(self.u)?),
                _ => s.push(char::from(self.u.int_in_range(b'a'..=b'z')?)),
            }
        }
        self.texts.push(s.clone());
        Ok(s)
    }

    /// A domain name, or `None` when `DomainName::new` refuses the
    /// candidate (not a finding).
    fn domain(&mut self) -> arbitrary::Result<Option<DomainName>> {
        const LABELS: &[&str] = &[
            "example",
            "com",
            "net",
            "xn--bcher-kva",
            "bücher",
            "EXAMPLE",
            "a",
            "co",
            "uk",
            "xn--",
            "-a",
            "a-",
            "123",
            "münchen",
            "ß",
            "ﬁ",
            "_x",
            "",
        ];
        let n = self.u.int_in_range(1..=4)?;
        let mut labels = Vec::new();
        for _ in 0..n {
            labels.push(match self.u.int_in_range(0..=3)? {
                0 => {
                    let len = self.u.int_in_range(1..=70)?;
                    let mut l = String::new();
                    for _ in 0..len {
                        l.push(*self.u.choose(&['a', 'z', '0', '9', '-', 'Q', 'é'])?);
                    }
                    l
                }
                1 => <&str>::arbitrary(self.u)?.to_owned(),
                _ => (*self.u.choose(LABELS)?).to_owned(),
            });
        }
        let mut name = labels.join(".");
        if self.u.ratio(1, 16)? {
            name.push('.');
        }
        Ok(DomainName::new(&name).ok())
    }

    /// A phone number, or `None` when `PhoneNumber::new` refuses it.
    fn phone(&mut self) -> arbitrary::Result<Option<PhoneNumber>> {
        let mut s = String::new();
        let n = self.u.int_in_range(0..=24)?;
        if self.u.ratio(7, 8)? {
            s.push('+');
        }
        let cc = self.u.int_in_range(1..=3)?;
        for _ in 0..cc {
            s.push(char::from(self.u.int_in_range(b'0'..=b'9')?));
        }
        for _ in 0..n {
            s.push(*self.u.choose(&[
                '0', '1', '2', '5', '9', '0', '3', '.', 'x', ' ', '-', '+', '٣',
            ])?);
        }
        Ok(PhoneNumber::new(&s).ok())
    }

    fn code(&mut self) -> arbitrary::Result<ResponseCode> {
        Ok(ResponseCode::from(u16::arbitrary(self.u)?))
    }

    fn cow(&mut self) -> arbitrary::Result<Cow<'static, str>> {
        Ok(Cow::Owned(self.text()?))
    }

    fn opt<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> arbitrary::Result<T>,
    ) -> arbitrary::Result<Option<T>> {
        if bool::arbitrary(self.u)? {
            Ok(Some(f(self)?))
        } else {
            Ok(None)
        }
    }

    /// An `Unknown` status or type text that no named variant claims
    /// (those decode, case-insensitively, to the named one by design).
    fn unknown(&mut self, named: &[&str]) -> arbitrary::Result<Option<String>> {
        let s = self.text()?;
        Ok((!named.iter().any(|n| n.eq_ignore_ascii_case(&s))).then_some(s))
    }

    fn status(&mut self) -> arbitrary::Result<Option<TransferStatus>> {
        Ok(Some(match self.u.int_in_range(0..=6)? {
            0 => TransferStatus::PendingOwner,
            1 => TransferStatus::PendingAdmin,
            2 => TransferStatus::PendingRegistry,
            3 => TransferStatus::Completed,
            4 => TransferStatus::Cancelled,
            5 => TransferStatus::Undef,
            _ => match self.unknown(&[
                "pending_owner",
                "pending_admin",
                "pending_registry",
                "completed",
                "cancelled",
                "undef",
            ])? {
                Some(s) => TransferStatus::Unknown(s),
                None => return Ok(None),
            },
        }))
    }

    fn transfer_type(&mut self) -> arbitrary::Result<Option<TransferType>> {
        Ok(Some(match self.u.int_in_range(0..=2)? {
            0 => TransferType::Reg2Reg,
            1 => TransferType::Rsp2Rsp,
            _ => match self.unknown(&["reg2reg", "rsp2rsp"])? {
                Some(s) => TransferType::Unknown(s),
                None => return Ok(None),
            },
        }))
    }

    /// Unknown attribute items for a `rest` field: keys none of the
    /// struct's own fields claims, arbitrary values.
    fn rest(&mut self, own: &[&str]) -> arbitrary::Result<Assoc> {
        let mut a = Assoc::new();
        let n = self.u.int_in_range(0..=4)?;
        let noted = self.texts.len();
        for _ in 0..n {
            let key = self.text()?;
            if own.contains(&key.as_str()) {
                continue;
            }
            let class = if self.u.ratio(1, 8)? {
                Some(self.text()?)
            } else {
                None
            };
            let value = Value::arbitrary(self.u)?;
            a.insert_item(key, Item { class, value });
        }
        self.texts.truncate(noted);
        // Only what the final map holds counts (a repeated key replaces the
        // earlier item, whose strings text() had noted).
        for (k, item) in a.iter() {
            self.texts.push(k.to_owned());
            if let Some(c) = &item.class {
                self.texts.push(c.clone());
            }
            scan_value(&item.value, &mut |s| self.texts.push(s.to_owned()));
        }
        Ok(a)
    }

    /// The forbidden characters (XML 1.0 `Char`) in what was generated.
    fn forbidden(&self) -> Vec<u32> {
        self.texts
            .iter()
            .flat_map(|s| s.chars())
            .filter(|&c| !is_xml_char(c))
            .map(u32::from)
            .collect()
    }
}

/// Checks an encoder's result: output only if the value holds no forbidden
/// character, `ForbiddenChar` only for one it holds, no other error.
fn check_encoded(
    what: &str,
    result: Result<String, WriteError>,
    forbidden: &[u32],
) -> Option<String> {
    match result {
        Ok(xml) => {
            assert!(
                forbidden.is_empty(),
                "{what}: the encoder accepted forbidden characters {forbidden:X?}:\n{xml}"
            );
            Some(xml)
        }
        Err(e) => match e.kind() {
            WriteErrorKind::ForbiddenChar(c) => {
                assert!(
                    forbidden.contains(c),
                    "{what}: the encoder refused U+{c:04X}, not a forbidden character of the \
                     value (those are {forbidden:X?}): {e}"
                );
                None
            }
            _ => panic!("{what}: the encoder may only refuse forbidden characters, not: {e}"),
        },
    }
}

/// A typed request: encode (compact and pretty) → parse → decode → equal.
fn request_back<C: Command + PartialEq + Debug>(req: &C, forbidden: &[u32]) {
    for pretty in [false, true] {
        let what = format!("{} request (pretty: {pretty})", C::ACTION);
        let result = if pretty {
            req.encode_pretty()
        } else {
            req.encode()
        };
        let Some(xml) = check_encoded(&what, result, forbidden) else {
            continue;
        };
        let doc = reread(&xml);
        let back = C::decode_request(&doc)
            .unwrap_or_else(|e| panic!("{what}: the encoded request must decode: {e}\n{xml}"));
        assert_eq!(&back, req, "{what}: encode → decode changed it:\n{xml}");
    }
}

/// A typed reply: encode (compact and pretty) → parse → decode → equal.
macro_rules! reply_back {
    ($c:ty, $reply:expr, $forbidden:expr) => {
        for pretty in [false, true] {
            let what = format!("{} reply (pretty: {pretty})", <$c as Command>::ACTION);
            let result = encode_reply::<$c>($reply, pretty);
            let Some(xml) = check_encoded(&what, result, $forbidden) else {
                continue;
            };
            let doc = reread(&xml);
            // A reply whose code is not a success code is a failure, even
            // with `is_success` 1 (issue 15): it decodes as the API error
            // with that code and the reply's text.
            let view = Reply::from_document(&doc)
                .unwrap_or_else(|e| panic!("{what}: the encoded reply must read: {e}\n{xml}"));
            if !view.is_success() {
                match <$c as Command>::decode_reply(&doc) {
                    Err(ReplyError::Api(a)) => {
                        assert_eq!(a.code, view.response_code(), "{what}: {xml}");
                        assert_eq!(a.text, view.response_text(), "{what}: {xml}");
                    }
                    other => {
                        panic!("{what}: a failure code must be the API error, got {other:?}\n{xml}")
                    }
                }
                continue;
            }
            let back = <$c as Command>::decode_reply(&doc)
                .unwrap_or_else(|e| panic!("{what}: the encoded reply must decode: {e}\n{xml}"));
            assert_eq!(&back, $reply, "{what}: encode → decode changed it:\n{xml}");
        }
    };
}

/// The `derive_roundtrip` target: the first byte picks a request or reply
/// of one of the four commands, the rest builds it through the public
/// constructors (inputs they refuse are skipped); it must encode (compact
/// and pretty), parse and decode back equal, the writer's refusal of a
/// character XML 1.0 cannot carry being the only allowed error.
pub(crate) fn derive_roundtrip(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let mut g = Gen {
        u: &mut u,
        texts: Vec::new(),
    };
    let _ = derive_one(&mut g);
}

fn derive_one(g: &mut Gen<'_, '_>) -> arbitrary::Result<()> {
    match g.u.int_in_range(0u8..=9)? {
        8 => {
            let Some(domain_name) = g.domain()? else {
                return Ok(());
            };
            let send_to =
                *g.u.choose(&[None, Some(SendTo::Owner), Some(SendTo::Admin)])?;
            let req = DomainSendPassword {
                domain_name,
                send_to,
                sub_user: Option::<bool>::arbitrary(g.u)?,
            };
            request_back(&req, &g.forbidden());
        }
        9 => {
            let reply = SendPasswordReply {
                response_code: g.code()?,
                response_text: g.cow()?,
            };
            reply_back!(DomainSendPassword, &reply, &g.forbidden());
        }
        0 => {
            let Some(domain_name) = g.domain()? else {
                return Ok(());
            };
            request_back(&SendPassword { domain_name }, &g.forbidden());
        }
        1 => {
            let Some(domain) = g.domain()? else {
                return Ok(());
            };
            let registrant =
                *g.u.choose(&[RegistrantType::New, RegistrantType::Current])?;
            let send = *g.u.choose(&[SendType::Sms, SendType::Email])?;
            let phone = if bool::arbitrary(g.u)? {
                match g.phone()? {
                    Some(p) => Some(p),
                    None => return Ok(()),
                }
            } else {
                None
            };
            // The rules (SMS only to the current registrant, a phone only
            // with SMS) refuse some combinations: skipped.
            let Ok(req) = ResendTradeApprovalNotice::new(domain, registrant, send, phone) else {
                return Ok(());
            };
            request_back(&req, &g.forbidden());
        }
        2 => {
            let n = g.u.int_in_range(0..=6)?;
            let mut domains = Vec::new();
            for _ in 0..n {
                let Some(d) = g.domain()? else {
                    return Ok(());
                };
                let auth = g.text()?;
                domains.push(TransferDomain::new(d, Secret::new(auth)));
            }
            let m = g.u.int_in_range(0..=3)?;
            let mut ns = Vec::new();
            for _ in 0..m {
                let Some(d) = g.domain()? else {
                    return Ok(());
                };
                ns.push(d);
            }
            // An empty domain_list is refused by the constructor.
            let Ok(req) = SimpleTransfer::new(domains, ns) else {
                return Ok(());
            };
            request_back(&req, &g.forbidden());
        }
        3 => {
            let Some(domain) = g.domain()? else {
                return Ok(());
            };
            let req = CheckTransfer {
                domain,
                check_status: Option::<bool>::arbitrary(g.u)?,
                get_request_address: Option::<bool>::arbitrary(g.u)?,
            };
            request_back(&req, &g.forbidden());
        }
        4 => {
            let reply = SendPasswordReply {
                response_code: g.code()?,
                response_text: g.cow()?,
            };
            reply_back!(SendPassword, &reply, &g.forbidden());
        }
        5 => {
            let reply = ResendTradeApprovalNoticeReply {
                response_code: g.code()?,
                response_text: g.cow()?,
            };
            reply_back!(ResendTradeApprovalNotice, &reply, &g.forbidden());
        }
        6 => {
            let reply = SimpleTransferReply {
                response_code: g.code()?,
                response_text: g.cow()?,
                simple_transfer_job_id: g.cow()?,
            };
            reply_back!(SimpleTransfer, &reply, &g.forbidden());
        }
        _ => {
            let response_code = g.code()?;
            let response_text = g.cow()?;
            let transferrable = Option::<bool>::arbitrary(g.u)?;
            let noservice = Option::<bool>::arbitrary(g.u)?;
            let reason = g.opt(Gen::cow)?;
            let reason_code = g.opt(Gen::cow)?;
            let request_address = g.opt(Gen::cow)?;
            let status = if bool::arbitrary(g.u)? {
                match g.status()? {
                    Some(s) => Some(s),
                    None => return Ok(()),
                }
            } else {
                None
            };
            let timestamp = g.opt(|g| Ok(Timestamp::new(g.text()?)))?;
            let transfer_type = if bool::arbitrary(g.u)? {
                match g.transfer_type()? {
                    Some(t) => Some(t),
                    None => return Ok(()),
                }
            } else {
                None
            };
            let unixtime = Option::<i64>::arbitrary(g.u)?;
            let other = g.rest(&[
                "transferrable",
                "noservice",
                "reason",
                "reason_code",
                "request_address",
                "status",
                "timestamp",
                "type",
                "unixtime",
            ])?;
            let reply = CheckTransferReply {
                response_code,
                response_text,
                transferrable,
                noservice,
                reason,
                reason_code,
                request_address,
                status,
                timestamp,
                transfer_type,
                unixtime,
                other,
            };
            reply_back!(CheckTransfer, &reply, &g.forbidden());
        }
    }
    Ok(())
}

/// Calls `f` on every string of a value: keys, classes and text.
fn scan_value(v: &Value, f: &mut dyn FnMut(&str)) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Scalar(s) | Value::ScalarRef(s) => f(s),
            Value::Assoc(a) => {
                for (k, item) in a.iter() {
                    f(k);
                    if let Some(c) = &item.class {
                        f(c);
                    }
                    stack.push(&item.value);
                }
            }
            Value::Array(a) => {
                for item in a.iter() {
                    if let Some(c) = &item.class {
                        f(c);
                    }
                    stack.push(&item.value);
                }
            }
        }
    }
}

// ---- reply_handling ----------------------------------------------------

/// The reply limit `reply_handling` gives the client (bodies past it are
/// refused as too long by the parser, as the transport refuses them).
const REPLY_LIMIT: usize = 16 * 1024;

/// The longest error message the client may print for one reply.
const MAX_CLIENT_MESSAGE: usize = 600;

/// HTTP statuses `reply_handling` picks from (the first input byte).
const STATUSES: &[u16] = &[
    200, 201, 204, 299, 300, 301, 400, 401, 403, 404, 405, 413, 429, 500, 501, 502, 503, 504, 599,
];

/// A secret `reply_handling` slips into the body: no error may quote it.
const MARKER: &str = "Sekr3tMarker9q";

/// The `reply_handling` target: an HTTP status and a body through the
/// client's reply handling (`opensrs_client::__handle_reply`, the code
/// `Client::send` runs on each reply), for `CheckTransfer` (changes nothing)
/// and `SendPassword` (changes state). The first byte picks the status:
/// below 160 it is 200, up to 239 one of [`STATUSES`], above that the next
/// two bytes (big-endian); the rest is the body.
///
/// Never panics; a typed reply only for a 2xx status; 401 is the
/// authentication error and any other non-2xx status the HTTP error; for a
/// 2xx body the outcome is exactly what parsing and `decode_reply` say (the
/// reply, the same API error, or a decode error); a retry is offered only
/// to `CheckTransfer`, and only for 502 to 504 or a "try later" code; every
/// message is at most [`MAX_CLIENT_MESSAGE`] characters and quotes no
/// secret item's value (checked again with an item `password` holding
/// [`MARKER`] slipped into the body).
pub(crate) fn reply_handling(data: &[u8]) {
    let Some((&tag, rest)) = data.split_first() else {
        return;
    };
    let (status, body) = match tag {
        0..=159 => (200, rest),
        160..=239 => (STATUSES[usize::from(tag - 160) % STATUSES.len()], rest),
        _ => match rest {
            [a, b, body @ ..] => (u16::from_be_bytes([*a, *b]), body),
            _ => return,
        },
    };
    handle_as::<CheckTransfer>(status, body);
    handle_as::<SendPassword>(status, body);
    if !contains(body, MARKER.as_bytes()) {
        let with_secret = slip_secret(body);
        for e in [
            opensrs_client::__handle_reply::<CheckTransfer>(
                status,
                with_secret.clone(),
                REPLY_LIMIT,
            )
            .0
            .err(),
            opensrs_client::__handle_reply::<SendPassword>(status, with_secret, REPLY_LIMIT)
                .0
                .err(),
        ]
        .into_iter()
        .flatten()
        {
            let msg = e.to_string();
            assert!(
                !msg.contains(MARKER),
                "an error quotes the value of a secret item: {msg}"
            );
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// `body` with `<item key="password">MARKER</item>` after its first
/// `<dt_assoc>` (at its start when it has none).
fn slip_secret(body: &[u8]) -> Vec<u8> {
    let item = format!(r#"<item key="password">{MARKER}</item>"#);
    let open = b"<dt_assoc>";
    let at = body
        .windows(open.len())
        .position(|w| w == open)
        .map_or(0, |i| i + open.len());
    let mut out = Vec::with_capacity(body.len() + item.len());
    out.extend_from_slice(&body[..at]);
    out.extend_from_slice(item.as_bytes());
    out.extend_from_slice(&body[at..]);
    out
}

fn handle_as<C>(status: u16, body: &[u8])
where
    C: Command,
    for<'d> C::Response<'d>: opensrs_core::IntoOwned<Owned = C::Response<'static>>,
    C::Response<'static>: PartialEq + Debug,
{
    use opensrs_client::ClientError;
    let (result, retried) = opensrs_client::__handle_reply::<C>(status, body.to_vec(), REPLY_LIMIT);
    let name = C::ACTION;
    if let Err(e) = &result {
        let msg = e.to_string();
        assert!(
            msg.chars().count() <= MAX_CLIENT_MESSAGE,
            "{name}: a message of {} characters: {msg}",
            msg.chars().count()
        );
    }
    assert!(
        !retried || C::IDEMPOTENT,
        "{name} changes state but the reply handling offers a retry"
    );
    let http_retry = matches!(status, 502..=504);
    match status {
        200..=299 => {}
        401 => {
            assert!(
                matches!(result, Err(ClientError::Authentication { .. })),
                "{name}: HTTP 401 must be the authentication error: {result:?}"
            );
            assert!(!retried, "{name}: a 401 is never retried");
            return;
        }
        _ => {
            match &result {
                Err(ClientError::Http { status: s, .. }) => assert_eq!(*s, status),
                other => panic!("{name}: HTTP {status} must be the HTTP error: {other:?}"),
            }
            assert_eq!(
                retried,
                C::IDEMPOTENT && http_retry,
                "{name}: HTTP {status}: retry offered {retried}"
            );
            return;
        }
    }
    // The oracle: parse with the same limit, decode with the command.
    let options = ParseOptions {
        max_len: REPLY_LIMIT,
        ..ParseOptions::default()
    };
    let doc = match options.parse(body) {
        Ok(doc) => doc,
        Err(_) => {
            assert!(
                matches!(result, Err(ClientError::Decode { .. })),
                "{name}: a body that does not parse must be a decode error: {result:?}"
            );
            assert!(
                !retried,
                "{name}: a body that does not parse is never retried"
            );
            return;
        }
    };
    let try_later = Reply::from_document(&doc)
        .is_ok_and(|r| !r.is_success() && opensrs_client::is_try_later(r.response_code()));
    assert_eq!(
        retried,
        C::IDEMPOTENT && try_later,
        "{name}: retry offered {retried} for a reply (try later: {try_later})"
    );
    match (C::decode_reply(&doc), &result) {
        (Ok(expected), Ok(got)) => {
            assert_eq!(
                &opensrs_core::IntoOwned::into_owned(expected),
                got,
                "{name}"
            )
        }
        (Err(ReplyError::Api(expected)), Err(ClientError::Api(got))) => {
            assert_eq!(&expected, got, "{name}")
        }
        (Err(ReplyError::Decode(_) | ReplyError::Parse(_)), Err(ClientError::Decode { .. })) => {}
        (expected, got) => panic!(
            "{name}: the client's outcome differs from decode_reply's: {:?} vs {got:?}",
            expected.map(|_| "a typed reply")
        ),
    }
}

// ---- sandbox_handler -------------------------------------------------

/// The reseller the `sandbox_handler` target's sandbox accepts.
const SANDBOX_USER: &str = "sandbox";
/// Its key (fixed, so that an input replays the same).
const SANDBOX_KEY: &str = "fuzz-sandbox-key-0123456789abcdef";

/// Takes a length-prefixed field (one length byte, then up to that many
/// bytes) off the front of `data`.
fn take_field<'a>(data: &mut &'a [u8]) -> &'a [u8] {
    let Some((&len, rest)) = data.split_first() else {
        return &[];
    };
    let len = usize::from(len).min(rest.len());
    let (field, rest) = rest.split_at(len);
    *data = rest;
    field
}

/// The `sandbox_handler` target: one `POST /` through ops-sandbox's router
/// (no socket; `opensrs_sandbox::offline`), against a fresh default
/// scenario. The first byte is a mode:
///
/// - bits 0–1: `0` the right `X-Username` and a right `X-Signature` over
///   the body (the body reaches the commands); `1` the right username, the
///   signature from the input; `2` both from the input; `3` neither header;
/// - bit 2: `Content-Type` from the input (else `text/xml`);
/// - bit 3: the right signature in upper case (mode 0 only).
///
/// Then the header values the mode takes from the input, in the order
/// username, signature, content type, each one length byte and its bytes;
/// the rest is the body. So a seed is `\0` followed by a request body.
///
/// The answer is a 401 (only when the credentials are not right) or a 200
/// whose `text/xml` body is a well-formed OPS reply envelope
/// (`Reply::from_document`, action `REPLY`), never a panic; no answer
/// holds the key; the world's invariants hold afterwards.
pub(crate) fn sandbox_handler(data: &[u8]) {
    use opensrs_core::sign::{X_SIGNATURE, X_USERNAME, signature};
    use opensrs_sandbox::offline::Offline;

    let Some((&mode, mut rest)) = data.split_first() else {
        return;
    };
    let key = Secret::new(SANDBOX_KEY);
    let (username, sig): (Option<Vec<u8>>, Option<Vec<u8>>) = match mode & 3 {
        0 => (Some(SANDBOX_USER.as_bytes().to_vec()), None),
        1 => (
            Some(SANDBOX_USER.as_bytes().to_vec()),
            Some(take_field(&mut rest).to_vec()),
        ),
        2 => (
            Some(take_field(&mut rest).to_vec()),
            Some(take_field(&mut rest).to_vec()),
        ),
        _ => (None, None),
    };
    let content_type = if mode & 4 != 0 {
        take_field(&mut rest).to_vec()
    } else {
        b"text/xml".to_vec()
    };
    let body = rest.to_vec();
    let sig = match (mode & 3, sig) {
        (0, _) => {
            let s = signature(&body, &key).as_str().to_owned();
            Some(
                if mode & 8 != 0 {
                    s.to_ascii_uppercase()
                } else {
                    s
                }
                .into_bytes(),
            )
        }
        (_, s) => s,
    };
    let right = |v: &Option<Vec<u8>>, want: &[u8], fold: bool| {
        v.as_deref().is_some_and(|v| {
            if fold {
                v.eq_ignore_ascii_case(want)
            } else {
                v == want
            }
        })
    };
    let expected = signature(&body, &key);
    let authorised = right(&username, SANDBOX_USER.as_bytes(), false)
        && right(&sig, expected.as_str().as_bytes(), true);

    let mut headers: Vec<(&str, &[u8])> = vec![("content-type", &content_type)];
    if let Some(u) = &username {
        headers.push((X_USERNAME, u));
    }
    if let Some(s) = &sig {
        headers.push((X_SIGNATURE, s));
    }
    let sandbox = Offline::new(SANDBOX_USER, key.clone(), 1_717_416_000);
    let response = sandbox.post(&headers, body.clone());
    let text = String::from_utf8_lossy(&response.body);
    assert!(
        !text.contains(SANDBOX_KEY),
        "the answer holds the reseller key: {text}"
    );
    // A header value hyper would refuse never reaches the server: then the
    // request is unauthenticated, whatever the mode said.
    let sent = |v: &Option<Vec<u8>>| v.as_deref().is_some_and(axum_header_ok);
    let authorised = authorised && sent(&username) && sent(&sig);
    if !authorised {
        assert_eq!(
            response.status, 401,
            "unauthenticated request answered {}: {text}",
            response.status
        );
        return;
    }
    assert_eq!(
        response.status, 200,
        "signed request answered {}: {text}",
        response.status
    );
    assert_eq!(
        response.content_type.as_deref(),
        Some(&b"text/xml"[..]),
        "content type of a reply"
    );
    let doc = opensrs_core::parse(&response.body)
        .unwrap_or_else(|e| panic!("the reply does not parse: {e}\n{text}"));
    let reply = opensrs_core::Reply::from_document(&doc)
        .unwrap_or_else(|e| panic!("not a reply envelope: {e}\n{text}"));
    assert!(reply.is_reply_action(), "action is not REPLY: {text}");
    let _ = reply.response_code();
    if let Err(e) = sandbox.check_invariants() {
        panic!("invariant broken after {text}: {e}");
    }
}

/// Whether `http::HeaderValue::from_bytes` takes `v` (visible ASCII, space,
/// tab and obs-text; no control characters other than tab).
fn axum_header_ok(v: &[u8]) -> bool {
    v.iter().all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

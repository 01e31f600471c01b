//! `opensrs sign`, run as a user runs it: independent signature vectors,
//! pipes from `encode` and `request`, errors that never show the key.

#![allow(dead_code)] // `common` serves several test files.

mod common;

use common::{TempDir, xcp};

// ---- sign ------------------------------------------------------------------

/// A 112-character test key.
const KEY: &str = "9a2f4c6e8b0d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a\
                   3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a";

// Vectors computed independently with Python's hashlib:
//   m = lambda b: hashlib.md5(b).hexdigest().encode()
//   sig = lambda body, key: m(m(body + key) + key).decode()
const SIG_EMPTY: &str = "131a81fe12aabb3ffdc1f26d76cd69de";
const SIG_ABC: &str = "858968dd60a4d1e13017002872cbf4ce";
const SIG_ABC_LF: &str = "897eda106ff743c5adfaa2836601f219";
const SIG_ABC_CRLF: &str = "5723c0c6770d7a635316e04db5f540c2";
/// Of `"Zürich ✓\n"` as UTF-8.
const SIG_NON_ASCII: &str = "0ca81f92c055222067b419298834e387";
/// Of `ops-actions/fixtures/transfer/send_password/request.xml`, byte for byte.
const SIG_FIXTURE: &str = "5396f209bc59206f9a715975188b4bd8";
/// Of `ENCODED`.
const SIG_ENCODED: &str = "7dca8844a7acfb89e1d57ec2d10874ad";
/// Of `REQUESTED`.
const SIG_REQUESTED: &str = "935f9f5b4766b7b059dab2eb92d3c676";
/// Of `abc` with the key `clé✓` (UTF-8).
const SIG_UTF8_KEY: &str = "252defee978fb8a9732aa87e7c34d00a";

const ENCODED: &str = concat!(
    "<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\n",
    "<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>\n",
    "<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>",
    "<item key=\"protocol\">XCP</item><item key=\"action\">LOOKUP</item><item key=\"object\">DOMAIN</item>",
    "<item key=\"attributes\"><dt_assoc><item key=\"domain\">example.com</item></dt_assoc></item>",
    "</dt_assoc></data_block></body></OPS_envelope>"
);

const REQUESTED: &str = concat!(
    "<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\n",
    "<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>\n",
    "<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>",
    "<item key=\"protocol\">XCP</item><item key=\"action\">check_transfer</item><item key=\"object\">domain</item>",
    "<item key=\"attributes\"><dt_assoc><item key=\"domain\">example.com</item><item key=\"check_status\">1</item></dt_assoc></item>",
    "</dt_assoc></data_block></body></OPS_envelope>"
);

#[track_caller]
fn signs(key_file: &str, args: &[&str], stdin: Option<&[u8]>, expected: &str) {
    let mut all = vec!["sign", "--key-file", key_file];
    all.extend_from_slice(args);
    let run = xcp(&all, stdin).ok();
    assert_eq!(run.stdout(), format!("{expected}\n"), "{args:?}");
}

#[test]
fn sign_matches_independent_vectors() {
    let dir = TempDir::new("sign");
    // Whitespace around the key is trimmed.
    let key = dir.file("key", format!(" \t{KEY}\r\n\n").as_bytes());
    let bare = dir.file("key-bare", KEY.as_bytes());
    for k in [&key, &bare] {
        signs(k, &[], Some(b""), SIG_EMPTY);
        signs(k, &["-"], Some(b"abc"), SIG_ABC);
    }
    // The body's bytes exactly: a trailing newline is signed, not stripped.
    signs(&key, &[], Some(b"abc\n"), SIG_ABC_LF);
    signs(&key, &[], Some(b"abc\r\n"), SIG_ABC_CRLF);
    let lf = dir.file("abc-lf", b"abc\n");
    signs(&key, &[&lf], None, SIG_ABC_LF);
    let empty = dir.file("empty", b"");
    signs(&key, &[&empty], None, SIG_EMPTY);
    signs(&key, &[], Some("Zürich ✓\n".as_bytes()), SIG_NON_ASCII);
    let non_ascii = dir.file("non-ascii", "Zürich ✓\n".as_bytes());
    signs(&key, &[&non_ascii], None, SIG_NON_ASCII);
    signs(
        &key,
        &["ops-actions/fixtures/transfer/send_password/request.xml"],
        None,
        SIG_FIXTURE,
    );
    // The key is UTF-8 bytes too.
    let utf8_key = dir.file("utf8-key", "clé✓\n".as_bytes());
    signs(&utf8_key, &[], Some(b"abc"), SIG_UTF8_KEY);
    // Agrees with the library.
    let sig = opensrs_core::sign::signature(b"abc\n", &opensrs_core::secret::Secret::new(KEY));
    assert_eq!(sig, SIG_ABC_LF);
}

#[test]
fn encode_and_request_pipe_into_sign() {
    let dir = TempDir::new("sign-pipe");
    let key = dir.file("key", format!("{KEY}\n").as_bytes());
    let json = br#"{"protocol": "XCP", "action": "LOOKUP", "object": "DOMAIN", "attributes": {"domain": "example.com"}}"#;
    let encoded = xcp(&["encode"], Some(json)).ok();
    assert_eq!(encoded.stdout(), ENCODED);
    signs(&key, &[], Some(&encoded.stdout), SIG_ENCODED);
    let requested = xcp(
        &[
            "request",
            "check_transfer",
            "domain=example.com",
            "check_status=1",
        ],
        None,
    )
    .ok();
    assert_eq!(requested.stdout(), REQUESTED);
    signs(&key, &["-"], Some(&requested.stdout), SIG_REQUESTED);
}

#[test]
fn sign_errors_are_one_line_and_never_show_the_key() {
    let dir = TempDir::new("sign-errors");
    let missing = dir.0.join("no-such-key");
    let missing = missing.to_str().expect("UTF-8 path");
    let line = xcp(&["sign", "--key-file", missing], Some(b"abc")).fails();
    assert!(
        line.starts_with(&format!("{missing}: cannot read: ")),
        "{line}"
    );
    let blank = dir.file("blank", b" \n\t\n");
    let line = xcp(&["sign", "--key-file", &blank], Some(b"abc")).fails();
    assert_eq!(
        line,
        format!("{blank}: the key file holds no key (it is empty or only whitespace)")
    );
    let bad = dir.file("bad", b"\xffSECRETKEY");
    let line = xcp(&["sign", "--key-file", &bad], Some(b"abc")).fails();
    assert_eq!(
        line,
        format!("{bad}: the key file is not UTF-8 text (invalid byte at 1:1, byte 0)")
    );
    assert!(!line.contains("SECRETKEY"));
    let key = dir.file("key", KEY.as_bytes());
    let line = xcp(
        &["sign", "--key-file", &key, "fixtures/no_such_body.xml"],
        None,
    )
    .fails();
    assert!(
        line.starts_with("fixtures/no_such_body.xml: cannot read: ") && !line.contains(KEY),
        "{line}"
    );
    let line = xcp(
        &["sign", "--key-file", &key, "--max-size", "2"],
        Some(b"abc"),
    )
    .fails();
    assert_eq!(
        line,
        "<stdin>:1:3: input is larger than the limit of 2 bytes"
    );
    let err = xcp(&["sign"], Some(b"abc")).usage_error();
    assert!(err.contains("--key-file"), "{err}");
}

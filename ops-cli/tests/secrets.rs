//! The binary never prints a secret nor raw control characters from its
//! arguments (issue 15, item 2), and reads key files the way people keep
//! them (item 3).

#![allow(dead_code)] // `common` serves several test files.

mod common;

use common::{TempDir, xcp};

/// A text no output may contain.
const CODE: &str = "Zq7S3cr3tC0de";

#[test]
fn a_malformed_argument_is_echoed_escaped() {
    // An ESC sequence that would clear the screen, and a bidi override.
    let bad = "look\u{1b}[2J\u{202e}up";
    let err = xcp(
        &[
            "decode",
            "--as",
            bad,
            "ops-actions/fixtures/domain/check_transfer/request.xml",
        ],
        None,
    )
    .usage_error();
    assert!(
        err.starts_with(r"error: no command has action `look\u{1B}[2J\u{202E}up`"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err}"
    );
    // The known commands are listed.
    assert!(err.contains("check_transfer on domain"), "{err}");
    // A clap error echoes the value escaped too.
    let err = xcp(&["decode", &format!("--max-depth={bad}")], None).usage_error();
    assert!(err.contains(r"look\u{1B}[2J\u{202E}up"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
}

#[test]
fn a_malformed_secret_argument_is_never_echoed() {
    for value in [CODE.to_owned(), format!("\u{1b}[31m{CODE}")] {
        // Not KEY=VALUE: the argument is not shown at all.
        let err = xcp(&["request", "simple_transfer", &value], None).fails();
        assert!(!err.contains(CODE) && !err.contains("Zq7"), "{err}");
        assert!(!err.contains('\u{1b}'), "{err}");
        assert!(
            err.contains("expected KEY=VALUE (the argument is not shown: it may hold a secret)"),
            "{err}"
        );
        // A secret the typed request refuses: its value never shows.
        let arg = format!("domain_list.0.auth_info={value}");
        let err = xcp(
            &[
                "request",
                "simple_transfer",
                "domain_list.0.domain_name=..",
                &arg,
            ],
            None,
        )
        .fails();
        assert!(!err.contains(CODE) && !err.contains("Zq7"), "{err}");
    }
    // A misspelt flag given as `--flag=VALUE` does not echo VALUE.
    let err = xcp(
        &["request", "simple_transfer", &format!("--auth_info={CODE}")],
        None,
    )
    .usage_error();
    assert!(!err.contains(CODE), "{err}");
}

#[test]
fn help_and_version_are_clap_s() {
    let run = xcp(&["--version"], None).ok();
    assert!(run.stdout().starts_with("opensrs "));
    let run = xcp(&["sign", "--help"], None).ok();
    assert!(run.stdout().contains("--key-file <FILE>"));
}

/// Signs `abc` with the key file holding `contents`.
fn sign(dir: &TempDir, name: &str, contents: &[u8]) -> Result<String, String> {
    let key = dir.file(name, contents);
    let run = xcp(&["sign", "--key-file", &key], Some(b"abc"));
    if run.code == Some(0) {
        Ok(run.stdout().to_owned())
    } else {
        Err(run.fails().replacen(&key, "KEYFILE", 1))
    }
}

#[test]
fn key_files_are_read_the_way_people_keep_them() {
    let dir = TempDir::new("key-files");
    let expected = sign(&dir, "bare", CODE.as_bytes()).expect("signs");
    for (name, contents) in [
        ("lf", format!("{CODE}\n")),
        ("crlf", format!("{CODE}\r\n")),
        ("bom", format!("\u{FEFF}{CODE}\r\n")),
        ("spaces", format!("  {CODE}\t\n\n")),
    ] {
        assert_eq!(
            sign(&dir, name, contents.as_bytes()).as_deref(),
            Ok(expected.as_str()),
            "{name}"
        );
    }
    for (name, contents, message) in [
        (
            "second-line",
            format!("{CODE}\nother"),
            "KEYFILE: the key file has a second line (line break at 1:14, byte 13): \
             it must hold the key alone",
        ),
        (
            "interior-space",
            format!("{CODE} {CODE}\n"),
            "KEYFILE: the key holds whitespace U+0020 at 1:14 (byte 13): a key is one word",
        ),
        (
            "control",
            format!("\u{FEFF}{CODE}\u{7}\n"),
            "KEYFILE: the key holds control character U+0007 at 1:14 (byte 16)",
        ),
        (
            "empty",
            String::new(),
            "KEYFILE: the key file holds no key (it is empty or only whitespace)",
        ),
    ] {
        let err = sign(&dir, name, contents.as_bytes()).unwrap_err();
        assert_eq!(err, message, "{name}");
        assert!(!err.contains("Zq7"), "{err}");
    }
}

//! Every XML example of the four spec pages parses, and round-trips.

use std::path::PathBuf;

use opensrs_core::{ParseErrorKind, parse, write_document};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ops-actions/fixtures");
    let mut out = Vec::new();
    for cmd in [
        "transfer/send_password",
        "domain/resend_trade_approval_notice",
        "domain/simple_transfer",
        "domain/check_transfer",
    ] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(cmd))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| !p.is_dir())
            .collect();
        files.sort();
        for f in files {
            out.push((
                format!("{cmd}/{}", f.file_name().unwrap().to_string_lossy()),
                std::fs::read(&f).unwrap(),
            ));
        }
    }
    assert_eq!(out.len(), 13, "the spec pages hold 13 well-formed examples");
    out
}

#[test]
fn every_spec_example_parses_and_round_trips() {
    for (name, bytes) in fixtures() {
        let doc = parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.header().version, "0.9", "{name}");
        let root = doc.root();
        assert!(root.get("protocol").is_some(), "{name}");
        let owned = doc.to_owned_document();
        for pretty in [false, true] {
            let xml = write_document(&owned, pretty).unwrap();
            let again = parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}\n{xml}"));
            assert_eq!(again.to_owned_document(), owned, "{name}");
            let xml2 = write_document(&again.to_owned_document(), pretty).unwrap();
            assert_eq!(xml, xml2, "{name}");
        }
    }
}

#[test]
fn spec_values_are_read_exactly() {
    let all = fixtures();
    let get = |n: &str| &all.iter().find(|(k, _)| k == n).unwrap().1;
    let doc = parse(get("domain/simple_transfer/request_with_nameservers.xml")).unwrap();
    let attrs = doc.root().get("attributes").unwrap();
    let list = attrs.get("domain_list").unwrap();
    assert_eq!(list.len(), 4);
    let auth: Vec<_> = list
        .iter()
        .map(|d| d.get("auth_info").unwrap().as_str().unwrap())
        .collect();
    assert_eq!(auth, ["@xMj%[1b", "Mj%zA>1r", "AK4u.+5U", "L+7Dk`3j"]);
    assert_eq!(
        list.index(3).unwrap().get("auth_info").unwrap().path(),
        "attributes.domain_list[3].auth_info"
    );
    let ns = attrs.get("nameserver_list").unwrap();
    assert_eq!(ns.index(1).unwrap().as_str(), Some("ns2.exampledns.com"));

    let doc = parse(get("domain/simple_transfer/reply.xml")).unwrap();
    assert_eq!(
        doc.root().get("response_text").unwrap().as_str(),
        Some("Simple transfer job successfully\nadded")
    );
}

#[test]
fn doubled_quote_reply_is_rejected_with_its_position() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../ops-actions/fixtures/domain/check_transfer/bad");
    let bytes = std::fs::read(root.join("reply_doubled_quotes.xml")).unwrap();
    let err = parse(&bytes).unwrap_err();
    assert!(matches!(err.kind(), ParseErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        (err.position().line, err.position().column),
        (10, 39),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "10:39: malformed XML: attribute name must be followed by `=`"
    );
}

/// ops-core keeps copies of the spec examples its own tests, bench and
/// example read (so that it is self-contained as a package): they stay
/// equal to ops-actions' fixtures.
#[test]
fn ops_core_copies_equal_the_fixtures() {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (copy, original) in [
        (
            "ops-core/tests/data/simple_transfer_request.xml",
            "ops-actions/fixtures/domain/simple_transfer/request.xml",
        ),
        (
            "ops-core/tests/data/check_transfer_reply_doubled_quotes.xml",
            "ops-actions/fixtures/domain/check_transfer/bad/reply_doubled_quotes.xml",
        ),
        (
            "ops-core/benches/data/check_transfer_reply_pending_registry.xml",
            "ops-actions/fixtures/domain/check_transfer/reply_pending_registry.xml",
        ),
    ] {
        let read = |p: &str| std::fs::read(here.join("..").join(p)).unwrap();
        assert_eq!(read(copy), read(original), "{copy} differs from {original}");
    }
}

//! A client no one here wrote: Net::OpenSRS (Perl, Debian's
//! `libnet-opensrs-perl`) talks to the sandbox unchanged.
//!
//! The test runs where `perl -MNet::OpenSRS -e1` succeeds. Where Perl or the
//! module is absent it prints why and passes (there is nothing to drive);
//! CI images that install `libnet-opensrs-perl` run it for real.
//!
//! Net::OpenSRS hard-codes its two https hosts; the script points the test
//! environment's host at the sandbox's plain-http URL (an object field, no
//! setter), which LWP then speaks without TLS. Everything else is the
//! module's own: its request XML (an XML declaration with
//! `standalone="no"`, a `<!DOCTYPE OPS_envelope SYSTEM "ops.dtd">`, upper-case
//! action and object), its double-MD5 signature, its `X-Username` from
//! `set_manage_auth`, and its reply parsing with XML::Simple.

use std::path::Path;
use std::process::Command;

use opensrs_core::secret::Secret;

/// Whether Perl can load Net::OpenSRS; the reason when not.
fn net_opensrs() -> Result<(), String> {
    match Command::new("perl")
        .args(["-MNet::OpenSRS", "-e1"])
        .output()
    {
        Err(e) => Err(format!("perl cannot be run: {e}")),
        Ok(out) if !out.status.success() => Err(format!(
            "perl cannot load Net::OpenSRS (apt-get install libnet-opensrs-perl): {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .unwrap_or("")
        )),
        Ok(_) => Ok(()),
    }
}

/// Runs the script against `sandbox` for `domain`: its `name=value` lines.
fn check_transfer(sandbox: &opensrs_sandbox::Sandbox, domain: &str) -> Vec<(String, String)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/perl/check_transfer.pl");
    let out = Command::new("perl")
        .arg(&script)
        .args([
            sandbox.url(),
            sandbox.username(),
            sandbox.key().expose(),
            domain,
        ])
        .output()
        .expect("perl runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the script failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn get<'a>(lines: &'a [(String, String)], key: &str) -> Option<&'a str> {
    lines
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

#[test]
fn net_opensrs_reads_check_transfer_replies() {
    if let Err(why) = net_opensrs() {
        eprintln!("skipped: {why}");
        return;
    }
    let sandbox = opensrs_sandbox::Builder::new()
        .credentials("perl-reseller", Secret::new("0123456789abcdef".repeat(7)))
        .start()
        .expect("the sandbox starts");

    // No transfer yet: `status` is `undef` (the spec's value), so the
    // module returns its status/contact_email hash, and the whole reply is
    // in `last_response(1)`.
    let lines = check_transfer(&sandbox, "alice-shop.com");
    assert_eq!(
        get(&lines, "last_response"),
        Some("200: Query successful"),
        "{lines:?}"
    );
    assert_eq!(get(&lines, "status"), Some("undef"), "{lines:?}");
    assert_eq!(
        get(&lines, "contact_email"),
        Some("alice@example.net"),
        "{lines:?}"
    );
    assert_eq!(get(&lines, "reply.is_success"), Some("1"), "{lines:?}");
    assert_eq!(get(&lines, "reply.response_code"), Some("200"), "{lines:?}");
    assert_eq!(get(&lines, "reply.action"), Some("REPLY"), "{lines:?}");
    assert_eq!(
        get(&lines, "reply.attributes.transferrable"),
        Some("1"),
        "{lines:?}"
    );

    // Locked: not transferable, with the reason the sandbox gave.
    let lines = check_transfer(&sandbox, "locked-domain.com");
    assert_eq!(
        get(&lines, "reply.attributes.transferrable"),
        Some("0"),
        "{lines:?}"
    );
    let reason = get(&lines, "reply.attributes.reason").expect("a reason");
    assert!(reason.to_lowercase().contains("lock"), "{lines:?}");

    // Unknown to the sandbox: an error reply the module reads as such.
    let lines = check_transfer(&sandbox, "nobody-has-this.com");
    assert!(
        get(&lines, "reply.is_success") == Some("0")
            || get(&lines, "reply.attributes.transferrable") == Some("0"),
        "{lines:?}"
    );

    // The sandbox's 401 for a wrong key: the module says so (no reply).
    let other = opensrs_sandbox::Builder::new()
        .credentials("perl-reseller", Secret::new("f".repeat(112)))
        .start()
        .expect("the sandbox starts");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/perl/check_transfer.pl");
    let out = Command::new("perl")
        .arg(&script)
        .args([other.url(), "perl-reseller", "wrong-key", "alice-shop.com"])
        .output()
        .expect("perl runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("result=undef"), "{stdout}");
    sandbox.check_invariants().unwrap();
}

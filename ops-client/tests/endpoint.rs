//! An endpoint the builder refuses is shown without the credentials, query
//! or fragment it may carry.

use opensrs_client::Client;
use opensrs_core::secret::Secret;

fn refused(endpoint: &str) -> String {
    let err = Client::builder(endpoint)
        .username("reseller")
        .key(Secret::new("0123456789abcdef"))
        .build()
        .err()
        .unwrap_or_else(|| panic!("{endpoint} was accepted"));
    let shown = format!("{err} {err:?}");
    for secret in ["SECRETPW", "SECRETQ", "SECRETF", "0123456789abcdef"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    err.to_string()
}

#[test]
fn credentials_in_the_url_are_not_echoed() {
    let e = refused("https://user:SECRETPW@127.0.0.1:55443/");
    assert!(e.contains("https://[redacted]@127.0.0.1:55443/"), "{e}");
    assert!(e.contains("credentials do not go in the URL"), "{e}");
    let e = refused("https://127.0.0.1:55443/?key=SECRETQ#SECRETF");
    assert!(e.contains("?[redacted]#[redacted]"), "{e}");
    let e = refused("http://user:SECRETPW@opensrs.example:55443/");
    assert!(e.contains("[redacted]@opensrs.example"), "{e}");
    // Not a URL at all, and it may hold credentials: not shown.
    let e = refused("no url user:SECRETPW@host");
    assert!(e.starts_with("invalid endpoint [redacted]: "), "{e}");
}

//! What tracing records: alone in its binary, because tracing caches per
//! call site whether anyone listens, and tests running beside it without a
//! subscriber would turn the call sites off.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use opensrs_client::{Client, HttpRequest, HttpResponse, RetryPolicy, Transport, TransportError};

const KEY: &str = "0123456789abcdef-test-key";

/// Fails the first `failures` posts as refused, then answers `body`.
struct Double {
    posts: AtomicUsize,
    failures: usize,
    body: String,
}

impl Transport for Double {
    async fn post(&self, _request: HttpRequest) -> Result<HttpResponse, TransportError> {
        if self.posts.fetch_add(1, Ordering::SeqCst) < self.failures {
            return Err(TransportError::Connect {
                message: "connection refused".into(),
                source: "connection refused".into(),
            });
        }
        Ok(HttpResponse {
            status: 200,
            body: self.body.clone().into_bytes(),
        })
    }
}

fn reply(text: &str, attrs: &str) -> String {
    format!(
        r#"<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key="protocol">XCP</item><item key="action">REPLY</item><item key="object">DOMAIN</item><item key="is_success">1</item><item key="response_code">200</item><item key="response_text">{text}</item><item key="attributes"><dt_assoc>{attrs}</dt_assoc></item></dt_assoc></data_block></body></OPS_envelope>"#
    )
}

/// A writer that keeps what tracing prints.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn tracing_records_the_request_and_never_the_key_or_auth_codes() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let client = Client::builder("https://opensrs.test:55443")
        .username("reseller")
        .key(KEY.into())
        .retry(RetryPolicy::new(4).initial_backoff(Duration::from_millis(1)))
        .build_with(Double {
            posts: AtomicUsize::new(0),
            failures: 1,
            body: reply(
                "Query successful",
                r#"<item key="transferrable">1</item><item key="domain_auth_info">AUTH-CODE-XYZ</item>"#,
            ),
        })
        .unwrap();
    let check = opensrs_actions::domain::CheckTransfer {
        domain: opensrs_actions::DomainName::new("example.com").unwrap(),
        check_status: None,
        get_request_address: None,
    };
    tracing::subscriber::with_default(subscriber, || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(client.send(&check)).unwrap();
        // A request that carries an auth code.
        let body = r#"<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key="protocol">XCP</item><item key="action">sw_register</item><item key="object">domain</item><item key="attributes"><dt_assoc><item key="auth_info">REQ-AUTH-123</item></dt_assoc></item></dt_assoc></data_block></body></OPS_envelope>"#;
        rt.block_on(client.send_envelope(body)).unwrap();
    });
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for want in [
        "opensrs.request",
        "action=\"check_transfer\"",
        "object=\"domain\"",
        "attempt=2",
        "response_code=200",
        "retrying",
        "duration",
        "action=\"sw_register\"",
        "[redacted]",
    ] {
        assert!(logs.contains(want), "{want} missing from:\n{logs}");
    }
    for secret in [KEY, "AUTH-CODE-XYZ", "REQ-AUTH-123"] {
        assert!(!logs.contains(secret), "{secret} leaked:\n{logs}");
    }
}

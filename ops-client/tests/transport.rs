//! A test double behind the `Transport` trait: what the client hands the
//! transport, the retry rule for failures before any byte was written, and
//! what tracing records.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use opensrs_client::{
    Client, ClientError, HttpRequest, HttpResponse, RetryPolicy, TimeoutPhase, Transport,
    TransportError,
};

const KEY: &str = "0123456789abcdef-test-key";

/// Fails the first `failures` posts with the error `fail` builds, then
/// answers `body`.
struct Double {
    posts: AtomicUsize,
    failures: usize,
    fail: fn() -> TransportError,
    body: String,
    seen: Mutex<Vec<HttpRequest>>,
}

impl Transport for Double {
    async fn post(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let n = self.posts.fetch_add(1, Ordering::SeqCst);
        self.seen.lock().unwrap().push(request);
        if n < self.failures {
            return Err((self.fail)());
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

fn double(failures: usize, fail: fn() -> TransportError) -> Arc<Double> {
    Arc::new(Double {
        posts: AtomicUsize::new(0),
        failures,
        fail,
        body: reply("sent", ""),
        seen: Mutex::new(Vec::new()),
    })
}

fn client(d: &Arc<Double>) -> Client<Arc<Double>> {
    Client::builder("https://opensrs.test:55443")
        .username("reseller")
        .key(KEY.into())
        .retry(
            RetryPolicy::new(4)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(2)),
        )
        .build_with(Arc::clone(d))
        .unwrap()
}

fn send_password() -> opensrs_actions::domain::SendPassword {
    opensrs_actions::domain::SendPassword {
        domain_name: opensrs_actions::DomainName::new("example.com").unwrap(),
        send_to: None,
        sub_user: None,
    }
}

fn refused() -> TransportError {
    TransportError::Connect {
        message: "connection refused".into(),
        source: "connection refused".into(),
    }
}

fn reset_after_write() -> TransportError {
    TransportError::io(std::io::Error::from(std::io::ErrorKind::ConnectionReset))
}

fn connect_timeout() -> TransportError {
    TransportError::Timeout {
        phase: TimeoutPhase::Connect,
    }
}

#[tokio::test]
async fn a_state_changing_command_is_resent_when_nothing_was_written() {
    for fail in [refused as fn() -> TransportError, connect_timeout] {
        let d = double(2, fail);
        client(&d).send(&send_password()).await.unwrap();
        assert_eq!(d.posts.load(Ordering::SeqCst), 3);
        // Every attempt carries the same bytes and signature.
        let seen = d.seen.lock().unwrap();
        assert!(seen.windows(2).all(
            |w| w[0].body == w[1].body && w[0].headers.signature() == w[1].headers.signature()
        ));
        assert_eq!(&*seen[0].url, "https://opensrs.test:55443/");
        assert_eq!(seen[0].headers.content_length(), seen[0].body.len());
    }
}

#[tokio::test]
async fn a_state_changing_command_is_not_resent_after_bytes_may_have_left() {
    let d = double(1, reset_after_write);
    let err = client(&d).send(&send_password()).await.unwrap_err();
    assert!(matches!(err, ClientError::Transport { .. }), "{err:?}");
    assert!(err.to_string().contains("may have been processed"), "{err}");
    assert_eq!(d.posts.load(Ordering::SeqCst), 1);

    // The same failure on a query is retried.
    let d = double(1, reset_after_write);
    let check = opensrs_actions::domain::CheckTransfer {
        domain: opensrs_actions::DomainName::new("example.com").unwrap(),
        check_status: None,
        get_request_address: None,
    };
    let c = client(&d);
    let err = c.send(&check).await;
    // (the double answers a send_password-shaped reply: object DOMAIN, fine)
    assert!(err.is_ok(), "{err:?}");
    assert_eq!(d.posts.load(Ordering::SeqCst), 2);
}

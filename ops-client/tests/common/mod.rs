//! A local OpenSRS stand-in on 127.0.0.1: it checks every header and the
//! signature of each request itself (md5 of md5, computed here with the
//! md-5 crate, not with opensrs_core's signing), then answers what the test
//! scripted.

#![allow(dead_code, unreachable_pub)]

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use md5::{Digest, Md5};

pub const USER: &str = "reseller_x";
pub const KEY: &str = "9f2c1b7e44a0d3c8e5f61a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f";

/// What the server answers to one request.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Answer {
    pub fn ok(body: impl Into<Vec<u8>>) -> Self {
        Answer {
            status: 200,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Answer {
            status,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Script = dyn Fn(usize, &[u8]) -> Answer + Send + Sync;

pub struct Shared {
    script: Box<Script>,
    pub hits: AtomicUsize,
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    /// Every check that failed, one line each.
    pub failures: Mutex<Vec<String>>,
    pub peers: Mutex<HashSet<SocketAddr>>,
    pub bodies: Mutex<Vec<Vec<u8>>>,
}

pub struct Server {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
}

impl Server {
    /// Starts the server; `script(n, body)` answers the n-th request (0
    /// first).
    pub async fn start(script: impl Fn(usize, &[u8]) -> Answer + Send + Sync + 'static) -> Self {
        let shared = Arc::new(Shared {
            script: Box::new(script),
            hits: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            failures: Mutex::new(Vec::new()),
            peers: Mutex::new(HashSet::new()),
            bodies: Mutex::new(Vec::new()),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
        Server { addr, shared }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn hits(&self) -> usize {
        self.shared.hits.load(Ordering::SeqCst)
    }

    pub fn failures(&self) -> Vec<String> {
        self.shared.failures.lock().unwrap().clone()
    }

    pub fn client(&self) -> opensrs_client::ClientBuilder {
        opensrs_client::Client::builder(self.url())
            .username(USER)
            .key(KEY.into())
    }
}

fn md5_hex(parts: &[&[u8]]) -> String {
    let mut h = Md5::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The signature, computed independently of opensrs_core.
pub fn expected_signature(body: &[u8], key: &str) -> String {
    let inner = md5_hex(&[body, key.as_bytes()]);
    md5_hex(&[inner.as_bytes(), key.as_bytes()])
}

async fn handle(
    State(s): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let n = s.hits.fetch_add(1, Ordering::SeqCst);
    let now = s.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    s.max_in_flight.fetch_max(now, Ordering::SeqCst);
    s.peers.lock().unwrap().insert(peer);
    s.bodies.lock().unwrap().push(body.to_vec());
    let mut failures = Vec::new();
    if method != Method::POST {
        failures.push(format!("method {method}"));
    }
    if uri.path() != "/" || uri.query().is_some() {
        failures.push(format!("path {uri}"));
    }
    let one = |name: &str| -> Option<String> {
        let mut all = headers.get_all(name).iter();
        let first = all.next()?.to_str().ok()?.to_owned();
        if all.next().is_some() {
            return Some(format!("<{name} sent twice>"));
        }
        Some(first)
    };
    let checks = [
        ("content-type", Some("text/xml".to_owned())),
        ("x-username", Some(USER.to_owned())),
        ("content-length", Some(body.len().to_string())),
        ("x-signature", Some(expected_signature(&body, KEY))),
    ];
    for (name, want) in checks {
        let got = one(name);
        if got != want {
            failures.push(format!("{name}: got {got:?}, want {want:?}"));
        }
    }
    let answer = if failures.is_empty() {
        (s.script)(n, &body)
    } else {
        let text = failures.join("; ");
        s.failures.lock().unwrap().push(text.clone());
        Answer::status(400, format!("header check failed: {text}"))
    };
    if !answer.delay.is_zero() {
        tokio::time::sleep(answer.delay).await;
    }
    s.in_flight.fetch_sub(1, Ordering::SeqCst);
    (
        StatusCode::from_u16(answer.status).unwrap(),
        [("content-type", "text/xml")],
        answer.body,
    )
}

/// A reply envelope: `object`, `is_success`, `response_code`,
/// `response_text`, and `attributes` items as given (raw XML).
pub fn reply(object: &str, success: bool, code: u16, text: &str, attributes: &str) -> String {
    let attributes = if attributes.is_empty() {
        String::new()
    } else {
        format!(r#"<item key="attributes"><dt_assoc>{attributes}</dt_assoc></item>"#)
    };
    format!(
        r#"<?xml version='1.0' encoding='UTF-8' standalone='no' ?><OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key="protocol">XCP</item><item key="action">REPLY</item><item key="object">{object}</item><item key="is_success">{}</item><item key="response_code">{code}</item><item key="response_text">{text}</item>{attributes}</dt_assoc></data_block></body></OPS_envelope>"#,
        u8::from(success)
    )
}

/// A successful check_transfer reply.
pub fn transferrable() -> String {
    reply(
        "DOMAIN",
        true,
        200,
        "Query successful",
        r#"<item key="transferrable">1</item><item key="type">reg2reg</item><item key="domain_auth_info">s3cr3t-auth</item>"#,
    )
}

/// The server-level error OpenSRS sends without action and object.
pub const SERVER_LEVEL_404: &str = r#"<?xml version='1.0' encoding='UTF-8' standalone='no' ?><OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key="protocol">XCP</item><item key="is_success">1</item><item key="response_code">404</item><item key="response_text">Missing X-Username: header</item></dt_assoc></data_block></body></OPS_envelope>"#;

pub fn check_transfer(domain: &str) -> opensrs_actions::domain::CheckTransfer {
    opensrs_actions::domain::CheckTransfer {
        domain: opensrs_actions::DomainName::new(domain).unwrap(),
        check_status: Some(true),
        get_request_address: None,
    }
}

pub fn send_password(domain: &str) -> opensrs_actions::domain::SendPassword {
    opensrs_actions::domain::SendPassword {
        domain_name: opensrs_actions::DomainName::new(domain).unwrap(),
        send_to: None,
        sub_user: None,
    }
}

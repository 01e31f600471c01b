//! The client against a local server on 127.0.0.1 that checks each
//! request's headers and signature itself.

mod common;

use std::time::Duration;

use common::*;
use opensrs_actions::domain::{CheckTransferReply, TransferType};
use opensrs_client::{BuildError, Client, ClientError, RetryPolicy, TimeoutPhase};
use opensrs_core::code::{ResponseClass, ResponseCode};

fn fast_retry(n: u32) -> RetryPolicy {
    RetryPolicy::new(n)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

#[tokio::test]
async fn signed_post_is_verified_and_the_typed_reply_is_owned() {
    let server = Server::start(|_, _| Answer::ok(transferrable())).await;
    let client = server.client().build().unwrap();
    let reply: CheckTransferReply<'static> =
        client.send(&check_transfer("example.com")).await.unwrap();
    assert_eq!(server.failures(), Vec::<String>::new());
    assert_eq!(reply.response_code, ResponseCode::Success);
    assert_eq!(reply.transferrable, Some(true));
    assert_eq!(reply.transfer_type, Some(TransferType::Reg2Reg));
    // The body sent is the command's envelope, byte for byte.
    let sent = server.shared.bodies.lock().unwrap()[0].clone();
    let expected = opensrs_core::Command::encode(&check_transfer("example.com")).unwrap();
    assert_eq!(sent, expected.as_bytes());
}

#[tokio::test]
async fn content_length_and_signature_count_bytes_not_characters() {
    let server = Server::start(|_, _| Answer::ok(transferrable())).await;
    let client = server.client().build().unwrap();
    // 'é' and '漢' are 2 and 3 bytes: a client counting characters would
    // send a short Content-Length and a signature over other bytes.
    let body = r#"<?xml version='1.0' encoding='UTF-8' standalone='no' ?><OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key="protocol">XCP</item><item key="action">check_transfer</item><item key="object">domain</item><item key="attributes"><dt_assoc><item key="domain">café-漢.com</item></dt_assoc></item></dt_assoc></data_block></body></OPS_envelope>"#;
    assert_ne!(body.len(), body.chars().count());
    let reply = client.send_envelope(body).await.unwrap();
    assert_eq!(server.failures(), Vec::<String>::new());
    assert!(reply.status().is_success);
    assert_eq!(server.shared.bodies.lock().unwrap()[0], body.as_bytes());
}

#[tokio::test]
async fn a_wrong_key_is_caught_by_the_server_check() {
    // The server's own check must be able to fail: a client with another
    // key is refused.
    let server = Server::start(|_, _| Answer::ok(transferrable())).await;
    let client = server.client().key("another-key".into()).build().unwrap();
    let err = client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::Http { status: 400, .. }),
        "{err}"
    );
    assert!(
        server.failures()[0].contains("x-signature"),
        "{:?}",
        server.failures()
    );
}

#[tokio::test]
async fn http_401_names_the_likely_causes_and_never_the_key() {
    let server = Server::start(|_, _| Answer::status(401, "Unauthorized")).await;
    let client = server.client().retry(fast_retry(3)).build().unwrap();
    let err = client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Authentication { .. }), "{err:?}");
    let text = err.to_string();
    for cause in [
        "key is wrong",
        "live key",
        "test key",
        "allow-list",
        "15 minutes",
        USER,
    ] {
        assert!(text.contains(cause), "{cause} missing from: {text}");
    }
    assert!(!text.contains(KEY) && !format!("{err:?}").contains(KEY));
    // An authentication error is not retried.
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn an_error_reply_is_an_api_error_with_code_class_and_text() {
    let server =
        Server::start(|_, _| Answer::ok(reply("DOMAIN", false, 465, "Invalid domain name", "")))
            .await;
    let client = server.client().build().unwrap();
    let err = client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.code, ResponseCode::InvalidData);
    assert_eq!(api.class(), ResponseClass::Validation);
    assert_eq!(api.text, "Invalid domain name");
    assert_eq!(
        err.to_string(),
        "OpenSRS error 465 (invalid data): Invalid domain name [class Validation]"
    );
}

#[tokio::test]
async fn a_server_level_reply_without_action_or_object_is_an_api_error() {
    let server = Server::start(|_, _| Answer::ok(SERVER_LEVEL_404)).await;
    let client = server.client().build().unwrap();
    let err = client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.code.as_u16(), 404);
    assert_eq!(api.class(), ResponseClass::Server);
    assert_eq!(api.text, "Missing X-Username: header");
    // Untyped, it is a reply that reports failure.
    let raw = client.send_envelope("<x/>").await.unwrap();
    assert!(!raw.status().is_success);
    assert_eq!(raw.status().action, None);
    assert!(raw.into_result().unwrap_err().api().is_some());
}

#[tokio::test]
async fn other_http_statuses_keep_status_and_an_excerpt() {
    let server = Server::start(|_, _| Answer::status(503, "upstream down\n<b>busy</b>")).await;
    let client = server.client().build().unwrap();
    let err = client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    match &err {
        ClientError::Http {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 503);
            assert_eq!(excerpt, r#""upstream down\n<b>busy</b>""#);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_slow_server_is_a_total_timeout() {
    let server =
        Server::start(|_, _| Answer::ok(transferrable()).after(Duration::from_secs(5))).await;
    let client = server
        .client()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    match &err {
        ClientError::Timeout { phase, after, .. } => {
            assert_eq!(*phase, TimeoutPhase::Total);
            assert_eq!(*after, Duration::from_millis(300));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().starts_with("total timeout"), "{err}");
}

#[tokio::test]
async fn bodies_that_are_not_replies_are_decode_errors_with_a_bounded_excerpt() {
    let truncated = transferrable()[..200].to_owned();
    let long_garbage = "garbage ".repeat(10_000);
    let cases: Vec<(String, &str)> = vec![
        ("not xml at all".to_owned(), "not xml at all"),
        (truncated.clone(), "<?xml"),
        (long_garbage, "garbage garbage"),
        // A reply to another command.
        (reply("TRANSFER", true, 200, "ok", ""), "<?xml"),
    ];
    for (body, starts) in cases {
        let server = Server::start(move |_, _| Answer::ok(body.clone())).await;
        let client = server.client().build().unwrap();
        let err = client
            .send(&check_transfer("example.com"))
            .await
            .unwrap_err();
        match &err {
            ClientError::Decode {
                excerpt, command, ..
            } => {
                assert_eq!(command, "check_transfer on domain");
                assert!(excerpt.starts_with(&format!("\"{starts}")), "{excerpt}");
                assert!(excerpt.chars().count() <= 165, "{excerpt}");
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().len() < 1000, "{err}");
    }
}

#[tokio::test]
async fn a_decode_error_excerpt_stops_before_a_secret() {
    let body = r#"<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key="domain_auth_info">s3cr3t</item>"#;
    let server = Server::start(move |_, _| Answer::ok(body)).await;
    let client = server.client().build().unwrap();
    let err = client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Decode { .. }), "{err:?}");
    assert!(!err.to_string().contains("s3cr3t"), "{err}");
    assert!(err.to_string().contains("[redacted]"), "{err}");
}

#[tokio::test]
async fn an_oversized_reply_is_refused() {
    let big = transferrable().replace("Query successful", &"x".repeat(100_000));
    let server = Server::start(move |_, _| Answer::ok(big.clone())).await;
    let client = server.client().max_reply_bytes(10_000).build().unwrap();
    let err = client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::TooLarge { limit: 10_000 }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_server_that_does_not_speak_tls_is_a_tls_error() {
    let server = Server::start(|_, _| Answer::ok(transferrable())).await;
    let client = Client::builder(format!("https://{}", server.addr))
        .username(USER)
        .key(KEY.into())
        .retry(fast_retry(3))
        .build()
        .unwrap();
    let err = client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Tls { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("TLS failure with https://127.0.0.1:"),
        "{err}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder(format!("http://{addr}"))
        .username(USER)
        .key(KEY.into())
        .build()
        .unwrap();
    let err = client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Connect { .. }), "{err:?}");
}

#[tokio::test]
async fn idempotent_commands_are_retried_on_try_later_codes() {
    let server = Server::start(|n, _| {
        if n < 2 {
            Answer::ok(reply("DOMAIN", false, 486, "Processing, try later", ""))
        } else {
            Answer::ok(transferrable())
        }
    })
    .await;
    let client = server.client().retry(fast_retry(5)).build().unwrap();
    let reply = client.send(&check_transfer("example.com")).await.unwrap();
    assert_eq!(reply.transferrable, Some(true));
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn retries_stop_at_max_attempts_and_never_for_other_codes() {
    let server =
        Server::start(|_, _| Answer::ok(reply("DOMAIN", false, 310, "Too many", ""))).await;
    let client = server.client().retry(fast_retry(3)).build().unwrap();
    let err = client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    assert_eq!(err.api().unwrap().code.as_u16(), 310);
    assert_eq!(server.hits(), 3);

    let server = Server::start(|_, _| Answer::ok(reply("DOMAIN", false, 465, "bad", ""))).await;
    let client = server.client().retry(fast_retry(3)).build().unwrap();
    client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn without_a_policy_nothing_is_retried() {
    let server = Server::start(|_, _| Answer::ok(reply("DOMAIN", false, 486, "later", ""))).await;
    let client = server.client().build().unwrap();
    client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_state_changing_command_is_sent_once_on_try_later_and_timeouts() {
    // send_password mails the owner: never sent twice.
    let server = Server::start(|_, _| Answer::ok(reply("DOMAIN", false, 486, "later", ""))).await;
    let client = server.client().retry(fast_retry(5)).build().unwrap();
    let err = client
        .send(&send_password("example.com"))
        .await
        .unwrap_err();
    assert_eq!(err.api().unwrap().code.as_u16(), 486);
    assert_eq!(server.hits(), 1);

    // A timeout after the request left: it may have been done.
    let server = Server::start(|_, _| {
        Answer::ok(reply("DOMAIN", true, 200, "sent", "")).after(Duration::from_secs(3))
    })
    .await;
    let client = server
        .client()
        .timeout(Duration::from_millis(200))
        .retry(fast_retry(5))
        .build()
        .unwrap();
    let err = client
        .send(&send_password("example.com"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Timeout {
                phase: TimeoutPhase::Total,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.hits(), 1);

    // The same timeout on a query is retried.
    let server = Server::start(|n, _| {
        let a = Answer::ok(transferrable());
        if n == 0 {
            a.after(Duration::from_secs(3))
        } else {
            a
        }
    })
    .await;
    let client = server
        .client()
        .timeout(Duration::from_millis(200))
        .retry(fast_retry(5))
        .build()
        .unwrap();
    client.send(&check_transfer("example.com")).await.unwrap();
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn send_all_runs_1000_requests_at_concurrency_32_on_one_pool() {
    let server = Server::start(|_, body| {
        // Answer for the domain asked, so that a mix-up would show.
        let text = String::from_utf8_lossy(body);
        let domain = text
            .split(r#"<item key="domain">"#)
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap_or("?")
            .to_owned();
        Answer::ok(reply(
            "DOMAIN",
            true,
            200,
            &domain,
            r#"<item key="transferrable">1</item>"#,
        ))
        .after(Duration::from_millis(2))
    })
    .await;
    let client = server.client().build().unwrap();
    let commands = (0..1000).map(|i| check_transfer(&format!("d{i}.com")));
    use futures_util::StreamExt;
    let results: Vec<_> = client.send_all(commands, 32).collect().await;
    assert_eq!(results.len(), 1000);
    for (command, reply) in &results {
        let reply = reply.as_ref().unwrap();
        assert_eq!(reply.response_text, command.domain.as_str());
    }
    assert_eq!(server.hits(), 1000);
    assert_eq!(server.failures(), Vec::<String>::new());
    let max = server
        .shared
        .max_in_flight
        .load(std::sync::atomic::Ordering::SeqCst);
    assert!(max <= 32 && max > 1, "max in flight {max}");
    // One pool: connections are reused, at most one per concurrent slot.
    let peers = server.shared.peers.lock().unwrap().len();
    assert!(peers <= 32, "{peers} connections");
}

#[tokio::test]
async fn the_key_is_never_in_debug_or_display() {
    let server = Server::start(|_, _| Answer::status(500, "boom")).await;
    let builder = server.client();
    assert!(!format!("{builder:?}").contains(KEY));
    let client = builder.build().unwrap();
    let debug = format!("{client:?}");
    assert!(
        !debug.contains(KEY) && debug.contains("[redacted]"),
        "{debug}"
    );
    let err = client
        .send(&check_transfer("example.com"))
        .await
        .unwrap_err();
    assert!(!format!("{err}{err:?}").contains(KEY));
}

#[test]
fn endpoints_are_checked() {
    let build = |url: &str| {
        Client::builder(url)
            .username(USER)
            .key(KEY.into())
            .build()
            .map(|_| ())
    };
    let err = build("http://rr-n1-tor.opensrs.net:55443").unwrap_err();
    assert!(matches!(err, BuildError::PlainHttp { .. }));
    assert!(err.to_string().contains("loopback"), "{err}");
    for ok in [
        "http://127.0.0.1:8080",
        "http://127.8.9.1:1",
        "http://[::1]:80",
        "http://localhost:55443",
        opensrs_client::LIVE_ENDPOINT,
        opensrs_client::TEST_ENDPOINT,
    ] {
        build(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for bad in [
        "ftp://x:1",
        "https://h:1/path",
        "https://u:p@h:1",
        "not a url",
        "https://h:1/?q=1",
    ] {
        assert!(
            matches!(build(bad), Err(BuildError::InvalidEndpoint { .. })),
            "{bad}"
        );
    }
    let err = Client::builder(opensrs_client::TEST_ENDPOINT)
        .key(KEY.into())
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::MissingUsername));
    let err = Client::builder(opensrs_client::TEST_ENDPOINT)
        .username("a b\n")
        .key(KEY.into())
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidUsername { .. }), "{err}");
    let err = Client::builder(opensrs_client::TEST_ENDPOINT)
        .username(USER)
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::MissingKey));
}

#[tokio::test]
async fn the_key_file_is_read_with_the_shared_reader() {
    let dir = std::env::temp_dir().join(format!("opensrs-client-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.key");
    std::fs::write(&good, format!("\u{FEFF}{KEY}\r\n")).unwrap();
    let bad = dir.join("bad.key");
    std::fs::write(&bad, format!("{KEY}\nsecond line")).unwrap();

    let server = Server::start(|_, _| Answer::ok(transferrable())).await;
    let client = Client::builder(server.url())
        .username(USER)
        .key_file(&good)
        .build()
        .unwrap();
    client.send(&check_transfer("example.com")).await.unwrap();
    assert_eq!(server.failures(), Vec::<String>::new());

    let err = Client::builder(server.url())
        .username(USER)
        .key_file(&bad)
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::KeyFile { .. }), "{err}");
    assert!(err.to_string().contains("second line") && !err.to_string().contains(KEY));
    let err = Client::builder(server.url())
        .username(USER)
        .key_file(dir.join("missing.key"))
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::KeyFileIo { .. }), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_transfer_is_marked_idempotent_and_send_password_is_not() {
    use opensrs_actions::domain::{CheckTransfer, SendPassword};
    use opensrs_core::Command;
    const _: () = assert!(CheckTransfer::IDEMPOTENT);
    const _: () = assert!(!SendPassword::IDEMPOTENT);
}

//! The sandbox over HTTP: authentication, error codes, every command's
//! semantics, the registrant's answers and the clock, the outbox, the
//! `/_sandbox/` endpoints, concurrency.
#![allow(deprecated)] // simple_transfer is deprecated by OpenSRS, and tested.

use std::time::Duration;

use opensrs_actions::DomainName;
use opensrs_actions::domain::{
    CheckTransfer, CheckTransferReply, RegistrantType, ResendTradeApprovalNotice, SendTo, SendType,
    SimpleTransfer, TransferDomain, TransferStatus, TransferType,
};
use opensrs_actions::{PhoneNumber, domain, transfer};
use opensrs_core::sign::signature;
use opensrs_core::{Command, Reply, parse};
use opensrs_sandbox::{
    About, ApprovalState, Builder, Channel, JobOutcome, Sandbox, Seed, TransferState,
};

/// 2024-06-03 12:00:00 UTC.
const START: i64 = 1_717_416_000;

fn sandbox() -> Sandbox {
    Builder::new()
        .start_time(START)
        .start()
        .expect("sandbox starts")
}

fn name(s: &str) -> DomainName {
    DomainName::new(s).expect("a domain name")
}

/// POSTs `body` signed with the sandbox's credentials: status and body.
async fn post(sb: &Sandbox, body: &str) -> (u16, String) {
    let sig = signature(body.as_bytes(), sb.key());
    let resp = reqwest::Client::new()
        .post(sb.url())
        .header("Content-Type", "text/xml")
        .header("X-Username", sb.username())
        .header("X-Signature", sig.as_str())
        .body(body.to_owned())
        .send()
        .await
        .expect("the sandbox answers");
    let status = resp.status().as_u16();
    (status, resp.text().await.expect("a body"))
}

/// Sends a typed command; the reply must be an OPS envelope (HTTP 200).
async fn send<C: Command>(sb: &Sandbox, cmd: &C) -> String {
    let (status, body) = post(sb, &cmd.encode().expect("encodes")).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The reply's success flag, code and text.
fn status_of(xml: &str) -> (bool, u16, String) {
    let doc = parse(xml.as_bytes()).expect("the reply parses");
    let reply = Reply::from_document(&doc).expect("an OPS reply");
    assert!(reply.is_reply_action(), "{xml}");
    (
        reply.is_success(),
        reply.response_code().as_u16(),
        reply.response_text().to_owned(),
    )
}

/// check_transfer's typed reply, owned.
#[derive(Debug)]
struct Check {
    response_text: String,
    transferrable: Option<bool>,
    noservice: Option<bool>,
    reason: Option<String>,
    reason_code: Option<String>,
    request_address: Option<String>,
    status: Option<TransferStatus>,
    timestamp: Option<String>,
    transfer_type: Option<TransferType>,
    unixtime: Option<i64>,
}

impl From<CheckTransferReply<'_>> for Check {
    fn from(r: CheckTransferReply<'_>) -> Self {
        Check {
            response_text: r.response_text.into_owned(),
            transferrable: r.transferrable,
            noservice: r.noservice,
            reason: r.reason.map(|s| s.into_owned()),
            reason_code: r.reason_code.map(|s| s.into_owned()),
            request_address: r.request_address.map(|s| s.into_owned()),
            status: r.status,
            timestamp: r.timestamp.map(|t| t.raw().to_owned()),
            transfer_type: r.transfer_type,
            unixtime: r.unixtime,
        }
    }
}

async fn check(sb: &Sandbox, domain: &str, check_status: bool, address: bool) -> Check {
    let cmd = CheckTransfer {
        domain: name(domain),
        check_status: check_status.then_some(true),
        get_request_address: address.then_some(true),
    };
    let xml = send(sb, &cmd).await;
    let doc = parse(xml.as_bytes()).expect("parses");
    CheckTransfer::decode_reply(&doc)
        .expect("a check_transfer reply")
        .into()
}

fn simple_transfer(domains: &[(&str, &str)]) -> SimpleTransfer {
    SimpleTransfer::new(
        domains
            .iter()
            .map(|(d, code)| TransferDomain::new(name(d), *code))
            .collect(),
        Vec::new(),
    )
    .expect("a valid simple_transfer")
}

async fn transfer_send_password(sb: &Sandbox, domain: &str) -> (bool, u16, String) {
    status_of(
        &send(
            sb,
            &transfer::SendPassword {
                domain_name: name(domain),
            },
        )
        .await,
    )
}

#[tokio::test]
async fn signatures_are_checked_over_the_exact_body() {
    let sb = sandbox();
    let body = CheckTransfer {
        domain: name("alice-shop.com"),
        check_status: None,
        get_request_address: None,
    }
    .encode()
    .unwrap();
    let client = reqwest::Client::new();
    let good = signature(body.as_bytes(), sb.key());
    let cases: [(&str, Option<&str>, Option<&str>); 5] = [
        ("no headers", None, None),
        ("no signature", Some("sandbox"), None),
        ("wrong user", Some("someone"), Some(good.as_str())),
        (
            "wrong signature",
            Some("sandbox"),
            Some("0123456789abcdef0123456789abcdef"),
        ),
        (
            "short signature",
            Some("sandbox"),
            Some(&good.as_str()[..31]),
        ),
    ];
    for (what, user, sig) in cases {
        let mut req = client.post(sb.url()).body(body.clone());
        if let Some(u) = user {
            req = req.header("X-Username", u);
        }
        if let Some(s) = sig {
            req = req.header("X-Signature", s);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 401, "{what}");
    }
    // The signature of another body (one byte more) does not pass.
    let resp = client
        .post(sb.url())
        .header("X-Username", "sandbox")
        .header("X-Signature", good.as_str())
        .body(format!("{body} "))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    // Upper-case hex is the same signature.
    let resp = client
        .post(sb.url())
        .header("X-Username", "sandbox")
        .header("X-Signature", good.as_str().to_ascii_uppercase())
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    // Only POST.
    assert_eq!(
        client.get(sb.url()).send().await.unwrap().status().as_u16(),
        405
    );
}

#[tokio::test]
async fn bad_requests_get_the_protocol_codes() {
    let sb = Builder::new()
        .start_time(START)
        .body_limit(64 * 1024)
        .start()
        .unwrap();
    let (status, xml) = post(&sb, "<OPS_envelope><header>").await;
    assert_eq!(status, 200);
    let (ok, code, text) = status_of(&xml);
    assert_eq!((ok, code), (false, 400), "{text}");
    assert!(text.starts_with("Malformed XML request: "), "{text}");

    let unknown = opensrs_core::write_request("get_balance", "balance", None, &[]).unwrap();
    let (_, xml) = post(&sb, &unknown).await;
    let (ok, code, text) = status_of(&xml);
    assert_eq!((ok, code), (false, 430), "{text}");
    assert!(
        xml.contains(r#"<item key="object">balance</item>"#),
        "{xml}"
    );

    let attrs = opensrs_core::Value::assoc([("check_status", "1")]);
    let missing =
        opensrs_core::write_request("CHECK_TRANSFER", "DOMAIN", Some(&attrs), &[]).unwrap();
    let (_, xml) = post(&sb, &missing).await;
    let (ok, code, text) = status_of(&xml);
    assert_eq!((ok, code), (false, 460), "{text}");
    assert!(text.contains("attributes.domain"), "{text}");
    assert!(
        xml.contains(r#"<item key="object">DOMAIN</item>"#),
        "object echoed: {xml}"
    );

    let attrs = opensrs_core::Value::assoc([("domain", "example.com"), ("check_status", "maybe")]);
    let invalid =
        opensrs_core::write_request("check_transfer", "domain", Some(&attrs), &[]).unwrap();
    let (ok, code, text) = status_of(&post(&sb, &invalid).await.1);
    assert_eq!((ok, code), (false, 465), "{text}");

    // A rule of the typed request: SMS only to the current registrant.
    let attrs = opensrs_core::Value::assoc([
        ("domain", "trade-me.com"),
        ("registrant_type", "new"),
        ("send_type", "sms"),
    ]);
    let rule =
        opensrs_core::write_request("resend_trade_approval_notice", "domain", Some(&attrs), &[])
            .unwrap();
    let (ok, code, text) = status_of(&post(&sb, &rule).await.1);
    assert_eq!((ok, code), (false, 465), "{text}");
    assert!(text.contains("sms_requires_current_registrant"), "{text}");

    // A secret never comes back in an error.
    let attrs = opensrs_core::Value::assoc([(
        "domain_list",
        opensrs_core::Value::array([opensrs_core::Value::assoc([
            ("domain_name", "a.com"),
            ("auth_info", "s3cr3t-code"),
            ("extra", "x"),
        ])]),
    )]);
    let req = opensrs_core::write_request("simple_transfer", "domain", Some(&attrs), &[]).unwrap();
    let (_, xml) = post(&sb, &req).await;
    let (ok, code, _) = status_of(&xml);
    assert_eq!((ok, code), (false, 465));
    assert!(!xml.contains("s3cr3t-code"), "{xml}");

    // Above the body limit: 413, nothing parsed.
    let (status, _) = post(&sb, &"x".repeat(65 * 1024)).await;
    assert_eq!(status, 413);
    sb.check_invariants().unwrap();
}

#[tokio::test]
async fn check_transfer_reasons() {
    let sb = sandbox();
    let r = check(&sb, "alice-shop.com", false, false).await;
    assert_eq!(r.transferrable, Some(true));
    assert_eq!(r.transfer_type, Some(TransferType::Reg2Reg));
    assert_eq!(r.status, Some(TransferStatus::Undef));
    assert_eq!(
        (r.reason, r.request_address, r.unixtime),
        (None, None, None)
    );
    assert_eq!(r.noservice, Some(false));

    let r = check(&sb, "other-reseller.com", false, true).await;
    assert_eq!(r.transfer_type, Some(TransferType::Rsp2Rsp));
    assert_eq!(r.request_address.as_deref(), Some("dave@example.com"));

    for (domain, code, reason) in [
        ("locked-domain.com", "domain_locked", "Domain is locked"),
        (
            "fresh-domain.com",
            "domain_in_60_day_lock",
            "Domain was registered or transferred less than 60 days ago",
        ),
        ("alice-maple.ca", "tld_not_supported", "TLD not supported"),
        (
            "mine.com",
            "domain_already_belongs_to_current_reseller",
            "Domain already exists in sandbox's account",
        ),
        (
            "busy-domain.com",
            "transfer_in_progress",
            "Transfer in progress",
        ),
        (
            "nobody-has-this.com",
            "domain_not_registered",
            "Domain is not registered",
        ),
    ] {
        let r = check(&sb, domain, false, false).await;
        assert_eq!(r.transferrable, Some(false), "{domain}");
        assert_eq!(r.reason_code.as_deref(), Some(code), "{domain}");
        assert_eq!(r.reason.as_deref(), Some(reason), "{domain}");
        assert_eq!(r.transfer_type, None, "{domain}");
        // busy-domain.com's transfer is another reseller's: undef here.
        assert_eq!(r.status, Some(TransferStatus::Undef), "{domain}");
    }
    // 50 more days: fresh-domain.com's lock is over.
    sb.advance(Duration::from_secs(50 * 86_400));
    let r = check(&sb, "fresh-domain.com", false, false).await;
    assert_eq!(r.transferrable, Some(true));
}

#[tokio::test]
async fn the_transfer_story() {
    let sb = sandbox();
    let req = simple_transfer(&[
        ("alice-shop.com", "@xMj%[1b"),
        ("alice-blog.com", "wrong-code"),
        ("alice-art.net", "AK4u.+5U"),
        ("locked-domain.com", "locked-code"),
        ("alice-maple.ca", "L+7Dk`3j"),
    ]);
    let xml = send(&sb, &req).await;
    let doc = parse(xml.as_bytes()).unwrap();
    let reply = SimpleTransfer::decode_reply(&doc).expect("success");
    assert_eq!(reply.simple_transfer_job_id, "1");
    assert_eq!(
        reply.response_text,
        "Simple transfer job successfully added"
    );

    let job = sb.job(1).expect("job 1");
    let outcomes: Vec<(&str, String)> = job
        .domains
        .iter()
        .map(|d| {
            let o = match &d.outcome {
                JobOutcome::Submitted { transfer } => format!("transfer {transfer}"),
                JobOutcome::Failed { reason_code, .. } => reason_code.clone(),
            };
            (d.domain.as_str(), o)
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("alice-shop.com", "transfer 2".to_owned()), // 1 is the seeded busy-domain.com
            ("alice-blog.com", "invalid_auth_code".to_owned()),
            ("alice-art.net", "transfer 3".to_owned()),
            ("locked-domain.com", "domain_locked".to_owned()),
            ("alice-maple.ca", "tld_not_supported".to_owned()),
        ]
    );
    // One email to Alice for both of her domains.
    let outbox = sb.outbox();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(
        (outbox[0].channel, outbox[0].to.as_str()),
        (Channel::Email, "alice@example.net")
    );
    assert!(matches!(&outbox[0].about,
        About::TransferApproval { job: 1, domains, .. } if domains == &["alice-shop.com", "alice-art.net"]));

    let r = check(&sb, "alice-shop.com", false, true).await;
    assert_eq!(r.status, Some(TransferStatus::PendingOwner));
    assert_eq!(r.reason_code.as_deref(), Some("transfer_in_progress"));
    assert_eq!(r.unixtime, Some(START));
    assert_eq!(r.timestamp.as_deref(), Some("03 Jun 2024 12:00:00 GMT"));
    let read = opensrs_actions::Timestamp::new(r.timestamp.unwrap()).instant();
    assert_eq!(read.map(|t| t.as_second()), Some(START));
    assert_eq!(r.request_address.as_deref(), Some("alice@example.net"));
    // The failed domain has no transfer.
    assert_eq!(
        check(&sb, "alice-blog.com", false, false).await.status,
        Some(TransferStatus::Undef)
    );

    // send_password (transfer): to the admin contact, only in pending_owner.
    assert_eq!(
        transfer_send_password(&sb, "alice-shop.com").await,
        (true, 200, "Message sent.".into())
    );
    let last = sb.outbox().pop().unwrap();
    assert_eq!(last.to, "bob@example.net");
    assert!(matches!(
        last.about,
        About::TransferApprovalResent { transfer: 2, .. }
    ));
    let (ok, code, _) = transfer_send_password(&sb, "alice-blog.com").await;
    assert_eq!((ok, code), (false, 480));

    sb.advance(Duration::from_secs(3600));
    assert_eq!(sb.accept("alice").unwrap(), [2, 3]);
    assert!(sb.accept("alice").is_err(), "nothing left to answer");
    let (ok, code, text) = transfer_send_password(&sb, "alice-shop.com").await;
    assert_eq!((ok, code), (false, 487), "{text}");

    let r = check(&sb, "alice-shop.com", false, false).await;
    assert_eq!(r.status, Some(TransferStatus::PendingRegistry));
    assert_eq!(r.unixtime, Some(START + 3600));
    assert_eq!(r.response_text, "Query successful");
    let r = check(&sb, "alice-shop.com", true, false).await;
    assert_eq!(
        r.response_text,
        "Query successful. Transfer scheduled in 5 minutes."
    );
    assert_eq!(r.status, Some(TransferStatus::PendingRegistry));
    sb.advance(Duration::from_secs(4 * 60));
    assert_eq!(
        check(&sb, "alice-shop.com", false, false).await.status,
        Some(TransferStatus::PendingRegistry)
    );
    sb.advance(Duration::from_secs(60));
    let r = check(&sb, "alice-shop.com", false, false).await;
    assert_eq!(r.status, Some(TransferStatus::Completed));
    assert_eq!(r.unixtime, Some(START + 3600 + 300));
    assert_eq!(
        r.reason_code.as_deref(),
        Some("domain_already_belongs_to_current_reseller")
    );
    // alice-art.net was not checked with check_status: the registry takes 7 days.
    assert_eq!(
        check(&sb, "alice-art.net", false, false).await.status,
        Some(TransferStatus::PendingRegistry)
    );
    sb.advance(Duration::from_secs(7 * 86_400));
    assert_eq!(
        check(&sb, "alice-art.net", false, false).await.status,
        Some(TransferStatus::Completed)
    );
    // Now the domain is ours: send_password (domain) works on it.
    let xml = send(
        &sb,
        &domain::SendPassword {
            domain_name: name("alice-shop.com"),
            send_to: None,
            sub_user: None,
        },
    )
    .await;
    assert_eq!(status_of(&xml), (true, 200, "Message sent".into()));
    sb.check_invariants().unwrap();
}

#[tokio::test]
async fn no_answer_in_7_days_or_a_rejection_transfers_nothing() {
    let sb = sandbox();
    send(&sb, &simple_transfer(&[("alice-shop.com", "@xMj%[1b")])).await;
    send(&sb, &simple_transfer(&[("other-reseller.com", "rsp-code")])).await;
    sb.advance(Duration::from_secs(7 * 86_400 - 1));
    assert_eq!(
        check(&sb, "alice-shop.com", false, false).await.status,
        Some(TransferStatus::PendingOwner)
    );
    assert_eq!(sb.reject("dave").unwrap(), [3]);
    assert_eq!(
        check(&sb, "other-reseller.com", false, false).await.status,
        Some(TransferStatus::Cancelled)
    );
    sb.advance(Duration::from_secs(1));
    let r = check(&sb, "alice-shop.com", false, false).await;
    assert_eq!(r.status, Some(TransferStatus::Cancelled));
    assert_eq!(r.unixtime, Some(START + 7 * 86_400));
    assert_eq!(r.transferrable, Some(true), "nothing was transferred");
    let states: Vec<ApprovalState> = sb.approvals().iter().map(|a| a.state).collect();
    // The seeded busy-domain.com approval (1 day old) expired too.
    assert_eq!(
        states,
        [
            ApprovalState::Expired,
            ApprovalState::Expired,
            ApprovalState::Rejected
        ]
    );
    assert!(matches!(
        sb.accept("alice"),
        Err(opensrs_sandbox::ActionError::NothingPending(_))
    ));
    assert!(matches!(
        sb.accept("zed"),
        Err(opensrs_sandbox::ActionError::UnknownContact(_))
    ));
    // send_password (transfer) after the end: no transfer in progress.
    let (ok, code, text) = transfer_send_password(&sb, "alice-shop.com").await;
    assert_eq!((ok, code), (false, 480), "{text}");
    sb.check_invariants().unwrap();
}

#[tokio::test]
async fn trade_notices_and_domain_passwords() {
    let sb = sandbox();
    let notice = |registrant_type, send_type, phone: Option<&str>| {
        ResendTradeApprovalNotice::new(
            name("trade-me.com"),
            registrant_type,
            send_type,
            phone.map(|p| PhoneNumber::new(p).unwrap()),
        )
        .unwrap()
    };
    let cases = [
        (
            notice(
                RegistrantType::Current,
                SendType::Sms,
                Some("+1.2602180057"),
            ),
            "SMS message successfully sent to +1.2602180057",
            Channel::Sms,
            "+1.2602180057",
        ),
        (
            notice(RegistrantType::Current, SendType::Sms, None),
            "SMS message successfully sent to +1.4165550100",
            Channel::Sms,
            "+1.4165550100",
        ),
        (
            notice(RegistrantType::New, SendType::Email, None),
            "Approval notification re-sent via EMAIL for the new registrant",
            Channel::Email,
            "carol@example.org",
        ),
        (
            notice(RegistrantType::Current, SendType::Email, None),
            "Approval notification re-sent via EMAIL for the current registrant",
            Channel::Email,
            "alice@example.net",
        ),
    ];
    for (cmd, text, channel, to) in cases {
        let xml = send(&sb, &cmd).await;
        assert_eq!(status_of(&xml), (true, 200, text.to_owned()));
        let m = sb.outbox().pop().unwrap();
        assert_eq!((m.channel, m.to.as_str()), (channel, to));
        assert!(
            matches!(m.about, About::TradeApproval { ref domain, .. } if domain == "trade-me.com")
        );
    }
    let no_trade = ResendTradeApprovalNotice::new(
        name("mine.com"),
        RegistrantType::New,
        SendType::Email,
        None,
    )
    .unwrap();
    assert_eq!(status_of(&send(&sb, &no_trade).await).1, 480);
    let not_ours = ResendTradeApprovalNotice::new(
        name("alice-shop.com"),
        RegistrantType::New,
        SendType::Email,
        None,
    )
    .unwrap();
    assert_eq!(status_of(&send(&sb, &not_ours).await).1, 480);

    for (send_to, sub_user, to) in [
        (None, None, "bob@example.net"),
        (Some(SendTo::Admin), None, "bob@example.net"),
        (Some(SendTo::Owner), None, "dave@example.com"),
        (None, Some(true), "bob@example.net"),
    ] {
        let cmd = domain::SendPassword {
            domain_name: name("mine.com"),
            send_to,
            sub_user,
        };
        assert_eq!(
            status_of(&send(&sb, &cmd).await),
            (true, 200, "Message sent".into())
        );
        let m = sb.outbox().pop().unwrap();
        assert_eq!((m.channel, m.to.as_str()), (Channel::Email, to));
    }
    let cmd = domain::SendPassword {
        domain_name: name("trade-me.com"),
        send_to: None,
        sub_user: Some(true),
    };
    assert_eq!(status_of(&send(&sb, &cmd).await).1, 480, "no sub-user");
    let cmd = domain::SendPassword {
        domain_name: name("alice-shop.com"),
        send_to: None,
        sub_user: None,
    };
    assert_eq!(
        status_of(&send(&sb, &cmd).await).1,
        480,
        "not in the account"
    );
    assert_eq!(sb.outbox().len(), 8);
}

#[tokio::test]
async fn sandbox_endpoints() {
    let sb = sandbox();
    send(&sb, &simple_transfer(&[("alice-shop.com", "@xMj%[1b")])).await;
    let client = reqwest::Client::new();
    let url = |path: &str| format!("{}_sandbox/{path}", sb.url());
    let outbox = client
        .get(url("outbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let outbox: serde_json::Value = serde_json::from_str(&outbox).unwrap();
    assert_eq!(outbox[0]["to"], "alice@example.net");
    assert_eq!(outbox[0]["channel"], "email");
    assert_eq!(outbox[0]["about"]["kind"], "transfer_approval");
    assert_eq!(outbox[0]["about"]["domains"][0], "alice-shop.com");

    let accepted = client
        .post(url("registrant/alice/accept"))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status().as_u16(), 200);
    assert_eq!(
        accepted
            .text()
            .await
            .unwrap()
            .split_whitespace()
            .collect::<String>(),
        r#"{"transfers":[2]}"#
    );
    let again = client
        .post(url("registrant/alice/accept"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 404);

    let clock = client
        .post(url("clock/advance"))
        .header("Content-Type", "application/json")
        .body(r#"{"seconds": 604800}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(clock.status().as_u16(), 200);
    let clock: serde_json::Value = serde_json::from_str(&clock.text().await.unwrap()).unwrap();
    assert_eq!(clock["unixtime"], START + 604_800);
    assert_eq!(clock["timestamp"], "10 Jun 2024 12:00:00 GMT");
    assert_eq!(
        sb.transfer("alice-shop.com").unwrap().status,
        TransferState::Completed
    );

    let job = client
        .get(url("jobs/1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let job: serde_json::Value = serde_json::from_str(&job).unwrap();
    assert_eq!(job["domains"][0]["outcome"], "submitted");
    assert_eq!(
        client
            .get(url("jobs/9"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        404
    );
    let bad = client
        .post(url("clock/advance"))
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(bad.status().is_client_error());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_lose_nothing() {
    let sb = sandbox();
    let domains = [
        ("alice-shop.com", "@xMj%[1b"),
        ("alice-blog.com", "Mj%zA>1r"),
        ("alice-art.net", "AK4u.+5U"),
        ("other-reseller.com", "rsp-code"),
    ];
    let bodies: Vec<String> = (0..64)
        .map(|i| match i % 3 {
            0 => simple_transfer(&domains).encode().unwrap(),
            1 => simple_transfer(&[domains[i % 4]]).encode().unwrap(),
            _ => CheckTransfer {
                domain: name(domains[i % 4].0),
                check_status: Some(true),
                get_request_address: None,
            }
            .encode()
            .unwrap(),
        })
        .collect();
    let url = sb.url().to_owned();
    let user = sb.username().to_owned();
    let mut tasks = Vec::new();
    for body in bodies {
        let sig = signature(body.as_bytes(), sb.key()).as_str().to_owned();
        let (url, user) = (url.clone(), user.clone());
        tasks.push(tokio::spawn(async move {
            let resp = reqwest::Client::new()
                .post(&url)
                .header("X-Username", user)
                .header("X-Signature", sig)
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status().as_u16(), 200);
            resp.text().await.unwrap()
        }));
    }
    let mut jobs = 0;
    for t in tasks {
        let xml = t.await.unwrap();
        let (ok, code, _) = status_of(&xml);
        assert!(ok && code == 200, "{xml}");
        jobs += usize::from(xml.contains("simple_transfer_job_id"));
    }
    assert_eq!(jobs, 43);
    assert_eq!(sb.jobs().len(), 43, "no job lost");
    sb.check_invariants().unwrap();
    // Each domain got exactly one transfer (the first job to reach it).
    let ours: Vec<_> = sb
        .transfers()
        .into_iter()
        .filter(|t| t.reseller == "sandbox")
        .collect();
    assert_eq!(ours.len(), 4, "{ours:?}");
    let approval_emails = sb
        .outbox()
        .iter()
        .filter(|m| matches!(m.about, About::TransferApproval { .. }))
        .count();
    assert_eq!(
        approval_emails,
        sb.approvals().iter().filter(|a| a.job.is_some()).count()
    );
    sb.accept("alice").unwrap();
    sb.accept("dave").unwrap();
    sb.advance(Duration::from_secs(7 * 86_400));
    assert!(
        sb.transfers()
            .iter()
            .filter(|t| t.reseller == "sandbox")
            .all(|t| t.status == TransferState::Completed)
    );
    sb.check_invariants().unwrap();
}

#[test]
fn seeds_are_checked() {
    let err =
        Seed::from_toml("[contacts.a]\nname = \"A\"\nemail = \"a@example.net\"\ncolour = 1\n")
            .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("line 4"), "{text}");
    assert!(text.contains("colour"), "{text}");
    let base = "[contacts.a]\nname = \"A\"\nemail = \"a@example.net\"\n";
    for (extra, message) in [
        (
            "[[domains]]\nname = \"a..com\"\nregistrant = \"a\"\nauth_code = \"x\"\n",
            "(at domains[0].name)",
        ),
        (
            "[[domains]]\nname = \"a.com\"\nregistrant = \"a\"\nadmin = \"b\"\nauth_code = \"x\"\n",
            "no contact has id `b` (at domains[0].admin)",
        ),
        (
            "[[transfers]]\ndomain = \"a.com\"\nstatus = \"pending_owner\"\n",
            "`a.com` is not a seeded domain (at transfers[0].domain)",
        ),
        (
            "[[domains]]\nname = \"a.com\"\nregistrant = \"a\"\nauth_code = \"x\"\n[[transfers]]\ndomain = \"a.com\"\nstatus = \"done\"\n",
            "(at transfers[0].status)",
        ),
        (
            "[[domains]]\nname = \"a.com\"\nregistrant = \"a\"\nauth_code = \"x\"\n[[trades]]\ndomain = \"a.com\"\nnew_registrant = \"a\"\n",
            "not a domain of this sandbox's reseller",
        ),
        ("start = \"yesterday\"\n", "(at start)"),
    ] {
        let text = if extra.starts_with("start") {
            format!("{extra}{base}")
        } else {
            format!("{base}{extra}")
        };
        let err = Seed::from_toml(&text).unwrap_err().to_string();
        assert!(err.contains(message), "{err} should contain {message}");
    }
    // The committed example is the default scenario, and valid.
    Seed::from_toml(opensrs_sandbox::DEFAULT_SEED).unwrap();
}

#[tokio::test]
async fn a_seed_of_ones_own() {
    let seed = Seed::from_toml(
        r#"
start = "2020-01-01T00:00:00Z"
[contacts.x]
name = "X"
email = "x@example.net"
[[domains]]
name = "x.com"
registrant = "x"
auth_code = "code"
[[transfers]]
domain = "x.com"
status = "pending_registry"
age_days = 6
"#,
    )
    .unwrap();
    let key = opensrs_core::secret::Secret::new("k".repeat(112));
    let sb = Builder::new()
        .seed(seed)
        .credentials("reseller1", key)
        .start()
        .unwrap();
    assert_eq!(sb.username(), "reseller1");
    assert_eq!(sb.now(), 1_577_836_800);
    let r = check(&sb, "x.com", false, false).await;
    assert_eq!(r.status, Some(TransferStatus::PendingRegistry));
    sb.advance(Duration::from_secs(86_400));
    assert_eq!(
        check(&sb, "x.com", false, false).await.status,
        Some(TransferStatus::Completed)
    );
}

//! `opensrs send` and `opensrs batch` against a small server on 127.0.0.1
//! (ops-client's own tests check the headers and signature in depth).

#[allow(dead_code)]
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use common::xcp;

/// Serves on 127.0.0.1 until the test ends: each request gets the reply
/// `answer(body)`, one request per connection. Returns the URL and the
/// X-Username headers seen.
fn serve(answer: fn(&str) -> String) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let seen = Arc::clone(&seen2);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let lower = line.to_ascii_lowercase();
                    if let Some(v) = lower.strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap();
                    }
                    if let Some(v) = lower.strip_prefix("x-username:") {
                        seen.lock().unwrap().push(v.trim().to_owned());
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0; len];
                reader.read_exact(&mut body).unwrap();
                let reply = answer(&String::from_utf8_lossy(&body));
                let mut stream = stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                    reply.len()
                );
            });
        }
    });
    (url, seen)
}

fn reply_for(body: &str) -> String {
    let domain = body
        .split(r#"<item key="domain">"#)
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or("?");
    let (success, code) = if domain.starts_with("bad") {
        (0, 465)
    } else {
        (1, 200)
    };
    format!(
        r#"<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key="protocol">XCP</item><item key="action">REPLY</item><item key="object">DOMAIN</item><item key="is_success">{success}</item><item key="response_code">{code}</item><item key="response_text">{domain}</item><item key="attributes"><dt_assoc><item key="transferrable">1</item><item key="domain_auth_info">AUTH-SECRET</item></dt_assoc></item></dt_assoc></data_block></body></OPS_envelope>"#
    )
}

fn key_file() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("opensrs-cli-send-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("key");
    // Written aside, then renamed: tests run in parallel, and one must never
    // read the file while another truncates it.
    let tmp = dir.join(format!("key.{:?}", std::thread::current().id()));
    std::fs::write(&tmp, "0123456789abcdef-cli-key\n").unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    path
}

/// `args`, then the endpoint and credentials flags for the test server.
fn signed<'a>(args: &[&'a str], url: &'a str, key: &'a std::path::Path) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--endpoint", url, "--user", "reseller", "--key-file"]);
    all.push(key.to_str().unwrap());
    all
}

#[test]
fn send_prints_the_typed_reply_as_json() {
    let (url, seen) = serve(reply_for);
    let key = key_file();
    let request = r#"<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key="protocol">XCP</item><item key="action">check_transfer</item><item key="object">domain</item><item key="attributes"><dt_assoc><item key="domain">example.com</item></dt_assoc></item></dt_assoc></data_block></body></OPS_envelope>"#;
    let run = xcp(&signed(&["send"], &url, &key), Some(request.as_bytes())).ok();
    let json = run.json();
    assert_eq!(json["response_text"], "example.com");
    assert_eq!(json["transferrable"], true);
    assert!(!run.stdout().contains("AUTH-SECRET"), "{}", run.stdout());
    assert!(!run.stdout().contains("0123456789abcdef-cli-key"));
    assert_eq!(*seen.lock().unwrap(), ["reseller"]);
}

#[test]
fn batch_writes_one_json_line_per_domain_and_a_summary() {
    let (url, _) = serve(reply_for);
    let key = key_file();
    let list = key.with_file_name("domains.txt");
    std::fs::write(
        &list,
        "# portfolio\na.com\n\nbad.com\nb.net\nnot a domain\n",
    )
    .unwrap();
    let run = xcp(
        &signed(
            &[
                "batch",
                "check_transfer",
                "--domains",
                list.to_str().unwrap(),
                "--concurrency",
                "4",
            ],
            &url,
            &key,
        ),
        None,
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let mut rows: Vec<serde_json::Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    rows.sort_by_key(|r| r["domain"].as_str().unwrap().to_owned());
    let domains: Vec<_> = rows.iter().map(|r| r["domain"].as_str().unwrap()).collect();
    assert_eq!(domains, ["a.com", "b.net", "bad.com", "not a domain"]);
    assert_eq!(rows[0]["reply"]["transferrable"], true);
    assert_eq!(rows[2]["response_code"], 465);
    assert!(rows[3]["error"].is_string());
    assert!(
        run.stderr.contains("4 domains: 2 ok, 2 failed"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout().contains("AUTH-SECRET"));
}

#[test]
fn batch_rows_name_the_line_and_the_domain_as_written() {
    let (url, _) = serve(reply_for);
    let key = key_file();
    let list = key.with_file_name("idn-domains.txt");
    std::fs::write(
        &list,
        b"b\xc3\xbccher.de\nxn--bcher-kva.de\n\xff\xfe.com\nExample.COM\n",
    )
    .unwrap();
    let run = xcp(
        &signed(
            &[
                "batch",
                "check_transfer",
                "--domains",
                list.to_str().unwrap(),
            ],
            &url,
            &key,
        ),
        None,
    );
    let mut rows: Vec<serde_json::Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    rows.sort_by_key(|r| r["line"].as_u64().unwrap());
    assert_eq!(rows.len(), 4, "{}", run.stdout());
    assert_eq!(rows[0]["domain"], "b\u{fc}cher.de");
    assert_eq!(rows[0]["sent_as"], "xn--bcher-kva.de");
    assert_eq!(rows[1]["domain"], "xn--bcher-kva.de");
    assert!(rows[1].get("sent_as").is_none());
    // A line that is not UTF-8 is one failed row; the others still run.
    assert_eq!(rows[2]["line"], 3);
    assert!(rows[2]["error"].as_str().unwrap().contains("not UTF-8"));
    assert_eq!(rows[3]["domain"], "Example.COM");
    assert!(rows[3]["reply"].is_object(), "{}", rows[3]);
}

#[test]
fn plain_http_to_another_host_is_refused_with_the_reason() {
    let key = key_file();
    let err = xcp(
        &[
            "send",
            "--endpoint",
            "http://opensrs.example:55443",
            "--user",
            "reseller",
            "--key-file",
            key.to_str().unwrap(),
        ],
        Some(b"<x/>"),
    )
    .fails();
    assert!(
        err.starts_with("--endpoint: refusing plain http://"),
        "{err}"
    );
    assert!(err.contains("loopback"), "{err}");
}

#[test]
fn credentials_come_from_the_environment_or_are_asked_for() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opensrs"))
        .args(["send", "-"])
        .env_remove("OPENSRS_ENDPOINT")
        .env_remove("OPENSRS_USER")
        .env_remove("OPENSRS_KEY_FILE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "--endpoint: not given: pass --endpoint or set OPENSRS_ENDPOINT\n"
    );

    let (url, seen) = serve(reply_for);
    let key = key_file();
    let request = r#"<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key="protocol">XCP</item><item key="action">check_transfer</item><item key="object">domain</item><item key="attributes"><dt_assoc><item key="domain">env.com</item></dt_assoc></item></dt_assoc></data_block></body></OPS_envelope>"#;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_opensrs"))
        .args(["send"])
        .env("OPENSRS_ENDPOINT", &url)
        .env("OPENSRS_USER", "from_env")
        .env("OPENSRS_KEY_FILE", &key)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(*seen.lock().unwrap(), ["from_env"]);
}

/// `reply_for`, after a pause for domains starting with `slow`.
fn slow_reply_for(body: &str) -> String {
    if body.contains(r#"<item key="domain">slow"#) {
        std::thread::sleep(std::time::Duration::from_secs(30));
    }
    reply_for(body)
}

#[test]
fn request_send_builds_signs_sends_and_prints_the_typed_reply() {
    let (url, seen) = serve(reply_for);
    let key = key_file();
    let run = xcp(
        &signed(
            &[
                "request",
                "check_transfer",
                "domain=built.example",
                "check_status=1",
                "--send",
            ],
            &url,
            &key,
        ),
        None,
    )
    .ok();
    let json = run.json();
    // The server echoes the domain of the body it received.
    assert_eq!(json["response_text"], "built.example");
    assert_eq!(json["transferrable"], true);
    assert!(!run.stdout().contains("<OPS_envelope"), "{}", run.stdout());
    assert!(!run.stdout().contains("AUTH-SECRET"));
    assert!(!run.stderr.contains("0123456789abcdef-cli-key"));
    assert_eq!(*seen.lock().unwrap(), ["reseller"]);
}

#[test]
fn request_send_takes_credentials_from_the_environment_and_reports_api_errors() {
    let (url, seen) = serve(reply_for);
    let key = key_file();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opensrs"))
        .args(["request", "check_transfer", "domain=bad.example", "--send"])
        .env("OPENSRS_ENDPOINT", &url)
        .env("OPENSRS_USER", "from_env")
        .env("OPENSRS_KEY_FILE", &key)
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // The reply is printed, then the error names its code.
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["response_code"], "465");
    assert!(stderr.contains("OpenSRS error 465"), "{stderr}");
    assert_eq!(*seen.lock().unwrap(), ["from_env"]);
}

#[test]
fn request_send_checks_the_arguments_before_reading_credentials() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opensrs"))
        .args(["request", "check_transfer", "domain=not a domain", "--send"])
        .env_remove("OPENSRS_ENDPOINT")
        .env_remove("OPENSRS_USER")
        .env_remove("OPENSRS_KEY_FILE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("domain"), "{stderr}");
    assert!(!stderr.contains("OPENSRS_ENDPOINT"), "{stderr}");
}

#[test]
fn rust_log_shows_the_request_span_on_stderr_and_never_the_key() {
    let (url, _) = serve(reply_for);
    let key = key_file();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opensrs"))
        .args(["request", "check_transfer", "domain=log.example", "--send"])
        .env("OPENSRS_ENDPOINT", &url)
        .env("OPENSRS_USER", "reseller")
        .env("OPENSRS_KEY_FILE", &key)
        .env("RUST_LOG", "opensrs_client=trace")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("opensrs.request"), "{stderr}");
    assert!(stderr.contains("check_transfer"), "{stderr}");
    assert!(!stderr.contains("0123456789abcdef-cli-key"), "{stderr}");
    assert!(!stderr.contains("AUTH-SECRET"), "{stderr}");
    // stdout holds the reply alone.
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["response_text"], "log.example");
}

#[cfg(unix)]
#[test]
fn ctrl_c_during_batch_keeps_what_finished_and_prints_the_summary() {
    use std::process::{Command, Stdio};
    let (url, _) = serve(slow_reply_for);
    let key = key_file();
    let list = key.with_file_name("domains-ctrl-c.txt");
    std::fs::write(&list, "a.com\nb.net\nslow1.com\nslow2.com\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_opensrs"))
        .args([
            "batch",
            "check_transfer",
            "--domains",
            list.to_str().unwrap(),
            "--concurrency",
            "4",
            "--endpoint",
            &url,
            "--user",
            "reseller",
            "--key-file",
            key.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the two fast lines, then interrupt while the slow ones hang.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..2 {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            let out = child.wait_with_output().unwrap();
            panic!(
                "the batch ended early ({:?}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        lines.push(line);
    }
    let started = std::time::Instant::now();
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "Ctrl-C did not stop the batch"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(rest, "", "nothing after the interruption");
    let mut domains: Vec<String> = lines
        .iter()
        .map(|l| {
            let row: serde_json::Value = serde_json::from_str(l).unwrap();
            assert_eq!(row["reply"]["transferrable"], true, "{l}");
            row["domain"].as_str().unwrap().to_owned()
        })
        .collect();
    domains.sort();
    assert_eq!(domains, ["a.com", "b.net"]);
    assert!(
        stderr.contains("interrupted: 2 of 4 domains done (2 ok, 0 failed), 2 not done"),
        "{stderr}"
    );
}

#[test]
fn a_body_that_is_not_an_envelope_is_not_sent() {
    let (url, seen) = serve(reply_for);
    let key = key_file();
    let err = xcp(&signed(&["send"], &url, &key), Some(b"not xml")).fails();
    assert!(err.starts_with("<stdin>:1:1: "), "{err}");
    assert!(seen.lock().unwrap().is_empty(), "sent: {err}");
}

#[test]
fn an_error_reply_prints_no_secret() {
    let (url, _) = serve(|_| {
        r#"<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key="protocol">XCP</item><item key="action">REPLY</item><item key="object">DOMAIN</item><item key="is_success">0</item><item key="response_code">415</item><item key="response_text">no</item><item key="attributes"><dt_assoc><item key="password">hunter2</item><item key="auth_info">AUTHSECRET</item></dt_assoc></item></dt_assoc></data_block></body></OPS_envelope>"#.to_owned()
    });
    let key = key_file();
    let request = r#"<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc><item key="protocol">XCP</item><item key="action">check_transfer</item><item key="object">domain</item><item key="attributes"><dt_assoc><item key="domain">example.com</item></dt_assoc></item></dt_assoc></data_block></body></OPS_envelope>"#;
    let run = xcp(&signed(&["send"], &url, &key), Some(request.as_bytes()));
    assert_eq!(run.code, Some(1), "stderr: {}", run.stderr);
    let all = format!("{}{}", run.stdout(), run.stderr);
    assert!(
        !all.contains("hunter2") && !all.contains("AUTHSECRET"),
        "{all}"
    );
    assert!(
        run.stdout().contains(r#""password": "[redacted]""#),
        "{all}"
    );
}

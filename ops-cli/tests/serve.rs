//! `opensrs serve`: it prints its URL and key file, answers signed requests
//! over plain HTTP/1.0 as OpenSRS documents them, refuses unsigned ones,
//! and reports a bad seed file with its line.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use opensrs_core::secret::Secret;
use opensrs_core::sign::signature;

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sends `body` as OpenSRS's documented `POST / HTTP/1.0`; returns the
/// whole response.
fn http10(addr: &str, body: &str, headers: &[(&str, &str)]) -> String {
    let mut stream = TcpStream::connect(addr).expect("connects");
    let mut req = format!(
        "POST / HTTP/1.0\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).expect("writes");
    let mut resp = String::new();
    stream
        .read_to_string(&mut resp)
        .expect("reads to the close");
    resp
}

#[test]
fn serves_signed_requests_and_prints_where() {
    let child = Command::new(env!("CARGO_BIN_EXE_opensrs"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut server = Server(child);
    let mut lines = BufReader::new(server.0.stdout.take().expect("stdout")).lines();
    let mut next = || lines.next().expect("a line").expect("UTF-8");
    let first = next();
    let url = first
        .strip_prefix("OpenSRS sandbox listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    assert_eq!(next(), "  username:  sandbox");
    let key_line = next();
    let key_path = key_line
        .strip_prefix("  key file:  ")
        .and_then(|l| l.strip_suffix(" (generated)"))
        .unwrap_or_else(|| panic!("{key_line}"))
        .to_owned();
    let key =
        Secret::from_key_file(&std::fs::read(&key_path).expect("the key file")).expect("a key");
    assert_eq!(key.len(), 112);
    assert!(!first.contains(key.expose()) && !key_line.contains(key.expose()));

    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let body = opensrs_core::write_request(
        "CHECK_TRANSFER",
        "DOMAIN",
        Some(&opensrs_core::Value::assoc([("domain", "alice-shop.com")])),
        &[],
    )
    .unwrap();
    let sig = signature(body.as_bytes(), &key);
    let resp = http10(
        addr,
        &body,
        &[("X-Username", "sandbox"), ("X-Signature", sig.as_str())],
    );
    assert!(
        resp.starts_with("HTTP/1.0 200") || resp.starts_with("HTTP/1.1 200"),
        "{resp}"
    );
    assert!(
        resp.contains(r#"<item key="transferrable">1</item>"#),
        "{resp}"
    );
    assert!(
        resp.contains(r#"<item key="object">DOMAIN</item>"#),
        "{resp}"
    );

    let resp = http10(
        addr,
        &body,
        &[
            ("X-Username", "sandbox"),
            ("X-Signature", "00000000000000000000000000000000"),
        ],
    );
    assert!(
        resp.starts_with("HTTP/1.0 401") || resp.starts_with("HTTP/1.1 401"),
        "{resp}"
    );
    drop(server);
    let _ = std::fs::remove_file(&key_path);
}

#[test]
fn a_bad_seed_file_is_one_line_with_its_place() {
    let dir = std::env::temp_dir().join(format!("opensrs-serve-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.toml");
    std::fs::write(
        &seed,
        "[contacts.a]\nname = \"A\"\nemail = \"a@example.net\"\nphone = 5\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_opensrs"))
        .args(["serve", "--listen", "127.0.0.1:0", "--seed"])
        .arg(&seed)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("seed.toml") && err.contains("line 4"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    std::fs::remove_dir_all(&dir).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_opensrs"))
        .args(["serve", "--user", "me"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "--user needs --key-file");
}

#[test]
fn workers_must_be_at_least_one() {
    let out = Command::new(env!("CARGO_BIN_EXE_opensrs"))
        .args(["serve", "--listen", "127.0.0.1:0", "--workers", "0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--workers") && err.contains('0'), "{err}");
}

//! The `xcp` binary's command-aware features, run as a user runs them:
//! `decode --as COMMAND`, `decode --envelope`, `sign` and `request`.

#![allow(deprecated)] // simple_transfer is deprecated by OpenSRS, and tested here on purpose.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ops_actions::domain::{
    CheckTransfer, RegistrantType, ResendTradeApprovalNotice, SendType, SimpleTransfer,
    TransferDomain,
};
use ops_actions::transfer::SendPassword;
use ops_actions::{DomainName, PhoneNumber};
use ops_core::Command as _;
use serde_json::{Value as Json, json};

/// The workspace root: commands run there, so file names in messages are
/// the relative paths given.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn stdout(&self) -> &str {
        std::str::from_utf8(&self.stdout).expect("stdout is UTF-8")
    }

    fn json(&self) -> Json {
        serde_json::from_slice(&self.stdout).expect("stdout is JSON")
    }

    #[track_caller]
    fn ok(self) -> Self {
        assert_eq!(self.code, Some(0), "stderr: {}", self.stderr);
        assert!(self.stderr.is_empty(), "stderr: {}", self.stderr);
        self
    }

    /// Exit status 1, nothing on stdout, exactly one line on stderr; returns
    /// that line.
    #[track_caller]
    fn fails(self) -> String {
        assert_eq!(self.code, Some(1), "stderr: {}", self.stderr);
        assert!(self.stdout.is_empty(), "stdout: {:?}", self.stdout());
        let line = self
            .stderr
            .strip_suffix('\n')
            .unwrap_or_else(|| panic!("stderr ends with a newline: {:?}", self.stderr));
        assert!(
            !line.contains('\n'),
            "one line on stderr: {:?}",
            self.stderr
        );
        line.to_owned()
    }

    /// A usage error: clap's message, exit status 2, nothing on stdout.
    #[track_caller]
    fn usage_error(self) -> String {
        assert_eq!(self.code, Some(2), "stderr: {}", self.stderr);
        assert!(self.stdout.is_empty(), "stdout: {:?}", self.stdout());
        self.stderr
    }
}

fn xcp(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xcp"))
        .args(args)
        .current_dir(root())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xcp starts");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let out = child.wait_with_output().expect("xcp runs");
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).expect("fixture")
}

/// `(command, path)` of every fixture that parses, the command being the
/// fixture's folder.
fn fixtures() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for cmd in ops_actions::COMMANDS {
        let dir = root().join("fixtures").join(cmd);
        for f in std::fs::read_dir(&dir).expect("fixture dir") {
            let f = f.expect("entry").path();
            if f.extension().is_some_and(|e| e == "xml") {
                let name = f.file_name().and_then(|n| n.to_str()).expect("UTF-8 name");
                out.push(((*cmd).to_owned(), format!("fixtures/{cmd}/{name}")));
            }
        }
    }
    out.sort();
    assert!(out.len() >= 13, "fixtures found: {out:?}");
    out
}

/// What `decode --as` should print for a fixture, computed in-process
/// with the typed commands and serde_json.
fn typed_json(cmd: &str, path: &str) -> String {
    fn print<T: serde::Serialize>(v: &T) -> String {
        serde_json::to_string_pretty(v).expect("serialises") + "\n"
    }
    let bytes = std::fs::read(root().join(path)).expect("fixture");
    let doc = ops_core::parse(&bytes).expect("fixture parses");
    let reply = doc
        .root()
        .get("action")
        .and_then(|n| n.as_str())
        .is_some_and(|a| a.eq_ignore_ascii_case("reply"));
    macro_rules! typed {
        ($t:ty) => {
            if reply {
                print(&<$t>::decode_reply(&doc).expect("reply decodes"))
            } else {
                print(&<$t>::decode_request(&doc).expect("request decodes"))
            }
        };
    }
    match cmd {
        "send_password" => typed!(SendPassword),
        "resend_trade_approval_notice" => typed!(ResendTradeApprovalNotice),
        "simple_transfer" => typed!(SimpleTransfer),
        "check_transfer" => typed!(CheckTransfer),
        other => panic!("unknown command {other}"),
    }
}

/// `FILE:LINE:COL: message` with an optional ` (at PATH)`.
#[track_caller]
fn assert_error_format(line: &str, file: &str) {
    let rest = line
        .strip_prefix(file)
        .and_then(|r| r.strip_prefix(':'))
        .unwrap_or_else(|| panic!("starts with {file}: {line}"));
    let mut parts = rest.splitn(3, ':');
    let l = parts.next().unwrap_or_default();
    let c = parts.next().unwrap_or_default();
    let message = parts.next().unwrap_or_default();
    assert!(
        l.parse::<u32>().is_ok_and(|n| n >= 1) && c.parse::<u32>().is_ok_and(|n| n >= 1),
        "LINE:COL in {line}"
    );
    assert!(
        message.starts_with(' ') && message.len() > 1,
        "message in {line}"
    );
}

// ---- decode --as -----------------------------------------------------------

#[test]
fn every_fixture_decodes_as_its_command() {
    for (cmd, f) in fixtures() {
        let run = xcp(&["decode", "--as", &cmd, &f], None).ok();
        assert_eq!(run.stdout(), typed_json(&cmd, &f), "{f}");
        // Compact: the same value on one line.
        let compact = xcp(&["decode", "--as", &cmd, "--compact", &f], None).ok();
        assert_eq!(compact.stdout().lines().count(), 1, "{f}");
        assert_eq!(compact.json(), run.json(), "{f}");
        // --check: the same decode, no output.
        let check = xcp(&["decode", "--as", &cmd, "--check", &f], None).ok();
        assert!(check.stdout.is_empty(), "{f}");
        // Any case, and stdin.
        let upper = cmd.to_uppercase();
        let bytes = std::fs::read(root().join(&f)).expect("fixture");
        let stdin = xcp(&["decode", "--as", &upper], Some(&bytes)).ok();
        assert_eq!(stdin.stdout, run.stdout, "{f}");
    }
}

#[test]
fn check_transfer_replies_show_their_typed_fields() {
    let run = xcp(
        &[
            "decode",
            "--as",
            "check_transfer",
            "fixtures/check_transfer/reply_completed.xml",
        ],
        None,
    )
    .ok();
    let v = run.json();
    assert_eq!(v["response_code"], 200);
    assert_eq!(v["response_text"], "Query successful");
    assert_eq!(v["status"], "completed");
    assert_eq!(
        v["reason_code"],
        "domain_already_belongs_to_current_reseller"
    );
    assert_eq!(v["transferrable"], false);
    assert_eq!(v["noservice"], false);
    assert_eq!(v["timestamp"]["raw"], "Mon Jun 18 15:15:25 2012");
    assert_eq!(v["timestamp"]["parsed"], "2012-06-18T15:15:25");
    assert_eq!(v["unixtime"], 1_340_046_925);
    for (f, status) in [
        ("reply_pending_owner.xml", "pending_owner"),
        ("reply_pending_registry.xml", "pending_registry"),
    ] {
        let f = format!("fixtures/check_transfer/{f}");
        let v = xcp(&["decode", "--as", "check_transfer", &f], None)
            .ok()
            .json();
        assert_eq!(v["status"], status, "{f}");
        assert_eq!(v["reason"], "Transfer in progress", "{f}");
    }
}

#[test]
fn requests_show_their_typed_fields() {
    let v = xcp(
        &[
            "decode",
            "--as",
            "check_transfer",
            "fixtures/check_transfer/request.xml",
        ],
        None,
    )
    .ok()
    .json();
    assert_eq!(
        v,
        json!({"domain": "example.com", "check_status": true, "get_request_address": true})
    );
    let v = xcp(
        &[
            "decode",
            "--as",
            "resend_trade_approval_notice",
            "fixtures/resend_trade_approval_notice/request_sms.xml",
        ],
        None,
    )
    .ok()
    .json();
    assert_eq!(v["registrant_type"], "current");
    assert_eq!(v["send_type"], "SMS");
    assert_eq!(v["sms_phone_number"], "+1.2602180057");
    let v = xcp(
        &[
            "decode",
            "--as",
            "send_password",
            "fixtures/send_password/request.xml",
        ],
        None,
    )
    .ok()
    .json();
    assert_eq!(v, json!({"domain_name": "example.com"}));
    let v = xcp(
        &[
            "decode",
            "--as",
            "simple_transfer",
            "fixtures/simple_transfer/reply.xml",
        ],
        None,
    )
    .ok()
    .json();
    assert_eq!(v["simple_transfer_job_id"], "134");
}

#[test]
fn auth_codes_print_redacted() {
    let codes = ["@xMj%[1b", "Mj%zA>1r", "AK4u.+5U", "L+7Dk`3j"];
    for f in [
        "fixtures/simple_transfer/request.xml",
        "fixtures/simple_transfer/request_with_nameservers.xml",
    ] {
        let run = xcp(&["decode", "--as", "simple_transfer", f], None).ok();
        for code in codes {
            assert!(!run.stdout().contains(code), "{f}: {}", run.stdout());
        }
        let v = run.json();
        let list = v["domain_list"].as_array().expect("domain_list");
        assert_eq!(list.len(), 4, "{f}");
        for (i, d) in list.iter().enumerate() {
            assert_eq!(d["auth_info"], "[redacted]", "{f}");
            assert_eq!(d["domain_name"], format!("newtransfer46{}.com", i + 1));
        }
    }
    let v = xcp(
        &[
            "decode",
            "--as",
            "simple_transfer",
            "fixtures/simple_transfer/request_with_nameservers.xml",
        ],
        None,
    )
    .ok()
    .json();
    assert_eq!(
        v["nameserver_list"],
        json!(["ns1.exampledns.com", "ns2.exampledns.com"])
    );
}

/// Runs `decode --as cmd` on `xml` given on stdin and returns its one
/// error line, checked against the typed decode's own error.
#[track_caller]
fn rule_line(cmd: &str, xml: &str) -> String {
    let line = xcp(&["decode", "--as", cmd], Some(xml.as_bytes())).fails();
    assert_error_format(&line, "<stdin>");
    let doc = ops_core::parse_str(xml).expect("parses");
    let err = match cmd {
        "resend_trade_approval_notice" => ResendTradeApprovalNotice::decode_request(&doc).err(),
        "simple_transfer" => SimpleTransfer::decode_request(&doc).err(),
        "check_transfer" => CheckTransfer::decode_request(&doc).err(),
        "send_password" => SendPassword::decode_request(&doc).err(),
        other => panic!("unknown command {other}"),
    }
    .expect("decode fails");
    let p = err.position().expect("a position");
    assert_eq!(
        line,
        format!(
            "<stdin>:{}:{}: {} (at {})",
            p.line,
            p.column,
            err.kind(),
            err.path()
        )
    );
    line
}

#[test]
fn broken_rules_fail_with_one_line() {
    let sms = fixture("fixtures/resend_trade_approval_notice/request_sms.xml");
    let email = fixture("fixtures/resend_trade_approval_notice/request_email.xml");
    let cmd = "resend_trade_approval_notice";

    let xml = sms.replace(">current<", ">new<");
    let line = rule_line(cmd, &xml);
    assert!(
        line.contains("rule `sms_requires_current_registrant` broken")
            && line.ends_with("(at attributes.send_type)"),
        "{line}"
    );

    let xml = email.replace(
        "<item key=\"send_type\">email</item>",
        "<item key=\"send_type\">email</item><item key=\"sms_phone_number\">+1.2602180057</item>",
    );
    let line = rule_line(cmd, &xml);
    assert!(
        line.contains("rule `sms_phone_number_requires_sms` broken")
            && line.ends_with("(at attributes.sms_phone_number)"),
        "{line}"
    );

    let xml = sms.replace("+1.2602180057", "260-218-0057");
    let line = rule_line(cmd, &xml);
    assert!(
        line.contains("rule `phone_number_format` broken")
            && line.ends_with("(at attributes.sms_phone_number)"),
        "{line}"
    );

    let xml = sms.replace("tucows-d6ad7a0fc501d8.com", "tucows_d6.com");
    let line = rule_line(cmd, &xml);
    assert!(
        line.contains("rule `domain_name` broken") && line.ends_with("(at attributes.domain)"),
        "{line}"
    );

    let st = fixture("fixtures/simple_transfer/request.xml");
    let start = st.find("<dt_array>").expect("domain_list");
    let end = st.find("</dt_array>").expect("domain_list") + "</dt_array>".len();
    let xml = format!("{}<dt_array/>{}", &st[..start], &st[end..]);
    let line = rule_line("simple_transfer", &xml);
    assert!(
        line.contains("rule `domain_list_size` broken")
            && line.ends_with("(at attributes.domain_list)"),
        "{line}"
    );
    let xml = st.replace("newtransfer463.com", "newtransfer463..com");
    let line = rule_line("simple_transfer", &xml);
    assert!(
        line.ends_with("(at attributes.domain_list[2].domain_name)"),
        "{line}"
    );

    let ct = fixture("fixtures/check_transfer/request.xml");
    let xml = ct.replace(
        "<item key=\"check_status\">1</item>",
        "<item key=\"check_status\">2</item>",
    );
    let line = rule_line("check_transfer", &xml);
    assert!(line.ends_with("(at attributes.check_status)"), "{line}");
    let xml = ct.replace("<item key=\"domain\">example.com</item>", "");
    let line = rule_line("check_transfer", &xml);
    assert!(line.contains("missing required key `domain`"), "{line}");
}

#[test]
fn wrong_command_fails_with_one_line() {
    let line = xcp(
        &[
            "decode",
            "--as",
            "send_password",
            "fixtures/check_transfer/reply_completed.xml",
        ],
        None,
    )
    .fails();
    assert_error_format(&line, "fixtures/check_transfer/reply_completed.xml");
    assert!(
        line.ends_with(": expected object `transfer`, found `DOMAIN` (at object)"),
        "{line}"
    );
    let line = xcp(
        &[
            "decode",
            "--as",
            "send_password",
            "fixtures/check_transfer/request.xml",
        ],
        None,
    )
    .fails();
    assert_eq!(
        line,
        "fixtures/check_transfer/request.xml:11:17: expected action `send_password`, found `CHECK_TRANSFER` (at action)"
    );
    let line = xcp(
        &[
            "decode",
            "--as",
            "check_transfer",
            "fixtures/send_password/request.xml",
        ],
        None,
    )
    .fails();
    assert!(
        line.ends_with(": expected action `check_transfer`, found `send_password` (at action)"),
        "{line}"
    );
    // Same object, other action: a request names its action.
    let line = xcp(
        &[
            "decode",
            "--as",
            "simple_transfer",
            "fixtures/check_transfer/request.xml",
        ],
        None,
    )
    .fails();
    assert!(line.contains("expected action `simple_transfer`"), "{line}");
    // A reply does not: its attributes decide.
    let line = xcp(
        &[
            "decode",
            "--as",
            "simple_transfer",
            "fixtures/check_transfer/reply_completed.xml",
        ],
        None,
    )
    .fails();
    assert!(
        line.ends_with(
            "missing required key `simple_transfer_job_id` (at attributes.simple_transfer_job_id)"
        ),
        "{line}"
    );
    // Not an envelope of a command at all.
    let xml = "<OPS_envelope><header><version>0.9</version></header><body><data_block>\
        <dt_array><item key=\"0\">x</item></dt_array></data_block></body></OPS_envelope>";
    let line = xcp(&["decode", "--as", "check_transfer"], Some(xml.as_bytes())).fails();
    assert_error_format(&line, "<stdin>");
}

const FAILED_REPLY: &str = "<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>\
    <item key=\"protocol\">XCP</item><item key=\"action\">REPLY</item><item key=\"object\">DOMAIN</item>\
    <item key=\"is_success\">0</item><item key=\"response_code\">465</item>\
    <item key=\"response_text\">Invalid domain\nname</item>\
    <item key=\"attributes\"><dt_assoc><item key=\"field\">domain</item></dt_assoc></item>\
    </dt_assoc></data_block></body></OPS_envelope>";

#[test]
fn unsuccessful_reply_is_one_line_with_code_and_text() {
    for cmd in ["check_transfer", "simple_transfer"] {
        let line = xcp(&["decode", "--as", cmd], Some(FAILED_REPLY.as_bytes())).fails();
        assert_eq!(
            line,
            r"<stdin>: OpenSRS error 465 (invalid data): Invalid domain\nname"
        );
    }
    // The object is checked first.
    let line = xcp(
        &["decode", "--as", "send_password"],
        Some(FAILED_REPLY.as_bytes()),
    )
    .fails();
    assert!(line.contains("expected object `transfer`"), "{line}");
}

#[test]
fn unknown_command_is_a_usage_error_listing_the_commands() {
    let err = xcp(
        &[
            "decode",
            "--as",
            "lookup",
            "fixtures/check_transfer/request.xml",
        ],
        None,
    )
    .usage_error();
    assert!(err.contains("invalid value 'lookup'"), "{err}");
    for cmd in ops_actions::COMMANDS {
        assert!(err.contains(cmd), "{err}");
    }
    let err = xcp(
        &[
            "decode",
            "--as",
            "check_transfer",
            "--envelope",
            "fixtures/check_transfer/request.xml",
        ],
        None,
    )
    .usage_error();
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn closed_stdout_is_not_an_error_for_typed_output() {
    let list: Vec<TransferDomain> = (0..10_000)
        .map(|i| {
            TransferDomain::new(
                DomainName::new(&format!("d{i}.example")).expect("valid"),
                "x",
            )
        })
        .collect();
    let xml = SimpleTransfer::new(list, vec![])
        .expect("valid")
        .encode()
        .expect("encodes");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xcp"))
        .args(["decode", "--as", "simple_transfer"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xcp starts");
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin
        .write_all(xml.as_bytes())
        .expect("xcp reads all its input");
    drop(stdin);
    let out = child.wait_with_output().expect("xcp runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
}

// ---- decode --envelope -----------------------------------------------------

#[test]
fn envelope_of_a_reply() {
    let f = "fixtures/check_transfer/reply_pending_registry.xml";
    let run = xcp(&["decode", "--envelope", f], None).ok();
    let v = run.json();
    // serde_json's layout, keys in this order.
    assert_eq!(
        run.stdout(),
        serde_json::to_string_pretty(&v).expect("serialises") + "\n"
    );
    let keys: Vec<_> = v.as_object().expect("object").keys().cloned().collect();
    assert_eq!(keys, ["header", "reply", "data"]);
    assert_eq!(
        v["header"],
        json!({"version": "0.9", "msg_id": null, "msg_type": null})
    );
    assert_eq!(
        v["reply"],
        json!({
            "protocol": "XCP",
            "action": "REPLY",
            "object": "DOMAIN",
            "is_success": true,
            "response_code": 200,
            "class": "success",
            "retryable": false,
            "description": "success",
            "response_text": "Query successful. Transfer scheduled in 5 minutes.",
        })
    );
    let plain = xcp(&["decode", f], None).ok();
    assert_eq!(v["data"], plain.json());
    let compact = xcp(&["decode", "--envelope", "--compact", f], None).ok();
    assert_eq!(
        compact.stdout(),
        serde_json::to_string(&v).expect("serialises") + "\n"
    );
}

#[test]
fn envelope_of_a_failed_reply_shows_its_class() {
    let xml = FAILED_REPLY
        .replace(
            "<version>0.9</version>",
            "<version>0.9</version><msg_id>12</msg_id><msg_type>standard</msg_type>",
        )
        .replace(">465<", ">486<");
    let v = xcp(&["decode", "--envelope"], Some(xml.as_bytes()))
        .ok()
        .json();
    assert_eq!(
        v["header"],
        json!({"version": "0.9", "msg_id": "12", "msg_type": "standard"})
    );
    assert_eq!(v["reply"]["is_success"], false);
    assert_eq!(v["reply"]["response_code"], 486);
    assert_eq!(v["reply"]["class"], "deferred");
    assert_eq!(v["reply"]["retryable"], true);
    assert_eq!(
        v["reply"]["description"],
        "exists in a processing state: retry shortly"
    );
    assert_eq!(v["reply"]["response_text"], "Invalid domain\nname");
    assert_eq!(v["data"]["attributes"]["field"], "domain");
    let v = xcp(&["decode", "--envelope"], Some(FAILED_REPLY.as_bytes()))
        .ok()
        .json();
    assert_eq!(v["reply"]["class"], "validation");
    assert_eq!(v["reply"]["description"], "invalid data");
}

#[test]
fn envelope_of_a_request() {
    for (cmd, f) in fixtures() {
        let run = xcp(&["decode", "--envelope", &f], None).ok();
        let v = run.json();
        assert_eq!(
            run.stdout(),
            serde_json::to_string_pretty(&v).expect("serialises") + "\n",
            "{f}"
        );
        let plain = xcp(&["decode", &f], None).ok().json();
        assert_eq!(v["data"], plain, "{f}");
        if plain["action"]
            .as_str()
            .is_some_and(|a| a.eq_ignore_ascii_case("reply"))
        {
            assert!(v.get("request").is_none() && v["reply"].is_object(), "{f}");
            continue;
        }
        assert!(v.get("reply").is_none(), "{f}");
        assert_eq!(
            v["request"],
            json!({"protocol": "XCP", "action": plain["action"], "object": plain["object"]}),
            "{f}"
        );
        assert!(
            v["request"]["action"]
                .as_str()
                .is_some_and(|a| a.eq_ignore_ascii_case(&cmd)),
            "{f}"
        );
    }
}

#[test]
fn envelope_needs_a_request_or_a_reply() {
    // A reply without is_success.
    let xml = FAILED_REPLY.replace("<item key=\"is_success\">0</item>", "");
    for args in [
        &["decode", "--envelope"][..],
        &["decode", "--envelope", "--check"],
    ] {
        let line = xcp(args, Some(xml.as_bytes())).fails();
        assert_error_format(&line, "<stdin>");
        assert!(
            line.ends_with("missing required key `is_success` (at is_success)"),
            "{line}"
        );
    }
    // Without --envelope the same document decodes.
    xcp(&["decode"], Some(xml.as_bytes())).ok();
    let xml = "<OPS_envelope><header><version>0.9</version></header><body><data_block>\
        <dt_scalar>x</dt_scalar></data_block></body></OPS_envelope>";
    let line = xcp(&["decode", "--envelope"], Some(xml.as_bytes())).fails();
    assert_error_format(&line, "<stdin>");
}

#[test]
fn decode_help_documents_the_new_flags() {
    let help = xcp(&["decode", "--help"], None).ok();
    for s in [
        "--envelope",
        "\"header\"",
        "\"reply\"",
        "\"data\"",
        "--as <COMMAND>",
        "OpenSRS error",
    ] {
        assert!(help.stdout().contains(s), "{s}: {}", help.stdout());
    }
    let help = xcp(&["--help"], None).ok();
    for cmd in ["decode", "encode", "fmt", "sign", "request"] {
        assert!(help.stdout().contains(cmd), "{}", help.stdout());
    }
}

// ---- sign ------------------------------------------------------------------

/// A 112-character test key.
const KEY: &str = "9a2f4c6e8b0d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a\
                   3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a";

// Vectors computed independently with Python's hashlib:
//   m = lambda b: hashlib.md5(b).hexdigest().encode()
//   sig = lambda body, key: m(m(body + key) + key).decode()
const SIG_EMPTY: &str = "131a81fe12aabb3ffdc1f26d76cd69de";
const SIG_ABC: &str = "858968dd60a4d1e13017002872cbf4ce";
const SIG_ABC_LF: &str = "897eda106ff743c5adfaa2836601f219";
const SIG_ABC_CRLF: &str = "5723c0c6770d7a635316e04db5f540c2";
/// Of `"Zürich ✓\n"` as UTF-8.
const SIG_NON_ASCII: &str = "0ca81f92c055222067b419298834e387";
/// Of `fixtures/send_password/request.xml`, byte for byte.
const SIG_FIXTURE: &str = "5396f209bc59206f9a715975188b4bd8";
/// Of `ENCODED`.
const SIG_ENCODED: &str = "7dca8844a7acfb89e1d57ec2d10874ad";
/// Of `REQUESTED`.
const SIG_REQUESTED: &str = "935f9f5b4766b7b059dab2eb92d3c676";
/// Of `abc` with the key `clé ✓` (UTF-8).
const SIG_UTF8_KEY: &str = "aa98c7f001322fd96a790c850db2c67d";

const ENCODED: &str = concat!(
    "<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\n",
    "<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>\n",
    "<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>",
    "<item key=\"protocol\">XCP</item><item key=\"action\">LOOKUP</item><item key=\"object\">DOMAIN</item>",
    "<item key=\"attributes\"><dt_assoc><item key=\"domain\">example.com</item></dt_assoc></item>",
    "</dt_assoc></data_block></body></OPS_envelope>"
);

const REQUESTED: &str = concat!(
    "<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\n",
    "<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>\n",
    "<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>",
    "<item key=\"protocol\">XCP</item><item key=\"action\">check_transfer</item><item key=\"object\">domain</item>",
    "<item key=\"attributes\"><dt_assoc><item key=\"domain\">example.com</item><item key=\"check_status\">1</item></dt_assoc></item>",
    "</dt_assoc></data_block></body></OPS_envelope>"
);

/// A folder of its own for one test's files, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("xcp-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write");
        path.to_str().expect("UTF-8 path").to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[track_caller]
fn signs(key_file: &str, args: &[&str], stdin: Option<&[u8]>, expected: &str) {
    let mut all = vec!["sign", "--key-file", key_file];
    all.extend_from_slice(args);
    let run = xcp(&all, stdin).ok();
    assert_eq!(run.stdout(), format!("{expected}\n"), "{args:?}");
}

#[test]
fn sign_matches_independent_vectors() {
    let dir = TempDir::new("sign");
    // Whitespace around the key is trimmed.
    let key = dir.file("key", format!(" \t{KEY}\r\n\n").as_bytes());
    let bare = dir.file("key-bare", KEY.as_bytes());
    for k in [&key, &bare] {
        signs(k, &[], Some(b""), SIG_EMPTY);
        signs(k, &["-"], Some(b"abc"), SIG_ABC);
    }
    // The body's bytes exactly: a trailing newline is signed, not stripped.
    signs(&key, &[], Some(b"abc\n"), SIG_ABC_LF);
    signs(&key, &[], Some(b"abc\r\n"), SIG_ABC_CRLF);
    let lf = dir.file("abc-lf", b"abc\n");
    signs(&key, &[&lf], None, SIG_ABC_LF);
    let empty = dir.file("empty", b"");
    signs(&key, &[&empty], None, SIG_EMPTY);
    signs(&key, &[], Some("Zürich ✓\n".as_bytes()), SIG_NON_ASCII);
    let non_ascii = dir.file("non-ascii", "Zürich ✓\n".as_bytes());
    signs(&key, &[&non_ascii], None, SIG_NON_ASCII);
    signs(
        &key,
        &["fixtures/send_password/request.xml"],
        None,
        SIG_FIXTURE,
    );
    // The key is UTF-8 bytes too.
    let utf8_key = dir.file("utf8-key", "clé ✓\n".as_bytes());
    signs(&utf8_key, &[], Some(b"abc"), SIG_UTF8_KEY);
    // Agrees with the library.
    let sig = ops_core::sign::signature(b"abc\n", &ops_core::secret::Secret::new(KEY));
    assert_eq!(sig, SIG_ABC_LF);
}

#[test]
fn encode_and_request_pipe_into_sign() {
    let dir = TempDir::new("sign-pipe");
    let key = dir.file("key", format!("{KEY}\n").as_bytes());
    let json = br#"{"protocol": "XCP", "action": "LOOKUP", "object": "DOMAIN", "attributes": {"domain": "example.com"}}"#;
    let encoded = xcp(&["encode"], Some(json)).ok();
    assert_eq!(encoded.stdout(), ENCODED);
    signs(&key, &[], Some(&encoded.stdout), SIG_ENCODED);
    let requested = xcp(
        &[
            "request",
            "check_transfer",
            "--domain",
            "example.com",
            "--check-status",
            "1",
        ],
        None,
    )
    .ok();
    assert_eq!(requested.stdout(), REQUESTED);
    signs(&key, &["-"], Some(&requested.stdout), SIG_REQUESTED);
}

#[test]
fn sign_errors_are_one_line_and_never_show_the_key() {
    let dir = TempDir::new("sign-errors");
    let missing = dir.0.join("no-such-key");
    let missing = missing.to_str().expect("UTF-8 path");
    let line = xcp(&["sign", "--key-file", missing], Some(b"abc")).fails();
    assert!(
        line.starts_with(&format!("{missing}: cannot read: ")),
        "{line}"
    );
    let blank = dir.file("blank", b" \n\t\n");
    let line = xcp(&["sign", "--key-file", &blank], Some(b"abc")).fails();
    assert_eq!(
        line,
        format!("{blank}: key file holds no key (it is empty or all whitespace)")
    );
    let bad = dir.file("bad", b"\xffSECRETKEY");
    let line = xcp(&["sign", "--key-file", &bad], Some(b"abc")).fails();
    assert_eq!(line, format!("{bad}: key file is not valid UTF-8"));
    assert!(!line.contains("SECRETKEY"));
    let key = dir.file("key", KEY.as_bytes());
    let line = xcp(
        &["sign", "--key-file", &key, "fixtures/no_such_body.xml"],
        None,
    )
    .fails();
    assert!(
        line.starts_with("fixtures/no_such_body.xml: cannot read: ") && !line.contains(KEY),
        "{line}"
    );
    let line = xcp(
        &["sign", "--key-file", &key, "--max-size", "2"],
        Some(b"abc"),
    )
    .fails();
    assert_eq!(
        line,
        "<stdin>:1:3: input is larger than the limit of 2 bytes"
    );
    let err = xcp(&["sign"], Some(b"abc")).usage_error();
    assert!(err.contains("--key-file"), "{err}");
}

// ---- request ---------------------------------------------------------------

fn name(s: &str) -> DomainName {
    DomainName::new(s).expect("valid domain name")
}

/// Builds a request with flags, checks its bytes against `expected`'s
/// encoding (compact and `--pretty`), and reads it back as `C`.
#[track_caller]
fn request_round_trip<C>(args: &[&str], expected: &C)
where
    C: ops_core::Command + PartialEq + std::fmt::Debug,
{
    let mut all = vec!["request"];
    all.extend_from_slice(args);
    let run = xcp(&all, None).ok();
    assert_eq!(
        run.stdout(),
        expected.encode().expect("encodes"),
        "{args:?}"
    );
    let doc = ops_core::parse(&run.stdout).expect("envelope parses");
    assert_eq!(
        &C::decode_request(&doc).expect("decodes"),
        expected,
        "{args:?}"
    );
    all.push("--pretty");
    let pretty = xcp(&all, None).ok();
    assert_eq!(
        pretty.stdout(),
        expected.encode_pretty().expect("encodes"),
        "{args:?}"
    );
    let doc = ops_core::parse(&pretty.stdout).expect("envelope parses");
    assert_eq!(
        &C::decode_request(&doc).expect("decodes"),
        expected,
        "{args:?}"
    );
}

/// The request a fixture holds.
fn fixture_request<C: ops_core::Command>(rel: &str) -> C {
    let bytes = std::fs::read(root().join(rel)).expect("fixture");
    let doc = ops_core::parse(&bytes).expect("fixture parses");
    C::decode_request(&doc).expect("fixture decodes")
}

#[test]
fn request_flags_round_trip_through_the_typed_requests() {
    let expected = SendPassword {
        domain_name: name("example.com"),
    };
    request_round_trip(
        &["send_password", "--domain-name", "example.com"],
        &expected,
    );
    assert_eq!(
        expected,
        fixture_request::<SendPassword>("fixtures/send_password/request.xml")
    );

    let expected = CheckTransfer {
        domain: name("example.com"),
        check_status: Some(true),
        get_request_address: Some(true),
    };
    let args = [
        "check_transfer",
        "--domain",
        "example.com",
        "--check-status",
        "1",
        "--get-request-address",
        "1",
    ];
    request_round_trip(&args, &expected);
    assert_eq!(
        expected,
        fixture_request::<CheckTransfer>("fixtures/check_transfer/request.xml")
    );
    request_round_trip(
        &[
            "check_transfer",
            "--domain",
            "example.com",
            "--get-request-address",
            "0",
        ],
        &CheckTransfer {
            domain: name("example.com"),
            check_status: None,
            get_request_address: Some(false),
        },
    );

    let expected = ResendTradeApprovalNotice::new(
        name("tucows-d6ad7a0fc501d8.com"),
        RegistrantType::Current,
        SendType::Sms,
        Some(PhoneNumber::new("+1.2602180057").expect("valid")),
    )
    .expect("keeps the rules");
    let args = [
        "resend_trade_approval_notice",
        "--domain",
        "tucows-d6ad7a0fc501d8.com",
        "--registrant-type",
        "current",
        "--send-type",
        "SMS",
        "--sms-phone-number",
        "+1.2602180057",
    ];
    request_round_trip(&args, &expected);
    assert_eq!(
        expected,
        fixture_request::<ResendTradeApprovalNotice>(
            "fixtures/resend_trade_approval_notice/request_sms.xml"
        )
    );
    let expected = ResendTradeApprovalNotice::new(
        name("gfe7892gf2933e2f.com"),
        RegistrantType::New,
        SendType::Email,
        None,
    )
    .expect("keeps the rules");
    let args = [
        "resend_trade_approval_notice",
        "--domain",
        "gfe7892gf2933e2f.com",
        "--registrant-type",
        "NEW",
        "--send-type",
        "email",
    ];
    request_round_trip(&args, &expected);
    assert_eq!(
        expected,
        fixture_request::<ResendTradeApprovalNotice>(
            "fixtures/resend_trade_approval_notice/request_email.xml"
        )
    );

    let codes = [
        ("newtransfer461.com", "@xMj%[1b"),
        ("newtransfer462.com", "Mj%zA>1r"),
        ("newtransfer463.com", "AK4u.+5U"),
        ("newtransfer464.com", "L+7Dk`3j"),
    ];
    let list = || {
        codes
            .iter()
            .map(|(d, c)| TransferDomain::new(name(d), *c))
            .collect::<Vec<_>>()
    };
    let pairs: Vec<String> = codes.iter().map(|(d, c)| format!("{d}:{c}")).collect();
    let mut args = vec!["simple_transfer"];
    for p in &pairs {
        args.extend(["--domain", p.as_str()]);
    }
    let expected = SimpleTransfer::new(list(), vec![]).expect("keeps the rules");
    request_round_trip(&args, &expected);
    assert_eq!(
        expected,
        fixture_request::<SimpleTransfer>("fixtures/simple_transfer/request.xml")
    );
    args.extend([
        "--nameserver",
        "ns1.exampledns.com",
        "--nameserver",
        "ns2.exampledns.com",
    ]);
    let expected = SimpleTransfer::new(
        list(),
        vec![name("ns1.exampledns.com"), name("ns2.exampledns.com")],
    )
    .expect("keeps the rules");
    request_round_trip(&args, &expected);
    assert_eq!(
        expected,
        fixture_request::<SimpleTransfer>("fixtures/simple_transfer/request_with_nameservers.xml")
    );
    // Auth codes may hold `:`: the split is at the first one.
    let expected = SimpleTransfer::new(
        vec![TransferDomain::new(name("example.com"), "a:b::c")],
        vec![],
    )
    .expect("keeps the rules");
    request_round_trip(
        &["simple_transfer", "--domain", "example.com:a:b::c"],
        &expected,
    );
    // An internationalised name is sent in its ASCII form.
    request_round_trip(
        &["send_password", "--domain-name", "bücher.example"],
        &SendPassword {
            domain_name: name("xn--bcher-kva.example"),
        },
    );
}

#[test]
fn request_rule_violations_name_the_flag() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["send_password", "--domain-name", "exa mple.com"],
            "--domain-name: rule `domain_name` broken: label `exa mple` holds ` `: only letters, digits and hyphens are allowed (at attributes.domain_name)",
        ),
        (
            &["check_transfer", "--domain", "localhost"],
            "--domain: rule `domain_name` broken: `localhost` has no top-level domain (at attributes.domain)",
        ),
        (
            &[
                "resend_trade_approval_notice",
                "--domain",
                "example.com",
                "--registrant-type",
                "new",
                "--send-type",
                "sms",
            ],
            "--send-type: rule `sms_requires_current_registrant` broken: send_type SMS is only allowed when registrant_type is current (at attributes.send_type)",
        ),
        (
            &[
                "resend_trade_approval_notice",
                "--domain",
                "example.com",
                "--registrant-type",
                "current",
                "--send-type",
                "email",
                "--sms-phone-number",
                "+1.2602180057",
            ],
            "--sms-phone-number: rule `sms_phone_number_requires_sms` broken: sms_phone_number is only allowed when send_type is SMS (at attributes.sms_phone_number)",
        ),
        (
            &[
                "resend_trade_approval_notice",
                "--domain",
                "example.com",
                "--registrant-type",
                "current",
                "--send-type",
                "sms",
                "--sms-phone-number",
                "2602180057",
            ],
            "--sms-phone-number: rule `phone_number_format` broken: `2602180057` is not a phone number in OpenSRS form +CC.NNNN (e.g. +1.4165550123) (at attributes.sms_phone_number)",
        ),
        (
            &[
                "simple_transfer",
                "--domain",
                "ok.com:x",
                "--domain",
                "bad_name.com:S3cr3tC0de",
            ],
            "--domain: rule `domain_name` broken: label `bad_name` holds `_`: only letters, digits and hyphens are allowed (at attributes.domain_list[1].domain_name)",
        ),
        (
            &[
                "simple_transfer",
                "--domain",
                "ok.com:x",
                "--nameserver",
                "ns1..example.com",
            ],
            "--nameserver: rule `domain_name` broken: domain name has an empty label (a dot at an end, or two in a row) (at attributes.nameserver_list[0])",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["request"];
        all.extend_from_slice(args);
        let line = xcp(&all, None).fails();
        assert_eq!(&line, expected, "{args:?}");
        assert!(!line.contains("S3cr3tC0de"), "{line}");
    }
}

#[test]
fn request_bad_flags_get_clap_usage_errors() {
    let cases: &[&[&str]] = &[
        &["request"],
        &["request", "lookup", "--domain", "example.com"],
        &["request", "send_password"],
        &["request", "send_password", "--domain", "example.com"],
        &[
            "request",
            "check_transfer",
            "--domain",
            "example.com",
            "--check-status",
            "2",
        ],
        &[
            "request",
            "check_transfer",
            "--domain",
            "example.com",
            "--check-status",
            "yes",
        ],
        &[
            "request",
            "resend_trade_approval_notice",
            "--domain",
            "example.com",
            "--registrant-type",
            "old",
            "--send-type",
            "sms",
        ],
        &["request", "simple_transfer"],
        &["request", "simple_transfer", "--domain", "example.com"],
        &["request", "simple_transfer", "--domain", "example.com:"],
    ];
    for args in cases {
        let err = xcp(args, None).usage_error();
        // Without a subcommand clap prints the help (to stderr).
        assert!(
            err.starts_with("error: ") || args.len() == 1 && err.contains("Usage: xcp request"),
            "{args:?}: {err}"
        );
    }
    // The usage error never repeats an auth code.
    let err = xcp(
        &[
            "request",
            "simple_transfer",
            "--domain",
            "example.com:S3cr3t",
            "--bogus",
        ],
        None,
    )
    .usage_error();
    assert!(!err.contains("S3cr3t"), "{err}");
    let help = xcp(&["request", "check_transfer", "--help"], None).ok();
    for flag in [
        "--domain <NAME>",
        "--check-status <0|1>",
        "--get-request-address <0|1>",
        "--pretty",
    ] {
        assert!(help.stdout().contains(flag), "{flag}: {}", help.stdout());
    }
}

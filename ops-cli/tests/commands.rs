//! The `opensrs` binary's command-aware features, run as a user runs them:
//! `decode --as COMMAND`, `decode --envelope`, `sign` and `request`.

#![allow(deprecated)] // simple_transfer is deprecated by OpenSRS, and tested here on purpose.

mod common;

use common::{
    Run, TempDir, assert_closed_stdout_is_ok, assert_error_format, fixture_bytes, fixtures_in, xcp,
};
use opensrs_actions::domain::{
    CheckTransfer, RegistrantType, ResendTradeApprovalNotice, SendType, SimpleTransfer,
    TransferDomain,
};
use opensrs_actions::transfer::SendPassword;
use opensrs_actions::{DomainName, PhoneNumber};
use opensrs_core::Command as _;
use serde_json::json;

/// A fixture's text, by its path relative to the workspace root.
fn fixture(rel: &str) -> String {
    String::from_utf8(fixture_bytes(rel)).expect("fixture is UTF-8")
}

/// `(command, path)` of every fixture that parses, the command being the
/// fixture's folder.
fn fixtures() -> Vec<(String, String)> {
    fixtures_in(opensrs_actions::COMMANDS)
}

/// Runs `decode --as cmd` on the file `path`.
fn decode_as(cmd: &str, path: &str) -> Run {
    xcp(&["decode", "--as", cmd, path], None)
}

/// What `decode --as` should print for a fixture, computed in-process
/// with the typed commands and serde_json.
fn typed_json(cmd: &str, path: &str) -> String {
    fn print<T: serde::Serialize>(v: &T) -> String {
        serde_json::to_string_pretty(v).expect("serialises") + "\n"
    }
    let bytes = fixture_bytes(path);
    let doc = opensrs_core::parse(&bytes).expect("fixture parses");
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
        let bytes = fixture_bytes(&f);
        let stdin = xcp(&["decode", "--as", &upper], Some(&bytes)).ok();
        assert_eq!(stdin.stdout, run.stdout, "{f}");
    }
}

#[test]
fn check_transfer_replies_show_their_typed_fields() {
    let v = decode_as(
        "check_transfer",
        "fixtures/check_transfer/reply_completed.xml",
    )
    .ok()
    .json();
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
        let v = decode_as("check_transfer", &f).ok().json();
        assert_eq!(v["status"], status, "{f}");
        assert_eq!(v["reason"], "Transfer in progress", "{f}");
    }
}

#[test]
fn requests_show_their_typed_fields() {
    let v = decode_as("check_transfer", "fixtures/check_transfer/request.xml")
        .ok()
        .json();
    assert_eq!(
        v,
        json!({"domain": "example.com", "check_status": true, "get_request_address": true})
    );
    let v = decode_as(
        "resend_trade_approval_notice",
        "fixtures/resend_trade_approval_notice/request_sms.xml",
    )
    .ok()
    .json();
    assert_eq!(v["registrant_type"], "current");
    assert_eq!(v["send_type"], "SMS");
    assert_eq!(v["sms_phone_number"], "+1.2602180057");
    let v = decode_as("send_password", "fixtures/send_password/request.xml")
        .ok()
        .json();
    assert_eq!(v, json!({"domain_name": "example.com"}));
    let v = decode_as("simple_transfer", "fixtures/simple_transfer/reply.xml")
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
        let run = decode_as("simple_transfer", f).ok();
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
    let v = decode_as(
        "simple_transfer",
        "fixtures/simple_transfer/request_with_nameservers.xml",
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
    let doc = opensrs_core::parse_str(xml).expect("parses");
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
    let st = fixture("fixtures/simple_transfer/request.xml");
    let start = st.find("<dt_array>").expect("domain_list");
    let end = st.find("</dt_array>").expect("domain_list") + "</dt_array>".len();
    let ct = fixture("fixtures/check_transfer/request.xml");
    let rtan = "resend_trade_approval_notice";
    // (command, broken request, what the line contains, how it ends); ""
    // where only the other part is checked.
    let cases = [
        (
            rtan,
            sms.replace(">current<", ">new<"),
            "rule `sms_requires_current_registrant` broken",
            "(at attributes.send_type)",
        ),
        (
            rtan,
            email.replace(
                "<item key=\"send_type\">email</item>",
                "<item key=\"send_type\">email</item><item key=\"sms_phone_number\">+1.2602180057</item>",
            ),
            "rule `sms_phone_number_requires_sms` broken",
            "(at attributes.sms_phone_number)",
        ),
        (
            rtan,
            sms.replace("+1.2602180057", "260-218-0057"),
            "rule `phone_number_format` broken",
            "(at attributes.sms_phone_number)",
        ),
        (
            rtan,
            sms.replace("tucows-d6ad7a0fc501d8.com", "tucows_d6.com"),
            "rule `domain_name` broken",
            "(at attributes.domain)",
        ),
        (
            "simple_transfer",
            format!("{}<dt_array/>{}", &st[..start], &st[end..]),
            "rule `domain_list_size` broken",
            "(at attributes.domain_list)",
        ),
        (
            "simple_transfer",
            st.replace("newtransfer463.com", "newtransfer463..com"),
            "",
            "(at attributes.domain_list[2].domain_name)",
        ),
        (
            "check_transfer",
            ct.replace(
                "<item key=\"check_status\">1</item>",
                "<item key=\"check_status\">2</item>",
            ),
            "",
            "(at attributes.check_status)",
        ),
        (
            "check_transfer",
            ct.replace("<item key=\"domain\">example.com</item>", ""),
            "missing required key `domain`",
            "",
        ),
    ];
    for (cmd, xml, contains, ends_with) in cases {
        let line = rule_line(cmd, &xml);
        assert!(
            line.contains(contains) && line.ends_with(ends_with),
            "{line}"
        );
    }
}

#[test]
fn wrong_command_fails_with_one_line() {
    let line = decode_as(
        "send_password",
        "fixtures/check_transfer/reply_completed.xml",
    )
    .fails();
    assert_error_format(&line, "fixtures/check_transfer/reply_completed.xml");
    assert!(
        line.ends_with(": expected object `transfer`, found `DOMAIN` (at object)"),
        "{line}"
    );
    let line = decode_as("send_password", "fixtures/check_transfer/request.xml").fails();
    assert_eq!(
        line,
        "fixtures/check_transfer/request.xml:11:17: expected action `send_password`, found `CHECK_TRANSFER` (at action)"
    );
    let line = decode_as("check_transfer", "fixtures/send_password/request.xml").fails();
    assert!(
        line.ends_with(": expected action `check_transfer`, found `send_password` (at action)"),
        "{line}"
    );
    // Same object, other action: a request names its action.
    let line = decode_as("simple_transfer", "fixtures/check_transfer/request.xml").fails();
    assert!(line.contains("expected action `simple_transfer`"), "{line}");
    // A reply does not: its attributes decide.
    let line = decode_as(
        "simple_transfer",
        "fixtures/check_transfer/reply_completed.xml",
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
    for cmd in opensrs_actions::COMMANDS {
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
    assert_closed_stdout_is_ok(&["decode", "--as", "simple_transfer"], xml.as_bytes());
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
/// Of `abc` with the key `clé✓` (UTF-8).
const SIG_UTF8_KEY: &str = "252defee978fb8a9732aa87e7c34d00a";

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
    let utf8_key = dir.file("utf8-key", "clé✓\n".as_bytes());
    signs(&utf8_key, &[], Some(b"abc"), SIG_UTF8_KEY);
    // Agrees with the library.
    let sig = opensrs_core::sign::signature(b"abc\n", &opensrs_core::secret::Secret::new(KEY));
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
        format!("{blank}: the key file holds no key (it is empty or only whitespace)")
    );
    let bad = dir.file("bad", b"\xffSECRETKEY");
    let line = xcp(&["sign", "--key-file", &bad], Some(b"abc")).fails();
    assert_eq!(
        line,
        format!("{bad}: the key file is not UTF-8 text (invalid byte at 1:1, byte 0)")
    );
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
    C: opensrs_core::Command + PartialEq + std::fmt::Debug,
{
    for pretty in [false, true] {
        let mut all = vec!["request"];
        all.extend_from_slice(args);
        let encoded = if pretty {
            all.push("--pretty");
            expected.encode_pretty()
        } else {
            expected.encode()
        };
        let run = xcp(&all, None).ok();
        assert_eq!(run.stdout(), encoded.expect("encodes"), "{all:?}");
        let doc = opensrs_core::parse(&run.stdout).expect("envelope parses");
        assert_eq!(
            &C::decode_request(&doc).expect("decodes"),
            expected,
            "{all:?}"
        );
    }
}

/// [`request_round_trip`], and `expected` is the request the fixture `rel`
/// holds.
#[track_caller]
fn request_round_trip_of_fixture<C>(args: &[&str], expected: &C, rel: &str)
where
    C: opensrs_core::Command + PartialEq + std::fmt::Debug,
{
    request_round_trip(args, expected);
    let bytes = fixture_bytes(rel);
    let doc = opensrs_core::parse(&bytes).expect("fixture parses");
    assert_eq!(
        expected,
        &C::decode_request(&doc).expect("fixture decodes"),
        "{rel}"
    );
}

#[test]
fn request_flags_round_trip_through_the_typed_requests() {
    request_round_trip_of_fixture(
        &["send_password", "--domain-name", "example.com"],
        &SendPassword {
            domain_name: name("example.com"),
        },
        "fixtures/send_password/request.xml",
    );

    request_round_trip_of_fixture(
        &[
            "check_transfer",
            "--domain",
            "example.com",
            "--check-status",
            "1",
            "--get-request-address",
            "1",
        ],
        &CheckTransfer {
            domain: name("example.com"),
            check_status: Some(true),
            get_request_address: Some(true),
        },
        "fixtures/check_transfer/request.xml",
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

    let rtan = |domain, registrant, send, phone: Option<&str>| {
        ResendTradeApprovalNotice::new(
            name(domain),
            registrant,
            send,
            phone.map(|p| PhoneNumber::new(p).expect("valid")),
        )
        .expect("keeps the rules")
    };
    request_round_trip_of_fixture(
        &[
            "resend_trade_approval_notice",
            "--domain",
            "tucows-d6ad7a0fc501d8.com",
            "--registrant-type",
            "current",
            "--send-type",
            "SMS",
            "--sms-phone-number",
            "+1.2602180057",
        ],
        &rtan(
            "tucows-d6ad7a0fc501d8.com",
            RegistrantType::Current,
            SendType::Sms,
            Some("+1.2602180057"),
        ),
        "fixtures/resend_trade_approval_notice/request_sms.xml",
    );
    request_round_trip_of_fixture(
        &[
            "resend_trade_approval_notice",
            "--domain",
            "gfe7892gf2933e2f.com",
            "--registrant-type",
            "NEW",
            "--send-type",
            "email",
        ],
        &rtan(
            "gfe7892gf2933e2f.com",
            RegistrantType::New,
            SendType::Email,
            None,
        ),
        "fixtures/resend_trade_approval_notice/request_email.xml",
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
    request_round_trip_of_fixture(
        &args,
        &SimpleTransfer::new(list(), vec![]).expect("keeps the rules"),
        "fixtures/simple_transfer/request.xml",
    );
    args.extend([
        "--nameserver",
        "ns1.exampledns.com",
        "--nameserver",
        "ns2.exampledns.com",
    ]);
    request_round_trip_of_fixture(
        &args,
        &SimpleTransfer::new(
            list(),
            vec![name("ns1.exampledns.com"), name("ns2.exampledns.com")],
        )
        .expect("keeps the rules"),
        "fixtures/simple_transfer/request_with_nameservers.xml",
    );
    // Auth codes may hold `:`: the split is at the first one.
    request_round_trip(
        &["simple_transfer", "--domain", "example.com:a:b::c"],
        &SimpleTransfer::new(
            vec![TransferDomain::new(name("example.com"), "a:b::c")],
            vec![],
        )
        .expect("keeps the rules"),
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
    // The flags, split at each space.
    let flags = |s: &'static str| s.split(' ').collect::<Vec<_>>();
    let cases = [
        (
            vec!["send_password", "--domain-name", "exa mple.com"],
            "--domain-name: rule `domain_name` broken: label `exa mple` holds ` `: only letters, digits and hyphens are allowed (at attributes.domain_name)",
        ),
        (
            flags("check_transfer --domain localhost"),
            "--domain: rule `domain_name` broken: `localhost` has no top-level domain (at attributes.domain)",
        ),
        (
            flags(
                "resend_trade_approval_notice --domain example.com --registrant-type new --send-type sms",
            ),
            "--send-type: rule `sms_requires_current_registrant` broken: send_type SMS is only allowed when registrant_type is current (at attributes.send_type)",
        ),
        (
            flags(
                "resend_trade_approval_notice --domain example.com --registrant-type current --send-type email --sms-phone-number +1.2602180057",
            ),
            "--sms-phone-number: rule `sms_phone_number_requires_sms` broken: sms_phone_number is only allowed when send_type is SMS (at attributes.sms_phone_number)",
        ),
        (
            flags(
                "resend_trade_approval_notice --domain example.com --registrant-type current --send-type sms --sms-phone-number 2602180057",
            ),
            "--sms-phone-number: rule `phone_number_format` broken: `2602180057` is not a phone number in OpenSRS form +CC.NNNN (e.g. +1.4165550123) (at attributes.sms_phone_number)",
        ),
        (
            flags("simple_transfer --domain ok.com:x --domain bad_name.com:S3cr3tC0de"),
            "--domain: rule `domain_name` broken: label `bad_name` holds `_`: only letters, digits and hyphens are allowed (at attributes.domain_list[1].domain_name)",
        ),
        (
            flags("simple_transfer --domain ok.com:x --nameserver ns1..example.com"),
            "--nameserver: rule `domain_name` broken: domain name has an empty label (a dot at an end, or two in a row) (at attributes.nameserver_list[0])",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["request"];
        all.extend_from_slice(&args);
        let line = xcp(&all, None).fails();
        assert_eq!(line, expected, "{args:?}");
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
            err.starts_with("error: ") || args.len() == 1 && err.contains("Usage: opensrs request"),
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

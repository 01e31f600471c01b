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
/// fixture's folder `OBJECT/ACTION`.
fn fixtures() -> Vec<(String, String)> {
    fixtures_in(
        opensrs_actions::COMMANDS
            .iter()
            .map(|c| format!("{}/{}", c.object(), c.action())),
    )
}

/// Runs `decode --as ACTION [--object OBJECT]` on the file `path`; `cmd`
/// is `ACTION` or `OBJECT/ACTION`.
fn decode_as(cmd: &str, path: &str) -> Run {
    match cmd.split_once('/') {
        Some((object, action)) => xcp(&["decode", "--as", action, "--object", object, path], None),
        None => xcp(&["decode", "--as", cmd, path], None),
    }
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
        "transfer/send_password" => typed!(SendPassword),
        "domain/send_password" => typed!(opensrs_actions::domain::SendPassword),
        "domain/resend_trade_approval_notice" => typed!(ResendTradeApprovalNotice),
        "domain/simple_transfer" => typed!(SimpleTransfer),
        "domain/check_transfer" => typed!(CheckTransfer),
        other => panic!("unknown command {other}"),
    }
}

// ---- decode --as -----------------------------------------------------------

/// `--as ACTION --object OBJECT` for `OBJECT/ACTION`, `ACTION` upper case
/// when `upper`.
fn as_args(cmd: &str, upper: bool) -> Vec<String> {
    let (object, action) = cmd.split_once('/').expect("OBJECT/ACTION");
    let action = if upper {
        action.to_uppercase()
    } else {
        action.to_owned()
    };
    ["--as", &action, "--object", object]
        .map(str::to_owned)
        .to_vec()
}

#[test]
fn every_fixture_decodes_as_its_command() {
    for (cmd, f) in fixtures() {
        let run = decode_as(&cmd, &f).ok();
        assert_eq!(run.stdout(), typed_json(&cmd, &f), "{f}");
        let with = |extra: &[&str], upper: bool| {
            let mut args = vec!["decode".to_owned()];
            args.extend(as_args(&cmd, upper));
            args.extend(extra.iter().map(|s| (*s).to_owned()));
            args
        };
        let run_with = |args: Vec<String>, stdin: Option<&[u8]>| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            xcp(&args, stdin)
        };
        // Compact: the same value on one line.
        let compact = run_with(with(&["--compact", &f], false), None).ok();
        assert_eq!(compact.stdout().lines().count(), 1, "{f}");
        assert_eq!(compact.json(), run.json(), "{f}");
        // --check: the same decode, no output.
        let check = run_with(with(&["--check", &f], false), None).ok();
        assert!(check.stdout.is_empty(), "{f}");
        // Any case, and stdin.
        let bytes = fixture_bytes(&f);
        let stdin = run_with(with(&[], true), Some(&bytes)).ok();
        assert_eq!(stdin.stdout, run.stdout, "{f}");
        // The action alone, when it names one command.
        let action = cmd.split_once('/').expect("OBJECT/ACTION").1;
        if opensrs_actions::find(action, None).is_ok() {
            assert_eq!(decode_as(action, &f).ok().stdout, run.stdout, "{f}");
        }
    }
}

#[test]
fn send_password_on_domain_shows_its_typed_fields() {
    let f = "ops-actions/fixtures/domain/send_password/request.xml";
    let v = decode_as("domain/send_password", f).ok().json();
    assert_eq!(
        v,
        json!({"domain_name": "example.com", "send_to": "owner", "sub_user": false})
    );
    let f = "ops-actions/fixtures/domain/send_password/reply.xml";
    let v = decode_as("domain/send_password", f).ok().json();
    assert_eq!(
        v,
        json!({"response_code": 200, "response_text": "Message sent"})
    );
    // The transfer command refuses the domain one's request: exit 1.
    let line = decode_as(
        "transfer/send_password",
        "ops-actions/fixtures/domain/send_password/request.xml",
    )
    .fails();
    assert!(
        line.ends_with("expected object `transfer`, found `DOMAIN` (at object)"),
        "{line}"
    );
}

#[test]
fn an_ambiguous_action_is_a_usage_error_listing_the_objects() {
    let f = "ops-actions/fixtures/domain/send_password/request.xml";
    let err = xcp(&["decode", "--as", "send_password", f], None).usage_error();
    assert!(
        err.contains("action `send_password` names 2 commands: give its object (transfer, domain)"),
        "{err}"
    );
    let err = xcp(
        &[
            "decode",
            "--as",
            "check_transfer",
            "--object",
            "transfer",
            f,
        ],
        None,
    )
    .usage_error();
    assert!(
        err.contains("no command has action `check_transfer` on object `transfer`"),
        "{err}"
    );
    // --object without --as.
    xcp(&["decode", "--object", "domain", f], None).usage_error();
}

#[test]
fn check_transfer_replies_show_their_typed_fields() {
    let v = decode_as(
        "check_transfer",
        "ops-actions/fixtures/domain/check_transfer/reply_completed.xml",
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
        let f = format!("ops-actions/fixtures/domain/check_transfer/{f}");
        let v = decode_as("check_transfer", &f).ok().json();
        assert_eq!(v["status"], status, "{f}");
        assert_eq!(v["reason"], "Transfer in progress", "{f}");
    }
}

#[test]
fn requests_show_their_typed_fields() {
    let v = decode_as(
        "check_transfer",
        "ops-actions/fixtures/domain/check_transfer/request.xml",
    )
    .ok()
    .json();
    assert_eq!(
        v,
        json!({"domain": "example.com", "check_status": true, "get_request_address": true})
    );
    let v = decode_as(
        "resend_trade_approval_notice",
        "ops-actions/fixtures/domain/resend_trade_approval_notice/request_sms.xml",
    )
    .ok()
    .json();
    assert_eq!(v["registrant_type"], "current");
    assert_eq!(v["send_type"], "SMS");
    assert_eq!(v["sms_phone_number"], "+1.2602180057");
    let v = decode_as(
        "transfer/send_password",
        "ops-actions/fixtures/transfer/send_password/request.xml",
    )
    .ok()
    .json();
    assert_eq!(v, json!({"domain_name": "example.com"}));
    let v = decode_as(
        "simple_transfer",
        "ops-actions/fixtures/domain/simple_transfer/reply.xml",
    )
    .ok()
    .json();
    assert_eq!(v["simple_transfer_job_id"], "134");
}

#[test]
fn auth_codes_print_redacted() {
    let codes = ["@xMj%[1b", "Mj%zA>1r", "AK4u.+5U", "L+7Dk`3j"];
    for f in [
        "ops-actions/fixtures/domain/simple_transfer/request.xml",
        "ops-actions/fixtures/domain/simple_transfer/request_with_nameservers.xml",
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
        "ops-actions/fixtures/domain/simple_transfer/request_with_nameservers.xml",
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
    let sms = fixture("ops-actions/fixtures/domain/resend_trade_approval_notice/request_sms.xml");
    let email =
        fixture("ops-actions/fixtures/domain/resend_trade_approval_notice/request_email.xml");
    let st = fixture("ops-actions/fixtures/domain/simple_transfer/request.xml");
    let start = st.find("<dt_array>").expect("domain_list");
    let end = st.find("</dt_array>").expect("domain_list") + "</dt_array>".len();
    let ct = fixture("ops-actions/fixtures/domain/check_transfer/request.xml");
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
        "transfer/send_password",
        "ops-actions/fixtures/domain/check_transfer/reply_completed.xml",
    )
    .fails();
    assert_error_format(
        &line,
        "ops-actions/fixtures/domain/check_transfer/reply_completed.xml",
    );
    assert!(
        line.ends_with(": expected object `transfer`, found `DOMAIN` (at object)"),
        "{line}"
    );
    let line = decode_as(
        "transfer/send_password",
        "ops-actions/fixtures/domain/check_transfer/request.xml",
    )
    .fails();
    assert_eq!(
        line,
        "ops-actions/fixtures/domain/check_transfer/request.xml:11:17: expected action `send_password`, found `CHECK_TRANSFER` (at action)"
    );
    let line = decode_as(
        "check_transfer",
        "ops-actions/fixtures/transfer/send_password/request.xml",
    )
    .fails();
    assert!(
        line.ends_with(": expected action `check_transfer`, found `send_password` (at action)"),
        "{line}"
    );
    // Same object, other action: a request names its action.
    let line = decode_as(
        "simple_transfer",
        "ops-actions/fixtures/domain/check_transfer/request.xml",
    )
    .fails();
    assert!(line.contains("expected action `simple_transfer`"), "{line}");
    // A reply does not: its attributes decide.
    let line = decode_as(
        "simple_transfer",
        "ops-actions/fixtures/domain/check_transfer/reply_completed.xml",
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
        &["decode", "--as", "send_password", "--object", "transfer"],
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
            "ops-actions/fixtures/domain/check_transfer/request.xml",
        ],
        None,
    )
    .usage_error();
    assert!(err.contains("no command has action `lookup`"), "{err}");
    for cmd in opensrs_actions::COMMANDS {
        assert!(err.contains(&cmd.to_string()), "{err}");
    }
    let err = xcp(
        &[
            "decode",
            "--as",
            "check_transfer",
            "--envelope",
            "ops-actions/fixtures/domain/check_transfer/request.xml",
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
    let f = "ops-actions/fixtures/domain/check_transfer/reply_pending_registry.xml";
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

/// OpenSRS's own server-level errors (issue 15): a 400 without `object`, a
/// 404 without `action` and `object` that says `is_success` 1.
const SERVER_400: &str = "<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>\
    <item key=\"protocol\">XCP</item><item key=\"action\">REPLY</item><item key=\"is_success\">0</item>\
    <item key=\"response_code\">400</item><item key=\"response_text\">Internal server error</item>\
    </dt_assoc></data_block></body></OPS_envelope>";
const MISSING_USERNAME_404: &str = "<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>\
    <item key=\"protocol\">XCP</item><item key=\"is_success\">1</item>\
    <item key=\"response_code\">404</item><item key=\"response_text\">Missing X-Username: header</item>\
    </dt_assoc></data_block></body></OPS_envelope>";

#[test]
fn envelope_of_server_level_errors_shows_code_and_text() {
    let v = xcp(&["decode", "--envelope"], Some(SERVER_400.as_bytes()))
        .ok()
        .json();
    assert_eq!(v["reply"]["object"], serde_json::Value::Null);
    assert_eq!(v["reply"]["action"], "REPLY");
    assert_eq!(v["reply"]["is_success"], false);
    assert_eq!(v["reply"]["response_code"], 400);
    assert_eq!(v["reply"]["class"], "server");
    assert_eq!(v["reply"]["response_text"], "Internal server error");
    let v = xcp(
        &["decode", "--envelope"],
        Some(MISSING_USERNAME_404.as_bytes()),
    )
    .ok()
    .json();
    assert!(v.get("request").is_none(), "{v}");
    assert_eq!(v["reply"]["action"], serde_json::Value::Null);
    assert_eq!(v["reply"]["object"], serde_json::Value::Null);
    assert_eq!(v["reply"]["is_success"], false);
    assert_eq!(v["data"]["is_success"], "1");
    assert_eq!(v["reply"]["response_code"], 404);
    assert_eq!(v["reply"]["class"], "server");
    assert_eq!(v["reply"]["response_text"], "Missing X-Username: header");
}

#[test]
fn typed_decode_of_server_level_errors_is_the_api_error() {
    for cmd in [
        &["check_transfer"][..],
        &["send_password", "--object", "transfer"],
    ] {
        let args = [&["decode", "--as"][..], cmd].concat();
        let line = xcp(&args, Some(SERVER_400.as_bytes())).fails();
        assert!(
            line.starts_with("<stdin>: OpenSRS error 400 (")
                && line.ends_with("): Internal server error"),
            "{line}"
        );
        let line = xcp(&args, Some(MISSING_USERNAME_404.as_bytes())).fails();
        assert!(
            line.starts_with("<stdin>: OpenSRS error 404 (")
                && line.ends_with("): Missing X-Username: header"),
            "{line}"
        );
    }
}

#[test]
fn typed_requests_are_strict() {
    let request = fixture("ops-actions/fixtures/domain/check_transfer/request.xml");
    let typo = request.replacen("key=\"domain\"", "key=\"domian\"", 1);
    assert_ne!(typo, request);
    let line = xcp(&["decode", "--as", "check_transfer"], Some(typo.as_bytes())).fails();
    assert!(
        line.contains("unknown item `domian`") && line.ends_with("(at attributes.domian)"),
        "{line}"
    );
    let foo = request.replacen(">XCP<", ">FOO<", 1);
    let line = xcp(&["decode", "--as", "check_transfer"], Some(foo.as_bytes())).fails();
    assert!(
        line.contains("expected protocol `XCP`, found `FOO`"),
        "{line}"
    );
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
                .is_some_and(|a| cmd.ends_with(&format!("/{}", a.to_lowercase()))),
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
        "--as <ACTION>",
        "--object <OBJECT>",
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
/// Of `ops-actions/fixtures/transfer/send_password/request.xml`, byte for byte.
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
        &["ops-actions/fixtures/transfer/send_password/request.xml"],
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
            "domain=example.com",
            "check_status=1",
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

/// Builds a request from arguments, checks its bytes against `expected`'s
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
fn request_attributes_round_trip_through_the_typed_requests() {
    request_round_trip_of_fixture(
        &[
            "send_password",
            "--object",
            "transfer",
            "domain_name=example.com",
        ],
        &SendPassword {
            domain_name: name("example.com"),
        },
        "ops-actions/fixtures/transfer/send_password/request.xml",
    );
    request_round_trip_of_fixture(
        &[
            "SEND_PASSWORD",
            "--object",
            "Domain",
            "domain_name=example.com",
            "send_to=owner",
            "sub_user=0",
        ],
        &opensrs_actions::domain::SendPassword {
            domain_name: name("example.com"),
            send_to: Some(opensrs_actions::domain::SendTo::Owner),
            sub_user: Some(false),
        },
        "ops-actions/fixtures/domain/send_password/request.xml",
    );
    request_round_trip_of_fixture(
        &[
            "check_transfer",
            "domain=example.com",
            "check_status=1",
            "get_request_address=1",
        ],
        &CheckTransfer {
            domain: name("example.com"),
            check_status: Some(true),
            get_request_address: Some(true),
        },
        "ops-actions/fixtures/domain/check_transfer/request.xml",
    );
    request_round_trip_of_fixture(
        &[
            "resend_trade_approval_notice",
            "domain=tucows-d6ad7a0fc501d8.com",
            "registrant_type=current",
            "send_type=SMS",
            "sms_phone_number=+1.2602180057",
        ],
        &ResendTradeApprovalNotice::new(
            name("tucows-d6ad7a0fc501d8.com"),
            RegistrantType::Current,
            SendType::Sms,
            Some(PhoneNumber::new("+1.2602180057").expect("valid")),
        )
        .expect("keeps the rules"),
        "ops-actions/fixtures/domain/resend_trade_approval_notice/request_sms.xml",
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
    let mut pairs = Vec::new();
    for (i, (d, c)) in codes.iter().enumerate() {
        pairs.push(format!("domain_list.{i}.domain_name={d}"));
        pairs.push(format!("domain_list.{i}.auth_info={c}"));
    }
    let mut args = vec!["simple_transfer"];
    args.extend(pairs.iter().map(String::as_str));
    request_round_trip_of_fixture(
        &args,
        &SimpleTransfer::new(list(), vec![]).expect("keeps the rules"),
        "ops-actions/fixtures/domain/simple_transfer/request.xml",
    );
    args.extend([
        "nameserver_list.0=ns1.exampledns.com",
        "nameserver_list.1=ns2.exampledns.com",
    ]);
    request_round_trip_of_fixture(
        &args,
        &SimpleTransfer::new(
            list(),
            vec![name("ns1.exampledns.com"), name("ns2.exampledns.com")],
        )
        .expect("keeps the rules"),
        "ops-actions/fixtures/domain/simple_transfer/request_with_nameservers.xml",
    );
    // An internationalised name is sent in its ASCII form.
    request_round_trip(
        &[
            "send_password",
            "--object",
            "transfer",
            "domain_name=bücher.example",
        ],
        &SendPassword {
            domain_name: name("xn--bcher-kva.example"),
        },
    );
}

#[test]
fn request_from_a_json_file() {
    let dir = TempDir::new("request-json");
    let f = dir.file(
        "attrs.json",
        br#"{"domain_list": [{"domain_name": "a.com", "auth_info": "S3cr3t"}]}"#,
    );
    let run = xcp(&["request", "simple_transfer", "--json", &f], None).ok();
    let expected = SimpleTransfer::new(vec![TransferDomain::new(name("a.com"), "S3cr3t")], vec![])
        .expect("keeps the rules");
    assert_eq!(run.stdout(), expected.encode().expect("encodes"));
    // Stdin, and a JSON error with its position.
    let run = xcp(
        &["request", "check_transfer", "--json", "-"],
        Some(br#"{"domain": "example.com"}"#),
    )
    .ok();
    assert!(run.stdout().contains("example.com"));
    let line = xcp(
        &["request", "check_transfer", "--json", "-"],
        Some(br#"{"domain": null}"#),
    )
    .fails();
    assert_error_format(&line, "<stdin>");
    let line = xcp(&["request", "check_transfer", "--json", "-"], Some(b"[1]")).fails();
    assert_eq!(line, "<stdin>: expected a JSON object: the attributes");
    // A secret the typed request refuses: not shown.
    let f = dir.file(
        "bad.json",
        br#"{"domain_list": [{"domain_name": "a.com", "auth_info": {"x": "S3cr3t"}}]}"#,
    );
    let line = xcp(&["request", "simple_transfer", "--json", &f], None).fails();
    assert!(!line.contains("S3cr3t"), "{line}");
    assert!(
        line.ends_with("(at attributes.domain_list[0].auth_info)"),
        "{line}"
    );
}

#[test]
fn request_refusals_name_the_key() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "send_password",
                "--object",
                "transfer",
                "domain_name=exa mple.com",
            ],
            "domain_name: rule `domain_name` broken: label `exa mple` holds ` `: only letters, digits and hyphens are allowed (at attributes.domain_name)",
        ),
        (
            &["check_transfer", "domain=localhost"],
            "domain: rule `domain_name` broken: `localhost` has no top-level domain (at attributes.domain)",
        ),
        (
            &[
                "resend_trade_approval_notice",
                "domain=example.com",
                "registrant_type=new",
                "send_type=sms",
            ],
            "send_type: rule `sms_requires_current_registrant` broken: send_type SMS is only allowed when registrant_type is current (at attributes.send_type)",
        ),
        (
            &[
                "simple_transfer",
                "domain_list.0.domain_name=ok.com",
                "domain_list.0.auth_info=x",
                "domain_list.1.domain_name=bad_name.com",
                "domain_list.1.auth_info=S3cr3tC0de",
            ],
            "domain_list.1.domain_name: rule `domain_name` broken: label `bad_name` holds `_`: only letters, digits and hyphens are allowed (at attributes.domain_list[1].domain_name)",
        ),
        (
            &["check_transfer", "domain=example.com", "check_status=2"],
            "check_status: expected a boolean (1 or 0; Y/N, yes/no and true/false are read too), found `2` (at attributes.check_status)",
        ),
        (
            &["check_transfer"],
            "domain: missing required key `domain` (at attributes.domain)",
        ),
        (
            &["check_transfer", "S3cr3tC0de"],
            "argument 1: expected KEY=VALUE (the argument is not shown: it may hold a secret)",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["request"];
        all.extend_from_slice(args);
        let line = xcp(&all, None).fails();
        if expected.contains("boolean") {
            assert!(
                line.starts_with("check_status: ")
                    && line.ends_with("(at attributes.check_status)"),
                "{line}"
            );
        } else {
            assert_eq!(line, *expected, "{args:?}");
        }
        assert!(!line.contains("S3cr3tC0de"), "{line}");
    }
}

#[test]
fn request_names_are_usage_errors() {
    let cases: &[&[&str]] = &[
        &["request"],
        &["request", "lookup", "domain=example.com"],
        &["request", "send_password", "domain_name=example.com"],
        &[
            "request",
            "check_transfer",
            "--object",
            "transfer",
            "domain=example.com",
        ],
        &[
            "request",
            "check_transfer",
            "--json",
            "x.json",
            "domain=example.com",
        ],
    ];
    for args in cases {
        let err = xcp(args, None).usage_error();
        assert!(err.starts_with("error: "), "{args:?}: {err}");
    }
    let err = xcp(
        &["request", "send_password", "domain_name=example.com"],
        None,
    )
    .usage_error();
    assert!(err.contains("give its object (transfer, domain)"), "{err}");
    // The usage error never repeats an auth code.
    let err = xcp(
        &[
            "request",
            "simple_transfer",
            "domain_list.0.auth_info=S3cr3t",
            "--bogus",
        ],
        None,
    )
    .usage_error();
    assert!(!err.contains("S3cr3t"), "{err}");
    let help = xcp(&["request", "--help"], None).ok();
    for part in [
        "[KEY=VALUE]...",
        "--object <OBJECT>",
        "--json <FILE>",
        "--pretty",
    ] {
        assert!(help.stdout().contains(part), "{part}: {}", help.stdout());
    }
}

//! The `opensrs` binary's command-aware features, run as a user runs them:
//! `decode --as COMMAND` and `decode --envelope` (`sign` and `request` have
//! their own files).

#![allow(deprecated)] // simple_transfer is deprecated by OpenSRS, and tested here on purpose.
#![allow(dead_code)] // `common` serves several test files.

mod common;

use common::{
    Run, assert_closed_stdout_is_ok, assert_error_format, fixture_bytes, fixtures_in, xcp,
};
use opensrs_actions::DomainName;
use opensrs_actions::domain::{
    CheckTransfer, ResendTradeApprovalNotice, SimpleTransfer, TransferDomain,
};
use opensrs_actions::transfer::SendPassword;
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

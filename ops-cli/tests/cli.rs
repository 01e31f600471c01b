//! The `opensrs` binary, run as a user runs it, on the spec fixtures and on bad
//! input.

mod common;

use common::{
    TempDir, assert_closed_stdout_is_ok, assert_error_format, fixture_bytes, fixtures_in, root, xcp,
};
use serde_json::{Value as Json, json};

/// Every fixture that parses, as paths relative to the workspace root: the
/// `.xml` files of every folder `ops-actions/fixtures/OBJECT/ACTION/` (not
/// their `bad/` subfolders).
fn fixtures() -> Vec<String> {
    let dirs = opensrs_actions::COMMANDS
        .iter()
        .map(|c| format!("{}/{}", c.object(), c.action()));
    fixtures_in(dirs).into_iter().map(|(_, f)| f).collect()
}

/// The JSON `decode` should print for a node, computed with ops-core itself.
fn expected_json(node: opensrs_core::Node<'_>) -> Json {
    match node.kind() {
        opensrs_core::Kind::Assoc => Json::Object(
            node.iter()
                .map(|n| (n.key().to_owned(), expected_json(n)))
                .collect(),
        ),
        opensrs_core::Kind::Array => Json::Array(node.iter().map(expected_json).collect()),
        opensrs_core::Kind::Scalar | opensrs_core::Kind::ScalarRef => {
            Json::String(node.as_str().unwrap_or_default().to_owned())
        }
    }
}

#[test]
fn decode_simple_transfer_request_exactly() {
    let run = xcp(
        &[
            "decode",
            "ops-actions/fixtures/domain/simple_transfer/request.xml",
        ],
        None,
    )
    .ok();
    let expected = json!({
        "protocol": "XCP",
        "object": "DOMAIN",
        "action": "SIMPLE_TRANSFER",
        "attributes": {
            "domain_list": [
                {"domain_name": "newtransfer461.com", "auth_info": "@xMj%[1b"},
                {"domain_name": "newtransfer462.com", "auth_info": "Mj%zA>1r"},
                {"domain_name": "newtransfer463.com", "auth_info": "AK4u.+5U"},
                {"domain_name": "newtransfer464.com", "auth_info": "L+7Dk`3j"},
            ]
        }
    });
    // Byte for byte: serde_json's pretty layout, keys in document order.
    assert_eq!(
        run.stdout(),
        serde_json::to_string_pretty(&expected).expect("serialises") + "\n"
    );
    let list = &run.json()["attributes"]["domain_list"];
    assert_eq!(list.as_array().map(Vec::len), Some(4));
    let names: Vec<_> = (0..4).map(|i| list[i]["domain_name"].clone()).collect();
    assert_eq!(
        names,
        [
            "newtransfer461.com",
            "newtransfer462.com",
            "newtransfer463.com",
            "newtransfer464.com"
        ]
    );
}

#[test]
fn decode_check_transfer_reply_exactly() {
    let run = xcp(
        &[
            "decode",
            "--compact",
            "ops-actions/fixtures/domain/check_transfer/reply_pending_registry.xml",
        ],
        None,
    )
    .ok();
    assert_eq!(
        run.stdout(),
        concat!(
            r#"{"protocol":"XCP","action":"REPLY","object":"DOMAIN","is_success":"1","response_code":"200","#,
            r#""response_text":"Query successful. Transfer scheduled in 5 minutes.","attributes":{"transferrable":"0","#,
            r#""noservice":"0","timestamp":"Thu Jun 14 11:05:34 2012","status":"pending_registry","#,
            r#""reason":"Transfer in progress","unixtime":"1339686334","request_address":"[email"#,
            "\u{a0}",
            r#"protected]"}}"#,
            "\n"
        )
    );
}

#[test]
fn decode_keeps_whitespace_inside_values() {
    let run = xcp(
        &[
            "decode",
            "ops-actions/fixtures/domain/simple_transfer/reply.xml",
        ],
        None,
    )
    .ok();
    assert_eq!(
        run.json()["response_text"],
        "Simple transfer job successfully\nadded"
    );
}

#[test]
fn decode_of_every_fixture_matches_the_parser() {
    for f in fixtures() {
        let run = xcp(&["decode", &f], None).ok();
        let bytes = fixture_bytes(&f);
        let doc = opensrs_core::parse(&bytes).expect("fixture parses");
        let expected = expected_json(doc.root());
        assert_eq!(run.json(), expected, "{f}");
        // Objects keep document order: compare key sequences too.
        assert_eq!(
            serde_json::to_string(&run.json()).expect("serialises"),
            serde_json::to_string(&expected).expect("serialises"),
            "{f}"
        );
        // --check: same parse, no output.
        let check = xcp(&["decode", "--check", &f], None).ok();
        assert!(check.stdout.is_empty(), "{f}");
    }
}

#[test]
fn stdin_is_read_when_file_is_absent_or_dash() {
    let bytes = fixture_bytes("ops-actions/fixtures/transfer/send_password/request.xml");
    let from_file = xcp(
        &[
            "decode",
            "ops-actions/fixtures/transfer/send_password/request.xml",
        ],
        None,
    )
    .ok();
    let dash = xcp(&["decode", "-"], Some(&bytes)).ok();
    let absent = xcp(&["decode"], Some(&bytes)).ok();
    assert_eq!(dash.stdout, from_file.stdout);
    assert_eq!(absent.stdout, from_file.stdout);
}

#[test]
fn decode_encode_decode_is_stable() {
    for f in fixtures() {
        let json1 = xcp(&["decode", &f], None).ok();
        let xml = xcp(&["encode"], Some(&json1.stdout)).ok();
        let json2 = xcp(&["decode"], Some(&xml.stdout)).ok();
        assert_eq!(json2.stdout, json1.stdout, "{f}");
        // The fixtures carry the default header and no class or
        // dt_scalarref, so the JSON holds all of them: encoding it gives the
        // canonical form of the fixture itself.
        let canonical = xcp(&["fmt", "--compact", &f], None).ok();
        assert_eq!(xml.stdout(), canonical.stdout(), "{f}");
        let pretty = xcp(&["encode", "--pretty"], Some(&json1.stdout)).ok();
        let json3 = xcp(&["decode"], Some(&pretty.stdout)).ok();
        assert_eq!(json3.stdout, json1.stdout, "{f}");
    }
}

#[test]
fn fmt_round_trips() {
    for f in fixtures() {
        let compact = xcp(&["fmt", "--compact", &f], None).ok();
        let pretty = xcp(&["fmt", &f], None).ok();
        assert!(compact.stdout().starts_with(opensrs_core::PREAMBLE), "{f}");
        assert!(
            !compact.stdout().ends_with('\n'),
            "canonical bytes, no newline: {f}"
        );
        assert!(pretty.stdout().ends_with("</OPS_envelope>\n"), "{f}");
        // pretty -> compact and compact -> compact both give the canonical form.
        let again = xcp(&["fmt", "--compact"], Some(&pretty.stdout)).ok();
        assert_eq!(again.stdout(), compact.stdout(), "{f}");
        let twice = xcp(&["fmt", "--compact", "-"], Some(&compact.stdout)).ok();
        assert_eq!(twice.stdout(), compact.stdout(), "{f}");
        // compact -> pretty is the pretty form; and the value never changes.
        let pretty2 = xcp(&["fmt"], Some(&compact.stdout)).ok();
        assert_eq!(pretty2.stdout(), pretty.stdout(), "{f}");
        let original = xcp(&["decode", &f], None).ok();
        let decoded = xcp(&["decode"], Some(&pretty.stdout)).ok();
        assert_eq!(decoded.stdout, original.stdout, "{f}");
    }
}

#[test]
fn fmt_keeps_the_header_classes_and_scalar_refs() {
    let xml = concat!(
        "<OPS_envelope><header><version>0.9</version><msg_id>42</msg_id><msg_type>standard</msg_type></header>",
        "<body><data_block><dt_assoc><item key=\"o\" class=\"Some::Perl\"><dt_scalarref>r</dt_scalarref></item>",
        "</dt_assoc></data_block></body></OPS_envelope>"
    );
    let out = xcp(&["fmt", "--compact"], Some(xml.as_bytes())).ok();
    assert_eq!(
        out.stdout(),
        format!(
            "{}<OPS_envelope><header><version>0.9</version><msg_id>42</msg_id><msg_type>standard</msg_type></header>\
             <body><data_block><dt_assoc><item key=\"o\" class=\"Some::Perl\"><dt_scalarref>r</dt_scalarref></item>\
             </dt_assoc></data_block></body></OPS_envelope>",
            opensrs_core::PREAMBLE
        )
    );
}

#[test]
fn encode_writes_numbers_as_written_and_booleans_as_bits() {
    let json = br#"{"a": [1.0, 1e3, -0, 12345678901234567890123, 0.1], "t": true, "f": false, "e": "", "x": "<&>\"'"}"#;
    let out = xcp(&["encode"], Some(json)).ok();
    assert_eq!(
        out.stdout(),
        format!(
            "{}<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>\
             <item key=\"a\"><dt_array><item key=\"0\">1.0</item><item key=\"1\">1e3</item><item key=\"2\">-0</item>\
             <item key=\"3\">12345678901234567890123</item><item key=\"4\">0.1</item></dt_array></item>\
             <item key=\"t\">1</item><item key=\"f\">0</item><item key=\"e\"></item>\
             <item key=\"x\">&lt;&amp;&gt;&quot;&apos;</item></dt_assoc></data_block></body></OPS_envelope>",
            opensrs_core::PREAMBLE
        )
    );
}

#[test]
fn doubled_quote_reply_fails_with_its_position() {
    let f = "ops-actions/fixtures/domain/check_transfer/bad/reply_doubled_quotes.xml";
    // The line is `FILE:` and the parser's own error, `LINE:COL: message`.
    let bytes = fixture_bytes(f);
    let err = opensrs_core::parse(&bytes).expect_err("not well-formed");
    let expected = format!("{f}:{err}");
    // The first doubled quote: `<item key=""protocol"">` on line 10.
    assert_eq!(err.position().line, 10, "{err}");
    assert!(err.to_string().contains("malformed XML"), "{err}");
    for args in [
        &["decode", f][..],
        &["decode", "--check", f],
        &["fmt", f],
        &["fmt", "--compact", f],
    ] {
        let line = xcp(args, None).fails();
        assert_eq!(line, expected, "{args:?}");
    }
    let line = xcp(&["decode"], Some(&bytes)).fails();
    assert_eq!(line, format!("<stdin>:{err}"));
}

#[test]
fn truncated_input_fails_with_one_line() {
    for f in fixtures() {
        let bytes = fixture_bytes(&f);
        // Every byte of one fixture, a spread of cuts of the others (ops-core
        // tests every cut of every fixture against the library).
        let step = if f.ends_with("send_password/request.xml") {
            1
        } else {
            97
        };
        let end = bytes
            .iter()
            .rposition(|&b| b == b'>')
            .expect("fixture ends with a tag");
        for cut in (0..end).step_by(step) {
            let line = xcp(&["decode"], Some(&bytes[..cut])).fails();
            assert_error_format(&line, "<stdin>");
        }
    }
}

#[test]
fn truncated_file_names_the_file() {
    let dir = TempDir::new("cli");
    let bytes = fixture_bytes("ops-actions/fixtures/domain/check_transfer/request.xml");
    let p = dir.file("cut.xml", &bytes[..bytes.len() / 2]);
    let line = xcp(&["decode", &p], None).fails();
    assert_error_format(&line, &p);
}

#[test]
fn bad_json_fails_with_position_and_path() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"",
            "<stdin>:1:1: expected a JSON value, found the end of the input",
        ),
        (
            b"{\"attributes\": {\"domain_list\": [\n  {\"auth_info\": nul}]}}",
            "<stdin>:2:17: expected a JSON value, found `n` (at attributes.domain_list[0].auth_info)",
        ),
        (
            b"{\"a\": 1,}",
            "<stdin>:1:9: expected a string key, found `}`",
        ),
        (
            b"{\"a\": 1 \"b\": 2}",
            "<stdin>:1:9: expected `,` or `}` after an object member, found `\"` (at a)",
        ),
        (
            b"{\"a\": 1, \"a\": 2}",
            "<stdin>:1:10: duplicate key `a` in object (first at 1:2) (at a)",
        ),
        (
            b"[1, 2",
            "<stdin>:1:6: expected `,` or `]` after an array element, found the end of the input (at [1])",
        ),
        (
            b"[1] [2]",
            "<stdin>:1:5: unexpected content after the JSON value",
        ),
        (
            b"[\"\\u0000\"]",
            "<stdin>:1:2: character U+0000 cannot be written in XML 1.0 (at [0])",
        ),
        (
            b"{\"k\\n\": \"a\x01\"}",
            r"<stdin>:1:11: control character U+0001 must be escaped in a JSON string (at k\n)",
        ),
        (b"[\"\xff\"]", "<stdin>:1:3: input is not valid UTF-8"),
        (b"[01]", "<stdin>:1:2: invalid number (at [0])"),
    ];
    for (json, expected) in cases {
        let line = xcp(&["encode"], Some(json)).fails();
        assert_eq!(&line, expected, "{:?}", String::from_utf8_lossy(json));
        assert_error_format(&line, "<stdin>");
    }
}

#[test]
fn null_in_json_is_an_error() {
    let json = b"{\"protocol\": \"XCP\",\n \"attributes\": {\"domain\": null}}";
    let line = xcp(&["encode", "--pretty"], Some(json)).fails();
    assert_eq!(
        line,
        "<stdin>:2:27: null has no dt_* form: leave the member out, or use \"\" for an empty value (at attributes.domain)"
    );
}

#[test]
fn missing_file_fails_with_one_line() {
    for cmd in ["decode", "encode", "fmt"] {
        let line = xcp(&[cmd, "fixtures/no_such_file.xml"], None).fails();
        assert!(
            line.starts_with("fixtures/no_such_file.xml: cannot read: "),
            "{line}"
        );
    }
    let line = xcp(&["decode", "fixtures"], None).fails();
    assert!(line.starts_with("fixtures: cannot read: "), "{line}");
}

#[test]
fn max_depth_is_enforced() {
    let f = "ops-actions/fixtures/domain/simple_transfer/request.xml";
    // dt_assoc > dt_assoc > dt_array > dt_assoc: depth 4.
    xcp(&["decode", "--max-depth", "4", f], None).ok();
    let bytes = fixture_bytes(f);
    for (max, path) in [(3, "attributes.domain_list[0]"), (0, "")] {
        let opts = opensrs_core::ParseOptions {
            max_depth: max,
            ..Default::default()
        };
        let err = opts.parse(&bytes).expect_err("too deep");
        assert!(
            matches!(err.kind(), opensrs_core::ParseErrorKind::TooDeep { .. }),
            "{err}"
        );
        assert_eq!(err.path(), path);
        let max = max.to_string();
        for cmd in ["decode", "fmt"] {
            let line = xcp(&[cmd, "--max-depth", &max, f], None).fails();
            assert_eq!(line, format!("{f}:{err}"));
        }
    }
    // The default is the parser's, 64.
    let deep = |n: usize| {
        let mut xml =
            String::from("<OPS_envelope><header><version>0.9</version></header><body><data_block>");
        xml += &"<dt_array><item key=\"0\">".repeat(n - 1);
        xml += "<dt_array/>";
        xml += &"</item></dt_array>".repeat(n - 1);
        xml += "</data_block></body></OPS_envelope>";
        xml
    };
    xcp(&["decode", "--check"], Some(deep(64).as_bytes())).ok();
    let line = xcp(&["decode", "--check"], Some(deep(65).as_bytes())).fails();
    // A path is cut at its start to 160 characters: the innermost keys.
    let expected = format!(
        "nesting deeper than the limit of 64 (at …{})",
        "[0]".repeat(53)
    );
    assert!(line.ends_with(&expected), "{line}");
    // Up to the cap of 512, deep documents decode, encode and format.
    let xml = deep(512);
    let json = xcp(&["decode", "--max-depth", "512"], Some(xml.as_bytes())).ok();
    assert_eq!(json.stdout().matches('[').count(), 512);
    let back = xcp(&["encode", "--max-depth", "512"], Some(&json.stdout)).ok();
    xcp(&["fmt", "--max-depth", "512"], Some(&back.stdout)).ok();
    // encode counts JSON nesting as the parser counts dt_* nesting.
    let line = xcp(&["encode", "--max-depth", "511"], Some(&json.stdout)).fails();
    let expected = format!(
        "objects and arrays nested deeper than the limit of 511 (at …{})",
        "[0]".repeat(53)
    );
    assert!(line.ends_with(&expected), "{line}");
    // Above the cap is a usage error (clap's, exit status 2), not a crash.
    xcp(&["decode", "--max-depth", "513", f], None).usage_error();
}

#[test]
fn max_size_is_enforced() {
    let f = "ops-actions/fixtures/transfer/send_password/request.xml";
    let len = std::fs::metadata(root().join(f)).expect("fixture").len();
    let len_s = len.to_string();
    xcp(&["decode", "--max-size", &len_s, f], None).ok();
    let under = (len - 1).to_string();
    let line = xcp(&["decode", "--max-size", &under, f], None).fails();
    assert!(
        line.starts_with(f)
            && line.ends_with(&format!(
                ": input is larger than the limit of {under} bytes"
            )),
        "{line}"
    );
    assert_error_format(&line, f);
    let bytes = fixture_bytes(f);
    let line = xcp(&["fmt", "--max-size", "100"], Some(&bytes)).fails();
    assert_eq!(
        line,
        "<stdin>:3:5: input is larger than the limit of 100 bytes"
    );
    let line = xcp(&["encode", "--max-size", "3"], Some(b"[1, 2]")).fails();
    assert_eq!(
        line,
        "<stdin>:1:4: input is larger than the limit of 3 bytes"
    );
    // The limit bounds what is read: a large stdin is not swallowed whole.
    let big = vec![b' '; 8 << 20];
    let line = xcp(&["decode", "--max-size", "10"], Some(&big)).fails();
    assert_eq!(
        line,
        "<stdin>:1:11: input is larger than the limit of 10 bytes"
    );
}

#[test]
fn keys_with_newlines_still_give_one_line() {
    let xml = concat!(
        "<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_assoc>",
        "<item key=\"a&#10;b\"><dt_assoc><item key=\"x\">1</item><item key=\"x\">2</item></dt_assoc></item>",
        "</dt_assoc></data_block></body></OPS_envelope>"
    );
    let line = xcp(&["decode"], Some(xml.as_bytes())).fails();
    assert!(line.ends_with(r"(at a\nb.x)"), "{line}");
}

#[test]
fn garbage_never_panics() {
    let inputs: &[&[u8]] = &[
        b"",
        b"\xef\xbb\xbf",
        b"<",
        b"<OPS_envelope/>",
        b"<!DOCTYPE x [<!ENTITY a 'b'>]><OPS_envelope/>",
        b"\x00\x01\x02",
        b"\xff\xfe<\x00",
        b"{}",
        b"<?xml version='1.0'?><OPS_envelope><header><version>0.9</version></header><body><data_block><dt_array><item key=\"1\">x</item></dt_array></data_block></body></OPS_envelope>",
    ];
    for input in inputs {
        for cmd in ["decode", "fmt", "encode"] {
            if cmd == "encode" && *input == b"{}" {
                continue;
            }
            let run = xcp(&[cmd], Some(input));
            assert_eq!(run.code, Some(1), "{cmd} {input:?}: {}", run.stderr);
            let line = run.fails();
            assert_error_format(&line, "<stdin>");
        }
    }
}

#[test]
fn closed_stdout_is_not_an_error() {
    // A large document, so that xcp is still writing when the pipe closes.
    let items: Vec<Json> = (0..50_000)
        .map(|i| json!({"domain_name": format!("d{i}.example"), "auth_info": "x"}))
        .collect();
    let json = serde_json::to_vec(&json!({"domain_list": items})).expect("serialises");
    let xml = xcp(&["encode"], Some(&json)).ok();
    for args in [&["decode"][..], &["fmt"][..], &["encode"][..]] {
        let input = if args[0] == "encode" {
            &json
        } else {
            &xml.stdout
        };
        assert_closed_stdout_is_ok(args, input);
    }
}

#[test]
fn help_and_version_work() {
    let run = xcp(&["--help"], None).ok();
    for cmd in ["decode", "encode", "fmt"] {
        assert!(run.stdout().contains(cmd), "{}", run.stdout());
    }
    let run = xcp(&["decode", "--help"], None).ok();
    assert!(run.stdout().contains("--max-depth"), "{}", run.stdout());
    let run = xcp(&["--version"], None).ok();
    assert!(run.stdout().starts_with("opensrs "), "{}", run.stdout());
}

#[test]
fn encode_errors_quote_input_bounded_and_escaped() {
    // Issue 15 item 6. Before: a 1 MiB duplicate key gave a 2 MiB line.
    let key = format!("\u{202E}{}", "k".repeat(1 << 20));
    let json = format!("{{\"{key}\": 1, \"{key}\": 2}}");
    let line = xcp(&["encode"], Some(json.as_bytes())).fails();
    let quoted = format!("\\u{{202E}}{}…", "k".repeat(56));
    assert_eq!(
        line,
        format!(
            "<stdin>:1:{}: duplicate key `{quoted}` in object (first at 1:2) (at {quoted})",
            (1 << 20) + 10
        )
    );
    assert!(
        line.chars().count() <= 300,
        "{} chars",
        line.chars().count()
    );
}

#[test]
fn parser_messages_say_what_to_write() {
    let env = |data: &str| {
        format!(
            "<OPS_envelope><header><version>0.9</version></header><body><data_block>{data}</data_block></body></OPS_envelope>"
        )
    };
    let cases: &[(String, &str)] = &[
        (
            env("<dt_assoc><item key='a'>AT&T</item></dt_assoc>"),
            "<stdin>:1:98: `&` starts no entity or character reference (`&name;`): write `&amp;` for a literal `&` (at a)",
        ),
        (
            format!(
                "<?xml version='1.0' encoding='ISO-8859-1'?>{}",
                env("<dt_scalar/>")
            ),
            "<stdin>:1:1: ISO-8859-1 is not supported: OPS envelopes are UTF-8",
        ),
        (
            format!("<?XML version='1.0'?>{}", env("<dt_scalar/>")),
            "<stdin>:1:1: `<?XML` is not an XML declaration: write it lower-case, `<?xml`",
        ),
        (
            env("<dt_assoc>< item key='a'>v</item></dt_assoc>"),
            "<stdin>:1:82: whitespace after `<`: the element name must follow it directly",
        ),
    ];
    for (xml, expected) in cases {
        let line = xcp(&["decode"], Some(xml.as_bytes())).fails();
        assert_eq!(&line, expected);
    }
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        env("<dt_scalar/>")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let line = xcp(&["decode"], Some(&utf16)).fails();
    assert_eq!(
        line,
        "<stdin>:1:1: input is UTF-16 (little-endian byte order mark): OPS envelopes are UTF-8"
    );
}

//! `opensrs request ACTION [--object OBJECT] KEY=VALUE... | --json FILE`: a
//! request of any command registered in `opensrs_actions::COMMANDS`, built
//! from its attributes without per-command code, validated by the
//! command's typed decode (so its rules hold), printed as its envelope.
//!
//! `KEY=VALUE` sets one attribute. KEY is a dotted path: `domain_name`, or
//! `domain_list.0.domain_name` for nesting. A container whose keys are all
//! decimal indexes is a dt_array, and they must be exactly `0`, `1`, ...
//! (in any order on the line); any other container is a dt_assoc, its keys
//! in the order first given. VALUE is taken verbatim (it may hold `=`).

use std::path::PathBuf;

use clap::Args;
use opensrs_actions::{BuildError, CommandInfo};
use opensrs_core::{DecodeErrorKind, Position, Value, WriteErrorKind};

use crate::connect::Connection;
use crate::error::CliError;
use crate::{Limits, encode, input};

/// `opensrs request`'s arguments.
#[derive(Args, Debug)]
#[command(after_help = "\
KEY=VALUE sets attribute KEY; a dotted KEY nests: domain_list.0.domain_name=a.com \
domain_list.0.auth_info=CODE builds a dt_array of dt_assoc (indexes 0, 1, ... \
with none missing). --json FILE reads the attributes as one JSON object instead \
(as `opensrs encode` reads JSON). The attributes are decoded by the command's \
typed request, so its rules hold. The envelope is printed compact and without a \
trailing newline (the bytes to sign: pipe it to `opensrs sign`), or indented \
with --pretty. A bad argument or a value that breaks a rule is exit status 1 \
with one line: KEY: message (at attributes.KEY.PATH); the value of a secret \
(auth_info, password, ...) is never printed. Arguments are visible to other \
users of this machine (ps): pass real secrets with --json FILE on shared hosts. With --send the request is built, then signed and sent as `opensrs send` sends it (same --endpoint, --user, --key-file flags and OPENSRS_* variables), and the reply is printed as JSON instead of the envelope.")]
pub(crate) struct RequestArgs {
    /// The command's action, e.g. check_transfer (case-insensitive).
    #[arg(value_name = "ACTION")]
    action: String,
    #[arg(long, value_name = "OBJECT", long_help = crate::typed::OBJECT_HELP)]
    object: Option<String>,
    /// The attributes, one KEY=VALUE each.
    #[arg(value_name = "KEY=VALUE", conflicts_with = "json")]
    pairs: Vec<String>,
    /// Read the attributes from a JSON object in FILE (`-`: stdin).
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Indent the envelope for people to read.
    #[arg(long)]
    pretty: bool,
    #[command(flatten)]
    limits: Limits,
    /// Send the request to OpenSRS (signed) and print the reply as JSON.
    #[arg(long)]
    send: bool,
    #[command(flatten, next_help_heading = "Sending (with --send)")]
    connection: Connection,
}

impl RequestArgs {
    /// The action and object naming the command.
    pub(crate) fn names(&self) -> (&str, Option<&str>) {
        (&self.action, self.object.as_deref())
    }
}

use opensrs_core::secret::path_is_secret;

/// Escapes control and bidi characters in what is echoed from the
/// arguments.
fn shown(s: &str) -> String {
    crate::usage::escape(s)
}

/// A node of the attributes being assembled.
enum Tree {
    Leaf(String),
    Node(Vec<(String, Tree)>),
}

/// An argument error: `KEY: message (at attributes.KEY)`.
fn arg_error(key: &str, message: impl Into<String>) -> CliError {
    CliError::plain(&shown(key), message, format!("attributes.{}", shown(key)))
}

/// Assembles the attributes from `KEY=VALUE` arguments.
fn assemble(pairs: &[String]) -> Result<Value, CliError> {
    let mut root: Vec<(String, Tree)> = Vec::new();
    for (n, pair) in pairs.iter().enumerate() {
        // Without `=` the argument is not echoed: it may be a secret.
        let Some((key, value)) = pair.split_once('=') else {
            return Err(CliError::plain(
                &format!("argument {}", n + 1),
                "expected KEY=VALUE (the argument is not shown: it may hold a secret)",
                "",
            ));
        };
        let segments: Vec<&str> = key.split('.').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(arg_error(key, "a key path has an empty segment"));
        }
        let mut level = &mut root;
        for (i, seg) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            let found = level.iter().position(|(k, _)| k == seg);
            let at = match found {
                Some(at) => at,
                None => {
                    let new = if last {
                        Tree::Leaf(value.to_owned())
                    } else {
                        Tree::Node(Vec::new())
                    };
                    level.push(((*seg).to_owned(), new));
                    level.len() - 1
                }
            };
            let is_leaf = matches!(level[at].1, Tree::Leaf(_));
            match (is_leaf, last) {
                (true, true) if found.is_none() => {}
                (true, true) => return Err(arg_error(key, "given twice")),
                (false, false) => {
                    level = match &mut level[at].1 {
                        Tree::Node(children) => children,
                        Tree::Leaf(_) => return Err(arg_error(key, "given twice")),
                    };
                }
                _ => return Err(arg_error(key, "given as a value and as a container")),
            }
        }
    }
    to_value(root, "")
}

/// The assembled tree as a dt_assoc (or dt_array, when every key is an
/// index).
fn to_value(items: Vec<(String, Tree)>, path: &str) -> Result<Value, CliError> {
    let key_path = |k: &str| {
        if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        }
    };
    let is_index = |k: &str| k.bytes().all(|b| b.is_ascii_digit());
    if !items.is_empty() && items.iter().all(|(k, _)| is_index(k)) {
        let mut slots: Vec<Option<Value>> = Vec::new();
        slots.resize_with(items.len(), || None);
        for (k, t) in items {
            let i = k
                .parse::<usize>()
                .ok()
                .filter(|i| *i < slots.len() && (k == "0" || !k.starts_with('0')))
                .ok_or_else(|| {
                    arg_error(
                        &key_path(&k),
                        "array indexes must be 0, 1, 2, ... with none missing",
                    )
                })?;
            slots[i] = Some(leaf_or_node(t, &key_path(&k))?);
        }
        return Ok(Value::Array(slots.into_iter().flatten().collect()));
    }
    let mut pairs = Vec::with_capacity(items.len());
    for (k, t) in items {
        let v = leaf_or_node(t, &key_path(&k))?;
        pairs.push((k, v));
    }
    Ok(Value::assoc(pairs))
}

fn leaf_or_node(t: Tree, path: &str) -> Result<Value, CliError> {
    match t {
        Tree::Leaf(v) => Ok(Value::from(v)),
        Tree::Node(children) => to_value(children, path),
    }
}

/// Reads `--json FILE`: one JSON object, read as `opensrs encode` reads
/// JSON (exact number text, no null, no repeated key).
fn read_json(file: &PathBuf, limits: Limits) -> Result<Value, CliError> {
    let input = input::read(Some(file), limits.max_size())?;
    let xml = encode::encode(
        &input.bytes,
        String::new(),
        false,
        encode::Limits {
            max_depth: limits.max_depth(),
        },
    )
    .map_err(|e| {
        CliError::at(
            &input.name,
            Position::locate(&input.bytes, e.offset),
            e.message,
            e.path,
        )
    })?;
    let doc = opensrs_core::ParseOptions {
        max_depth: usize::MAX,
        max_len: usize::MAX,
        max_nodes: usize::MAX,
    }
    .parse_str(&xml)
    .map_err(|e| CliError::parse(&input.name, &e))?;
    let value = doc.root().to_value();
    if !matches!(value, Value::Assoc(_)) {
        return Err(CliError::plain(
            &input.name,
            "expected a JSON object: the attributes",
            "",
        ));
    }
    Ok(value)
}

/// A refusal of the typed request, under the argument's KEY (the path
/// without `attributes.`); a secret's value never shows.
fn build_error(command: &CommandInfo, e: BuildError) -> CliError {
    let name = |path: &str| {
        let key = path.strip_prefix("attributes.").unwrap_or(path);
        let key = key.replace('[', ".").replace(']', "");
        if key.is_empty() {
            command.to_string()
        } else {
            key
        }
    };
    match e {
        BuildError::Decode(e) => {
            let message = if path_is_secret(e.path()) {
                match e.kind() {
                    DecodeErrorKind::Invalid { expected, .. } => {
                        format!("expected {expected} (the value of a secret is not shown)")
                    }
                    DecodeErrorKind::Rule { rule, .. } => {
                        format!("rule `{rule}` broken (the value of a secret is not shown)")
                    }
                    DecodeErrorKind::Missing(_) | DecodeErrorKind::WrongKind { .. } => {
                        e.kind().to_string()
                    }
                    _ => "refused (the value of a secret is not shown)".to_owned(),
                }
            } else {
                e.kind().to_string()
            };
            CliError::plain(&shown(&name(e.path())), message, shown(e.path()))
        }
        BuildError::Write(e) => {
            let message = match e.kind() {
                WriteErrorKind::ForbiddenChar(c) => {
                    format!("U+{c:04X} cannot be carried in XML")
                }
                k => k.to_string(),
            };
            CliError::plain(&shown(&name(e.path())), message, shown(e.path()))
        }
        BuildError::Parse(e) => CliError::plain(&command.to_string(), e.kind().to_string(), ""),
    }
}

/// Builds the request of `command` and returns its envelope: compact, or
/// pretty.
pub(crate) fn build(command: &CommandInfo, args: &RequestArgs) -> Result<String, CliError> {
    let attributes = match &args.json {
        Some(file) => read_json(file, args.limits)?,
        None => assemble(&args.pairs)?,
    };
    let request = command
        .build_request(&attributes)
        .map_err(|e| build_error(command, e))?;
    // A request that decoded always writes; should it not, say which.
    request
        .encode(args.pretty)
        .map_err(|e| CliError::plain(&command.to_string(), e.kind().to_string(), e.path()))
}

/// `opensrs request`: the envelope to print, or, with `--send`, `None`
/// once it was sent and its reply printed.
pub(crate) fn run(command: &CommandInfo, args: &RequestArgs) -> Result<Option<String>, CliError> {
    let xml = build(command, args)?;
    if !args.send {
        return Ok(Some(xml));
    }
    let client = args.connection.client()?;
    crate::send::send(&client, &format!("request {command}"), xml.into_bytes())?;
    Ok(None)
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, FromArgMatches};

    use super::*;

    /// A stand-alone parser for the arguments.
    #[derive(clap::Parser, Debug)]
    struct Cli {
        #[command(flatten)]
        args: RequestArgs,
    }

    fn build_from(args: &[&str]) -> Result<String, String> {
        let argv = std::iter::once("request").chain(args.iter().copied());
        let matches = Cli::command()
            .try_get_matches_from(argv)
            .expect("arguments parse");
        let args = Cli::from_arg_matches(&matches)
            .expect("arguments parse")
            .args;
        let (action, object) = args.names();
        let command = opensrs_actions::find(action, object).map_err(|e| e.to_string())?;
        build(command, &args).map_err(|e| e.to_string())
    }

    #[test]
    fn pairs_build_every_registered_command() {
        use opensrs_core::Command;
        let xml = build_from(&["check_transfer", "domain=example.com", "check_status=1"]).unwrap();
        let expected = opensrs_actions::domain::CheckTransfer {
            domain: opensrs_actions::DomainName::new("example.com").unwrap(),
            check_status: Some(true),
            get_request_address: None,
        };
        assert_eq!(xml, expected.encode().unwrap());

        let xml = build_from(&[
            "send_password",
            "--object",
            "domain",
            "domain_name=example.com",
            "send_to=owner",
            "--pretty",
        ])
        .unwrap();
        assert!(xml.contains(r#"<item key="send_to">owner</item>"#), "{xml}");
        assert!(xml.ends_with('\n'));

        let xml = build_from(&[
            "simple_transfer",
            "domain_list.1.domain_name=b.com",
            "domain_list.0.domain_name=a.com",
            "domain_list.0.auth_info=x=y",
            "domain_list.1.auth_info=z",
        ])
        .unwrap();
        #[allow(deprecated)]
        let expected = opensrs_actions::domain::SimpleTransfer::new(
            vec![
                opensrs_actions::domain::TransferDomain::new(
                    opensrs_actions::DomainName::new("a.com").unwrap(),
                    "x=y",
                ),
                opensrs_actions::domain::TransferDomain::new(
                    opensrs_actions::DomainName::new("b.com").unwrap(),
                    "z",
                ),
            ],
            vec![],
        )
        .unwrap();
        assert_eq!(xml, expected.encode().unwrap());
    }

    #[test]
    fn errors_name_the_key_and_hide_secrets() {
        let e = build_from(&[
            "resend_trade_approval_notice",
            "domain=example.com",
            "registrant_type=new",
            "send_type=SMS",
        ])
        .unwrap_err();
        assert_eq!(
            e,
            "send_type: rule `sms_requires_current_registrant` broken: send_type SMS is only \
             allowed when registrant_type is current (at attributes.send_type)"
        );
        let e = build_from(&["send_password", "domain_name=a.com"]).unwrap_err();
        assert!(e.contains("give its object (transfer, domain)"), "{e}");
        let e = build_from(&["check_transfer", "domain=a..com"]).unwrap_err();
        assert!(e.starts_with("domain: rule `domain_name` broken:"), "{e}");
        let e = build_from(&["check_transfer", "domain=a.com", "domain=b.com"]).unwrap_err();
        assert_eq!(e, "domain: given twice (at attributes.domain)");
        let e = build_from(&["check_transfer", "domain=a.com", "domain.x=b"]).unwrap_err();
        assert!(e.contains("given as a value and as a container"), "{e}");
        let e = build_from(&["check_transfer", "hunter2"]).unwrap_err();
        assert!(
            !e.contains("hunter2") && e.starts_with("argument 1: expected KEY=VALUE"),
            "{e}"
        );
        let e = build_from(&["check_transfer", "\u{202E}x\n.=1"]).unwrap_err();
        assert!(
            e.starts_with(r"\u{202E}x\n.: a key path has an empty segment"),
            "{e}"
        );
        let e = build_from(&["simple_transfer", "domain_list.1.domain_name=a.com"]).unwrap_err();
        assert!(e.contains("array indexes must be 0, 1, 2"), "{e}");
        // A secret that the typed request refuses: its value never shows.
        let e = build_from(&[
            "simple_transfer",
            "domain_list.0.domain_name=a.com",
            "domain_list.0.auth_info.x=s3cr3t",
        ])
        .unwrap_err();
        assert!(!e.contains("s3cr3t"), "{e}");
        assert!(
            e.contains("(at attributes.domain_list[0].auth_info)"),
            "{e}"
        );
    }

    #[test]
    fn secret_keys() {
        use opensrs_core::secret::is_secret_key;
        for k in [
            "auth_info",
            "PASSWORD",
            "domain_auth_info",
            "reg_password",
            "key",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        assert!(!is_secret_key("domain_name"));
        assert!(path_is_secret("attributes.domain_list[3].auth_info"));
    }
}

//! `opensrs request COMMAND --flag value ...`: a request of one of the
//! commands of `ops-actions`, built from flags through the typed
//! constructors (so with the command's rules applied), printed as its
//! envelope.
//!
//! One flag per field of the typed request, named after it (`domain_name`
//! → `--domain-name`); `simple_transfer`'s lists take one `--domain` or
//! `--nameserver` per entry. The unit tests below check the flags against
//! the keys the typed requests write.

#![allow(deprecated)] // simple_transfer is deprecated by OpenSRS, and served here on purpose.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand, ValueEnum};
use opensrs_actions::domain::{
    CheckTransfer, RegistrantType, ResendTradeApprovalNotice, SendType, SimpleTransfer,
    TransferDomain,
};
use opensrs_actions::transfer::SendPassword;
use opensrs_actions::{DomainName, PhoneNumber};
use opensrs_core::convert::RuleError;
use opensrs_core::secret::Secret;
use opensrs_core::{Command, DecodeErrorKind};

use crate::error::CliError;

/// `opensrs request`'s arguments.
#[derive(Args, Debug)]
#[command(after_help = "\
The envelope is printed compact and without a trailing newline (the bytes \
to sign: pipe it to `opensrs sign`), or indented with --pretty. A value that \
breaks a rule (a domain name, a phone number, SMS to the new registrant...) \
is exit status 1 with one line: --FLAG: rule `NAME` broken: message (at \
KEY.PATH).")]
pub(crate) struct RequestArgs {
    #[command(subcommand)]
    command: RequestCommand,
    /// Indent the envelope for people to read.
    #[arg(long, global = true)]
    pretty: bool,
}

/// One subcommand per command of `ops-actions`, named by its action.
#[derive(Subcommand, Debug)]
#[command(rename_all = "snake_case")]
enum RequestCommand {
    /// send_password on object transfer: resend the approval email of a
    /// transfer pending owner approval.
    SendPassword(SendPasswordArgs),
    /// resend_trade_approval_notice on object domain: resend the notice of a
    /// trade (change of registrant) by SMS or email.
    ResendTradeApprovalNotice(ResendTradeApprovalNoticeArgs),
    /// simple_transfer on object domain (deprecated by OpenSRS in 2018):
    /// transfer 1 to 10,000 domains with their auth codes.
    SimpleTransfer(SimpleTransferArgs),
    /// check_transfer on object domain: whether a domain can be transferred,
    /// and the status of its last transfer.
    CheckTransfer(CheckTransferArgs),
}

#[derive(Args, Debug)]
struct SendPasswordArgs {
    /// The domain whose transfer approval email is resent.
    #[arg(long, value_name = "NAME")]
    domain_name: String,
}

#[derive(Args, Debug)]
struct ResendTradeApprovalNoticeArgs {
    /// The domain the notice is about.
    #[arg(long, value_name = "NAME")]
    domain: String,
    /// Which registrant gets the notice.
    #[arg(long, value_enum, ignore_case = true)]
    registrant_type: RegistrantArg,
    /// How the notice is sent (SMS only to the current registrant).
    #[arg(long, value_enum, ignore_case = true)]
    send_type: SendArg,
    /// The number the SMS goes to, in OpenSRS form (only with --send-type
    /// sms; default: the current registrant's number).
    #[arg(long, value_name = "+CC.NNNN")]
    sms_phone_number: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum RegistrantArg {
    New,
    Current,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SendArg {
    Sms,
    Email,
}

#[derive(Args, Debug)]
struct SimpleTransferArgs {
    /// A domain and its auth code, split at the first `:` (a domain name
    /// holds none; the code may). Once per domain. Arguments are visible to
    /// other users of this machine (ps): keep real codes off shared hosts.
    #[arg(
        long = "domain",
        value_name = "NAME:AUTHCODE",
        required = true,
        value_parser = domain_and_code
    )]
    domains: Vec<DomainAndCode>,
    /// A name server for the transferred domains. Once per name server.
    #[arg(long = "nameserver", value_name = "HOST")]
    nameservers: Vec<String>,
}

#[derive(Args, Debug)]
struct CheckTransferArgs {
    /// The domain to check.
    #[arg(long, value_name = "NAME")]
    domain: String,
    /// Ask for the status of the domain's transfer.
    #[arg(long, value_name = "0|1", value_parser = bit())]
    check_status: Option<bool>,
    /// Ask for the registrant's email address.
    #[arg(long, value_name = "0|1", value_parser = bit())]
    get_request_address: Option<bool>,
}

/// `--domain NAME:AUTHCODE` of simple_transfer; the code is a secret
/// from here on (its Debug is redacted).
#[derive(Clone, Debug)]
struct DomainAndCode {
    name: String,
    code: Secret,
}

/// Splits at the first `:`. The error names neither half: the text may
/// hold a code.
fn domain_and_code(s: &str) -> Result<DomainAndCode, String> {
    match s.split_once(':') {
        Some((name, code)) if !code.is_empty() => Ok(DomainAndCode {
            name: name.to_owned(),
            code: Secret::new(code),
        }),
        Some(_) => Err("the auth code after `:` is empty".to_owned()),
        None => Err("expected NAME:AUTHCODE, a domain and its auth code".to_owned()),
    }
}

/// `0` or `1`, as XCP writes a boolean.
fn bit() -> impl TypedValueParser<Value = bool> {
    PossibleValuesParser::new(["0", "1"]).map(|s| s == "1")
}

/// A broken rule, reported under the flag that set the value.
fn rule_error(flag: &str, rule: &'static str, message: String, path: String) -> CliError {
    CliError::plain(
        flag,
        DecodeErrorKind::Rule { rule, message }.to_string(),
        path,
    )
}

fn domain(flag: &str, name: &str, path: &str) -> Result<DomainName, CliError> {
    DomainName::new(name).map_err(|e| rule_error(flag, "domain_name", e.to_string(), path.into()))
}

/// A rule of a typed constructor, under the flag of the value its path
/// names.
fn constructor_error(e: &RuleError, flag_of: impl Fn(&str) -> &'static str) -> CliError {
    let key = e.path().rsplit('.').next().unwrap_or_default();
    rule_error(
        flag_of(key),
        e.rule(),
        e.message().to_owned(),
        e.path().to_owned(),
    )
}

/// Builds the request and returns its envelope: compact, or pretty.
pub(crate) fn build(args: RequestArgs) -> Result<String, CliError> {
    let pretty = args.pretty;
    match args.command {
        RequestCommand::SendPassword(a) => encode(&send_password(a)?, pretty),
        RequestCommand::ResendTradeApprovalNotice(a) => encode(&resend(a)?, pretty),
        RequestCommand::SimpleTransfer(a) => encode(&simple_transfer(a)?, pretty),
        RequestCommand::CheckTransfer(a) => encode(&check_transfer(a)?, pretty),
    }
}

fn encode<C: Command>(request: &C, pretty: bool) -> Result<String, CliError> {
    let xml = if pretty {
        request.encode_pretty()
    } else {
        request.encode()
    };
    // Validated values always write; should one not, say which command.
    xml.map_err(|e| CliError::plain(C::ACTION, e.kind().to_string(), e.path()))
}

fn send_password(a: SendPasswordArgs) -> Result<SendPassword, CliError> {
    Ok(SendPassword {
        domain_name: domain("--domain-name", &a.domain_name, "attributes.domain_name")?,
    })
}

fn resend(a: ResendTradeApprovalNoticeArgs) -> Result<ResendTradeApprovalNotice, CliError> {
    let name = domain("--domain", &a.domain, "attributes.domain")?;
    let phone = a
        .sms_phone_number
        .map(|p| {
            PhoneNumber::new(&p).map_err(|e| {
                rule_error(
                    "--sms-phone-number",
                    "phone_number_format",
                    e.to_string(),
                    "attributes.sms_phone_number".into(),
                )
            })
        })
        .transpose()?;
    let registrant = match a.registrant_type {
        RegistrantArg::New => RegistrantType::New,
        RegistrantArg::Current => RegistrantType::Current,
    };
    let send = match a.send_type {
        SendArg::Sms => SendType::Sms,
        SendArg::Email => SendType::Email,
    };
    ResendTradeApprovalNotice::new(name, registrant, send, phone).map_err(|e| {
        constructor_error(&e, |key| match key {
            "registrant_type" => "--registrant-type",
            "sms_phone_number" => "--sms-phone-number",
            "domain" => "--domain",
            _ => "--send-type",
        })
    })
}

fn simple_transfer(a: SimpleTransferArgs) -> Result<SimpleTransfer, CliError> {
    let mut list = Vec::with_capacity(a.domains.len());
    for (i, d) in a.domains.into_iter().enumerate() {
        let path = format!("attributes.domain_list[{i}].domain_name");
        list.push(TransferDomain::new(
            domain("--domain", &d.name, &path)?,
            d.code,
        ));
    }
    let mut nameservers = Vec::with_capacity(a.nameservers.len());
    for (i, n) in a.nameservers.iter().enumerate() {
        let path = format!("attributes.nameserver_list[{i}]");
        nameservers.push(domain("--nameserver", n, &path)?);
    }
    SimpleTransfer::new(list, nameservers).map_err(|e| {
        constructor_error(&e, |key| match key {
            "nameserver_list" => "--nameserver",
            _ => "--domain",
        })
    })
}

fn check_transfer(a: CheckTransferArgs) -> Result<CheckTransfer, CliError> {
    Ok(CheckTransfer {
        domain: domain("--domain", &a.domain, "attributes.domain")?,
        check_status: a.check_status,
        get_request_address: a.get_request_address,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use clap::{CommandFactory, FromArgMatches};

    use super::*;

    /// A stand-alone parser for the subcommands.
    #[derive(clap::Parser, Debug)]
    struct Cli {
        #[command(flatten)]
        args: RequestArgs,
    }

    fn build_from(args: &[&str]) -> Result<String, CliError> {
        let argv = std::iter::once("request").chain(args.iter().copied());
        let matches = Cli::command()
            .try_get_matches_from(argv)
            .expect("flags parse");
        build(Cli::from_arg_matches(&matches).expect("flags parse").args)
    }

    /// The attribute keys a request writes, in a set.
    fn attribute_keys(xml: &str) -> BTreeSet<String> {
        let doc = opensrs_core::parse_str(xml).expect("envelope parses");
        let attributes = doc.root().get("attributes").expect("attributes");
        attributes.iter().map(|n| n.key().to_owned()).collect()
    }

    /// The long flags of a subcommand, as attribute keys (`--domain-name` →
    /// `domain_name`), without `--pretty` and `--help`.
    fn flag_keys(subcommand: &str) -> BTreeSet<String> {
        let cli = Cli::command();
        let sub = cli.find_subcommand(subcommand).expect("subcommand exists");
        sub.get_arguments()
            .filter_map(|a| a.get_long())
            .filter(|l| !matches!(*l, "pretty" | "help"))
            .map(|l| l.replace('-', "_"))
            .collect()
    }

    /// `(flag, key)` pairs of flags not named after their key.
    type Renamed = &'static [(&'static str, &'static str)];

    fn set(keys: &[&str]) -> BTreeSet<String> {
        keys.iter().map(|k| (*k).to_owned()).collect()
    }

    /// Every field of every typed request has its flag, and every flag its
    /// field: a request with every optional field set writes exactly the
    /// keys the flags are named after (simple_transfer's lists take one
    /// flag per entry, named in the singular).
    #[test]
    fn flags_match_the_fields_of_the_typed_requests() {
        let name = || DomainName::new("example.com").unwrap();
        let full: [(&str, String, Renamed); 4] = [
            (
                "send_password",
                SendPassword {
                    domain_name: name(),
                }
                .encode()
                .unwrap(),
                &[],
            ),
            (
                "resend_trade_approval_notice",
                ResendTradeApprovalNotice::new(
                    name(),
                    RegistrantType::Current,
                    SendType::Sms,
                    Some(PhoneNumber::new("+1.2602180057").unwrap()),
                )
                .unwrap()
                .encode()
                .unwrap(),
                &[],
            ),
            (
                "simple_transfer",
                SimpleTransfer::new(vec![TransferDomain::new(name(), "c")], vec![name()])
                    .unwrap()
                    .encode()
                    .unwrap(),
                &[("domain", "domain_list"), ("nameserver", "nameserver_list")],
            ),
            (
                "check_transfer",
                CheckTransfer {
                    domain: name(),
                    check_status: Some(true),
                    get_request_address: Some(false),
                }
                .encode()
                .unwrap(),
                &[],
            ),
        ];
        let subcommands: Vec<_> = Cli::command()
            .get_subcommands()
            .map(|s| s.get_name().to_owned())
            .collect();
        assert_eq!(subcommands, opensrs_actions::COMMANDS);
        for (sub, xml, renamed) in full {
            let flags: BTreeSet<String> = flag_keys(sub)
                .into_iter()
                .map(|f| match renamed.iter().find(|(flag, _)| *flag == f) {
                    Some((_, key)) => (*key).to_owned(),
                    None => f,
                })
                .collect();
            assert_eq!(flags, attribute_keys(&xml), "{sub}");
        }
        // The entries of domain_list: NAME:AUTHCODE holds both of their keys.
        let xml = SimpleTransfer::new(vec![TransferDomain::new(name(), "c")], vec![])
            .unwrap()
            .encode()
            .unwrap();
        let doc = opensrs_core::parse_str(&xml).unwrap();
        let entry = doc
            .root()
            .get("attributes")
            .and_then(|a| a.get("domain_list"))
            .and_then(|l| l.index(0))
            .unwrap();
        let keys: BTreeSet<String> = entry.iter().map(|n| n.key().to_owned()).collect();
        assert_eq!(keys, set(&["domain_name", "auth_info"]));
    }

    #[test]
    fn flags_build_the_typed_requests() {
        let xml = build_from(&[
            "check_transfer",
            "--domain",
            "example.com",
            "--check-status",
            "1",
        ])
        .unwrap();
        let expected = CheckTransfer {
            domain: DomainName::new("example.com").unwrap(),
            check_status: Some(true),
            get_request_address: None,
        };
        assert_eq!(xml, expected.encode().unwrap());
        let xml = build_from(&[
            "simple_transfer",
            "--domain",
            "a.com:x:y",
            "--pretty",
            "--domain",
            "b.com:z",
        ])
        .unwrap();
        let expected = SimpleTransfer::new(
            vec![
                TransferDomain::new(DomainName::new("a.com").unwrap(), "x:y"),
                TransferDomain::new(DomainName::new("b.com").unwrap(), "z"),
            ],
            vec![],
        )
        .unwrap();
        assert_eq!(xml, expected.encode_pretty().unwrap());
    }

    #[test]
    fn codes_split_at_the_first_colon() {
        let d = domain_and_code("example.com:a:b:").unwrap();
        assert_eq!(d.name, "example.com");
        assert_eq!(d.code.expose(), "a:b:");
        assert!(domain_and_code("example.com:").is_err());
        assert!(domain_and_code("example.com").is_err());
        assert!(!format!("{d:?}").contains("a:b"));
    }

    #[test]
    fn rules_name_the_flag() {
        let e = build_from(&[
            "resend_trade_approval_notice",
            "--domain",
            "example.com",
            "--registrant-type",
            "new",
            "--send-type",
            "SMS",
        ])
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "--send-type: rule `sms_requires_current_registrant` broken: \
             send_type SMS is only allowed when registrant_type is current (at attributes.send_type)"
        );
    }
}

//! Usage errors (clap's), printed so that they are safe on a terminal and
//! never repeat a secret.
//!
//! clap quotes an argument's value in its errors raw (an escape sequence or
//! a bidi control in it reaches the terminal) and whole (the auth code of a
//! malformed `--domain NAME:AUTHCODE`). [`report`] prints the error itself
//! instead, after [`sanitize`] has rewritten what it quotes:
//!
//! - control characters, U+2028/U+2029 and the bidi controls U+202A–U+202E,
//!   U+2066–U+2069 are escaped as `\n`, `\u{1b}`, `\u{202e}`, ...;
//! - the value of an argument that holds a secret is replaced by
//!   `[redacted]`. An argument holds a secret when a word of its value name
//!   is `AUTHCODE` or a secret key of
//!   [`SECRET_KEYS`](opensrs_core::secret::SECRET_KEYS) (`<NAME:AUTHCODE>`,
//!   `<PASSWORD>`, `<AUTH_INFO>`, `<KEY>`): name value names so. A value
//!   parser of such an argument must not quote its input in its own error
//!   message either;
//! - an unknown `--flag=VALUE` is quoted as `--flag=[redacted]`: nobody
//!   knows what the value of an unknown flag holds.
//!
//! Help and version requests are printed by clap as usual. The exit status
//! stays clap's: 2 for a usage error, 0 for `--help` and `--version`.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use opensrs_core::secret::{REDACTED, is_secret_key};

/// Prints `err` as clap would, but escaped and with secrets redacted (see
/// the module docs), and returns the exit status to end the run with.
pub(crate) fn report(err: clap::Error) -> ExitCode {
    let code = u8::try_from(err.exit_code()).unwrap_or(2);
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        // Our own text only: no value of the user's is in it.
        let _ = err.print();
        return ExitCode::from(code);
    }
    // If stderr itself is gone there is nobody left to tell.
    let _ = io::stderr().lock().write_all(render(err).as_bytes());
    ExitCode::from(code)
}

/// The text of a usage error, plain (no colours), escaped and with secrets
/// redacted; it ends with a newline, as clap's does.
pub(crate) fn render(err: clap::Error) -> String {
    let text = sanitize(err).render().to_string();
    // The parts that came from the user are escaped already; this catches
    // what a value parser wrote in its own message. Newlines are clap's
    // layout (usage line, tips), kept.
    text.split('\n').map(escape).collect::<Vec<_>>().join("\n")
}

/// `err` with every piece of context that may hold the user's text escaped,
/// and secrets replaced by `[redacted]`.
pub(crate) fn sanitize(mut err: clap::Error) -> clap::Error {
    let arg = match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(a)) => Some(a.clone()),
        _ => None,
    };
    let secret_value = arg.as_deref().is_some_and(holds_secret);
    // `--flag=VALUE` of a flag clap does not know: VALUE is not quoted.
    let unknown_with_value = if err.kind() == ErrorKind::UnknownArgument {
        arg.as_deref()
            .and_then(|a| a.split_once('='))
            .map(|(flag, _)| {
                (
                    arg.clone().unwrap_or_default(),
                    format!("{flag}={REDACTED}"),
                )
            })
    } else {
        None
    };
    let clean = |kind: ContextKind, s: &str| -> String {
        if kind == ContextKind::InvalidValue && secret_value {
            return REDACTED.to_owned();
        }
        match &unknown_with_value {
            Some((raw, redacted)) => escape(&s.replace(raw.as_str(), redacted)),
            None => escape(s),
        }
    };
    let entries: Vec<(ContextKind, ContextValue)> =
        err.context().map(|(k, v)| (k, v.clone())).collect();
    for (kind, value) in entries {
        if kind == ContextKind::Usage {
            // Built from the command's definition: our text, laid out on
            // purpose over several lines.
            continue;
        }
        let value = match value {
            ContextValue::String(s) => ContextValue::String(clean(kind, &s)),
            ContextValue::Strings(v) => {
                ContextValue::Strings(v.iter().map(|s| clean(kind, s)).collect())
            }
            ContextValue::StyledStr(s) => {
                ContextValue::StyledStr(clean(kind, &s.to_string()).into())
            }
            ContextValue::StyledStrs(v) => ContextValue::StyledStrs(
                v.iter()
                    .map(|s| clean(kind, &s.to_string()).into())
                    .collect(),
            ),
            other => other,
        };
        err.insert(kind, value);
    }
    err
}

/// Whether an argument, as clap names it in errors (`--domain
/// <NAME:AUTHCODE>`), holds a secret: a word of a value name inside `<...>`
/// is `AUTHCODE` or a secret key (any case).
pub(crate) fn holds_secret(arg: &str) -> bool {
    arg.split('<')
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(name, _)| name))
        .flat_map(|name| name.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .any(|word| word.eq_ignore_ascii_case("authcode") || is_secret_key(word))
}

/// `s` with control characters, line and paragraph separators and bidi
/// controls escaped (`\n`, `\u{1b}`, `\u{202e}`), so that it prints as
/// itself, on one line.
pub(crate) fn escape(s: &str) -> String {
    // The one quoting helper of ops-core, unbounded: clap bounds nothing,
    // but the line is escaped the same way as every other error's.
    opensrs_core::__private::quote(s, usize::MAX)
}

#[cfg(test)]
mod tests {
    use clap::{Arg, Command};

    use super::*;

    fn cmd() -> Command {
        Command::new("t")
            .arg(
                Arg::new("domain")
                    .long("domain")
                    .value_name("NAME:AUTHCODE")
                    .value_parser(|s: &str| {
                        s.split_once(':')
                            .map(|_| s.to_owned())
                            .ok_or("expected NAME:AUTHCODE")
                    }),
            )
            .arg(Arg::new("mode").long("mode").value_parser(["fast", "slow"]))
    }

    fn error(args: &[&str]) -> String {
        let err = cmd()
            .try_get_matches_from(std::iter::once("t").chain(args.iter().copied()))
            .unwrap_err();
        render(err)
    }

    #[test]
    fn escapes_control_and_bidi_characters() {
        assert_eq!(escape("a\u{1b}[31mb\n"), r"a\u{1B}[31mb\n");
        assert_eq!(
            escape("x\u{202e}y\u{2066}z\u{2028}"),
            r"x\u{202E}y\u{2066}z\u{2028}"
        );
        assert_eq!(escape("Zürich ✓"), "Zürich ✓");
    }

    #[test]
    fn a_malformed_value_is_quoted_escaped() {
        let e = error(&["--mode", "f\u{1b}[2Jast\u{202e}"]);
        assert!(e.contains(r"'f\u{1B}[2Jast\u{202E}'"), "{e}");
        assert!(!e.contains('\u{1b}') && !e.contains('\u{202e}'), "{e}");
    }

    #[test]
    fn the_value_of_a_secret_argument_is_never_quoted() {
        let e = error(&["--domain", "S3cr3tC0de"]);
        assert!(!e.contains("S3cr3tC0de"), "{e}");
        assert!(
            e.contains("[redacted]") && e.contains("--domain <NAME:AUTHCODE>"),
            "{e}"
        );
        assert!(e.contains("expected NAME:AUTHCODE"), "{e}");
    }

    #[test]
    fn the_value_of_an_unknown_flag_is_never_quoted() {
        let e = error(&["--domian=example.com:S3cr3tC0de"]);
        assert!(!e.contains("S3cr3tC0de"), "{e}");
        // clap quotes the flag alone; `--domian=[redacted]` if it did not.
        assert!(e.contains("'--domian"), "{e}");
    }

    #[test]
    fn secret_arguments_are_known_by_their_value_names() {
        assert!(holds_secret("--domain <NAME:AUTHCODE>"));
        assert!(holds_secret("--pw <PASSWORD>"));
        assert!(holds_secret("--x <auth_info>"));
        assert!(!holds_secret("--key-file <FILE>"));
        assert!(!holds_secret("--max-size <BYTES>"));
        assert!(!holds_secret("--domain <NAME>"));
    }
}

//! `opensrs decode --as COMMAND`: a request or reply of one of the commands of
//! `ops-actions`, decoded into its typed form (the command's rules
//! applied) and printed as JSON through serde, secrets redacted.

#![allow(deprecated)] // simple_transfer is deprecated by OpenSRS, and served here on purpose.

use std::io::Write;

use opensrs_actions::domain::{CheckTransfer, ResendTradeApprovalNotice, SimpleTransfer};
use opensrs_actions::transfer::SendPassword;
use opensrs_core::{Command, Document, ReplyError};
use serde::Serialize;

use crate::envelope;
use crate::error::CliError;
use crate::{Failure, output_error};

/// The `--as` help, shown by `opensrs decode --help`.
pub(crate) const HELP: &str = "\
Decode a request or reply of COMMAND into its typed form and print that as
JSON (secrets print as \"[redacted]\"). A document whose action is REPLY (any
case), or that carries response_code and response_text (a server-level
error), is read as a reply, any other as a request. The command's rules are
applied; a rule broken, a value of the wrong form, or a request for another
action or object, is exit status 1 with one line FILE:LINE:COL: message (at
KEY.PATH); so is a request item COMMAND does not define (registrant_ip and
cookie are accepted), or a protocol other than XCP. A reply does not name
its action, so only its object, when present, is checked against COMMAND. A
reply that does not report success (is_success 0, a code outside 2xx, or a
server-level error without action REPLY) is exit status 1 with one line
FILE: OpenSRS error CODE (DESCRIPTION): RESPONSE_TEXT (see the whole reply
with --envelope). COMMAND is case-insensitive.";

/// The commands `--as` knows: the action names of `opensrs_actions::COMMANDS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub(crate) enum CommandName {
    /// send_password on object transfer.
    SendPassword,
    /// resend_trade_approval_notice on object domain.
    ResendTradeApprovalNotice,
    /// simple_transfer on object domain (deprecated by OpenSRS).
    SimpleTransfer,
    /// check_transfer on object domain.
    CheckTransfer,
}

impl CommandName {
    /// The command's action, as its type declares it.
    #[cfg(test)]
    fn action(self) -> &'static str {
        match self {
            CommandName::SendPassword => SendPassword::ACTION,
            CommandName::ResendTradeApprovalNotice => ResendTradeApprovalNotice::ACTION,
            CommandName::SimpleTransfer => SimpleTransfer::ACTION,
            CommandName::CheckTransfer => CheckTransfer::ACTION,
        }
    }
}

/// Decodes `doc` as `name` and prints it to `out` (nothing when `out` is
/// `None`: `--check`).
pub(crate) fn decode_as<W: Write>(
    name: CommandName,
    doc: &Document<'_>,
    file: &str,
    out: Option<&mut W>,
    pretty: bool,
) -> Result<(), Failure> {
    match name {
        CommandName::SendPassword => typed::<SendPassword, W>(doc, file, out, pretty),
        CommandName::ResendTradeApprovalNotice => {
            typed::<ResendTradeApprovalNotice, W>(doc, file, out, pretty)
        }
        CommandName::SimpleTransfer => typed::<SimpleTransfer, W>(doc, file, out, pretty),
        CommandName::CheckTransfer => typed::<CheckTransfer, W>(doc, file, out, pretty),
    }
}

fn typed<C, W>(
    doc: &Document<'_>,
    file: &str,
    out: Option<&mut W>,
    pretty: bool,
) -> Result<(), Failure>
where
    C: Command + Serialize,
    for<'d> C::Response<'d>: Serialize,
    W: Write,
{
    if envelope::is_reply(doc) {
        let reply = C::decode_reply(doc).map_err(|e| reply_error(file, e))?;
        emit(&reply, out, pretty)
    } else {
        let request = C::decode_request(doc).map_err(|e| CliError::decode(file, &e))?;
        emit(&request, out, pretty)
    }
}

fn reply_error(file: &str, err: ReplyError) -> CliError {
    match err {
        ReplyError::Decode(e) => CliError::decode(file, &e),
        ReplyError::Parse(e) => CliError::parse(file, &e),
        // `OpenSRS error 465 (invalid data): text`.
        e => CliError::plain(file, e.to_string(), ""),
    }
}

fn emit<T: Serialize, W: Write>(
    value: &T,
    out: Option<&mut W>,
    pretty: bool,
) -> Result<(), Failure> {
    let Some(out) = out else {
        return Ok(());
    };
    let written = if pretty {
        serde_json::to_writer_pretty(&mut *out, value)
    } else {
        serde_json::to_writer(&mut *out, value)
    };
    // serde_json gives back the writer's own io::Error (EPIPE stays EPIPE).
    written.map_err(|e| output_error(&e.into()))?;
    out.write_all(b"\n").map_err(|e| output_error(&e))
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;

    #[test]
    fn names_are_the_commands_of_ops_actions() {
        let names: Vec<_> = CommandName::value_variants()
            .iter()
            .map(|c| {
                let v = c.to_possible_value().unwrap();
                assert_eq!(v.get_name(), c.action());
                v.get_name().to_owned()
            })
            .collect();
        assert_eq!(names, opensrs_actions::COMMANDS);
    }
}

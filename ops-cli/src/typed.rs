//! `opensrs decode --as ACTION [--object OBJECT]`: a request or reply of one
//! of the commands registered in `opensrs_actions::COMMANDS`, decoded into
//! its typed form (the command's rules applied) and printed as JSON through
//! serde, secrets redacted. No per-command code: the registry decodes.

use std::io::Write;

use opensrs_actions::{CommandInfo, LookupError};
use opensrs_core::{Document, ReplyError};

use crate::envelope;
use crate::error::CliError;
use crate::{Failure, output_error};

/// The `--as` help, shown by `opensrs decode --help`.
pub(crate) const HELP: &str = "\
Decode a request or reply of the command with action ACTION into its typed
form and print that as JSON (secrets print as \"[redacted]\"). When several
commands share ACTION (send_password on domain and on transfer), name the
object with --object; ACTION alone is then a usage error (exit status 2)
listing the choices. A document whose action is REPLY (any case), or that
carries response_code and response_text (a server-level error), is read as a
reply, any other as a request. The command's rules are applied; a rule
broken, a value of the wrong form, or a request for another action or
object, is exit status 1 with one line FILE:LINE:COL: message (at
KEY.PATH); so is a request item the command does not define (registrant_ip
and cookie are accepted), or a protocol other than XCP. A reply does not
name its action, so only its object, when present, is checked. A reply that
does not report success (is_success 0, a code outside 2xx, or a
server-level error without action REPLY) is exit status 1 with one line
FILE: OpenSRS error CODE (DESCRIPTION): RESPONSE_TEXT (see the whole reply
with --envelope). ACTION and OBJECT are case-insensitive.";

/// The `--object` help.
pub(crate) const OBJECT_HELP: &str = "\
The object of the command named by --as (or by request's ACTION), e.g.
domain or transfer: needed when several commands share the action.";

/// The registered command named by `action` and `object`, or a usage
/// error's message (escaped, listing the choices).
pub(crate) fn lookup(
    action: &str,
    object: Option<&str>,
) -> Result<&'static CommandInfo, LookupError> {
    opensrs_actions::find(action, object)
}

/// Decodes `doc` as `command` and prints it to `out` (nothing when `out` is
/// `None`: `--check`).
pub(crate) fn decode_as<W: Write>(
    command: &CommandInfo,
    doc: &Document<'_>,
    file: &str,
    out: Option<&mut W>,
    pretty: bool,
) -> Result<(), Failure> {
    if envelope::is_reply(doc) {
        // A reply may borrow from its document: decode from a reborrow of
        // the same lifetime on both sides.
        let doc: &Document<'_> = doc;
        let reply = decode_reply(command, doc).map_err(|e| reply_error(file, e))?;
        emit(out, |w| reply.write_json(w, pretty))
    } else {
        let request = command
            .decode_request(doc)
            .map_err(|e| CliError::decode(file, &e))?;
        emit(out, |w| request.write_json(w, pretty))
    }
}

fn decode_reply<'d>(
    command: &CommandInfo,
    doc: &'d Document<'d>,
) -> Result<Box<dyn opensrs_actions::DecodedReply + 'd>, ReplyError> {
    command.decode_reply(doc)
}

fn reply_error(file: &str, err: ReplyError) -> CliError {
    match err {
        ReplyError::Decode(e) => CliError::decode(file, &e),
        ReplyError::Parse(e) => CliError::parse(file, &e),
        // `OpenSRS error 465 (invalid data): text`.
        e => CliError::plain(file, e.to_string(), ""),
    }
}

fn emit<W: Write>(
    out: Option<&mut W>,
    write: impl FnOnce(&mut dyn Write) -> serde_json::Result<()>,
) -> Result<(), Failure> {
    let Some(out) = out else {
        return Ok(());
    };
    // serde_json gives back the writer's own io::Error (EPIPE stays EPIPE).
    write(&mut *out).map_err(|e| output_error(&e.into()))?;
    out.write_all(b"\n").map_err(|e| output_error(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_are_the_registry_s() {
        assert_eq!(lookup("CHECK_TRANSFER", None).unwrap().object(), "domain");
        let e = lookup("send_password", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "action `send_password` names 2 commands: give its object (transfer, domain)"
        );
        assert_eq!(
            lookup("send_password", Some("Domain")).unwrap().type_name(),
            "domain::SendPassword"
        );
    }
}

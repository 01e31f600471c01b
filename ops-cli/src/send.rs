//! `opensrs send`: posts an envelope as given and prints the reply as JSON
//! (typed when the command is registered).

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use opensrs_core::{ParseOptions, Request};

use opensrs_client::blocking;

use crate::connect::Connection;
use crate::error::CliError;

/// `opensrs send` arguments.
#[derive(Args, Debug)]
pub(crate) struct SendArgs {
    #[command(flatten)]
    connection: Connection,
    /// The request envelope, sent byte for byte; stdin when absent or `-`.
    #[arg(value_name = "BODY")]
    body: Option<PathBuf>,
}

/// Sends the envelope; a reply that reports failure is printed, then
/// reported as an error (exit status 1).
pub(crate) fn run(a: &SendArgs) -> Result<(), CliError> {
    let client = a.connection.client()?;
    let input = crate::input::read(a.body.as_ref(), crate::DEFAULT_MAX_SIZE as usize)?;
    send(&client, &input.name, input.bytes)
}

/// Sends `body` (named `name` in messages) and prints the reply as JSON,
/// typed when the command is registered; a reply that reports failure is
/// printed, then reported as an error. `opensrs send` and
/// `opensrs request --send`.
pub(crate) fn send(client: &blocking::Client, name: &str, body: Vec<u8>) -> Result<(), CliError> {
    let input = crate::input::Input {
        name: name.to_owned(),
        bytes: body,
    };
    // Only a well-formed envelope is signed and sent (OpenSRS would refuse
    // anything else, after the request counted); its command's names, to
    // decode the reply typed when it is registered.
    let doc = ParseOptions::default()
        .parse(&input.bytes)
        .map_err(|e| CliError::parse(&input.name, &e))?;
    let names = Request::from_document(&doc)
        .ok()
        .map(|req| (req.action().to_owned(), req.object().to_owned()));
    drop(doc);
    let command = names
        .as_ref()
        .and_then(|(action, object)| opensrs_actions::find(action, Some(object)).ok());
    let reply = client
        .send_envelope(input.bytes)
        .map_err(|e| CliError::plain(&input.name, e.to_string(), ""))?;
    let doc = reply
        .document()
        .map_err(|e| CliError::parse("<reply>", &e))?;
    let mut out = BufWriter::new(io::stdout().lock());
    let write_err = |e: io::Error| CliError::io("<stdout>", "cannot write", &e);
    let typed = match command {
        Some(c) if reply.status().is_success => c.decode_reply(&doc).ok(),
        _ => None,
    };
    match typed {
        Some(t) => t
            .write_json(&mut out, true)
            .map_err(|e| write_err(e.into()))?,
        // A server's reply: secrets redacted, as in the typed output.
        None => {
            crate::decode::write_json_redacted(doc.root(), &mut out, true).map_err(write_err)?
        }
    }
    out.write_all(b"\n").map_err(write_err)?;
    out.flush().map_err(write_err)?;
    if !reply.status().is_success {
        let api = opensrs_core::Reply::from_document(&doc)
            .map(|r| r.to_api_error().to_string())
            .unwrap_or_else(|e| e.to_string());
        return Err(CliError::plain(&input.name, api, ""));
    }
    Ok(())
}

/// Honours `RUST_LOG` (e.g. `RUST_LOG=opensrs_client=debug`): the client's
/// spans and events on stderr. Nothing is set up when it is unset; the
/// client never logs the key, and bodies only at TRACE, redacted.
pub(crate) fn init_logging() {
    if std::env::var_os("RUST_LOG").is_none() {
        return;
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .try_init();
}

//! `opensrs batch check_transfer`: one check_transfer per domain of a
//! file, many at once on one connection pool; one JSON line per domain on
//! stdout, a summary on stderr.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use futures_util::StreamExt;
use opensrs_actions::DomainName;
use opensrs_actions::domain::CheckTransfer;
use serde_json::json;

use crate::connect::Connection;
use crate::error::CliError;

/// The commands `batch` runs.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub(crate) enum BatchCommand {
    /// check_transfer on domain, for each domain.
    #[value(name = "check_transfer")]
    CheckTransfer,
}

/// `opensrs batch` arguments.
#[derive(Args, Debug)]
pub(crate) struct BatchArgs {
    /// The command to run for each domain.
    #[arg(value_enum)]
    command: BatchCommand,
    /// The domains, one a line (blank lines and lines starting with `#` skipped).
    #[arg(long, value_name = "FILE")]
    domains: PathBuf,
    /// Most requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    #[command(flatten)]
    connection: Connection,
}

/// Runs the batch; exit status 1 when any domain failed.
pub(crate) fn run(a: &BatchArgs) -> Result<(), CliError> {
    let BatchCommand::CheckTransfer = a.command;
    let client = a.connection.client()?;
    let input = crate::input::read(Some(&a.domains), crate::DEFAULT_MAX_SIZE as usize)?;
    let text = String::from_utf8(input.bytes)
        .map_err(|e| CliError::plain(&input.name, format!("not UTF-8 text: {e}"), ""))?;
    let mut out = BufWriter::new(io::stdout().lock());
    let write_err = |e: io::Error| CliError::io("<stdout>", "cannot write", &e);
    let (mut ok, mut failed) = (0usize, 0usize);
    let mut commands = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match DomainName::new(line) {
            Ok(domain) => commands.push(CheckTransfer {
                domain,
                check_status: Some(true),
                get_request_address: None,
            }),
            Err(e) => {
                failed += 1;
                let row = json!({"domain": line, "line": i + 1, "error": e.to_string()});
                writeln!(out, "{row}").map_err(write_err)?;
            }
        }
    }
    let total = commands.len() + failed;
    let async_client = client.as_async().clone();
    let written = client
        .block_on(async {
            let mut replies = async_client.send_all(commands, usize::from(a.concurrency));
            while let Some((command, reply)) = replies.next().await {
                let row = match reply {
                    Ok(reply) => {
                        ok += 1;
                        json!({"domain": command.domain.as_str(), "reply": reply})
                    }
                    Err(e) => {
                        failed += 1;
                        let mut row =
                            json!({"domain": command.domain.as_str(), "error": e.to_string()});
                        if let Some(api) = e.api() {
                            row["response_code"] = json!(api.code.as_u16());
                        }
                        row
                    }
                };
                writeln!(out, "{row}")?;
            }
            out.flush()
        })
        .map_err(|e| CliError::plain("opensrs", e.to_string(), ""))?;
    written.map_err(write_err)?;
    eprintln!("{total} domains: {ok} ok, {failed} failed");
    if failed > 0 {
        return Err(CliError::plain(
            &input.name,
            format!("{failed} of {total} domains failed"),
            "",
        ));
    }
    Ok(())
}

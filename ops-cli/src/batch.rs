//! `opensrs batch check_transfer`: one check_transfer per domain of a
//! file, many at once on one connection pool; one JSON line per domain on
//! stdout, a summary on stderr.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
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
    let mut out = BufWriter::new(io::stdout().lock());
    let write_err = |e: io::Error| CliError::io("<stdout>", "cannot write", &e);
    let (mut ok, mut failed) = (0usize, 0usize);
    // Each domain with its line number and its text as given: the output
    // names the domain as the file wrote it (an IDN is sent as its A-label,
    // and two lines may name one domain), so every row can be matched back.
    let mut commands = Vec::new();
    for (i, raw) in input.bytes.split(|&b| b == b'\n').enumerate() {
        let Ok(line) = std::str::from_utf8(raw) else {
            failed += 1;
            let row = json!({"line": i + 1, "error": "not UTF-8 text: the line is skipped"});
            writeln!(out, "{}", crate::decode::terminal_safe(row.to_string()))
                .map_err(write_err)?;
            continue;
        };
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match DomainName::new(line) {
            Ok(domain) => commands.push((
                i + 1,
                line.to_owned(),
                CheckTransfer {
                    domain,
                    check_status: Some(true),
                    get_request_address: None,
                },
            )),
            Err(e) => {
                failed += 1;
                let row = json!({"line": i + 1, "domain": line, "error": e.to_string()});
                writeln!(out, "{}", crate::decode::terminal_safe(row.to_string()))
                    .map_err(write_err)?;
            }
        }
    }
    let total = commands.len() + failed;
    let to_send = commands.len();
    let progress = progress_bar(to_send as u64);
    let async_client = client.as_async().clone();
    let mut interrupted = false;
    let written = client
        .block_on(async {
            let replies = futures_util::stream::iter(commands)
                .map(|(line, given, command)| {
                    let client = &async_client;
                    async move {
                        let reply = client.send(&command).await;
                        (line, given, command, reply)
                    }
                })
                .buffer_unordered(usize::from(a.concurrency));
            // Ctrl-C ends the stream: what finished is kept, what is in
            // flight is dropped (never half-written to stdout).
            // (Without a signal handler the batch simply runs to its end.)
            let ctrl_c = std::pin::pin!(async {
                if tokio::signal::ctrl_c().await.is_err() {
                    std::future::pending::<()>().await;
                }
            });
            let mut replies = replies.take_until(ctrl_c);
            while let Some((line, given, command, reply)) = replies.next().await {
                progress.inc(1);
                let mut row = json!({"line": line, "domain": given});
                if command.domain.as_str() != given {
                    row["sent_as"] = json!(command.domain.as_str());
                }
                match reply {
                    Ok(reply) => {
                        ok += 1;
                        row["reply"] = json!(reply);
                    }
                    Err(e) => {
                        failed += 1;
                        row["error"] = json!(e.to_string());
                        if let Some(api) = e.api() {
                            row["response_code"] = json!(api.code.as_u16());
                        }
                    }
                }
                // A line at a time: a reader (`| jq`) sees each reply as it
                // comes, and an interruption loses none that finished.
                writeln!(out, "{}", crate::decode::terminal_safe(row.to_string()))?;
                out.flush()?;
            }
            interrupted = replies.take_result().is_some();
            out.flush()
        })
        .map_err(|e| CliError::plain("opensrs", e.to_string(), ""))?;
    progress.finish_and_clear();
    written.map_err(write_err)?;
    if interrupted {
        let done = ok + failed;
        eprintln!(
            "interrupted: {done} of {total} domains done ({ok} ok, {failed} failed), {} not done",
            total - done
        );
        return Err(CliError::plain(
            "opensrs",
            format!("interrupted (Ctrl-C) after {done} of {total} domains"),
            "",
        ));
    }
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

/// A progress bar on stderr when it is a terminal, hidden otherwise.
fn progress_bar(len: u64) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} domains, {per_sec}, eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}

//! `opensrs`: decode, encode, reformat, sign and build OpenSRS XCP envelopes
//! ("OPS envelopes") from the command line.
//!
//! ```text
//! opensrs decode [FILE|-] [--check] [--compact]   envelope -> JSON of its data_block
//!            [--envelope]                     ... with the header and the typed status
//!            [--as ACTION [--object OBJECT]]  ... decoded as the command's typed request or reply
//! opensrs encode [FILE|-] [--pretty]              JSON -> canonical envelope
//! opensrs fmt    [FILE|-] [--compact]             envelope -> pretty (or canonical) envelope
//! opensrs sign --key-file KEY [BODY|-]            body -> its X-Signature
//! opensrs request ACTION [--object OBJECT] KEY=VALUE... | --json FILE [--pretty]
//!                                             attributes -> request envelope
//! opensrs send --endpoint URL --user NAME --key-file FILE [BODY|-]
//!                                             envelope -> OpenSRS -> reply as JSON
//! opensrs batch check_transfer --domains FILE [--concurrency N]
//!                                             one JSON line per domain, summary on stderr
//! opensrs serve [--listen ADDR:PORT] [--seed FILE] [--user NAME --key-file FILE]
//!                                             a local OpenSRS (opensrs-sandbox)
//! opensrs demo                                    the transfer story, against an in-process sandbox
//! ```
//!
//! `send` and `batch` take their credentials from the flags or from
//! `OPENSRS_ENDPOINT`, `OPENSRS_USER` and `OPENSRS_KEY_FILE`; plain
//! `http://` is refused unless the host is a loopback address. The key is
//! never printed.
//!
//! `decode`, `encode` and `fmt` take `--max-size BYTES` (default 32 MiB, at
//! most 2 GiB - 1) and `--max-depth N` (default 64, at most 512); `sign`
//! takes `--max-size`.
//!
//! Behaviour:
//!
//! - Input is FILE, or stdin when FILE is absent or `-`. In messages stdin
//!   is named `<stdin>`. At most `--max-size` bytes are ever read.
//! - `decode` prints JSON laid out as `serde_json::to_string_pretty` would
//!   (two-space indent; `--compact` for one line), then a newline.
//!   dt_assoc → object in document order, dt_array → array in index
//!   order, every scalar → string. The header and `class` attributes are not
//!   part of the JSON. `--check` parses and prints nothing.
//! - `decode --envelope` wraps that JSON as `{"header": {...}, "reply":
//!   {...} | "request": {...}, "data": ...}`: the header, and the reply's
//!   typed status (is_success, response code, its class and description,
//!   text) or the request's protocol, action and object (see
//!   `opensrs decode --help`).
//! - `decode --as ACTION [--object OBJECT]` (a command of
//!   `opensrs_actions::COMMANDS`, any case; `--object` needed when several
//!   commands share the action, else a usage error listing them) decodes a
//!   request, or a reply when the action is `REPLY`, into the command's
//!   typed form, applying its rules, and prints it through serde (secrets as
//!   `"[redacted]"`). A reply with is_success 0 is exit
//!   status 1 with one line `FILE: OpenSRS error CODE (DESCRIPTION): TEXT`.
//! - `encode` reads JSON: object → dt_assoc, array → dt_array, string →
//!   text, number → its text exactly as written (`1.0`, `1e3`, `-0` are
//!   kept), `true`/`false` → `1`/`0`; `null` and duplicate keys are errors.
//!   The output has the default header (version 0.9).
//! - `encode`, `fmt --compact` and `request` print the canonical envelope's
//!   bytes exactly, without a trailing newline: what is piped is what gets
//!   signed. Pretty output ends with a newline.
//! - `sign` prints `md5_hex(md5_hex(body ++ key) ++ key)`, 32 lowercase hex
//!   digits and a newline, over the body's bytes exactly as read. The key
//!   file loses a BOM and the whitespace around the key (a trailing
//!   newline); a second line or whitespace or control characters inside
//!   the key are an error. The key is held in a `Secret` and never printed.
//! - `request ACTION [--object OBJECT]` builds any registered command from
//!   `KEY=VALUE` attributes (dotted KEY for nesting, `list.0.key` for
//!   arrays) or `--json FILE`; the command's typed decode validates them,
//!   and a refusal is exit status 1 with one line `KEY: message (at
//!   attributes.KEY.PATH)`, a secret's value never shown.
//! - `--max-depth` bounds dt_assoc/dt_array nesting (JSON object/array
//!   nesting for `encode`, counted the same way). Every walk here uses an
//!   explicit stack, so the cap of 512 is not about this tool's stack: it
//!   keeps documents within what other consumers that recurse (serde_json
//!   stops at 128 by default) or indent can take, and it is far above
//!   anything OpenSRS sends (depth 4).
//! - On bad input: exit status 1, nothing on stdout, and exactly one line on
//!   stderr, `FILE:LINE:COL: message (at KEY.PATH)` (the path part only
//!   inside an item; control characters escaped so the line stays one).
//!   Columns count characters. I/O errors print `FILE: message` and exit 1.
//! - Usage errors are clap's (exit status 2), with the values they quote
//!   escaped and never the value of an argument that holds a secret (see
//!   `usage.rs`). A closed stdout (EPIPE) ends
//!   the run quietly with status 0; any other failure to write is exit 1.
//!   No path panics.

mod batch;
mod connect;
mod decode;
mod demo;
mod encode;
mod envelope;
mod error;
mod input;
mod reformat;
mod request;
mod send;
mod serve;
mod sign;
mod typed;
mod usage;

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use opensrs_core::{ParseOptions, Position};

use crate::error::CliError;

/// Default `--max-size`: the parser's default, 32 MiB.
const DEFAULT_MAX_SIZE: u64 = 32 << 20;
/// Largest `--max-size`: the parser's own cap, 2 GiB - 1.
const MAX_SIZE_CAP: u64 = (1 << 31) - 1;
/// Largest `--max-depth`.
const MAX_DEPTH_CAP: u64 = 512;

/// Decode, encode, reformat, sign and build OpenSRS XCP envelopes.
#[derive(Parser, Debug)]
#[command(name = "opensrs", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the data_block's value as JSON.
    Decode(DecodeArgs),
    /// Read JSON and print it as a canonical envelope.
    Encode(EncodeArgs),
    /// Re-emit an envelope pretty-printed (or canonical with --compact).
    Fmt(FmtArgs),
    /// Print the X-Signature of a request body.
    Sign(SignArgs),
    /// Build a request of a registered command from KEY=VALUE attributes and print its envelope.
    Request(request::RequestArgs),
    /// Send a request envelope to OpenSRS (signed) and print the reply as JSON.
    Send(send::SendArgs),
    /// Run one command for every domain of a file, many at once; JSON lines out.
    Batch(batch::BatchArgs),
    /// Run a local OpenSRS (the sandbox) for the registered commands and print its URL.
    Serve(serve::ServeArgs),
    /// Tell the whole transfer story against an in-process sandbox, through opensrs-client.
    Demo,
}

#[derive(Args, Debug)]
struct DecodeArgs {
    /// The envelope to read; stdin when absent or `-`.
    file: Option<PathBuf>,
    /// Parse fully and print nothing: the exit status tells.
    #[arg(long)]
    check: bool,
    /// Print the JSON on one line.
    #[arg(long)]
    compact: bool,
    /// Print the header and the request's names or the reply's typed status too.
    #[arg(long, conflicts_with = "command", long_help = envelope::HELP)]
    envelope: bool,
    /// Decode into the typed request or reply of the command with ACTION, its rules applied.
    #[arg(long = "as", id = "command", value_name = "ACTION", long_help = typed::HELP)]
    command: Option<String>,
    /// The object of the --as command, when several share its action.
    #[arg(long, value_name = "OBJECT", requires = "command", long_help = typed::OBJECT_HELP)]
    object: Option<String>,
    #[command(flatten)]
    limits: Limits,
}

#[derive(Args, Debug)]
struct EncodeArgs {
    /// The JSON to read; stdin when absent or `-`.
    file: Option<PathBuf>,
    /// Indent the envelope for people to read.
    #[arg(long)]
    pretty: bool,
    #[command(flatten)]
    limits: Limits,
}

#[derive(Args, Debug)]
struct FmtArgs {
    /// The envelope to read; stdin when absent or `-`.
    file: Option<PathBuf>,
    /// Print the canonical compact form instead.
    #[arg(long)]
    compact: bool,
    #[command(flatten)]
    limits: Limits,
}

#[derive(Args, Debug)]
struct SignArgs {
    /// The file holding the reseller key, alone on one line (a BOM and
    /// whitespace around it are removed).
    #[arg(long, value_name = "FILE")]
    key_file: PathBuf,
    /// The body to sign, its bytes exactly as read (a trailing newline
    /// counts); stdin when absent or `-`.
    #[arg(value_name = "BODY")]
    body: Option<PathBuf>,
    /// Largest body in bytes (at most 2147483647).
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = DEFAULT_MAX_SIZE,
        value_parser = clap::value_parser!(u64).range(0..=MAX_SIZE_CAP),
    )]
    max_size: u64,
}

#[derive(Args, Debug, Clone, Copy)]
struct Limits {
    /// Largest input in bytes (at most 2147483647).
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = DEFAULT_MAX_SIZE,
        value_parser = clap::value_parser!(u64).range(0..=MAX_SIZE_CAP),
    )]
    max_size: u64,
    /// Deepest nesting of dt_assoc/dt_array (of JSON objects/arrays for encode), at most 512.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 64,
        value_parser = clap::value_parser!(u64).range(0..=MAX_DEPTH_CAP),
    )]
    max_depth: u64,
}

impl Limits {
    fn max_size(self) -> usize {
        usize::try_from(self.max_size).unwrap_or(usize::MAX)
    }

    fn max_depth(self) -> usize {
        usize::try_from(self.max_depth).unwrap_or(usize::MAX)
    }

    fn parse_options(self) -> ParseOptions {
        ParseOptions {
            max_depth: self.max_depth(),
            max_len: self.max_size(),
            ..ParseOptions::default()
        }
    }
}

/// Why a run stopped early.
enum Failure {
    /// Bad input, or an I/O error: one line on stderr, exit status 1.
    Error(CliError),
    /// stdout was closed by its reader: stop quietly.
    BrokenPipe,
}

impl From<CliError> for Failure {
    fn from(e: CliError) -> Self {
        Failure::Error(e)
    }
}

/// The name stdout goes by in messages.
const STDOUT_NAME: &str = "<stdout>";

fn output_error(e: &io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::BrokenPipe
    } else {
        Failure::Error(CliError::io(STDOUT_NAME, "cannot write", e))
    }
}

/// A usage error (exit status 2) for a command name the registry does not
/// resolve: unknown, or an action that needs its object.
fn lookup(action: &str, object: Option<&str>) -> &'static opensrs_actions::CommandInfo {
    typed::lookup(action, object).unwrap_or_else(|e| {
        use clap::CommandFactory;
        Cli::command()
            .error(clap::error::ErrorKind::InvalidValue, e)
            .exit()
    })
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage::report(e),
    };
    send::init_logging();
    match run(cli.command) {
        Ok(()) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Error(e)) => {
            // If stderr itself is gone there is nobody left to tell.
            let _ = writeln!(io::stderr().lock(), "{e}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Decode(a) => {
            let input = input::read(a.file.as_ref(), a.limits.max_size())?;
            let doc = a
                .limits
                .parse_options()
                .parse(&input.bytes)
                .map_err(|e| CliError::parse(&input.name, &e))?;
            if let Some(action) = &a.command {
                let command = lookup(action, a.object.as_deref());
                let mut out = BufWriter::new(io::stdout().lock());
                let to = (!a.check).then_some(&mut out);
                typed::decode_as(command, &doc, &input.name, to, !a.compact)?;
                return out.flush().map_err(|e| output_error(&e));
            }
            let view = if a.envelope {
                Some(envelope::view(&doc).map_err(|e| CliError::decode(&input.name, &e))?)
            } else {
                None
            };
            if a.check {
                return Ok(());
            }
            // Nothing can fail past the parse but the output itself.
            let mut out = BufWriter::new(io::stdout().lock());
            match &view {
                Some(v) => envelope::write_json(&doc, v, &mut out, !a.compact),
                None => decode::write_json(doc.root(), &mut out, !a.compact),
            }
            .map_err(|e| output_error(&e))?;
            out.flush().map_err(|e| output_error(&e))
        }
        Command::Encode(a) => {
            let input = input::read(a.file.as_ref(), a.limits.max_size())?;
            let limits = encode::Limits {
                max_depth: a.limits.max_depth(),
            };
            let xml =
                encode::encode(&input.bytes, String::new(), a.pretty, limits).map_err(|e| {
                    CliError::at(
                        &input.name,
                        Position::locate(&input.bytes, e.offset),
                        e.message,
                        e.path,
                    )
                })?;
            print(&xml)
        }
        Command::Fmt(a) => {
            let input = input::read(a.file.as_ref(), a.limits.max_size())?;
            let doc = a
                .limits
                .parse_options()
                .parse(&input.bytes)
                .map_err(|e| CliError::parse(&input.name, &e))?;
            // A parsed document always writes; should it not, say where.
            let xml = reformat::write_envelope(&doc, String::new(), !a.compact).map_err(|e| {
                CliError::at(
                    &input.name,
                    Position::locate(&input.bytes, 0),
                    e.kind().to_string(),
                    e.path(),
                )
            })?;
            print(&xml)
        }
        Command::Sign(a) => {
            // The key first: a missing key file is reported before stdin is
            // read.
            let key = sign::read_key(&a.key_file)?;
            let max = usize::try_from(a.max_size).unwrap_or(usize::MAX);
            let input = input::read(a.body.as_ref(), max)?;
            let signature = opensrs_core::sign::signature(&input.bytes, &key);
            print(&format!("{signature}\n"))
        }
        Command::Request(a) => {
            let (action, object) = a.names();
            match request::run(lookup(action, object), &a)? {
                Some(xml) => print(&xml),
                None => Ok(()),
            }
        }
        Command::Send(a) => Ok(send::run(&a)?),
        Command::Batch(a) => Ok(batch::run(&a)?),
        Command::Serve(a) => Ok(serve::run(&a)?),
        Command::Demo => Ok(demo::run()?),
    }
}

/// Writes `s` to stdout, all of it or an error.
fn print(s: &str) -> Result<(), Failure> {
    let mut out = BufWriter::new(io::stdout().lock());
    out.write_all(s.as_bytes()).map_err(|e| output_error(&e))?;
    out.flush().map_err(|e| output_error(&e))
}

//! Prints a large check_transfer-style *reply* envelope to stdout: the input
//! of `ops-cli/bench/whole_process.sh`.
//!
//! `cargo run --release -p opensrs-cli --example gen_reply -- [DOMAINS] [INDENT]`
//! (defaults 100,000 and 4). The reply is action REPLY on object DOMAIN, is_success
//! 1, response_code 200, and its `attributes` hold a `dt_array` of DOMAINS
//! `dt_assoc` items, each with `domain`, `status`, `transferrable` and
//! `reason`. It is laid out as OpenSRS sends replies and as
//! `ops-actions/fixtures/domain/check_transfer/*.xml` are: XML declaration
//! and DOCTYPE on top, one element per line, INDENT spaces per level (the
//! fixtures have 4; with 4, 100,000 domains take 46 MB, half of it
//! indentation, above `opensrs decode`'s default `--max-size` of 32 MiB;
//! with 1, 28.7 MB). The output depends on DOMAINS and INDENT only: the same
//! bytes on every run.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// The status, transferrable flag and reason of the domains, in turn
/// (the reasons are those of the check_transfer fixtures and of the
/// OpenSRS documentation).
const OUTCOMES: [(&str, &str, &str); 4] = [
    (
        "completed",
        "0",
        "Domain already exists in RESELLER_NAME's account",
    ),
    ("pending_owner", "0", "Transfer in progress"),
    ("", "1", "Domain is available for transfer"),
    (
        "pending_registry",
        "0",
        "Transfer request has been sent to the registry",
    ),
];

/// Top-level domains of the generated names, in turn.
const TLDS: [&str; 5] = ["com", "net", "org", "info", "ca"];

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let domains = match count_arg(args.next(), "DOMAINS", 100_000) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let indent = match count_arg(args.next(), "INDENT", 4) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let mut out = BufWriter::new(io::stdout().lock());
    match write_reply(&mut out, domains, indent).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_reply: cannot write: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The count in `arg` (named `name` in the message), `default` when absent.
fn count_arg(arg: Option<String>, name: &str, default: usize) -> Result<usize, ExitCode> {
    match arg {
        None => Ok(default),
        Some(a) => a.parse::<usize>().map_err(|e| {
            eprintln!("gen_reply: {name} must be a count, got {a:?}: {e}");
            ExitCode::FAILURE
        }),
    }
}

/// The element lines of the envelope around the domains: nesting level and
/// text.
const HEAD: [(usize, &str); 15] = [
    (0, "<OPS_envelope>"),
    (1, "<header>"),
    (2, "<version>0.9</version>"),
    (1, "</header>"),
    (1, "<body>"),
    (2, "<data_block>"),
    (3, "<dt_assoc>"),
    (4, "<item key=\"protocol\">XCP</item>"),
    (4, "<item key=\"object\">DOMAIN</item>"),
    (4, "<item key=\"is_success\">1</item>"),
    (4, "<item key=\"response_text\">Query successful</item>"),
    (4, "<item key=\"action\">REPLY</item>"),
    (4, "<item key=\"response_code\">200</item>"),
    (4, "<item key=\"attributes\">"),
    (5, "<dt_array>"),
];

/// The lines after the domains.
const TAIL: [(usize, &str); 6] = [
    (5, "</dt_array>"),
    (4, "</item>"),
    (3, "</dt_assoc>"),
    (2, "</data_block>"),
    (1, "</body>"),
    (0, "</OPS_envelope>"),
];

/// Writes the reply with `domains` entries to `out`, `indent` spaces per
/// nesting level.
fn write_reply<W: Write>(out: &mut W, domains: usize, indent: usize) -> io::Result<()> {
    out.write_all(
        b"<?xml version='1.0' encoding=\"UTF-8\" standalone=\"no\"?>\n\
          <!DOCTYPE OPS_envelope SYSTEM \"ops.dtd\">\n",
    )?;
    let pad = |level: usize| " ".repeat(level * indent);
    for (level, line) in HEAD {
        writeln!(out, "{}{line}", pad(level))?;
    }
    let (item, assoc, key) = (pad(6), pad(7), pad(8));
    for i in 0..domains {
        let (status, transferrable, reason) = OUTCOMES[i % OUTCOMES.len()];
        let tld = TLDS[i % TLDS.len()];
        writeln!(out, "{item}<item key=\"{i}\">")?;
        writeln!(out, "{assoc}<dt_assoc>")?;
        writeln!(out, "{key}<item key=\"domain\">domain-{i:06}.{tld}</item>")?;
        writeln!(out, "{key}<item key=\"status\">{status}</item>")?;
        writeln!(
            out,
            "{key}<item key=\"transferrable\">{transferrable}</item>"
        )?;
        writeln!(out, "{key}<item key=\"reason\">{reason}</item>")?;
        writeln!(out, "{assoc}</dt_assoc>")?;
        writeln!(out, "{item}</item>")?;
    }
    for (level, line) in TAIL {
        writeln!(out, "{}{line}", pad(level))?;
    }
    Ok(())
}

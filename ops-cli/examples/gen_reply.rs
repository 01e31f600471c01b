//! Prints a large check_transfer-style *reply* envelope to stdout: the input
//! of `ops-cli/bench/whole_process.sh`.
//!
//! `cargo run --release -p opensrs-cli --example gen_reply -- [DOMAINS]`
//! (default 100,000). The reply is action REPLY on object DOMAIN, is_success
//! 1, response_code 200, and its `attributes` hold a `dt_array` of DOMAINS
//! `dt_assoc` items, each with `domain`, `status`, `transferrable` and
//! `reason`. It is laid out as OpenSRS sends replies and as
//! `ops-actions/fixtures/domain/check_transfer/*.xml` are: XML declaration
//! and DOCTYPE on top, one element per line, four spaces per level. The
//! output depends on DOMAINS only: the same bytes on every run.

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
    let domains = match std::env::args().nth(1) {
        None => 100_000,
        Some(a) => match a.parse::<usize>() {
            Ok(n) => n,
            Err(e) => {
                eprintln!("gen_reply: DOMAINS must be a count, got {a:?}: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    let mut out = BufWriter::new(io::stdout().lock());
    match write_reply(&mut out, domains).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_reply: cannot write: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the reply with `domains` entries to `out`.
fn write_reply<W: Write>(out: &mut W, domains: usize) -> io::Result<()> {
    out.write_all(
        b"<?xml version='1.0' encoding=\"UTF-8\" standalone=\"no\"?>
<!DOCTYPE OPS_envelope SYSTEM \"ops.dtd\">
<OPS_envelope>
    <header>
        <version>0.9</version>
    </header>
    <body>
        <data_block>
            <dt_assoc>
                <item key=\"protocol\">XCP</item>
                <item key=\"object\">DOMAIN</item>
                <item key=\"is_success\">1</item>
                <item key=\"response_text\">Query successful</item>
                <item key=\"action\">REPLY</item>
                <item key=\"response_code\">200</item>
                <item key=\"attributes\">
                    <dt_array>
",
    )?;
    const ITEM: &str = "                        ";
    const KEY: &str = "                                ";
    for i in 0..domains {
        let (status, transferrable, reason) = OUTCOMES[i % OUTCOMES.len()];
        let tld = TLDS[i % TLDS.len()];
        writeln!(out, "{ITEM}<item key=\"{i}\">")?;
        writeln!(out, "{ITEM}    <dt_assoc>")?;
        writeln!(out, "{KEY}<item key=\"domain\">domain-{i:06}.{tld}</item>")?;
        writeln!(out, "{KEY}<item key=\"status\">{status}</item>")?;
        writeln!(
            out,
            "{KEY}<item key=\"transferrable\">{transferrable}</item>"
        )?;
        writeln!(out, "{KEY}<item key=\"reason\">{reason}</item>")?;
        writeln!(out, "{ITEM}    </dt_assoc>")?;
        writeln!(out, "{ITEM}</item>")?;
    }
    out.write_all(
        b"                    </dt_array>
                </item>
            </dt_assoc>
        </data_block>
    </body>
</OPS_envelope>
",
    )
}

//! `opensrs demo`: the whole transfer story, told through `opensrs-client`
//! against a sandbox started in this process.
//!
//! Each exchange is printed: the request (secrets redacted), its
//! `X-Signature`, the reply envelope and the typed result. Colour on a
//! terminal, unless `NO_COLOR` is set.

#![allow(deprecated)] // simple_transfer is deprecated by OpenSRS; the story uses it.

use std::fmt::Debug;
use std::io::{IsTerminal, Write};
use std::time::Duration;

use opensrs_actions::domain::{
    CheckTransfer, RegistrantType, ResendTradeApprovalNotice, SendType, SimpleTransfer,
    TransferDomain,
};
use opensrs_actions::{DomainName, transfer};
use opensrs_client::blocking;
use opensrs_core::secret::{REDACTED, is_secret_key};
use opensrs_core::sign::signature;
use opensrs_core::{Command, Value, parse};
use opensrs_sandbox::{Builder, Message, Sandbox};

use crate::error::CliError;

/// Where the demo's clock starts: 2024-06-03 12:00:00 UTC (a fixed time,
/// so that the story prints the same timestamps on every run).
const START: i64 = 1_717_416_000;

/// How the story is printed.
struct Out<W: Write> {
    w: W,
    colour: bool,
}

impl<W: Write> Out<W> {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn heading(&mut self, n: usize, text: &str) -> std::io::Result<()> {
        let line = format!("── {n}. {text} ");
        let pad = "─".repeat(72usize.saturating_sub(line.chars().count()));
        let h = self.paint("1;36", &format!("{line}{pad}"));
        writeln!(self.w, "\n{h}")
    }

    fn label(&mut self, label: &str, text: &str) -> std::io::Result<()> {
        let l = self.paint("1", label);
        writeln!(self.w, "{l} {text}")
    }

    fn block(&mut self, text: &str) -> std::io::Result<()> {
        for line in text.lines() {
            let l = self.paint("2", line);
            writeln!(self.w, "    {l}")?;
        }
        Ok(())
    }

    fn note(&mut self, text: &str) -> std::io::Result<()> {
        let t = self.paint("33", text);
        writeln!(self.w, "  {t}")
    }
}

/// Why the demo stopped.
fn fail(what: impl std::fmt::Display) -> CliError {
    CliError::plain("demo", what.to_string(), "")
}

fn io(e: std::io::Error) -> CliError {
    CliError::io("<stdout>", "cannot write", &e)
}

fn name(s: &str) -> Result<DomainName, CliError> {
    DomainName::new(s).map_err(fail)
}

/// `v` with the value of every secret item replaced by `[redacted]`.
fn redact(v: &Value) -> Value {
    match v {
        Value::Assoc(a) => Value::assoc(a.iter().map(|(k, item)| {
            let value = if is_secret_key(k) {
                Value::from(REDACTED)
            } else {
                redact(&item.value)
            };
            (k.to_owned(), value)
        })),
        Value::Array(a) => Value::array(a.iter().map(|item| redact(&item.value))),
        other => other.clone(),
    }
}

/// An envelope, indented, its secrets redacted.
fn pretty(body: &[u8]) -> String {
    match parse(body) {
        Ok(doc) => {
            let mut owned = doc.to_owned_document();
            owned.value = redact(&owned.value);
            opensrs_core::write_document(&owned, true)
                .unwrap_or_else(|e| format!("<not writable: {e}>"))
        }
        Err(e) => format!("<{} bytes that do not parse: {e}>", body.len()),
    }
}

/// The story: the sandbox, the client, and the steps.
struct Story<W: Write> {
    out: Out<W>,
    sandbox: Sandbox,
    client: blocking::Client,
    step: usize,
    seen: usize,
}

impl<W: Write> Story<W> {
    /// Sends `cmd` through the client and prints the exchange.
    fn exchange<C: Command>(&mut self, title: &str, cmd: &C) -> Result<(), CliError>
    where
        for<'d> C::Response<'d>: Debug,
    {
        self.step += 1;
        self.out.heading(self.step, title).map_err(io)?;
        let body = cmd.encode().map_err(fail)?;
        let sig = signature(body.as_bytes(), self.sandbox.key());
        self.out
            .label(
                "→ POST",
                &format!(
                    "{}  X-Username: {}  X-Signature: {sig}",
                    self.sandbox.url(),
                    self.sandbox.username()
                ),
            )
            .map_err(io)?;
        self.out.block(&pretty(body.as_bytes())).map_err(io)?;
        let raw = self.client.send_envelope(body).map_err(fail)?;
        let status = raw.status();
        self.out
            .label(
                "← reply",
                &format!(
                    "is_success {}, response_code {}: {}",
                    u8::from(status.is_success),
                    status.code.as_u16(),
                    status.text
                ),
            )
            .map_err(io)?;
        self.out.block(&pretty(raw.body())).map_err(io)?;
        let typed = raw
            .decode_with::<C, String>(|r| format!("{r:?}"))
            .map_err(fail)?;
        self.out.label("= typed", &typed).map_err(io)?;
        self.outbox()
    }

    /// A step the sandbox takes itself (the registrant, the clock).
    fn aside(&mut self, title: &str, what: &str) -> Result<(), CliError> {
        self.step += 1;
        self.out.heading(self.step, title).map_err(io)?;
        self.out.note(what).map_err(io)?;
        self.outbox()
    }

    /// Prints the messages the sandbox sent since the last look.
    fn outbox(&mut self) -> Result<(), CliError> {
        let outbox = self.sandbox.outbox();
        for m in outbox.iter().skip(self.seen) {
            let line = describe(m);
            self.out.note(&format!("✉ outbox: {line}")).map_err(io)?;
        }
        self.seen = outbox.len();
        Ok(())
    }
}

fn describe(m: &Message) -> String {
    let channel = match m.channel {
        opensrs_sandbox::Channel::Email => "email",
        opensrs_sandbox::Channel::Sms => "SMS",
    };
    let about = match &m.about {
        opensrs_sandbox::About::TransferApproval { domains, .. } => {
            format!("transfer approval for {}", domains.join(", "))
        }
        opensrs_sandbox::About::TransferApprovalResent { domain, .. } => {
            format!("transfer approval for {domain}, sent again")
        }
        opensrs_sandbox::About::DomainPassword { domain, contact } => {
            format!("password of {domain} ({contact})")
        }
        opensrs_sandbox::About::TradeApproval {
            domain,
            registrant_type,
        } => format!("change of registrant of {domain} ({registrant_type} registrant)"),
    };
    format!("{channel} to {}: {about}", m.to)
}

/// Runs the demo, printing to stdout.
pub(crate) fn run() -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let out = Out {
        w: stdout.lock(),
        colour,
    };
    tell(out)
}

fn tell<W: Write>(mut out: Out<W>) -> Result<(), CliError> {
    let sandbox = Builder::new().start_time(START).start().map_err(fail)?;
    let client = opensrs_client::Client::builder(sandbox.url())
        .username(sandbox.username())
        .key(sandbox.key().clone())
        .build()
        .map_err(fail)?;
    let client = blocking::Client::new(client).map_err(fail)?;
    writeln!(
        out.w,
        "A sandbox OpenSRS is listening on {} (reseller `{}`, a fresh key).\n\
         Alice moves her domains to us with simple_transfer; the sandbox \"sends\"\n\
         its emails and SMS to an outbox, and its clock moves only when told.",
        sandbox.url(),
        sandbox.username()
    )
    .map_err(io)?;
    let mut s = Story {
        out,
        sandbox,
        client,
        step: 0,
        seen: 0,
    };
    let check = |domain: &str, check_status: bool| -> Result<CheckTransfer, CliError> {
        Ok(CheckTransfer {
            domain: name(domain)?,
            check_status: check_status.then_some(true),
            get_request_address: Some(true),
        })
    };

    s.exchange(
        "Can alice-shop.com come to us?",
        &check("alice-shop.com", false)?,
    )?;
    let transfer = SimpleTransfer::new(
        vec![
            TransferDomain::new(name("alice-shop.com")?, "@xMj%[1b"),
            TransferDomain::new(name("alice-blog.com")?, "not-the-code"),
        ],
        Vec::new(),
    )
    .map_err(fail)?;
    s.exchange(
        "simple_transfer: alice-shop.com, and alice-blog.com with a wrong code",
        &transfer,
    )?;
    if let Some(job) = s.sandbox.jobs().last() {
        for d in &job.domains {
            let outcome = match &d.outcome {
                opensrs_sandbox::JobOutcome::Submitted { transfer } => {
                    format!("transfer {transfer} placed")
                }
                opensrs_sandbox::JobOutcome::Failed { reason, .. } => format!("failed: {reason}"),
            };
            s.out
                .note(&format!("job {}: {}: {outcome}", job.id, d.domain))
                .map_err(io)?;
        }
    }
    s.exchange(
        "Where does alice-shop.com stand?",
        &check("alice-shop.com", false)?,
    )?;
    s.exchange(
        "send_password (transfer): the approval email again, to the admin contact",
        &transfer::SendPassword {
            domain_name: name("alice-shop.com")?,
        },
    )?;
    let accepted = s.sandbox.accept("alice").map_err(fail)?;
    s.aside(
        "Alice approves (POST /_sandbox/registrant/alice/accept)",
        &format!("transfers {accepted:?} go to the registry"),
    )?;
    s.exchange(
        "check_transfer with check_status: the registry is asked to hurry",
        &check("alice-shop.com", true)?,
    )?;
    s.sandbox.advance(Duration::from_secs(5 * 60));
    s.aside(
        "Five minutes pass (POST /_sandbox/clock/advance {\"seconds\": 300})",
        "the scheduled completion runs",
    )?;
    s.exchange(
        "Is alice-shop.com ours now?",
        &check("alice-shop.com", false)?,
    )?;
    let notice = ResendTradeApprovalNotice::new(
        name("trade-me.com")?,
        RegistrantType::Current,
        SendType::Sms,
        None,
    )
    .map_err(fail)?;
    s.exchange(
        "trade-me.com is being sold to Carol: the approval notice by SMS to Alice",
        &notice,
    )?;
    s.sandbox.check_invariants().map_err(fail)?;
    writeln!(s.out.w, "\nThe story is over; the sandbox stops.").map_err(io)?;
    s.out.w.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_story_is_told_without_secrets() {
        let mut buf = Vec::new();
        tell(Out {
            w: &mut buf,
            colour: false,
        })
        .expect("the demo runs");
        let text = String::from_utf8(buf).expect("UTF-8");
        for expected in [
            "<item key=\"transferrable\">1</item>",
            "Simple transfer job successfully added",
            "job 1: alice-blog.com: failed: Incorrect authorization code",
            "status: Some(PendingOwner)",
            "email to bob@example.net: transfer approval for alice-shop.com, sent again",
            "Query successful. Transfer scheduled in 5 minutes.",
            "status: Some(PendingRegistry)",
            "status: Some(Completed)",
            "domain_already_belongs_to_current_reseller",
            "SMS message successfully sent to +1.4165550100",
            "SMS to +1.4165550100: change of registrant of trade-me.com (current registrant)",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
        assert!(
            !text.contains("@xMj%[1b") && !text.contains("not-the-code"),
            "{text}"
        );
        assert!(
            text.contains("<item key=\"auth_info\">[redacted]</item>"),
            "{text}"
        );
        assert!(!text.contains('\x1b'), "no colour when asked for none");
    }
}

//! The floor of a quick-xml-based parser, whole process included: the
//! contender of `opensrs decode --check` in `ops-cli/bench/whole_process.sh`.
//!
//! `cargo run --release -p opensrs-core --example quickxml_loop -- FILE`
//! reads FILE (`std::fs::read`), checks that it is UTF-8 (as
//! `opensrs decode` does), then calls quick-xml's `read_event()` until
//! `Eof`, counting the events, and prints the count to stderr. It exits 1,
//! with the error on stderr, if FILE cannot be read, is not UTF-8 or is not
//! well-formed as far as quick-xml's reader checks. Nothing is built from
//! the events: this is what any parser on quick-xml pays before doing
//! anything with them.

use std::process::ExitCode;

use quick_xml::Reader;
use quick_xml::events::Event;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: quickxml_loop FILE");
        return ExitCode::FAILURE;
    };
    let name = path.to_string_lossy().into_owned();
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{name}: cannot read: {e}");
            return ExitCode::FAILURE;
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{name}: not UTF-8: {e}");
            return ExitCode::FAILURE;
        }
    };
    match count_events(text) {
        Ok(n) => {
            eprintln!("{n} events");
            ExitCode::SUCCESS
        }
        Err((at, e)) => {
            eprintln!("{name}: byte {at}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// quick-xml's raw event loop over `text`: the number of events before
/// `Eof`, or the reader's position and error.
fn count_events(text: &str) -> Result<u64, (u64, quick_xml::Error)> {
    let mut reader = Reader::from_str(text);
    let mut n = 0u64;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return Ok(n),
            Ok(_) => n += 1,
            Err(e) => return Err((reader.error_position(), e)),
        }
    }
}

//! Reading the input: a file or stdin, never more than the size limit.

use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;

use opensrs_core::Position;

use crate::error::CliError;

/// The name stdin goes by in messages.
pub(crate) const STDIN_NAME: &str = "<stdin>";

/// The bytes of the input and the name to report errors under.
pub(crate) struct Input {
    pub(crate) name: String,
    pub(crate) bytes: Vec<u8>,
}

/// Reads `path` (stdin when it is absent or `-`), at most `max` bytes.
///
/// One byte more than `max` is read to tell a full input from a too large
/// one; a too large input is an error at the first byte past the limit, and
/// the rest of it is never read.
pub(crate) fn read(path: Option<&PathBuf>, max: usize) -> Result<Input, CliError> {
    let (name, result) = match path {
        Some(p) if p.as_os_str() != "-" => {
            let name = p.display().to_string();
            let result = File::open(p).and_then(|f| {
                // Sized from the file once, rather than grown while reading:
                // a 30 MB envelope would otherwise be copied a dozen times.
                let hint = f.metadata().map_or(0, |m| m.len());
                let hint = usize::try_from(hint).unwrap_or(usize::MAX).min(max);
                read_limited(f, max, hint)
            });
            (name, result)
        }
        _ => (
            STDIN_NAME.to_owned(),
            read_limited(io::stdin().lock(), max, 0),
        ),
    };
    let bytes = result.map_err(|e| CliError::io(&name, "cannot read", &e))?;
    if bytes.len() > max {
        return Err(CliError::at(
            &name,
            Position::locate(&bytes, max),
            format!("input is larger than the limit of {max} bytes"),
            "",
        ));
    }
    Ok(Input { name, bytes })
}

/// Reads at most `max + 1` bytes (one more tells the caller it was too
/// large); `hint` is the expected length, to allocate once.
fn read_limited(r: impl Read, max: usize, hint: usize) -> io::Result<Vec<u8>> {
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    // One byte more than the file, so that `read_to_end` sees the end
    // without growing the buffer.
    let mut buf = Vec::with_capacity(hint.saturating_add(1));
    r.take(limit).read_to_end(&mut buf)?;
    Ok(buf)
}

//! The one error type of the tool, printed as exactly one line on stderr.

use std::fmt;
use std::io;

use opensrs_core::{DecodeError, ParseError, Position};

/// An error that ends the run with exit status 1.
///
/// Printed as `FILE:LINE:COL: message (at KEY.PATH)` when it has a position
/// in the input, as `FILE: message` otherwise (I/O errors); the path part is
/// left out when it is empty.
#[derive(Debug)]
pub(crate) struct CliError {
    /// The input's name: the path as given, or `<stdin>`.
    pub(crate) file: String,
    pub(crate) position: Option<Position>,
    pub(crate) message: String,
    pub(crate) path: String,
}

impl CliError {
    /// An error at `position` in `file`.
    pub(crate) fn at(
        file: &str,
        position: Position,
        message: impl Into<String>,
        path: impl Into<String>,
    ) -> Self {
        CliError {
            file: file.to_owned(),
            position: Some(position),
            message: message.into(),
            path: path.into(),
        }
    }

    /// An error with no position (reading or writing failed).
    pub(crate) fn io(file: &str, what: &str, err: &io::Error) -> Self {
        CliError {
            file: file.to_owned(),
            position: None,
            message: format!("{what}: {err}"),
            path: String::new(),
        }
    }

    /// An error with no position in any input: `NAME: message (at PATH)`.
    /// `name` is what the message is about: a file, or a flag of
    /// `opensrs request`.
    pub(crate) fn plain(name: &str, message: impl Into<String>, path: impl Into<String>) -> Self {
        CliError {
            file: name.to_owned(),
            position: None,
            message: message.into(),
            path: path.into(),
        }
    }

    /// A value of a parsed envelope that does not fit its typed form (or
    /// breaks a rule of its command).
    pub(crate) fn decode(file: &str, err: &DecodeError) -> Self {
        CliError {
            file: file.to_owned(),
            position: err.position(),
            message: err.kind().to_string(),
            path: err.path().to_owned(),
        }
    }

    /// A parse error of the XML input.
    pub(crate) fn parse(file: &str, err: &ParseError) -> Self {
        CliError {
            file: file.to_owned(),
            position: Some(err.position()),
            message: err.kind().to_string(),
            path: err.path().to_owned(),
        }
    }
}

impl fmt::Display for CliError {
    /// One line, whatever the input held: control characters (a newline in
    /// a key, say) are escaped as `\n`, `\u{1}`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut line = self.file.clone();
        if let Some(p) = self.position {
            line.push_str(&format!(":{}:{}", p.line, p.column));
        }
        line.push_str(": ");
        line.push_str(&self.message);
        if !self.path.is_empty() {
            line.push_str(" (at ");
            line.push_str(&self.path);
            line.push(')');
        }
        f.write_str(&one_line(&line))
    }
}

/// Escapes control characters so that `s` prints as a single line.
pub(crate) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // U+2028 / U+2029 are line breaks to some terminals and editors.
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_break_the_line() {
        let e = CliError::at(
            "a\nb.xml",
            Position {
                offset: 0,
                line: 2,
                column: 3,
            },
            "bad\r\u{1}",
            "k\u{2028}",
        );
        assert_eq!(e.to_string(), r"a\nb.xml:2:3: bad\r\u{1} (at k\u{2028})");
    }

    #[test]
    fn io_errors_have_no_position() {
        let err = io::Error::new(io::ErrorKind::NotFound, "gone");
        let e = CliError::io("x.xml", "cannot read", &err);
        assert_eq!(e.to_string(), "x.xml: cannot read: gone");
    }
}

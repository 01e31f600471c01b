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
    /// One line of at most 300 characters, whatever the input held:
    /// control and bidi characters (a newline in a key, say) are escaped as
    /// `\n`, `\u{1}`, `\u{202E}`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use opensrs_core::__private::{bound_path, quote};
        // Each part bounded on its own, so that a long message never hides
        // the path, and a deep path keeps its innermost keys.
        let mut line = quote(&self.file, MAX_NAME);
        if let Some(p) = self.position {
            line.push_str(&format!(":{}:{}", p.line, p.column));
        }
        line.push_str(": ");
        line.push_str(&quote(&self.message, MAX_MESSAGE));
        if !self.path.is_empty() {
            line.push_str(" (at ");
            line.push_str(&bound_path(&self.path));
            line.push(')');
        }
        f.write_str(&one_line(&line))
    }
}

/// The longest line an error prints, in characters: name, message and
/// path each bounded below, and the whole line once more.
const MAX_LINE: usize = 500;
/// The most characters of the input's name a line quotes: a path the user
/// typed, kept whole in practice.
const MAX_NAME: usize = 120;

/// The most characters of the message a line quotes: the library's
/// messages are bounded already (a rule's explanation is up to 240
/// characters, its quoted input 64); this keeps them whole.
const MAX_MESSAGE: usize = 280;

/// `s` as one bounded line: control and bidi characters escaped (`\n`,
/// `\u{1}`, `\u{202E}`), cut to [`MAX_LINE`] characters, by the quoting
/// helper every error of the workspace uses.
pub(crate) fn one_line(s: &str) -> String {
    opensrs_core::__private::quote(s, MAX_LINE - 1)
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
    fn bidi_controls_are_escaped_and_the_line_is_bounded() {
        let e = CliError::plain("f\u{202E}", "x".repeat(1000), "k\u{2066}");
        let line = e.to_string();
        assert_eq!(
            line,
            format!(
                r"f\u{{202E}}: {}… (at k\u{{2066}})",
                "x".repeat(MAX_MESSAGE)
            )
        );
        // A deep path keeps its innermost keys.
        let e = CliError::plain("f", "m", format!("{}last", "k.".repeat(1000)));
        let line = e.to_string();
        assert!(line.ends_with(".k.last)"), "{line}");
        assert!(line.chars().count() < 200, "{line}");
        let e = CliError::plain(&"f".repeat(1000), "m".repeat(1000), "p".repeat(1000));
        assert!(e.to_string().chars().count() <= MAX_LINE, "{e}");
    }

    #[test]
    fn io_errors_have_no_position() {
        let err = io::Error::new(io::ErrorKind::NotFound, "gone");
        let e = CliError::io("x.xml", "cannot read", &err);
        assert_eq!(e.to_string(), "x.xml: cannot read: gone");
    }
}

//! A string that must not leak: the reseller key, auth codes, passwords.
//!
//! The protocol page lists "logging whole requests (with reseller credentials,
//! auth codes and passwords) at debug level" among the mistakes other clients
//! made. [`Secret`] makes that mistake hard to repeat:
//!
//! - its [`Debug`](core::fmt::Debug) prints `Secret("[redacted]")` and its
//!   [`Display`](core::fmt::Display) prints `[redacted]`: never the value, never
//!   its length;
//! - the only way to the value is [`Secret::expose`], a name that is explicit at
//!   the call site and easy to grep for in review;
//! - the heap buffer is overwritten with zeros when the `Secret` is dropped.
//!
//! ```
//! use opensrs_core::secret::Secret;
//!
//! let key = Secret::new("0123456789abcdef");
//! assert_eq!(format!("{key:?}"), r#"Secret("[redacted]")"#);
//! assert_eq!(key.to_string(), "[redacted]");
//! assert_eq!(key.expose(), "0123456789abcdef");
//! ```
//!
//! # Secret keys
//!
//! Values that are not typed (a [`Value`](crate::Value), a
//! [`Node`](crate::Node), the `rest` catch-all of a typed reply) cannot be
//! wrapped in a `Secret`, so they are redacted by key instead:
//! [`SECRET_KEYS`] lists the item keys whose values are secrets, and
//! [`is_secret_key`] tells whether a key is one of them. Every item under
//! such a key (at any depth) is printed as `[redacted]` by the `Debug` of
//! `Value`, `Assoc`, `Array`, `Item` and `Node` and by their serde
//! `Serialize`; and an error whose key path goes through such a key
//! ([`ParseError`](crate::ParseError), [`DecodeError`](crate::DecodeError))
//! quotes `[redacted]` in place of the input's text, keeping its position
//! and path.
//!
//! # Key files
//!
//! [`Secret::from_key_file`] reads a reseller key from the bytes of a key
//! file, the way people keep them (a trailing newline, a BOM), and refuses
//! what would silently become part of the key.

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::Position;

/// The text printed instead of a secret value: by [`Secret`]'s `Debug` and
/// `Display`, for items under a [secret key](SECRET_KEYS), and in errors in
/// place of quoted secret input.
pub const REDACTED: &str = "[redacted]";

/// The item keys whose values are secrets, in lower case.
///
/// - `auth_info`: a domain's authorization (EPP) code, in `simple_transfer`
///   (the `secret` field of `opensrs_actions::domain::TransferDomain`), `sw_register` and
///   `trade_domain` requests;
/// - `domain_auth_info`: the same code as OpenSRS returns it (`get` with
///   type `domain_auth_info`, `check_transfer` replies) and sets it
///   (`modify` with data `domain_auth_info`);
/// - `password`: a password sent or returned in clear (email and user
///   management commands);
/// - `reg_password`: the registrant profile's password (`sw_register`,
///   `set_cookie`, `change` of object `password`);
/// - `key`: the reseller key itself, under whatever structure a caller keeps
///   its credentials in.
///
/// A test of the workspace checks that every `#[xcp(secret)]` field of the
/// commands shipped in `opensrs-actions` is listed here.
pub const SECRET_KEYS: &[&str] = &[
    "auth_info",
    "domain_auth_info",
    "key",
    "password",
    "reg_password",
];

/// Whether the item key `key` holds a secret: it is one of [`SECRET_KEYS`],
/// compared ASCII-case-insensitively (OpenSRS sends keys in lower case;
/// `Auth_Info` is redacted all the same, as erring on that side costs
/// nothing but a hidden value).
///
/// ```
/// use opensrs_core::secret::is_secret_key;
///
/// assert!(is_secret_key("auth_info"));
/// assert!(is_secret_key("DOMAIN_AUTH_INFO"));
/// assert!(!is_secret_key("domain"));
/// assert!(!is_secret_key("auth_info_x"));
/// ```
#[must_use]
pub fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// Whether a key path (`attributes.domain_list[0].auth_info`, as errors
/// report it) goes through a [secret key](is_secret_key): the value it names
/// is a secret, or lies inside one.
///
/// A path is split at every `.`, `[` and `]`; a key that itself holds one of
/// those characters may therefore be read as several segments, which can
/// only make more paths secret, never fewer.
///
/// ```
/// use opensrs_core::secret::path_is_secret;
///
/// assert!(path_is_secret("attributes.domain_list[0].auth_info"));
/// assert!(path_is_secret("attributes.password.x"));
/// assert!(!path_is_secret("attributes.domain_list[0].domain_name"));
/// assert!(!path_is_secret(""));
/// ```
#[must_use]
pub fn path_is_secret(path: &str) -> bool {
    path.split(['.', '[', ']']).any(is_secret_key)
}

/// A secret string (reseller key, auth code, password) that is redacted when
/// formatted and zeroed when dropped.
///
/// # Zeroing
///
/// On drop the `String`'s buffer is overwritten with zeros (through
/// [`zeroize`]). This covers the buffer the `Secret` owns, not copies made
/// before it was created (a `String` that reallocated while it grew, the
/// `&str` that `From<&str>` copies from) nor copies the caller makes of
/// [`expose`](Secret::expose)'s result. Build the value as close to its source
/// as possible, and prefer `From<String>`, which moves the buffer instead of
/// copying it.
///
/// # Equality
///
/// `==` compares the values. Values of different lengths compare unequal at
/// once; values of the same length are compared without an early exit (every
/// byte is looked at), which is "constant-time-ish": it avoids the obvious
/// timing leak of a short-circuiting comparison, but the compiler gives no
/// guarantee, so do not rely on it where timing attacks matter.
///
/// ```
/// use opensrs_core::secret::Secret;
///
/// let a = Secret::from("s3cret");
/// let b = Secret::from(String::from("s3cret"));
/// assert_eq!(a, b);
/// assert_ne!(a, Secret::default());
/// assert_eq!(a.len(), 6);
/// ```
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    ///
    /// ```
    /// use opensrs_core::secret::Secret;
    ///
    /// let auth_code = Secret::new("a%>`[@b");
    /// assert_eq!(auth_code.expose(), "a%>`[@b");
    /// ```
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the value.
    ///
    /// This is the only way to the value: keep what it returns short-lived,
    /// and never log or format it.
    ///
    /// ```
    /// use opensrs_core::secret::Secret;
    ///
    /// let password = Secret::new("hunter2");
    /// assert_eq!(password.expose().as_bytes(), b"hunter2");
    /// ```
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Returns the length of the value in bytes (UTF-8).
    ///
    /// ```
    /// use opensrs_core::secret::Secret;
    ///
    /// assert_eq!(Secret::new("ü").len(), 2);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Returns `true` when the value is the empty string.
    ///
    /// ```
    /// use opensrs_core::secret::Secret;
    ///
    /// assert!(Secret::default().is_empty());
    /// assert!(!Secret::new("x").is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Secret {
    /// Reads a reseller key from the bytes of a key file, the way people
    /// keep them.
    ///
    /// Removed: a UTF-8 byte order mark at the start, and whitespace around
    /// the key (a trailing newline, LF or CR LF, included). Refused, with an
    /// error that says what and where (line, column in characters, byte
    /// offset in the file) and never quotes the key: bytes that are not
    /// UTF-8, a second line, whitespace inside the key, a control character
    /// or an invisible formatting character (zero-width and bidi controls),
    /// and a file with no key at all.
    ///
    /// Real reseller keys are 112 hexadecimal characters, but this is not
    /// checked: test environments hand out keys of other forms, and a wrong
    /// key is answered by OpenSRS itself. No file is read here: the caller
    /// reads the bytes (and should zero its buffer afterwards).
    ///
    /// ```
    /// use opensrs_core::secret::{KeyFileError, Secret};
    ///
    /// let key = Secret::from_key_file(b"\xEF\xBB\xBF0123abcd\r\n")?;
    /// assert_eq!(key.expose(), "0123abcd");
    ///
    /// let err = Secret::from_key_file(b"0123abcd\nsecond").unwrap_err();
    /// assert!(matches!(err, KeyFileError::SecondLine { .. }));
    /// assert_eq!(err.to_string(),
    ///     "the key file has a second line (line break at 1:9, byte 8): it must hold the key alone");
    /// # Ok::<(), KeyFileError>(())
    /// ```
    pub fn from_key_file(bytes: &[u8]) -> Result<Secret, KeyFileError> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        let skip = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
        let body = &bytes[skip..];
        // Positions are reported in the file as given (the BOM counts in
        // byte offsets), lines and columns in the text after the BOM.
        let at = |i: usize| {
            let p = Position::locate(body, i);
            Position {
                offset: i + skip,
                ..p
            }
        };
        let text = core::str::from_utf8(body).map_err(|e| KeyFileError::NotUtf8 {
            position: at(e.valid_up_to()),
        })?;
        let start = text.len() - text.trim_start().len();
        let key = text.trim();
        if key.is_empty() {
            return Err(KeyFileError::Empty);
        }
        for (i, c) in key.char_indices() {
            let position = at(start + i);
            if matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
                return Err(KeyFileError::SecondLine { position });
            }
            if c.is_whitespace() {
                return Err(KeyFileError::Whitespace {
                    position,
                    code_point: u32::from(c),
                });
            }
            if c.is_control() || is_invisible_format(c) {
                return Err(KeyFileError::ControlChar {
                    position,
                    code_point: u32::from(c),
                });
            }
        }
        Ok(Secret::from(key))
    }
}

/// Zero-width characters, bidi controls and the BOM: invisible in an
/// editor, yet part of a key if kept.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

/// Why a key file was refused by [`Secret::from_key_file`]. No variant holds
/// any of the key; the code points named are whitespace, control or
/// formatting characters, which a key never contains.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyFileError {
    /// The file holds nothing but whitespace (or nothing at all).
    #[error("the key file holds no key (it is empty or only whitespace)")]
    Empty,
    /// The file is not UTF-8 text.
    #[error("the key file is not UTF-8 text (invalid byte at {position}, byte {})", position.offset)]
    NotUtf8 {
        /// Where the first invalid byte is.
        position: Position,
    },
    /// A line break after the key's first character, before its last: the
    /// file has a second line.
    #[error("the key file has a second line (line break at {position}, byte {}): it must hold the key alone", position.offset)]
    SecondLine {
        /// Where the line break is.
        position: Position,
    },
    /// Whitespace inside the key.
    #[error("the key holds whitespace U+{code_point:04X} at {position} (byte {}): a key is one word", position.offset)]
    Whitespace {
        /// Where the whitespace is.
        position: Position,
        /// Which whitespace character it is.
        code_point: u32,
    },
    /// A control character, or an invisible formatting character
    /// (zero-width, bidi control, BOM), inside the key.
    #[error("the key holds control character U+{code_point:04X} at {position} (byte {})", position.offset)]
    ControlChar {
        /// Where the character is.
        position: Position,
        /// Which character it is.
        code_point: u32,
    },
}

impl From<String> for Secret {
    /// Wraps `value`, taking over its buffer (no copy is made).
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    /// Copies `value` into a new buffer that the `Secret` owns.
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    /// Prints `Secret("[redacted]")`: never the value, never its length.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Secret").field(&REDACTED).finish()
    }
}

impl fmt::Display for Secret {
    /// Prints `[redacted]`: never the value, never its length.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl PartialEq for Secret {
    /// Compares the values; see [the type's docs](Secret#equality).
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl Eq for Secret {}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for Secret {}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUE: &str = "Zq7-DISTINCTIVE-s3cr3t-VALUE-9xK";

    #[test]
    fn debug_never_shows_value() {
        let s = Secret::new(VALUE);
        let debug = format!("{s:?}");
        assert_eq!(debug, r#"Secret("[redacted]")"#);
        assert!(!debug.contains(VALUE));
        assert!(!debug.contains("DISTINCTIVE"));
        let pretty = format!("{s:#?}");
        assert!(!pretty.contains("DISTINCTIVE"));
    }

    #[test]
    fn display_never_shows_value() {
        let s = Secret::new(VALUE);
        assert_eq!(s.to_string(), "[redacted]");
        assert!(!format!("{s}").contains("DISTINCTIVE"));
        assert!(!format!("{s:>80}").contains("DISTINCTIVE"));
    }

    #[test]
    fn formatting_does_not_reveal_length() {
        let short = Secret::new("a");
        let long = Secret::new("a".repeat(1000));
        assert_eq!(format!("{short:?}"), format!("{long:?}"));
        assert_eq!(format!("{short}"), format!("{long}"));
        assert!(!format!("{long:?}").contains("1000"));
    }

    #[test]
    fn nested_debug_is_redacted() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Credentials {
            user: &'static str,
            key: Secret,
        }
        let c = Credentials {
            user: "reseller",
            key: Secret::new(VALUE),
        };
        let debug = format!("{c:?}");
        assert!(debug.contains("reseller"));
        assert!(!debug.contains("DISTINCTIVE"));
    }

    #[test]
    fn expose_returns_value() {
        assert_eq!(Secret::new(VALUE).expose(), VALUE);
        assert_eq!(Secret::from(VALUE).expose(), VALUE);
        assert_eq!(Secret::from(VALUE.to_owned()).expose(), VALUE);
        assert_eq!(Secret::new("Zürich ✓").expose(), "Zürich ✓");
    }

    #[test]
    fn len_and_is_empty_count_bytes() {
        let s = Secret::new("Zürich ✓");
        assert_eq!(s.len(), "Zürich ✓".len());
        assert_eq!(s.len(), 11);
        assert!(!s.is_empty());
        assert!(Secret::default().is_empty());
        assert_eq!(Secret::default().len(), 0);
        assert!(Secret::new("").is_empty());
    }

    #[test]
    fn equality_compares_values() {
        assert_eq!(Secret::new(VALUE), Secret::from(VALUE));
        assert_ne!(Secret::new("abc"), Secret::new("abd"));
        assert_ne!(Secret::new("abc"), Secret::new("abcd"));
        assert_ne!(Secret::new("abc"), Secret::new("ab"));
        assert_eq!(Secret::default(), Secret::new(""));
    }

    #[test]
    fn clone_is_independent_and_equal() {
        let a = Secret::new(VALUE);
        let b = a.clone();
        drop(a);
        assert_eq!(b.expose(), VALUE);
    }

    #[test]
    fn zeroize_clears_value() {
        // What `Drop` does, observed without reading freed memory.
        let mut s = Secret::new(VALUE);
        s.0.zeroize();
        assert!(s.is_empty());
    }

    fn key_file(bytes: &[u8]) -> Result<String, KeyFileError> {
        Secret::from_key_file(bytes).map(|k| k.expose().to_owned())
    }

    fn pos(offset: usize, line: u32, column: u32) -> Position {
        Position {
            offset,
            line,
            column,
        }
    }

    #[test]
    fn key_file_as_people_keep_them() {
        for bytes in [
            &b"KEY-1234"[..],
            b"KEY-1234\n",
            b"KEY-1234\r\n",
            b"\xEF\xBB\xBFKEY-1234\r\n",
            b"\xEF\xBB\xBF  KEY-1234  \n\n",
            b"\n\t KEY-1234\r\n\r\n",
        ] {
            assert_eq!(key_file(bytes).as_deref(), Ok("KEY-1234"), "{bytes:?}");
        }
        // Not required to be 112 hex characters.
        assert_eq!(key_file("clé✓\n".as_bytes()).as_deref(), Ok("clé✓"));
    }

    #[test]
    fn key_file_refusals_name_the_problem_and_never_the_key() {
        let cases: [(&[u8], KeyFileError, &str); 9] = [
            (
                b"",
                KeyFileError::Empty,
                "the key file holds no key (it is empty or only whitespace)",
            ),
            (
                b"\xEF\xBB\xBF \r\n",
                KeyFileError::Empty,
                "the key file holds no key (it is empty or only whitespace)",
            ),
            (
                b"DISTINCTIVE\nKEY2",
                KeyFileError::SecondLine {
                    position: pos(11, 1, 12),
                },
                "the key file has a second line (line break at 1:12, byte 11): it must hold the key alone",
            ),
            (
                b"\xEF\xBB\xBFDISTINCTIVE\r\nKEY2\r\n",
                KeyFileError::SecondLine {
                    position: pos(14, 1, 12),
                },
                "the key file has a second line (line break at 1:12, byte 14): it must hold the key alone",
            ),
            (
                b"\n\nDISTINCTIVE KEY",
                KeyFileError::Whitespace {
                    position: pos(13, 3, 12),
                    code_point: 0x20,
                },
                "the key holds whitespace U+0020 at 3:12 (byte 13): a key is one word",
            ),
            (
                b"DISTINCTIVE\tKEY",
                KeyFileError::Whitespace {
                    position: pos(11, 1, 12),
                    code_point: 9,
                },
                "the key holds whitespace U+0009 at 1:12 (byte 11): a key is one word",
            ),
            (
                b"DISTINCTIVE\x1bKEY",
                KeyFileError::ControlChar {
                    position: pos(11, 1, 12),
                    code_point: 0x1b,
                },
                "the key holds control character U+001B at 1:12 (byte 11)",
            ),
            (
                "DISTINCTIVE\u{200B}KEY".as_bytes(),
                KeyFileError::ControlChar {
                    position: pos(11, 1, 12),
                    code_point: 0x200b,
                },
                "the key holds control character U+200B at 1:12 (byte 11)",
            ),
            (
                b"DISTINCTIVE\xffKEY",
                KeyFileError::NotUtf8 {
                    position: pos(11, 1, 12),
                },
                "the key file is not UTF-8 text (invalid byte at 1:12, byte 11)",
            ),
        ];
        for (bytes, expected, message) in cases {
            let err = Secret::from_key_file(bytes).unwrap_err();
            assert_eq!(err, expected, "{bytes:?}");
            assert_eq!(err.to_string(), message, "{bytes:?}");
            let debug = format!("{err:?}");
            assert!(
                !debug.contains("DISTINCTIVE") && !debug.contains("KEY"),
                "{debug}"
            );
        }
    }

    #[test]
    fn secret_keys_are_lower_case_and_matched_in_any_case() {
        for k in SECRET_KEYS {
            assert_eq!(*k, k.to_ascii_lowercase());
            assert!(is_secret_key(k));
            assert!(is_secret_key(&k.to_ascii_uppercase()));
        }
        assert!(!is_secret_key(""));
        assert!(!is_secret_key("domain"));
        assert!(!is_secret_key("keys"));
        assert!(path_is_secret("auth_info"));
        assert!(path_is_secret("[2].password"));
        assert!(path_is_secret("a.Reg_Password.b[0]"));
        assert!(!path_is_secret("attributes.domain_list[0]"));
    }

    #[test]
    fn is_zeroize_on_drop() {
        fn assert_zod<T: ZeroizeOnDrop>() {}
        assert_zod::<Secret>();
    }
}

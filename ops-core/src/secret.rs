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

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// The text that [`Secret`]'s `Debug` and `Display` print instead of the value.
const REDACTED: &str = "[redacted]";

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

    #[test]
    fn is_zeroize_on_drop() {
        fn assert_zod<T: ZeroizeOnDrop>() {}
        assert_zod::<Secret>();
    }
}

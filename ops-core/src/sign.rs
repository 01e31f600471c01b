//! Request signing and the HTTP headers of an XCP request.
//!
//! OpenSRS authenticates a request by the `X-Signature` header:
//!
//! ```text
//! md5_hex(md5_hex(body_bytes ++ key) ++ key)
//! ```
//!
//! where `body_bytes` are exactly the bytes sent as the HTTP body, `key` is the
//! reseller key's UTF-8 bytes, `++` is concatenation and `md5_hex` is the MD5
//! digest as 32 lowercase hex characters. Two mistakes of other clients are
//! ruled out here by construction: the body is taken as bytes (never
//! characters), and a digest is always 32 characters (leading zero nibbles are
//! kept).
//!
//! ```
//! use opensrs_core::secret::Secret;
//! use opensrs_core::sign::{md5_hex, request_headers, signature};
//!
//! // The check vector from the OpenSRS documentation.
//! assert_eq!(md5_hex(b"ConnecttoOpenSRSviaSSL"), "e787cc1d1951dfec4827cede7b1a0933");
//!
//! let key = Secret::new("0123456789abcdef");
//! let body = "<OPS_envelope>…</OPS_envelope>".as_bytes();
//! let sig = signature(body, &key);
//! assert_eq!(sig.as_str().len(), 32);
//!
//! let headers = request_headers("reseller", body, &key);
//! assert_eq!(headers.signature(), &sig);
//! for (name, value) in headers.iter() {
//!     // http_request.header(name, value);
//!     # let _ = (name, value);
//! }
//! ```

use core::fmt;

use md5::{Digest, Md5};
use zeroize::Zeroize;

use crate::secret::Secret;

/// Name of the header carrying the media type: `Content-Type`.
pub const CONTENT_TYPE: &str = "Content-Type";
/// Name of the header carrying the reseller username: `X-Username`.
pub const X_USERNAME: &str = "X-Username";
/// Name of the header carrying the request signature: `X-Signature`.
pub const X_SIGNATURE: &str = "X-Signature";
/// Name of the header carrying the body length in bytes: `Content-Length`.
pub const CONTENT_LENGTH: &str = "Content-Length";
/// The media type of an XCP request body: `text/xml`.
pub const TEXT_XML: &str = "text/xml";

/// Lowercase hex digits, indexed by nibble value.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// An MD5 digest as exactly 32 lowercase hex characters: a request signature
/// (see [`signature`]) or any [`md5_hex`] result.
///
/// It is not secret (it travels in the `X-Signature` header), so its `Debug`
/// and `Display` print it. Compare it with a `&str` or `str` directly.
///
/// ```
/// use opensrs_core::sign::md5_hex;
///
/// let digest = md5_hex(b"");
/// assert_eq!(digest, "d41d8cd98f00b204e9800998ecf8427e");
/// assert_eq!(digest.to_string(), "d41d8cd98f00b204e9800998ecf8427e");
/// assert_eq!(format!("{digest:?}"), r#"Signature("d41d8cd98f00b204e9800998ecf8427e")"#);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature([u8; 32]);

impl Signature {
    /// Hex-encodes a 16-byte digest, two lowercase characters per byte,
    /// high nibble first.
    fn from_digest(digest: &[u8; 16]) -> Self {
        let mut hex = [0u8; 32];
        for (pair, byte) in hex.chunks_exact_mut(2).zip(digest) {
            pair[0] = HEX[usize::from(byte >> 4)];
            pair[1] = HEX[usize::from(byte & 0x0f)];
        }
        Self(hex)
    }

    /// Returns the 32 lowercase hex characters.
    ///
    /// ```
    /// use opensrs_core::sign::md5_hex;
    ///
    /// assert_eq!(md5_hex(b"abc").as_str(), "900150983cd24fb0d6963f7d28e17f72");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Built only by `from_digest`, which writes ASCII hex digits, so
        // this never falls back.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Returns the 32 lowercase hex characters as bytes.
    ///
    /// ```
    /// use opensrs_core::sign::md5_hex;
    ///
    /// assert_eq!(md5_hex(b"abc").as_bytes(), b"900150983cd24fb0d6963f7d28e17f72");
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for Signature {
    /// Prints the 32 lowercase hex characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for Signature {
    /// Prints `Signature("<32 hex characters>")`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Signature").field(&self.as_str()).finish()
    }
}

impl AsRef<str> for Signature {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Signature {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Signature {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Signature> for str {
    fn eq(&self, other: &Signature) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Signature> for &str {
    fn eq(&self, other: &Signature) -> bool {
        *self == other.as_str()
    }
}

/// Returns the MD5 digest of `bytes` as 32 lowercase hex characters.
///
/// The result is a [`Signature`] because that is the type of a hex MD5
/// digest in this crate; it is always 32 characters, leading zeros included.
///
/// ```
/// use opensrs_core::sign::md5_hex;
///
/// assert_eq!(md5_hex(b"ConnecttoOpenSRSviaSSL"), "e787cc1d1951dfec4827cede7b1a0933");
/// // A digest whose first byte is zero keeps its leading "00".
/// assert_eq!(md5_hex(b"x83"), "00832731e98c486829fc618e71d0b60b");
/// ```
#[must_use]
pub fn md5_hex(bytes: &[u8]) -> Signature {
    let digest: [u8; 16] = Md5::digest(bytes).into();
    Signature::from_digest(&digest)
}

/// Signs a request body: `md5_hex(md5_hex(body ++ key) ++ key)`.
///
/// `body` must be exactly the bytes that are sent; the key is used as its
/// UTF-8 bytes. The concatenations are fed to the hasher piece by piece, so no
/// copy of the key is made; the intermediate hex digest is zeroed after use.
/// (The MD5 state itself, which briefly buffers key bytes, is not zeroed:
/// that needs the `md-5` crate's `zeroize` feature.)
///
/// ```
/// use opensrs_core::secret::Secret;
/// use opensrs_core::sign::signature;
///
/// let key = Secret::new("0123456789abcdef");
/// let sig = signature(b"<OPS_envelope/>", &key);
/// assert_eq!(sig.as_str().len(), 32);
/// assert!(sig.as_str().bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
/// ```
#[must_use]
pub fn signature(body: &[u8], key: &Secret) -> Signature {
    let key = key.expose().as_bytes();
    let inner: [u8; 16] = Md5::new()
        .chain_update(body)
        .chain_update(key)
        .finalize()
        .into();
    let mut inner_hex = Signature::from_digest(&inner);
    let outer: [u8; 16] = Md5::new()
        .chain_update(inner_hex.as_bytes())
        .chain_update(key)
        .finalize()
        .into();
    inner_hex.0.zeroize();
    Signature::from_digest(&outer)
}

/// The four HTTP headers of an XCP request, in the order OpenSRS documents
/// them: `Content-Type`, `X-Username`, `X-Signature`, `Content-Length`.
///
/// Built by [`request_headers`]. It does not hold the key, so its `Debug` is
/// safe to log.
///
/// ```
/// use opensrs_core::secret::Secret;
/// use opensrs_core::sign::request_headers;
///
/// let key = Secret::new("0123456789abcdef");
/// let body = "<item key=\"city\">Zürich</item>".as_bytes();
/// let headers = request_headers("reseller", body, &key);
///
/// let names: Vec<&str> = headers.iter().map(|(name, _)| name).collect();
/// assert_eq!(names, ["Content-Type", "X-Username", "X-Signature", "Content-Length"]);
/// assert_eq!(headers.content_type(), "text/xml");
/// assert_eq!(headers.username(), "reseller");
/// assert_eq!(headers.content_length(), body.len()); // bytes, not characters
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct RequestHeaders {
    username: String,
    signature: Signature,
    content_length: usize,
    /// `content_length` in decimal, so that [`RequestHeaders::iter`] can lend it.
    content_length_text: String,
}

impl RequestHeaders {
    /// Returns the `Content-Type` value: always `text/xml`.
    #[must_use]
    pub fn content_type(&self) -> &'static str {
        TEXT_XML
    }

    /// Returns the `X-Username` value: the reseller username, as given.
    #[must_use]
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Returns the `X-Signature` value.
    #[must_use]
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Returns the `Content-Length` value: the length of the body in bytes.
    #[must_use]
    pub fn content_length(&self) -> usize {
        self.content_length
    }

    /// Returns the `(name, value)` pairs in the order `Content-Type`,
    /// `X-Username`, `X-Signature`, `Content-Length`, ready to be applied to
    /// an HTTP request.
    ///
    /// ```
    /// use opensrs_core::secret::Secret;
    /// use opensrs_core::sign::request_headers;
    ///
    /// let headers = request_headers("reseller", b"", &Secret::new("k"));
    /// let pairs: Vec<(&str, &str)> = headers.iter().collect();
    /// assert_eq!(pairs[0], ("Content-Type", "text/xml"));
    /// assert_eq!(pairs[1], ("X-Username", "reseller"));
    /// assert_eq!(pairs[2], ("X-Signature", headers.signature().as_str()));
    /// assert_eq!(pairs[3], ("Content-Length", "0"));
    /// ```
    #[must_use]
    pub fn iter(&self) -> core::array::IntoIter<(&'static str, &str), 4> {
        [
            (CONTENT_TYPE, TEXT_XML),
            (X_USERNAME, self.username.as_str()),
            (X_SIGNATURE, self.signature.as_str()),
            (CONTENT_LENGTH, self.content_length_text.as_str()),
        ]
        .into_iter()
    }
}

impl<'a> IntoIterator for &'a RequestHeaders {
    type Item = (&'static str, &'a str);
    type IntoIter = core::array::IntoIter<(&'static str, &'a str), 4>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl fmt::Debug for RequestHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestHeaders")
            .field("content_type", &TEXT_XML)
            .field("username", &self.username)
            .field("signature", &self.signature)
            .field("content_length", &self.content_length)
            .finish()
    }
}

/// Builds the headers of a request that sends `body`, signed with `key`, on
/// behalf of reseller `username`.
///
/// `Content-Length` is `body.len()`: bytes, not characters. `username` is
/// copied as given; HTTP clients reject header values with control characters
/// such as CR or LF, and so should the caller before it gets here.
///
/// ```
/// use opensrs_core::secret::Secret;
/// use opensrs_core::sign::{request_headers, signature};
///
/// let key = Secret::new("0123456789abcdef");
/// let body = "✓".as_bytes();
/// let headers = request_headers("reseller", body, &key);
/// assert_eq!(headers.content_length(), 3);
/// assert_eq!(headers.signature(), &signature(body, &key));
/// assert!(!format!("{headers:?}").contains("0123456789abcdef"));
/// ```
#[must_use]
pub fn request_headers(username: &str, body: &[u8], key: &Secret) -> RequestHeaders {
    RequestHeaders {
        username: username.to_owned(),
        signature: signature(body, key),
        content_length: body.len(),
        content_length_text: body.len().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 112-hex-character key, like real reseller keys.
    const KEY: &str = "3e56c6c9666db45af47647a8683f65805f6b5241b1b60dd250f7d589dc925ae6\
                       f69ed855a1cd5764aef3f395a3759d0da628bd425072ae73";

    const ASCII_BODY: &str = "<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\
                              <OPS_envelope><header><version>0.9</version></header></OPS_envelope>";

    const NON_ASCII_BODY: &str = "<item key=\"n\">Zürich ✓</item>";

    fn key() -> Secret {
        Secret::new(KEY)
    }

    fn is_lower_hex_32(s: &str) -> bool {
        s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }

    #[test]
    fn key_is_112_hex_chars() {
        assert_eq!(KEY.len(), 112);
        assert!(KEY.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn md5_hex_check_vector() {
        assert_eq!(
            md5_hex(b"ConnecttoOpenSRSviaSSL"),
            "e787cc1d1951dfec4827cede7b1a0933"
        );
    }

    #[test]
    fn md5_hex_known_values() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
    }

    #[test]
    fn md5_hex_keeps_leading_zeros() {
        let digest = md5_hex(b"x83");
        assert_eq!(digest, "00832731e98c486829fc618e71d0b60b");
        assert_eq!(digest.as_str().len(), 32);
    }

    #[test]
    fn hex_encoding_of_every_byte() {
        let mut digest = [0u8; 16];
        for high in 0u8..16 {
            for (i, d) in digest.iter_mut().enumerate() {
                *d = high * 16 + u8::try_from(i).unwrap();
            }
            let hex = Signature::from_digest(&digest);
            let expected: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(hex.as_str(), expected);
        }
    }

    // Vectors computed independently with Python's hashlib:
    //   m = lambda b: hashlib.md5(b).hexdigest()
    //   sig = lambda body, key: m(m(body + key.encode()).encode() + key.encode())

    #[test]
    fn signature_ascii_body() {
        assert_eq!(
            signature(ASCII_BODY.as_bytes(), &key()),
            "50c8bac3b0ae1dc4ce4d4914a2ea6963"
        );
    }

    #[test]
    fn signature_non_ascii_body_signs_utf8_bytes() {
        assert_eq!(
            signature(NON_ASCII_BODY.as_bytes(), &key()),
            "cb76e985e50d3e3bdf9d041c49563f1e"
        );
    }

    #[test]
    fn signature_empty_body() {
        assert_eq!(signature(b"", &key()), "f16d0b2f1ee2aac86fd6d7a31456c80b");
    }

    #[test]
    fn signature_with_leading_zero_digest_is_32_chars() {
        // The final digest starts with two zero nibbles.
        let sig = signature(b"body 111", &key());
        assert_eq!(sig, "007e5f64db8d0ac2f3db8972fb0e4045");
        assert_eq!(sig.as_str().len(), 32);
        assert_eq!(sig.to_string().len(), 32);
    }

    #[test]
    fn signature_with_leading_zero_inner_digest() {
        // The inner digest md5_hex(body ++ key) is 007ce2fec15a8591400fb5e5024989e8:
        // dropping its leading zeros would change the outer digest.
        let inner = md5_hex(&[b"body 96".as_slice(), KEY.as_bytes()].concat());
        assert_eq!(inner, "007ce2fec15a8591400fb5e5024989e8");
        assert_eq!(
            signature(b"body 96", &key()),
            "479e37abbfda15c1f005777485bf557d"
        );
    }

    #[test]
    fn signature_matches_the_formula() {
        let body = NON_ASCII_BODY.as_bytes();
        let inner = md5_hex(&[body, KEY.as_bytes()].concat());
        let outer = md5_hex(&[inner.as_bytes().as_slice(), KEY.as_bytes()].concat());
        assert_eq!(signature(body, &key()), outer);
    }

    #[test]
    fn signature_is_always_lower_hex_32() {
        for i in 0..512 {
            let body = format!("body {i}");
            let sig = signature(body.as_bytes(), &key());
            assert!(is_lower_hex_32(sig.as_str()), "{sig}");
        }
    }

    #[test]
    fn signature_depends_on_key() {
        let body = ASCII_BODY.as_bytes();
        assert_ne!(
            signature(body, &key()),
            signature(body, &Secret::new("other"))
        );
    }

    #[test]
    fn signature_comparisons_and_formatting() {
        let sig = md5_hex(b"");
        let hex = "d41d8cd98f00b204e9800998ecf8427e";
        assert!(sig == hex);
        assert!(hex == sig);
        assert!(sig == *hex);
        assert!(*hex == sig);
        assert_eq!(sig.as_ref(), hex);
        assert_eq!(sig.as_bytes(), hex.as_bytes());
        assert_eq!(format!("{sig}"), hex);
        assert_eq!(format!("{sig:?}"), format!("Signature(\"{hex}\")"));
        assert_ne!(sig, "D41D8CD98F00B204E9800998ECF8427E");
    }

    #[test]
    fn headers_in_order() {
        let body = ASCII_BODY.as_bytes();
        let headers = request_headers("reseller", body, &key());
        let pairs: Vec<(&str, &str)> = headers.iter().collect();
        assert_eq!(
            pairs,
            [
                ("Content-Type", "text/xml"),
                ("X-Username", "reseller"),
                ("X-Signature", "50c8bac3b0ae1dc4ce4d4914a2ea6963"),
                ("Content-Length", body.len().to_string().as_str()),
            ]
        );
        let via_into_iter: Vec<(&str, &str)> = (&headers).into_iter().collect();
        assert_eq!(pairs, via_into_iter);
        assert_eq!(headers.iter().len(), 4);
    }

    #[test]
    fn headers_accessors() {
        let body = ASCII_BODY.as_bytes();
        let headers = request_headers("reseller", body, &key());
        assert_eq!(headers.content_type(), "text/xml");
        assert_eq!(headers.username(), "reseller");
        assert_eq!(headers.signature(), &signature(body, &key()));
        assert_eq!(headers.content_length(), body.len());
    }

    #[test]
    fn content_length_counts_bytes_not_chars() {
        let body = NON_ASCII_BODY.as_bytes();
        assert_eq!(NON_ASCII_BODY.chars().count(), 29);
        assert_eq!(body.len(), 32);
        let headers = request_headers("reseller", body, &key());
        assert_eq!(headers.content_length(), 32);
        assert!(headers.iter().any(|pair| pair == ("Content-Length", "32")));
        assert_eq!(headers.signature(), "cb76e985e50d3e3bdf9d041c49563f1e");
    }

    #[test]
    fn empty_body_headers() {
        let headers = request_headers("reseller", b"", &key());
        assert_eq!(headers.content_length(), 0);
        assert!(headers.iter().any(|pair| pair == ("Content-Length", "0")));
        assert_eq!(headers.signature(), "f16d0b2f1ee2aac86fd6d7a31456c80b");
    }

    #[test]
    fn headers_debug_does_not_reveal_key() {
        let headers = request_headers("reseller", ASCII_BODY.as_bytes(), &key());
        let debug = format!("{headers:?}");
        assert!(!debug.contains(KEY));
        assert!(!debug.contains(&KEY[..16]));
        assert!(debug.contains("reseller"));
        assert!(debug.contains("50c8bac3b0ae1dc4ce4d4914a2ea6963"));
    }
}

//! `opensrs sign --key-file FILE [BODY|-]`: the `X-Signature` of a request
//! body, `md5_hex(md5_hex(body ++ key) ++ key)`, over the body's bytes
//! exactly as read (a trailing newline is part of the body).
//!
//! The key file holds the reseller key, read by
//! [`Secret::from_key_file`]: a BOM and whitespace around the key (a trailing
//! newline) are removed; a second line, whitespace or control characters
//! inside the key are refused. The key lives in a [`Secret`] (redacted when formatted, zeroed when
//! dropped), and so does the buffer it is read into: no message ever shows
//! any of it.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use opensrs_core::secret::Secret;
use zeroize::Zeroizing;

use crate::error::CliError;

/// The largest key file read, in bytes (a reseller key is 112 characters).
pub(crate) const MAX_KEY_FILE: usize = 64 << 10;

/// Reads the key in `path` (see [`Secret::from_key_file`]).
pub(crate) fn read_key(path: &Path) -> Result<Secret, CliError> {
    let name = path.display().to_string();
    let mut file = File::open(path).map_err(|e| CliError::io(&name, "cannot read", &e))?;
    // Room for the whole file up front, so that the buffer is never
    // reallocated (a reallocation would leave a copy of the key behind).
    let len = file
        .metadata()
        .ok()
        .and_then(|m| usize::try_from(m.len()).ok())
        .unwrap_or(0)
        .min(MAX_KEY_FILE);
    let mut buf = Zeroizing::new(Vec::with_capacity(len + 1));
    let limit = u64::try_from(MAX_KEY_FILE).unwrap_or(u64::MAX) + 1;
    (&mut file)
        .take(limit)
        .read_to_end(&mut buf)
        .map_err(|e| CliError::io(&name, "cannot read", &e))?;
    if buf.len() > MAX_KEY_FILE {
        return Err(CliError::plain(
            &name,
            format!("key file is larger than {MAX_KEY_FILE} bytes"),
            "",
        ));
    }
    Secret::from_key_file(&buf).map_err(|e| CliError::plain(&name, e.to_string(), ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_trimmed_and_never_shown() {
        let dir = std::env::temp_dir().join(format!("xcp-sign-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("key");
        std::fs::write(&path, "\u{FEFF} \tsEcReT-kEy \r\n\n").unwrap();
        let key = read_key(&path).unwrap();
        assert_eq!(key.expose(), "sEcReT-kEy");
        assert!(!format!("{key:?} {key}").contains("kEy"));
        std::fs::write(&path, "\n \n").unwrap();
        let e = read_key(&path).unwrap_err().to_string();
        assert!(
            e.ends_with(": the key file holds no key (it is empty or only whitespace)"),
            "{e}"
        );
        std::fs::write(&path, b"k\xffy").unwrap();
        let e = read_key(&path).unwrap_err().to_string();
        assert!(
            e.ends_with(": the key file is not UTF-8 text (invalid byte at 1:2, byte 1)"),
            "{e}"
        );
        std::fs::write(&path, "sEcReT\nkEy\n").unwrap();
        let e = read_key(&path).unwrap_err().to_string();
        assert!(e.contains("second line"), "{e}");
        assert!(!e.contains("kEy") && !e.contains("sEcReT"), "{e}");
        std::fs::write(&path, vec![b'k'; MAX_KEY_FILE + 1]).unwrap();
        let e = read_key(&path).unwrap_err().to_string();
        assert!(e.ends_with(": key file is larger than 65536 bytes"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! Lexical helpers of the parser: XML 1.0 characters and names, the
//! forbidden-character scan, references, line ends, dt_array indices, and
//! the quoting of input in errors. Nothing here uses quick-xml.

use crate::error::ParseErrorKind as E;

/// `s` quoted for an error: at most [`MAX_QUOTE`](crate::error::MAX_QUOTE)
/// characters, escaped (the one helper, [`crate::error::quote`]).
pub(crate) fn excerpt(s: &str) -> String {
    crate::error::quote(s, crate::error::MAX_QUOTE)
}

/// Whether `s` is an XML 1.0 Name (production 5).
pub(super) fn is_name(s: &str) -> bool {
    fn start(c: char) -> bool {
        matches!(c, ':' | 'A'..='Z' | '_' | 'a'..='z'
            | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
            | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
            | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
            | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
    }
    let mut chars = s.chars();
    chars.next().is_some_and(start)
        && chars.all(|c| {
            start(c)
                || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}'
                    | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
        })
}

/// Whether `c` is a character XML 1.0 allows.
pub(super) fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Finds the first character XML 1.0 forbids in valid UTF-8: a C0 control
/// other than tab, LF and CR, or U+FFFE / U+FFFF (`EF BF BE` / `EF BF BF`).
/// A branch-free test per byte, OR-ed over a 64-byte block, which LLVM turns
/// into vector compares; a block with a hit is rescanned exactly.
pub(super) fn find_forbidden(b: &[u8]) -> Option<usize> {
    let mut base = 0;
    for chunk in b.chunks_exact(64) {
        let mut acc = 0u8;
        for &x in chunk {
            let ctrl = (x < 0x20) & (x != b'\t') & (x != b'\n') & (x != b'\r');
            acc |= u8::from(ctrl | (x == 0xEF));
        }
        if acc != 0
            && let Some(j) = find_forbidden_slow(b, base, base + 64)
        {
            return Some(j);
        }
        base += 64;
    }
    find_forbidden_slow(b, base, b.len())
}

pub(super) fn find_forbidden_slow(b: &[u8], from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&i| match b[i] {
        c if c < 0x20 => !matches!(c, b'\t' | b'\n' | b'\r'),
        0xEF => b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)),
        _ => false,
    })
}

/// Whether `b` holds a CR or a `>`, eight bytes at a time: the scan every
/// piece of text gets, as cheap as the search for CR alone.
pub(super) fn has_cr_or_gt(b: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(LO) & !x & HI != 0;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        if has_zero(x ^ (LO * 0x0D)) || has_zero(x ^ (LO * u64::from(b'>'))) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&c| c == b'\r' || c == b'>')
}

pub(super) fn is_xml_space_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

pub(super) fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

pub(super) fn is_blank(s: &str) -> bool {
    s.bytes().all(is_xml_space)
}

/// Resolves the name inside `&...;`: one of the five predefined entities or
/// a character reference.
pub(super) fn resolve_ref(name: &str) -> Result<char, E> {
    Ok(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let Some(num) = name.strip_prefix('#') else {
                // `a & b;` reads as a reference named ` b`: no name at all.
                if !is_name(name) {
                    return Err(E::BareAmpersand);
                }
                return Err(E::UnknownEntity(excerpt(name)));
            };
            let (digits, radix) = match num.strip_prefix('x') {
                Some(h) => (h, 16),
                None => (num, 10),
            };
            if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
                return Err(E::InvalidCharRef(excerpt(name)));
            }
            // XML puts no bound on leading zeros; what is left must fit.
            let significant = digits.trim_start_matches('0');
            if significant.len() > 8 {
                return Err(E::ForbiddenCharRef(excerpt(name)));
            }
            let significant = if significant.is_empty() {
                "0"
            } else {
                significant
            };
            let n = u32::from_str_radix(significant, radix)
                .map_err(|_| E::ForbiddenCharRef(excerpt(name)))?;
            match char::from_u32(n) {
                Some(c) if is_xml_char(c) => c,
                _ => return Err(E::ForbiddenCharRef(excerpt(name))),
            }
        }
    })
}

pub(super) fn push_normalised(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if rest.starts_with('\n') {
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
}

/// A dt_array index: decimal digits only, fitting in u32.
pub(crate) fn parse_index(k: &str) -> Option<u32> {
    if k.is_empty() || !k.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    k.parse().ok()
}

//! The prolog: the XML declaration's pseudo-attributes and the DOCTYPE,
//! checked as strictly as XML 1.0 has them. Nothing here uses quick-xml.

use crate::error::ParseErrorKind as E;

/// Checks the pseudo-attributes of an XML declaration as strictly as XML 1.0
/// has them, which quick-xml does not: `version`, then optionally
/// `encoding`, then optionally `standalone`, each after whitespace, each
/// once, and nothing else. Their values are checked by the caller.
pub(super) fn check_decl_syntax(s: &str) -> Result<(), String> {
    const NAMES: [&str; 3] = ["version", "encoding", "standalone"];
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let mut rest = s;
    // Index in NAMES of the first name still allowed.
    let mut next = 0;
    loop {
        let t = rest.trim_start_matches(ws);
        if t.is_empty() {
            return Ok(());
        }
        if t.len() == rest.len() {
            return Err("whitespace expected between pseudo-attributes".into());
        }
        let name_len = t.find(|c: char| c == '=' || ws(c)).unwrap_or(t.len());
        let name = &t[..name_len];
        match NAMES.iter().position(|&n| n == name) {
            Some(i) if i >= next && (next > 0 || i == 0) => next = i + 1,
            Some(_) => {
                return Err(format!(
                    "`{name}` out of place (version, encoding, standalone)"
                ));
            }
            None => return Err(format!("unknown pseudo-attribute `{name}`")),
        }
        let Some(t) = t[name_len..].trim_start_matches(ws).strip_prefix('=') else {
            return Err(format!("`=` expected after `{name}`"));
        };
        let t = t.trim_start_matches(ws);
        let Some(q) = t.chars().next().filter(|&c| c == '"' || c == '\'') else {
            return Err(format!("quoted value expected after `{name}=`"));
        };
        let Some(end) = t[1..].find(q) else {
            return Err(format!("unterminated value of `{name}`"));
        };
        rest = &t[end + 2..];
    }
}

/// Checks the text of `<!DOCTYPE ...>`: the name `OPS_envelope`, an
/// optional external id (never fetched), and no internal subset.
pub(super) fn check_doctype(content: &str) -> Result<(), E> {
    let bad = |m: &str| E::BadDoctype(m.to_owned());
    let s = content.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let name_end = s
        .find(|c: char| c.is_ascii_whitespace() || c == '[')
        .unwrap_or(s.len());
    if &s[..name_end] != "OPS_envelope" {
        return Err(bad("the DOCTYPE must name OPS_envelope"));
    }
    let mut rest = s[name_end..].trim_start();
    let literals = if let Some(r) = rest.strip_prefix("SYSTEM") {
        rest = r;
        1
    } else if let Some(r) = rest.strip_prefix("PUBLIC") {
        rest = r;
        2
    } else {
        0
    };
    for _ in 0..literals {
        let r = rest.trim_start();
        if r.len() == rest.len() {
            return Err(bad("whitespace expected before a literal"));
        }
        let Some(q) = r.chars().next().filter(|&c| c == '"' || c == '\'') else {
            return Err(bad("quoted literal expected"));
        };
        let Some(end) = r[1..].find(q) else {
            return Err(bad("unterminated literal"));
        };
        rest = &r[end + 2..];
    }
    let rest = rest.trim_start();
    if rest.starts_with('[') {
        return Err(E::InternalSubset);
    }
    if !rest.is_empty() {
        return Err(bad("unexpected text after the external id"));
    }
    Ok(())
}

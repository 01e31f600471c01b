//! Attributes: the fast path for `<item key="...">`, the general path
//! through quick-xml's iterator, and attribute-value normalisation.

use super::*;

impl<'a> Parser<'a> {
    /// An attribute value, normalised as XML 1.0 requires: references
    /// decoded, tab / CR / LF (and CR LF) turned into one space each.
    pub(super) fn attr_value(&mut self, raw: &str) -> R<Span> {
        let plain = !raw
            .bytes()
            .any(|b| matches!(b, b'&' | b'<' | b'\t' | b'\n' | b'\r'));
        if plain && let Some(off) = self.offset_of(raw) {
            return Ok(Span::input(off, raw.len()));
        }
        if raw.contains('<') {
            return Err(self.err(E::Syntax("`<` in an attribute value".into())));
        }
        let start = self.arena.owned_len();
        let mut rest = raw;
        while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
            self.arena.owned_text().push_str(&rest[..i]);
            let b = rest.as_bytes()[i];
            if b == b'&' {
                let Some(end) = rest[i..].find(';') else {
                    return Err(self.err(E::BareAmpersand));
                };
                let c = resolve_ref(&rest[i + 1..i + end]).map_err(|k| self.err(k))?;
                self.arena.owned_text().push(c);
                rest = &rest[i + end + 1..];
            } else {
                self.arena.owned_text().push(' ');
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
            }
        }
        self.arena.owned_text().push_str(rest);
        Ok(Span::owned(start, self.arena.owned_len() - start))
    }

    pub(super) fn no_attributes(&self, e: &BytesStart<'_>, element: &'static str) -> R<()> {
        // The usual case, without starting quick-xml's iterator.
        if e.attributes_raw().is_empty() {
            return Ok(());
        }
        if let Some(a) = e.attributes().next() {
            let attribute = match a {
                Ok(a) => excerpt(a.key.0),
                Err(e) => return Err(self.attr_error(e)),
            };
            return Err(self.err(E::UnexpectedAttribute { element, attribute }));
        }
        Ok(())
    }

    /// XML requires whitespace between attributes, which quick-xml does not
    /// check (`key='a'class='b'` is not well-formed): the offset after the
    /// closing quote of the value `raw` when no whitespace or tag end
    /// follows it. The caller reports it once the tokenizer has had its say
    /// on the whole tag.
    pub(super) fn unseparated_attr(&self, raw: &str) -> Option<usize> {
        let after = self.offset_of(raw)? + raw.len() + 1;
        match self.input().as_bytes().get(after) {
            Some(&b) if is_xml_space(b) || b == b'/' || b == b'>' => None,
            _ => Some(after),
        }
    }

    /// A malformed attribute, positioned at the offending character.
    pub(super) fn attr_error(&self, e: AttrError) -> ParseError {
        let (at, msg) = match e {
            AttrError::ExpectedEq(p) => (p, "attribute name must be followed by `=`".to_owned()),
            AttrError::ExpectedValue(p) => (p, "`=` must be followed by a quoted value".to_owned()),
            AttrError::UnquotedValue(p) => (p, "attribute value must be quoted".to_owned()),
            AttrError::ExpectedQuote(p, q) => (
                p,
                format!("attribute value lacks its closing {}", q as char),
            ),
            AttrError::Duplicated(p, _) => (p, "duplicate attribute".to_owned()),
        };
        // Positions count from the character after `<`.
        self.err_at(E::Syntax(msg), self.pos + 1 + at)
    }

    /// The attributes of an `<item>` in their usual form, ` key="v"` alone
    /// (either quote, XML whitespace around) with nothing in `v` to decode
    /// or normalise: the span of `v`. `None` sends the tag down the general
    /// path, which reports every error.
    pub(super) fn item_key_fast(&self, raw: &str) -> Option<Span> {
        let b = raw.as_bytes();
        let lead = b.iter().take_while(|&&c| is_xml_space(c)).count();
        if lead == 0 {
            return None;
        }
        let (q, v) = match b.get(lead..)? {
            [b'k', b'e', b'y', b'=', q @ (b'"' | b'\''), v @ ..] => (*q, v),
            _ => return None,
        };
        let end = v
            .iter()
            .position(|&c| c == q || matches!(c, b'&' | b'<' | b'\t' | b'\n' | b'\r'))?;
        if v[end] != q || !v[end + 1..].iter().all(|&c| is_xml_space(c)) {
            return None;
        }
        let start = self.offset_of(raw)? + lead + 5;
        Some(Span::input(start, end))
    }

    /// The general path of [`open_item`](Self::open_item): quick-xml's
    /// attribute iterator, with its checks (and its allocation).
    #[cold]
    #[inline(never)]
    pub(super) fn item_attributes(&mut self, e: &BytesStart<'a>) -> R<(Span, Option<Span>)> {
        let mut key = None;
        let mut class = None;
        let mut unseparated = None;
        for a in e.attributes() {
            let a = a.map_err(|e| self.attr_error(e))?;
            unseparated = unseparated.or(self.unseparated_attr(&a.value));
            match a.key.0 {
                "key" => key = Some(self.attr_value(&a.value)?),
                "class" => class = Some(self.attr_value(&a.value)?),
                other => {
                    return Err(self.err(E::UnexpectedAttribute {
                        element: "item",
                        attribute: excerpt(other),
                    }));
                }
            }
        }
        if let Some(at) = unseparated {
            return Err(self.err_at(
                E::Syntax("attributes must be separated by whitespace".into()),
                at,
            ));
        }
        let Some(key) = key else {
            return Err(self.err(E::MissingKey));
        };
        Ok((key, class))
    }
}

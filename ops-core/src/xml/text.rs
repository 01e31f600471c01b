//! Text: collecting a value's pieces (raw text, CDATA, references),
//! borrowing from the input while a value is one plain piece and copying
//! into the document's buffer otherwise.

use super::*;

/// Text being collected for the innermost text-holding element.
#[derive(Default)]
pub(super) struct TextAcc {
    pub(super) span: Option<Span>,
    pub(super) owned_start: usize,
    /// Holds non-whitespace text, a reference or CDATA: not formatting.
    pub(super) significant: bool,
}

/// One piece of a value's text.
pub(super) enum TextPiece<'a> {
    Raw(&'a str),
    CData(&'a str),
    Char(char),
}

impl<'a> Parser<'a> {
    /// Offset of `s` within the input, if it is a slice of it.
    pub(super) fn offset_of(&self, s: &str) -> Option<usize> {
        let input = self.input();
        let start = input.as_ptr() as usize;
        let p = s.as_ptr() as usize;
        (p >= start && p + s.len() <= start + input.len()).then(|| p - start)
    }

    /// Moves the accumulated text into the owned buffer, so more can be appended.
    pub(super) fn materialise(&mut self) {
        match self.acc.span {
            Some(s) if s.is_owned() => {}
            Some(s) => {
                let text = self.input().get(s.range()).unwrap_or_default();
                let owned = self.arena.owned_text();
                self.acc.owned_start = owned.len();
                owned.push_str(text);
                self.acc.span = Some(Span::owned(self.acc.owned_start, text.len()));
            }
            None => {
                self.acc.owned_start = self.arena.owned_text().len();
                self.acc.span = Some(Span::owned(self.acc.owned_start, 0));
            }
        }
    }

    pub(super) fn sync_owned_span(&mut self) {
        let start = self.acc.owned_start;
        self.acc.span = Some(Span::owned(start, self.arena.owned_len() - start));
    }

    /// Appends raw text (line ends not yet normalised).
    ///
    /// XML 1.0 (2.4) forbids `]]>` in character data; a CDATA piece never
    /// holds it (the section ends there), so the check serves both.
    pub(super) fn push_text(&mut self, piece: &str, significant: bool) -> R<()> {
        if piece.is_empty() {
            return Ok(());
        }
        self.acc.significant |= significant || !is_blank(piece);
        // One pass for the two rare bytes; most text holds neither.
        let rare = has_cr_or_gt(piece.as_bytes());
        let has_cr = rare && piece.as_bytes().contains(&b'\r');
        if rare && let Some(i) = piece.as_bytes().windows(3).position(|w| w == b"]]>") {
            let at = self.offset_of(piece).map_or(self.pos, |o| o + i);
            return Err(self.err_at(E::Syntax("`]]>` in text".into()), at));
        }
        match (self.acc.span, self.offset_of(piece)) {
            (None, Some(off)) if !has_cr => {
                self.acc.span = Some(Span::input(off, piece.len()));
            }
            _ => {
                self.materialise();
                let owned = self.arena.owned_text();
                if has_cr {
                    push_normalised(owned, piece);
                } else {
                    owned.push_str(piece);
                }
                self.sync_owned_span();
            }
        }
        Ok(())
    }

    pub(super) fn push_char(&mut self, c: char) {
        self.acc.significant = true;
        self.materialise();
        self.arena.owned_text().push(c);
        self.sync_owned_span();
    }

    /// Drops the accumulated text (whitespace around a value element).
    pub(super) fn discard_text(&mut self) {
        if let Some(s) = self.acc.span
            && s.is_owned()
        {
            self.arena.owned_text().truncate(self.acc.owned_start);
        }
        self.acc = TextAcc::default();
    }

    pub(super) fn take_text(&mut self) -> Span {
        let s = self.acc.span.unwrap_or(Span::EMPTY);
        self.acc = TextAcc::default();
        s
    }

    /// Text (raw, CDATA or a decoded reference) in the innermost frame.
    pub(super) fn text_event(&mut self, piece: TextPiece<'_>) -> R<()> {
        let holds_text = match self.frames.last() {
            Some(
                Frame::Item { value: None, .. } | Frame::Scalar { .. } | Frame::HeaderField(_),
            ) => true,
            Some(Frame::Item { value: Some(_), .. }) => {
                return match piece {
                    // An empty CDATA section is no content (expat agrees).
                    TextPiece::Raw(s) | TextPiece::CData(s) if s.is_empty() => Ok(()),
                    TextPiece::Raw(s) if is_blank(s) => Ok(()),
                    _ => Err(self.err(E::MixedContent)),
                };
            }
            _ => false,
        };
        if holds_text {
            match piece {
                TextPiece::Raw(s) => self.push_text(s, false)?,
                TextPiece::CData(s) => {
                    // An empty section beside a container is no content.
                    self.acc.significant |= !s.is_empty();
                    self.push_text(s, true)?;
                }
                TextPiece::Char(c) => self.push_char(c),
            }
            return Ok(());
        }
        if let TextPiece::Raw(s) = piece
            && is_blank(s)
        {
            return Ok(());
        }
        Err(match self.frames.last() {
            Some(f) => self.err(E::UnexpectedText(f.context())),
            None if self.top == Top::Done => self.err(E::TrailingContent),
            None => self.err(E::UnexpectedText("the prolog")),
        })
    }
}

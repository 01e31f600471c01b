//! Internationalised names: the name sent is the name given.
//!
//! A non-ASCII name is converted to A-labels only when UTS 46 mapping
//! changes nothing in it but case and NFC normalisation, and every character
//! is valid in IDNA2008 (RFC 5892). The `idna` crate does the conversion
//! (UTS 46 ToASCII: Punycode, bidi and joiner rules, hyphens); the Unicode
//! data it stands on (`icu_normalizer`, `icu_properties`) gives the mapping of
//! one character at a time and the properties RFC 5892 derives validity from.
//! `idna` 1.x implements UTS 46 only (it dropped its IDNA2008 switch), so the
//! RFC 5892 derivation is done here, from those properties and the RFC's own
//! short exception list: no table of code points is written by hand.

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_normalizer::uts46::Uts46MapperBorrowed;
use icu_properties::props::{
    BidiClass, Block, ChangesWhenNfkcCasefolded, DefaultIgnorableCodePoint, GeneralCategory,
    HangulSyllableType, JoinControl, NoncharacterCodePoint, Script, WhiteSpace,
};
use icu_properties::{CodePointMapData, CodePointSetData};
use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

use super::DomainNameError;

/// One character of a label: its 1-based position in the name as given, the
/// character given, and one character of what UTS 46 maps it to.
type Mapped = (usize, char, char);

/// The A-label form of the non-ASCII `name`, or why it cannot be sent as
/// given.
pub(super) fn to_ascii(name: &str) -> Result<String, DomainNameError> {
    let mapper = Uts46MapperBorrowed::new();
    let nfc = ComposingNormalizerBorrowed::new_nfc();
    let mut position = 0;
    let mut labels: Vec<Vec<Mapped>> = Vec::new();
    for label in name.split('.') {
        let mut mapped_label = Vec::with_capacity(label.len());
        for ch in label.chars() {
            position += 1;
            if ch.is_ascii() {
                if !(ch.is_ascii_alphanumeric() || ch == '-') {
                    return Err(DomainNameError::InvalidChar {
                        label: label.to_owned(),
                        ch,
                    });
                }
                mapped_label.push((position, ch, ch.to_ascii_lowercase()));
                continue;
            }
            let mapped: String = mapper.map_normalize(std::iter::once(ch)).collect();
            check_mapping(position, ch, &mapped, &nfc)?;
            mapped_label.extend(mapped.chars().map(|m| (position, ch, m)));
        }
        position += 1; // the dot
        labels.push(mapped_label);
    }
    for label in &labels {
        check_label(label).map_err(|(position, ch, problem)| problem.at(position, ch))?;
    }
    // The whole name through UTS 46 ToASCII: Punycode, and the rules that
    // look at more than one character (bidi, joiners, hyphens, marks).
    match uts46_to_ascii(name) {
        Some(ascii) => Ok(ascii),
        None => {
            Err(joiner_error(&labels).unwrap_or_else(|| DomainNameError::Idna(name.to_owned())))
        }
    }
}

/// Refuses the A-labels of the ASCII form `ascii` (of the name as given,
/// `given`) that do not decode to a valid IDNA2008 label.
pub(super) fn check_a_labels(ascii: &str, given: &str) -> Result<(), DomainNameError> {
    let is_a_label = |l: &str| l.len() >= 4 && l[..4].eq_ignore_ascii_case("xn--");
    if !ascii.split('.').any(is_a_label) {
        return Ok(());
    }
    if idna::domain_to_unicode(ascii).1.is_err() {
        return Err(DomainNameError::Idna(given.to_owned()));
    }
    for label in ascii.split('.').filter(|l| is_a_label(l)) {
        let (unicode, _) = idna::domain_to_unicode(label);
        let chars: Vec<Mapped> = unicode
            .chars()
            .enumerate()
            .map(|(i, c)| (i + 1, c, c))
            .collect();
        check_label(&chars).map_err(|(position, ch, problem)| DomainNameError::ALabel {
            label: label.to_owned(),
            position,
            ch,
            reason: problem.reason(),
        })?;
    }
    Ok(())
}

fn uts46_to_ascii(name: &str) -> Option<String> {
    Uts46::new()
        .to_ascii(
            name.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Check,
            DnsLength::Ignore,
        )
        .ok()
        .map(|a| a.into_owned())
}

/// Accepts `ch` (at `position`) when UTS 46 maps it to itself, or only
/// lower-cases it; refuses it when the mapping removes it, replaces it with
/// something else, or disallows it.
fn check_mapping(
    position: usize,
    ch: char,
    mapped: &str,
    nfc: &ComposingNormalizerBorrowed<'_>,
) -> Result<(), DomainNameError> {
    if mapped.chars().eq(std::iter::once(ch)) {
        return Ok(());
    }
    if mapped.is_empty() {
        return Err(DomainNameError::Removed { position, ch });
    }
    if mapped.contains('\u{FFFD}') {
        return Err(DomainNameError::Disallowed {
            position,
            ch,
            reason: "IDNA (UTS 46) disallows it",
        });
    }
    // Case only: the mapping is the character's lower case, and the
    // character is its own NFC form (the Kelvin sign is not: NFC makes it
    // `K`, and the name would hold another character than the one given).
    let mut buf = [0; 4];
    let case_only =
        nfc.is_normalized(ch.encode_utf8(&mut buf)) && ch.to_lowercase().eq(mapped.chars());
    if case_only {
        return Ok(());
    }
    Err(DomainNameError::Rewritten {
        position,
        ch,
        to: mapped.to_owned(),
    })
}

/// What IDNA2008 says of a code point (RFC 5892, section 3).
enum Class {
    Pvalid,
    ContextJ,
    ContextO,
    Disallowed(&'static str),
}

/// The derived property value of RFC 5892 section 3, rules applied in its
/// order, from Unicode properties.
fn idna2008(c: char) -> Class {
    // F: the exceptions of RFC 5892 section 2.6.
    match c {
        '\u{DF}' | '\u{3C2}' | '\u{6FD}' | '\u{6FE}' | '\u{F0B}' | '\u{3007}' => {
            return Class::Pvalid;
        }
        '\u{B7}'
        | '\u{375}'
        | '\u{5F3}'
        | '\u{5F4}'
        | '\u{30FB}'
        | '\u{660}'..='\u{669}'
        | '\u{6F0}'..='\u{6F9}' => return Class::ContextO,
        '\u{640}' | '\u{7FA}' | '\u{302E}' | '\u{302F}' | '\u{3031}'..='\u{3035}' | '\u{303B}' => {
            return Class::Disallowed("IDNA2008 (RFC 5892) lists it among its exceptions");
        }
        _ => {}
    }
    let gc = CodePointMapData::<GeneralCategory>::new().get(c);
    let noncharacter = CodePointSetData::new::<NoncharacterCodePoint>().contains(c);
    // J: unassigned.
    if gc == GeneralCategory::Unassigned && !noncharacter {
        return Class::Disallowed("it is unassigned in Unicode");
    }
    // H: letters, digits, hyphen.
    if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
        return Class::Pvalid;
    }
    // I: the joiners.
    if CodePointSetData::new::<JoinControl>().contains(c) {
        return Class::ContextJ;
    }
    // B: unstable under NFKC and case folding.
    if CodePointSetData::new::<ChangesWhenNfkcCasefolded>().contains(c) {
        return Class::Disallowed(
            "IDNA2008 (RFC 5892) disallows characters that case folding or compatibility \
             normalisation changes",
        );
    }
    // C: ignorable properties.
    if noncharacter
        || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || CodePointSetData::new::<WhiteSpace>().contains(c)
    {
        return Class::Disallowed(
            "IDNA2008 (RFC 5892) disallows invisible characters, spaces and noncharacters",
        );
    }
    // D: ignorable blocks.
    let block = CodePointMapData::<Block>::new().get(c);
    if [
        Block::CombiningDiacriticalMarksForSymbols,
        Block::MusicalSymbols,
        Block::AncientGreekMusicalNotation,
    ]
    .contains(&block)
    {
        return Class::Disallowed(
            "IDNA2008 (RFC 5892) disallows marks for symbols and musical notation",
        );
    }
    // K: old Hangul jamo.
    let hst = CodePointMapData::<HangulSyllableType>::new().get(c);
    if [
        HangulSyllableType::LeadingJamo,
        HangulSyllableType::VowelJamo,
        HangulSyllableType::TrailingJamo,
    ]
    .contains(&hst)
    {
        return Class::Disallowed("IDNA2008 (RFC 5892) disallows conjoining Hangul jamo");
    }
    // A: letters and digits.
    use GeneralCategory as G;
    match gc {
        G::LowercaseLetter
        | G::UppercaseLetter
        | G::OtherLetter
        | G::DecimalNumber
        | G::ModifierLetter
        | G::NonspacingMark
        | G::SpacingMark => Class::Pvalid,
        _ => Class::Disallowed(
            "IDNA2008 (RFC 5892) allows only letters, digits and combining marks \
             (no symbols, punctuation or emoji)",
        ),
    }
}

/// Why a character of a label is refused.
enum Problem {
    Disallowed(&'static str),
    Context(&'static str),
}

impl Problem {
    fn reason(&self) -> &'static str {
        match self {
            Problem::Disallowed(r) | Problem::Context(r) => r,
        }
    }

    fn at(self, position: usize, ch: char) -> DomainNameError {
        match self {
            Problem::Disallowed(reason) => DomainNameError::Disallowed {
                position,
                ch,
                reason,
            },
            Problem::Context(rule) => DomainNameError::Context { position, ch, rule },
        }
    }
}

const JOINER_RULE: &str = "IDNA2008 (RFC 5892) allows a joiner only after a virama, a non-joiner also between joining letters";

/// Checks every mapped character of `label` against IDNA2008, the
/// CONTEXTO rules included; the joiners (CONTEXTJ) are left to UTS 46's
/// CheckJoiners.
fn check_label(label: &[Mapped]) -> Result<(), (usize, char, Problem)> {
    let script = |c: char| CodePointMapData::<Script>::new().get(c);
    let has = |f: &dyn Fn(char) -> bool| label.iter().any(|&(_, _, m)| f(m));
    for (i, &(position, given, c)) in label.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| label[j].2);
        let after = label.get(i + 1).map(|m| m.2);
        let refused = |p: Problem| Err((position, given, p));
        match idna2008(c) {
            Class::Pvalid | Class::ContextJ => {}
            Class::Disallowed(reason) => return refused(Problem::Disallowed(reason)),
            Class::ContextO => {
                let rule = match c {
                    '\u{B7}' => (before != Some('l') || after != Some('l')).then_some(
                        "IDNA2008 (RFC 5892) allows a middle dot only between two `l` (Catalan)",
                    ),
                    '\u{375}' => (after.map(script) != Some(Script::Greek)).then_some(
                        "IDNA2008 (RFC 5892) allows the Greek lower numeral sign only before \
                         a Greek character",
                    ),
                    '\u{5F3}' | '\u{5F4}' => (before.map(script) != Some(Script::Hebrew))
                        .then_some(
                            "IDNA2008 (RFC 5892) allows the Hebrew geresh and gershayim only \
                             after a Hebrew character",
                        ),
                    '\u{30FB}' => (!has(&|m| {
                        [Script::Hiragana, Script::Katakana, Script::Han].contains(&script(m))
                    }))
                    .then_some(
                        "IDNA2008 (RFC 5892) allows the katakana middle dot only in a label \
                         holding Hiragana, Katakana or Han",
                    ),
                    '\u{660}'..='\u{669}' => has(&|m| ('\u{6F0}'..='\u{6F9}').contains(&m))
                        .then_some(
                            "IDNA2008 (RFC 5892) forbids Arabic-Indic digits in a label with \
                             extended Arabic-Indic digits",
                        ),
                    _ => has(&|m| ('\u{660}'..='\u{669}').contains(&m)).then_some(
                        "IDNA2008 (RFC 5892) forbids extended Arabic-Indic digits in a label \
                         with Arabic-Indic digits",
                    ),
                };
                if let Some(rule) = rule {
                    return refused(Problem::Context(rule));
                }
            }
        }
    }
    Ok(())
}

/// When UTS 46 refused the name: the first joiner of a label that UTS 46
/// refuses with its joiners and accepts without them.
fn joiner_error(labels: &[Vec<Mapped>]) -> Option<DomainNameError> {
    let is_joiner = |c: char| matches!(c, '\u{200C}' | '\u{200D}');
    labels.iter().find_map(|label| {
        let &(position, ch, _) = label.iter().find(|m| is_joiner(m.2))?;
        let with: String = label.iter().map(|m| m.2).collect();
        let without: String = with.chars().filter(|&c| !is_joiner(c)).collect();
        let refused = uts46_to_ascii(&with).is_none()
            && (without.is_empty() || uts46_to_ascii(&without).is_some());
        refused.then_some(DomainNameError::Context {
            position,
            ch,
            rule: JOINER_RULE,
        })
    })
}

/// `U+XXXX`, followed by the character itself in backquotes when it is a
/// visible left-to-right or neutral one (never a control, a mark, a space,
/// an invisible or a right-to-left character, which would garble the line).
pub(super) fn show_char(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    if is_plain(c) {
        format!("{code} `{c}`")
    } else {
        code
    }
}

/// `text` in backquotes when every character is plain (see [`show_char`]),
/// else its code points.
pub(super) fn show_text(text: &str) -> String {
    if text.chars().all(is_plain) {
        format!("`{text}`")
    } else {
        text.chars()
            .map(|c| format!("U+{:04X}", u32::from(c)))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn is_plain(c: char) -> bool {
    use GeneralCategory as G;
    let gc = CodePointMapData::<GeneralCategory>::new().get(c);
    let bidi = CodePointMapData::<BidiClass>::new().get(c);
    let visible = !matches!(
        gc,
        G::Unassigned
            | G::NonspacingMark
            | G::EnclosingMark
            | G::SpacingMark
            | G::SpaceSeparator
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::Control
            | G::Format
            | G::PrivateUse
            | G::Surrogate
    );
    visible
        && [
            BidiClass::LeftToRight,
            BidiClass::OtherNeutral,
            BidiClass::EuropeanNumber,
            BidiClass::CommonSeparator,
        ]
        .contains(&bidi)
}

//! Timestamps as OpenSRS sends them, read with [`jiff`]: check_transfer's
//! two forms and the `YYYY-MM-DD HH:MM:SS` of most other commands.

use std::borrow::Cow;
use std::fmt;

use jiff::civil;
use jiff::fmt::strtime;
use jiff::tz::Offset;
use opensrs_core::{DecodeError, FromXcp, Node, Sink, ToXcp, WriteError, Writer};

/// A timestamp as OpenSRS sent it, with its parsed time on request.
///
/// Three forms are read ([`parsed`](Self::parsed)), with [`jiff`] (version
/// 1.0, re-exported as `opensrs_actions::jiff`):
///
/// | form | example | parsed as |
/// |---|---|---|
/// | `DD MMM YYYY HH:MM:SS GMT` (check_transfer, spec table) | `18 Jun 2012 19:15:25 GMT` | [`ParsedTime::Instant`]: a [`jiff::Timestamp`] |
/// | C's `asctime` (check_transfer, spec examples) | `Mon Jun 18 15:15:25 2012` | [`ParsedTime::Civil`]: a [`civil::DateTime`] |
/// | `YYYY-MM-DD HH:MM:SS` (most other commands) | `2012-06-18 15:15:25` | [`ParsedTime::Civil`] |
///
/// Month and weekday names are English abbreviations in any case; `UTC`
/// stands for `GMT` too; runs of spaces count as one (`asctime` pads the
/// day: `Mon Jun  4 ...`). A date that does not exist (`31 Feb`), a weekday
/// that does not match its date and a signed year are not read. A leap second
/// (`:60`) reads as `:59`, as jiff has no leap seconds.
///
/// The raw text is kept as it came and written back byte for byte, so
/// nothing is lost when a fourth form appears: it stays readable as text
/// ([`raw`](Self::raw)) and `parsed` is `None`.
///
/// The two zone-less forms are in the server's local time: in the spec's
/// examples each `asctime` sits four hours before its reply's `unixtime`
/// (US Eastern daylight time, UTC-4). The reply's `unixtime` is the
/// authoritative instant; [`ParsedTime::at_offset`] reads a civil time at an
/// offset you know.
///
/// ```
/// use opensrs_actions::jiff::{civil::date, tz::offset};
/// use opensrs_actions::{ParsedTime, Timestamp};
///
/// let t = Timestamp::new("Mon Jun 18 15:15:25 2012").parsed().unwrap();
/// assert_eq!(t, ParsedTime::Civil(date(2012, 6, 18).at(15, 15, 25, 0)));
/// assert_eq!(t.instant(), None); // no zone in the text
/// assert_eq!(t.at_offset(offset(-4)).unwrap().as_second(), 1340046925);
///
/// let t = Timestamp::new("18 Jun 2012 15:15:25 GMT");
/// assert_eq!(t.instant().unwrap().as_second(), 1340032525);
/// assert_eq!(t.civil(), Some(date(2012, 6, 18).at(15, 15, 25, 0)));
///
/// let t = Timestamp::new("2012-06-18 15:15:25");
/// assert_eq!(t.civil(), Some(date(2012, 6, 18).at(15, 15, 25, 0)));
///
/// assert_eq!(Timestamp::new("yesterday").parsed(), None);
/// assert_eq!(Timestamp::new("31 Feb 2012 10:00:00 GMT").parsed(), None);
/// assert!(Timestamp::new("29 Feb 2012 10:00:00 GMT").parsed().is_some());
/// assert_eq!(Timestamp::new("yesterday").raw(), "yesterday");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp<'a> {
    raw: Cow<'a, str>,
}

/// The time a [`Timestamp`] names, as [`jiff`] types.
///
/// `Display` writes ISO 8601: `2012-06-18T19:15:25Z` for an instant,
/// `2012-06-18T15:15:25` (no zone) for a civil time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParsedTime {
    /// The text named its zone (`GMT` / `UTC`): an exact instant.
    Instant(jiff::Timestamp),
    /// The text named no zone (`asctime`, `YYYY-MM-DD HH:MM:SS`): a
    /// wall-clock time, in the server's local time.
    Civil(civil::DateTime),
}

impl ParsedTime {
    /// The date and time as written: for an [`Instant`](Self::Instant),
    /// its civil time in UTC.
    pub fn civil(&self) -> civil::DateTime {
        match *self {
            ParsedTime::Instant(t) => Offset::UTC.to_datetime(t),
            ParsedTime::Civil(dt) => dt,
        }
    }

    /// The instant, when the text named its zone.
    pub fn instant(&self) -> Option<jiff::Timestamp> {
        match *self {
            ParsedTime::Instant(t) => Some(t),
            ParsedTime::Civil(_) => None,
        }
    }

    /// The instant, reading a [`Civil`](Self::Civil) time at `offset` from
    /// UTC (an [`Instant`](Self::Instant) is returned as it is); `None` only
    /// when the result is outside jiff's range.
    pub fn at_offset(&self, offset: Offset) -> Option<jiff::Timestamp> {
        match *self {
            ParsedTime::Instant(t) => Some(t),
            ParsedTime::Civil(dt) => offset.to_timestamp(dt).ok(),
        }
    }
}

impl fmt::Display for ParsedTime {
    /// ISO 8601: `2012-06-18T19:15:25Z` or `2012-06-18T15:15:25`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParsedTime::Instant(t) => fmt::Display::fmt(t, f),
            ParsedTime::Civil(dt) => fmt::Display::fmt(dt, f),
        }
    }
}

/// Reads `text` (trimmed) in the strftime-style `format` as a civil time.
fn civil_time(format: &str, text: &str) -> Option<civil::DateTime> {
    strtime::parse(format, text).ok()?.to_datetime().ok()
}

impl<'a> Timestamp<'a> {
    /// Wraps a raw timestamp.
    pub fn new(raw: impl Into<Cow<'a, str>>) -> Self {
        Timestamp { raw: raw.into() }
    }

    /// The text as OpenSRS sent it.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The time, if the text is in one of the three known forms.
    pub fn parsed(&self) -> Option<ParsedTime> {
        let text = self.raw.trim_ascii();
        // The words decide the form; jiff reads the fields.
        let mut words = [""; 5];
        let mut n = 0;
        for w in text.split_ascii_whitespace() {
            *words.get_mut(n)? = w;
            n += 1;
        }
        if words[..n].iter().any(|w| w.starts_with(['+', '-'])) {
            return None;
        }
        match (n, words) {
            // 18 Jun 2012 19:15:25 GMT
            (5, [.., zone])
                if zone.eq_ignore_ascii_case("GMT") || zone.eq_ignore_ascii_case("UTC") =>
            {
                let fields = text[..text.len() - zone.len()].trim_ascii_end();
                let dt = civil_time("%d %b %Y %H:%M:%S", fields)?;
                Offset::UTC.to_timestamp(dt).ok().map(ParsedTime::Instant)
            }
            // Mon Jun 18 15:15:25 2012
            (5, _) => civil_time("%a %b %d %H:%M:%S %Y", text).map(ParsedTime::Civil),
            // 2012-06-18 15:15:25
            (2, _) => civil_time("%Y-%m-%d %H:%M:%S", text).map(ParsedTime::Civil),
            _ => None,
        }
    }

    /// The date and time as written, if [`parsed`](Self::parsed): UTC for
    /// the `GMT` form, the server's local time for the others.
    pub fn civil(&self) -> Option<civil::DateTime> {
        self.parsed().map(|p| p.civil())
    }

    /// The instant, if the text is in the `GMT` form (the only one that
    /// names its zone).
    pub fn instant(&self) -> Option<jiff::Timestamp> {
        self.parsed().and_then(|p| p.instant())
    }

    /// An owned copy.
    pub fn into_owned(self) -> Timestamp<'static> {
        Timestamp {
            raw: Cow::Owned(self.raw.into_owned()),
        }
    }
}

/// So that a reply holding a timestamp can be owned (a client returns
/// owned replies).
impl opensrs_core::IntoOwned for Timestamp<'_> {
    type Owned = Timestamp<'static>;

    fn into_owned(self) -> Timestamp<'static> {
        Timestamp::into_owned(self)
    }
}

impl fmt::Debug for Timestamp<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", self.raw)
    }
}

impl fmt::Display for Timestamp<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl ToXcp for Timestamp<'_> {
    fn write_xcp<S: Sink>(&self, w: &mut Writer<S>) -> Result<(), WriteError> {
        w.scalar(&self.raw)
    }
}

impl<'d> FromXcp<'d> for Timestamp<'d> {
    /// Any text: the form is checked only by [`Timestamp::parsed`].
    fn from_xcp(node: Node<'d>) -> Result<Self, DecodeError> {
        Ok(Timestamp::new(opensrs_core::convert::text(node)?))
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Timestamp<'_> {
    /// `{"raw": "Mon Jun 18 15:15:25 2012", "parsed": "2012-06-18T15:15:25"}`:
    /// `parsed` is ISO 8601 ([`ParsedTime`]'s `Display`), with `Z` only when the
    /// text said GMT/UTC, and null when the form is unknown.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("raw", self.raw())?;
        m.serialize_entry("parsed", &self.parsed().map(|d| d.to_string()))?;
        m.end()
    }
}

//! The `timestamp` of check_transfer replies, in either of its two forms.

use std::borrow::Cow;
use std::fmt;

use opensrs_core::{DecodeError, FromXcp, Node, Sink, ToXcp, WriteError, Writer};

/// A timestamp as OpenSRS sent it, with its parsed time on request.
///
/// Both forms occur: the spec's table says `DD MMM YYYY HH:MM:SS GMT`, the
/// example replies carry `Mon Jun 18 15:15:25 2012` (C's `asctime`). The
/// raw text is kept as it came, so nothing is lost when a third form
/// appears; [`parsed`](Self::parsed) reads the two known ones.
///
/// The `asctime` form carries no zone, and in the spec's examples it is the
/// server's local time: each sits four hours after its reply's `unixtime`
/// (US Eastern daylight time). The reply's `unixtime` is the authoritative
/// instant; [`DateTime::utc`] says whether a parsed time is known to be UTC.
///
/// ```
/// use opensrs_actions::Timestamp;
/// let t = Timestamp::new("Mon Jun 18 15:15:25 2012").parsed().unwrap();
/// assert_eq!((t.year, t.month, t.day, t.hour), (2012, 6, 18, 15));
/// assert!(!t.utc);
/// let t = Timestamp::new("18 Jun 2012 15:15:25 GMT").parsed().unwrap();
/// assert!(t.utc);
/// assert_eq!(t.unix(), 1340032525);
/// assert_eq!(Timestamp::new("yesterday").parsed(), None);
/// assert_eq!(Timestamp::new("31 Feb 2012 10:00:00 GMT").parsed(), None);
/// assert!(Timestamp::new("29 Feb 2012 10:00:00 GMT").parsed().is_some());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp<'a> {
    raw: Cow<'a, str>,
}

/// A UTC date and time read from a [`Timestamp`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    /// Year, e.g. 2012.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
    /// Hour, 0 to 23.
    pub hour: u8,
    /// Minute, 0 to 59.
    pub minute: u8,
    /// Second, 0 to 60 (a leap second).
    pub second: u8,
    /// Whether the text named its zone as GMT/UTC; `false` for the
    /// `asctime` form, which is in the server's local time.
    pub utc: bool,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl DateTime {
    /// Seconds since 1970-01-01 00:00:00 UTC, reading the fields as UTC
    /// (exact when [`utc`](Self::utc) is true).
    pub fn unix(&self) -> i64 {
        // Days from civil (Howard Hinnant's algorithm).
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }
}

impl fmt::Display for DateTime {
    /// ISO 8601: `2012-06-18T15:15:25`, with `Z` when [`utc`](Self::utc).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            if self.utc { "Z" } else { "" }
        )
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn month(s: &str) -> Option<u8> {
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(s))
        .map(|i| i as u8 + 1)
}

fn number<T: std::str::FromStr>(s: &str, max_len: usize) -> Option<T> {
    (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn time(s: &str) -> Option<(u8, u8, u8)> {
    let mut it = s.split(':');
    let h = number(it.next()?, 2)?;
    let m = number(it.next()?, 2)?;
    let sec = number(it.next()?, 2)?;
    (it.next().is_none() && h < 24 && m < 60 && sec <= 60).then_some((h, m, sec))
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

    /// The time, if the text is in one of the two known forms.
    pub fn parsed(&self) -> Option<DateTime> {
        let t: Vec<&str> = self.raw.split_ascii_whitespace().collect();
        let (day, mon, year, hms, utc) = match t.as_slice() {
            // 18 Jun 2012 15:15:25 GMT
            [day, mon, year, hms, zone]
                if zone.eq_ignore_ascii_case("GMT") || zone.eq_ignore_ascii_case("UTC") =>
            {
                (day, mon, year, hms, true)
            }
            // Mon Jun 18 15:15:25 2012
            [_weekday, mon, day, hms, year] if month(mon).is_some() => (day, mon, year, hms, false),
            _ => return None,
        };
        let (hour, minute, second) = time(hms)?;
        let dt = DateTime {
            year: number(year, 4)?,
            month: month(mon)?,
            day: number(day, 2)?,
            hour,
            minute,
            second,
            utc,
        };
        (1..=days_in_month(dt.year, dt.month))
            .contains(&dt.day)
            .then_some(dt)
    }

    /// An owned copy.
    pub fn into_owned(self) -> Timestamp<'static> {
        Timestamp {
            raw: Cow::Owned(self.raw.into_owned()),
        }
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
    /// `parsed` is ISO 8601, with `Z` only when the text said GMT/UTC, and
    /// null when the form is unknown.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("raw", self.raw())?;
        m.serialize_entry("parsed", &self.parsed().map(|d| d.to_string()))?;
        m.end()
    }
}

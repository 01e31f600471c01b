//! `Timestamp`: the three forms OpenSRS sends, read with jiff; anything else
//! kept as text; the text written back byte for byte.

use opensrs_actions::jiff::civil::{DateTime, date};
use opensrs_actions::jiff::tz::{Offset, offset};
use opensrs_actions::{ParsedTime, Timestamp};
use opensrs_core::{FromXcp, Header, ToXcp, Writer, parse_str};

fn civil(y: i16, mo: i8, d: i8, h: i8, mi: i8, s: i8) -> DateTime {
    date(y, mo, d).at(h, mi, s, 0)
}

#[test]
fn gmt_form_is_an_instant() {
    for raw in [
        "18 Jun 2012 19:15:25 GMT",
        "18 jun 2012 19:15:25 gmt",
        "18 JUN 2012 19:15:25 UTC",
        "  18  Jun 2012   19:15:25 GMT \n",
        "01 Jan 1970 00:00:00 GMT",
        "1 Jan 1970 00:00:00 GMT",
    ] {
        let t = Timestamp::new(raw);
        let p = t.parsed().unwrap_or_else(|| panic!("{raw:?} parses"));
        assert!(matches!(p, ParsedTime::Instant(_)), "{raw:?}: {p:?}");
        assert_eq!(t.instant(), p.instant(), "{raw:?}");
        assert_eq!(p.at_offset(offset(-4)), p.instant(), "{raw:?}: zone given");
    }
    let t = Timestamp::new("18 Jun 2012 19:15:25 GMT");
    assert_eq!(t.instant().unwrap().as_second(), 1_340_046_925);
    assert_eq!(t.civil(), Some(civil(2012, 6, 18, 19, 15, 25)));
    assert_eq!(t.parsed().unwrap().to_string(), "2012-06-18T19:15:25Z");
    let epoch = Timestamp::new("1 Jan 1970 00:00:00 GMT");
    assert_eq!(epoch.instant().unwrap().as_second(), 0);
}

#[test]
fn asctime_form_is_a_civil_time_without_zone() {
    let t = Timestamp::new("Mon Jun 18 15:15:25 2012");
    let p = t.parsed().unwrap();
    assert_eq!(p, ParsedTime::Civil(civil(2012, 6, 18, 15, 15, 25)));
    assert_eq!(p.instant(), None);
    assert_eq!(t.instant(), None);
    assert_eq!(p.to_string(), "2012-06-18T15:15:25");
    // The spec's examples: the server's local time is UTC-4 (EDT).
    assert_eq!(p.at_offset(offset(-4)).unwrap().as_second(), 1_340_046_925);
    assert_eq!(
        p.at_offset(Offset::UTC).unwrap().as_second(),
        1_340_046_925 - 4 * 3600
    );
    // asctime pads a one-digit day with a space.
    let t = Timestamp::new("Mon Jun  4 09:05:01 2012");
    assert_eq!(t.civil(), Some(civil(2012, 6, 4, 9, 5, 1)));
    let t = Timestamp::new("Thu Jun 14 11:05:34 2012");
    assert_eq!(t.civil(), Some(civil(2012, 6, 14, 11, 5, 34)));
}

#[test]
fn opensrs_iso_like_form_is_a_civil_time() {
    let t = Timestamp::new("2012-06-18 15:15:25");
    assert_eq!(
        t.parsed(),
        Some(ParsedTime::Civil(civil(2012, 6, 18, 15, 15, 25)))
    );
    assert_eq!(t.instant(), None);
    let t = Timestamp::new("2024-02-29 23:59:59");
    assert_eq!(t.civil(), Some(civil(2024, 2, 29, 23, 59, 59)));
}

#[test]
fn a_leap_second_reads_as_59() {
    let t = Timestamp::new("30 Jun 2012 23:59:60 GMT");
    assert_eq!(t.civil(), Some(civil(2012, 6, 30, 23, 59, 59)));
}

#[test]
fn other_text_is_kept_unparsed() {
    for raw in [
        "",
        "yesterday",
        "2012-06-18T19:15:25Z",
        "2012-06-18",
        "2012-06-1815:15:25",
        "18 Jun 2012 19:15:25",
        "18 Jun 2012 19:15:25 EST",
        "18 June 2012 19:15:25 GMT",
        "31 Feb 2012 10:00:00 GMT",
        "29 Feb 2013 10:00:00 GMT",
        "18 Jun 2012 24:00:00 GMT",
        "18 Jun 2012 19:60:00 GMT",
        "18 Jun -2012 19:15:25 GMT",
        "18 Jun +2012 19:15:25 GMT",
        "18 Jun 12012 19:15:25 GMT",
        "18 Jun 2012 19:15 GMT",
        "18 Jun 2012 19:15:25:00 GMT",
        "Tue Jun 18 15:15:25 2012", // 18 June 2012 was a Monday
        "Xyz Jun 18 15:15:25 2012",
        "Mon Jun 18 15:15:25 2012 extra",
        "Mon Foo 18 15:15:25 2012",
        "-2012-06-18 15:15:25",
        "2012-13-01 00:00:00",
        "2012-06-18 15:15:25 GMT",
        "18 Jun 2012 19:15:25 GMT GMT",
    ] {
        let t = Timestamp::new(raw);
        assert_eq!(t.parsed(), None, "{raw:?} must not parse");
        assert_eq!(t.civil(), None, "{raw:?}");
        assert_eq!(t.raw(), raw, "{raw:?} kept as text");
        assert_eq!(t.to_string(), raw);
    }
}

#[test]
fn the_text_is_written_back_byte_for_byte() {
    for raw in [
        "Mon Jun  4 09:05:01 2012",
        "18 jun 2012 19:15:25 gmt",
        "2012-06-18 15:15:25",
        "not a time & <b>",
    ] {
        let mut w = Writer::new(String::new());
        w.start_envelope(&Header::default()).unwrap();
        Timestamp::new(raw).write_xcp(&mut w).unwrap();
        let xml = w.finish().unwrap();
        let doc = parse_str(&xml).unwrap();
        let back = Timestamp::from_xcp(doc.root()).unwrap();
        assert_eq!(back.raw(), raw);
        assert_eq!(back, Timestamp::new(raw).into_owned());
    }
}

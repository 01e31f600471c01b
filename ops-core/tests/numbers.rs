//! Numbers as dt_* text: integers (formatted by `itoa`) and exact decimals
//! (`rust_decimal::Decimal`, feature `decimal`, on for ops-core's tests).

mod common;

use common::env;
use opensrs_core::{FromXcp, Header, ToXcp, Writer, parse_str};

/// The scalar text `v` is written as.
fn written<T: ToXcp + ?Sized>(v: &T) -> String {
    let mut w = Writer::new(String::new());
    w.start_envelope(&Header::default()).unwrap();
    v.write_xcp(&mut w).unwrap();
    let xml = w.finish().unwrap();
    let doc = parse_str(&xml).unwrap();
    doc.root().as_str().expect("a scalar").to_owned()
}

/// Reads `text` (a dt_scalar's content) as `T`.
fn read<T: for<'d> FromXcp<'d>>(text: &str) -> Result<T, opensrs_core::DecodeError> {
    let xml = env(&format!(
        r#"<dt_assoc><item key="n">{text}</item></dt_assoc>"#
    ));
    let doc = parse_str(&xml).unwrap();
    T::from_xcp(doc.root().get("n").unwrap())
}

#[test]
fn integers_are_written_as_display_writes_them() {
    macro_rules! check {
        ($($t:ty),*) => {$(
            for v in [<$t>::MIN, <$t>::MAX, 0, 1, <$t>::MAX / 10, <$t>::MIN / 7 + 1] {
                assert_eq!(written(&v), v.to_string(), stringify!($t));
                assert_eq!(read::<$t>(&v.to_string()), Ok(v), stringify!($t));
            }
        )*};
    }
    check!(
        u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
    );
    assert_eq!(written(&-42i32), "-42");
    assert_eq!(written(&1_000_000u64), "1000000");
}

#[test]
fn array_indices_past_nine_are_written_in_decimal() {
    let v: Vec<u8> = (0..=120).collect();
    let mut w = Writer::new(String::new());
    w.start_envelope(&Header::default()).unwrap();
    v.write_xcp(&mut w).unwrap();
    let xml = w.finish().unwrap();
    assert!(xml.contains(r#"<item key="9">9</item>"#), "{xml}");
    assert!(xml.contains(r#"<item key="10">10</item>"#), "{xml}");
    assert!(xml.contains(r#"<item key="120">120</item>"#), "{xml}");
    let doc = parse_str(&xml).unwrap();
    assert_eq!(Vec::<u8>::from_xcp(doc.root()).unwrap(), v);
}

// On in ops-core's own tests (its dev-dependencies turn the feature on); the
// gate keeps the file compiling in a packaged crate tested without it.
#[cfg(feature = "decimal")]
mod decimal {
    use opensrs_core::rust_decimal::Decimal;
    use opensrs_core::{DecodeErrorKind, FromXcp};

    use super::{env, parse_str, read, written};

    #[test]
    fn decimals_read_exactly_and_write_back_byte_for_byte() {
        for (text, mantissa, scale) in [
            ("8549.18", 854_918i64, 2u32),
            ("1676.05", 167_605, 2),
            ("-1.5", -15, 1),
            ("0", 0, 0),
            ("0.00", 0, 2),
            ("1.50", 150, 2),
            ("-0.01", -1, 2),
            ("12", 12, 0),
            ("0.1", 1, 1),
        ] {
            let d: Decimal = read(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(d, Decimal::new(mantissa, scale), "{text}");
            assert_eq!(d.scale(), scale, "{text}: the scale is kept");
            assert_eq!(written(&d), text, "{text}: written back as it came");
        }
        // No float in between: 0.1 + 0.2 is 0.3 exactly.
        let sum = read::<Decimal>("0.1").unwrap() + read::<Decimal>("0.2").unwrap();
        assert_eq!(written(&sum), "0.3");
        // The extremes of the type.
        let max = "79228162514264337593543950335";
        assert_eq!(written(&read::<Decimal>(max).unwrap()), max);
        let tiny = "0.0000000000000000000000000001";
        assert_eq!(written(&read::<Decimal>(tiny).unwrap()), tiny);
    }

    #[test]
    fn non_canonical_decimals_read_and_are_written_canonically() {
        assert_eq!(written(&read::<Decimal>("007.50").unwrap()), "7.50");
        assert_eq!(read::<Decimal>("-0").unwrap(), Decimal::ZERO);
        assert_eq!(written(&read::<Decimal>("-0").unwrap()), "0");
        assert_eq!(written(&read::<Decimal>("-0.00").unwrap()), "0.00");
    }

    #[test]
    fn exponents_and_junk_are_typed_errors() {
        for bad in [
            "1e3", "1E3", "1.5e-2", "+1.5", "1_000", ".5", "5.", "-", "", " 1", "1 ", "1,5",
            "0x10", "NaN", "inf", "1.2.3", "--1", "١٢", "12abc",
        ] {
            let err = read::<Decimal>(bad).unwrap_err();
            match err.kind() {
                DecodeErrorKind::Invalid { expected, found } => {
                    assert_eq!(*expected, "a decimal number", "{bad:?}");
                    assert_eq!(found, bad);
                }
                other => panic!("{bad:?}: {other:?}"),
            }
            assert_eq!(err.path(), "n", "{bad:?}");
            let pos = err.position().expect("a position");
            assert_eq!(pos.line, 1, "{bad:?}");
            assert!(
                err.to_string()
                    .contains(&format!("expected a decimal number, found `{bad}` (at n)")),
                "{err}"
            );
        }
    }

    #[test]
    fn decimals_beyond_the_type_are_refused_not_rounded() {
        for big in [
            "79228162514264337593543950336",
            "123456789012345678901234567890",
            "0.00000000000000000000000000001",
            "1.00000000000000000000000000001",
        ] {
            let err = read::<Decimal>(big).unwrap_err();
            assert!(
                matches!(
                    err.kind(),
                    DecodeErrorKind::Invalid {
                        expected: "a decimal number in the range of Decimal",
                        ..
                    }
                ),
                "{big}: {err}"
            );
        }
    }

    #[test]
    fn a_decimal_in_a_dt_assoc_is_a_wrong_kind_error() {
        let xml = env(r#"<dt_assoc><item key="n"><dt_assoc></dt_assoc></item></dt_assoc>"#);
        let doc = parse_str(&xml).unwrap();
        let err = Decimal::from_xcp(doc.root().get("n").unwrap()).unwrap_err();
        assert!(
            matches!(err.kind(), DecodeErrorKind::WrongKind { .. }),
            "{err}"
        );
        assert_eq!(err.path(), "n");
    }
}

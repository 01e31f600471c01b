//! XCP reply codes (`response_code`) and what a client should do about them.
//!
//! [`ResponseCode`] has one variant per code that OpenSRS documents (or that
//! has been observed), and [`ResponseCode::Unknown`] for any other number,
//! which it keeps: conversion to and from `u16` is lossless for every `u16`.
//! [`ResponseCode::class`] sorts codes into [`ResponseClass`]es that answer
//! "what should a client do": succeed, retry later, fix the credentials, fix
//! the request, and so on.
//!
//! ```
//! use opensrs_core::code::{ResponseClass, ResponseCode};
//!
//! let code: ResponseCode = "486".parse()?;
//! assert_eq!(code, ResponseCode::ExistsInProcessingState);
//! assert_eq!(code.class(), ResponseClass::Deferred);
//! assert!(code.class().is_retryable());
//!
//! let odd = ResponseCode::from_u16(499);
//! assert_eq!(odd, ResponseCode::Unknown(499));
//! assert_eq!(odd.as_u16(), 499);
//! assert_eq!(odd.to_string(), "499");
//! # Ok::<(), opensrs_core::code::ParseResponseCodeError>(())
//! ```

use core::fmt;
use core::str::FromStr;

/// Declares the documented codes once: the enum, the number mapping, the
/// descriptions and the list of all documented codes.
macro_rules! response_codes {
    ($(
        $(#[$attr:meta])*
        $variant:ident = $code:literal, $description:literal;
    )*) => {
        /// An XCP reply's `response_code`.
        ///
        /// One variant per code in the protocol's table, named after its
        /// meaning, plus [`Unknown`](ResponseCode::Unknown) for any other
        /// number. Build it with [`from_u16`](ResponseCode::from_u16) (or
        /// [`FromStr`]) so that a documented number always maps to its named
        /// variant; `Unknown(n)` with a documented `n` is not canonical and
        /// does not compare equal to the named variant.
        ///
        /// The enum is `#[non_exhaustive]`: a code documented later gets its own
        /// variant instead of arriving as `Unknown`.
        ///
        /// ```
        /// use opensrs_core::code::ResponseCode;
        ///
        /// assert_eq!(ResponseCode::from_u16(211), ResponseCode::DomainTaken);
        /// assert_eq!(ResponseCode::DomainTaken.as_u16(), 211);
        /// assert_eq!(ResponseCode::DomainTaken.description(), "domain taken");
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ResponseCode {
            $(
                #[doc = concat!("`", stringify!($code), "`: ", $description, ".")]
                #[doc = ""]
                $(#[$attr])*
                $variant,
            )*
            /// A code the protocol table does not list; the number is kept.
            Unknown(u16),
        }

        impl ResponseCode {
            /// Every documented code, in ascending numeric order
            /// ([`Unknown`](ResponseCode::Unknown) is not included).
            ///
            /// ```
            /// use opensrs_core::code::ResponseCode;
            ///
            /// assert_eq!(ResponseCode::DOCUMENTED[0], ResponseCode::Success);
            /// assert!(ResponseCode::DOCUMENTED.iter().all(|c| !c.is_unknown()));
            /// ```
            pub const DOCUMENTED: &'static [ResponseCode] = &[$(ResponseCode::$variant),*];

            /// Maps a number to its code: the named variant for a documented
            /// number, [`Unknown`](ResponseCode::Unknown) otherwise.
            ///
            /// ```
            /// use opensrs_core::code::ResponseCode;
            ///
            /// assert_eq!(ResponseCode::from_u16(200), ResponseCode::Success);
            /// assert_eq!(ResponseCode::from_u16(201), ResponseCode::Unknown(201));
            /// ```
            #[must_use]
            pub const fn from_u16(code: u16) -> Self {
                match code {
                    $($code => ResponseCode::$variant,)*
                    other => ResponseCode::Unknown(other),
                }
            }

            /// Returns the number. `from_u16(n).as_u16() == n` for every `n`.
            ///
            /// ```
            /// use opensrs_core::code::ResponseCode;
            ///
            /// assert_eq!(ResponseCode::RequestTimedOut.as_u16(), 705);
            /// assert_eq!(ResponseCode::Unknown(12345).as_u16(), 12345);
            /// ```
            #[must_use]
            pub const fn as_u16(self) -> u16 {
                match self {
                    $(ResponseCode::$variant => $code,)*
                    ResponseCode::Unknown(code) => code,
                }
            }

            /// Returns the meaning of the code, as the protocol table gives it
            /// (`"unknown response code"` for [`Unknown`](ResponseCode::Unknown)).
            ///
            /// ```
            /// use opensrs_core::code::ResponseCode;
            ///
            /// assert_eq!(ResponseCode::Success.description(), "success");
            /// assert_eq!(ResponseCode::from_u16(999).description(), "unknown response code");
            /// ```
            #[must_use]
            pub const fn description(self) -> &'static str {
                match self {
                    $(ResponseCode::$variant => $description,)*
                    ResponseCode::Unknown(_) => "unknown response code",
                }
            }
        }
    };
}

response_codes! {
    Success = 200, "success";
    /// A lookup found the domain free to register.
    DomainAvailable = 210, "domain available";
    /// A lookup found the domain registered. The query itself succeeded.
    DomainTaken = 211, "domain taken";
    /// A lookup found the domain taken by a registration that is waiting.
    DomainTakenWaitingRegistration = 221, "taken: a waiting registration exists";
    /// The request was accepted and handed to a registry that processes it
    /// later; its outcome arrives separately.
    SubmittedToAsyncRegistry = 250, "submitted to an asynchronous registry";
    /// Rate limited, or waiting on a consent.
    RequestDeferred = 300, "request deferred (rate limit, pending consent)";
    TooManyConnections = 310, "too many simultaneous connections";
    TooManyCommands = 350, "too many commands on one connection";
    /// OpenSRS also sends 400 for several refusals, so its `response_text`
    /// matters more than the code.
    ServerError = 400, "internal server error (also used for several refusals)";
    /// Not an HTTP "not found": XCP uses 404 for an internal error.
    InternalServerError = 404, "internal server error";
    RegistryError = 405, "registry error";
    /// The reseller username or key was rejected.
    ResellerAuthenticationFailed = 410, "reseller authentication error";
    /// The registrant's credentials were rejected.
    RegistrantAuthenticationFailed = 415, "registrant authentication error";
    RegistrantContactCreationFailed = 420, "failed to create registrant contact";
    InvalidCommand = 430, "invalid command";
    PermissionDenied = 435, "permission denied";
    ValidationFailed = 436, "request failed validation";
    RequestAlreadyPending = 437, "another request is already waiting on this domain";
    RegistrationQuotaExceeded = 440, "registration quota exceeded";
    NameServerQuotaExceeded = 445, "name server quota exceeded";
    SubUserLimitExceeded = 447, "sub-user limit exceeded";
    MissingRequiredField = 460, "missing required field";
    InvalidData = 465, "invalid data";
    ItemNotFound = 480, "item not found";
    AlreadyExists = 485, "already exists";
    ExistsInProcessingState = 486, "exists in a processing state: retry shortly";
    DomainNotTransferable = 487, "domain not transferable";
    /// Inferred from observed traffic, not from the reference table.
    InvalidAttributeValue = 541, "invalid attribute value (inferred)";
    /// Inferred from observed traffic, not from the reference table.
    DomainStatusProhibitsOperation = 552, "domain status does not allow the operation (inferred)";
    /// Inferred from observed traffic, not from the reference table.
    DomainAlreadyRenewed = 555, "domain already renewed (inferred)";
    /// Inferred from observed traffic, not from the reference table.
    RequestTimedOut = 705, "request timed out (inferred)";
}

impl ResponseCode {
    /// Returns `true` for [`Unknown`](ResponseCode::Unknown).
    ///
    /// ```
    /// use opensrs_core::code::ResponseCode;
    ///
    /// assert!(ResponseCode::from_u16(299).is_unknown());
    /// assert!(!ResponseCode::from_u16(200).is_unknown());
    /// ```
    #[must_use]
    pub const fn is_unknown(self) -> bool {
        matches!(self, ResponseCode::Unknown(_))
    }

    /// Returns `true` when the request succeeded: the class is
    /// [`ResponseClass::Success`], that is 200, 210, 211, 221, 250 and any
    /// unknown 2xx code.
    ///
    /// This is about the *request*, not about what the caller hoped for:
    /// 211 "domain taken" and 221 answer a lookup successfully even though the
    /// domain cannot be registered, and OpenSRS sends them with
    /// `is_success = 1`. Match on the code to tell "available" from "taken".
    /// The reply's own `is_success` flag stays authoritative.
    ///
    /// ```
    /// use opensrs_core::code::ResponseCode;
    ///
    /// assert!(ResponseCode::DomainTaken.is_success());
    /// assert!(ResponseCode::from_u16(299).is_success());
    /// assert!(!ResponseCode::ItemNotFound.is_success());
    /// ```
    #[must_use]
    pub const fn is_success(self) -> bool {
        matches!(self.class(), ResponseClass::Success)
    }

    /// Sorts the code into a [`ResponseClass`].
    ///
    /// Unknown codes are classified by their hundreds digit where that is
    /// safe: 2xx is [`Success`](ResponseClass::Success), 3xx is
    /// [`Deferred`](ResponseClass::Deferred), anything else is
    /// [`Unknown`](ResponseClass::Unknown) (documented 4xx, 5xx and 7xx codes
    /// mean too many different things to guess).
    ///
    /// ```
    /// use opensrs_core::code::{ResponseClass, ResponseCode};
    ///
    /// assert_eq!(ResponseCode::PermissionDenied.class(), ResponseClass::Permission);
    /// assert_eq!(ResponseCode::from_u16(399).class(), ResponseClass::Deferred);
    /// assert_eq!(ResponseCode::from_u16(499).class(), ResponseClass::Unknown);
    /// ```
    #[must_use]
    pub const fn class(self) -> ResponseClass {
        use ResponseClass as C;
        use ResponseCode as R;
        match self {
            R::Success
            | R::DomainAvailable
            | R::DomainTaken
            | R::DomainTakenWaitingRegistration
            | R::SubmittedToAsyncRegistry => C::Success,
            R::RequestDeferred
            | R::TooManyConnections
            | R::TooManyCommands
            | R::ExistsInProcessingState
            | R::RequestTimedOut => C::Deferred,
            R::ResellerAuthenticationFailed | R::RegistrantAuthenticationFailed => {
                C::Authentication
            }
            R::PermissionDenied => C::Permission,
            R::ValidationFailed
            | R::MissingRequiredField
            | R::InvalidData
            | R::InvalidAttributeValue => C::Validation,
            R::ItemNotFound => C::NotFound,
            R::RequestAlreadyPending
            | R::AlreadyExists
            | R::DomainNotTransferable
            | R::DomainStatusProhibitsOperation
            | R::DomainAlreadyRenewed => C::Conflict,
            R::RegistrationQuotaExceeded | R::NameServerQuotaExceeded | R::SubUserLimitExceeded => {
                C::Quota
            }
            R::RegistryError => C::Registry,
            R::ServerError | R::InternalServerError | R::RegistrantContactCreationFailed => {
                C::Server
            }
            R::InvalidCommand => C::InvalidCommand,
            R::Unknown(code) => match code / 100 {
                2 => C::Success,
                3 => C::Deferred,
                _ => C::Unknown,
            },
        }
    }
}

impl From<u16> for ResponseCode {
    /// Same as [`ResponseCode::from_u16`].
    fn from(code: u16) -> Self {
        Self::from_u16(code)
    }
}

impl From<ResponseCode> for u16 {
    /// Same as [`ResponseCode::as_u16`].
    fn from(code: ResponseCode) -> Self {
        code.as_u16()
    }
}

impl fmt::Display for ResponseCode {
    /// Prints the number, e.g. `200`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.as_u16(), f)
    }
}

/// Why a `response_code` text is not a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseResponseCodeError {
    /// The text is empty.
    #[error("empty response code")]
    Empty,
    /// The text contains something other than the ASCII digits `0`-`9`
    /// (a sign, whitespace, a letter, ...).
    #[error("invalid character {found:?} at byte {position} of response code")]
    InvalidDigit {
        /// The byte offset of the character in the text.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// The number does not fit in a `u16` (it is above 65535).
    #[error(
        "response code out of range: a code is a whole number from 0 to {}",
        u16::MAX
    )]
    OutOfRange,
}

impl FromStr for ResponseCode {
    type Err = ParseResponseCodeError;

    /// Parses decimal digits only: no sign, no whitespace (trim first if the
    /// source may pad it), no empty text. Leading zeros are accepted (`"0200"`
    /// is 200). Any value up to 65535 parses; undocumented ones become
    /// [`Unknown`](ResponseCode::Unknown).
    ///
    /// ```
    /// use opensrs_core::code::{ParseResponseCodeError, ResponseCode};
    ///
    /// assert_eq!("210".parse(), Ok(ResponseCode::DomainAvailable));
    /// assert_eq!("1000".parse(), Ok(ResponseCode::Unknown(1000)));
    /// assert_eq!("".parse::<ResponseCode>(), Err(ParseResponseCodeError::Empty));
    /// assert_eq!(
    ///     "+200".parse::<ResponseCode>(),
    ///     Err(ParseResponseCodeError::InvalidDigit { position: 0, found: '+' })
    /// );
    /// assert_eq!("65536".parse::<ResponseCode>(), Err(ParseResponseCodeError::OutOfRange));
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(ParseResponseCodeError::Empty);
        }
        let mut value: u16 = 0;
        let mut overflow = false;
        for (position, found) in s.char_indices() {
            let Some(digit) = found.to_digit(10) else {
                return Err(ParseResponseCodeError::InvalidDigit { position, found });
            };
            // `to_digit(10)` accepts ASCII digits only, so `digit` is 0..=9.
            let digit = u16::try_from(digit).unwrap_or(0);
            match value.checked_mul(10).and_then(|v| v.checked_add(digit)) {
                Some(v) => value = v,
                // Keep scanning: a bad character later is reported first.
                None => overflow = true,
            }
        }
        if overflow {
            Err(ParseResponseCodeError::OutOfRange)
        } else {
            Ok(Self::from_u16(value))
        }
    }
}

/// What a client should do about a reply, by its [`ResponseCode::class`].
///
/// ```
/// use opensrs_core::code::{ResponseClass, ResponseCode};
///
/// match ResponseCode::from_u16(410).class() {
///     ResponseClass::Success => { /* use the reply */ }
///     class if class.is_retryable() => { /* back off, then send again */ }
///     ResponseClass::Authentication => { /* check the username, key and IP allow-list */ }
///     _ => { /* report the error */ }
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseClass {
    /// The request succeeded (200, 210, 211, 221, 250; unknown 2xx).
    /// For lookups, the code says whether the domain is available.
    Success,
    /// Not done now, try again later (300, 310, 350, 486, 705; unknown 3xx):
    /// rate limits, too many connections or commands, an object still
    /// processing, a timeout. The only retryable class.
    Deferred,
    /// Credentials were rejected (410 reseller, 415 registrant): fix them,
    /// retrying as is will not help.
    Authentication,
    /// The reseller may not do this (435).
    Permission,
    /// The request's data is wrong or incomplete (436, 460, 465, 541): fix the
    /// request.
    Validation,
    /// The object does not exist (480).
    NotFound,
    /// The object's state forbids the operation (437, 485, 487, 552, 555):
    /// it already exists, is not transferable, is already renewed, or another
    /// request is waiting on it.
    Conflict,
    /// An account limit was reached (440, 445, 447).
    Quota,
    /// The registry refused or failed (405).
    Registry,
    /// OpenSRS failed (400, 404, 420). 400 also covers several refusals, so
    /// read the `response_text`.
    Server,
    /// The action/object pair is not a command OpenSRS knows (430).
    InvalidCommand,
    /// An undocumented code outside 2xx and 3xx.
    Unknown,
}

impl ResponseClass {
    /// Returns `true` when sending the same request again later may succeed:
    /// only for [`Deferred`](ResponseClass::Deferred).
    ///
    /// [`Server`](ResponseClass::Server) and
    /// [`Registry`](ResponseClass::Registry) errors may be transient, but they
    /// are not retryable here: 400 doubles as a refusal, and a failure after
    /// a non-idempotent command (a registration, a transfer) may have had an
    /// effect. The same caution applies to 705 "request timed out", which is
    /// deferred: check the object's state before repeating a command that
    /// changes it.
    ///
    /// ```
    /// use opensrs_core::code::{ResponseClass, ResponseCode};
    ///
    /// assert!(ResponseCode::TooManyConnections.class().is_retryable());
    /// assert!(!ResponseCode::ServerError.class().is_retryable());
    /// assert!(!ResponseClass::Success.is_retryable());
    /// ```
    #[must_use]
    pub const fn is_retryable(self) -> bool {
        matches!(self, ResponseClass::Deferred)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use ResponseClass as C;
    use ResponseCode as R;

    /// The protocol table: number, variant, class.
    const TABLE: &[(u16, ResponseCode, ResponseClass)] = &[
        (200, R::Success, C::Success),
        (210, R::DomainAvailable, C::Success),
        (211, R::DomainTaken, C::Success),
        (221, R::DomainTakenWaitingRegistration, C::Success),
        (250, R::SubmittedToAsyncRegistry, C::Success),
        (300, R::RequestDeferred, C::Deferred),
        (310, R::TooManyConnections, C::Deferred),
        (350, R::TooManyCommands, C::Deferred),
        (400, R::ServerError, C::Server),
        (404, R::InternalServerError, C::Server),
        (405, R::RegistryError, C::Registry),
        (410, R::ResellerAuthenticationFailed, C::Authentication),
        (415, R::RegistrantAuthenticationFailed, C::Authentication),
        (420, R::RegistrantContactCreationFailed, C::Server),
        (430, R::InvalidCommand, C::InvalidCommand),
        (435, R::PermissionDenied, C::Permission),
        (436, R::ValidationFailed, C::Validation),
        (437, R::RequestAlreadyPending, C::Conflict),
        (440, R::RegistrationQuotaExceeded, C::Quota),
        (445, R::NameServerQuotaExceeded, C::Quota),
        (447, R::SubUserLimitExceeded, C::Quota),
        (460, R::MissingRequiredField, C::Validation),
        (465, R::InvalidData, C::Validation),
        (480, R::ItemNotFound, C::NotFound),
        (485, R::AlreadyExists, C::Conflict),
        (486, R::ExistsInProcessingState, C::Deferred),
        (487, R::DomainNotTransferable, C::Conflict),
        (541, R::InvalidAttributeValue, C::Validation),
        (552, R::DomainStatusProhibitsOperation, C::Conflict),
        (555, R::DomainAlreadyRenewed, C::Conflict),
        (705, R::RequestTimedOut, C::Deferred),
    ];

    #[test]
    fn table_number_variant_class() {
        for &(number, code, class) in TABLE {
            assert_eq!(R::from_u16(number), code, "{number}");
            assert_eq!(code.as_u16(), number, "{code:?}");
            assert_eq!(R::from(number), code);
            assert_eq!(u16::from(code), number);
            assert_eq!(code.class(), class, "{number}");
            assert!(!code.is_unknown());
            assert!(!code.description().is_empty(), "{number}");
            assert_ne!(code.description(), "unknown response code");
            assert_eq!(code.to_string(), number.to_string());
            assert_eq!(number.to_string().parse::<R>(), Ok(code));
        }
    }

    #[test]
    fn documented_matches_table() {
        assert_eq!(R::DOCUMENTED.len(), 31);
        let from_table: Vec<ResponseCode> = TABLE.iter().map(|&(_, code, _)| code).collect();
        assert_eq!(R::DOCUMENTED, from_table.as_slice());
        assert!(
            R::DOCUMENTED
                .windows(2)
                .all(|w| w[0].as_u16() < w[1].as_u16())
        );
    }

    #[test]
    fn descriptions_follow_the_table() {
        assert_eq!(R::Success.description(), "success");
        assert_eq!(R::DomainTaken.description(), "domain taken");
        assert_eq!(
            R::ExistsInProcessingState.description(),
            "exists in a processing state: retry shortly"
        );
        assert_eq!(
            R::RequestTimedOut.description(),
            "request timed out (inferred)"
        );
        assert_eq!(R::Unknown(1).description(), "unknown response code");
    }

    #[test]
    fn success_codes() {
        let successes: Vec<u16> = TABLE
            .iter()
            .filter(|(_, code, _)| code.is_success())
            .map(|&(n, _, _)| n)
            .collect();
        assert_eq!(successes, [200, 210, 211, 221, 250]);
    }

    #[test]
    fn retryable_codes() {
        let retryable: Vec<u16> = TABLE
            .iter()
            .filter(|(_, code, _)| code.class().is_retryable())
            .map(|&(n, _, _)| n)
            .collect();
        assert_eq!(retryable, [300, 310, 350, 486, 705]);
    }

    #[test]
    fn round_trip_every_u16() {
        for n in 0..=u16::MAX {
            let code = R::from_u16(n);
            assert_eq!(code.as_u16(), n);
            let documented = TABLE.iter().any(|&(number, _, _)| number == n);
            assert_eq!(code.is_unknown(), !documented, "{n}");
        }
    }

    #[test]
    fn unknown_codes_keep_the_number() {
        for n in [
            0,
            1,
            99,
            201,
            299,
            301,
            401,
            499,
            500,
            542,
            600,
            706,
            999,
            1000,
            u16::MAX,
        ] {
            let code = R::from_u16(n);
            assert_eq!(code, R::Unknown(n));
            assert_eq!(code.as_u16(), n);
            assert_eq!(code.to_string(), n.to_string());
            assert_eq!(code.description(), "unknown response code");
        }
    }

    #[test]
    fn unknown_codes_classified_by_hundreds() {
        assert_eq!(R::from_u16(201).class(), C::Success);
        assert_eq!(R::from_u16(299).class(), C::Success);
        assert!(R::from_u16(299).is_success());
        assert_eq!(R::from_u16(301).class(), C::Deferred);
        assert!(R::from_u16(399).class().is_retryable());
        for n in [
            0,
            1,
            99,
            199,
            401,
            499,
            500,
            599,
            600,
            706,
            1000,
            2000,
            3000,
            u16::MAX,
        ] {
            let code = R::from_u16(n);
            assert_eq!(code.class(), C::Unknown, "{n}");
            assert!(!code.is_success(), "{n}");
            assert!(!code.class().is_retryable(), "{n}");
        }
    }

    #[test]
    fn non_canonical_unknown_still_lossless() {
        assert_eq!(R::Unknown(200).as_u16(), 200);
        assert_ne!(R::Unknown(200), R::Success);
    }

    #[test]
    fn parse_accepts_digits_only() {
        assert_eq!("200".parse(), Ok(R::Success));
        assert_eq!("0200".parse(), Ok(R::Success));
        assert_eq!("0".parse(), Ok(R::Unknown(0)));
        assert_eq!("65535".parse(), Ok(R::Unknown(65535)));
        assert_eq!("".parse::<R>(), Err(ParseResponseCodeError::Empty));
        for (text, position, found) in [
            ("+200", 0, '+'),
            ("-200", 0, '-'),
            (" 200", 0, ' '),
            ("200 ", 3, ' '),
            ("2 00", 1, ' '),
            ("20a", 2, 'a'),
            ("2٠0", 1, '٠'), // ARABIC-INDIC DIGIT ZERO: a digit, but not ASCII
            ("0x10", 1, 'x'),
            ("200\n", 3, '\n'),
        ] {
            assert_eq!(
                text.parse::<R>(),
                Err(ParseResponseCodeError::InvalidDigit { position, found }),
                "{text:?}"
            );
        }
        assert_eq!(
            "65536".parse::<R>(),
            Err(ParseResponseCodeError::OutOfRange)
        );
        assert_eq!(
            "99999999999999999999999".parse::<R>(),
            Err(ParseResponseCodeError::OutOfRange)
        );
        assert_eq!(
            "99999999x".parse::<R>(),
            Err(ParseResponseCodeError::InvalidDigit {
                position: 8,
                found: 'x'
            })
        );
    }

    #[test]
    fn parse_round_trips_every_u16() {
        for n in (0..=u16::MAX).step_by(7).chain([u16::MAX]) {
            assert_eq!(n.to_string().parse::<R>().map(R::as_u16), Ok(n));
        }
    }

    #[test]
    fn parse_error_messages() {
        assert_eq!(
            ParseResponseCodeError::Empty.to_string(),
            "empty response code"
        );
        assert_eq!(
            ParseResponseCodeError::InvalidDigit {
                position: 0,
                found: '+'
            }
            .to_string(),
            "invalid character '+' at byte 0 of response code"
        );
        assert_eq!(
            ParseResponseCodeError::OutOfRange.to_string(),
            "response code out of range: a code is a whole number from 0 to 65535"
        );
    }

    #[test]
    fn display_honours_width() {
        assert_eq!(format!("{:>5}", R::Success), "  200");
    }
}

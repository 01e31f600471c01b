//! Typed OpenSRS XCP commands, each declared with `ops-core`'s
//! [`Xcp`](opensrs_core::Xcp) derive:
//!
//! | command | type | module |
//! |---|---|---|
//! | `send_password` on `transfer` | [`SendPassword`](transfer::SendPassword) | [`transfer::send_password`] |
//! | `resend_trade_approval_notice` on `domain` | [`ResendTradeApprovalNotice`](domain::ResendTradeApprovalNotice) | [`domain::resend_trade_approval_notice`] |
//! | `simple_transfer` on `domain` (deprecated by OpenSRS) | `SimpleTransfer` | [`domain::simple_transfer`] |
//! | `check_transfer` on `domain` | [`CheckTransfer`](domain::CheckTransfer) | [`domain::check_transfer`] |
//!
//! ```
//! use opensrs_actions::domain::CheckTransfer;
//! use opensrs_core::{Command, parse};
//!
//! let reply = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//!     "/../fixtures/check_transfer/reply_pending_registry.xml"))?;
//! let doc = parse(&reply)?;
//! let r = CheckTransfer::decode_reply(&doc)?;
//! assert_eq!(r.status, Some(opensrs_actions::domain::TransferStatus::PendingRegistry));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod domain;
mod name;
mod phone;
mod timestamp;
pub mod transfer;

pub use name::{DomainName, DomainNameError};
pub use phone::{PhoneNumber, PhoneNumberError};
pub use timestamp::{ParsedTime, Timestamp};

/// The date-time crate (version 1.0) whose types [`Timestamp`] parses into:
/// use them from here without a dependency of your own.
pub use jiff;

/// The action names of the commands this crate ships.
pub const COMMANDS: &[&str] = &[
    "send_password",
    "resend_trade_approval_notice",
    "simple_transfer",
    "check_transfer",
];

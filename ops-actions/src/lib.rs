//! Typed OpenSRS XCP commands, each declared with `opensrs-core`'s
//! [`Xcp`](opensrs_core::Xcp) derive, and the registry that lists them.
//!
//! A command is an action on an object: `send_password` on `domain` and
//! `send_password` on `transfer` are two commands. Each is registered once,
//! in [`with_commands!`]; everything else derives from that list: the
//! [`COMMANDS`] table (lookup by action and object, [`find`]), the `opensrs`
//! tool's `decode --as` and `request`, the snapshot tests over
//! `fixtures/<object>/<action>/`, and the fuzz checks.
//!
//! | object | action | type | module |
//! |---|---|---|---|
//! | `transfer` | `send_password` | [`transfer::SendPassword`] | [`transfer::send_password`] |
//! | `domain` | `send_password` | [`domain::SendPassword`] | [`domain::send_password`] |
//! | `domain` | `resend_trade_approval_notice` | [`domain::ResendTradeApprovalNotice`] | [`domain::resend_trade_approval_notice`] |
//! | `domain` | `simple_transfer` (deprecated by OpenSRS) | `domain::SimpleTransfer` | [`domain::simple_transfer`] |
//! | `domain` | `check_transfer` | [`domain::CheckTransfer`] | [`domain::check_transfer`] |
//!
//! ```
//! use opensrs_actions::domain::CheckTransfer;
//! use opensrs_core::{Command, parse};
//!
//! let reply = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//!     "/fixtures/domain/check_transfer/reply_pending_registry.xml"))?;
//! let doc = parse(&reply)?;
//! let r = CheckTransfer::decode_reply(&doc)?;
//! assert_eq!(r.status, Some(opensrs_actions::domain::TransferStatus::PendingRegistry));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The same, without naming the type: the registry finds the command by its
//! action and object, and decodes through it.
//!
//! ```
//! let reply = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//!     "/fixtures/domain/check_transfer/reply_pending_registry.xml"))?;
//! let doc = opensrs_core::parse(&reply)?;
//! let command = opensrs_actions::find("CHECK_TRANSFER", None)?;
//! assert_eq!((command.object(), command.type_name()), ("domain", "domain::CheckTransfer"));
//! let r = command.decode_reply(&doc)?;
//! assert!(format!("{r:?}").contains("PendingRegistry"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Adding a command
//!
//! 1. **One file**: `src/<object>/<action>.rs`, the request and reply types
//!    with `#[derive(Xcp)]` and a doc comment on every field (see
//!    [`domain::send_password`]); add `pub mod <action>;` and its re-export to
//!    `src/<object>/mod.rs`.
//! 2. **One registry line** in [`with_commands!`]:
//!    `(<object>, <action>) => <object>::<Type>,`. The build checks that the
//!    line's names are the type's `action` and `object`.
//! 3. **A fixture folder**: `fixtures/<object>/<action>/` with the
//!    documentation's example envelopes, named `request*.xml` and
//!    `reply*.xml` (inputs that must fail go in its `bad/` subfolder). Run
//!    `INSTA_UPDATE=always cargo test -p opensrs-actions --test fixtures`, and
//!    read the new snapshots `<object>__<action>__<fixture>__<what>` before
//!    committing them. That test fails while a registered command has no
//!    folder, or a folder no registered command.
//!
//! Nothing else changes: `opensrs decode --as <action> [--object <object>]`,
//! `opensrs request <action> [--object <object>] key=value ...` and the fuzz
//! targets pick the command up from the registry.
#![forbid(unsafe_code)]

pub mod domain;
mod name;
mod phone;
mod registry;
mod status;
mod timestamp;
pub mod transfer;

pub use name::{DomainName, DomainNameError};
pub use phone::{PhoneNumber, PhoneNumberError};
pub use registry::{BuildError, CommandInfo, DecodedReply, DecodedRequest, LookupError, find};
pub use status::StatusReply;
pub use timestamp::{ParsedTime, Timestamp};

/// The date-time crate (version 1.0) whose types [`Timestamp`] parses into:
/// use them from here without a dependency of your own.
pub use jiff;

/// The list of commands, written once: calls `$callback!` with one entry
/// per command, `(object, action) => path::to::Type,` (the path relative to
/// this crate's root, the type a [`Command`](opensrs_core::Command)).
///
/// This crate builds [`COMMANDS`] with it; other code that needs the
/// concrete types (generic tests, fuzz targets) passes its own
/// `macro_rules!` macro and gets a zero-cost, statically typed expansion:
///
/// ```
/// macro_rules! actions {
///     ($(($object:ident, $action:ident) => $module:ident :: $ty:ident,)*) => {
///         [$(<opensrs_actions::$module::$ty as opensrs_core::Command>::ACTION),*]
///     };
/// }
/// #[allow(deprecated)] // simple_transfer is deprecated by OpenSRS
/// let actions = opensrs_actions::with_commands!(actions);
/// assert!(actions.contains(&"check_transfer"));
/// assert_eq!(actions.len(), opensrs_actions::COMMANDS.len());
/// ```
///
/// Deprecated commands (`simple_transfer`) are in the list: an expansion
/// that names their types needs `#[allow(deprecated)]`.
#[macro_export]
macro_rules! with_commands {
    ($callback:ident) => {
        $callback! {
            (transfer, send_password) => transfer::SendPassword,
            (domain, send_password) => domain::SendPassword,
            (domain, resend_trade_approval_notice) => domain::ResendTradeApprovalNotice,
            (domain, simple_transfer) => domain::SimpleTransfer,
            (domain, check_transfer) => domain::CheckTransfer,
        }
    };
}

/// Builds [`COMMANDS`] from the list, and checks at compile time that each
/// line's names are its type's `ACTION` and `OBJECT`.
macro_rules! command_table {
    ($(($object:ident, $action:ident) => $module:ident :: $ty:ident,)*) => {
        /// Every command of this crate, in the order of [`with_commands!`]:
        /// its action, object, type, and typed decoding and encoding without
        /// naming the type. Look one up with [`find`].
        #[allow(deprecated)] // simple_transfer is deprecated by OpenSRS, and listed.
        pub static COMMANDS: &[CommandInfo] = &[
            $(CommandInfo::of::<$module::$ty>(concat!(stringify!($module), "::", stringify!($ty))),)*
        ];

        $(
            #[allow(deprecated)]
            const _: () = {
                assert!(
                    registry::same(stringify!($action), <$module::$ty as opensrs_core::Command>::ACTION),
                    concat!("with_commands!: the action of ", stringify!($ty), " is not `", stringify!($action), "`"),
                );
                assert!(
                    registry::same(stringify!($object), <$module::$ty as opensrs_core::Command>::OBJECT),
                    concat!("with_commands!: the object of ", stringify!($ty), " is not `", stringify!($object), "`"),
                );
                assert!(
                    registry::same(stringify!($object), stringify!($module)),
                    concat!("with_commands!: ", stringify!($ty), " is not in module `", stringify!($object), "`"),
                );
            };
        )*
    };
}

with_commands!(command_table);

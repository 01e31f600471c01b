//! `check_transfer` on object `domain`.
//!
//! Checks whether a domain can be transferred in to OpenSRS, or from one
//! OpenSRS reseller to another; also reports the status of the last
//! transfer request on the domain. Before a transfer, `transferrable` (and
//! `reason` when it is 0) matters; during one, `status` does. When the
//! status is `pending_registry` and the registry shows OpenSRS as registrar,
//! running this query schedules the completion within 5 minutes.

use std::borrow::Cow;

use opensrs_core::code::ResponseCode;
use opensrs_core::{Assoc, Xcp};

use crate::{DomainName, Timestamp};

/// Request: check `domain`.
///
/// ```
/// use opensrs_actions::{DomainName, domain::CheckTransfer};
/// use opensrs_core::Command;
/// let req = CheckTransfer {
///     domain: DomainName::new("example.com")?,
///     check_status: Some(true),
///     get_request_address: Some(true),
/// };
/// assert!(req.encode()?.contains(r#"<item key="check_status">1</item>"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Xcp, Clone, PartialEq, Eq)]
#[xcp(action = "check_transfer", object = "domain", response = CheckTransferReply<'_>)]
#[xcp(idempotent)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub struct CheckTransfer {
    /// The fully qualified domain name in the transfer order. Required.
    pub domain: DomainName,
    /// Ask for the status of a transfer request (0 or 1). When the state is
    /// `pending_registry` and the registry shows OpenSRS as registrar of
    /// record, OpenSRS schedules the completion of gTLD transfers.
    pub check_status: Option<bool>,
    /// Ask for the registrant's contact email address (0 or 1), to make
    /// sure the client can receive mail there to acknowledge the transfer.
    pub get_request_address: Option<bool>,
}

/// Reply. Every attribute is optional: which ones come back depends on
/// `is_success`, `transferrable` and whether a transfer is under way. Keys
/// this type does not name are kept in [`other`](Self::other).
#[derive(Xcp, Clone, PartialEq, Eq)]
#[xcp(reply)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub struct CheckTransferReply<'a> {
    /// The response code (200 on success).
    #[xcp(top)]
    pub response_code: ResponseCode,
    /// The message describing the outcome.
    #[xcp(top)]
    pub response_text: Cow<'a, str>,
    /// Whether the domain can be transferred; only when no transfer
    /// request has been submitted for it. (The wire spells it with "rr".)
    pub transferrable: Option<bool>,
    /// Supplier availability: `false` available, `true` unavailable (then
    /// `transferrable` is 0 and `is_success` still 1).
    pub noservice: Option<bool>,
    /// Why the transfer status is what it is; when `transferrable` is 0.
    pub reason: Option<Cow<'a, str>>,
    /// A machine-readable reason, e.g.
    /// `domain_already_belongs_to_current_reseller` (not in the spec's table).
    pub reason_code: Option<Cow<'a, str>>,
    /// The registrant's email address, when `get_request_address` was 1.
    pub request_address: Option<Cow<'a, str>>,
    /// Status of the latest transfer on the domain initiated by this
    /// reseller (from the previous order if none is under way; `undef` for
    /// transfers of other resellers).
    pub status: Option<TransferStatus>,
    /// When the transfer's state last changed, as sent (either form).
    pub timestamp: Option<Timestamp<'a>>,
    /// The type of transfer; when `transferrable` is 1.
    #[xcp(rename = "type")]
    pub transfer_type: Option<TransferType>,
    /// `timestamp` in seconds since the epoch: the authoritative instant.
    pub unixtime: Option<i64>,
    /// Attributes this type does not name, kept as they came.
    #[xcp(rest)]
    pub other: Assoc,
}

/// The status of a transfer.
#[derive(Xcp, Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub enum TransferStatus {
    /// Awaiting approval by the domain's admin contact (every transfer
    /// begins here); cancelled by OpenSRS after five days without approval.
    PendingOwner,
    /// Waiting for approval by OpenSRS support staff.
    PendingAdmin,
    /// Awaiting registry approval: completes after 7 days unless the
    /// current registrar declines it.
    PendingRegistry,
    /// The transfer completed.
    Completed,
    /// The reseller or OpenSRS stopped the transfer.
    Cancelled,
    /// No transfer exists for this domain (or it was another reseller's).
    Undef,
    /// A status this version does not know, kept as it came.
    #[xcp(other)]
    Unknown(String),
}

/// The type of a transfer.
#[derive(Xcp, Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub enum TransferType {
    /// From one registrar to another.
    #[xcp(rename = "reg2reg")]
    Reg2Reg,
    /// Between two resellers of the same registrar.
    #[xcp(rename = "rsp2rsp")]
    Rsp2Rsp,
    /// A type this version does not know, kept as it came.
    #[xcp(other)]
    Unknown(String),
}

//! `send_password` on object `transfer`.
//!
//! Resends the email for a transfer that is in "pending owner approval"
//! state, to the admin contact listed for the domain when the transfer was
//! submitted. A transfer in another state gets an error. (Not to be
//! confused with `send_password` on object `domain`, a different command.)
//!
//! For a domain in a bulk-transfer order, the password in the email only
//! works for that single domain.

use opensrs_core::Xcp;

use crate::DomainName;

/// Request: resend the transfer approval email for `domain_name`.
///
/// ```
/// use opensrs_actions::{DomainName, transfer::SendPassword};
/// use opensrs_core::Command;
/// let req = SendPassword { domain_name: DomainName::new("example.com")? };
/// assert!(req.encode()?.contains(r#"<item key="object">transfer</item>"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Xcp, Clone, PartialEq, Eq)]
#[xcp(action = "send_password", object = "transfer", response = SendPasswordReply<'_>)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub struct SendPassword {
    /// The domain name for which the password is to be initiated. Required.
    pub domain_name: DomainName,
}

/// Reply: only the standard fields (the code and the text), as
/// [`StatusReply`](crate::StatusReply).
pub type SendPasswordReply<'a> = crate::StatusReply<'a>;

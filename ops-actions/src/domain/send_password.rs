//! `send_password` on object `domain`.
//!
//! Sends the domain's password (its management credentials) by email, to
//! the domain's owner or admin contact. (Not to be confused with
//! `send_password` on object `transfer`, which resends a transfer approval
//! email: [`crate::transfer::send_password`].)
//!
//! With `sub_user` 1 the password of the domain's sub-user is sent; a
//! domain that has no sub-user gets an error reply from OpenSRS (a server
//! rule: the client cannot know it).

use opensrs_core::Xcp;

use crate::DomainName;

/// Request: send the password of `domain_name` to its owner or admin
/// contact.
///
/// ```
/// use opensrs_actions::DomainName;
/// use opensrs_actions::domain::{SendPassword, SendTo};
/// use opensrs_core::Command;
/// let req = SendPassword {
///     domain_name: DomainName::new("example.com")?,
///     send_to: Some(SendTo::Owner),
///     sub_user: None,
/// };
/// let xml = req.encode()?;
/// assert!(xml.contains(r#"<item key="object">domain</item>"#));
/// assert!(xml.contains(r#"<item key="send_to">owner</item>"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Xcp, Clone, PartialEq, Eq)]
#[xcp(action = "send_password", object = "domain", response = SendPasswordReply<'_>)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub struct SendPassword {
    /// The domain whose password is sent. Required.
    pub domain_name: DomainName,
    /// Who gets the email: `owner` or `admin` (any case on decode). When
    /// absent, OpenSRS sends it to the admin contact.
    pub send_to: Option<SendTo>,
    /// Send the password of the domain's sub-user (1) instead of the
    /// domain's own (0, OpenSRS's default when absent). With 1, a domain
    /// that has no sub-user gets an error reply.
    pub sub_user: Option<bool>,
}

/// The contact a domain's password is sent to.
#[derive(Xcp, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub enum SendTo {
    /// The domain's owner (registrant) contact.
    Owner,
    /// The domain's admin contact (OpenSRS's default).
    Admin,
}

/// Reply: only the standard fields (the code and the text), as
/// [`StatusReply`](crate::StatusReply).
pub type SendPasswordReply<'a> = crate::StatusReply<'a>;

//! `simple_transfer` on object `domain` — deprecated by OpenSRS.
//!
//! Submits the transfer of one or several domains at once (at most 10,000),
//! each with its authorization code. OpenSRS verifies the codes, reads
//! WHOIS to fill the contacts, emails each registrant once for all their
//! domains and starts the transfers; individual transfers may still fail
//! later (wrong code, transfer lock, WHOIS unreadable, ...).
//!
//! OpenSRS deprecated this call on 2018-05-25 (GDPR) in favour of
//! `sw_register`; it is still documented, so it is still here. The type
//! carries `#[deprecated]`: use it with `#[allow(deprecated)]` where you
//! mean to.

use std::borrow::Cow;
use std::collections::HashMap;

use opensrs_core::Xcp;
use opensrs_core::code::ResponseCode;
use opensrs_core::convert::RuleError;
use opensrs_core::secret::Secret;

use crate::DomainName;

/// The most domains one request may carry.
pub const MAX_DOMAINS: usize = 10_000;

/// Request: transfer every domain of `domain_list`. Built with
/// [`new`](Self::new), which enforces these rules, each a [`RuleError`]
/// with this name; a decoded request is checked the same way:
///
/// - `domain_list_size`: 1 to 10,000 domains (at `attributes.domain_list`);
/// - `auth_info_empty`: every domain has a non-empty authorization code (at
///   `attributes.domain_list[N].auth_info`);
/// - `duplicate_domain`: no domain twice, compared as sent and without
///   regard to case, so `Example.com` and `example.com`, or `bücher.de` and
///   `xn--bcher-kva.de`, are the same domain (at
///   `attributes.domain_list[N].domain_name`, the second one).
///
/// ```
/// #![allow(deprecated)]
/// use opensrs_actions::domain::{SimpleTransfer, TransferDomain};
/// use opensrs_actions::DomainName;
/// let req = SimpleTransfer::new(
///     vec![TransferDomain::new(DomainName::new("example.com")?, "Mj%zA>1r")],
///     vec![],
/// )?;
/// assert!(!format!("{req:?}").contains("Mj%zA"));
/// assert!(SimpleTransfer::new(vec![], vec![]).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[deprecated(
    since = "0.1.0",
    note = "OpenSRS deprecated simple_transfer on 2018-05-25 (use sw_register); \
            it still works: add #[allow(deprecated)] where you use it on purpose"
)]
#[derive(Xcp, Clone, PartialEq, Eq)]
#[xcp(
    action = "simple_transfer",
    object = "domain",
    response = SimpleTransferReply<'_>,
    validate = Self::check
)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub struct SimpleTransfer {
    /// The domains and their authorization codes: 1 to 10,000.
    domain_list: Vec<TransferDomain>,
    /// Name servers for the transferred domains, as a dt_array of host
    /// names (left out when empty).
    #[xcp(default, skip_if = Vec::is_empty)]
    nameserver_list: Vec<DomainName>,
}

#[allow(deprecated)]
impl SimpleTransfer {
    /// A request, if it holds 1 to 10,000 domains, each once and with an
    /// authorization code.
    pub fn new(
        domain_list: Vec<TransferDomain>,
        nameserver_list: Vec<DomainName>,
    ) -> Result<Self, RuleError> {
        let req = SimpleTransfer {
            domain_list,
            nameserver_list,
        };
        req.check()?;
        Ok(req)
    }

    fn check(&self) -> Result<(), RuleError> {
        let n = self.domain_list.len();
        if n == 0 || n > MAX_DOMAINS {
            return Err(RuleError::new(
                "domain_list_size",
                "attributes.domain_list",
                format!("domain_list holds {n} domains; it must hold 1 to {MAX_DOMAINS}"),
            ));
        }
        // The domains as sent, lower-cased (an A-label is lower case
        // already), with the index they first appear at.
        let mut seen: HashMap<String, usize> = HashMap::with_capacity(n);
        for (i, d) in self.domain_list.iter().enumerate() {
            if d.auth_info.is_empty() {
                return Err(RuleError::new(
                    "auth_info_empty",
                    format!("attributes.domain_list[{i}].auth_info"),
                    format!(
                        "the authorization code of domain_list[{i}] is empty: every domain \
                         needs its code"
                    ),
                ));
            }
            let key = d.domain_name.as_str().to_ascii_lowercase();
            if let Some(&first) = seen.get(&key) {
                return Err(RuleError::new(
                    "duplicate_domain",
                    format!("attributes.domain_list[{i}].domain_name"),
                    format!(
                        "domain_list[{i}] `{}` is the same domain as domain_list[{first}] \
                         (domains compare without regard to case, a Unicode name as its \
                         A-label)",
                        d.domain_name
                    ),
                ));
            }
            seen.insert(key, i);
        }
        Ok(())
    }

    /// The domains.
    pub fn domain_list(&self) -> &[TransferDomain] {
        &self.domain_list
    }

    /// The name servers.
    pub fn nameserver_list(&self) -> &[DomainName] {
        &self.nameserver_list
    }
}

/// One domain to transfer.
#[derive(Xcp, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub struct TransferDomain {
    /// The domain.
    pub domain_name: DomainName,
    /// Its authorization (EPP) code: a secret, redacted in `Debug`, written
    /// byte for byte (codes hold `%`, `>`, `` ` ``, `[`, `@`).
    #[xcp(secret)]
    pub auth_info: Secret,
}

impl TransferDomain {
    /// A domain with its authorization code.
    pub fn new(domain_name: DomainName, auth_info: impl Into<Secret>) -> Self {
        TransferDomain {
            domain_name,
            auth_info: auth_info.into(),
        }
    }
}

/// Reply: the job created.
#[derive(Xcp, Clone, PartialEq, Eq)]
#[xcp(reply)]
#[cfg_attr(feature = "serde", xcp(serde))]
pub struct SimpleTransferReply<'a> {
    /// The response code (200 on success).
    #[xcp(top)]
    pub response_code: ResponseCode,
    /// The message, e.g. `Simple transfer job successfully added`.
    #[xcp(top)]
    pub response_text: Cow<'a, str>,
    /// The system-generated order ID of the job.
    pub simple_transfer_job_id: Cow<'a, str>,
}

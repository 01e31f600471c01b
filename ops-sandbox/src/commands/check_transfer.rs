//! check_transfer: whether a domain can come to this reseller, and where
//! this reseller's latest transfer of it stands.

use std::borrow::Cow;

use opensrs_actions::Timestamp;
use opensrs_actions::domain::{CheckTransfer, CheckTransferReply, TransferStatus, TransferType};
use opensrs_core::Assoc;
use opensrs_core::code::ResponseCode;

use super::Simulate;
use crate::reply::Failure;
use crate::world::{SCHEDULED_COMPLETION, TRANSFER_LOCK, TransferState, World, tld_supported};

/// Why a domain cannot be transferred: `(reason_code, reason)`, or `None`
/// when it can. Also used by simple_transfer, domain by domain.
pub(crate) fn obstacle(world: &World, domain: &str) -> Option<(&'static str, String)> {
    if !tld_supported(domain) {
        return Some(("tld_not_supported", "TLD not supported".to_owned()));
    }
    let Some(d) = world.domains.get(domain) else {
        return Some((
            "domain_not_registered",
            "Domain is not registered".to_owned(),
        ));
    };
    if d.noservice {
        return Some(("noservice", "Registry is unavailable".to_owned()));
    }
    if world.active_transfer(domain).is_some() {
        return Some(("transfer_in_progress", "Transfer in progress".to_owned()));
    }
    if d.reseller.as_deref() == Some(world.username.as_str()) {
        return Some((
            "domain_already_belongs_to_current_reseller",
            format!("Domain already exists in {}'s account", world.username),
        ));
    }
    if d.locked {
        return Some(("domain_locked", "Domain is locked".to_owned()));
    }
    if world.now - d.since < TRANSFER_LOCK {
        return Some((
            "domain_in_60_day_lock",
            "Domain was registered or transferred less than 60 days ago".to_owned(),
        ));
    }
    None
}

/// `unixtime` as check_transfer's table writes it: `DD MMM YYYY HH:MM:SS GMT`.
pub(crate) fn timestamp(unixtime: i64) -> String {
    match opensrs_actions::jiff::Timestamp::from_second(unixtime) {
        Ok(t) => t.strftime("%d %b %Y %H:%M:%S GMT").to_string(),
        Err(_) => String::new(),
    }
}

fn status(s: TransferState) -> TransferStatus {
    match s {
        TransferState::PendingOwner => TransferStatus::PendingOwner,
        TransferState::PendingRegistry => TransferStatus::PendingRegistry,
        TransferState::Completed => TransferStatus::Completed,
        TransferState::Cancelled => TransferStatus::Cancelled,
    }
}

impl Simulate for CheckTransfer {
    fn simulate(self, world: &mut World) -> Result<CheckTransferReply<'static>, Failure> {
        let domain = self.domain.as_str().to_ascii_lowercase();
        let now = world.now;
        let mut scheduled = false;
        if self.check_status == Some(true)
            && let Some(id) = world.latest_own_transfer(&domain).map(|t| t.id)
            && let Some(t) = world.transfer_mut(id)
            && t.status == TransferState::PendingRegistry
        {
            let soon = now + SCHEDULED_COMPLETION;
            t.due = Some(t.due.map_or(soon, |due| due.min(soon)));
            scheduled = true;
        }
        let latest = world.latest_own_transfer(&domain);
        let obstacle = obstacle(world, &domain);
        let noservice = obstacle
            .as_ref()
            .is_some_and(|(code, _)| *code == "noservice");
        let transfer_type = match (&obstacle, world.domains.get(&domain)) {
            (None, Some(d)) if d.reseller.is_some() => Some(TransferType::Rsp2Rsp),
            (None, Some(_)) => Some(TransferType::Reg2Reg),
            _ => None,
        };
        let request_address = if self.get_request_address == Some(true) {
            match latest.filter(|t| t.status.is_active()) {
                Some(t) => Some(t.request_address.clone()),
                None => world
                    .domains
                    .get(&domain)
                    .map(|d| world.email(&d.registrant)),
            }
        } else {
            None
        };
        let (reason_code, reason) = match obstacle {
            Some((code, reason)) => (Some(Cow::Borrowed(code)), Some(Cow::Owned(reason))),
            None => (None, None),
        };
        Ok(CheckTransferReply {
            response_code: ResponseCode::from_u16(200),
            response_text: Cow::Borrowed(if scheduled {
                "Query successful. Transfer scheduled in 5 minutes."
            } else {
                "Query successful"
            }),
            transferrable: Some(reason.is_none()),
            noservice: Some(noservice),
            reason,
            reason_code,
            request_address: request_address.map(Cow::Owned),
            status: Some(latest.map_or(TransferStatus::Undef, |t| status(t.status))),
            timestamp: latest.map(|t| Timestamp::new(timestamp(t.updated))),
            transfer_type,
            unixtime: latest.map(|t| t.updated),
            other: Assoc::default(),
        })
    }
}

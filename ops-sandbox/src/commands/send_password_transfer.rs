//! send_password on `transfer`: the approval email again, to the admin
//! contact recorded when the transfer was requested; only in pending_owner.

use std::borrow::Cow;

use opensrs_actions::transfer::{SendPassword, SendPasswordReply};
use opensrs_core::code::ResponseCode;

use super::Simulate;
use crate::reply::Failure;
use crate::world::{About, Channel, TransferState, World};

impl Simulate for SendPassword {
    fn simulate(self, world: &mut World) -> Result<SendPasswordReply<'static>, Failure> {
        let domain = self.domain_name.as_str().to_ascii_lowercase();
        let Some(t) = world.latest_own_transfer(&domain) else {
            return Err(Failure::new(
                480,
                format!("No transfer found for domain {domain}"),
            ));
        };
        match t.status {
            TransferState::PendingOwner => {}
            TransferState::PendingRegistry => {
                return Err(Failure::new(
                    487,
                    format!(
                        "Transfer of {domain} is in state pending_registry: the approval email \
                         is only resent while the transfer awaits the owner's approval \
                         (pending_owner)"
                    ),
                ));
            }
            TransferState::Completed | TransferState::Cancelled => {
                return Err(Failure::new(
                    480,
                    format!(
                        "No transfer in progress for domain {domain} (the latest is {})",
                        t.status.as_str()
                    ),
                ));
            }
        }
        let (id, to) = (t.id, t.admin_email.clone());
        world.send(
            Channel::Email,
            to,
            About::TransferApprovalResent {
                transfer: id,
                domain,
            },
        );
        Ok(SendPasswordReply {
            response_code: ResponseCode::from_u16(200),
            response_text: Cow::Borrowed("Message sent."),
        })
    }
}

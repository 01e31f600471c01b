//! send_password on `domain`: the domain's password by email, to its owner
//! or admin contact (admin when not said), or to its sub-user.

use std::borrow::Cow;

use opensrs_actions::domain::{SendPassword, SendPasswordReply, SendTo};
use opensrs_core::code::ResponseCode;

use super::Simulate;
use crate::reply::Failure;
use crate::world::{About, Channel, World};

impl Simulate for SendPassword {
    fn simulate(self, world: &mut World) -> Result<SendPasswordReply<'static>, Failure> {
        let domain = self.domain_name.as_str().to_ascii_lowercase();
        let Some(d) = world
            .domains
            .get(&domain)
            .filter(|d| d.reseller.as_deref() == Some(world.username.as_str()))
        else {
            return Err(Failure::new(
                480,
                format!("Domain {domain} not found in your account"),
            ));
        };
        let (contact, id) = if self.sub_user == Some(true) {
            let Some(sub) = &d.sub_user else {
                return Err(Failure::new(
                    480,
                    format!("Domain {domain} has no sub-user"),
                ));
            };
            ("sub_user", sub.clone())
        } else {
            match self.send_to {
                Some(SendTo::Owner) => ("owner", d.registrant.clone()),
                Some(SendTo::Admin) | None => ("admin", d.admin.clone()),
            }
        };
        let to = world.email(&id);
        world.send(
            Channel::Email,
            to,
            About::DomainPassword {
                domain,
                contact: contact.to_owned(),
            },
        );
        Ok(SendPasswordReply {
            response_code: ResponseCode::from_u16(200),
            response_text: Cow::Borrowed("Message sent"),
        })
    }
}

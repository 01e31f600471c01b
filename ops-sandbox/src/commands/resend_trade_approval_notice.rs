//! resend_trade_approval_notice: the approval notice of a pending change of
//! registrant, by email to the current or new registrant, or by SMS to the
//! current one (`sms_phone_number` overriding their phone).

use std::borrow::Cow;

use opensrs_actions::domain::{
    RegistrantType, ResendTradeApprovalNotice, ResendTradeApprovalNoticeReply, SendType,
};
use opensrs_core::code::ResponseCode;

use super::Simulate;
use crate::reply::Failure;
use crate::world::{About, Channel, World};

impl Simulate for ResendTradeApprovalNotice {
    fn simulate(
        self,
        world: &mut World,
    ) -> Result<ResendTradeApprovalNoticeReply<'static>, Failure> {
        let domain = self.domain().as_str().to_ascii_lowercase();
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
        let Some(trade) = world.trades.get(&domain) else {
            return Err(Failure::new(
                480,
                format!("No change of registrant (trade) is pending for domain {domain}"),
            ));
        };
        let (registrant, which) = match self.registrant_type() {
            RegistrantType::Current => (d.registrant.clone(), "current"),
            RegistrantType::New => (trade.new_registrant.clone(), "new"),
        };
        let about = About::TradeApproval {
            domain: domain.clone(),
            registrant_type: which.to_owned(),
        };
        let text = match self.send_type() {
            // The typed request's rule: SMS only to the current registrant.
            SendType::Sms => {
                let phone = match self.sms_phone_number() {
                    Some(p) => p.as_str().to_owned(),
                    None => match world.contact(&registrant).and_then(|c| c.phone.clone()) {
                        Some(p) => p,
                        None => {
                            return Err(Failure::new(
                                465,
                                format!(
                                    "The current registrant of {domain} has no phone number: \
                                     give sms_phone_number"
                                ),
                            ));
                        }
                    },
                };
                world.send(Channel::Sms, phone.clone(), about);
                format!("SMS message successfully sent to {phone}")
            }
            SendType::Email => {
                let to = world.email(&registrant);
                world.send(Channel::Email, to, about);
                format!("Approval notification re-sent via EMAIL for the {which} registrant")
            }
        };
        Ok(ResendTradeApprovalNoticeReply {
            response_code: ResponseCode::from_u16(200),
            response_text: Cow::Owned(text),
        })
    }
}

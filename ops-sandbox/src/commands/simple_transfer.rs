//! simple_transfer: a job of transfers, each domain checked on its own (a
//! failing one does not fail the request), one approval email per
//! registrant for all of their domains.
#![allow(deprecated)] // simple_transfer is deprecated by OpenSRS, and served.

use std::borrow::Cow;

use opensrs_actions::domain::{SimpleTransfer, SimpleTransferReply};
use opensrs_core::code::ResponseCode;

use super::Simulate;
use super::check_transfer::obstacle;
use crate::reply::Failure;
use crate::world::{APPROVAL_WINDOW, About, Channel, Job, JobDomain, JobOutcome, World};

impl Simulate for SimpleTransfer {
    fn simulate(self, world: &mut World) -> Result<SimpleTransferReply<'static>, Failure> {
        let job = world.jobs.len() as u64 + 1;
        let mut domains = Vec::with_capacity(self.domain_list().len());
        // Registrants in the order they first appear, with their transfers.
        let mut by_registrant: Vec<(String, Vec<u64>, Vec<String>)> = Vec::new();
        for d in self.domain_list() {
            let name = d.domain_name.as_str().to_ascii_lowercase();
            let failure = obstacle(world, &name).or_else(|| {
                let right = world
                    .domains
                    .get(&name)
                    .is_some_and(|known| known.auth_code.expose() == d.auth_info.expose());
                (!right).then(|| {
                    (
                        "invalid_auth_code",
                        "Incorrect authorization code".to_owned(),
                    )
                })
            });
            let outcome = match failure {
                Some((code, reason)) => JobOutcome::Failed {
                    reason_code: code.to_owned(),
                    reason,
                },
                None => {
                    let transfer = world.place_transfer(&name, Some(job));
                    let registrant = world.transfers[transfer as usize - 1].registrant.clone();
                    match by_registrant.iter_mut().find(|(r, ..)| *r == registrant) {
                        Some((_, ids, names)) => {
                            ids.push(transfer);
                            names.push(name.clone());
                        }
                        None => {
                            by_registrant.push((registrant, vec![transfer], vec![name.clone()]))
                        }
                    }
                    JobOutcome::Submitted { transfer }
                }
            };
            domains.push(JobDomain {
                domain: name,
                outcome,
            });
        }
        let deadline = world.now + APPROVAL_WINDOW;
        for (registrant, transfers, names) in by_registrant {
            let approval = world.open_approval(Some(job), &registrant, transfers, deadline);
            let to = world.email(&registrant);
            world.send(
                Channel::Email,
                to,
                About::TransferApproval {
                    job,
                    approval,
                    domains: names,
                },
            );
        }
        world.jobs.push(Job {
            id: job,
            reseller: world.username.clone(),
            created: world.now,
            domains,
        });
        Ok(SimpleTransferReply {
            response_code: ResponseCode::from_u16(200),
            response_text: Cow::Borrowed("Simple transfer job successfully added"),
            simple_transfer_job_id: Cow::Owned(job.to_string()),
        })
    }
}

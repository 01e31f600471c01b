//! The sandbox's state: contacts, domains, transfers, simple_transfer jobs,
//! registrant approvals, pending trades, the outbox and the clock.
//!
//! Everything lives in one [`World`] behind one mutex: a request decodes
//! outside the lock and runs its command inside it, so concurrent requests
//! on the same domains see each other's effects in some order, never half
//! of them.

use std::collections::{BTreeMap, HashMap};

use opensrs_core::secret::Secret;
use serde::Serialize;

use crate::seed::Seed;

/// One day, in seconds.
pub(crate) const DAY: i64 = 86_400;
/// How long the registrant has to answer a transfer approval email before
/// the transfers are cancelled (simple_transfer's page: 7 days).
pub const APPROVAL_WINDOW: i64 = 7 * DAY;
/// How long a transfer waits in `pending_registry` before the registry
/// completes it on its own (check_transfer's page: 7 days).
pub const REGISTRY_WINDOW: i64 = 7 * DAY;
/// check_transfer with `check_status` on a `pending_registry` transfer
/// schedules its completion within this many seconds (5 minutes).
pub const SCHEDULED_COMPLETION: i64 = 5 * 60;
/// A domain registered or transferred less than this long ago cannot be
/// transferred (the 60-day lock).
pub const TRANSFER_LOCK: i64 = 60 * DAY;

/// The TLDs simple_transfer supports, as its spec page lists them (the
/// page's `.mm- example-sunrise` read as `.mm-example-sunrise`). The
/// sandbox uses the same list for check_transfer.
pub const SUPPORTED_TLDS: &[&str] = &[
    "academy",
    "agency",
    "asia",
    "associates",
    "bar",
    "bargains",
    "best",
    "bid",
    "bike",
    "biz",
    "blackfriday",
    "boutique",
    "builders",
    "bz",
    "org.bz",
    "cab",
    "camera",
    "camp",
    "capital",
    "cards",
    "care",
    "careers",
    "cash",
    "cat",
    "catering",
    "cc",
    "center",
    "ceo",
    "cheap",
    "christmas",
    "claims",
    "claimsga",
    "claimsgathree",
    "cleaning",
    "clinic",
    "clothing",
    "co",
    "com.co",
    "net.co",
    "nom.co",
    "codes",
    "coffee",
    "com",
    "community",
    "company",
    "computer",
    "condos",
    "construction",
    "contractors",
    "cool",
    "cruises",
    "dance",
    "dating",
    "democrat",
    "dental",
    "diamonds",
    "directory",
    "discount",
    "domains",
    "education",
    "email",
    "engineering",
    "enterprises",
    "equipment",
    "estate",
    "events",
    "example",
    "exchange",
    "expert",
    "exposed",
    "fail",
    "farm",
    "fcfs",
    "financial",
    "fish",
    "fitness",
    "flights",
    "florist",
    "foundation",
    "fund",
    "furniture",
    "futbol",
    "ga",
    "gaclaim",
    "gallery",
    "gift",
    "glass",
    "graphics",
    "gripe",
    "guitars",
    "guru",
    "holdings",
    "holiday",
    "horse-sunrush",
    "house",
    "immobilien",
    "in",
    "co.in",
    "firm.in",
    "gen.in",
    "ind.in",
    "net.in",
    "org.in",
    "industries",
    "info",
    "ink",
    "institute",
    "international",
    "investments",
    "jetzt",
    "kitchen",
    "kiwi-claims",
    "land",
    "lease",
    "lighting",
    "limited",
    "limo",
    "link",
    "lrclaim",
    "maison",
    "management",
    "marketing",
    "me",
    "media",
    "mm-example",
    "mm-example-landrush",
    "mm-example-sunrise",
    "mobi",
    "multi",
    "net",
    "ninja",
    "nyc",
    "open",
    "org",
    "partners",
    "parts",
    "photo",
    "photography",
    "photos",
    "pics",
    "pictures",
    "plumbing",
    "pro",
    "productions",
    "properties",
    "pub",
    "recipes",
    "reisen",
    "rentals",
    "repair",
    "report",
    "rest",
    "reviews",
    "schule",
    "services",
    "sexy",
    "shoes",
    "singles",
    "social",
    "solar",
    "solutions",
    "sunrise",
    "sunrise-1030",
    "sunrise-1231",
    "sunrisepremium",
    "supplies",
    "supply",
    "support",
    "surgery",
    "systems",
    "tattoo",
    "tax",
    "technology",
    "tel",
    "testone",
    "testtwo",
    "tienda",
    "tips",
    "today",
    "tools",
    "town",
    "toys",
    "trade",
    "training",
    "tv",
    "university",
    "us",
    "vacations",
    "ventures",
    "viajes",
    "villas",
    "vision",
    "voyage",
    "watch",
    "webcam",
    "wiki",
    "works",
    "ws",
    "wtf",
    "xxx",
    "xyz",
    "zone",
];

/// Whether simple_transfer supports `domain`'s TLD: the part after its
/// first label (`com.co` for `shop.com.co`) or its last label is listed.
pub fn tld_supported(domain: &str) -> bool {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let after_first = domain.split_once('.').map(|(_, rest)| rest);
    let last = domain.rsplit('.').next();
    [after_first, last]
        .into_iter()
        .flatten()
        .any(|suffix| SUPPORTED_TLDS.contains(&suffix))
}

/// A person: a registrant, an admin contact, a sub-user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// The contact's id in the seed (`alice`).
    pub id: String,
    /// Full name.
    pub name: String,
    /// Email address: where approval emails and passwords go.
    pub email: String,
    /// Phone number in OpenSRS's `+CC.NUMBER` form, for SMS.
    pub phone: Option<String>,
}

/// A registered domain as the sandbox knows it.
#[derive(Debug, Clone)]
pub(crate) struct Domain {
    pub(crate) registrant: String,
    pub(crate) admin: String,
    pub(crate) sub_user: Option<String>,
    pub(crate) auth_code: Secret,
    pub(crate) locked: bool,
    /// The OpenSRS reseller that holds it; `None`: another registrar.
    pub(crate) reseller: Option<String>,
    /// Registration or last transfer (the 60-day lock counts from it).
    pub(crate) since: i64,
    pub(crate) noservice: bool,
}

/// Where a transfer stands (check_transfer's `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferState {
    /// Waiting for the registrant's (owner's) approval.
    PendingOwner,
    /// Approved; waiting for the registry.
    PendingRegistry,
    /// Done: the domain is with the reseller that asked.
    Completed,
    /// Stopped: rejected, or no answer in time.
    Cancelled,
}

impl TransferState {
    /// Whether the transfer is still under way.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            TransferState::PendingOwner | TransferState::PendingRegistry
        )
    }

    /// The wire name (`pending_owner`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            TransferState::PendingOwner => "pending_owner",
            TransferState::PendingRegistry => "pending_registry",
            TransferState::Completed => "completed",
            TransferState::Cancelled => "cancelled",
        }
    }
}

/// A transfer order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transfer {
    /// The order's id.
    pub id: u64,
    /// The domain, lower case.
    pub domain: String,
    /// The reseller that asked for it.
    pub reseller: String,
    /// Where it stands.
    pub status: TransferState,
    /// The simple_transfer job that created it, if any.
    pub job: Option<u64>,
    /// The approval (one registrant's answer) it waits on or got.
    pub approval: Option<u64>,
    /// The registrant (contact id) when the transfer was requested.
    pub registrant: String,
    /// The admin contact's email when the transfer was requested:
    /// send_password (transfer) writes to it.
    pub admin_email: String,
    /// The registrant's email when the transfer was requested
    /// (check_transfer's `request_address`).
    pub request_address: String,
    /// When it was placed (unixtime).
    pub created: i64,
    /// When its state last changed (unixtime).
    pub updated: i64,
    /// pending_owner: when it is cancelled without an answer;
    /// pending_registry: when the registry completes it.
    pub due: Option<i64>,
}

/// What happened to one domain of a simple_transfer job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum JobOutcome {
    /// A transfer order was placed.
    Submitted {
        /// Its id.
        transfer: u64,
    },
    /// The domain failed; the rest of the job went on.
    Failed {
        /// A stable code (`invalid_auth_code`, `domain_locked`, ...).
        reason_code: String,
        /// A sentence.
        reason: String,
    },
}

/// One domain of a simple_transfer job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobDomain {
    /// The domain, lower case.
    pub domain: String,
    /// What happened to it.
    #[serde(flatten)]
    pub outcome: JobOutcome,
}

/// A simple_transfer job (its `simple_transfer_job_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    /// The job id.
    pub id: u64,
    /// The reseller that submitted it.
    pub reseller: String,
    /// When (unixtime).
    pub created: i64,
    /// Every domain of the request, in its order.
    pub domains: Vec<JobDomain>,
}

/// Where a registrant's approval stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalState {
    /// Waiting for the registrant.
    Pending,
    /// Accepted: its transfers went on to the registry.
    Accepted,
    /// Rejected: its transfers were cancelled.
    Rejected,
    /// No answer within 7 days: nothing was transferred.
    Expired,
}

/// One registrant's approval for the transfers of one job (one email for
/// all of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    /// The approval's id.
    pub id: u64,
    /// The job it belongs to (`None` for a seeded transfer).
    pub job: Option<u64>,
    /// The registrant (contact id) who answers.
    pub registrant: String,
    /// The transfers it covers.
    pub transfers: Vec<u64>,
    /// Where it stands.
    pub state: ApprovalState,
    /// When it expires without an answer (unixtime).
    pub deadline: i64,
}

/// How a notice was "sent".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// An email.
    Email,
    /// A text message.
    Sms,
}

/// What a notice is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum About {
    /// simple_transfer's approval request: one per registrant and job, for
    /// all of their domains.
    TransferApproval {
        /// The job.
        job: u64,
        /// The approval the registrant answers.
        approval: u64,
        /// The domains, lower case, in the request's order.
        domains: Vec<String>,
    },
    /// send_password (transfer): the approval email sent again.
    TransferApprovalResent {
        /// The transfer.
        transfer: u64,
        /// Its domain.
        domain: String,
    },
    /// send_password (domain): the domain's password.
    DomainPassword {
        /// The domain.
        domain: String,
        /// `owner`, `admin` or `sub_user`.
        contact: String,
    },
    /// resend_trade_approval_notice: a change of registrant to approve.
    TradeApproval {
        /// The domain.
        domain: String,
        /// `current` or `new`.
        registrant_type: String,
    },
}

/// A notice the sandbox "sent": nothing leaves the machine, it is kept
/// here for tests to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    /// Its number, from 1, in sending order.
    pub id: u64,
    /// When (unixtime).
    pub at: i64,
    /// Email or SMS.
    pub channel: Channel,
    /// The email address or phone number.
    pub to: String,
    /// What it concerns.
    pub about: About,
}

/// A pending change of registrant (a trade).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Trade {
    pub(crate) new_registrant: String,
}

/// Why a registrant action or a query found nothing to act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// No contact has this id.
    #[error("no contact has id `{0}`")]
    UnknownContact(String),
    /// The registrant has no approval waiting for an answer.
    #[error("registrant `{0}` has no transfer approval waiting for an answer")]
    NothingPending(String),
}

/// The whole state.
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) username: String,
    pub(crate) now: i64,
    pub(crate) contacts: BTreeMap<String, Contact>,
    pub(crate) domains: HashMap<String, Domain>,
    pub(crate) transfers: Vec<Transfer>,
    pub(crate) jobs: Vec<Job>,
    pub(crate) approvals: Vec<Approval>,
    pub(crate) trades: HashMap<String, Trade>,
    pub(crate) outbox: Vec<Message>,
}

impl World {
    /// The world `seed` describes, for reseller `username`, at `now`.
    pub(crate) fn new(seed: &Seed, username: &str, now: i64) -> World {
        let mut world = World {
            username: username.to_owned(),
            now,
            contacts: BTreeMap::new(),
            domains: HashMap::new(),
            transfers: Vec::new(),
            jobs: Vec::new(),
            approvals: Vec::new(),
            trades: HashMap::new(),
            outbox: Vec::new(),
        };
        seed.apply(&mut world);
        world
    }

    /// `reseller` as stored: the seed's `self` is this sandbox's reseller.
    pub(crate) fn reseller_name(&self, reseller: &str) -> String {
        if reseller == "self" {
            self.username.clone()
        } else {
            reseller.to_owned()
        }
    }

    pub(crate) fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts.get(id)
    }

    /// The email of contact `id` (empty when the contact is unknown, which
    /// a validated seed rules out).
    pub(crate) fn email(&self, id: &str) -> String {
        self.contact(id)
            .map(|c| c.email.clone())
            .unwrap_or_default()
    }

    /// The transfer under way on `domain`, whoever asked for it.
    pub(crate) fn active_transfer(&self, domain: &str) -> Option<&Transfer> {
        self.transfers
            .iter()
            .rev()
            .find(|t| t.domain == domain && t.status.is_active())
    }

    /// The latest transfer of `domain` that this sandbox's reseller asked
    /// for.
    pub(crate) fn latest_own_transfer(&self, domain: &str) -> Option<&Transfer> {
        self.transfers
            .iter()
            .rev()
            .find(|t| t.domain == domain && t.reseller == self.username)
    }

    pub(crate) fn transfer_mut(&mut self, id: u64) -> Option<&mut Transfer> {
        id.checked_sub(1)
            .and_then(|i| self.transfers.get_mut(usize::try_from(i).ok()?))
    }

    /// Places a transfer order (pending_owner) and returns its id.
    pub(crate) fn place_transfer(&mut self, domain: &str, job: Option<u64>) -> u64 {
        let id = self.transfers.len() as u64 + 1;
        let (registrant, admin) = self
            .domains
            .get(domain)
            .map(|d| (d.registrant.clone(), d.admin.clone()))
            .unwrap_or_default();
        let transfer = Transfer {
            id,
            domain: domain.to_owned(),
            reseller: self.username.clone(),
            status: TransferState::PendingOwner,
            job,
            approval: None,
            request_address: self.email(&registrant),
            admin_email: self.email(&admin),
            registrant,
            created: self.now,
            updated: self.now,
            due: Some(self.now + APPROVAL_WINDOW),
        };
        self.transfers.push(transfer);
        id
    }

    /// Opens an approval for `transfers` (all of `registrant`) and returns
    /// its id.
    pub(crate) fn open_approval(
        &mut self,
        job: Option<u64>,
        registrant: &str,
        transfers: Vec<u64>,
        deadline: i64,
    ) -> u64 {
        let id = self.approvals.len() as u64 + 1;
        for &t in &transfers {
            if let Some(t) = self.transfer_mut(t) {
                t.approval = Some(id);
                t.due = Some(deadline);
            }
        }
        self.approvals.push(Approval {
            id,
            job,
            registrant: registrant.to_owned(),
            transfers,
            state: ApprovalState::Pending,
            deadline,
        });
        id
    }

    /// Records a notice in the outbox.
    pub(crate) fn send(&mut self, channel: Channel, to: String, about: About) {
        let id = self.outbox.len() as u64 + 1;
        self.outbox.push(Message {
            id,
            at: self.now,
            channel,
            to,
            about,
        });
    }

    /// Moves the clock forward by `seconds` and runs what fell due.
    pub(crate) fn advance(&mut self, seconds: i64) {
        // The clock stops at the last instant a timestamp can show (the end
        // of year 9999): past it, check_transfer would have no `timestamp`.
        let last = opensrs_actions::jiff::Timestamp::MAX.as_second();
        self.now = self.now.saturating_add(seconds.max(0)).min(last);
        self.tick();
    }

    /// Runs what is due at `now`, in the order it fell due: approvals
    /// without an answer expire (their transfers are cancelled), registry
    /// waits end (their transfers complete).
    pub(crate) fn tick(&mut self) {
        loop {
            let next = self
                .transfers
                .iter()
                .filter(|t| t.status.is_active())
                .filter_map(|t| t.due.map(|due| (due, t.id)))
                .filter(|&(due, _)| due <= self.now)
                .min();
            let Some((due, id)) = next else { break };
            let Some(t) = self.transfer_mut(id) else {
                break;
            };
            match t.status {
                TransferState::PendingOwner => {
                    let approval = t.approval;
                    t.status = TransferState::Cancelled;
                    t.updated = due;
                    t.due = None;
                    if let Some(a) = approval {
                        self.expire_approval(a, due);
                    }
                }
                TransferState::PendingRegistry => {
                    t.status = TransferState::Completed;
                    t.updated = due;
                    t.due = None;
                    let (domain, reseller) = (t.domain.clone(), t.reseller.clone());
                    if let Some(d) = self.domains.get_mut(&domain) {
                        d.reseller = Some(reseller);
                        d.since = due;
                        d.auth_code = Secret::new(format!("sandbox-{domain}-{due}"));
                    }
                }
                TransferState::Completed | TransferState::Cancelled => {}
            }
        }
    }

    /// Approval `id` got no answer by `at`: it expires and every transfer
    /// it still holds is cancelled (nothing is transferred).
    fn expire_approval(&mut self, id: u64, at: i64) {
        let Some(a) = self.approvals.iter_mut().find(|a| a.id == id) else {
            return;
        };
        if a.state != ApprovalState::Pending {
            return;
        }
        a.state = ApprovalState::Expired;
        for t in a.transfers.clone() {
            if let Some(t) = self.transfer_mut(t)
                && t.status == TransferState::PendingOwner
            {
                t.status = TransferState::Cancelled;
                t.updated = at;
                t.due = None;
            }
        }
    }

    /// The registrant `registrant` answers every approval waiting for them:
    /// accepted, their transfers go to pending_registry; rejected, they are
    /// cancelled. Returns the transfers concerned.
    pub(crate) fn answer(
        &mut self,
        registrant: &str,
        accept: bool,
    ) -> Result<Vec<u64>, ActionError> {
        self.tick();
        if !self.contacts.contains_key(registrant) {
            return Err(ActionError::UnknownContact(registrant.to_owned()));
        }
        let now = self.now;
        let mut concerned = Vec::new();
        let pending: Vec<usize> = self
            .approvals
            .iter()
            .enumerate()
            .filter(|(_, a)| a.registrant == registrant && a.state == ApprovalState::Pending)
            .map(|(i, _)| i)
            .collect();
        if pending.is_empty() {
            return Err(ActionError::NothingPending(registrant.to_owned()));
        }
        for i in pending {
            let approval = &mut self.approvals[i];
            approval.state = if accept {
                ApprovalState::Accepted
            } else {
                ApprovalState::Rejected
            };
            for id in approval.transfers.clone() {
                if let Some(t) = self.transfer_mut(id)
                    && t.status == TransferState::PendingOwner
                {
                    if accept {
                        t.status = TransferState::PendingRegistry;
                        t.due = Some(now + REGISTRY_WINDOW);
                    } else {
                        t.status = TransferState::Cancelled;
                        t.due = None;
                    }
                    t.updated = now;
                    concerned.push(id);
                }
            }
        }
        Ok(concerned)
    }

    /// Checks what must hold whatever the requests did; the first broken
    /// invariant is the error.
    pub(crate) fn check_invariants(&self) -> Result<(), String> {
        let mut active: HashMap<&str, u64> = HashMap::new();
        for (i, t) in self.transfers.iter().enumerate() {
            if t.id != i as u64 + 1 {
                return Err(format!("transfer at index {i} has id {}", t.id));
            }
            if t.status.is_active()
                && let Some(other) = active.insert(&t.domain, t.id)
            {
                return Err(format!(
                    "domain {} has two active transfers: {other} and {}",
                    t.domain, t.id
                ));
            }
            if t.status.is_active() != t.due.is_some() {
                return Err(format!(
                    "transfer {} is {:?} with due {:?}",
                    t.id, t.status, t.due
                ));
            }
        }
        for (i, job) in self.jobs.iter().enumerate() {
            if job.id != i as u64 + 1 {
                return Err(format!("job at index {i} has id {}", job.id));
            }
            for d in &job.domains {
                if let JobOutcome::Submitted { transfer } = d.outcome {
                    let t = self.transfers.get(transfer as usize - 1).ok_or_else(|| {
                        format!("job {} names a missing transfer {transfer}", job.id)
                    })?;
                    if t.job != Some(job.id) || t.domain != d.domain {
                        return Err(format!("transfer {transfer} does not match job {}", job.id));
                    }
                }
            }
        }
        for a in &self.approvals {
            for &id in &a.transfers {
                let t = &self.transfers[id as usize - 1];
                if t.approval != Some(a.id) || t.registrant != a.registrant {
                    return Err(format!("transfer {id} does not match approval {}", a.id));
                }
                let ok = match a.state {
                    ApprovalState::Pending => t.status == TransferState::PendingOwner,
                    ApprovalState::Accepted => t.status != TransferState::PendingOwner,
                    ApprovalState::Rejected | ApprovalState::Expired => {
                        t.status == TransferState::Cancelled
                    }
                };
                if !ok {
                    return Err(format!(
                        "transfer {id} is {:?} under a {:?} approval",
                        t.status, a.state
                    ));
                }
            }
            if let Some(job) = a.job {
                let emails = self
                    .outbox
                    .iter()
                    .filter(|m| {
                        matches!(m.about, About::TransferApproval { job: j, approval, .. }
                            if j == job && approval == a.id)
                    })
                    .count();
                if emails != 1 {
                    return Err(format!("approval {} has {emails} approval emails", a.id));
                }
            }
        }
        Ok(())
    }
}

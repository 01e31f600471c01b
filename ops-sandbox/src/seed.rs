//! Seeding: the contacts, domains, transfers and trades a sandbox starts
//! with, from a small TOML file or the built-in default scenario.
//!
//! The format (every table and key optional unless said otherwise;
//! unknown keys are errors):
//!
//! ```toml
//! # When the sandbox's clock starts (RFC 3339); default: now.
//! start = "2024-06-03T12:00:00Z"
//!
//! [contacts.alice]                 # a contact, named by its id
//! name = "Alice Example"           # required
//! email = "alice@example.net"      # required
//! phone = "+1.4165550100"          # for SMS
//!
//! [[domains]]
//! name = "alice-shop.com"          # required
//! registrant = "alice"             # required: a contact id
//! admin = "alice"                  # default: the registrant
//! sub_user = "alice"               # send_password's sub_user; default: none
//! auth_code = "@xMj%[1b"           # required
//! locked = false                   # a registrar lock
//! reseller = "self"                # an OpenSRS reseller ("self": this sandbox's);
//!                                  # absent: the domain is at another registrar
//! age_days = 365                   # days since registration or last transfer
//!                                  # (under 60: the 60-day lock); default 365
//! noservice = false                # the registry is unavailable
//!
//! [[transfers]]                    # transfers already placed
//! domain = "alice-shop.com"        # required: a seeded domain
//! status = "pending_owner"         # required: pending_owner, pending_registry,
//!                                  # completed or cancelled
//! reseller = "self"                # default "self"
//! age_days = 1                     # days since its last change; default 0
//!
//! [[trades]]                       # pending changes of registrant
//! domain = "trade-me.com"          # required: a domain of "self"
//! new_registrant = "carol"         # required: a contact id
//! ```
//!
//! [`Seed::default_scenario`] is `examples/default-seed.toml` of this
//! crate.

use std::collections::{BTreeMap, HashSet};

use opensrs_actions::{DomainName, PhoneNumber};
use opensrs_core::secret::Secret;
use serde::Deserialize;

use crate::world::{
    APPROVAL_WINDOW, Contact, DAY, Domain, REGISTRY_WINDOW, Trade, Transfer, TransferState, World,
};

/// The built-in scenario's TOML.
pub const DEFAULT_SEED: &str = include_str!("../examples/default-seed.toml");

/// Why a seed was refused: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeedError {
    /// Not TOML, or not this format: the message has the line and column.
    #[error("{0}")]
    Toml(String),
    /// A value that does not hold (an unknown contact, a bad domain name,
    /// a domain twice, ...).
    #[error("{message} (at {path})")]
    Invalid {
        /// The key path, e.g. `domains[2].registrant`.
        path: String,
        /// What is wrong.
        message: String,
    },
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> SeedError {
    SeedError::Invalid {
        path: path.into(),
        message: message.into(),
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    start: Option<String>,
    #[serde(default)]
    contacts: BTreeMap<String, ContactSeed>,
    #[serde(default)]
    domains: Vec<DomainSeed>,
    #[serde(default)]
    transfers: Vec<TransferSeed>,
    #[serde(default)]
    trades: Vec<TradeSeed>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactSeed {
    name: String,
    email: String,
    phone: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainSeed {
    name: String,
    registrant: String,
    admin: Option<String>,
    sub_user: Option<String>,
    auth_code: String,
    #[serde(default)]
    locked: bool,
    reseller: Option<String>,
    #[serde(default = "default_age")]
    age_days: u32,
    #[serde(default)]
    noservice: bool,
}

fn default_age() -> u32 {
    365
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TransferSeed {
    domain: String,
    status: String,
    reseller: Option<String>,
    #[serde(default)]
    age_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TradeSeed {
    domain: String,
    new_registrant: String,
}

/// A checked seed: what a sandbox starts with.
#[derive(Debug, Clone)]
pub struct Seed {
    start: Option<i64>,
    contacts: Vec<Contact>,
    domains: Vec<DomainSeed>,
    transfers: Vec<(TransferSeed, TransferState)>,
    trades: Vec<TradeSeed>,
}

impl Seed {
    /// Nothing: no contacts, no domains.
    pub fn empty() -> Seed {
        Seed {
            start: None,
            contacts: Vec::new(),
            domains: Vec::new(),
            transfers: Vec::new(),
            trades: Vec::new(),
        }
    }

    /// The built-in scenario ([`DEFAULT_SEED`]): Alice's domains at another
    /// registrar (one locked, one in its 60-day lock, one on a TLD
    /// simple_transfer does not support), a domain of another OpenSRS
    /// reseller, one of this sandbox's reseller with a pending trade to
    /// Carol.
    pub fn default_scenario() -> Seed {
        match Seed::from_toml(DEFAULT_SEED) {
            Ok(seed) => seed,
            // The file is this crate's own and tested; an empty world is
            // the only other answer that does not panic.
            Err(_) => Seed::empty(),
        }
    }

    /// Reads and checks a seed file's text.
    ///
    /// ```
    /// use opensrs_sandbox::Seed;
    /// let err = Seed::from_toml("[[domains]]\nname = \"a.com\"\nregistrant = \"nobody\"\nauth_code = \"x\"\n")
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "no contact has id `nobody` (at domains[0].registrant)");
    /// ```
    pub fn from_toml(text: &str) -> Result<Seed, SeedError> {
        let file: File = toml::from_str(text).map_err(|e| SeedError::Toml(e.to_string()))?;
        let start = match &file.start {
            None => None,
            Some(s) => Some(
                s.parse::<opensrs_actions::jiff::Timestamp>()
                    .map_err(|e| invalid("start", format!("not an RFC 3339 time: {e}")))?
                    .as_second(),
            ),
        };
        let mut contacts = Vec::new();
        for (id, c) in &file.contacts {
            let path = format!("contacts.{id}");
            if !c.email.contains('@') {
                return Err(invalid(format!("{path}.email"), "not an email address"));
            }
            if let Some(phone) = &c.phone {
                PhoneNumber::new(phone)
                    .map_err(|e| invalid(format!("{path}.phone"), e.to_string()))?;
            }
            contacts.push(Contact {
                id: id.clone(),
                name: c.name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
            });
        }
        let known = |path: String, id: &str| {
            if file.contacts.contains_key(id) {
                Ok(())
            } else {
                Err(invalid(path, format!("no contact has id `{id}`")))
            }
        };
        let mut domains = Vec::new();
        let mut names = HashSet::new();
        for (i, d) in file.domains.iter().enumerate() {
            let path = format!("domains[{i}]");
            let name = DomainName::new(&d.name)
                .map_err(|e| invalid(format!("{path}.name"), e.to_string()))?;
            let name = name.as_str().to_ascii_lowercase();
            if !names.insert(name.clone()) {
                return Err(invalid(
                    format!("{path}.name"),
                    format!("`{name}` is seeded twice"),
                ));
            }
            known(format!("{path}.registrant"), &d.registrant)?;
            for (key, c) in [("admin", &d.admin), ("sub_user", &d.sub_user)] {
                if let Some(c) = c {
                    known(format!("{path}.{key}"), c)?;
                }
            }
            if d.auth_code.is_empty() {
                return Err(invalid(format!("{path}.auth_code"), "empty"));
            }
            domains.push(DomainSeed { name, ..d.clone() });
        }
        let mut transfers = Vec::new();
        let mut active = HashSet::new();
        for (i, t) in file.transfers.iter().enumerate() {
            let path = format!("transfers[{i}]");
            let domain = t.domain.to_ascii_lowercase();
            if !names.contains(&domain) {
                return Err(invalid(
                    format!("{path}.domain"),
                    format!("`{domain}` is not a seeded domain"),
                ));
            }
            let state = match t.status.as_str() {
                "pending_owner" => TransferState::PendingOwner,
                "pending_registry" => TransferState::PendingRegistry,
                "completed" => TransferState::Completed,
                "cancelled" => TransferState::Cancelled,
                other => {
                    return Err(invalid(
                        format!("{path}.status"),
                        format!(
                            "`{other}` is not one of pending_owner, pending_registry, completed, cancelled"
                        ),
                    ));
                }
            };
            if state.is_active() && !active.insert(domain.clone()) {
                return Err(invalid(
                    format!("{path}.domain"),
                    format!("`{domain}` already has a transfer under way"),
                ));
            }
            transfers.push((
                TransferSeed {
                    domain,
                    ..t.clone()
                },
                state,
            ));
        }
        let mut trades = Vec::new();
        for (i, t) in file.trades.iter().enumerate() {
            let path = format!("trades[{i}]");
            let domain = t.domain.to_ascii_lowercase();
            let Some(d) = domains.iter().find(|d| d.name == domain) else {
                return Err(invalid(
                    format!("{path}.domain"),
                    format!("`{domain}` is not a seeded domain"),
                ));
            };
            if d.reseller.as_deref() != Some("self") {
                return Err(invalid(
                    format!("{path}.domain"),
                    format!(
                        "`{domain}` is not a domain of this sandbox's reseller (reseller = \"self\")"
                    ),
                ));
            }
            known(format!("{path}.new_registrant"), &t.new_registrant)?;
            trades.push(TradeSeed {
                domain,
                ..t.clone()
            });
        }
        Ok(Seed {
            start,
            contacts,
            domains,
            transfers,
            trades,
        })
    }

    /// When the seed's clock starts (unixtime), if it says.
    pub fn start(&self) -> Option<i64> {
        self.start
    }

    /// Fills `world` (its reseller and clock already set).
    pub(crate) fn apply(&self, world: &mut World) {
        let now = world.now;
        for c in &self.contacts {
            world.contacts.insert(c.id.clone(), c.clone());
        }
        for d in &self.domains {
            let reseller = d.reseller.as_deref().map(|r| world.reseller_name(r));
            world.domains.insert(
                d.name.clone(),
                Domain {
                    registrant: d.registrant.clone(),
                    admin: d.admin.clone().unwrap_or_else(|| d.registrant.clone()),
                    sub_user: d.sub_user.clone(),
                    auth_code: Secret::new(d.auth_code.clone()),
                    locked: d.locked,
                    reseller,
                    since: now - i64::from(d.age_days) * DAY,
                    noservice: d.noservice,
                },
            );
        }
        for (t, state) in &self.transfers {
            let at = now - i64::from(t.age_days) * DAY;
            let id = world.place_transfer(&t.domain, None);
            let reseller = world.reseller_name(t.reseller.as_deref().unwrap_or("self"));
            if let Some(tr) = world.transfer_mut(id) {
                *tr = Transfer {
                    reseller,
                    status: *state,
                    created: at,
                    updated: at,
                    due: match state {
                        TransferState::PendingOwner => Some(at + APPROVAL_WINDOW),
                        TransferState::PendingRegistry => Some(at + REGISTRY_WINDOW),
                        _ => None,
                    },
                    ..tr.clone()
                };
            }
            if *state == TransferState::PendingOwner {
                let registrant = world.transfers[id as usize - 1].registrant.clone();
                world.open_approval(None, &registrant, vec![id], at + APPROVAL_WINDOW);
            }
        }
        for t in &self.trades {
            world.trades.insert(
                t.domain.clone(),
                Trade {
                    new_registrant: t.new_registrant.clone(),
                },
            );
        }
        world.tick();
    }
}

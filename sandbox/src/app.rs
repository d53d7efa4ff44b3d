//! The sandbox's shared state: configuration, PKI, clock, users, requests, faults, stats.

use crate::clock::Clock;
use crate::config::{Behavior, RelyingPartyConfig, SandboxConfig};
use crate::faults::Faults;
use crate::pki::Pki;
use crate::state::{Notice, Retention, State};
use crate::users::User;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;
use tokio::sync::mpsc::UnboundedSender;

/// A registered relying party and the fingerprint of its certificate.
#[derive(Clone, Debug)]
pub struct Rp {
    /// Configuration.
    pub config: RelyingPartyConfig,
    /// SHA-256 of its client certificate.
    pub fingerprint: String,
}

/// Counters tests and the control API read.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Requests per operation (after authentication).
    pub requests: BTreeMap<String, u64>,
    /// Sign requests stored.
    pub sign_requests_created: u64,
    /// Creates refused for a reused rpCallbackId.
    pub duplicates_refused: u64,
    /// Requests refused with 401.
    pub unauthorized: u64,
    /// Callbacks delivered (2xx from the relying party).
    pub callbacks_delivered: u64,
    /// Callbacks given up after every attempt.
    pub callbacks_failed: u64,
    /// mTLS connections accepted (handshake done): tests check keep-alive with it.
    pub tls_connections: u64,
}

/// Everything the handlers share.
pub struct App {
    /// Configuration at start.
    pub config: SandboxConfig,
    /// Certificates.
    pub pki: Pki,
    /// Sandbox time.
    pub clock: Clock,
    /// Simulated customers.
    pub users: Vec<User>,
    /// Registered relying parties.
    pub rps: Vec<Rp>,
    /// Requests, contents, tokens.
    pub state: Mutex<State>,
    /// Remote Identification.
    pub ident: Mutex<crate::ident::IdentState>,
    /// The sandbox's "BORICA" seal, for eID certificates.
    pub seal: crate::docgen::Signer,
    /// Base URL of the customer-facing pages (identification, documents):
    /// `http://127.0.0.1:<port>`.
    pub pages_url: String,
    /// Automatic remote signing and OIDC signing.
    pub ars: Mutex<crate::ars::ArsState>,
    /// Fault injection.
    pub faults: Faults,
    /// The simulated user's current behaviour.
    pub behavior: Mutex<Behavior>,
    /// Counters.
    pub stats: Mutex<Stats>,
    /// Outgoing callbacks.
    pub callbacks: UnboundedSender<Notice>,
    /// `https://127.0.0.1:<port>/signing-api`.
    pub base_url: String,
    /// Where ids, tokens and codes come from (a CSPRNG unless a test gave a seed).
    pub ids: std::sync::Arc<crate::ids::Entropy>,
    /// The address of each listener, for the Origin/Host check of the control API and pages.
    pub local: crate::http::LocalAddrs,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl App {
    /// Retention periods.
    pub fn retention(&self) -> Retention {
        Retention {
            normal_ms: self.config.retention_ms,
            archived_ms: self.config.archive_retention_ms,
        }
    }

    /// The relying party whose certificate has this fingerprint.
    pub fn rp_by_fingerprint(&self, fingerprint: &str) -> Option<&Rp> {
        self.rps.iter().find(|r| r.fingerprint == fingerprint)
    }

    /// Applies time and the automatic behaviour; queues the callbacks that fall due.
    pub fn tick(&self) {
        let now = self.clock.now_ms();
        let behavior = self
            .behavior
            .lock()
            .map(|b| (b.mode, b.after_ms))
            .unwrap_or((crate::config::BehaviorMode::Ignore, 0));
        let mut notices = match self.state.lock() {
            Ok(mut s) => s.tick(&self.users, now, behavior, self.retention()),
            Err(_) => Vec::new(),
        };
        if let Ok(mut i) = self.ident.lock() {
            notices.extend(i.tick(&self.ident_ctx(now)));
        }
        self.notify(notices);
    }

    /// What the identification lifecycle needs, at `now`.
    pub fn ident_ctx(&self, now: u64) -> crate::ident::Ctx<'_> {
        let behavior = self
            .behavior
            .lock()
            .map(|b| (b.mode, b.after_ms))
            .unwrap_or((crate::config::BehaviorMode::Ignore, 0));
        crate::ident::Ctx {
            now,
            users: &self.users,
            seal: &self.seal,
            behavior,
            ids: &self.ids,
        }
    }

    /// Sends callbacks.
    pub fn notify(&self, notices: impl IntoIterator<Item = Notice>) {
        for n in notices {
            let _ = self.callbacks.send(n);
        }
    }

    /// Updates the counters.
    pub fn count(&self, f: impl FnOnce(&mut Stats)) {
        if let Ok(mut s) = self.stats.lock() {
            f(&mut s);
        }
    }
}

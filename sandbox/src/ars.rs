//! Automatic Remote Signing and OIDC signing, as the sandbox remembers them (reference §7, §8):
//! consent requests the simulated signer approves or rejects (control API, or the automatic
//! behaviour), access tokens that expire with the sandbox clock or are invalidated (revoked
//! consent, detached device, changed PIN), batches that are signed a few items per poll, the
//! limits that produce `BATCH_SIZE_EXCEED` / `REQUEST EXCEED LIMIT`, and OIDC requests the
//! tester confirms on a page.
//!
//! Signing itself is the sandbox's: every ARS/OIDC document becomes a completed sign request
//! (`State::decide` with the customer's own key), so signed files are real, downloadable by
//! `GET /v2/sign/content/{id}`, and a timed-out sync request can be checked by
//! `GET /v2/sign/{callbackId}`.

use crate::app::App;
use crate::state::{
    default_signature_type, item_bytes, Decision, ItemRecord, SignKind, SignRecord,
};
use cqes_core::btrust::{Content, SignatureStatus};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Where a consent request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConsentState {
    /// Waiting for the authorised signer.
    InProgress,
    /// Approved: a token was issued.
    Completed,
    /// Declined.
    Rejected,
    /// Nobody acted in time.
    Expired,
}

/// A consent request.
#[derive(Debug)]
pub struct ConsentRecord {
    /// Owner.
    pub rp_id: String,
    /// The authorised signer (index into the users).
    pub user: usize,
    /// The organisation's identifier.
    pub org_identifier: String,
    /// How long the token will live, in days.
    pub days: u32,
    /// Creation and end of validity (sandbox clock).
    pub created_ms: u64,
    /// End of validity.
    pub validity_ms: u64,
    /// State.
    pub state: ConsentState,
    /// The token issued on approval.
    pub token: Option<String>,
    /// The signed consent document.
    pub document: Option<Vec<u8>>,
}

/// Why a token stopped working, if it did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TokenState {
    /// Works until it expires.
    Active,
    /// The signer revoked the consent (`CONSENT_REVOKE`).
    ConsentRevoke,
    /// The device was detached from the certificate (`DETACHED_DEVICE`).
    DetachedDevice,
    /// The PIN changed (`CHANGED_PIN`).
    ChangedPin,
}

/// An access token.
#[derive(Debug)]
pub struct TokenRecord {
    /// Owner.
    pub rp_id: String,
    /// The signer.
    pub user: usize,
    /// The consent it came from.
    pub consent_id: String,
    /// Expiry (sandbox clock).
    pub expires_ms: u64,
    /// State.
    pub state: TokenState,
    /// Sign requests (sync and batch) made with it.
    pub requests: u32,
}

/// One item of a batch: still to sign, signed (its sign request), or revoked.
#[derive(Debug)]
pub enum BatchItem {
    /// Not signed yet.
    Pending(Content),
    /// Signed: the sign request that holds it.
    Signed(String),
    /// The token stopped working before this item was signed.
    Revoked,
}

/// A batch.
#[derive(Debug)]
pub struct BatchRecord {
    /// Owner.
    pub rp_id: String,
    /// The token it was submitted with.
    pub token: String,
    /// Items in request order.
    pub items: Vec<BatchItem>,
}

/// An OIDC signing request.
#[derive(Debug)]
pub struct OidcRecord {
    /// Owner.
    pub rp_id: String,
    /// What to sign.
    pub contents: Vec<Content>,
    /// Where the browser returns.
    pub redirect_uri: String,
    /// Returned with the redirect.
    pub state: Option<String>,
    /// End of validity (sandbox clock).
    pub validity_ms: u64,
    /// The signer who confirmed, and the sign request that holds the documents.
    pub signed: Option<(usize, String)>,
    /// The tester cancelled on the page.
    pub rejected: bool,
}

/// Limits and injected behaviour (control API `/ars/limits`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArsLimits {
    /// Largest batch accepted (`BATCH_SIZE_EXCEED` above).
    pub max_batch_size: u32,
    /// Sign requests allowed per token (`REQUEST EXCEED LIMIT` after); none: unlimited.
    pub max_requests_per_token: Option<u32>,
    /// Batch items signed per status poll.
    pub batch_items_per_poll: u32,
    /// The next this many sync requests sign, then answer `REQUEST_TIMEOUT`.
    pub timeout_next_sync: u32,
}

impl Default for ArsLimits {
    fn default() -> Self {
        ArsLimits {
            max_batch_size: 100,
            max_requests_per_token: None,
            batch_items_per_poll: 4,
            timeout_next_sync: 0,
        }
    }
}

/// Everything ARS and OIDC.
#[derive(Debug, Default)]
pub struct ArsState {
    /// Consent requests by callbackId.
    pub consents: HashMap<String, ConsentRecord>,
    /// Tokens by value.
    pub tokens: HashMap<String, TokenRecord>,
    /// Batches by callbackId.
    pub batches: HashMap<String, BatchRecord>,
    /// OIDC requests by callbackId.
    pub oidc: HashMap<String, OidcRecord>,
    /// Limits.
    pub limits: ArsLimits,
    /// Documents signed automatically (sync and batch items), for tests.
    pub documents_signed: u64,
    /// Sync sign requests that reached the signer, for tests.
    pub sync_requests: u64,
}

impl ArsState {
    /// Applies time and the automatic behaviour to pending consents: expire after validity,
    /// else approve/reject after the behaviour's delay. Returns the consents to approve (they
    /// need the signer, which the caller holds).
    pub fn due(&mut self, now: u64, behavior: (crate::config::BehaviorMode, u64)) -> Vec<String> {
        let mut approve = Vec::new();
        for (id, c) in self.consents.iter_mut() {
            if c.state != ConsentState::InProgress {
                continue;
            }
            if now >= c.validity_ms {
                c.state = ConsentState::Expired;
            } else if now >= c.created_ms + behavior.1 {
                match behavior.0 {
                    crate::config::BehaviorMode::Approve => approve.push(id.clone()),
                    crate::config::BehaviorMode::Reject => c.state = ConsentState::Rejected,
                    crate::config::BehaviorMode::Ignore => {}
                }
            }
        }
        approve
    }
}

/// A fresh token from the sandbox's id source (a CSPRNG unless the run is seeded).
fn new_token(app: &App) -> String {
    format!("ars.{}", app.ids.hex(32))
}

/// Signs `contents` in `user`'s name now, as a completed sign request; returns its id.
pub fn sign_now(app: &App, rp_id: &str, user: usize, contents: Vec<Content>) -> Option<String> {
    let now = app.clock.now_ms();
    let id = app.ids.uuid();
    let mut state = app.state.lock().ok()?;
    let items = contents
        .into_iter()
        .map(|content| ItemRecord {
            signature_type: content
                .signature_type
                .clone()
                .unwrap_or_else(|| default_signature_type(&item_bytes(&content))),
            content,
            status: SignatureStatus::InProgress,
            signature: None,
        })
        .collect();
    state.requests.insert(
        id.clone(),
        SignRecord {
            callback_id: id.clone(),
            rp_id: rp_id.to_owned(),
            rp_callback_id: None,
            kind: SignKind::Sign,
            user: Some(user),
            items,
            created_ms: now,
            validity_ms: now + app.config.validity_ms,
            callback_url: None,
            completed: false,
        },
    );
    state.decide(&id, Decision::Approve, &app.users, now, app.retention());
    Some(id)
}

/// The signatures of a completed sign request as ARS reports them:
/// `{signature, signatureId, signatureType, status}` per item.
pub fn signatures(app: &App, sign_id: &str) -> Vec<serde_json::Value> {
    let Ok(state) = app.state.lock() else {
        return Vec::new();
    };
    let Some(r) = state.requests.get(sign_id) else {
        return Vec::new();
    };
    r.items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let raw = it.signature_type == cqes_core::btrust::SignatureType::Signature;
            let id = if raw {
                Some(format!("{sign_id}-{i}"))
            } else {
                it.signature.clone()
            };
            serde_json::json!({
                "signature": it.signature,
                "signatureId": id,
                "signatureType": it.signature_type.as_str(),
                "status": it.status.as_str(),
            })
        })
        .collect()
}

/// Approves a pending consent: issues the token and signs the consent document in the
/// signer's name. Returns false if it was not pending.
pub fn approve(app: &App, consent_id: &str) -> bool {
    let now = app.clock.now_ms();
    let (rp_id, user, org, days) = {
        let Ok(ars) = app.ars.lock() else {
            return false;
        };
        match ars.consents.get(consent_id) {
            Some(c) if c.state == ConsentState::InProgress => {
                (c.rp_id.clone(), c.user, c.org_identifier.clone(), c.days)
            }
            _ => return false,
        }
    };
    let name = app
        .users
        .get(user)
        .map(|u| u.config.name.clone())
        .unwrap_or_default();
    let pdf = crate::pdfgen::simple_pdf(
        "Consent to automatic remote signing",
        &[
            format!("Organisation: {org}"),
            format!("Authorised signer: {name}"),
            format!("Valid for {days} days"),
        ],
    );
    let mut doc = Content::document("Consent", pdf);
    doc.signature_type = Some(cqes_core::btrust::SignatureType::PadesBaselineB);
    doc.file_name = Some("consent.pdf".into());
    let signed = sign_now(app, &rp_id, user, vec![doc]).and_then(|id| {
        let state = app.state.lock().ok()?;
        let content_id: i32 = state
            .requests
            .get(&id)?
            .items
            .first()?
            .signature
            .as_ref()?
            .parse()
            .ok()?;
        state.contents.get(&content_id).map(|c| c.bytes.clone())
    });
    let Ok(mut ars) = app.ars.lock() else {
        return false;
    };
    let token = new_token(app);
    let Some(c) = ars.consents.get_mut(consent_id) else {
        return false;
    };
    c.state = ConsentState::Completed;
    c.token = Some(token.clone());
    c.document = signed;
    let expires_ms = now + u64::from(days) * 86_400_000;
    ars.tokens.insert(
        token,
        TokenRecord {
            rp_id,
            user,
            consent_id: consent_id.to_owned(),
            expires_ms,
            state: TokenState::Active,
            requests: 0,
        },
    );
    true
}

/// Applies time and behaviour to the consents (called on every ARS request and control call).
pub fn tick(app: &App) {
    let now = app.clock.now_ms();
    let behavior = app
        .behavior
        .lock()
        .map(|b| (b.mode, b.after_ms))
        .unwrap_or((crate::config::BehaviorMode::Ignore, 0));
    let due = app
        .ars
        .lock()
        .map(|mut a| a.due(now, behavior))
        .unwrap_or_default();
    for id in due {
        approve(app, &id);
    }
}

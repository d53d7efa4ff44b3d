//! Remote Identification in the sandbox: mobile eID requests, web identification sessions
//! with their registrations, and one-time-certificate sign sessions, each with the lifecycle
//! the guide describes (seed 001): statuses and steps advance in order after the simulated
//! user acts, callbacks go to `requestCallbackUrl`, results become readable.
//!
//! Web status progression after the customer completes video identification (one step per
//! 150 ms of sandbox time): `ON_BOARDING` → `REGIX` → `ISSUED_CERTIFICATE` →
//! `AUTOMATIC_AGENT_COMPOSE_CLIENT_DOCUMENT` → `AUTOMATIC_AGENT_SIGNING_CLIENT_DOCUMENT` →
//! `AUTOMATIC_AGENT_SIGNED_CLIENT_DOCUMENT` → `CREATE_SIGN_SESSION_REQUEST` (callback). A sign
//! session starts at `SIGN_SESSION`/`OTP`, then `SIGNING_CLIENT_DOCUMENT`/`LOGIN` →
//! `SIGNED_CLIENT_DOCUMENT`/`SIGNING_WITH_SIGN_SESSION_SUCCESS` →
//! `SIGN_SESSION`/`SIGNING_WITH_SIGN_SESSION_SUCCESS` (callback). The exact order BORICA uses
//! is not published; this one follows the guide's lists.
//!
//! This module holds the shared state ([`IdentState`]) and the context the lifecycle needs
//! ([`Ctx`]); the records live in `records`, ids and callback bodies in `ids`, and the
//! transitions in `mobile`, `web`, `sign` (the person acts) and `tick` (time passes).

mod ids;
mod mobile;
mod records;
mod sign;
mod tick;
mod web;

pub use ids::hex64;
pub use records::{MobileIdent, Outcome, Registration, SignSession, WebSession};

use crate::config::BehaviorMode;
use crate::docgen::{self, Signer};
use crate::users::User;
use std::collections::{HashMap, VecDeque};

/// Sandbox time between two status steps.
pub const STEP_MS: u64 = 150;

/// Status changes scheduled for later.
type Queue = VecDeque<(u64, &'static str, &'static str)>;

/// Everything of Remote Identification.
#[derive(Debug, Default)]
pub struct IdentState {
    /// Mobile requests by callbackId.
    pub mobile: HashMap<String, MobileIdent>,
    /// Web sessions by resultId.
    pub web: HashMap<u64, WebSession>,
    /// Sign sessions by resultId.
    pub signs: HashMap<u64, SignSession>,
}

/// Context the lifecycle needs.
pub struct Ctx<'a> {
    /// Sandbox time.
    pub now: u64,
    /// Customers.
    pub users: &'a [User],
    /// BORICA's seal (sandbox), for eID certificates.
    pub seal: &'a Signer,
    /// The simulated user's behaviour.
    pub behavior: (BehaviorMode, u64),
    /// Where ids and codes come from.
    pub ids: &'a crate::ids::Entropy,
}

/// The eID certificate: a one-page PDF sealed with the sandbox's "BORICA" seal.
fn eid_certificate(
    name: &str,
    doc_type: &str,
    identificator: &str,
    reason: &str,
    rp_id: &str,
    c: &Ctx<'_>,
) -> Option<Vec<u8>> {
    let lines = vec![
        format!("Holder: {name}"),
        format!("Identified by: {doc_type}"),
        format!(
            "Identifier in the relying party's domain: {}",
            &identificator[..identificator.len().min(32)]
        ),
        format!("{}", &identificator[identificator.len().min(32)..]),
        format!("Relying party: {rp_id}"),
        format!("Reason: {reason}"),
        format!("Issued: {}", crate::clock::iso(c.now)),
        "Issued by the cqes sandbox (BORICA emulator). No legal effect.".to_owned(),
    ];
    let pdf = crate::pdfgen::simple_pdf("Electronic identity certificate", &lines);
    docgen::sign_document(
        "PADES_BASELINE_B",
        &pdf,
        Some("eid-certificate.pdf"),
        c.seal,
        c.now,
    )
    .ok()
    .map(|d| d.bytes)
}

/// A sign session document's bytes (`contentAsBase64` as bytes, or base64 text).
pub fn document_bytes(data: &cqes_core::blob::ContentData) -> Vec<u8> {
    match data {
        cqes_core::blob::ContentData::Bytes(b) => b.as_bytes().to_vec(),
        cqes_core::blob::ContentData::Encoded(t) => base64_simd::STANDARD
            .decode_to_vec(t.as_bytes())
            .unwrap_or_default(),
    }
}

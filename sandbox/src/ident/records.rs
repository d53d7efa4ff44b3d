//! The records of Remote Identification: where a request stands ([`Outcome`]), B-Trust
//! Mobile requests, registrations, web identification sessions and one-time-certificate sign
//! sessions.

use super::Queue;
use cqes_core::btrust::otc_signing::DocumentForSign;

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Waiting for the person.
    Pending,
    /// Finished successfully.
    Done,
    /// The person declined or cancelled.
    Rejected,
    /// The validity passed.
    Expired,
}

/// A B-Trust Mobile identification request.
#[derive(Debug)]
pub struct MobileIdent {
    /// Its id.
    pub callback_id: String,
    /// Owner.
    pub rp_id: String,
    /// The customer, when known to B-Trust (else onboarding).
    pub user: Option<usize>,
    /// `EGN`, `LNC`, `EMAIL` or `PHONE`.
    pub doc_type: String,
    /// The identifier.
    pub value: String,
    /// Why.
    pub reason: String,
    /// Created (sandbox clock).
    pub created_ms: u64,
    /// End of validity.
    pub validity_ms: u64,
    /// State.
    pub outcome: Outcome,
    /// The identifier in the relying party's domain, once finished.
    pub identificator: String,
    /// The eID certificate, once finished.
    pub content: Option<Vec<u8>>,
}

/// A registration in the registration module.
#[derive(Debug, Clone)]
pub struct Registration {
    /// For the identification page URL.
    pub session_id: String,
    /// For the status endpoint.
    pub registration_id: String,
    /// Redirect after success.
    pub success_url: String,
    /// Redirect after cancelling.
    pub cancel_url: String,
    /// Page language.
    pub language: String,
    /// Echoes.
    pub verify_email: bool,
    /// Echoes.
    pub verify_phone: bool,
    /// Created.
    pub created_ms: u64,
    /// Expires.
    pub expires_ms: u64,
    /// `STARTED`, `COMPLETED`, `FINALIZED`, `REJECTED`, `EXPIRED`.
    pub status: &'static str,
    /// `N_A`, `ALLOW_DENY`, `ALLOWED`, …
    pub review: &'static str,
    /// Processed at.
    pub processed_ms: Option<u64>,
    /// Reviewed at.
    pub reviewed_ms: Option<u64>,
}

/// A web identification session.
#[derive(Debug)]
pub struct WebSession {
    /// Its id.
    pub web_session_id: String,
    /// The result id.
    pub result_id: u64,
    /// Owner.
    pub rp_id: String,
    /// `requestCallbackUrl`.
    pub callback_url: String,
    /// Why.
    pub reason: String,
    /// Created.
    pub created_ms: u64,
    /// Validity of the web session.
    pub expire_ms: u64,
    /// Started with `without-otc` (no sign session afterwards).
    pub without_otc: bool,
    /// The registration, once created.
    pub registration: Option<Registration>,
    /// Current status.
    pub status: &'static str,
    /// Current step.
    pub step: &'static str,
    /// Pending status changes.
    pub queue: Queue,
    /// Who identified.
    pub user: Option<usize>,
    /// The customer's identifier in the relying party's domain.
    pub identificator: Option<String>,
    /// The sign session for one-time signing.
    pub sign_session_id: Option<String>,
    /// Its validity.
    pub sign_session_expire_ms: u64,
    /// The eID certificate.
    pub eid_pdf: Option<Vec<u8>>,
    /// State.
    pub outcome: Outcome,
}

/// A one-time-certificate sign session.
#[derive(Debug)]
pub struct SignSession {
    /// Its result id.
    pub result_id: u64,
    /// Owner.
    pub rp_id: String,
    /// The 64-hex token of the document page URL.
    pub token: String,
    /// The identification it belongs to.
    pub web_result_id: u64,
    /// The sign session id.
    pub sign_session_id: String,
    /// The customer's identifier.
    pub identificator: String,
    /// What to sign.
    pub documents: Vec<DocumentForSign>,
    /// Redirect after signing.
    pub success_url: String,
    /// Redirect after rejecting.
    pub cancel_url: String,
    /// Validity of the document page.
    pub expire_ms: u64,
    /// Created.
    pub created_ms: u64,
    /// Current status.
    pub status: &'static str,
    /// Current step.
    pub step: &'static str,
    /// Pending status changes.
    pub queue: Queue,
    /// The SMS code (shown on the sandbox page and the control API).
    pub otp: String,
    /// Signed documents (file name, PDF).
    pub signed: Vec<(String, Vec<u8>)>,
    /// State.
    pub outcome: Outcome,
    /// Where to POST status changes.
    pub callback_url: String,
    /// Who signs.
    pub user: Option<usize>,
}

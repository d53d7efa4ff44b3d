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

use crate::config::BehaviorMode;
use crate::docgen::{self, Signer};
use crate::state::{splitmix, Notice};
use crate::users::User;
use cqes_core::blob::ContentData;
use cqes_core::btrust::otc_signing::DocumentForSign;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};

/// Sandbox time between two status steps.
pub const STEP_MS: u64 = 150;

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

/// Status changes scheduled for later.
type Queue = VecDeque<(u64, &'static str, &'static str)>;

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

/// Everything of Remote Identification.
#[derive(Debug, Default)]
pub struct IdentState {
    /// Mobile requests by callbackId.
    pub mobile: HashMap<String, MobileIdent>,
    /// Web sessions by resultId.
    pub web: HashMap<u64, WebSession>,
    /// Sign sessions by resultId.
    pub signs: HashMap<u64, SignSession>,
    /// Next result id (the guide's examples start at 95).
    pub next_result: u64,
    /// Next callback requestId.
    pub next_request: u64,
    /// Counter for ids.
    pub counter: u64,
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
    /// Salt for ids.
    pub salt: u64,
}

/// A UUID-shaped id.
pub fn uuid(seed: u64) -> String {
    let a = splitmix(seed);
    let b = splitmix(a);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) as u16,
        (a & 0xfff) as u16,
        ((b >> 48) as u16 & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

/// 64 hex characters.
pub fn hex64(data: &str) -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(data.as_bytes()))
}

impl IdentState {
    /// A fresh id.
    pub fn id(&mut self, salt: u64) -> String {
        self.counter += 1;
        uuid(salt ^ self.counter.wrapping_mul(0x9E37_79B9))
    }

    /// A fresh result id.
    pub fn result_id(&mut self) -> u64 {
        if self.next_result == 0 {
            self.next_result = 95;
        }
        self.next_result += 1;
        self.next_result - 1
    }

    fn request_id(&mut self) -> u64 {
        if self.next_request == 0 {
            self.next_request = 315;
        }
        self.next_request += 1;
        self.next_request - 1
    }

    /// The callback body (seed 001 §2.4/§3.2). `resultId` is a string after identification and
    /// a number after signing, as in the guide's two examples.
    fn notice(
        &mut self,
        url: &str,
        rp_id: &str,
        process_state: &str,
        session_id: &str,
        result_id: Value,
    ) -> Notice {
        let request_id = self.request_id();
        let rp: Value = rp_id
            .parse::<u64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::from(rp_id));
        Notice {
            url: url.to_owned(),
            body: json!({
                "code": "OK",
                "message": "The request has been executed successfully.",
                "requestId": request_id,
                "relyingPartyId": rp,
                "data": {
                    "processState": process_state,
                    "sessionId": session_id,
                    "resultId": result_id,
                    "dataMessage": format!("The request with resultID {} completed successfully", result_id.as_str().map(str::to_owned).unwrap_or_else(|| result_id.to_string())),
                }
            }),
        }
    }

    // ----- mobile ------------------------------------------------------------------------

    /// The person approves (or declines) in B-Trust Mobile, or lets it lapse.
    pub fn decide_mobile(&mut self, callback_id: &str, outcome: Outcome, c: &Ctx<'_>) -> bool {
        let Some(m) = self
            .mobile
            .get_mut(callback_id)
            .filter(|m| m.outcome == Outcome::Pending)
        else {
            return false;
        };
        if outcome == Outcome::Done {
            let name = m
                .user
                .and_then(|u| c.users.get(u))
                .map(|u| u.config.name.clone())
                .unwrap_or_else(|| "(onboarded in B-Trust Mobile)".into());
            m.content =
                eid_certificate(&name, &m.doc_type, &m.identificator, &m.reason, &m.rp_id, c);
        }
        m.outcome = outcome;
        true
    }

    // ----- web identification ----------------------------------------------------------

    /// The customer finished video identification: statuses advance, then the callback.
    pub fn complete_web(&mut self, result_id: u64, user: Option<usize>, c: &Ctx<'_>) -> bool {
        let Some(w) = self.web.get_mut(&result_id) else {
            return false;
        };
        if w.outcome != Outcome::Pending || w.registration.is_none() || !w.queue.is_empty() {
            return false;
        }
        w.user = user.or_else(|| c.users.iter().position(|u| u.config.has_cqes));
        let mut t = c.now;
        let mut push = |s, st| {
            t += STEP_MS;
            w.queue.push_back((t, s, st));
        };
        push("ON_BOARDING", "WEB_IDV_REGISTRATION");
        push("REGIX", "WEB_IDV_REGISTRATION");
        push("ISSUED_CERTIFICATE", "PKCS10_REQ_GENERATED");
        push(
            "AUTOMATIC_AGENT_COMPOSE_CLIENT_DOCUMENT",
            "SIGNING_CLIENT_DOCUMENTS",
        );
        push(
            "AUTOMATIC_AGENT_SIGNING_CLIENT_DOCUMENT",
            "BORICA_SEAL_FOR_CLIENT_DOCUMENTS",
        );
        push(
            "AUTOMATIC_AGENT_SIGNED_CLIENT_DOCUMENT",
            "BORICA_SEAL_FOR_CLIENT_DOCUMENTS",
        );
        if w.without_otc {
            push("PROCESS_IS_FINISHED", "SIGNING_CLIENT_DOCUMENTS");
        } else {
            push("CREATE_SIGN_SESSION_REQUEST", "CREATE_SIGN_SESSION_ID");
            push(
                "CREATE_SIGN_SESSION_REQUEST",
                "SIGN_SESSION_ID_SUCCESSFULLY_CREATED",
            );
        }
        if let Some(r) = &mut w.registration {
            r.status = "COMPLETED";
            r.review = "ALLOW_DENY";
            r.processed_ms = Some(c.now);
        }
        true
    }

    /// The customer cancelled on the identification page.
    pub fn cancel_web(&mut self, result_id: u64, c: &Ctx<'_>) -> Option<Notice> {
        let w = self
            .web
            .get_mut(&result_id)
            .filter(|w| w.outcome == Outcome::Pending)?;
        w.outcome = Outcome::Rejected;
        w.queue.clear();
        w.status = "PROCESS_IS_CANCELED_BY_USER";
        if let Some(r) = &mut w.registration {
            r.status = "REJECTED";
            r.processed_ms = Some(c.now);
        }
        let (url, rp, sid) = (
            w.callback_url.clone(),
            w.rp_id.clone(),
            w.web_session_id.clone(),
        );
        // Inferred: the guide shows only success callbacks; a cancellation is reported too.
        Some(self.notice(
            &url,
            &rp,
            "PROCESS_IS_CANCELED_BY_USER",
            &sid,
            Value::from(result_id.to_string()),
        ))
    }

    fn finish_web(&mut self, result_id: u64, c: &Ctx<'_>) -> Option<Notice> {
        let w = self.web.get_mut(&result_id)?;
        w.outcome = Outcome::Done;
        let user = w.user.and_then(|u| c.users.get(u));
        let id_value = user
            .map(|u| {
                u.config
                    .egn
                    .clone()
                    .or(u.config.lnc.clone())
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        let identificator = hex64(&format!("{}:{}", w.rp_id, id_value));
        let name = user.map(|u| u.config.name.clone()).unwrap_or_default();
        w.eid_pdf = eid_certificate(&name, "EGN", &identificator, &w.reason, &w.rp_id, c);
        w.identificator = Some(identificator);
        if !w.without_otc {
            w.sign_session_id = Some(uuid(c.salt ^ result_id ^ 0x5151));
            w.sign_session_expire_ms = c.now + 24 * 3_600_000;
        }
        if let Some(r) = &mut w.registration {
            r.status = "FINALIZED";
            r.review = "ALLOWED";
            r.reviewed_ms = Some(c.now);
        }
        let state = if w.without_otc {
            "PROCESS_IS_FINISHED"
        } else {
            "CREATE_SIGN_SESSION_REQUEST"
        };
        let (url, rp, sid) = (
            w.callback_url.clone(),
            w.rp_id.clone(),
            w.web_session_id.clone(),
        );
        Some(self.notice(&url, &rp, state, &sid, Value::from(result_id.to_string())))
    }

    // ----- sign sessions -----------------------------------------------------------------

    /// The customer entered the SMS code: wrong codes are refused; right ones sign.
    pub fn submit_otp(
        &mut self,
        result_id: u64,
        otp: &str,
        c: &Ctx<'_>,
    ) -> Result<(), &'static str> {
        let s = self
            .signs
            .get_mut(&result_id)
            .ok_or("no such sign session")?;
        if s.outcome != Outcome::Pending || !s.queue.is_empty() {
            return Err("the sign session is no longer waiting for a code");
        }
        if s.otp != otp.trim() {
            return Err("wrong code");
        }
        let mut t = c.now;
        for (st, step) in [
            ("SIGNING_CLIENT_DOCUMENT", "LOGIN"),
            (
                "SIGNED_CLIENT_DOCUMENT",
                "SIGNING_WITH_SIGN_SESSION_SUCCESS",
            ),
            ("SIGN_SESSION", "SIGNING_WITH_SIGN_SESSION_SUCCESS"),
        ] {
            t += STEP_MS;
            s.queue.push_back((t, st, step));
        }
        Ok(())
    }

    /// A new code ("sent by SMS").
    pub fn new_otp(&mut self, result_id: u64, salt: u64) -> Option<String> {
        self.counter += 1;
        let n = self.counter;
        let s = self
            .signs
            .get_mut(&result_id)
            .filter(|s| s.outcome == Outcome::Pending)?;
        s.otp = format!("{:06}", splitmix(salt ^ n ^ result_id) % 1_000_000);
        Some(s.otp.clone())
    }

    /// The customer rejected the documents.
    pub fn cancel_sign(&mut self, result_id: u64) -> Option<Notice> {
        let s = self
            .signs
            .get_mut(&result_id)
            .filter(|s| s.outcome == Outcome::Pending)?;
        s.outcome = Outcome::Rejected;
        s.queue.clear();
        s.status = "PROCESS_IS_CANCELED_BY_USER";
        let (url, rp, sid) = (
            s.callback_url.clone(),
            s.rp_id.clone(),
            s.sign_session_id.clone(),
        );
        Some(self.notice(
            &url,
            &rp,
            "PROCESS_IS_CANCELED_BY_USER",
            &sid,
            Value::from(result_id),
        ))
    }

    fn finish_sign(&mut self, result_id: u64, c: &Ctx<'_>) -> Option<Notice> {
        let s = self.signs.get_mut(&result_id)?;
        let signer = s
            .user
            .and_then(|u| c.users.get(u))
            .map(|u| &u.signer)
            .unwrap_or(c.seal);
        let mut signed = Vec::new();
        for d in &s.documents {
            let bytes = match &d.content_as_base64 {
                ContentData::Bytes(b) => b.as_bytes().to_vec(),
                ContentData::Encoded(t) => base64_simd::STANDARD
                    .decode_to_vec(t.as_bytes())
                    .unwrap_or_default(),
            };
            match docgen::sign_document(
                "PADES_BASELINE_B",
                &bytes,
                Some(&d.file_name),
                signer,
                c.now,
            ) {
                Ok(doc) => signed.push((doc.file_name, doc.bytes)),
                Err(_) => {
                    s.outcome = Outcome::Rejected;
                    s.status = "PROCESS_IS_CANCELED_BY_USER";
                    return None;
                }
            }
        }
        s.signed = signed;
        s.outcome = Outcome::Done;
        let (url, rp, sid) = (
            s.callback_url.clone(),
            s.rp_id.clone(),
            s.sign_session_id.clone(),
        );
        Some(self.notice(&url, &rp, "SIGN_SESSION", &sid, Value::from(result_id)))
    }

    // ----- time ----------------------------------------------------------------------------

    /// Applies time and the automatic behaviour; returns the callbacks due.
    pub fn tick(&mut self, c: &Ctx<'_>) -> Vec<Notice> {
        let (mode, after) = c.behavior;
        let mut notices = Vec::new();
        let mobile: Vec<(String, Outcome)> = self
            .mobile
            .values()
            .filter(|m| m.outcome == Outcome::Pending)
            .filter_map(|m| {
                if c.now >= m.validity_ms {
                    Some((m.callback_id.clone(), Outcome::Expired))
                } else if c.now >= m.created_ms + after {
                    match mode {
                        BehaviorMode::Approve => Some((m.callback_id.clone(), Outcome::Done)),
                        BehaviorMode::Reject => Some((m.callback_id.clone(), Outcome::Rejected)),
                        BehaviorMode::Ignore => None,
                    }
                } else {
                    None
                }
            })
            .collect();
        for (id, o) in mobile {
            self.decide_mobile(&id, o, c);
        }
        let webs: Vec<u64> = self.web.keys().copied().collect();
        for id in webs {
            let Some(w) = self.web.get_mut(&id) else {
                continue;
            };
            if w.outcome != Outcome::Pending {
                continue;
            }
            let registered_at = w.registration.as_ref().map(|r| r.created_ms);
            let expires = w
                .registration
                .as_ref()
                .map_or(w.expire_ms, |r| r.expires_ms.min(w.expire_ms));
            if w.queue.is_empty() && c.now >= expires {
                w.outcome = Outcome::Expired;
                if let Some(r) = &mut w.registration {
                    r.status = "EXPIRED";
                }
                continue;
            }
            if let (true, Some(at)) = (w.queue.is_empty(), registered_at) {
                if c.now >= at + after {
                    match mode {
                        BehaviorMode::Approve => {
                            self.complete_web(id, None, c);
                        }
                        BehaviorMode::Reject => notices.extend(self.cancel_web(id, c)),
                        BehaviorMode::Ignore => {}
                    }
                }
            }
            if self.advance_web(id, c.now) {
                notices.extend(self.finish_web(id, c));
            }
        }
        let signs: Vec<u64> = self.signs.keys().copied().collect();
        for id in signs {
            let Some(s) = self.signs.get_mut(&id) else {
                continue;
            };
            if s.outcome != Outcome::Pending {
                continue;
            }
            if s.queue.is_empty() && c.now >= s.expire_ms {
                s.outcome = Outcome::Expired;
                continue;
            }
            if s.queue.is_empty() && c.now >= s.created_ms + after {
                match mode {
                    BehaviorMode::Approve => {
                        let otp = s.otp.clone();
                        let _ = self.submit_otp(id, &otp, c);
                    }
                    BehaviorMode::Reject => notices.extend(self.cancel_sign(id)),
                    BehaviorMode::Ignore => {}
                }
            }
            if self.advance_sign(id, c.now) {
                notices.extend(self.finish_sign(id, c));
            }
        }
        notices
    }

    /// Applies due status changes; true when the last one was applied just now.
    fn advance_web(&mut self, id: u64, now: u64) -> bool {
        let Some(w) = self.web.get_mut(&id) else {
            return false;
        };
        advance(&mut w.queue, &mut w.status, &mut w.step, now)
    }

    fn advance_sign(&mut self, id: u64, now: u64) -> bool {
        let Some(s) = self.signs.get_mut(&id) else {
            return false;
        };
        advance(&mut s.queue, &mut s.status, &mut s.step, now)
    }
}

fn advance(
    queue: &mut Queue,
    status: &mut &'static str,
    step: &mut &'static str,
    now: u64,
) -> bool {
    let mut applied = false;
    while let Some(&(due, s, st)) = queue.front() {
        if due > now {
            return false;
        }
        *status = s;
        *step = st;
        queue.pop_front();
        applied = true;
    }
    applied
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

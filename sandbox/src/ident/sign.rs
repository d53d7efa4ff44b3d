//! One-time-certificate sign session transitions: the SMS code is (re)sent and checked, the
//! customer rejects, and the documents are signed once the queued statuses have been applied.

use super::{Ctx, IdentState, Outcome, STEP_MS};
use crate::docgen;
use crate::ids::Entropy;
use crate::state::Notice;
use serde_json::Value;

impl IdentState {
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
    pub fn new_otp(&mut self, result_id: u64, ids: &Entropy) -> Option<String> {
        let s = self
            .signs
            .get_mut(&result_id)
            .filter(|s| s.outcome == Outcome::Pending)?;
        s.otp = ids.otp();
        Some(s.otp.clone())
    }

    /// The customer rejected the documents.
    pub fn cancel_sign(&mut self, result_id: u64, ids: &Entropy) -> Option<Notice> {
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
            ids,
        ))
    }

    pub(super) fn finish_sign(&mut self, result_id: u64, c: &Ctx<'_>) -> Option<Notice> {
        let s = self.signs.get_mut(&result_id)?;
        let signer = s
            .user
            .and_then(|u| c.users.get(u))
            .map(|u| &u.signer)
            .unwrap_or(c.seal);
        let mut signed = Vec::new();
        for d in &s.documents {
            let bytes = super::document_bytes(&d.content_as_base64);
            let options = docgen::Options {
                visual: docgen::visual_at(d.pades_visual_signature, d.signature_position.as_ref()),
            };
            match docgen::sign_document_with(
                "PADES_BASELINE_B",
                &bytes,
                Some(&d.file_name),
                signer,
                c.now,
                &options,
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
        Some(self.notice(
            &url,
            &rp,
            "SIGN_SESSION",
            &sid,
            Value::from(result_id),
            c.ids,
        ))
    }
}

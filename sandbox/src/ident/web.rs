//! Web identification transitions: the customer completes or cancels video identification,
//! and the session finishes once its queued statuses have been applied.

use super::{eid_certificate, hex64, Ctx, IdentState, Outcome, STEP_MS};
use crate::state::Notice;
use serde_json::Value;

impl IdentState {
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
            c.ids,
        ))
    }

    pub(super) fn finish_web(&mut self, result_id: u64, c: &Ctx<'_>) -> Option<Notice> {
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
            w.sign_session_id = Some(c.ids.uuid());
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
        Some(self.notice(
            &url,
            &rp,
            state,
            &sid,
            Value::from(result_id.to_string()),
            c.ids,
        ))
    }
}

//! The B-Trust Mobile transition: the person approves, declines, or lets the request lapse.

use super::{eid_certificate, Ctx, IdentState, Outcome};

impl IdentState {
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
}

//! Ids (UUIDs, result and request ids, all from the sandbox's CSPRNG: see [`crate::ids`])
//! and the callback body that carries them.

use super::IdentState;
use crate::ids::Entropy;
use crate::state::Notice;
use serde_json::{json, Value};

/// 64 hex characters: SHA-256 of `data`. For the identificator, which is stable per person
/// and relying party by design; never for anything that must be unguessable.
pub fn hex64(data: &str) -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(data.as_bytes()))
}

impl IdentState {
    /// A fresh id (a random UUID).
    pub fn id(&mut self, ids: &Entropy) -> String {
        ids.uuid()
    }

    /// A fresh result id: random, and not one in use.
    pub fn result_id(&mut self, ids: &Entropy) -> u64 {
        loop {
            let id = ids.int_id();
            if !self.web.contains_key(&id) && !self.signs.contains_key(&id) {
                return id;
            }
        }
    }

    /// The callback body (seed 001 §2.4/§3.2). `resultId` is a string after identification and
    /// a number after signing, as in the guide's two examples.
    pub(super) fn notice(
        &mut self,
        url: &str,
        rp_id: &str,
        process_state: &str,
        session_id: &str,
        result_id: Value,
        ids: &Entropy,
    ) -> Notice {
        let request_id = ids.int_id();
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
}

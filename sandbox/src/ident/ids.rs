//! Ids (UUID-shaped ids, 64-hex identifiers, result and request counters) and the callback
//! body that carries them.

use super::IdentState;
use crate::state::{splitmix, Notice};
use serde_json::{json, Value};

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
    pub(super) fn notice(
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
}

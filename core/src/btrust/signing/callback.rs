//! The callback the service POSTs to the relying party when a sign request changes state.
//!
//! A callback is a wake-up hint, never a result: its authenticity is not documented, so flows
//! only poll sooner when one arrives, and confirm everything by polling.

use crate::error::Error;
use crate::validate::{Issue, IssueCode};
use serde::{Deserialize, Serialize};

/// The notification sent to a sign request's `callbackURL`.
///
/// **Inferred shape.** BORICA publishes no payload for it. cqes accepts any JSON object and
/// picks up, when present at the top level or under `data`: `callbackId`, `rpCallbackId` or
/// `relyingPartyCallbackId`, and `status`/`code`. Everything is also kept in `raw`.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignCallback {
    /// The service's request id, if the callback carried one.
    pub callback_id: Option<String>,
    /// The relying party's request id, if the callback carried one.
    pub rp_callback_id: Option<String>,
    /// A status or code, if the callback carried one.
    pub status: Option<String>,
    /// The whole body as received (JSON; may hold personal data).
    #[cfg_attr(
        feature = "schema",
        schemars(extend("x-cqes-secret" = true, "x-cqes-raw-json" = true))
    )]
    pub raw: crate::Blob,
}

/// Parses a sign callback body.
pub fn parse_sign_callback(body: &[u8]) -> Result<SignCallback, Error> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| not_object())?;
    let obj = value.as_object().ok_or_else(not_object)?;
    let nested = obj.get("data").and_then(|d| d.as_object());
    let find = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            obj.get(*k)
                .or_else(|| nested.and_then(|n| n.get(*k)))
                .and_then(|v| match v {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
        })
    };
    Ok(SignCallback {
        callback_id: find(&["callbackId"]),
        rp_callback_id: find(&["rpCallbackId", "relyingPartyCallbackId"]),
        status: find(&["status", "code"]),
        raw: crate::Blob::from(body.to_vec()),
    })
}

fn not_object() -> Error {
    Error::validation(Issue {
        path: "$".to_owned(),
        code: IssueCode::InvalidFormat,
        message: "a callback body is a JSON object".to_owned(),
    })
}

//! The callback BORICA POSTs to `requestCallbackUrl` when a web identification or a sign
//! session changes state (seed 001 §2.4, §3.2). Parsed strictly; `resultId` is accepted as a
//! string or a number (the guide shows both), and the relying-party id must be ours.

use crate::btrust::config::Config;
use crate::btrust::identification::models::*;
use crate::error::Error;
use crate::validate::{IssueCode, Validator};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A parsed identification or sign-session callback.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentificationCallback {
    /// `code` (e.g. `OK`).
    pub code: Option<String>,
    /// `message`.
    pub message: Option<String>,
    /// The service's request id (not used in any path).
    pub request_id: Option<String>,
    /// The relying party's id (checked against the configuration).
    pub relying_party_id: String,
    /// `data.processState`: `CREATE_SIGN_SESSION_REQUEST` after identification,
    /// `SIGN_SESSION` after signing.
    pub process_state: ProcessState,
    /// `data.sessionId`: pass it back to the result fetch unchanged.
    pub session_id: String,
    /// `data.resultId`, as text.
    pub result_id: String,
    /// `data.dataMessage`.
    pub data_message: Option<String>,
    /// The whole body as received (JSON; may hold personal data).
    #[cfg_attr(
        feature = "schema",
        schemars(extend("x-cqes-secret" = true, "x-cqes-raw-json" = true))
    )]
    pub raw: crate::Blob,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Parses a callback body and checks that it is addressed to `config`'s relying party.
/// Every problem is reported at once, with JSON paths.
pub fn parse_identification_callback(
    config: &Config,
    body: &[u8],
) -> Result<IdentificationCallback, Error> {
    let mut v = Validator::new();
    let value: Value = match serde_json::from_slice(body) {
        Ok(value @ Value::Object(_)) => value,
        _ => {
            v.issue(IssueCode::InvalidFormat, "a callback body is a JSON object");
            return Err(v
                .finish()
                .err()
                .unwrap_or_else(|| Error::invalid_state("callback")));
        }
    };
    let rp = text(value.get("relyingPartyId"));
    match &rp {
        None => v.issue_at(
            "relyingPartyId",
            IssueCode::Required,
            "relyingPartyId (string or number) is required",
        ),
        Some(id) if *id != config.relying_party_id => v.issue_at(
            "relyingPartyId",
            IssueCode::Mismatch,
            "the callback is addressed to another relying party",
        ),
        _ => {}
    }
    let data = value.get("data").filter(|d| d.is_object());
    if data.is_none() {
        v.issue_at("data", IssueCode::Required, "data (an object) is required");
    }
    let field = |v: &mut Validator, name: &str| {
        let value = data.and_then(|d| text(d.get(name)));
        if data.is_some() && value.is_none() {
            v.field("data", |v| {
                v.issue_at(
                    name,
                    IssueCode::Required,
                    format!("{name} (string or number) is required"),
                )
            });
        }
        value
    };
    let process_state = field(&mut v, "processState");
    let session_id = field(&mut v, "sessionId");
    let result_id = field(&mut v, "resultId");
    v.finish()?;
    Ok(IdentificationCallback {
        code: text(value.get("code")),
        message: text(value.get("message")),
        request_id: text(value.get("requestId")),
        relying_party_id: rp.unwrap_or_default(),
        process_state: ProcessState::parse(&process_state.unwrap_or_default()),
        session_id: session_id.unwrap_or_default(),
        result_id: result_id.unwrap_or_default(),
        data_message: data.and_then(|d| text(d.get("dataMessage"))),
        raw: crate::Blob::from(body.to_vec()),
    })
}

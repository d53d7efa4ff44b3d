//! Control API inputs: JSON bodies read with the failing field named, and refusals in the
//! same envelope as B-Trust's (`responseCode`, `code`, `message`, plus `data.field`).

use crate::config::Invalid;
use axum::body::Bytes;
use axum::response::Response;
use serde::de::DeserializeOwned;
use serde_json::json;

/// A 400 naming the field.
pub(crate) fn bad(field: &str, reason: &str) -> Response {
    crate::api::json_response(
        400,
        &json!({
            "responseCode": "BAD_REQUEST",
            "code": "BAD_REQUEST",
            "message": format!("{field}: {reason}"),
            "data": {"field": field},
        }),
    )
}

/// An error in the envelope without a field (404, 409).
pub(super) fn refuse(status: u16, response_code: &str, message: &str) -> Response {
    crate::api::json_response(
        status,
        &json!({"responseCode": response_code, "code": response_code, "message": message, "data": null}),
    )
}

impl From<Invalid> for Response {
    fn from(e: Invalid) -> Response {
        bad(&e.field, &e.reason)
    }
}

/// Reads a JSON body; a syntax error, a missing or mistyped field, an unknown field or an
/// unknown enum value (a fault kind, a behaviour mode) is a 400 naming the field.
pub(crate) fn json_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, Response> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let mut field = e.path().to_string();
        let text = e.inner().to_string();
        let text = text.split(" at line ").next().unwrap_or(&text).to_owned();
        if let Some(rest) = text.strip_prefix("missing field `") {
            let name = rest.split('`').next().unwrap_or_default();
            field = if field == "." {
                name.to_owned()
            } else {
                format!("{field}.{name}")
            };
        }
        if field == "." || field.is_empty() {
            field = "$".into();
        }
        bad(&field, &text)
    })?;
    de.end()
        .map_err(|_| bad("$", "trailing characters after the JSON value"))?;
    Ok(value)
}

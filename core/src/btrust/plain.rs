//! Responses that are not enveloped (the registration module of web identification).

use crate::error::Error;
use crate::http::HttpResponse;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

/// A successful response that is not enveloped (top-level fields).
#[derive(Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlainResponse<T> {
    /// HTTP status.
    pub http_status: u16,
    /// The typed body.
    pub data: T,
    /// The whole body as received.
    #[cfg_attr(feature = "schema", schemars(extend("x-cqes-secret" = true)))]
    pub raw: serde_json::Value,
}

impl<T: fmt::Debug> fmt::Debug for PlainResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlainResponse")
            .field("http_status", &self.http_status)
            .field("data", &self.data)
            .finish_non_exhaustive()
    }
}

/// Parses an un-enveloped JSON object.
pub fn parse_plain<T: DeserializeOwned>(resp: &HttpResponse) -> Result<PlainResponse<T>, Error> {
    if !(200..300).contains(&resp.status) {
        return Err(super::envelope::error_for_status(resp));
    }
    let body = resp.body.as_bytes();
    let raw: serde_json::Value = serde_json::from_slice(body)
        .map_err(|_| Error::unexpected(resp.status, "$", "the response body is not JSON", body))?;
    if !raw.is_object() {
        return Err(Error::unexpected(
            resp.status,
            "$",
            "the response body is not a JSON object",
            body,
        ));
    }
    let data: T = serde_path_to_error::deserialize(&raw).map_err(|e| {
        Error::unexpected(
            resp.status,
            super::envelope::json_path(e.path()),
            &e.inner().to_string(),
            body,
        )
    })?;
    Ok(PlainResponse {
        http_status: resp.status,
        data,
        raw,
    })
}

//! Remote Identification API (seed 001, "Integration guide — Remote Identification";
//! reference §6): identification through B-Trust Mobile, web (video) identification, and
//! signing with a one-time certificate after web identification.
//!
//! Field names are the guide's, typos included (`toBeArhieved`, snake_case
//! `identification_before`, `filename` in results), because that is what the service speaks.
//! Two responses are not enveloped (createRegistration, getRegistrationStatus); they parse
//! into [`PlainResponse`]. Operations the guide only names (access settings, web session
//! without OTC, create sign session, generate/validate OTP) have inferred shapes, say so in
//! their docs, and pass unknown fields through.

pub mod callback;
pub mod mobile;
pub mod models;
pub mod otc;
pub mod web;

use super::config::{Config, Environment};
use crate::error::Error;
use crate::http::{encode_segment, HttpResponse};
use crate::validate::{Issue, IssueCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

/// Identification host of UAT (seed 001 §2.3's URL line; its prose says `idtest`).
pub const UAT_IDENTIFICATION_URL: &str = "https://iduat.borica.bg";
/// Identification host assumed for TEST (inferred by analogy; not documented).
pub const TEST_IDENTIFICATION_URL: &str = "https://idtest.borica.bg";

/// The page a customer's browser is sent to for web (video) identification:
/// `<identification host>/session/{sessionId}`, with `sessionId` from createRegistration
/// (not the webSessionId). The host is `config.identificationUrl` when set, else the
/// environment's; a custom environment must set it.
pub fn identification_link(config: &Config, session_id: &str) -> Result<String, Error> {
    let host = match (&config.identification_url, &config.environment) {
        (Some(url), _) => url.trim_end_matches('/').to_owned(),
        (None, Environment::Uat) => UAT_IDENTIFICATION_URL.to_owned(),
        (None, Environment::Test) => TEST_IDENTIFICATION_URL.to_owned(),
        (None, Environment::Custom(_)) => {
            return Err(Error::validation(Issue {
                path: "config.identificationUrl".into(),
                code: IssueCode::Required,
                message: "a custom environment needs identificationUrl, the host customers are sent to for identification".into(),
            }))
        }
    };
    let mut url = format!("{host}/session/");
    encode_segment(session_id, &mut url);
    Ok(url)
}

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

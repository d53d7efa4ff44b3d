//! The results of a finished web identification (seed 001 §5): the person's data and documents.

use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::identification::models::*;
use crate::btrust::operation::{check_all, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::time::Timestamp;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`GetWebIdentificationResults`]: the values the callback carried.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetWebIdentificationResultsInput {
    /// The callback's `resultId`.
    #[serde(deserialize_with = "text_or_number")]
    pub result_id: String,
    /// The callback's `processState`.
    pub process_state: ProcessState,
    /// The callback's `sessionId`.
    pub session_id: String,
    /// `true`: metadata only, no eID certificate (meaningful with `CREATE_SIGN_SESSION_REQUEST`).
    /// Absent: the path without `/{onlyMetadata}`, as the guide uses after signing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_metadata: Option<bool>,
}

impl Validate for GetWebIdentificationResultsInput {
    fn validate(&self, v: &mut Validator) {
        v.field("resultId", |v| {
            rules::check_token(v, &self.result_id, 64, "resultId")
        });
        v.field("sessionId", |v| {
            rules::check_token(v, &self.session_id, 128, "sessionId")
        });
        v.field("processState", |v| {
            rules::check_token(v, self.process_state.as_str(), 64, "processState")
        });
    }
}

/// `data` of a web identification or sign-session result.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebIdentificationResult {
    /// The eID certificate (PDF), after identification unless `onlyMetadata` was true.
    #[serde(rename = "eIDDocAsBase64", default)]
    pub eid_doc: Option<Blob>,
    /// The customer's identifier in the relying party's domain (64 hex characters).
    #[serde(default)]
    pub client_identificator: Option<String>,
    /// The sign session to sign with a one-time certificate next.
    #[serde(default)]
    pub sign_session_id: Option<String>,
    /// End of the sign session's validity.
    #[serde(default)]
    pub sign_session_id_expire_date: Option<Timestamp>,
    /// The signed documents (after a sign session).
    #[serde(default)]
    pub sign_documents: Vec<SignedDocument>,
}

/// `GET /v2/identification/web/{resultId}/result/{processState}/{sessionId}[/{onlyMetadata}]`
/// (getWebIdentificationResultsUsingGET). Both path forms exist in the guide; the form
/// follows `onlyMetadata`.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetWebIdentificationResults;

impl Operation for GetWebIdentificationResults {
    const NAME: &'static str = "btrust.getWebIdentificationResults";
    const METHOD: Method = Method::Get;
    const PATH: &'static str =
        "/v2/identification/web/{resultId}/result/{processState}/{sessionId}/{onlyMetadata}";
    type Input = GetWebIdentificationResultsInput;
    type Output = WebIdentificationResultResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        // `{onlyMetadata}` is optional: without it the path ends at the session id.
        let only = input
            .only_metadata
            .map(|o| if o { "true" } else { "false" });
        let template = match only {
            Some(_) => Self::PATH,
            None => Self::PATH.trim_end_matches("/{onlyMetadata}"),
        };
        let url = config.url().template(
            template,
            &[
                ("resultId", crate::http::PathParam::Public(&input.result_id)),
                (
                    "processState",
                    crate::http::PathParam::Public(input.process_state.as_str()),
                ),
                (
                    "sessionId",
                    crate::http::PathParam::Public(&input.session_id),
                ),
                (
                    "onlyMetadata",
                    crate::http::PathParam::Public(only.unwrap_or_default()),
                ),
            ],
        )?;
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`GetWebIdentificationResults`].
    WebIdentificationResultResponse(WebIdentificationResult)
);

//! `GET /v2/identification/{callbackId}` (seed 001 §1): 206 while `ON_BOARDING`/`IN_PROGRESS`, 200
//! with the eID certificate when `FINISHED`.

use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// `data` of a finished identification. Keys are snake_case on the wire
/// (`identification_before`); hosts see camelCase.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentificationResult {
    /// The eID certificate (PDF).
    #[serde(default)]
    pub content: Option<Blob>,
    /// The organisation the identification will be used before.
    #[serde(
        default,
        rename(deserialize = "identification_before"),
        alias = "identificationBefore"
    )]
    // Hosts read the serialized (camelCase) form; the schema describes that side.
    #[cfg_attr(feature = "schema", schemars(rename = "identificationBefore"))]
    pub identification_before: Option<String>,
    /// Why the identification was needed.
    #[serde(
        default,
        rename(deserialize = "identification_reason"),
        alias = "identificationReason"
    )]
    // Hosts read the serialized (camelCase) form; the schema describes that side.
    #[cfg_attr(feature = "schema", schemars(rename = "identificationReason"))]
    pub identification_reason: Option<String>,
    /// The eID's unique identifier in the relying party's domain.
    #[serde(default)]
    pub identificator: Option<String>,
}

/// Input of [`GetIdentificationResult`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetIdentificationResultInput {
    /// The `callbackId` of the identification request.
    pub callback_id: String,
}

impl Validate for GetIdentificationResultInput {
    fn validate(&self, v: &mut Validator) {
        v.field("callbackId", |v| {
            rules::check_token(v, &self.callback_id, 128, "callbackId")
        });
    }
}

/// `GET /v2/identification/{callbackId}` (getIdentificationResultUsingGET). 206 without
/// `data` while in progress; `status` (top level) says where it stands. Errors carry
/// `{"data": null, "code": "REJECTED"}` for 400/401/403/404/500.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetIdentificationResult;

impl Operation for GetIdentificationResult {
    const NAME: &'static str = "btrust.getIdentificationResult";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/identification/{callbackId}";
    type Input = GetIdentificationResultInput;
    type Output = IdentificationResultResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().template(
            Self::PATH,
            &[(
                "callbackId",
                crate::http::PathParam::Public(&input.callback_id),
            )],
        )?;
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`GetIdentificationResult`] (no `data` while the identification is pending).
    IdentificationResultResponse(Option<IdentificationResult>)
);

//! The registration module's status call (seed 001 §4). Not enveloped.

use crate::btrust::config::Config;
use crate::btrust::identification::models::*;
use crate::btrust::operation::{check_all, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::time::Timestamp;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`GetRegistrationStatus`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetRegistrationStatusInput {
    /// From createRegistration.
    pub registration_id: String,
}

impl Validate for GetRegistrationStatusInput {
    fn validate(&self, v: &mut Validator) {
        v.field("registrationId", |v| {
            rules::check_token(v, &self.registration_id, 128, "registrationId")
        });
    }
}

/// The (un-enveloped) registration status.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationStatusInfo {
    /// Created at.
    #[serde(default)]
    pub created_on: Option<Timestamp>,
    /// Processed at.
    #[serde(default)]
    pub processed_on: Option<Timestamp>,
    /// The registration.
    #[serde(default)]
    pub registration_id: Option<String>,
    /// The agent's review (`N_A` while `STARTED`).
    #[serde(default)]
    pub review_status: Option<ReviewStatus>,
    /// Reviewed at.
    #[serde(default)]
    pub reviewed_on: Option<Timestamp>,
    /// The registration's state.
    pub status: RegistrationStatus,
    /// An optional message for the user (Bulgarian).
    #[serde(default)]
    pub user_message_bg: Option<String>,
}

/// `GET /v2/identification/web/sessions/by-otc-request/{registrationId}/status`
/// (getRegistrationStatus; not enveloped).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetRegistrationStatus;

impl Operation for GetRegistrationStatus {
    const NAME: &'static str = "btrust.getRegistrationStatus";
    const METHOD: Method = Method::Get;
    const PATH: &'static str =
        "/v2/identification/web/sessions/by-otc-request/{registrationId}/status";
    type Input = GetRegistrationStatusInput;
    type Output = RegistrationStatusInfoResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().template(
            Self::PATH,
            &[(
                "registrationId",
                crate::http::PathParam::Public(&input.registration_id),
            )],
        )?;
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }
}

crate::btrust::plain::plain_response!(
    /// The answer of [`GetRegistrationStatus`] (not enveloped).
    RegistrationStatusInfoResponse(RegistrationStatusInfo)
);

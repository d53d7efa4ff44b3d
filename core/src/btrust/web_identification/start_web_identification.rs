//! `POST /v2/identification/websession/start` (seed 001 §2): a web (video) identification session.

use crate::btrust::config::Config;
use crate::btrust::identification::models::*;
use crate::btrust::operation::{post_json, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, Method};
use crate::time::Timestamp;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Body of `POST /v2/identification/web/websession/start`.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartWebIdentificationRequest {
    /// Where the service POSTs status changes.
    pub request_callback_url: String,
    /// Why the identification is needed.
    pub identification_reason: String,
}

impl Validate for StartWebIdentificationRequest {
    fn validate(&self, v: &mut Validator) {
        v.field("requestCallbackUrl", |v| {
            rules::check_callback_url(v, &self.request_callback_url)
        });
        v.field("identificationReason", |v| {
            rules::check_text(
                v,
                &self.identification_reason,
                crate::btrust::identification::MAX_REASON_CHARS,
                "identificationReason",
            )
        });
    }
}

/// `data` of a started web session.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebSessionStarted {
    /// The web session (path of createRegistration).
    pub web_session_id: String,
    /// The result id (a number on the wire; kept as text).
    #[serde(deserialize_with = "text_or_number")]
    pub result_id: String,
    /// End of the web session's validity.
    #[serde(default)]
    pub web_session_expire_date: Option<Timestamp>,
}

/// `POST /v2/identification/web/websession/start` (startWebIdentificationUsingPOST).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StartWebIdentification;

impl Operation for StartWebIdentification {
    const NAME: &'static str = "btrust.startWebIdentification";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/identification/web/websession/start";
    type Input = StartWebIdentificationRequest;
    type Output = WebSessionStartedResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`StartWebIdentification`] and `StartWebIdentificationWithoutOtc`.
    WebSessionStartedResponse(WebSessionStarted)
);

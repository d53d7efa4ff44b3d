//! Validate the customer's OTP through the API: named by the developer portal only; the shape is
//! **inferred**.

use crate::btrust::config::Config;
use crate::btrust::identification::models::*;
use crate::btrust::operation::{post_json, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, Method};
use crate::secret::Secret;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`ValidateOtp`] (inferred body).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidateOtpInput {
    /// The sign session's result id.
    #[serde(deserialize_with = "text_or_number")]
    pub result_id: String,
    /// The code the customer received by SMS.
    pub otp: Secret<String>,
    /// Further fields, sent as they are.
    #[serde(flatten)]
    pub additional: crate::JsonObject,
}

impl Validate for ValidateOtpInput {
    fn validate(&self, v: &mut Validator) {
        v.field("resultId", |v| {
            rules::check_token(v, &self.result_id, 64, "resultId")
        });
        v.field("otp", |v| {
            crate::btrust::rules::check_otp(v, self.otp.expose())
        });
    }
}

/// `POST /v2/identification/web/validate/otp` (validateOtpCodeForOtcUsingPOST): the
/// relying party passes on the code the customer typed, instead of sending them to
/// `clientDocumentUrl`.
///
/// **Inferred shape**: body `{"resultId", "otp", …additional}`; `data` returned as raw JSON.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ValidateOtp;

impl Operation for ValidateOtp {
    const NAME: &'static str = "btrust.validateOtpCodeForOtc";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/identification/web/validate/otp";
    type Input = ValidateOtpInput;
    type Output = crate::btrust::envelope::JsonResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }
}

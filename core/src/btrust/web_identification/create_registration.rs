//! The registration module's create call (seed 001 §4): the customer's data for the
//! identification page. Not enveloped: parses into [`PlainResponse`].

use crate::btrust::config::{Config, Language};
use crate::btrust::operation::{check_all, json_body, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::time::Timestamp;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

/// Body of createRegistration (seed 001 §2.2), field order as in the guide.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegistrationRequest {
    /// Where the customer lands after rejecting (or failing) identification.
    pub cancel_url: String,
    /// Information about the customer's device; may be `{}`.
    #[serde(default = "crate::JsonValue::empty_object")]
    pub device_fingerprint: crate::JsonValue,
    /// The relying party's id of this identification.
    pub external_ref: String,
    /// Where the customer lands after a successful identification.
    pub success_url: String,
    /// Language of the identification pages.
    pub user_language: Language,
    /// Verify the e-mail address during identification.
    pub verify_email_address: bool,
    /// Verify the phone number during identification.
    pub verify_phone_number: bool,
    /// Skip one introductory step when false (default true; the guide's descriptions of this
    /// flag and `showMainInfo` look swapped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_gtc_gdp: Option<bool>,
    /// Skip the other introductory step when false (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_main_info: Option<bool>,
}

impl Validate for RegistrationRequest {
    fn validate(&self, v: &mut Validator) {
        v.field("cancelUrl", |v| {
            rules::check_callback_url(v, &self.cancel_url)
        });
        v.field("successUrl", |v| {
            rules::check_callback_url(v, &self.success_url)
        });
        v.field("externalRef", |v| {
            rules::check_text(v, &self.external_ref, 255, "externalRef")
        });
        if !self.device_fingerprint.0.is_object() {
            v.issue_at(
                "deviceFingerprint",
                IssueCode::InvalidType,
                "deviceFingerprint is an object (it may be {})",
            );
        }
        if !self.user_language.is_known() {
            v.issue_at(
                "userLanguage",
                IssueCode::UnknownValue,
                "userLanguage is bg or en",
            );
        }
    }
}

/// Input of [`CreateRegistration`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateRegistrationInput {
    /// The `webSessionId` from websession/start.
    pub web_session_id: String,
    /// The body.
    pub registration: RegistrationRequest,
}

impl Validate for CreateRegistrationInput {
    fn validate(&self, v: &mut Validator) {
        v.field("webSessionId", |v| {
            rules::check_token(v, &self.web_session_id, 128, "webSessionId")
        });
        v.field("registration", |v| self.registration.validate(v));
    }
}

/// The (un-enveloped) answer of createRegistration.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationCreated {
    /// Language of the pages.
    #[serde(default)]
    pub user_language: Option<Language>,
    /// Echo.
    #[serde(default)]
    pub verify_email_address: Option<bool>,
    /// Echo.
    #[serde(default)]
    pub verify_phone_number: Option<bool>,
    /// Echo.
    #[serde(default)]
    pub success_url: Option<String>,
    /// Echo.
    #[serde(default)]
    pub cancel_url: Option<String>,
    /// The session to build the identification link with (not the webSessionId).
    pub session_id: String,
    /// For getRegistrationStatus.
    pub registration_id: String,
    /// Created at.
    #[serde(default)]
    pub created_on: Option<Timestamp>,
    /// Expires at (the customer must finish before).
    #[serde(default)]
    pub expired_on: Option<Timestamp>,
    /// E.g. `OTC_RELYING_PARTY_<rpId>`.
    #[serde(default)]
    pub service_name: Option<String>,
    /// The one-time-certificate request (equals the webSessionId in the guide's example).
    #[serde(default)]
    pub otc_request_id: Option<String>,
}

/// `POST /v2/identification/web/sessions/by-otc-request/{websessionId}` (createRegistration;
/// not in the portal's index). Its answer is not enveloped.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateRegistration;

impl Operation for CreateRegistration {
    const NAME: &'static str = "btrust.createRegistration";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/identification/web/sessions/by-otc-request/{websessionId}";
    type Input = CreateRegistrationInput;
    type Output = RegistrationCreatedResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let body = json_body(config, &input.registration, "registration")?;
        let url = config.url().template(
            Self::PATH,
            &[(
                "websessionId",
                crate::http::PathParam::Public(&input.web_session_id),
            )],
        )?;
        Ok(config.request(
            Method::Post,
            url,
            Some(body),
            Vec::new(),
            ResponseKind::Json,
        ))
    }
}

crate::btrust::plain::plain_response!(
    /// The answer of [`CreateRegistration`] (not enveloped).
    RegistrationCreatedResponse(RegistrationCreated)
);

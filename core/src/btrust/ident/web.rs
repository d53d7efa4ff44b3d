//! Web (video) identification (seed 001 §2, §4, §5): start a web session, create the
//! registration, send the customer's browser to the identification page, then read the
//! result after the callback. Registration and its status are not enveloped.

use super::models::{
    text_or_number, ProcessState, RegistrationStatus, ReviewStatus, SignedDocument, WebStatus,
    WebStep,
};
use super::{parse_plain, PlainResponse};
use crate::blob::Blob;
use crate::btrust::config::{Config, Language};
use crate::btrust::envelope::{parse_enveloped, ApiResponse};
use crate::btrust::ops::{check_all, json_body, post_json, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse, Method, ResponseKind};
use crate::time::Timestamp;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

/// Body of `POST /v2/identification/web/websession/start`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
                super::mobile::MAX_REASON_CHARS,
                "identificationReason",
            )
        });
    }
}

/// `data` of a started web session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    type Output = ApiResponse<WebSessionStarted>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }
    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_enveloped(&response)
    }
}

/// `POST /v2/identification/web/websession/without-otc/start`
/// (startWebIdentificationWithoutOtcUsingPOST).
///
/// **Inferred shape**: seed 000 names it only; cqes assumes the body and answer of
/// [`StartWebIdentification`]. The identification then ends without a sign session.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StartWebIdentificationWithoutOtc;

impl Operation for StartWebIdentificationWithoutOtc {
    const NAME: &'static str = "btrust.startWebIdentificationWithoutOtc";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/identification/web/websession/without-otc/start";
    type Input = StartWebIdentificationRequest;
    type Output = ApiResponse<WebSessionStarted>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }
    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_enveloped(&response)
    }
}

fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(Default::default())
}

/// Body of createRegistration (seed 001 §2.2), field order as in the guide.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegistrationRequest {
    /// Where the customer lands after rejecting (or failing) identification.
    pub cancel_url: String,
    /// Information about the customer's device; may be `{}`.
    #[serde(default = "empty_object")]
    pub device_fingerprint: serde_json::Value,
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
        if !self.device_fingerprint.is_object() {
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    type Output = PlainResponse<RegistrationCreated>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let body = json_body(config, &input.registration, "registration")?;
        let url = config
            .url()
            .path("/v2/identification/web/sessions/by-otc-request")
            .segment(&input.web_session_id);
        Ok(config.request(
            Method::Post,
            url,
            Some(body),
            Vec::new(),
            ResponseKind::Json,
        ))
    }
    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_plain(&response)
    }
}

/// Input of [`GetRegistrationStatus`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    type Output = PlainResponse<RegistrationStatusInfo>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config
            .url()
            .path("/v2/identification/web/sessions/by-otc-request")
            .segment(&input.registration_id)
            .path("/status");
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }
    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_plain(&response)
    }
}

/// Input of [`GetWebIdentificationStatus`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResultIdInput {
    /// The `resultId` (of websession/start, or of signsession/start).
    #[serde(deserialize_with = "text_or_number")]
    pub result_id: String,
}

impl Validate for ResultIdInput {
    fn validate(&self, v: &mut Validator) {
        v.field("resultId", |v| {
            rules::check_token(v, &self.result_id, 64, "resultId")
        });
    }
}

/// `data` of a web identification status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebIdentificationStatus {
    /// Where the request stands.
    pub status: WebStatus,
    /// The step within the status.
    #[serde(default)]
    pub step: Option<WebStep>,
}

/// `GET /v2/identification/web/{resultId}/status` (getWebIdentificationStatusUsingGET).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetWebIdentificationStatus;

impl Operation for GetWebIdentificationStatus {
    const NAME: &'static str = "btrust.getWebIdentificationStatus";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/identification/web/{resultId}/status";
    type Input = ResultIdInput;
    type Output = ApiResponse<WebIdentificationStatus>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config
            .url()
            .path("/v2/identification/web")
            .segment(&input.result_id)
            .path("/status");
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }
    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_enveloped(&response)
    }
}

/// Input of [`GetWebIdentificationResults`]: the values the callback carried.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    type Output = ApiResponse<WebIdentificationResult>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let mut url = config
            .url()
            .path("/v2/identification/web")
            .segment(&input.result_id)
            .path("/result")
            .segment(input.process_state.as_str())
            .segment(&input.session_id);
        if let Some(only) = input.only_metadata {
            url = url.segment(if only { "true" } else { "false" });
        }
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }
    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_enveloped(&response)
    }
}

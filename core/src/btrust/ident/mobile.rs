//! Identification through B-Trust Mobile (seed 001 §1): `POST /v2/identification`,
//! `GET /v2/identification/{callbackId}` (206 while `ON_BOARDING`/`IN_PROGRESS`, 200 with the
//! eID certificate when `FINISHED`), and `POST /v2/identification/accessSettings` (inferred).

use super::models::{secret_text_or_number, DocType};
use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::envelope::{parse_envelope_opt, parse_enveloped, ApiResponse};
use crate::btrust::models::Payer;
use crate::btrust::ops::{check_all, json_body, post_json, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse, Method, ResponseKind};
use crate::secret::Secret;
use crate::time::Timestamp;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

/// Longest identification reason accepted (inferred; none is published).
pub const MAX_REASON_CHARS: usize = 1000;

/// Who is to be identified (`personIdentityData`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersonIdentityData {
    /// What `identificatorValue` is.
    pub doc_type: DocType,
    /// The EGN, LNC, e-mail or phone. Sent as a string; the guide's example shows a bare number,
    /// which cannot carry an e-mail or a leading zero, so numbers are accepted on input only.
    #[serde(deserialize_with = "secret_text_or_number")]
    pub identificator_value: Secret<String>,
    /// Date of birth, `dd-MM-yyyy`.
    pub date_of_birth: Secret<String>,
}

/// Body of `POST /v2/identification`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentificationRequest {
    /// The person.
    pub person_identity_data: PersonIdentityData,
    /// Phone (E.164), for onboarding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<Secret<String>>,
    /// E-mail, for onboarding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Secret<String>>,
    /// Who pays (the guide names `RELYING_PARTY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<Payer>,
    /// Why the relying party needs the identity.
    pub identification_reason: String,
}

impl Validate for IdentificationRequest {
    fn validate(&self, v: &mut Validator) {
        let p = &self.person_identity_data;
        v.field("personIdentityData", |v| {
            let value = p.identificator_value.expose();
            let egn_date = v.field("identificatorValue", |v| match &p.doc_type {
                DocType::Egn => rules::check_egn(v, value),
                DocType::Lnc => {
                    rules::check_lnc(v, value);
                    None
                }
                DocType::Email => {
                    rules::check_email(v, value);
                    None
                }
                DocType::Phone => {
                    rules::check_phone(v, value);
                    None
                }
                DocType::Unknown(_) => None,
            });
            if !p.doc_type.is_known() {
                v.issue_at(
                    "docType",
                    IssueCode::UnknownValue,
                    "docType is EGN, LNC, EMAIL or PHONE",
                );
            }
            let dob = v.field("dateOfBirth", |v| {
                rules::check_date_of_birth(v, p.date_of_birth.expose())
            });
            if let (Some(e), Some(d)) = (egn_date, dob) {
                v.field("dateOfBirth", |v| rules::check_birth_date_agrees(v, e, d));
            }
        });
        if let Some(phone) = &self.phone_number {
            v.field("phoneNumber", |v| rules::check_phone(v, phone.expose()));
        }
        if let Some(email) = &self.email {
            v.field("email", |v| rules::check_email(v, email.expose()));
        }
        if let Some(p) = &self.payer {
            if !p.is_known() {
                v.issue_at(
                    "payer",
                    IssueCode::UnknownValue,
                    "payer is RELYING_PARTY or CLIENT",
                );
            }
        }
        v.field("identificationReason", |v| {
            rules::check_text(
                v,
                &self.identification_reason,
                MAX_REASON_CHARS,
                "identificationReason",
            )
        });
    }
}

/// `data` of the answer to an identification request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct IdentificationAccepted {
    /// Id to poll with.
    pub callback_id: String,
    /// After this the request is invalid.
    #[serde(default)]
    pub validity: Option<Timestamp>,
}

/// `POST /v2/identification` (identificationUsingPOST).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Identification;

impl Operation for Identification {
    const NAME: &'static str = "btrust.identification";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/identification";
    type Input = IdentificationRequest;
    type Output = ApiResponse<IdentificationAccepted>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }

    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_enveloped(&response)
    }
}

/// `data` of a finished identification. Keys are snake_case on the wire
/// (`identification_before`); hosts see camelCase.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    type Output = ApiResponse<Option<IdentificationResult>>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config
            .url()
            .path("/v2/identification")
            .segment(&input.callback_id);
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }

    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_envelope_opt(&response)
    }
}

/// Input of [`CreateAccessSettings`]: the settings object, sent as the body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessSettingsInput {
    /// The settings, passed through unchanged.
    pub settings: serde_json::Map<String, serde_json::Value>,
}

impl Validate for AccessSettingsInput {
    fn validate(&self, _v: &mut Validator) {}
}

/// `POST /v2/identification/accessSettings` (createIdentificationRequestDataAccessSettingsUsingPOST).
///
/// **Inferred shape.** Seed 000 gives only the path and purpose ("creates data access
/// settings for an identification request"). cqes sends the given object as the JSON body and
/// returns the envelope's `data` as raw JSON.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateAccessSettings;

impl Operation for CreateAccessSettings {
    const NAME: &'static str = "btrust.createIdentificationRequestDataAccessSettings";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/identification/accessSettings";
    type Input = AccessSettingsInput;
    type Output = ApiResponse<Option<serde_json::Value>>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let body = json_body(config, &input.settings, "settings")?;
        Ok(config.request(
            Method::Post,
            config.url().path(Self::PATH),
            Some(body),
            Vec::new(),
            ResponseKind::Json,
        ))
    }

    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_envelope_opt(&response)
    }
}

//! `POST /v2/identification` (seed 001 §1): identification through B-Trust Mobile.

use crate::btrust::config::Config;
use crate::btrust::identification::models::*;
use crate::btrust::operation::{post_json, Operation};
use crate::btrust::rules;
use crate::btrust::signing::models::*;
use crate::error::Error;
use crate::http::{HttpRequest, Method};
use crate::secret::Secret;
use crate::time::Timestamp;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

/// Longest identification reason accepted (inferred; none is published).
pub const MAX_REASON_CHARS: usize = 1000;

/// Who is to be identified (`personIdentityData`).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    type Output = IdentificationAcceptedResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`Identification`].
    IdentificationAcceptedResponse(IdentificationAccepted)
);

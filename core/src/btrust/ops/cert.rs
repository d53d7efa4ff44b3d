//! Finding the signer: `GET /v2/cert/{profileId}` (getCertUsingGET),
//! `GET /v2/cert/identity/{identificatorType}/{identityValue}` (getCertByPersonalIdUsingGET),
//! `POST /v2/auth` (clientAuthUsingPOST) and `GET /v2/sign/checkclient`
//! (getCustomerWithActiveCQESUsingGET).

use super::{check_all, post_json, Operation};
use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::envelope::{parse_envelope_opt, parse_enveloped, ApiResponse};
use crate::btrust::identity::{check_otp, check_profile_id, SignerIdentity};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse, Method, ResponseKind};
use crate::secret::Secret;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

open_enum! {
    /// Kind of identifier to look a certificate up by.
    pub enum IdentificatorType {
        /// Bulgarian personal number.
        Egn = "EGN",
        /// Personal number of a foreigner.
        Lnc = "LNC",
        /// Phone number (E.164).
        Phone = "PHONE",
        /// E-mail address.
        Email = "EMAIL",
    }
}

/// Input of [`GetCert`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetCertInput {
    /// The customer's profile id (e.g. `032-552574`).
    pub profile_id: Secret<String>,
}

impl Validate for GetCertInput {
    fn validate(&self, v: &mut Validator) {
        v.field("profileId", |v| {
            check_profile_id(v, self.profile_id.expose())
        });
    }
}

/// `data` of [`GetCert`] (Swagger `ClientCertResponseData`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClientCert {
    /// The customer's X.509 certificate (DER).
    pub encoded_cert: Blob,
}

/// `GET /v2/cert/{profileId}`: the customer's certificate. 404 = not found.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetCert;

impl Operation for GetCert {
    const NAME: &'static str = "btrust.getCert";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/cert/{profileId}";
    type Input = GetCertInput;
    type Output = ApiResponse<ClientCert>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config
            .url()
            .path("/v2/cert")
            .secret_segment(input.profile_id.expose());
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }

    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_enveloped(&response)
    }
}

/// Input of [`GetCertByIdentity`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetCertByIdentityInput {
    /// Which kind of identifier `identityValue` is.
    pub identificator_type: IdentificatorType,
    /// The EGN, LNC, phone (E.164) or e-mail address.
    pub identity_value: Secret<String>,
}

impl Validate for GetCertByIdentityInput {
    fn validate(&self, v: &mut Validator) {
        let value = self.identity_value.expose();
        v.field("identityValue", |v| match self.identificator_type {
            IdentificatorType::Egn => {
                rules::check_egn(v, value);
            }
            IdentificatorType::Lnc => rules::check_lnc(v, value),
            IdentificatorType::Phone => rules::check_phone(v, value),
            IdentificatorType::Email => rules::check_email(v, value),
            IdentificatorType::Unknown(_) => {}
        });
        if !self.identificator_type.is_known() {
            v.issue_at(
                "identificatorType",
                IssueCode::UnknownValue,
                "identificatorType is EGN, LNC, PHONE or EMAIL",
            );
        }
    }
}

/// `data` of [`GetCertByIdentity`] (Swagger `CertificateDataInfo`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CertificateInfo {
    /// The certificate id (`certId` for `rpToClientAuthorization`); int64 in the Swagger,
    /// a string in some peers, so kept as text.
    #[serde(default, deserialize_with = "super::string_or_number")]
    pub cert_req_id: Option<String>,
    /// The user's registered devices.
    #[serde(default)]
    pub devices: Vec<String>,
    /// The customer's last valid X.509 certificate (DER).
    #[serde(default)]
    pub encoded_cert: Option<Blob>,
}

/// `GET /v2/cert/identity/{identificatorType}/{identityValue}`: the customer's last valid
/// certificate by EGN, LNC, phone or e-mail. 404 = the customer has none.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetCertByIdentity;

impl Operation for GetCertByIdentity {
    const NAME: &'static str = "btrust.getCertByIdentity";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/cert/identity/{identificatorType}/{identityValue}";
    type Input = GetCertByIdentityInput;
    type Output = ApiResponse<CertificateInfo>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config
            .url()
            .path("/v2/cert/identity")
            .segment(input.identificator_type.as_str())
            .secret_segment(input.identity_value.expose());
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }

    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_enveloped(&response)
    }
}

/// Body of [`ClientAuth`] (Swagger `AuthInfo`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthInfo {
    /// The customer's profile id.
    pub profile_id: Secret<String>,
    /// The authorization code from B-Trust Mobile.
    pub otp: Secret<String>,
}

impl Validate for AuthInfo {
    fn validate(&self, v: &mut Validator) {
        v.field("profileId", |v| {
            check_profile_id(v, self.profile_id.expose())
        });
        v.field("otp", |v| check_otp(v, self.otp.expose()));
    }
}

/// `data` of [`ClientAuth`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClientToken {
    /// Token to address this customer as `clientToken:<token>` from now on.
    pub client_token: Secret<String>,
}

/// `POST /v2/auth`: exchanges a profile id and one-time code for a reusable client token.
/// 400 usually means an expired code or a wrong profile id. Sending it twice is harmless
/// for the service but the code is single-use, so it is not marked idempotent.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClientAuth;

impl Operation for ClientAuth {
    const NAME: &'static str = "btrust.clientAuth";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/auth";
    type Input = AuthInfo;
    type Output = ApiResponse<ClientToken>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }

    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_enveloped(&response)
    }
}

/// Input of [`CheckClient`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckClientInput {
    /// The customer to check, addressed as in a sign request.
    pub identity: SignerIdentity,
}

impl Validate for CheckClientInput {
    fn validate(&self, v: &mut Validator) {
        v.field("identity", |v| self.identity.validate(v));
    }
}

/// `GET /v2/sign/checkclient`: whether a customer has an active cloud QES.
///
/// **Inferred shape.** Seed 000 gives only the path and purpose; no schema is public. cqes
/// designates the customer with `rpToClientAuthorization` (the portal's way of addressing a
/// client) and returns the envelope's `data` as raw JSON, whatever it holds. A 404 most likely
/// means "no active CQES". Revisit when BORICA publishes the schema.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CheckClient;

impl Operation for CheckClient {
    const NAME: &'static str = "btrust.checkClient";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/sign/checkclient";
    type Input = CheckClientInput;
    type Output = ApiResponse<Option<serde_json::Value>>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        Ok(config.request(
            Method::Get,
            config.url().path(Self::PATH),
            None,
            vec![input.identity.header()],
            ResponseKind::Json,
        ))
    }

    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_envelope_opt(&response)
    }
}

//! `GET /v2/cert/identity/{identificatorType}/{identityValue}` (getCertByPersonalIdUsingGET): the
//! customer's last valid certificate by EGN, LNC, phone or e-mail.

use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
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

/// Input of [`GetCertByIdentity`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateInfo {
    /// The certificate id (`certId` for `rpToClientAuthorization`); int64 in the Swagger,
    /// a string in some peers, so kept as text.
    #[serde(
        default,
        deserialize_with = "crate::btrust::operation::string_or_number"
    )]
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
    type Output = CertificateInfoResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().template(
            Self::PATH,
            &[
                (
                    "identificatorType",
                    crate::http::PathParam::Public(input.identificator_type.as_str()),
                ),
                (
                    "identityValue",
                    crate::http::PathParam::Secret(input.identity_value.expose()),
                ),
            ],
        )?;
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`GetCertByIdentity`].
    CertificateInfoResponse(CertificateInfo)
);

//! `GET /v2/cert/{profileId}` (getCertUsingGET): the customer's certificate by profile id.

use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, Operation};
use crate::btrust::rules::check_profile_id;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::secret::Secret;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`GetCert`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    type Output = ClientCertResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().template(
            Self::PATH,
            &[(
                "profileId",
                crate::http::PathParam::Secret(input.profile_id.expose()),
            )],
        )?;
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`GetCert`].
    ClientCertResponse(ClientCert)
);

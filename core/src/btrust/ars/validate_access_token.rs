//! `GET /v2/arsign/validate/token` (validateAccessTokenUsingGET): whether an access token still
//! works. `OK` (200) = valid; `AR_SIGN_TOKEN_VALIDATION_FAILED` = invalid; 404 +
//! `AR_SIGN_TOKEN_NOT_FOUND` = unknown (public clients; reference §7). The answer has no `data`.

use super::models::*;
use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, Operation};
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::secret::Secret;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`ValidateAccessToken`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateAccessTokenInput {
    /// The access token from the consent (`X-ACCESS-TOKEN`).
    pub access_token: Secret<String>,
}

impl Validate for ValidateAccessTokenInput {
    fn validate(&self, v: &mut Validator) {
        check_access_token(v, &self.access_token);
    }
}

/// `GET /v2/arsign/validate/token`: checks an ARS access token. A 2xx answer means valid; an
/// invalid or unknown token is an `api` error whose code says which.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ValidateAccessToken;

impl Operation for ValidateAccessToken {
    const NAME: &'static str = "btrust.validateAccessToken";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/arsign/validate/token";
    type Input = ValidateAccessTokenInput;
    type Output = crate::btrust::envelope::JsonResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        Ok(config.request(
            Method::Get,
            config.url().path(Self::PATH),
            None,
            vec![token_header(&input.access_token)],
            ResponseKind::Json,
        ))
    }
}

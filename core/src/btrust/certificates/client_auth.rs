//! `POST /v2/auth` (clientAuthUsingPOST): a client token from the customer's profile id and OTP.

use crate::btrust::config::Config;
use crate::btrust::operation::{post_json, Operation};
use crate::btrust::rules::{check_otp, check_profile_id};
use crate::error::Error;
use crate::http::{HttpRequest, Method};
use crate::secret::Secret;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Body of [`ClientAuth`] (Swagger `AuthInfo`).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    type Output = ClientTokenResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`ClientAuth`].
    ClientTokenResponse(ClientToken)
);

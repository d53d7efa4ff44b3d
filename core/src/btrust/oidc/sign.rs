//! `POST /v2/oidc/sign` (signUsingPOST): starts a signing request whose signer logs in and
//! confirms through an OpenID Connect redirect. Path and purpose published (seed 000); body and
//! answer **inferred** ([`super::models`]).

use super::models::*;
use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, json_body, Operation};
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use serde::{Deserialize, Serialize};

/// Input of [`OidcSign`]: the request body itself.
pub type OidcSignInput = OidcSignRequest;

/// `POST /v2/oidc/sign`: starts an OIDC signing request; 200/202 → `callbackId` and the URL to
/// send the user to (inferred).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OidcSign;

impl Operation for OidcSign {
    const NAME: &'static str = "btrust.oidcSign";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/oidc/sign";
    type Input = OidcSignRequest;
    type Output = OidcSignAcceptedResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let body = json_body(config, input, "$")?;
        Ok(config.request(
            Method::Post,
            config.url().path(Self::PATH),
            Some(body),
            Vec::new(),
            ResponseKind::Json,
        ))
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`OidcSign`] (inferred shape).
    OidcSignAcceptedResponse(OidcSignAccepted)
);

/// Input of the two result operations: the request's `callbackId`.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OidcCallbackIdInput {
    /// The `callbackId` from [`OidcSign`]'s answer.
    pub callback_id: String,
}

impl crate::validate::Validate for OidcCallbackIdInput {
    fn validate(&self, v: &mut crate::validate::Validator) {
        v.field("callbackId", |v| {
            crate::btrust::rules::check_token(v, &self.callback_id, 128, "callbackId")
        });
    }
}

/// Builds `GET <template with callbackId>`.
pub(crate) fn get_by_callback_id(
    config: &Config,
    input: &OidcCallbackIdInput,
    template: &str,
) -> Result<HttpRequest, Error> {
    check_all(config, input)?;
    let url = config.url().template(
        template,
        &[(
            "callbackId",
            crate::http::PathParam::Public(&input.callback_id),
        )],
    )?;
    Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
}

//! `GET /v2/oidc/sign/result/user-data/{callbackId}` (getSignResultUserDataUsingGET): the
//! signer's data once the request succeeded. Path and purpose published (seed 000); the
//! answer's shape is **inferred** (claims kept as sent).

use super::models::*;
use super::sign::{get_by_callback_id, OidcCallbackIdInput};
use crate::btrust::config::Config;
use crate::btrust::operation::Operation;
use crate::error::Error;
use crate::http::{HttpRequest, Method};

/// `GET /v2/oidc/sign/result/user-data/{callbackId}`: the signer's identity claims (personal
/// data) after a successful OIDC signing.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetOidcSignResultUserData;

impl Operation for GetOidcSignResultUserData {
    const NAME: &'static str = "btrust.getOidcSignResultUserData";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/oidc/sign/result/user-data/{callbackId}";
    type Input = OidcCallbackIdInput;
    type Output = OidcUserDataResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        get_by_callback_id(config, input, Self::PATH)
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`GetOidcSignResultUserData`] (inferred shape).
    OidcUserDataResponse(OidcUserData)
);

//! `GET /v2/oidc/sign/result/{callbackId}` (getSignResultUsingGET): the OIDC request's state.
//! Path published (seed 000); 206 while pending and the `SignedContentsResponse`-like answer
//! are **inferred**.

use super::models::*;
use super::sign::{get_by_callback_id, OidcCallbackIdInput};
use crate::btrust::config::Config;
use crate::btrust::operation::Operation;
use crate::error::Error;
use crate::http::{HttpRequest, Method};

/// `GET /v2/oidc/sign/result/{callbackId}`: 206 while the user has not confirmed; 200 with one
/// signature per item when done (inferred).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetOidcSignResult;

impl Operation for GetOidcSignResult {
    const NAME: &'static str = "btrust.getOidcSignResult";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/oidc/sign/result/{callbackId}";
    type Input = OidcCallbackIdInput;
    type Output = OidcSignResultResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        get_by_callback_id(config, input, Self::PATH)
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`GetOidcSignResult`]; `data` may be absent while pending (inferred).
    OidcSignResultResponse(Option<OidcSignResult>)
);

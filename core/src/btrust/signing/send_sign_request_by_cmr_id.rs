//! `POST /v2/sign/by/cmrid` (sendSignRequestByCmrIdUsingPOST): a sign request addressed by CMR id.
//! Non-idempotent, reconciled like `POST /v2/sign`.

use crate::btrust::config::Config;
use crate::btrust::operation::{post_json, Operation};
use crate::btrust::signing::models::*;
use crate::error::Error;
use crate::http::{HttpRequest, Method};

/// `POST /v2/sign/by/cmrid`: the same request without `rpToClientAuthorization`; what "CMR
/// id" designates is not documented (the Swagger lists the operation with the same body).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SendSignRequestByCmrId;

impl Operation for SendSignRequestByCmrId {
    const NAME: &'static str = "btrust.sendSignRequestByCmrId";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/sign/by/cmrid";
    type Input = SignRequestByCmrId;
    type Output = super::send_sign_request::SignRequestAcceptedResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }
}

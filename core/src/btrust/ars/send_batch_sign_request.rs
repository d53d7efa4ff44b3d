//! `POST /v2/arsign/batch/async/sign` (sendAsyncSignInBatchRequestUsingPOST): many documents
//! signed in the background with an access token. The path is published (seed 000); the body
//! and answer are **not**: both are inferred by analogy with the Signing API (`contents` in;
//! `callbackId`, `validity` out) and keep unknown fields. Refusals: `BATCH_SIZE_EXCEED`,
//! `REQUEST EXCEED LIMIT` (public clients).

use super::models::*;
use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, json_body, Operation};
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::secret::Secret;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`SendBatchSignRequest`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendBatchSignRequestInput {
    /// The access token from the consent (`X-ACCESS-TOKEN`).
    pub access_token: Secret<String>,
    /// The request body (inferred shape).
    pub request: BatchSignRequest,
}

impl Validate for SendBatchSignRequestInput {
    fn validate(&self, v: &mut Validator) {
        check_access_token(v, &self.access_token);
        v.field("request", |v| self.request.validate(v));
    }
}

/// `POST /v2/arsign/batch/async/sign`: submits a batch; 200/202 → the batch's `callbackId`
/// (inferred shape).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SendBatchSignRequest;

impl Operation for SendBatchSignRequest {
    const NAME: &'static str = "btrust.sendAsyncSignInBatchRequest";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/arsign/batch/async/sign";
    type Input = SendBatchSignRequestInput;
    type Output = BatchAcceptedResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let body = json_body(config, &input.request, "request")?;
        Ok(config.request(
            Method::Post,
            config.url().path(Self::PATH),
            Some(body),
            vec![token_header(&input.access_token)],
            ResponseKind::Json,
        ))
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`SendBatchSignRequest`] (inferred shape).
    BatchAcceptedResponse(BatchAccepted)
);

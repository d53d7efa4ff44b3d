//! `GET /v2/arsign/batch/async/{callbackId}` (getSignedBatchOrCheckSigningStatusUsingGET): the
//! batch's state, then its signatures. The path is published (seed 000); that 206 means "still
//! signing" and that the finished answer is the sync answer's `signatures` are **inferred**
//! (by analogy with `GET /v2/sign/{callbackId}`); so is sending the access token with it.
//! `BATCH_NOT_FOUND` when the service does not know the id (public clients).

use super::models::*;
use super::send_sync_sign_request::ArsSignaturesResponse;
use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, Method, PathParam, ResponseKind};
use crate::secret::Secret;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`GetSignedBatch`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetSignedBatchInput {
    /// The access token the batch was submitted with (`X-ACCESS-TOKEN`; inferred).
    pub access_token: Secret<String>,
    /// The batch's `callbackId`.
    pub callback_id: String,
}

impl Validate for GetSignedBatchInput {
    fn validate(&self, v: &mut Validator) {
        check_access_token(v, &self.access_token);
        v.field("callbackId", |v| {
            rules::check_token(v, &self.callback_id, 128, "callbackId")
        });
    }
}

/// `GET /v2/arsign/batch/async/{callbackId}`: 206 while the batch is being signed, 200 with
/// one signature per item when it is done (inferred).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetSignedBatch;

impl Operation for GetSignedBatch {
    const NAME: &'static str = "btrust.getSignedBatchOrCheckSigningStatus";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/arsign/batch/async/{callbackId}";
    type Input = GetSignedBatchInput;
    type Output = ArsSignaturesResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().template(
            Self::PATH,
            &[("callbackId", PathParam::Public(&input.callback_id))],
        )?;
        Ok(config.request(
            Method::Get,
            url,
            None,
            vec![token_header(&input.access_token)],
            ResponseKind::Json,
        ))
    }
}

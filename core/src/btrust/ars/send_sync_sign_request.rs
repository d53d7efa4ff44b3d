//! `POST /v2/arsign/sync` (sendSyncSignRequestUsingPOST): signs documents at once with the
//! organisation's consent (`X-ACCESS-TOKEN`), no user action. Body and answer from a public
//! client (reference §7). Not idempotent and with no lookup of its own: after an ambiguous
//! failure (`REQUEST_TIMEOUT`, a lost answer) the document may be signed already, which is why
//! [`crate::btrust::flows::AutoSignFlow`] never resends blindly.

use super::models::*;
use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, json_body, Operation};
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::secret::Secret;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`SendSyncSignRequest`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendSyncSignRequestInput {
    /// The access token from the consent (`X-ACCESS-TOKEN`).
    pub access_token: Secret<String>,
    /// The request body.
    pub request: ArsSignRequest,
}

impl Validate for SendSyncSignRequestInput {
    fn validate(&self, v: &mut Validator) {
        check_access_token(v, &self.access_token);
        v.field("request", |v| self.request.validate(v));
    }
}

/// `POST /v2/arsign/sync`: signs at once with an access token; 200 → one signature per item.
/// `DETACHED_DEVICE`, `CHANGED_PIN`, `CONSENT_REVOKE` mean a new consent is needed.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SendSyncSignRequest;

impl Operation for SendSyncSignRequest {
    const NAME: &'static str = "btrust.sendSyncSignRequest";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/arsign/sync";
    type Input = SendSyncSignRequestInput;
    type Output = ArsSignaturesResponse;

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
    /// The answer of [`SendSyncSignRequest`] and of a finished batch
    /// ([`super::GetSignedBatch`]); `data` may be absent while a batch runs (206).
    ArsSignaturesResponse(Option<ArsSignatures>)
);

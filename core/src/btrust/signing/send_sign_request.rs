//! `POST /v2/sign` (sendSignRequestUsingPOST): documents to sign, sent to the signer's B-Trust
//! Mobile. A non-idempotent create: a flow reconciles an ambiguous failure through
//! `GET /v2/rpcallbackid/{rpCallbackId}` instead of resending.

use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, json_body, Operation};
use crate::btrust::signer::SignerIdentity;
use crate::btrust::signing::models::*;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::time::Timestamp;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`SendSignRequest`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendSignRequestInput {
    /// Who signs (`rpToClientAuthorization`).
    pub identity: SignerIdentity,
    /// The request body.
    pub request: SignRequest,
}

impl Validate for SendSignRequestInput {
    fn validate(&self, v: &mut Validator) {
        v.field("identity", |v| self.identity.validate(v));
        v.field("request", |v| self.request.validate(v));
    }
}

/// `data` of the answer to a sign request (Swagger `Data`).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignRequestAccepted {
    /// The service's id of the request, for `GET /v2/sign/{callbackId}`.
    pub callback_id: String,
    /// Until when the request can be signed and polled.
    #[serde(default)]
    pub validity: Option<Timestamp>,
}

/// `POST /v2/sign`: sends documents to a B-Trust Mobile user for signing.
/// 200/202 → callbackId and validity; 404 means the signer has no usable certificate.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SendSignRequest;

impl Operation for SendSignRequest {
    const NAME: &'static str = "btrust.sendSignRequest";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/sign";
    type Input = SendSignRequestInput;
    type Output = SignRequestAcceptedResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let body = json_body(config, &input.request, "request")?;
        Ok(config.request(
            Method::Post,
            config.url().path(Self::PATH),
            Some(body),
            vec![input.identity.header()],
            ResponseKind::Json,
        ))
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`SendSignRequest`] and `SendSignRequestByCmrId`.
    SignRequestAcceptedResponse(SignRequestAccepted)
);

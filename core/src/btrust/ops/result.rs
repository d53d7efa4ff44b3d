//! `GET /v2/sign/{callbackId}` (getSignedResultUsingGET) and `GET /v2/rpcallbackid/{rpCallbackId}`
//! (getSignedResultByRpCallbackIdUsingGET): the poll. 206 = some items still wait (normal);
//! 200 = every item is final, **rejection included** — decide by each item's `status`.

use super::{check_all, Operation};
use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::envelope::{parse_enveloped, ApiResponse};
use crate::btrust::models::{SignatureStatus, SignatureType, MAX_RP_CALLBACK_ID_CHARS};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse, Method, ResponseKind};
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// One item of a poll result (Swagger `SignatureResponse`), in the order of the request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignatureResult {
    /// For `SIGNATURE` items the base64 signature value; otherwise the id to download the
    /// signed document with (`GET /v2/sign/content/{id}`).
    #[serde(default, deserialize_with = "super::string_or_number")]
    pub signature: Option<String>,
    /// Output format of this item.
    #[serde(default)]
    pub signature_type: Option<SignatureType>,
    /// State of this item.
    pub status: SignatureStatus,
}

/// `data` of a poll result (Swagger `SignedContentsResponseData`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignedContents {
    /// One entry per requested item, in request order.
    #[serde(default)]
    pub signatures: Vec<SignatureResult>,
    /// The signing certificate (DER), returned for `SIGNATURE` items.
    #[serde(default)]
    pub cert: Option<Blob>,
}

/// Input of [`GetSignedResult`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetSignedResultInput {
    /// The `callbackId` from the sign request's answer.
    pub callback_id: String,
}

impl Validate for GetSignedResultInput {
    fn validate(&self, v: &mut Validator) {
        v.field("callbackId", |v| {
            rules::check_token(v, &self.callback_id, 128, "callbackId")
        });
    }
}

/// `GET /v2/sign/{callbackId}`: state of a sign request.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetSignedResult;

impl Operation for GetSignedResult {
    const NAME: &'static str = "btrust.getSignedResult";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/sign/{callbackId}";
    type Input = GetSignedResultInput;
    type Output = ApiResponse<SignedContents>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().path("/v2/sign").segment(&input.callback_id);
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }

    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_enveloped(&response)
    }
}

/// Input of [`GetSignedResultByRpCallbackId`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetSignedResultByRpCallbackIdInput {
    /// The `relyingPartyCallbackId` the relying party gave the request.
    pub rp_callback_id: String,
}

impl Validate for GetSignedResultByRpCallbackIdInput {
    fn validate(&self, v: &mut Validator) {
        v.field("rpCallbackId", |v| {
            rules::check_token(
                v,
                &self.rp_callback_id,
                MAX_RP_CALLBACK_ID_CHARS,
                "rpCallbackId",
            )
        });
    }
}

/// `GET /v2/rpcallbackid/{rpCallbackId}`: state of a sign request by the relying party's own
/// id (top level, not under `/sign`: one public client gets this wrong). A 404 right after
/// an ambiguous submit means the request does not exist and may be sent again.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetSignedResultByRpCallbackId;

impl Operation for GetSignedResultByRpCallbackId {
    const NAME: &'static str = "btrust.getSignedResultByRpCallbackId";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/rpcallbackid/{rpCallbackId}";
    type Input = GetSignedResultByRpCallbackIdInput;
    type Output = ApiResponse<SignedContents>;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config
            .url()
            .path("/v2/rpcallbackid")
            .segment(&input.rp_callback_id);
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }

    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        parse_enveloped(&response)
    }
}

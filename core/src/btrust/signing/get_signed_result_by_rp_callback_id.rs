//! `GET /v2/rpcallbackid/{rpCallbackId}` (getSignedResultByRpCallbackIdUsingGET): the poll by the
//! relying party's own id, and how a flow learns whether a lost `POST /v2/sign` reached the service.

use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, Operation};
use crate::btrust::rules;
use crate::btrust::signing::models::*;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`GetSignedResultByRpCallbackId`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    type Output = SignedContentsResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().template(
            Self::PATH,
            &[(
                "rpCallbackId",
                crate::http::PathParam::Public(&input.rp_callback_id),
            )],
        )?;
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }
}

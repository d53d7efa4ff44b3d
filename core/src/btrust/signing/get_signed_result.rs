//! `GET /v2/sign/{callbackId}` (getSignedResultUsingGET): the poll. 206 = some items still wait
//! (normal); 200 = every item is final, **rejection included** — decide by each item's `status`.

use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, Operation};
use crate::btrust::rules;
use crate::btrust::signing::models::*;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`GetSignedResult`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    type Output = SignedContentsResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().template(
            Self::PATH,
            &[(
                "callbackId",
                crate::http::PathParam::Public(&input.callback_id),
            )],
        )?;
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }
}

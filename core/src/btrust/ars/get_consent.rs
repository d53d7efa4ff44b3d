//! `GET /v2/arsign/consent/{callbackId}` (getConsentUsingGET): the state of a consent request;
//! once approved, the access token, its expiry and the signed consent document (public client).
//! Where the progress (`IN_PROGRESS`, `COMPLETED`, `REJECTED`, `EXPIRED`) appears is inferred:
//! [`ConsentResultResponse::consent_status`] reads `data.status`, `status`, `code` and
//! `responseCode`, and an HTTP 206 is "in progress" as in the Signing API.

use super::models::*;
use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, Method, PathParam, ResponseKind};
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`GetConsent`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetConsentInput {
    /// The `callbackId` from the consent request's answer.
    pub callback_id: String,
}

impl Validate for GetConsentInput {
    fn validate(&self, v: &mut Validator) {
        v.field("callbackId", |v| {
            rules::check_token(v, &self.callback_id, 128, "callbackId")
        });
    }
}

/// `GET /v2/arsign/consent/{callbackId}`: state of a consent request.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetConsent;

impl Operation for GetConsent {
    const NAME: &'static str = "btrust.getConsent";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/arsign/consent/{callbackId}";
    type Input = GetConsentInput;
    type Output = ConsentResultResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().template(
            Self::PATH,
            &[("callbackId", PathParam::Public(&input.callback_id))],
        )?;
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`GetConsent`]; `data` is absent while the request waits.
    ConsentResultResponse(Option<ConsentResult>)
);

impl ConsentResultResponse {
    /// The consent's progress, wherever the answer put it (`data.status`, `status`, `code`,
    /// `responseCode`, in that order; a `GET_RS_CONSENT_` prefix is dropped). A 206 without
    /// one is `IN_PROGRESS`; a 200 with an access token and none is `COMPLETED`.
    pub fn consent_status(&self) -> ConsentStatus {
        let known = |s: &str| {
            let s = s.strip_prefix("GET_RS_CONSENT_").unwrap_or(s);
            let st = ConsentStatus::parse(s);
            st.is_known().then_some(st)
        };
        let found = self
            .data
            .as_ref()
            .and_then(|d| d.status.as_ref())
            .and_then(|s| known(s.as_str()))
            .or_else(|| self.status.as_deref().and_then(known))
            .or_else(|| self.code.as_ref().and_then(|c| known(c.as_str())))
            .or_else(|| self.response_code.as_ref().and_then(|c| known(c.as_str())));
        match found {
            Some(s) => s,
            None if self.http_status == 206 => ConsentStatus::InProgress,
            None if self.data.as_ref().is_some_and(|d| d.access_token.is_some()) => {
                ConsentStatus::Completed
            }
            None => ConsentStatus::InProgress,
        }
    }
}

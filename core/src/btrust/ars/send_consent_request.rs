//! `POST /v2/arsign/consent` (sendConsentRequestUsingPOST): asks an organisation's authorised
//! signer, in B-Trust Mobile, to consent to automatic signing. Fields from a public client
//! (reference §7); the signer is addressed as `certId:{certId}`.

use super::models::*;
use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, json_body, Operation};
use crate::btrust::signer::SignerIdentity;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`SendConsentRequest`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendConsentRequestInput {
    /// The authorised signer (`rpToClientAuthorization`; the public client uses `certId`).
    pub identity: SignerIdentity,
    /// The request body.
    pub request: ConsentRequest,
}

impl Validate for SendConsentRequestInput {
    fn validate(&self, v: &mut Validator) {
        v.field("identity", |v| self.identity.validate(v));
        v.field("request", |v| self.request.validate(v));
    }
}

/// `POST /v2/arsign/consent`: requests consent to automatic remote signing.
/// 200/202 → `callbackId` and `validity`; `RP_BASED_CONSENT_ALREADY_EXISTS` when one is active.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SendConsentRequest;

impl Operation for SendConsentRequest {
    const NAME: &'static str = "btrust.sendConsentRequest";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/arsign/consent";
    type Input = SendConsentRequestInput;
    type Output = ConsentAcceptedResponse;

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
    /// The answer of [`SendConsentRequest`].
    ConsentAcceptedResponse(ConsentAccepted)
);

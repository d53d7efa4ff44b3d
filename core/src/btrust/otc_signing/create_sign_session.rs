//! Create a sign session: named by the developer portal only; the shape is **inferred**.

use crate::btrust::config::Config;
use crate::btrust::operation::{post_json, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, Method};
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`CreateSignSession`] (inferred).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSignSessionInput {
    /// The customer's `clientIdentificator`.
    pub identificator: String,
    /// Further fields, sent as they are.
    #[serde(flatten)]
    pub additional: crate::JsonObject,
}

impl Validate for CreateSignSessionInput {
    fn validate(&self, v: &mut Validator) {
        v.field("identificator", |v| {
            rules::check_token(v, &self.identificator, 128, "identificator")
        });
    }
}

/// `POST /v2/identification/web/websession/create/signsession` (createSignSessionUsingPOST_1).
///
/// **Inferred shape.** Seed 000: "creates a sign session request after web identification".
/// cqes sends `{"identificator": …, …additional}` and returns `data` as raw JSON (the sandbox
/// answers `{signSessionId, signSessionIdExpireDate}`).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateSignSession;

impl Operation for CreateSignSession {
    const NAME: &'static str = "btrust.createSignSession";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/identification/web/websession/create/signsession";
    type Input = CreateSignSessionInput;
    type Output = crate::btrust::envelope::JsonResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }
}

//! `POST /v2/identification/accessSettings`: named by the developer portal only; the shape is
//! **inferred**.

use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, json_body, Operation};
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`CreateAccessSettings`]: the settings object, sent as the body.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessSettingsInput {
    /// The settings, passed through unchanged.
    pub settings: crate::JsonObject,
}

impl Validate for AccessSettingsInput {
    fn validate(&self, _v: &mut Validator) {}
}

/// `POST /v2/identification/accessSettings` (createIdentificationRequestDataAccessSettingsUsingPOST).
///
/// **Inferred shape.** Seed 000 gives only the path and purpose ("creates data access
/// settings for an identification request"). cqes sends the given object as the JSON body and
/// returns the envelope's `data` as raw JSON.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateAccessSettings;

impl Operation for CreateAccessSettings {
    const NAME: &'static str = "btrust.createIdentificationRequestDataAccessSettings";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/identification/accessSettings";
    type Input = AccessSettingsInput;
    type Output = crate::btrust::envelope::JsonResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let body = json_body(config, &input.settings, "settings")?;
        Ok(config.request(
            Method::Post,
            config.url().path(Self::PATH),
            Some(body),
            Vec::new(),
            ResponseKind::Json,
        ))
    }
}

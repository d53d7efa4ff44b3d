//! A web identification session without a one-time certificate: named by the developer portal
//! only; the shape is **inferred**.

use super::start_web_identification::StartWebIdentificationRequest;
use crate::btrust::config::Config;
use crate::btrust::operation::{post_json, Operation};
use crate::error::Error;
use crate::http::{HttpRequest, Method};

/// `POST /v2/identification/web/websession/without-otc/start`
/// (startWebIdentificationWithoutOtcUsingPOST).
///
/// **Inferred shape**: seed 000 names it only; cqes assumes the body and answer of
/// [`StartWebIdentification`]. The identification then ends without a sign session.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StartWebIdentificationWithoutOtc;

impl Operation for StartWebIdentificationWithoutOtc {
    const NAME: &'static str = "btrust.startWebIdentificationWithoutOtc";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/identification/web/websession/without-otc/start";
    type Input = StartWebIdentificationRequest;
    type Output = super::start_web_identification::WebSessionStartedResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }
}

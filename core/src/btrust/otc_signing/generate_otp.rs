//! Generate the customer's OTP through the API: named by the developer portal only; the shape is
//! **inferred**.

use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, Operation};
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};

/// `GET /v2/identification/web/generate/otp/{resultId}` (generateOtpCodeForOtcUsingGET):
/// the service texts the customer a one-time code.
///
/// **Inferred shape**: only the path is published. `resultId` is taken to be the sign
/// session's; `data` is returned as raw JSON. Not idempotent: each call sends an SMS.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GenerateOtp;

impl Operation for GenerateOtp {
    const NAME: &'static str = "btrust.generateOtpCodeForOtc";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/identification/web/generate/otp/{resultId}";
    type Input = crate::btrust::web_identification::ResultIdInput;
    type Output = crate::btrust::envelope::JsonResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().template(
            Self::PATH,
            &[("resultId", crate::http::PathParam::Public(&input.result_id))],
        )?;
        let mut req = config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json);
        req.idempotent = false;
        Ok(req)
    }
}

//! The status of a web identification by `resultId` (seed 001 §5).

use super::models::ResultIdInput;
use crate::btrust::config::Config;
use crate::btrust::identification::models::*;
use crate::btrust::operation::{check_all, Operation};
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use serde::{Deserialize, Serialize};

/// `data` of a web identification status.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebIdentificationStatus {
    /// Where the request stands.
    pub status: WebStatus,
    /// The step within the status.
    #[serde(default)]
    pub step: Option<WebStep>,
}

/// `GET /v2/identification/web/{resultId}/status` (getWebIdentificationStatusUsingGET).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetWebIdentificationStatus;

impl Operation for GetWebIdentificationStatus {
    const NAME: &'static str = "btrust.getWebIdentificationStatus";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/identification/web/{resultId}/status";
    type Input = ResultIdInput;
    type Output = WebIdentificationStatusResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().template(
            Self::PATH,
            &[("resultId", crate::http::PathParam::Public(&input.result_id))],
        )?;
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Json))
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`GetWebIdentificationStatus`].
    WebIdentificationStatusResponse(WebIdentificationStatus)
);

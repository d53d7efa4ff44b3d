//! `GET /v2/sign/content/{id}` (getSignedContentUsingGET): one signed document as
//! `application/octet-stream`; the file name comes from `Content-Disposition`.

use crate::btrust::config::Config;
use crate::btrust::download::DownloadedFile;
use crate::btrust::operation::{check_all, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Longest content id accepted. The Swagger types it int32, but its own example of the value
/// it comes from is a UUID, so any short token is accepted.
pub(crate) const MAX_CONTENT_ID: usize = 64;

/// Input of [`GetSignedContent`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetSignedContentInput {
    /// The `signature` value of a signed, non-`SIGNATURE` item of the poll result.
    pub id: String,
}

impl Validate for GetSignedContentInput {
    fn validate(&self, v: &mut Validator) {
        v.field("id", |v| {
            rules::check_token(v, &self.id, MAX_CONTENT_ID, "a content id")
        });
    }
}

/// `GET /v2/sign/content/{id}`: the signed document. Downloadable for 7 days (10 years when
/// archived).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetSignedContent;

impl Operation for GetSignedContent {
    const NAME: &'static str = "btrust.getSignedContent";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/sign/content/{id}";
    type Input = GetSignedContentInput;
    type Output = DownloadedFile;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().template(
            Self::PATH,
            &[("id", crate::http::PathParam::Public(&input.id))],
        )?;
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Binary))
    }
}

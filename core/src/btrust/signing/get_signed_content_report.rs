//! `GET /v2/sign/report/{id}/{reportType}` (getSignedContentReportUsingGET): the validation report
//! of a signed document, as `application/octet-stream`.

use super::get_signed_content::MAX_CONTENT_ID;
use crate::btrust::config::Config;
use crate::btrust::download::DownloadedFile;
use crate::btrust::operation::{check_all, Operation};
use crate::btrust::rules;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

open_enum! {
    /// Kind of evidence report for an archived document.
    pub enum ReportType {
        /// The simple report of the qualified validation service.
        Simple = "SIMPLE",
        /// The detailed report.
        Detailed = "DETAILED",
    }
}

/// Input of [`GetSignedContentReport`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetSignedContentReportInput {
    /// Id of the archived document.
    pub id: String,
    /// Which report.
    pub report_type: ReportType,
}

impl Validate for GetSignedContentReportInput {
    fn validate(&self, v: &mut Validator) {
        v.field("id", |v| {
            rules::check_token(v, &self.id, MAX_CONTENT_ID, "a content id")
        });
        if !self.report_type.is_known() {
            v.issue_at(
                "reportType",
                IssueCode::UnknownValue,
                "reportType is SIMPLE or DETAILED",
            );
        }
    }
}

/// `GET /v2/sign/report/{id}/{reportType}`: evidence report of an archived document.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetSignedContentReport;

impl Operation for GetSignedContentReport {
    const NAME: &'static str = "btrust.getSignedContentReport";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/sign/report/{id}/{reportType}";
    type Input = GetSignedContentReportInput;
    type Output = DownloadedFile;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        let url = config.url().template(
            Self::PATH,
            &[
                ("id", crate::http::PathParam::Public(&input.id)),
                (
                    "reportType",
                    crate::http::PathParam::Public(input.report_type.as_str()),
                ),
            ],
        )?;
        Ok(config.request(Method::Get, url, None, Vec::new(), ResponseKind::Binary))
    }
}

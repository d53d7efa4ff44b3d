//! Inputs shared by the web identification and one-time-certificate operations.

use crate::btrust::identification::models::*;
use crate::btrust::rules;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`GetWebIdentificationStatus`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResultIdInput {
    /// The `resultId` (of websession/start, or of signsession/start).
    #[serde(deserialize_with = "text_or_number")]
    pub result_id: String,
}

impl Validate for ResultIdInput {
    fn validate(&self, v: &mut Validator) {
        v.field("resultId", |v| {
            rules::check_token(v, &self.result_id, 64, "resultId")
        });
    }
}

//! Start a sign session with documents for a one-time certificate after web identification
//! (seed 001 §3; seed 000), then send the customer to `clientDocumentUrl`.

use crate::blob::ContentData;
use crate::btrust::config::Config;
use crate::btrust::identification::models::*;
use crate::btrust::operation::{post_json, Operation};
use crate::btrust::rules;
use crate::btrust::signing::models::*;
use crate::error::Error;
use crate::http::{HttpRequest, Method};
use crate::time::Timestamp;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

/// One document of a sign session (`documentsForSign[]`).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocumentForSign {
    /// The PDF (bytes, or base64 text sent verbatim).
    pub content_as_base64: ContentData,
    /// Name used when the customer downloads it.
    pub file_name: String,
    /// Title shown on BORICA's page.
    pub legal_file_name: String,
    /// Show a visible signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pades_visual_signature: Option<bool>,
    /// Where the visible signature goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_position: Option<SignaturePosition>,
    /// Archive in BORICA's long-term preservation service (the relying party must subscribe).
    /// Spelt `toBeArhieved` on the wire, as in the guide; `toBeArchived` is accepted as input.
    #[serde(
        rename = "toBeArhieved",
        alias = "toBeArchived",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(extend("x-cqes-name" = "toBeArchived", "x-cqes-aliases" = ["toBeArchived"]))
    )]
    pub to_be_archived: Option<bool>,
}

impl Validate for DocumentForSign {
    fn validate(&self, v: &mut Validator) {
        v.field("contentAsBase64", |v| {
            let head = match &self.content_as_base64 {
                ContentData::Bytes(b) => Some(b.as_bytes().to_vec()),
                ContentData::Encoded(s) => {
                    rules::check_base64(v, s).then(|| rules::base64_prefix(s, 1024))
                }
            };
            match head {
                Some(h) if h.is_empty() => v.issue(IssueCode::Required, "the document is empty"),
                Some(h) if !rules::looks_like_pdf(&h) => v.issue(
                    IssueCode::NotPdf,
                    "sign sessions sign PDF documents (no %PDF- header found)",
                ),
                _ => {}
            }
        });
        v.field("fileName", |v| rules::check_file_name(v, &self.file_name));
        v.field("legalFileName", |v| {
            rules::check_text(
                v,
                &self.legal_file_name,
                rules::MAX_FILE_NAME_CHARS,
                "legalFileName",
            )
        });
        if let Some(p) = &self.signature_position {
            v.field("signaturePosition", |v| p.validate(v));
        }
    }
}

/// Body of `POST /v2/identification/web/signsession/start`.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartSignSessionRequest {
    /// `clientIdentificator` from the identification result.
    pub identificator: String,
    /// `signSessionId` from the identification result.
    pub sign_session_id: String,
    /// Documents, at least one.
    pub documents_for_sign: Vec<DocumentForSign>,
    /// E-mail the signed documents to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_signed_documents_by_email: Option<bool>,
    /// Where the customer lands after rejecting.
    pub cancel_url: String,
    /// Where the customer lands after signing.
    pub success_url: String,
}

impl Validate for StartSignSessionRequest {
    fn validate(&self, v: &mut Validator) {
        v.field("identificator", |v| {
            rules::check_token(v, &self.identificator, 128, "identificator")
        });
        v.field("signSessionId", |v| {
            rules::check_token(v, &self.sign_session_id, 128, "signSessionId")
        });
        v.field("documentsForSign", |v| {
            if self.documents_for_sign.is_empty() {
                v.issue(IssueCode::TooShort, "at least one document is required");
            }
            for (i, d) in self.documents_for_sign.iter().enumerate() {
                v.index(i, |v| d.validate(v));
            }
        });
        v.field("cancelUrl", |v| {
            rules::check_callback_url(v, &self.cancel_url)
        });
        v.field("successUrl", |v| {
            rules::check_callback_url(v, &self.success_url)
        });
    }
}

/// `data` of a started sign session.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignSessionStarted {
    /// Send the customer here to view the documents and enter the SMS code.
    pub client_document_url: String,
    /// Until when that URL works.
    #[serde(default)]
    pub expire_date: Option<Timestamp>,
    /// The sign session's result id (callback and result fetch).
    #[serde(deserialize_with = "text_or_number")]
    pub result_id: String,
}

/// `POST /v2/identification/web/signsession/start` (startSignSessionUsingPOST).
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StartSignSession;

impl Operation for StartSignSession {
    const NAME: &'static str = "btrust.startSignSession";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/identification/web/signsession/start";
    type Input = StartSignSessionRequest;
    type Output = SignSessionStartedResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`StartSignSession`].
    SignSessionStartedResponse(SignSessionStarted)
);

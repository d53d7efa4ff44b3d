//! `Content`: one document (or digest) to sign (Swagger `Content`), and its validation against the
//! signature type, format and size.

use crate::blob::ContentData;
use crate::btrust::rules;
use crate::btrust::signing::models::*;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

/// One item to sign (Swagger `Content`; required: `confirmText`, `contentFormat`, `data`).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Content {
    /// Text of the confirmation dialog in B-Trust Mobile.
    pub confirm_text: String,
    /// What `data` holds.
    pub content_format: ContentFormat,
    /// The document (bytes, encoded by the core), its digest, or text.
    pub data: ContentData,
    /// Document name (at most 250 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Digest algorithm; for `DIGEST` content it fixes the digest's length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_algorithm: Option<HashAlgorithm>,
    /// Show a visible signature in the signed PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pades_visual_signature: Option<bool>,
    /// Where the visible signature goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_position: Option<SignaturePosition>,
    /// Output format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_type: Option<SignatureType>,
    /// Archive the result in BORICA's qualified long-term preservation service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_be_archived: Option<bool>,
}

impl Content {
    /// A `BINARY_BASE64` content from raw document bytes.
    pub fn document(confirm_text: impl Into<String>, bytes: impl Into<bytes::Bytes>) -> Self {
        Content {
            confirm_text: confirm_text.into(),
            content_format: ContentFormat::BinaryBase64,
            data: ContentData::bytes(bytes),
            file_name: None,
            hash_algorithm: None,
            pades_visual_signature: None,
            signature_position: None,
            signature_type: None,
            to_be_archived: None,
        }
    }

    /// Number of bytes `data` occupies in the request body.
    pub fn wire_len(&self) -> usize {
        match &self.data {
            ContentData::Bytes(b) => base64_simd::STANDARD.encoded_length(b.len()),
            ContentData::Encoded(s) => s.len(),
        }
    }

    /// Whether the output is (or must be) a PDF.
    fn wants_pdf(&self) -> bool {
        self.signature_type
            .as_ref()
            .is_some_and(SignatureType::is_pades)
            || self.pades_visual_signature == Some(true)
    }
}

/// Longest `confirmText` accepted (the mobile dialog; inferred, no limit is published).
pub const MAX_CONFIRM_TEXT_CHARS: usize = 4000;

impl Validate for Content {
    fn validate(&self, v: &mut Validator) {
        v.field("confirmText", |v| {
            rules::check_text(v, &self.confirm_text, MAX_CONFIRM_TEXT_CHARS, "confirmText")
        });
        if !self.content_format.is_known() {
            v.issue_at(
                "contentFormat",
                IssueCode::UnknownValue,
                "contentFormat is DIGEST, BINARY_BASE64 or TEXT",
            );
        }
        if let Some(h) = &self.hash_algorithm {
            if !h.is_known() {
                v.issue_at(
                    "hashAlgorithm",
                    IssueCode::UnknownValue,
                    "hashAlgorithm is SHA256 or SHA512",
                );
            }
        }
        if let Some(t) = &self.signature_type {
            if !t.is_known() {
                v.issue_at(
                    "signatureType",
                    IssueCode::UnknownValue,
                    "not one of the 26 signatureType values",
                );
            }
        }
        if let Some(name) = &self.file_name {
            v.field("fileName", |v| rules::check_file_name(v, name));
        }
        if let Some(pos) = &self.signature_position {
            v.field("signaturePosition", |v| pos.validate(v));
        }
        v.field("data", |v| self.validate_data(v));
        self.validate_combinations(v);
    }
}

impl Content {
    fn validate_data(&self, v: &mut Validator) {
        let format = &self.content_format;
        match (&self.data, format) {
            (ContentData::Bytes(_), ContentFormat::Text) => v.issue(
                IssueCode::InvalidType,
                "TEXT content is given as a string, not as bytes",
            ),
            (ContentData::Bytes(b), _) if b.is_empty() => {
                v.issue(IssueCode::Required, "the content is empty")
            }
            (ContentData::Encoded(s), ContentFormat::Text) if s.is_empty() => {
                v.issue(IssueCode::Required, "the text is empty")
            }
            (ContentData::Encoded(s), ContentFormat::BinaryBase64 | ContentFormat::Digest) => {
                if !rules::check_base64(v, s) {
                    return;
                }
                if *format == ContentFormat::Digest {
                    self.check_digest_len(v, rules::base64_decoded_len(s));
                } else if self.wants_pdf() && !rules::looks_like_pdf(&rules::base64_prefix(s, 1024))
                {
                    v.issue(
                        IssueCode::NotPdf,
                        "a PAdES or visible signature needs a PDF document (no %PDF- header found)",
                    );
                }
            }
            (ContentData::Bytes(b), ContentFormat::Digest) => self.check_digest_len(v, b.len()),
            (ContentData::Bytes(b), ContentFormat::BinaryBase64)
                if self.wants_pdf() && !rules::looks_like_pdf(b.as_bytes()) =>
            {
                v.issue(
                    IssueCode::NotPdf,
                    "a PAdES or visible signature needs a PDF document (no %PDF- header found)",
                );
            }
            _ => {}
        }
    }

    fn check_digest_len(&self, v: &mut Validator, len: usize) {
        let ok = match self
            .hash_algorithm
            .as_ref()
            .and_then(HashAlgorithm::digest_len)
        {
            Some(expected) => len == expected,
            // Without hashAlgorithm, accept either documented size (inferred).
            None => len == 32 || len == 64,
        };
        if !ok {
            v.issue(
                IssueCode::InvalidLength,
                "a DIGEST must decode to the hash size: 32 bytes for SHA256, 64 for SHA512",
            );
        }
    }

    fn validate_combinations(&self, v: &mut Validator) {
        let is_signature = self.signature_type == Some(SignatureType::Signature);
        if is_signature && self.to_be_archived == Some(true) {
            v.issue_at(
                "toBeArchived",
                IssueCode::Conflict,
                "SIGNATURE results cannot be archived (service code ARCHIVE_SIGNATURE)",
            );
        }
        if self.wants_pdf() && self.content_format == ContentFormat::Text {
            v.issue_at(
                "contentFormat",
                IssueCode::Conflict,
                "a PAdES or visible signature needs BINARY_BASE64 PDF content",
            );
        }
        if self.pades_visual_signature == Some(true)
            && self
                .signature_type
                .as_ref()
                .is_some_and(|t| t.is_known() && !t.is_pades())
        {
            v.issue_at(
                "padesVisualSignature",
                IssueCode::Conflict,
                "a visible signature exists only in PAdES (PDF) signatures",
            );
        }
    }
}

//! Shared Signing-API models (reference §4; BORICA's Swagger `Content`, `SignaturePositionDTO`,
//! `SignRequest`, `SignRequestViaQr`, `SignatureResponse`). Field names are the wire's.

use super::rules;
use crate::blob::ContentData;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

open_enum! {
    /// What a content's `data` holds (Swagger `Content.contentFormat`).
    pub enum ContentFormat {
        /// A hash of the document, base64; its length must match `hashAlgorithm`.
        Digest = "DIGEST",
        /// The document itself, base64.
        BinaryBase64 = "BINARY_BASE64",
        /// Plain text, sent as is.
        Text = "TEXT",
    }
}

open_enum! {
    /// Digest algorithm (Swagger `Content.hashAlgorithm`).
    pub enum HashAlgorithm {
        /// SHA-256 (32-byte digests).
        Sha256 = "SHA256",
        /// SHA-512 (64-byte digests).
        Sha512 = "SHA512",
    }
}

impl HashAlgorithm {
    /// Digest size in bytes, for known algorithms.
    pub fn digest_len(&self) -> Option<usize> {
        match self {
            HashAlgorithm::Sha256 => Some(32),
            HashAlgorithm::Sha512 => Some(64),
            HashAlgorithm::Unknown(_) => None,
        }
    }
}

open_enum! {
    /// Output format of a signature (Swagger `Content.signatureType`, 26 values; "ATACHED" is
    /// BORICA's spelling).
    pub enum SignatureType {
        /// The raw signature value (encrypted digest) instead of a signed document.
        Signature = "SIGNATURE",
        /// CAdES baseline B, attached.
        CadesBaselineBAtached = "CADES_BASELINE_B_ATACHED",
        /// CAdES baseline T, attached.
        CadesBaselineTAtached = "CADES_BASELINE_T_ATACHED",
        /// CAdES baseline LT, attached.
        CadesBaselineLtAtached = "CADES_BASELINE_LT_ATACHED",
        /// CAdES baseline LTA, attached.
        CadesBaselineLtaAtached = "CADES_BASELINE_LTA_ATACHED",
        /// CAdES baseline LTA, enveloped.
        CadesBaselineLtaEnveloped = "CADES_BASELINE_LTA_ENVELOPED",
        /// CAdES baseline B, detached.
        CadesBaselineBDetached = "CADES_BASELINE_B_DETACHED",
        /// CAdES baseline T, detached.
        CadesBaselineTDetached = "CADES_BASELINE_T_DETACHED",
        /// CAdES baseline LT, detached.
        CadesBaselineLtDetached = "CADES_BASELINE_LT_DETACHED",
        /// CAdES baseline LTA, detached.
        CadesBaselineLtaDetached = "CADES_BASELINE_LTA_DETACHED",
        /// PAdES baseline B (PDF).
        PadesBaselineB = "PADES_BASELINE_B",
        /// PAdES baseline T (PDF).
        PadesBaselineT = "PADES_BASELINE_T",
        /// PAdES baseline LT (PDF).
        PadesBaselineLt = "PADES_BASELINE_LT",
        /// PAdES baseline LTA (PDF).
        PadesBaselineLta = "PADES_BASELINE_LTA",
        /// XAdES baseline B, enveloped.
        XadesBaselineBEnveloped = "XADES_BASELINE_B_ENVELOPED",
        /// XAdES baseline T, enveloped.
        XadesBaselineTEnveloped = "XADES_BASELINE_T_ENVELOPED",
        /// XAdES baseline LT, enveloped.
        XadesBaselineLtEnveloped = "XADES_BASELINE_LT_ENVELOPED",
        /// XAdES baseline LTA, enveloped.
        XadesBaselineLtaEnveloped = "XADES_BASELINE_LTA_ENVELOPED",
        /// XAdES baseline B, enveloping.
        XadesBaselineBEnveloping = "XADES_BASELINE_B_ENVELOPING",
        /// XAdES baseline T, enveloping.
        XadesBaselineTEnveloping = "XADES_BASELINE_T_ENVELOPING",
        /// XAdES baseline LT, enveloping.
        XadesBaselineLtEnveloping = "XADES_BASELINE_LT_ENVELOPING",
        /// XAdES baseline LTA, enveloping.
        XadesBaselineLtaEnveloping = "XADES_BASELINE_LTA_ENVELOPING",
        /// XAdES baseline B, detached.
        XadesBaselineBDetached = "XADES_BASELINE_B_DETACHED",
        /// XAdES baseline T, detached.
        XadesBaselineTDetached = "XADES_BASELINE_T_DETACHED",
        /// XAdES baseline LT, detached.
        XadesBaselineLtDetached = "XADES_BASELINE_LT_DETACHED",
        /// XAdES baseline LTA, detached.
        XadesBaselineLtaDetached = "XADES_BASELINE_LTA_DETACHED",
    }
}

impl SignatureType {
    /// Whether the output is a signed PDF.
    pub fn is_pades(&self) -> bool {
        self.as_str().starts_with("PADES_")
    }
}

open_enum! {
    /// Who pays for the operation.
    pub enum Payer {
        /// The signer.
        Client = "CLIENT",
        /// The relying party.
        RelyingParty = "RELYING_PARTY",
    }
}

open_enum! {
    /// State of one signed item (Swagger `SignatureResponse.status`; `REVOKED` from a later
    /// BORICA enum).
    pub enum SignatureStatus {
        /// Something went wrong with this item.
        Error = "ERROR",
        /// Waiting for the user, or the signature is being made.
        InProgress = "IN_PROGRESS",
        /// Signed; downloadable.
        Signed = "SIGNED",
        /// Signed and already downloaded once; still downloadable within retention.
        Received = "RECEIVED",
        /// The user declined.
        Rejected = "REJECTED",
        /// Signed and archived in BORICA's long-term preservation service; downloadable.
        Archived = "ARCHIVED",
        /// Content deleted after retention; the history record remains.
        Removed = "REMOVED",
        /// Not signed within the request's validity.
        Expired = "EXPIRED",
        /// Revoked (automatic remote signing).
        Revoked = "REVOKED",
    }
}

impl SignatureStatus {
    /// Whether the item is signed and its result can be fetched.
    pub fn is_signed(&self) -> bool {
        matches!(
            self,
            SignatureStatus::Signed | SignatureStatus::Received | SignatureStatus::Archived
        )
    }

    /// Whether the item may still change. Unknown statuses count as pending, so a new
    /// intermediate state of the service never ends a flow early (the deadline still does).
    pub fn is_pending(&self) -> bool {
        matches!(
            self,
            SignatureStatus::InProgress | SignatureStatus::Unknown(_)
        )
    }
}

/// Where the visible signature goes in a PDF (Swagger `SignaturePositionDTO`). Units are not
/// documented; PDF points are assumed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignaturePosition {
    /// Height of the signature box (int32).
    pub image_height: i64,
    /// Width of the signature box (int32).
    pub image_width: i64,
    /// X of the box's upper-left corner.
    pub image_x_axis: f64,
    /// Y of the box's upper-left corner.
    pub image_y_axis: f64,
    /// Page, counted from 1.
    pub page_number: i64,
}

impl Validate for SignaturePosition {
    fn validate(&self, v: &mut Validator) {
        let max = i32::MAX as i64;
        if !(1..=max).contains(&self.page_number) {
            v.issue_at(
                "pageNumber",
                IssueCode::OutOfRange,
                "pages are counted from 1",
            );
        }
        for (name, value) in [
            ("imageHeight", self.image_height),
            ("imageWidth", self.image_width),
        ] {
            if !(1..=max).contains(&value) {
                v.issue_at(name, IssueCode::OutOfRange, "must be greater than 0");
            }
        }
        for (name, value) in [
            ("imageXAxis", self.image_x_axis),
            ("imageYAxis", self.image_y_axis),
        ] {
            if !value.is_finite() || value < 0.0 || value > f32::MAX as f64 {
                v.issue_at(name, IssueCode::OutOfRange, "must be a finite number ≥ 0");
            }
        }
    }
}

/// One item to sign (Swagger `Content`; required: `confirmText`, `contentFormat`, `data`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// Longest `relyingPartyCallbackId` accepted (inferred; the service publishes none).
pub const MAX_RP_CALLBACK_ID_CHARS: usize = 128;

/// Checks the fields every sign request shares.
fn validate_common(
    v: &mut Validator,
    rp_callback_id: &Option<String>,
    callback_url: &Option<String>,
    payer: &Option<Payer>,
) {
    if let Some(id) = rp_callback_id {
        v.field("relyingPartyCallbackId", |v| {
            rules::check_token(v, id, MAX_RP_CALLBACK_ID_CHARS, "relyingPartyCallbackId")
        });
    }
    if let Some(url) = callback_url {
        v.field("callbackURL", |v| rules::check_callback_url(v, url));
    }
    if let Some(p) = payer {
        if !p.is_known() {
            v.issue_at(
                "payer",
                IssueCode::UnknownValue,
                "payer is CLIENT or RELYING_PARTY",
            );
        }
    }
}

/// Body of `POST /v2/sign` and `POST /v2/sign/by/cmrid` (Swagger `SignRequest`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignRequest {
    /// Documents, digests or texts to sign, at least one.
    pub contents: Vec<Content>,
    /// The relying party's own id for this request; enables lookup by it and makes a
    /// duplicate submission detectable. Flows require it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relying_party_callback_id: Option<String>,
    /// URL the service notifies when the request is signed (payload not published).
    #[serde(
        rename = "callbackURL",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub callback_url: Option<String>,
    /// Who pays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<Payer>,
    /// The request is a login (authentication) signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_login: Option<bool>,
}

impl Validate for SignRequest {
    fn validate(&self, v: &mut Validator) {
        v.field("contents", |v| {
            if self.contents.is_empty() {
                v.issue(IssueCode::TooShort, "at least one content is required");
            }
            for (i, c) in self.contents.iter().enumerate() {
                v.index(i, |v| c.validate(v));
            }
        });
        validate_common(
            v,
            &self.relying_party_callback_id,
            &self.callback_url,
            &self.payer,
        );
    }
}

/// `SignRequestByCmrId` has exactly the fields of [`SignRequest`] (Swagger).
pub type SignRequestByCmrId = SignRequest;

/// A sign request with one content, for QR signing (Swagger `SignRequestWithSingleContent`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignRequestWithSingleContent {
    /// The one item to sign.
    pub content: Content,
    /// The relying party's own id for this request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relying_party_callback_id: Option<String>,
    /// URL the service notifies when the request is signed.
    #[serde(
        rename = "callbackURL",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub callback_url: Option<String>,
    /// Who pays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<Payer>,
    /// The request is a login signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_login: Option<bool>,
}

impl Validate for SignRequestWithSingleContent {
    fn validate(&self, v: &mut Validator) {
        v.field("content", |v| self.content.validate(v));
        validate_common(
            v,
            &self.relying_party_callback_id,
            &self.callback_url,
            &self.payer,
        );
    }
}

/// Body of `POST /v2/signviaqr` (Swagger `SignRequestViaQr`). Without `qrHeight`/`qrWidth`
/// the service returns only the link (`qrPlain`); with them, also a rendered image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignRequestViaQr {
    /// Height of the QR image in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_height: Option<i64>,
    /// Width of the QR image in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_width: Option<i64>,
    /// The request.
    pub request: SignRequestWithSingleContent,
}

/// Largest QR image side accepted (inferred guard).
pub const MAX_QR_SIDE: i64 = 4096;

impl Validate for SignRequestViaQr {
    fn validate(&self, v: &mut Validator) {
        for (name, side) in [("qrHeight", self.qr_height), ("qrWidth", self.qr_width)] {
            if let Some(side) = side {
                if !(1..=MAX_QR_SIDE).contains(&side) {
                    v.issue_at(
                        name,
                        IssueCode::OutOfRange,
                        format!("a QR side is 1 to {MAX_QR_SIDE} pixels"),
                    );
                }
            }
        }
        if self.qr_height.is_some() != self.qr_width.is_some() {
            v.issue_at(
                if self.qr_height.is_some() {
                    "qrWidth"
                } else {
                    "qrHeight"
                },
                IssueCode::Required,
                "give both qrHeight and qrWidth, or neither",
            );
        }
        v.field("request", |v| self.request.validate(v));
    }
}

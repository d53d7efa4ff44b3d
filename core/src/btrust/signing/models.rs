//! Models shared by the Signing-API operations (reference §4; BORICA's Swagger
//! `SignaturePositionDTO`, `SignRequest`, `SignRequestViaQr`, `SignatureResponse`). Field names are
//! the wire's. `Content` has its own file ([`super::content`]).

use super::content::Content;
use crate::blob::Blob;
use crate::btrust::rules;
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
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

/// One item of a poll result (Swagger `SignatureResponse`), in the order of the request.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureResult {
    /// For `SIGNATURE` items the base64 signature value; otherwise the id to download the
    /// signed document with (`GET /v2/sign/content/{id}`).
    #[serde(
        default,
        deserialize_with = "crate::btrust::operation::string_or_number"
    )]
    pub signature: Option<String>,
    /// Output format of this item.
    #[serde(default)]
    pub signature_type: Option<SignatureType>,
    /// State of this item.
    pub status: SignatureStatus,
}

/// `data` of a poll result (Swagger `SignedContentsResponseData`).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedContents {
    /// One entry per requested item, in request order.
    #[serde(default)]
    pub signatures: Vec<SignatureResult>,
    /// The signing certificate (DER), returned for `SIGNATURE` items.
    #[serde(default)]
    pub cert: Option<Blob>,
}

crate::btrust::envelope::api_response!(
    /// The answer of the two polls (`GetSignedResult`, `GetSignedResultByRpCallbackId`).
    SignedContentsResponse(SignedContents)
);

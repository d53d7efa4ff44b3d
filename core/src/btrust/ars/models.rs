//! Models shared by the Automatic Remote Signing operations (reference §7).
//!
//! **Provenance.** The paths and purposes are published (seed 000). The consent, token and sync
//! fields come from a public client's calls to its proxy (the national eID system); that they
//! reach BORICA unchanged is inferred. The batch request and answer are **not published**:
//! their shapes here are inferred by analogy with the Signing API and keep every field they do
//! not know (`additional`), so a richer answer is never refused.

use crate::blob::Blob;
use crate::btrust::rules;
use crate::btrust::signing::{Content, SignatureStatus, SignatureType};
use crate::secret::Secret;
use crate::time::Timestamp;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

/// The header that carries an ARS access token.
pub const ACCESS_TOKEN_HEADER: &str = "X-ACCESS-TOKEN";

/// Longest access token accepted (inferred guard; the service publishes none).
pub const MAX_ACCESS_TOKEN_CHARS: usize = 4096;

/// Longest consent validity accepted, in days (inferred guard: the peer asks for 365).
pub const MAX_CONSENT_DAYS: u32 = 3650;

/// Checks an access token (under `accessToken`).
pub(crate) fn check_access_token(v: &mut Validator, token: &Secret<String>) {
    v.field("accessToken", |v| {
        rules::check_token(v, token.expose(), MAX_ACCESS_TOKEN_CHARS, "accessToken")
    });
}

/// The `X-ACCESS-TOKEN` header (its value is redacted in every `Debug` of the request).
pub(crate) fn token_header(token: &Secret<String>) -> (String, String) {
    (ACCESS_TOKEN_HEADER.to_owned(), token.expose().clone())
}

open_enum! {
    /// Kind of an organisation's identifier (`orgIdentifierType`; the public client sends
    /// `BULSTAT`, the Bulgarian company register number; other values are kept as sent).
    pub enum OrgIdentifierType {
        /// Bulgarian UIC/BULSTAT.
        Bulstat = "BULSTAT",
    }
}

open_enum! {
    /// Progress of a consent request (`GET_RS_CONSENT_*` in a public client; where the service
    /// puts it — `code`, `responseCode` or `status` — is inferred, so every one is read).
    pub enum ConsentStatus {
        /// Waiting for the authorised signer in B-Trust Mobile.
        InProgress = "IN_PROGRESS",
        /// Approved: the access token is in `data`.
        Completed = "COMPLETED",
        /// The authorised signer declined.
        Rejected = "REJECTED",
        /// Nobody acted within the request's validity.
        Expired = "EXPIRED",
    }
}

/// The organisation a consent is given for (public client).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Organisation {
    /// The organisation's identifier, e.g. its UIC.
    pub org_identifier: String,
    /// Kind of `orgIdentifier`, e.g. `BULSTAT`.
    pub org_identifier_type: OrgIdentifierType,
    /// The organisation's name.
    pub org_name: String,
}

impl Validate for Organisation {
    fn validate(&self, v: &mut Validator) {
        v.field("orgIdentifier", |v| {
            rules::check_token(v, &self.org_identifier, 64, "orgIdentifier")
        });
        if let OrgIdentifierType::Bulstat = self.org_identifier_type {
            if !(9..=13).contains(&self.org_identifier.len())
                || !self.org_identifier.bytes().all(|b| b.is_ascii_digit())
            {
                v.issue_at(
                    "orgIdentifier",
                    IssueCode::InvalidFormat,
                    "a BULSTAT/UIC is 9 or 13 digits",
                );
            }
        }
        if self.org_identifier_type.as_str().is_empty() {
            v.issue_at(
                "orgIdentifierType",
                IssueCode::Required,
                "orgIdentifierType is required",
            );
        }
        v.field("orgName", |v| {
            rules::check_text(v, &self.org_name, 512, "orgName")
        });
    }
}

/// Body of `POST /v2/arsign/consent` (public client).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsentRequest {
    /// How long the access token will be valid, in days (the peer asks for 365).
    pub expiration_time: u32,
    /// The organisation that will sign automatically.
    pub organisation: Organisation,
    /// The role the signer acts in (free text).
    pub role: String,
    /// What the consent covers (free text shown to the signer).
    pub subject: String,
}

impl Validate for ConsentRequest {
    fn validate(&self, v: &mut Validator) {
        if !(1..=MAX_CONSENT_DAYS).contains(&self.expiration_time) {
            v.issue_at(
                "expirationTime",
                IssueCode::OutOfRange,
                format!("expirationTime is 1 to {MAX_CONSENT_DAYS} days"),
            );
        }
        v.field("organisation", |v| self.organisation.validate(v));
        v.field("role", |v| rules::check_text(v, &self.role, 256, "role"));
        v.field("subject", |v| {
            rules::check_text(v, &self.subject, 1024, "subject")
        });
    }
}

/// `data` of the answer to a consent request (public client).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentAccepted {
    /// The service's id of the consent request, for `GET /v2/arsign/consent/{callbackId}`.
    pub callback_id: String,
    /// Until when the signer can approve.
    #[serde(default)]
    pub validity: Option<Timestamp>,
}

/// `data` of `GET /v2/arsign/consent/{callbackId}` once approved (public client; that
/// `consent` is Base64 of the signed consent document is inferred).
#[crate::model]
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentResult {
    /// The access token for `X-ACCESS-TOKEN` (a secret: never printed).
    #[serde(default)]
    pub access_token: Option<Secret<String>>,
    /// The signed consent document.
    #[serde(default)]
    pub consent: Option<Blob>,
    /// When the access token stops working.
    #[serde(default)]
    pub expiration_date: Option<Timestamp>,
    /// Per-request progress, when the service sends it here (inferred place).
    #[serde(default)]
    pub status: Option<ConsentStatus>,
}

impl std::fmt::Debug for ConsentResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentResult")
            .field("access_token", &self.access_token)
            .field("consent", &self.consent.as_ref().map(Blob::len))
            .field("expiration_date", &self.expiration_date)
            .field("status", &self.status)
            .finish()
    }
}

/// Body of `POST /v2/arsign/sync` (public client): the Signing API's `Content`, without
/// `rpToClientAuthorization` (the access token names the signer).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArsSignRequest {
    /// Documents, digests or texts to sign, at least one.
    pub contents: Vec<Content>,
}

/// Largest number of items in one synchronous ARS request (inferred guard; the service
/// publishes none, and a larger set belongs in a batch).
pub const MAX_SYNC_CONTENTS: usize = 50;

/// Checks `contents`: 1 to `max` items, each valid.
pub(crate) fn validate_contents(v: &mut Validator, contents: &[Content], max: usize) {
    v.field("contents", |v| {
        if contents.is_empty() {
            v.issue(IssueCode::TooShort, "at least one content is required");
        } else if contents.len() > max {
            v.issue(
                IssueCode::TooLong,
                format!("at most {max} contents in one request"),
            );
        }
        for (i, c) in contents.iter().enumerate() {
            v.index(i, |v| c.validate(v));
        }
    });
}

impl Validate for ArsSignRequest {
    fn validate(&self, v: &mut Validator) {
        validate_contents(v, &self.contents, MAX_SYNC_CONTENTS)
    }
}

/// One signed item of an ARS answer (public client: `{signature, signatureId, signatureType,
/// status}`), in request order.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArsSignature {
    /// For `SIGNATURE` items the base64 signature value; otherwise the id to download the
    /// signed document with (`GET /v2/sign/content/{id}`, inferred).
    #[serde(
        default,
        deserialize_with = "crate::btrust::operation::string_or_number"
    )]
    pub signature: Option<String>,
    /// The service's id of this signature.
    #[serde(
        default,
        deserialize_with = "crate::btrust::operation::string_or_number"
    )]
    pub signature_id: Option<String>,
    /// Output format of this item.
    #[serde(default)]
    pub signature_type: Option<SignatureType>,
    /// State of this item.
    pub status: SignatureStatus,
}

impl ArsSignature {
    /// The id to download the signed document with: `signatureId`, else `signature`
    /// (inferred: the ARS Postman collection downloads "by signatureID").
    pub fn download_id(&self) -> Option<&str> {
        self.signature_id
            .as_deref()
            .or(self.signature.as_deref())
            .filter(|s| !s.is_empty())
    }
}

/// `data` of a sync ARS answer and of a finished batch (public client for sync; the batch's is
/// **inferred** to be the same, and keeps unknown fields).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArsSignatures {
    /// One entry per requested item, in request order.
    #[serde(default)]
    pub signatures: Vec<ArsSignature>,
    /// Fields this model does not know, kept as sent.
    #[serde(flatten)]
    pub additional: crate::JsonObject,
}

/// Body of `POST /v2/arsign/batch/async/sign` (**inferred**: not published; the sync body
/// with more items, plus any field the caller adds, sent as is).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchSignRequest {
    /// Documents, digests or texts to sign, at least one.
    pub contents: Vec<Content>,
    /// Further fields, sent as they are.
    #[serde(flatten)]
    pub additional: crate::JsonObject,
}

/// Largest batch this SDK sends (inferred guard; the service answers `BATCH_SIZE_EXCEED`
/// above its own limit, which is not published).
pub const MAX_BATCH_CONTENTS: usize = 1000;

impl Validate for BatchSignRequest {
    fn validate(&self, v: &mut Validator) {
        validate_contents(v, &self.contents, MAX_BATCH_CONTENTS)
    }
}

/// `data` of the answer to a batch (**inferred**: by analogy with `POST /v2/sign`; unknown
/// fields kept).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchAccepted {
    /// The batch's id, for `GET /v2/arsign/batch/async/{callbackId}`.
    pub callback_id: String,
    /// Until when the batch can be polled, when sent.
    #[serde(default)]
    pub validity: Option<Timestamp>,
    /// Fields this model does not know, kept as sent.
    #[serde(flatten)]
    pub additional: crate::JsonObject,
}

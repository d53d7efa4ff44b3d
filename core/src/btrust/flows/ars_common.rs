//! What the ARS and OIDC flows share: reading the ARS-specific refusals out of an answer
//! before it is sorted (the consent and limit codes become typed errors, the limit read from
//! the body), and the per-item outcome of a signing.

use crate::blob::Blob;
use crate::btrust::ars::ArsSignature;
use crate::btrust::download::DownloadedFile;
use crate::btrust::signing::{SignatureStatus, SignatureType};
use crate::error::Error;
use crate::http::HttpResponse;
use serde::{Deserialize, Serialize};

/// Codes after which automatic signing needs a new consent (reference §7).
pub const CONSENT_CODES: &[&str] = &[
    "DETACHED_DEVICE",
    "CHANGED_PIN",
    "CONSENT_REVOKE",
    "AR_SIGN_TOKEN_VALIDATION_FAILED",
    "AR_SIGN_TOKEN_NOT_FOUND",
];

/// Codes of a refusal over a limit (reference §7; `REQUEST EXCEED LIMIT` is spelt with
/// spaces by the public client).
pub const LIMIT_CODES: &[&str] = &[
    "BATCH_SIZE_EXCEED",
    "REQUEST EXCEED LIMIT",
    "REQUEST_EXCEED_LIMIT",
];

/// The answer's `code` and `responseCode`, when it is an envelope.
fn codes(resp: &HttpResponse) -> Vec<String> {
    let (rc, code, _) = crate::btrust::envelope::envelope_fields(resp.body.as_bytes());
    [code, rc].into_iter().flatten().collect()
}

/// Whether the (non-2xx) answer carries `code` in `code` or `responseCode`.
pub(crate) fn has_code(resp: &HttpResponse, code: &str) -> bool {
    codes(resp).iter().any(|c| c == code)
}

/// The typed error of an ARS refusal, if the answer is one: a consent code →
/// `consent_required`; a limit code → `limit_exceeded`, with the limit when the body says it
/// (inferred fields `data.limit`, `data.maxSize`, `data.maxBatchSize`). `requested` is the
/// number of items the refused request held.
pub(crate) fn ars_refusal(resp: &HttpResponse, requested: Option<u32>) -> Option<Error> {
    if (200..300).contains(&resp.status) {
        return None;
    }
    let codes = codes(resp);
    if let Some(c) = codes.iter().find(|c| CONSENT_CODES.contains(&c.as_str())) {
        return Some(Error::ConsentRequired {
            code: c.clone(),
            http_status: resp.status,
        });
    }
    let c = codes.iter().find(|c| LIMIT_CODES.contains(&c.as_str()))?;
    let body: serde_json::Value = serde_json::from_slice(resp.body.as_bytes()).unwrap_or_default();
    let limit = ["limit", "maxSize", "maxBatchSize"]
        .iter()
        .find_map(|k| {
            body.get("data")
                .and_then(|d| d.get(k))
                .and_then(|v| v.as_u64())
        })
        .and_then(|l| u32::try_from(l).ok());
    Some(Error::LimitExceeded {
        code: c.clone(),
        limit,
        requested,
        http_status: resp.status,
    })
}

/// One item of an automatic signing, in request order.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArsItem {
    /// Position in the request's `contents`.
    pub index: u32,
    /// The item's final status (`SIGNED`, `RECEIVED`, `ARCHIVED` when signed; `ERROR`,
    /// `REVOKED`, `REJECTED`, … when not).
    pub status: SignatureStatus,
    /// Output format.
    pub signature_type: Option<SignatureType>,
    /// The service's id of the signature (the download id of a signed document).
    pub signature_id: Option<String>,
    /// The raw signature value (`SIGNATURE` items), decoded from base64.
    pub signature: Option<Blob>,
    /// The signed document, when downloaded.
    pub document: Option<DownloadedFile>,
}

impl ArsItem {
    /// The item as the service reported it, before any download.
    pub(crate) fn from_signature(index: usize, s: &ArsSignature) -> Self {
        let raw = s.signature_type == Some(SignatureType::Signature);
        ArsItem {
            index: crate::flow::count(index),
            status: s.status.clone(),
            signature_type: s.signature_type.clone(),
            signature_id: if raw {
                s.signature_id.clone()
            } else {
                s.download_id().map(str::to_owned)
            },
            signature: if raw {
                s.signature
                    .as_deref()
                    .and_then(|b| crate::blob::decode_base64_lenient(b.as_bytes()))
                    .map(Blob::from)
            } else {
                None
            },
            document: None,
        }
    }

    /// Whether the signed document still has to be downloaded.
    pub(crate) fn wants_download(&self) -> bool {
        self.status.is_signed()
            && self.document.is_none()
            && self.signature.is_none()
            && self.signature_id.is_some()
    }
}

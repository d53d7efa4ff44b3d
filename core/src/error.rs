//! One error type for every provider and host, with stable string codes.
//!
//! Hosts map [`Error::code`] to their own classes (`ValidationError`, `ApiError`, … in Python,
//! `Error` subclasses in JavaScript, a sealed exception in Kotlin). Messages never contain
//! personal data: inputs are never quoted, and anything quoted from a response is scrubbed
//! ([`crate::json::scrub`]).

use crate::validate::Issue;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How a host's attempt to send a request failed.
#[crate::model]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportErrorKind {
    /// No connection was made (DNS, refused, unreachable): the request never left the host.
    Connect,
    /// The TLS handshake failed (certificate refused, untrusted server): nothing was sent.
    Tls,
    /// No complete response within the host's timeout: the server may have processed it.
    Timeout,
    /// The connection broke after the request was (perhaps) sent: the server may have
    /// processed it.
    Io,
    /// The response exceeded [`crate::ResponseExpectation::max_bytes`].
    TooLarge,
    /// Anything else; treated as "may have been processed".
    Other,
}

impl TransportErrorKind {
    /// Whether the server may have received and acted on the request. When true, a
    /// non-idempotent request must be reconciled before it is ever sent again.
    pub fn may_have_been_processed(self) -> bool {
        !matches!(self, TransportErrorKind::Connect | TransportErrorKind::Tls)
    }

    /// The stable name of this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Tls => "tls",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Io => "io",
            TransportErrorKind::TooLarge => "too_large",
            TransportErrorKind::Other => "other",
        }
    }
}

/// The state of one item of a multi-item request when the request ended badly.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemState {
    /// Position of the item in the request.
    pub index: u32,
    /// The item's status as the service reported it (e.g. `REJECTED`).
    pub status: String,
}

/// Every failure the core reports.
#[crate::model(error, name = "CqesError")]
#[derive(Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(
    tag = "error",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum Error {
    /// The input is invalid; nothing was sent. Lists every issue found, not just the first.
    #[error("{}", issue_list(issues))]
    Validation {
        /// All issues, each with a JSON path and a stable code.
        issues: Vec<Issue>,
    },
    /// The service answered with an error status (4xx/5xx) or reported a failure.
    #[error(
        "service error: HTTP {http_status}{}",
        api_details(code, response_code, reason)
    )]
    Api {
        /// HTTP status.
        http_status: u16,
        /// The envelope's `code`, when the body had one.
        code: Option<String>,
        /// The envelope's `responseCode`, when the body had one.
        response_code: Option<String>,
        /// The service's (localised) message, scrubbed of personal data. `message` on the
        /// wire; `reason` in Rust and FFI hosts, where `message` is the exception's own text.
        #[serde(rename = "message")]
        reason: Option<String>,
    },
    /// The end user declined.
    #[error("the signer rejected the request{}", items_text(request_id, items))]
    Rejected {
        /// The service's request id, when known.
        request_id: Option<String>,
        /// Per-item states.
        items: Vec<ItemState>,
    },
    /// The request's validity ran out before the end user acted.
    #[error(
        "the request expired before the user acted{}",
        items_text(request_id, items)
    )]
    Expired {
        /// The service's request id, when known.
        request_id: Option<String>,
        /// Per-item states, when the service reported them.
        items: Vec<ItemState>,
    },
    /// Automatic remote signing needs a new consent: the signer's device was detached, the PIN
    /// changed, the consent was revoked, or the access token is unknown or expired.
    #[error("a new consent is needed for automatic signing (code {code})")]
    ConsentRequired {
        /// Why: `DETACHED_DEVICE`, `CHANGED_PIN`, `CONSENT_REVOKE`,
        /// `AR_SIGN_TOKEN_VALIDATION_FAILED`, `AR_SIGN_TOKEN_NOT_FOUND` or `TOKEN_EXPIRED`.
        code: String,
        /// HTTP status of the refusal (0 when the core decided without asking).
        http_status: u16,
    },
    /// The service refused because a limit was exceeded (`BATCH_SIZE_EXCEED`,
    /// `REQUEST EXCEED LIMIT`). Nothing was signed by the refused request.
    #[error("{code}: limit exceeded{}", limit_text(limit, requested))]
    LimitExceeded {
        /// The service's code.
        code: String,
        /// The limit, when the answer said it (inferred fields `data.limit`/`data.maxSize`).
        limit: Option<u32>,
        /// How many items the refused request held, when it was a batch.
        requested: Option<u32>,
        /// HTTP status of the refusal.
        http_status: u16,
    },
    /// The response did not have the documented shape.
    #[error(
        "unexpected response (HTTP {http_status}) at {path}: {reason}; body starts: {excerpt:?}"
    )]
    UnexpectedResponse {
        /// HTTP status of the offending response.
        http_status: u16,
        /// JSON path of the offending value (`$` for the whole body).
        path: String,
        /// What was wrong.
        reason: String,
        /// A short, scrubbed excerpt of the body.
        excerpt: String,
    },
    /// The host could not complete the exchange.
    #[error("transport error ({}): {detail}", kind.as_str())]
    Transport {
        /// How it failed.
        kind: TransportErrorKind,
        /// What the core was doing, and whether the outcome is known.
        detail: String,
    },
    /// A call broke the flow contract (a response for a request that is not outstanding, a
    /// call after the end, a corrupt snapshot): a bug in the host, not a server fault.
    #[error("invalid state: {reason}")]
    InvalidState {
        /// What was wrong.
        reason: String,
    },
}

impl Error {
    /// The stable code of this error: `validation`, `api`, `rejected`, `expired`,
    /// `consent_required`, `limit_exceeded`, `unexpected_response`, `transport` or
    /// `invalid_state`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "validation",
            Error::Api { .. } => "api",
            Error::Rejected { .. } => "rejected",
            Error::Expired { .. } => "expired",
            Error::ConsentRequired { .. } => "consent_required",
            Error::LimitExceeded { .. } => "limit_exceeded",
            Error::UnexpectedResponse { .. } => "unexpected_response",
            Error::Transport { .. } => "transport",
            Error::InvalidState { .. } => "invalid_state",
        }
    }

    /// A validation error with a single issue.
    pub fn validation(issue: Issue) -> Self {
        Error::Validation {
            issues: vec![issue],
        }
    }

    /// An `invalid_state` error.
    pub fn invalid_state(reason: impl Into<String>) -> Self {
        Error::InvalidState {
            reason: reason.into(),
        }
    }

    /// An `unexpected_response` error; `body` is scrubbed into the excerpt and `reason` is
    /// scrubbed too (serde messages may quote values).
    pub fn unexpected(status: u16, path: impl Into<String>, reason: &str, body: &[u8]) -> Self {
        Error::UnexpectedResponse {
            http_status: status,
            path: path.into(),
            reason: crate::json::scrub(reason, 200),
            excerpt: crate::json::excerpt(body),
        }
    }

    /// The whole error as JSON (for hosts and vectors).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

// Display comes from thiserror's `#[error]` on each variant; these render the list-shaped parts.

fn issue_list(issues: &[Issue]) -> String {
    let n = issues.len();
    let mut out = format!("invalid input ({n} issue{})", if n == 1 { "" } else { "s" });
    for (i, issue) in issues.iter().enumerate() {
        out.push_str(if i == 0 { ": " } else { "; " });
        out.push_str(&format!(
            "{}: {} ({})",
            issue.path, issue.message, issue.code
        ));
    }
    out
}

fn api_details(
    code: &Option<String>,
    response_code: &Option<String>,
    message: &Option<String>,
) -> String {
    let mut out = String::new();
    if let Some(c) = code {
        out.push_str(&format!(", code {c}"));
    }
    if let Some(rc) = response_code
        .as_ref()
        .filter(|rc| Some(*rc) != code.as_ref())
    {
        out.push_str(&format!(", responseCode {rc}"));
    }
    if let Some(m) = message {
        out.push_str(&format!(": {m}"));
    }
    out
}

fn limit_text(limit: &Option<u32>, requested: &Option<u32>) -> String {
    match (limit, requested) {
        (Some(l), Some(r)) => format!(" ({r} items, limit {l})"),
        (Some(l), None) => format!(" (limit {l})"),
        (None, Some(r)) => format!(" ({r} items)"),
        (None, None) => String::new(),
    }
}

fn items_text(request_id: &Option<String>, items: &[ItemState]) -> String {
    let mut out = String::new();
    if let Some(id) = request_id {
        out.push_str(&format!(" (request {id})"));
    }
    if !items.is_empty() {
        let list: Vec<String> = items
            .iter()
            .map(|i| format!("#{} {}", i.index, i.status))
            .collect();
        out.push_str(&format!("; items: {}", list.join(", ")));
    }
    out
}

// Debug is Display plus the code: no field of an error holds unscrubbed personal data, but
// keeping one rendering avoids two places to audit.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error[{}]: {}", self.code(), self)
    }
}
/// Every member any error variant has (`message` is `Api`'s reason, `reason` the others').
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorFields {
    issues: Option<Vec<Issue>>,
    http_status: Option<u16>,
    code: Option<String>,
    response_code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    items: Option<Vec<ItemState>>,
    path: Option<String>,
    reason: Option<String>,
    excerpt: Option<String>,
    kind: Option<TransportErrorKind>,
    detail: Option<String>,
    limit: Option<u32>,
    requested: Option<u32>,
}

/// Read as serde's derive would read the tagged form it writes (`{"error": "api", …}`), from
/// one flat struct rather than serde's buffer for tagged enums (see [`crate::de::Tagged`]).
impl crate::de::Tagged for Error {
    const TAG: &'static str = "error";
    const VARIANTS: &'static [&'static str] = &[
        "validation",
        "api",
        "rejected",
        "expired",
        "consent_required",
        "limit_exceeded",
        "unexpected_response",
        "transport",
        "invalid_state",
    ];

    fn variant<'de, D: serde::Deserializer<'de>>(tag: &str, rest: D) -> Result<Self, D::Error> {
        fn need<T, E: serde::de::Error>(v: Option<T>, name: &'static str) -> Result<T, E> {
            v.ok_or_else(|| E::missing_field(name))
        }
        let f = ErrorFields::deserialize(rest)?;
        Ok(match tag {
            "validation" => Error::Validation {
                issues: need(f.issues, "issues")?,
            },
            "api" => Error::Api {
                http_status: need(f.http_status, "httpStatus")?,
                code: f.code,
                response_code: f.response_code,
                reason: f.message,
            },
            "rejected" => Error::Rejected {
                request_id: f.request_id,
                items: need(f.items, "items")?,
            },
            "expired" => Error::Expired {
                request_id: f.request_id,
                items: need(f.items, "items")?,
            },
            "consent_required" => Error::ConsentRequired {
                code: need(f.code, "code")?,
                http_status: need(f.http_status, "httpStatus")?,
            },
            "limit_exceeded" => Error::LimitExceeded {
                code: need(f.code, "code")?,
                limit: f.limit,
                requested: f.requested,
                http_status: need(f.http_status, "httpStatus")?,
            },
            "unexpected_response" => Error::UnexpectedResponse {
                http_status: need(f.http_status, "httpStatus")?,
                path: need(f.path, "path")?,
                reason: need(f.reason, "reason")?,
                excerpt: need(f.excerpt, "excerpt")?,
            },
            "transport" => Error::Transport {
                kind: need(f.kind, "kind")?,
                detail: need(f.detail, "detail")?,
            },
            _ => Error::InvalidState {
                reason: need(f.reason, "reason")?,
            },
        })
    }
}

impl<'de> Deserialize<'de> for Error {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::de::deserialize_tagged(d)
    }
}

/// Names every variant and field without `..`: a variant or field added to [`Error`] stops
/// the build here until the reader above knows it too.
#[allow(dead_code)]
fn read_back_knows_every_field(e: &Error) {
    match e {
        Error::Validation { issues: _ }
        | Error::Api {
            http_status: _,
            code: _,
            response_code: _,
            reason: _,
        }
        | Error::Rejected {
            request_id: _,
            items: _,
        }
        | Error::Expired {
            request_id: _,
            items: _,
        }
        | Error::ConsentRequired {
            code: _,
            http_status: _,
        }
        | Error::LimitExceeded {
            code: _,
            limit: _,
            requested: _,
            http_status: _,
        }
        | Error::UnexpectedResponse {
            http_status: _,
            path: _,
            reason: _,
            excerpt: _,
        }
        | Error::Transport { kind: _, detail: _ }
        | Error::InvalidState { reason: _ } => {}
    }
}

#[cfg(test)]
mod read_back_tests {
    use super::*;
    use crate::validate::IssueCode;

    /// Every variant reads back from the JSON serde writes for it (snapshots hold errors).
    #[test]
    fn every_variant_round_trips_through_json() {
        let items = vec![ItemState {
            index: 1,
            status: "REJECTED".into(),
        }];
        let all = [
            Error::Validation {
                issues: vec![Issue {
                    path: "request.contents[0].data".into(),
                    code: IssueCode::Required,
                    message: "m".into(),
                }],
            },
            Error::Api {
                http_status: 404,
                code: Some("NOT_FOUND".into()),
                response_code: None,
                reason: Some("Not found".into()),
            },
            Error::Rejected {
                request_id: Some("r".into()),
                items: items.clone(),
            },
            Error::Expired {
                request_id: None,
                items,
            },
            Error::ConsentRequired {
                code: "CHANGED_PIN".into(),
                http_status: 403,
            },
            Error::LimitExceeded {
                code: "BATCH_SIZE_EXCEED".into(),
                limit: Some(100),
                requested: None,
                http_status: 400,
            },
            Error::unexpected(200, "$.data", "no data", b"{}"),
            Error::Transport {
                kind: TransportErrorKind::Timeout,
                detail: "d".into(),
            },
            Error::invalid_state("s"),
        ];
        for e in all {
            let text = serde_json::to_vec(&e).expect("serialise");
            let back: Error = serde_json::from_slice(&text).expect("read back");
            assert_eq!(back, e, "{}", String::from_utf8_lossy(&text));
        }
        assert!(serde_json::from_slice::<Error>(br#"{"error":"nope"}"#).is_err());
        // Keys reordered after writing (PostgreSQL jsonb sorts them) still read back.
        let moved: Error =
            serde_json::from_slice(br#"{"detail":"d","kind":"timeout","error":"transport"}"#)
                .expect("tag not first");
        assert_eq!(
            moved,
            Error::Transport {
                kind: TransportErrorKind::Timeout,
                detail: "d".into()
            }
        );
        assert!(serde_json::from_slice::<Error>(br#"{"detail":"d","error":"transport"}"#).is_err());
        assert!(serde_json::from_slice::<Error>(br#"{"error":"transport","kind":"io"}"#).is_err());
    }
}

//! The Signing API: sign (by identity, via QR, by CMR id), poll (by callbackId and by
//! rpCallbackId), download, evidence report, certificates, client token, check client.
//! Inputs are validated with cqes-core's own models and rules, so the sandbox and the SDK
//! never disagree about what is valid.
//!
//! This module holds the routes and what the handlers share (reading and validating a body,
//! the 400 that lists its issues, the customer a call designates); the handlers live in
//! `send` (new sign requests), `results` (polls, downloads, evidence reports) and `certs`
//! (certificates, client token, check client).

mod certs;
mod results;
mod send;

use super::{Conn, Ctx};
use crate::app::App;
use crate::users::{self, Lookup};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use certs::{auth, cert, cert_by_identity, check_client};
use cqes_core::btrust::SignerIdentity;
use cqes_core::validate::{Issue, IssueCode, Validate};
use cqes_core::Error;
use results::{download, poll, poll_by_rp_id, report};
use send::{send_by_cmr_id, send_sign, send_via_qr};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// Routes below `/signing-api`.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v2/sign", post(send_sign))
        .route("/v2/sign/by/cmrid", post(send_by_cmr_id))
        .route("/v2/signviaqr", post(send_via_qr))
        .route("/v2/sign/checkclient", get(check_client))
        .route("/v2/sign/content/{id}", get(download))
        .route("/v2/sign/report/{id}/{report_type}", get(report))
        .route("/v2/sign/{callback_id}", get(poll))
        .route("/v2/rpcallbackid/{rp_callback_id}", get(poll_by_rp_id))
        .route("/v2/cert/identity/{kind}/{value}", get(cert_by_identity))
        .route("/v2/cert/{profile_id}", get(cert))
        .route("/v2/auth", post(auth))
}

type S = State<Arc<App>>;
type C = Extension<Conn>;

/// The service code for the first issue that has one (reference §2.4), else BAD_REQUEST.
fn service_code(issues: &[Issue]) -> &'static str {
    for i in issues {
        let p = i.path.as_str();
        let code = match (&i.code, p) {
            (IssueCode::TooShort, p) if p.ends_with("contents") => "CONTENT_DATA_MISSING",
            (IssueCode::Conflict, p) if p.ends_with("toBeArchived") => "ARCHIVE_SIGNATURE",
            (IssueCode::UnknownValue, p) if p.ends_with("signatureType") => {
                "SIGNATURE_TYPE_NOT_VALID"
            }
            (_, p) if p.contains("signaturePosition") || p.ends_with("padesVisualSignature") => {
                "VISUAL_SIGNATURE_PARAMETERS_VALIDATION_FAILED"
            }
            (IssueCode::TooLarge, _) => "POST_REQUEST_SIZE",
            _ => continue,
        };
        return code;
    }
    "BAD_REQUEST"
}

/// A 400 listing the issues by path and code (values are never echoed).
pub(crate) fn invalid(ctx: &Ctx, error: Error) -> Response {
    invalid_in(ctx, error, None)
}

/// [`invalid`], knowing the body, so an empty string is reported as such (not as missing).
pub(crate) fn invalid_in(ctx: &Ctx, error: Error, body: Option<&serde_json::Value>) -> Response {
    let issues = match error {
        Error::Validation { issues } => issues,
        other => vec![Issue {
            path: "$".into(),
            code: IssueCode::InvalidFormat,
            message: other.to_string(),
        }],
    };
    let list = crate::api::input::issue_lines(&issues, body);
    ctx.fail(
        400,
        service_code(&issues),
        "BAD_REQUEST",
        Some(format!("({})", list.join("; "))),
    )
}

/// Reads a JSON body into a cqes-core model and validates it with the core's rules; unknown
/// fields are ignored, or refused in strict mode (see [`crate::api::input`]).
pub(crate) fn read<T: DeserializeOwned + Validate>(ctx: &Ctx, body: &[u8]) -> Result<T, Response> {
    crate::api::input::read_json(ctx, body)
}

/// The customer designated by `rpToClientAuthorization`.
fn signer(ctx: &Ctx, headers: &HeaderMap) -> Result<usize, Response> {
    let raw = headers
        .get("rptoclientauthorization")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ctx.fail(
                400,
                "CLIENT_ID_VALUE_REQUIRED",
                "BAD_REQUEST",
                Some("rpToClientAuthorization is required.".into()),
            )
        })?;
    let identity = SignerIdentity::from_header_value(raw)
        .and_then(|id| id.check().map(|_| id))
        .map_err(|_| ctx.fail(400, "CLIENT_ID_VALUE_INVALID", "BAD_REQUEST", None))?;
    let state = ctx
        .app
        .state
        .lock()
        .map_err(|_| ctx.fail(500, "ERROR", "ERROR", None))?;
    users::find(&ctx.app.users, &identity, |t| state.tokens.get(t).copied()).map_err(|e| match e {
        Lookup::NotFound => ctx.fail(404, "ACTIVE_CERTIFICATE_NOT_FOUND", "NOT_FOUND", None),
        Lookup::WrongOtp => ctx.fail(
            400,
            "BAD_REQUEST",
            "BAD_REQUEST",
            Some("Invalid authorization code.".into()),
        ),
    })
}

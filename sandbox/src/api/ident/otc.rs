//! One-time-certificate sign sessions: creating and starting one, and the SMS code that
//! confirms the signature.

use super::{C, S};
use crate::api::signing::read;
use crate::ident::{Outcome, SignSession};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use cqes_core::btrust::otc_signing::{
    CreateSignSessionInput, StartSignSessionRequest, ValidateOtpInput,
};
use serde_json::json;

/// Inferred shape: a new sign session for an identified customer.
pub(super) async fn create_sign_session(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.createSignSession");
    let result = (|| {
        let r: CreateSignSessionInput = read(&ctx, &body)?;
        let now = app.clock.now_ms();
        let mut ident = ctx.ident()?;
        let new_id = ident.id(&app.ids);
        let w = ident
            .web
            .values_mut()
            .find(|w| {
                w.rp_id == ctx.rp.config.id
                    && w.identificator.as_deref() == Some(r.identificator.as_str())
                    && !w.without_otc
            })
            .ok_or_else(|| {
                ctx.fail(
                    404,
                    "NOT_FOUND_IDENTIFICATION_REQUEST_BY_SIGN_SESSION_ID",
                    "NOT_FOUND",
                    None,
                )
            })?;
        w.sign_session_id = Some(new_id.clone());
        w.sign_session_expire_ms = now + 24 * 3_600_000;
        Ok(ctx.ok(200, "OK", json!({"signSessionId": new_id, "signSessionIdExpireDate": crate::clock::iso(w.sign_session_expire_ms)})))
    })();
    ctx.finish(result.unwrap_or_else(|r: Response| r)).await
}

pub(super) async fn sign_session_start(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.startSignSession");
    let result = (|| {
        let r: StartSignSessionRequest = read(&ctx, &body)?;
        refuse_unsignable(&ctx, &r.documents_for_sign)?;
        let now = app.clock.now_ms();
        let mut ident = ctx.ident()?;
        let (web_result_id, user, callback_url) = ident
            .web
            .values()
            .find(|w| {
                w.rp_id == ctx.rp.config.id
                    && w.identificator.as_deref() == Some(r.identificator.as_str())
                    && w.sign_session_id.as_deref() == Some(r.sign_session_id.as_str())
            })
            .filter(|w| now < w.sign_session_expire_ms)
            .map(|w| (w.result_id, w.user, w.callback_url.clone()))
            .ok_or_else(|| {
                ctx.fail(
                    400,
                    "IDENTIFICATION_REQUEST_FOR_SIGN_SESSION_ID_IS_NOT_VALID",
                    "BAD_REQUEST",
                    None,
                )
            })?;
        let result_id = ident.result_id(&app.ids);
        let token = app.ids.hex(32);
        let expire = now + app.config.validity_ms;
        ident.signs.insert(
            result_id,
            SignSession {
                result_id,
                rp_id: ctx.rp.config.id.clone(),
                token: token.clone(),
                web_result_id,
                sign_session_id: r.sign_session_id.clone(),
                identificator: r.identificator.clone(),
                documents: r.documents_for_sign,
                success_url: r.success_url,
                cancel_url: r.cancel_url,
                expire_ms: expire,
                created_ms: now,
                status: "SIGN_SESSION",
                step: "OTP",
                queue: Default::default(),
                otp: String::new(),
                signed: Vec::new(),
                outcome: Outcome::Pending,
                callback_url,
                user,
            },
        );
        ident.new_otp(result_id, &app.ids);
        let url = format!("{}/cqes/api/web-identification/{token}", app.pages_url);
        Ok(ctx.ok(200, "OK", json!({"clientDocumentUrl": url, "expireDate": crate::clock::iso(expire), "resultId": result_id})))
    })();
    ctx.finish(result.unwrap_or_else(|r: Response| r)).await
}

/// Inferred shape: a new code is "texted" to the customer (shown by the control API).
pub(super) async fn generate_otp(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(result_id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.generateOtpCodeForOtc");
    let sent = result_id.parse::<u64>().ok().and_then(|id| {
        let mut i = app.ident.lock().ok()?;
        i.signs.get(&id).filter(|s| s.rp_id == ctx.rp.config.id)?;
        i.new_otp(id, &app.ids)
    });
    let response = match sent {
        Some(_) => ctx.ok(200, "OK", json!({"otpSent": true})),
        None => ctx.fail(400, "REQUEST_GENERATE_OF_OTP_FAILED", "BAD_REQUEST", None),
    };
    ctx.finish(response).await
}

/// Inferred shape: `{resultId, otp}`; a right code signs the documents.
pub(super) async fn validate_otp(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.validateOtpCodeForOtc");
    let result = (|| {
        let r: ValidateOtpInput = read(&ctx, &body)?;
        let id = r
            .result_id
            .parse::<u64>()
            .map_err(|_| ctx.fail(404, "NOT_FOUND", "NOT_FOUND", None))?;
        let now = app.clock.now_ms();
        let mut ident = ctx.ident()?;
        if ident
            .signs
            .get(&id)
            .filter(|s| s.rp_id == ctx.rp.config.id)
            .is_none()
        {
            return Err(ctx.fail(404, "NOT_FOUND", "NOT_FOUND", None));
        }
        ident
            .submit_otp(id, r.otp.expose(), &app.ident_ctx(now))
            .map_err(|_| {
                ctx.fail(
                    400,
                    "WEB_IDENTIFICATION_REQUEST_VALIDATION_OF_OTP_FAILED",
                    "BAD_REQUEST",
                    None,
                )
            })?;
        Ok(ctx.ok(200, "OK", json!({"validated": true})))
    })();
    ctx.finish(result.unwrap_or_else(|r: Response| r)).await
}

/// Refuses at submission a document the sandbox could not sign as PAdES (as for sign
/// requests: unreadable cross-reference, encrypted, visible signature on a missing page).
fn refuse_unsignable(
    ctx: &crate::api::Ctx,
    documents: &[cqes_core::btrust::otc_signing::DocumentForSign],
) -> Result<(), Response> {
    for (i, d) in documents.iter().enumerate() {
        let bytes = crate::ident::document_bytes(&d.content_as_base64);
        let visual =
            crate::docgen::visual_at(d.pades_visual_signature, d.signature_position.as_ref());
        if let Err(e) = crate::docgen::check_pdf(&bytes, visual.map(|v| v.page)) {
            let detail = format!(
                "documentsForSign[{i}] {:?} cannot be signed as PAdES: {e}.",
                d.file_name
            );
            return Err(ctx.fail(400, "BAD_REQUEST", "BAD_REQUEST", Some(detail)));
        }
    }
    Ok(())
}

//! Web identification: starting a web session (with or without a one-time certificate),
//! the registration module (whose answers are not enveloped), and the session's status.

use super::{C, S};
use crate::api::signing::read;
use crate::api::{json_response, Conn};
use crate::app::App;
use crate::ident::{Outcome, Registration, WebSession};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use cqes_core::btrust::web_identification::{RegistrationRequest, StartWebIdentificationRequest};
use serde_json::json;
use std::sync::Arc;

async fn start(
    app: Arc<App>,
    conn: Conn,
    headers: HeaderMap,
    body: Bytes,
    without_otc: bool,
) -> Response {
    let op = if without_otc {
        "btrust.startWebIdentificationWithoutOtc"
    } else {
        "btrust.startWebIdentification"
    };
    let ctx = begin_or_return!(app, conn, headers, op);
    let result = (|| {
        let r: StartWebIdentificationRequest = read(&ctx, &body)?;
        let now = app.clock.now_ms();
        let mut ident = ctx.ident()?;
        let web_session_id = ident.id(&app.ids);
        let result_id = ident.result_id(&app.ids);
        let expire = now + app.config.validity_ms.max(3_600_000);
        ident.web.insert(
            result_id,
            WebSession {
                web_session_id: web_session_id.clone(),
                result_id,
                rp_id: ctx.rp.config.id.clone(),
                callback_url: r.request_callback_url,
                reason: r.identification_reason,
                created_ms: now,
                expire_ms: expire,
                without_otc,
                registration: None,
                status: "START_WEB_SESSION",
                step: "START",
                queue: Default::default(),
                user: None,
                identificator: None,
                sign_session_id: None,
                sign_session_expire_ms: 0,
                eid_pdf: None,
                outcome: Outcome::Pending,
            },
        );
        Ok(ctx.ok(200, "ACCEPTED", json!({"webSessionId": web_session_id, "resultId": result_id, "webSessionExpireDate": crate::clock::iso(expire)})))
    })();
    ctx.finish(result.unwrap_or_else(|r: Response| r)).await
}

pub(super) async fn web_start(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    start(app, conn, headers, body, false).await
}

pub(super) async fn web_start_without_otc(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    start(app, conn, headers, body, true).await
}

pub(super) async fn create_registration(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(web_session_id): Path<String>,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.createRegistration");
    let result = (|| {
        let r: RegistrationRequest = read(&ctx, &body)?;
        let now = app.clock.now_ms();
        let mut ident = ctx.ident()?;
        let session_id = ident.id(&app.ids);
        let registration_id = ident.id(&app.ids);
        let w = ident
            .web
            .values_mut()
            .find(|w| w.web_session_id == web_session_id && w.rp_id == ctx.rp.config.id)
            .ok_or_else(|| {
                ctx.fail(
                    404,
                    "NOT_FOUND_IDENTIFICATION_REQUEST_BY_SESSION_ID",
                    "NOT_FOUND",
                    None,
                )
            })?;
        if w.registration.is_some() || w.outcome != Outcome::Pending {
            return Err(ctx.fail(
                400,
                "IDENTIFICATION_REQUEST_FOR_WEB_SESSION_ID_NOT_VALID_STATE",
                "BAD_REQUEST",
                None,
            ));
        }
        let expires = (now + 3_600_000).min(w.expire_ms);
        w.step = "WEB_IDV_REGISTRATION";
        w.registration = Some(Registration {
            session_id: session_id.clone(),
            registration_id: registration_id.clone(),
            success_url: r.success_url.clone(),
            cancel_url: r.cancel_url.clone(),
            language: r.user_language.as_str().to_owned(),
            verify_email: r.verify_email_address,
            verify_phone: r.verify_phone_number,
            created_ms: now,
            expires_ms: expires,
            status: "STARTED",
            review: "N_A",
            processed_ms: None,
            reviewed_ms: None,
        });
        // Not enveloped, as in the guide (§2.2).
        Ok(json_response(
            200,
            &json!({
                "userLanguage": r.user_language.as_str(),
                "verifyEmailAddress": r.verify_email_address,
                "verifyPhoneNumber": r.verify_phone_number,
                "successUrl": r.success_url,
                "cancelUrl": r.cancel_url,
                "sessionId": session_id,
                "registrationId": registration_id,
                "createdOn": crate::clock::iso(now),
                "expiredOn": crate::clock::iso(expires),
                "serviceName": format!("OTC_RELYING_PARTY_{}", ctx.rp.config.id),
                "otcRequestId": web_session_id,
            }),
        ))
    })();
    ctx.finish(result.unwrap_or_else(|r: Response| r)).await
}

pub(super) async fn registration_status(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(registration_id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getRegistrationStatus");
    let found = app.ident.lock().ok().and_then(|i| {
        i.web
            .values()
            .filter(|w| w.rp_id == ctx.rp.config.id)
            .find_map(|w| {
                w.registration
                    .clone()
                    .filter(|r| r.registration_id == registration_id)
            })
    });
    let opt = |t: Option<u64>| t.map(crate::clock::iso);
    let response = match found {
        Some(r) => json_response(
            200,
            &json!({
                "createdOn": crate::clock::iso(r.created_ms),
                "processedOn": opt(r.processed_ms),
                "registrationId": r.registration_id,
                "reviewStatus": r.review,
                "reviewedOn": opt(r.reviewed_ms),
                "status": r.status,
            }),
        ),
        None => ctx.fail(404, "NOT_FOUND", "NOT_FOUND", None),
    };
    ctx.finish(response).await
}

pub(super) async fn web_status(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(result_id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getWebIdentificationStatus");
    let id = result_id.parse::<u64>().ok();
    let found = app.ident.lock().ok().and_then(|i| {
        let id = id?;
        let rp = &ctx.rp.config.id;
        i.web
            .get(&id)
            .filter(|w| &w.rp_id == rp)
            .map(|w| (w.status, w.step))
            .or_else(|| {
                i.signs
                    .get(&id)
                    .filter(|s| &s.rp_id == rp)
                    .map(|s| (s.status, s.step))
            })
    });
    let response = match found {
        Some((status, step)) => ctx.ok(200, "OK", json!({"status": status, "step": step})),
        None => ctx.fail(
            404,
            "NOT_FOUND_WEB_IDENTIFICATION_RESULT",
            "NOT_FOUND",
            None,
        ),
    };
    ctx.finish(response).await
}

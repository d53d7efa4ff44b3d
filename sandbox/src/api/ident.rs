//! The Remote Identification API: B-Trust Mobile identification, web identification with
//! its registration module (whose answers are not enveloped), and one-time-certificate sign
//! sessions. Inputs are read and validated with cqes-core's models.

use super::signing::read;
use super::{json_response, Conn, Ctx};
use crate::app::App;
use crate::ident::{hex64, MobileIdent, Outcome, Registration, SignSession, WebSession};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use cqes_core::btrust::identification::{AccessSettingsInput, IdentificationRequest};
use cqes_core::btrust::otc_signing::{
    CreateSignSessionInput, StartSignSessionRequest, ValidateOtpInput,
};
use cqes_core::btrust::web_identification::{RegistrationRequest, StartWebIdentificationRequest};
use cqes_core::validate::Validate;
use serde_json::{json, Value};
use std::sync::Arc;

type S = State<Arc<App>>;
type C = Extension<Conn>;

/// Routes below `/signing-api`.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v2/identification", post(identification))
        .route("/v2/identification/accessSettings", post(access_settings))
        .route("/v2/identification/{callback_id}", get(identification_result))
        .route("/v2/identification/web/websession/start", post(web_start))
        .route("/v2/identification/web/websession/without-otc/start", post(web_start_without_otc))
        .route("/v2/identification/web/websession/create/signsession", post(create_sign_session))
        .route("/v2/identification/web/sessions/by-otc-request/{id}", post(create_registration))
        .route("/v2/identification/web/sessions/by-otc-request/{id}/status", get(registration_status))
        .route("/v2/identification/web/signsession/start", post(sign_session_start))
        .route("/v2/identification/web/generate/otp/{result_id}", get(generate_otp))
        .route("/v2/identification/web/validate/otp", post(validate_otp))
        .route("/v2/identification/web/{result_id}/status", get(web_status))
        .route("/v2/identification/web/{result_id}/result/{process_state}/{session_id}", get(result_without_flag))
        .route("/v2/identification/web/{result_id}/result/{process_state}/{session_id}/{only_metadata}", get(result_with_flag))
}

fn b64(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

/// The guide's error body of `GET /v2/identification/{callbackId}`.
fn rejected(ctx: &Ctx, status: u16) -> Response {
    json_response(
        status,
        &json!({"data": null, "code": "REJECTED", "message": crate::messages::message("REJECTED", ctx.lang)}),
    )
}

async fn identification(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.identification");
    let result = (|| {
        let r: IdentificationRequest = read(&ctx, &body)?;
        let now = app.clock.now_ms();
        let p = &r.person_identity_data;
        let value = p.identificator_value.expose().clone();
        let user = crate::users::find_by(&app.users, p.doc_type.as_str(), &value);
        let mut ident = ctx.ident()?;
        let callback_id = ident.id(app.salt);
        let validity = now + app.config.validity_ms;
        ident.mobile.insert(
            callback_id.clone(),
            MobileIdent {
                callback_id: callback_id.clone(),
                rp_id: ctx.rp.config.id.clone(),
                user,
                doc_type: p.doc_type.as_str().to_owned(),
                identificator: hex64(&format!("{}:{}", ctx.rp.config.id, value)),
                value,
                reason: r.identification_reason.clone(),
                created_ms: now,
                validity_ms: validity,
                outcome: Outcome::Pending,
                content: None,
            },
        );
        Ok(ctx.ok(
            200,
            "ACCEPTED",
            json!({"callbackId": callback_id, "validity": crate::clock::iso(validity)}),
        ))
    })();
    ctx.finish(result.unwrap_or_else(|r: Response| r)).await
}

async fn identification_result(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(callback_id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getIdentificationResult");
    let response = {
        let ident = app.ident.lock();
        match ident
            .as_ref()
            .ok()
            .and_then(|i| i.mobile.get(&callback_id))
            .filter(|m| m.rp_id == ctx.rp.config.id)
        {
            None => rejected(&ctx, 404),
            Some(m) => match m.outcome {
                Outcome::Pending => {
                    let status = if m.user.is_some() {
                        "IN_PROGRESS"
                    } else {
                        "ON_BOARDING"
                    };
                    let msg = crate::messages::message("OK", ctx.lang);
                    json_response(
                        206,
                        &json!({"status": status, "responseCode": "OK", "code": "OK", "message": msg}),
                    )
                }
                Outcome::Done => json_response(
                    200,
                    &json!({
                        "data": {
                            "content": m.content.as_deref().map(b64),
                            "identification_before": ctx.rp.config.name,
                            "identification_reason": m.reason,
                            "identificator": m.identificator,
                        },
                        "responseCode": "GENERAL_OK",
                        "status": "FINISHED",
                        "code": "OK",
                        "message": crate::messages::message("OK", ctx.lang),
                    }),
                ),
                Outcome::Rejected => rejected(&ctx, 403),
                Outcome::Expired => rejected(&ctx, 404),
            },
        }
    };
    ctx.finish(response).await
}

/// Inferred: accepts any settings object and acknowledges it.
async fn access_settings(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(
        app,
        conn,
        headers,
        "btrust.createIdentificationRequestDataAccessSettings"
    );
    let result = (|| {
        let settings: serde_json::Map<String, Value> =
            serde_json::from_slice(&body).map_err(|_| {
                ctx.fail(
                    400,
                    "BAD_REQUEST",
                    "BAD_REQUEST",
                    Some("The body is a JSON object.".into()),
                )
            })?;
        let _ = AccessSettingsInput {
            settings: cqes_core::JsonObject(settings.clone()),
        }
        .check();
        Ok(ctx.ok(200, "OK", json!({"accepted": true, "settings": settings})))
    })();
    ctx.finish(result.unwrap_or_else(|r: Response| r)).await
}

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
        let web_session_id = ident.id(app.salt);
        let result_id = ident.result_id();
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

async fn web_start(State(app): S, Extension(conn): C, headers: HeaderMap, body: Bytes) -> Response {
    start(app, conn, headers, body, false).await
}

async fn web_start_without_otc(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    start(app, conn, headers, body, true).await
}

async fn create_registration(
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
        let session_id = ident.id(app.salt);
        let registration_id = ident.id(app.salt ^ 1);
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

async fn registration_status(
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

async fn web_status(
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

async fn result_with_flag(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path((result_id, process_state, session_id, only)): Path<(String, String, String, String)>,
) -> Response {
    let only = match only.as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    };
    result(
        app,
        conn,
        headers,
        result_id,
        process_state,
        session_id,
        only.or(Some(false)),
        only.is_none(),
    )
    .await
}

async fn result_without_flag(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path((result_id, process_state, session_id)): Path<(String, String, String)>,
) -> Response {
    result(
        app,
        conn,
        headers,
        result_id,
        process_state,
        session_id,
        None,
        false,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn result(
    app: Arc<App>,
    conn: Conn,
    headers: HeaderMap,
    result_id: String,
    process_state: String,
    session_id: String,
    only_metadata: Option<bool>,
    bad_flag: bool,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getWebIdentificationResults");
    let response = (|| {
        if bad_flag {
            return Err(ctx.fail(
                400,
                "BAD_REQUEST",
                "BAD_REQUEST",
                Some("onlyMetadata is true or false.".into()),
            ));
        }
        let id = result_id.parse::<u64>().map_err(|_| {
            ctx.fail(
                404,
                "NOT_FOUND_WEB_IDENTIFICATION_RESULT",
                "NOT_FOUND",
                None,
            )
        })?;
        let ident = ctx.ident()?;
        let rp = &ctx.rp.config.id;
        let not_found = || {
            ctx.fail(
                404,
                "NOT_FOUND_WEB_IDENTIFICATION_RESULT",
                "NOT_FOUND",
                None,
            )
        };
        if let Some(w) = ident.web.get(&id).filter(|w| &w.rp_id == rp) {
            let expected_state = if w.without_otc {
                "PROCESS_IS_FINISHED"
            } else {
                "CREATE_SIGN_SESSION_REQUEST"
            };
            if process_state != expected_state || session_id != w.web_session_id {
                return Err(ctx.fail(
                    400,
                    "IDENTIFICATION_REQUEST_FOR_WEB_SESSION_ID_IS_NOT_VALID",
                    "BAD_REQUEST",
                    None,
                ));
            }
            if w.outcome != Outcome::Done {
                return Err(not_found());
            }
            // The guide says metadata only omits the eID certificate (its example disagrees).
            let eid = if only_metadata == Some(true) {
                None
            } else {
                w.eid_pdf.as_deref().map(b64)
            };
            return Ok(ctx.ok(200, "OK", json!({
                "eIDDocAsBase64": eid,
                "clientIdentificator": w.identificator,
                "signSessionId": w.sign_session_id,
                "signSessionIdExpireDate": w.sign_session_id.as_ref().map(|_| crate::clock::iso(w.sign_session_expire_ms)),
            })));
        }
        if let Some(s) = ident.signs.get(&id).filter(|s| &s.rp_id == rp) {
            if process_state != "SIGN_SESSION" || session_id != s.sign_session_id {
                return Err(ctx.fail(
                    400,
                    "IDENTIFICATION_REQUEST_FOR_SIGN_SESSION_ID_IS_NOT_VALID",
                    "BAD_REQUEST",
                    None,
                ));
            }
            if s.outcome != Outcome::Done {
                return Err(not_found());
            }
            let expire = ident
                .web
                .get(&s.web_result_id)
                .map(|w| w.sign_session_expire_ms)
                .unwrap_or(s.expire_ms);
            return Ok(ctx.ok(200, "OK", json!({
                "signDocuments": s.signed.iter().map(|(name, bytes)| json!({"filename": name, "contentAsBase64": b64(bytes)})).collect::<Vec<_>>(),
                "clientIdentificator": s.identificator,
                "signSessionId": s.sign_session_id,
                "signSessionIdExpireDate": crate::clock::iso(expire),
            })));
        }
        Err(not_found())
    })();
    ctx.finish(response.unwrap_or_else(|r| r)).await
}

/// Inferred shape: a new sign session for an identified customer.
async fn create_sign_session(
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
        let new_id = ident.id(app.salt ^ 7);
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

async fn sign_session_start(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.startSignSession");
    let result = (|| {
        let r: StartSignSessionRequest = read(&ctx, &body)?;
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
        let result_id = ident.result_id();
        let token = hex64(&format!("{}:{result_id}", app.salt));
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
        ident.new_otp(result_id, app.salt);
        let url = format!("{}/cqes/api/web-identification/{token}", app.pages_url);
        Ok(ctx.ok(200, "OK", json!({"clientDocumentUrl": url, "expireDate": crate::clock::iso(expire), "resultId": result_id})))
    })();
    ctx.finish(result.unwrap_or_else(|r: Response| r)).await
}

/// Inferred shape: a new code is "texted" to the customer (shown by the control API).
async fn generate_otp(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(result_id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.generateOtpCodeForOtc");
    let sent = result_id.parse::<u64>().ok().and_then(|id| {
        let mut i = app.ident.lock().ok()?;
        i.signs.get(&id).filter(|s| s.rp_id == ctx.rp.config.id)?;
        i.new_otp(id, app.salt)
    });
    let response = match sent {
        Some(_) => ctx.ok(200, "OK", json!({"otpSent": true})),
        None => ctx.fail(400, "REQUEST_GENERATE_OF_OTP_FAILED", "BAD_REQUEST", None),
    };
    ctx.finish(response).await
}

/// Inferred shape: `{resultId, otp}`; a right code signs the documents.
async fn validate_otp(
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

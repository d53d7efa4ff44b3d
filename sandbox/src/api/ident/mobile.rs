//! B-Trust Mobile identification: the request, its result, and the access settings.

use super::{b64, C, S};
use crate::api::signing::read;
use crate::api::{json_response, Ctx};
use crate::ident::{hex64, MobileIdent, Outcome};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use cqes_core::btrust::identification::{AccessSettingsInput, IdentificationRequest};
use cqes_core::validate::Validate;
use serde_json::{json, Value};

/// The guide's error body of `GET /v2/identification/{callbackId}`.
fn rejected(ctx: &Ctx, status: u16) -> Response {
    json_response(
        status,
        &json!({"data": null, "code": "REJECTED", "message": crate::messages::message("REJECTED", ctx.lang)}),
    )
}

pub(super) async fn identification(
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
        let callback_id = ident.id(&app.ids);
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

pub(super) async fn identification_result(
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
pub(super) async fn access_settings(
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

//! Control of Automatic Remote Signing and OIDC signing:
//!
//! | method | path | effect |
//! |---|---|---|
//! | GET | `/ars` | consents (state, signer, token expiry), batches, OIDC requests, limits, counters |
//! | POST | `/ars/consents/{callbackId}/approve\|reject\|expire` | the authorised signer acts |
//! | POST | `/ars/consents/{callbackId}/revoke\|detach-device\|change-pin` | the consent's token stops working, with that reason |
//! | GET/PUT | `/ars/limits` | `{"maxBatchSize", "maxRequestsPerToken", "batchItemsPerPoll", "timeoutNextSync"}` |

use crate::app::App;
use crate::ars::{ArsLimits, ConsentState, TokenState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use std::sync::Arc;

/// The ARS control routes.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/ars", get(view))
        .route("/ars/limits", get(get_limits).put(put_limits))
        .route("/ars/consents/{id}/{action}", post(act))
}

type S = State<Arc<App>>;

async fn view(State(app): S) -> Response {
    crate::ars::tick(&app);
    let Ok(a) = app.ars.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let consents: Vec<_> = a
        .consents
        .iter()
        .map(|(id, c)| {
            let token = c.token.as_ref().and_then(|t| a.tokens.get(t));
            json!({
                "callbackId": id,
                "state": c.state,
                "certId": app.users.get(c.user).map(|u| u.config.cert_id.clone()),
                "orgIdentifier": c.org_identifier,
                "tokenState": token.map(|t| t.state),
                "tokenExpiresAtMs": token.map(|t| t.expires_ms),
                "tokenRequests": token.map(|t| t.requests),
            })
        })
        .collect();
    let batches: Vec<_> = a
        .batches
        .iter()
        .map(|(id, b)| {
            let count =
                |f: fn(&crate::ars::BatchItem) -> bool| b.items.iter().filter(|i| f(i)).count();
            json!({
                "callbackId": id,
                "items": b.items.len(),
                "signed": count(|i| matches!(i, crate::ars::BatchItem::Signed(_))),
                "revoked": count(|i| matches!(i, crate::ars::BatchItem::Revoked)),
            })
        })
        .collect();
    let oidc: Vec<_> = a
        .oidc
        .iter()
        .map(|(id, r)| json!({"callbackId": id, "signed": r.signed.is_some(), "rejected": r.rejected}))
        .collect();
    Json(json!({
        "consents": consents,
        "batches": batches,
        "oidc": oidc,
        "limits": a.limits,
        "documentsSigned": a.documents_signed,
        "syncRequests": a.sync_requests,
    }))
    .into_response()
}

async fn get_limits(State(app): S) -> Response {
    match app.ars.lock() {
        Ok(a) => Json(a.limits.clone()).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn put_limits(State(app): S, Json(limits): Json<ArsLimits>) -> Response {
    match app.ars.lock() {
        Ok(mut a) => {
            a.limits = limits;
            Json(a.limits.clone()).into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn refuse(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({"error": error}))).into_response()
}

async fn act(State(app): S, Path((id, action)): Path<(String, String)>) -> Response {
    crate::ars::tick(&app);
    if action == "approve" {
        return if crate::ars::approve(&app, &id) {
            Json(json!({"callbackId": id, "state": "COMPLETED"})).into_response()
        } else {
            refuse(StatusCode::CONFLICT, "no pending consent with this id")
        };
    }
    let Ok(mut a) = app.ars.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Some(c) = a.consents.get_mut(&id) else {
        return refuse(StatusCode::NOT_FOUND, "no such consent");
    };
    let pending = c.state == ConsentState::InProgress;
    let token = c.token.clone();
    let new_token_state = match action.as_str() {
        "reject" | "expire" if pending => {
            c.state = if action == "reject" {
                ConsentState::Rejected
            } else {
                ConsentState::Expired
            };
            return Json(json!({"callbackId": id, "state": c.state})).into_response();
        }
        "reject" | "expire" => return refuse(StatusCode::CONFLICT, "the consent is already final"),
        "revoke" => TokenState::ConsentRevoke,
        "detach-device" => TokenState::DetachedDevice,
        "change-pin" => TokenState::ChangedPin,
        _ => {
            return refuse(
                StatusCode::NOT_FOUND,
                "action is approve, reject, expire, revoke, detach-device or change-pin",
            )
        }
    };
    match token.and_then(|t| a.tokens.get_mut(&t)) {
        Some(t) => {
            t.state = new_token_state;
            Json(json!({"callbackId": id, "tokenState": t.state})).into_response()
        }
        None => refuse(
            StatusCode::CONFLICT,
            "the consent has no token (not approved)",
        ),
    }
}

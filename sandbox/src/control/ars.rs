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
    let code = if status == StatusCode::NOT_FOUND {
        "NOT_FOUND"
    } else {
        "CONFLICT"
    };
    super::input::refuse(status.as_u16(), code, error)
}

async fn act(State(app): S, Path((id, action)): Path<(String, String)>) -> Response {
    match decide_consent(&app, &id, &action, None) {
        Ok(v) => Json(v).into_response(),
        Err(r) => r,
    }
}

/// The pending consents customer `user` sees in B-Trust Mobile, with their creation time
/// (the simulator lists them beside sign requests, oldest first).
pub(crate) fn consent_cards(app: &App, user: usize) -> Vec<(u64, serde_json::Value)> {
    crate::ars::tick(app);
    let Ok(a) = app.ars.lock() else {
        return Vec::new();
    };
    a.consents
        .iter()
        .filter(|(_, c)| c.user == user && c.state == ConsentState::InProgress)
        .map(|(id, c)| {
            let rp = app
                .rps
                .iter()
                .find(|p| p.config.id == c.rp_id)
                .map(|p| p.config.name.clone())
                .unwrap_or_else(|| c.rp_id.clone());
            let text = format!(
                "Consent to automatic signing on behalf of {} for {} days",
                c.org_identifier, c.days
            );
            (
                c.created_ms,
                json!({
                    "callbackId": id,
                    "relyingParty": rp,
                    "relyingPartyId": c.rp_id,
                    "kind": "CONSENT",
                    "validityMs": c.validity_ms,
                    "documents": [{"fileName": "consent", "confirmText": text,
                                   "signatureType": "ARS consent", "href": ""}],
                }),
            )
        })
        .collect()
}

/// Whether `id` names a consent (the simulator's actions dispatch on it).
pub(crate) fn is_consent(app: &App, id: &str) -> bool {
    app.ars.lock().is_ok_and(|a| a.consents.contains_key(id))
}

/// The authorised signer (or the control API, `user` = None) acts on consent `id`: approve,
/// reject or expire a pending one; revoke, detach-device or change-pin an approved one's
/// token. With `user`, only that customer's consent may be acted on, and only the first three.
pub(crate) fn decide_consent(
    app: &App,
    id: &str,
    action: &str,
    user: Option<usize>,
) -> Result<serde_json::Value, Response> {
    crate::ars::tick(app);
    let owner = app
        .ars
        .lock()
        .ok()
        .and_then(|a| a.consents.get(id).map(|c| c.user));
    match (owner, user) {
        (None, _) => return Err(refuse(StatusCode::NOT_FOUND, "no such consent")),
        (Some(o), Some(u)) if o != u => {
            return Err(refuse(
                StatusCode::CONFLICT,
                "The consent is for another customer.",
            ))
        }
        (_, Some(_)) if !matches!(action, "approve" | "reject" | "expire") => {
            return Err(super::input::bad("action", "is approve, reject or expire"))
        }
        _ => {}
    }
    if action == "approve" {
        return if crate::ars::approve(app, id) {
            Ok(
                json!({"callbackId": id, "state": "COMPLETED", "result": "approved", "items": ["COMPLETED"]}),
            )
        } else {
            Err(refuse(
                StatusCode::CONFLICT,
                "no pending consent with this id",
            ))
        };
    }
    let Ok(mut a) = app.ars.lock() else {
        return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    };
    let Some(c) = a.consents.get_mut(id) else {
        return Err(refuse(StatusCode::NOT_FOUND, "no such consent"));
    };
    let pending = c.state == ConsentState::InProgress;
    let token = c.token.clone();
    let new_token_state = match action {
        "reject" | "expire" if pending => {
            c.state = if action == "reject" {
                ConsentState::Rejected
            } else {
                ConsentState::Expired
            };
            let result = if action == "reject" {
                "rejected"
            } else {
                "left to expire"
            };
            return Ok(
                json!({"callbackId": id, "state": c.state, "result": result, "items": [c.state]}),
            );
        }
        "reject" | "expire" => {
            return Err(refuse(StatusCode::CONFLICT, "the consent is already final"))
        }
        "revoke" => TokenState::ConsentRevoke,
        "detach-device" => TokenState::DetachedDevice,
        "change-pin" => TokenState::ChangedPin,
        _ => {
            return Err(refuse(
                StatusCode::NOT_FOUND,
                "action is approve, reject, expire, revoke, detach-device or change-pin",
            ))
        }
    };
    match token.and_then(|t| a.tokens.get_mut(&t)) {
        Some(t) => {
            t.state = new_token_state;
            Ok(json!({"callbackId": id, "tokenState": t.state}))
        }
        None => Err(refuse(
            StatusCode::CONFLICT,
            "the consent has no token (not approved)",
        )),
    }
}

//! The control API: the simulated end user and time, on a separate plain-HTTP listener bound
//! to loopback (never on the mTLS port). Tests and the CLI drive the sandbox through it.
//!
//! | method | path | effect |
//! |---|---|---|
//! | GET | `/health` | `{"status": "ok"}` |
//! | GET | `/requests?state=pending\|completed\|all` | sign requests with their item states |
//! | POST | `/requests/{callbackId}/approve\|reject\|expire` | the user acts on one request |
//! | POST | `/requests/approve-all\|reject-all\|expire-all` | … on every pending request |
//! | GET/PUT | `/behavior` | `{"mode": "approve"\|"reject"\|"ignore", "afterMs": 1500}` |
//! | GET | `/clock`; POST `/clock/advance` `{"ms": 60000}` | sandbox time |
//! | GET/PUT | `/faults` | fault injection rules (see `FaultConfig`) |
//! | GET | `/stats` | counters, faults injected, stored requests |
//! | GET | `/users` | the simulated customers (test data, OTPs included) |
//! | GET | `/identifications` | mobile identifications, web identifications, sign sessions |
//! | POST | `/identifications/{id}/approve\|reject\|expire` | the person acts (`id`: a mobile callbackId or a web/sign resultId) |
//! | POST | `/identifications/approve-all\|reject-all\|expire-all` | … on everything pending |
//! | GET | `/identifications/{resultId}/otp` | the SMS code of a sign session |

use crate::app::App;
use crate::config::{Behavior, FaultConfig};
use crate::state::Decision;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// The control router.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/health", get(|| async { Json(json!({"status": "ok"})) }))
        .route("/requests", get(list))
        .route("/requests/{action}", post(act_all))
        .route("/requests/{callback_id}/{action}", post(act))
        .route("/behavior", get(get_behavior).put(put_behavior))
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance))
        .route("/faults", get(get_faults).put(put_faults))
        .route("/stats", get(stats))
        .route("/users", get(users))
        .route("/identifications", get(identifications))
        .route("/identifications/{action}", post(ident_act_all))
        .route("/identifications/{id}/otp", get(ident_otp))
        .route("/identifications/{id}/{action}", post(ident_act))
        .with_state(app)
}

type S = State<Arc<App>>;

#[derive(Deserialize)]
struct ListQuery {
    state: Option<String>,
}

async fn list(State(app): S, Query(q): Query<ListQuery>) -> Json<Value> {
    app.tick();
    let filter = q.state.unwrap_or_else(|| "all".into());
    let state = app.state.lock();
    let mut out: Vec<Value> = match &state {
        Ok(s) => s
            .requests
            .values()
            .filter(|r| match filter.as_str() {
                "pending" => !r.completed,
                "completed" => r.completed,
                _ => true,
            })
            .map(|r| {
                json!({
                    "callbackId": r.callback_id,
                    "relyingPartyId": r.rp_id,
                    "rpCallbackId": r.rp_callback_id,
                    "kind": r.kind,
                    "completed": r.completed,
                    "createdMs": r.created_ms,
                    "validityMs": r.validity_ms,
                    "items": r.items.iter().map(|i| json!({
                        "status": i.status.as_str(),
                        "signatureType": i.signature_type.as_str(),
                        "fileName": i.content.file_name,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort_by_key(|v| v["createdMs"].as_u64());
    Json(json!({ "requests": out }))
}

fn decision(action: &str) -> Option<Decision> {
    match action {
        "approve" | "approve-all" => Some(Decision::Approve),
        "reject" | "reject-all" => Some(Decision::Reject),
        "expire" | "expire-all" => Some(Decision::Expire),
        _ => None,
    }
}

fn decide(app: &App, ids: Vec<String>, d: Decision) -> usize {
    let now = app.clock.now_ms();
    let mut done = 0;
    let mut notices = Vec::new();
    if let Ok(mut s) = app.state.lock() {
        for id in ids {
            if s.requests.get(&id).is_some_and(|r| !r.completed) {
                done += 1;
                notices.extend(s.decide(&id, d, &app.users, now, app.retention()));
            }
        }
    }
    for n in notices {
        let _ = app.callbacks.send(n);
    }
    done
}

async fn act(State(app): S, Path((callback_id, action)): Path<(String, String)>) -> Response {
    let Some(d) = decision(&action) else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "action is approve, reject or expire"})),
        )
            .into_response();
    };
    app.tick();
    let exists = app
        .state
        .lock()
        .map(|s| s.requests.get(&callback_id).map(|r| r.completed))
        .ok()
        .flatten();
    match exists {
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such request"})),
        )
            .into_response(),
        Some(true) => (
            StatusCode::CONFLICT,
            Json(json!({"error": "the request is already final"})),
        )
            .into_response(),
        Some(false) => {
            decide(&app, vec![callback_id.clone()], d);
            Json(json!({"callbackId": callback_id, "action": action})).into_response()
        }
    }
}

async fn act_all(State(app): S, Path(action): Path<String>) -> Response {
    let Some(d) = decision(&action).filter(|_| action.ends_with("-all")) else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "use approve-all, reject-all or expire-all"})),
        )
            .into_response();
    };
    app.tick();
    let ids: Vec<String> = app
        .state
        .lock()
        .map(|s| {
            s.requests
                .values()
                .filter(|r| !r.completed)
                .map(|r| r.callback_id.clone())
                .collect()
        })
        .unwrap_or_default();
    let n = decide(&app, ids, d);
    Json(json!({"action": action, "requests": n})).into_response()
}

async fn get_behavior(State(app): S) -> Json<Value> {
    Json(json!(app
        .behavior
        .lock()
        .map(|b| b.clone())
        .unwrap_or_default()))
}

async fn put_behavior(State(app): S, Json(b): Json<Behavior>) -> Json<Value> {
    if let Ok(mut cur) = app.behavior.lock() {
        *cur = b.clone();
    }
    app.tick();
    Json(json!(b))
}

async fn clock(State(app): S) -> Json<Value> {
    Json(json!({"nowMs": app.clock.now_ms(), "offsetMs": app.clock.offset_ms()}))
}

#[derive(Deserialize)]
struct Advance {
    ms: u64,
}

async fn advance(State(app): S, Json(a): Json<Advance>) -> Json<Value> {
    app.clock.advance(a.ms);
    app.tick();
    Json(json!({"nowMs": app.clock.now_ms(), "offsetMs": app.clock.offset_ms()}))
}

async fn get_faults(State(app): S) -> Json<Value> {
    Json(json!(app.faults.get()))
}

async fn put_faults(State(app): S, Json(f): Json<FaultConfig>) -> Json<Value> {
    app.faults.set(f.clone());
    Json(json!(f))
}

async fn stats(State(app): S) -> Json<Value> {
    let stats = app.stats.lock().map(|s| s.clone()).unwrap_or_default();
    let (stored, pending, per_rp_callback) = app
        .state
        .lock()
        .map(|s| {
            let mut per: std::collections::BTreeMap<String, usize> = Default::default();
            for r in s.requests.values() {
                if let Some(id) = &r.rp_callback_id {
                    *per.entry(id.clone()).or_default() += 1;
                }
            }
            (
                s.requests.len(),
                s.requests.values().filter(|r| !r.completed).count(),
                per,
            )
        })
        .unwrap_or_default();
    let duplicated: Vec<&String> = per_rp_callback
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(k, _)| k)
        .collect();
    Json(json!({
        "stats": stats,
        "signRequestsStored": stored,
        "signRequestsPending": pending,
        "rpCallbackIdsStoredMoreThanOnce": duplicated,
        "faultsInjected": app.faults.injected(),
    }))
}

async fn users(State(app): S) -> Json<Value> {
    Json(json!(app
        .users
        .iter()
        .map(|u| &u.config)
        .collect::<Vec<_>>()))
}

fn outcome_name(o: crate::ident::Outcome) -> &'static str {
    match o {
        crate::ident::Outcome::Pending => "pending",
        crate::ident::Outcome::Done => "done",
        crate::ident::Outcome::Rejected => "rejected",
        crate::ident::Outcome::Expired => "expired",
    }
}

async fn identifications(State(app): S) -> Json<Value> {
    app.tick();
    let Ok(i) = app.ident.lock() else {
        return Json(json!({}));
    };
    Json(json!({
        "mobile": i.mobile.values().map(|m| json!({"callbackId": m.callback_id, "relyingPartyId": m.rp_id, "docType": m.doc_type,
            "state": outcome_name(m.outcome), "createdMs": m.created_ms})).collect::<Vec<_>>(),
        "web": i.web.values().map(|w| json!({"resultId": w.result_id, "webSessionId": w.web_session_id, "relyingPartyId": w.rp_id,
            "sessionId": w.registration.as_ref().map(|r| r.session_id.clone()),
            "identificationUrl": w.registration.as_ref().map(|r| format!("{}/session/{}", app.pages_url, r.session_id)),
            "status": w.status, "step": w.step, "state": outcome_name(w.outcome), "withoutOtc": w.without_otc})).collect::<Vec<_>>(),
        "signSessions": i.signs.values().map(|s| json!({"resultId": s.result_id, "relyingPartyId": s.rp_id,
            "documentUrl": format!("{}/cqes/api/web-identification/{}", app.pages_url, s.token),
            "status": s.status, "step": s.step, "state": outcome_name(s.outcome), "documents": s.documents.len()})).collect::<Vec<_>>(),
    }))
}

/// Applies a decision to one identification; false when nothing was pending under `id`.
fn ident_decide(app: &App, id: &str, action: &str) -> bool {
    use crate::ident::Outcome;
    let ctx = app.ident_ctx(app.clock.now_ms());
    let Ok(mut i) = app.ident.lock() else {
        return false;
    };
    let mut notices = Vec::new();
    let done = if i.mobile.contains_key(id) {
        let o = match action {
            "approve" => Outcome::Done,
            "reject" => Outcome::Rejected,
            _ => Outcome::Expired,
        };
        i.decide_mobile(id, o, &ctx)
    } else if let Ok(n) = id.parse::<u64>() {
        if i.web.get(&n).is_some_and(|w| w.outcome == Outcome::Pending) {
            match action {
                "approve" => i.complete_web(n, None, &ctx),
                "reject" => {
                    notices.extend(i.cancel_web(n, &ctx));
                    true
                }
                _ => {
                    if let Some(w) = i.web.get_mut(&n) {
                        w.expire_ms = 0;
                    }
                    true
                }
            }
        } else if i
            .signs
            .get(&n)
            .is_some_and(|s| s.outcome == Outcome::Pending)
        {
            match action {
                "approve" => {
                    let otp = i.signs.get(&n).map(|s| s.otp.clone()).unwrap_or_default();
                    i.submit_otp(n, &otp, &ctx).is_ok()
                }
                "reject" => {
                    notices.extend(i.cancel_sign(n));
                    true
                }
                _ => {
                    if let Some(s) = i.signs.get_mut(&n) {
                        s.expire_ms = 0;
                    }
                    true
                }
            }
        } else {
            false
        }
    } else {
        false
    };
    drop(i);
    app.notify(notices);
    app.tick();
    done
}

async fn ident_act(State(app): S, Path((id, action)): Path<(String, String)>) -> Response {
    if !["approve", "reject", "expire"].contains(&action.as_str()) {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "action is approve, reject or expire"})),
        )
            .into_response();
    }
    app.tick();
    if ident_decide(&app, &id, &action) {
        Json(json!({"id": id, "action": action})).into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "nothing pending under this id"})),
        )
            .into_response()
    }
}

async fn ident_act_all(State(app): S, Path(action): Path<String>) -> Response {
    let Some(a) = action
        .strip_suffix("-all")
        .filter(|a| ["approve", "reject", "expire"].contains(a))
    else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "use approve-all, reject-all or expire-all"})),
        )
            .into_response();
    };
    app.tick();
    let ids: Vec<String> = app
        .ident
        .lock()
        .map(|i| {
            let p = crate::ident::Outcome::Pending;
            i.mobile
                .values()
                .filter(|m| m.outcome == p)
                .map(|m| m.callback_id.clone())
                .chain(
                    i.web
                        .values()
                        .filter(|w| w.outcome == p && w.registration.is_some())
                        .map(|w| w.result_id.to_string()),
                )
                .chain(
                    i.signs
                        .values()
                        .filter(|s| s.outcome == p)
                        .map(|s| s.result_id.to_string()),
                )
                .collect()
        })
        .unwrap_or_default();
    let n = ids.iter().filter(|id| ident_decide(&app, id, a)).count();
    Json(json!({"action": action, "identifications": n})).into_response()
}

async fn ident_otp(State(app): S, Path(id): Path<u64>) -> Response {
    match app
        .ident
        .lock()
        .ok()
        .and_then(|i| i.signs.get(&id).map(|s| s.otp.clone()))
    {
        Some(otp) => Json(json!({"resultId": id, "otp": otp})).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such sign session"})),
        )
            .into_response(),
    }
}

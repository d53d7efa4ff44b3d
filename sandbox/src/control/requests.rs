//! Sign requests: the list with their item states, and the simulated user approving,
//! rejecting or expiring one request or every pending one.

use super::input::{bad, refuse};
use super::S;
use crate::app::App;
use crate::state::Decision;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub(super) struct ListQuery {
    state: Option<String>,
}

pub(super) async fn list(State(app): S, Query(q): Query<ListQuery>) -> Response {
    app.tick();
    let filter = q.state.unwrap_or_else(|| "all".into());
    if !["pending", "completed", "all"].contains(&filter.as_str()) {
        return bad("state", "is pending, completed or all");
    }
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
    Json(json!({ "requests": out })).into_response()
}

/// The decision an action name stands for (`approve`, `reject`, `expire`, and their `-all`).
pub(crate) fn decision(action: &str) -> Option<Decision> {
    match action {
        "approve" | "approve-all" => Some(Decision::Approve),
        "reject" | "reject-all" => Some(Decision::Reject),
        "expire" | "expire-all" => Some(Decision::Expire),
        _ => None,
    }
}

/// The simulated user decides on these requests (those still pending); the callbacks go out.
/// The one code path of the control API and the B-Trust Mobile simulator page.
pub(crate) fn decide(app: &App, ids: Vec<String>, d: Decision) -> usize {
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

pub(super) async fn act(
    State(app): S,
    Path((callback_id, action)): Path<(String, String)>,
) -> Response {
    let Some(d) = decision(&action).filter(|_| !action.ends_with("-all")) else {
        return bad("action", "is approve, reject or expire");
    };
    app.tick();
    let exists = app
        .state
        .lock()
        .map(|s| s.requests.get(&callback_id).map(|r| r.completed))
        .ok()
        .flatten();
    match exists {
        None => refuse(404, "NOT_FOUND", "No sign request has this callbackId."),
        Some(true) => refuse(409, "CONFLICT", "The request is already final."),
        Some(false) => {
            decide(&app, vec![callback_id.clone()], d);
            Json(json!({"callbackId": callback_id, "action": action})).into_response()
        }
    }
}

pub(super) async fn act_all(State(app): S, Path(action): Path<String>) -> Response {
    let Some(d) = decision(&action).filter(|_| action.ends_with("-all")) else {
        return bad("action", "is approve-all, reject-all or expire-all");
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

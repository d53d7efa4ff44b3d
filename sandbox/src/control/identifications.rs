//! Remote Identification: the list of mobile identifications, web identifications and sign
//! sessions, the person acting on one or on everything pending, and a sign session's SMS code.

use super::input::{bad, refuse};
use super::S;
use crate::app::App;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

fn outcome_name(o: crate::ident::Outcome) -> &'static str {
    match o {
        crate::ident::Outcome::Pending => "pending",
        crate::ident::Outcome::Done => "done",
        crate::ident::Outcome::Rejected => "rejected",
        crate::ident::Outcome::Expired => "expired",
    }
}

pub(super) async fn identifications(State(app): S) -> Json<Value> {
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
                    notices.extend(i.cancel_sign(n, &app.ids));
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

pub(super) async fn ident_act(
    State(app): S,
    Path((id, action)): Path<(String, String)>,
) -> Response {
    if !["approve", "reject", "expire"].contains(&action.as_str()) {
        return bad("action", "is approve, reject or expire");
    }
    app.tick();
    if ident_decide(&app, &id, &action) {
        Json(json!({"id": id, "action": action})).into_response()
    } else {
        refuse(404, "NOT_FOUND", "Nothing is pending under this id.")
    }
}

pub(super) async fn ident_act_all(State(app): S, Path(action): Path<String>) -> Response {
    let Some(a) = action
        .strip_suffix("-all")
        .filter(|a| ["approve", "reject", "expire"].contains(a))
    else {
        return bad("action", "is approve-all, reject-all or expire-all");
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

pub(super) async fn ident_otp(State(app): S, Path(id): Path<u64>) -> Response {
    match app
        .ident
        .lock()
        .ok()
        .and_then(|i| i.signs.get(&id).map(|s| s.otp.clone()))
    {
        Some(otp) => Json(json!({"resultId": id, "otp": otp})).into_response(),
        None => refuse(404, "NOT_FOUND", "No sign session has this resultId."),
    }
}

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
//! | GET | `/faults/operations` | the operation names a rule may name |
//! | GET | `/stats` | counters, faults injected, stored requests |
//! | GET | `/users` | the simulated customers (test data, OTPs included) |
//! | GET/POST | `/users/{certId}/certificate`, `/users/{certId}/revoke` | a customer's certificate; revoke it (CRL, OCSP) |
//! | GET | `/identifications` | mobile identifications, web identifications, sign sessions |
//! | POST | `/identifications/{id}/approve\|reject\|expire` | the person acts (`id`: a mobile callbackId or a web/sign resultId) |
//! | POST | `/identifications/approve-all\|reject-all\|expire-all` | … on everything pending |
//! | GET | `/identifications/{resultId}/otp` | the SMS code of a sign session |
//!
//! Every refusal is the B-Trust envelope (`responseCode`, `code`, `message`) and names the
//! field at fault. The listener answers only to its own loopback address: a request whose
//! `Host` is another name, or whose `Origin` is another site, is refused with 403 before it
//! reaches a handler (see [`crate::http`]), so a page open in the developer's browser cannot
//! approve requests.
//!
//! This module holds the router and the read-only views of the whole sandbox (stats, users);
//! the handlers live in `requests` (sign requests), `identifications` (Remote Identification)
//! and `settings` (behaviour, clock, faults).

pub(crate) mod ars;
mod identifications;
pub(crate) mod input;
pub(crate) mod requests;
mod revocations;
mod settings;

use crate::app::App;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use identifications::{ident_act, ident_act_all, ident_otp, identifications};
use requests::{act, act_all, list};
use serde_json::{json, Value};
use settings::{
    advance, clock, fault_operations, get_behavior, get_faults, put_behavior, put_faults,
};
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
        .route("/faults/operations", get(fault_operations))
        .route("/stats", get(stats))
        .route("/users", get(users))
        .route(
            "/users/{cert_id}/certificate",
            get(revocations::certificate),
        )
        .route("/users/{cert_id}/revoke", post(revocations::revoke))
        .route("/identifications", get(identifications))
        .route("/identifications/{action}", post(ident_act_all))
        .route("/identifications/{id}/otp", get(ident_otp))
        .route("/identifications/{id}/{action}", post(ident_act))
        .merge(ars::routes())
        .with_state(app)
}

type S = State<Arc<App>>;

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

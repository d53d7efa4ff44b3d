//! What tests set: the simulated user's behaviour, sandbox time, and fault injection rules.
//! Every input is checked and a refusal names the field (`rules[0].rate: must be between 0
//! and 1`).

use super::input::{bad, json_body};
use super::S;
use crate::config::{Behavior, FaultConfig};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// Farthest the clock may be moved in one call (100 years): more is a typo, and the offset
/// must stay far from overflow.
const MAX_ADVANCE_MS: u64 = 100 * 365 * 86_400_000;

pub(super) async fn get_behavior(State(app): S) -> Json<Value> {
    Json(json!(app
        .behavior
        .lock()
        .map(|b| b.clone())
        .unwrap_or_default()))
}

pub(super) async fn put_behavior(State(app): S, body: Bytes) -> Response {
    let b: Behavior = match json_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(e) = b.check() {
        return e.into();
    }
    if let Ok(mut cur) = app.behavior.lock() {
        *cur = b.clone();
    }
    app.tick();
    Json(json!(b)).into_response()
}

pub(super) async fn clock(State(app): S) -> Json<Value> {
    Json(json!({"nowMs": app.clock.now_ms(), "offsetMs": app.clock.offset_ms()}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    ms: u64,
}

pub(super) async fn advance(State(app): S, body: Bytes) -> Response {
    let a: Advance = match json_body(&body) {
        Ok(a) => a,
        Err(r) => return r,
    };
    if a.ms > MAX_ADVANCE_MS {
        return bad("ms", &format!("at most {MAX_ADVANCE_MS} (100 years)"));
    }
    app.clock.advance(a.ms);
    app.tick();
    Json(json!({"nowMs": app.clock.now_ms(), "offsetMs": app.clock.offset_ms()})).into_response()
}

pub(super) async fn get_faults(State(app): S) -> Json<Value> {
    Json(json!(app.faults.get()))
}

/// The operation names a fault rule may name.
pub(super) async fn fault_operations() -> Json<Value> {
    Json(json!(cqes_core::btrust::registry::OPERATIONS))
}

pub(super) async fn put_faults(State(app): S, body: Bytes) -> Response {
    let f: FaultConfig = match json_body(&body) {
        Ok(f) => f,
        Err(r) => return r,
    };
    if let Err(e) = f.check() {
        return e.into();
    }
    app.faults.set(f.clone());
    Json(json!(f)).into_response()
}

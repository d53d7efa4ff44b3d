//! What tests set: the simulated user's behaviour, sandbox time, and fault injection rules.

use super::S;
use crate::config::{Behavior, FaultConfig};
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

pub(super) async fn get_behavior(State(app): S) -> Json<Value> {
    Json(json!(app
        .behavior
        .lock()
        .map(|b| b.clone())
        .unwrap_or_default()))
}

pub(super) async fn put_behavior(State(app): S, Json(b): Json<Behavior>) -> Json<Value> {
    if let Ok(mut cur) = app.behavior.lock() {
        *cur = b.clone();
    }
    app.tick();
    Json(json!(b))
}

pub(super) async fn clock(State(app): S) -> Json<Value> {
    Json(json!({"nowMs": app.clock.now_ms(), "offsetMs": app.clock.offset_ms()}))
}

#[derive(Deserialize)]
pub(super) struct Advance {
    ms: u64,
}

pub(super) async fn advance(State(app): S, Json(a): Json<Advance>) -> Json<Value> {
    app.clock.advance(a.ms);
    app.tick();
    Json(json!({"nowMs": app.clock.now_ms(), "offsetMs": app.clock.offset_ms()}))
}

pub(super) async fn get_faults(State(app): S) -> Json<Value> {
    Json(json!(app.faults.get()))
}

pub(super) async fn put_faults(State(app): S, Json(f): Json<FaultConfig>) -> Json<Value> {
    app.faults.set(f.clone());
    Json(json!(f))
}

//! The Remote Identification API: B-Trust Mobile identification, web identification with
//! its registration module (whose answers are not enveloped), and one-time-certificate sign
//! sessions. Inputs are read and validated with cqes-core's models.
//!
//! This module holds the routes and what the handlers share; the handlers live in `mobile`
//! (B-Trust Mobile identification), `web` (web identification and its registration module),
//! `results` (the results of web identifications and sign sessions) and `otc` (one-time-
//! certificate sign sessions).

mod mobile;
mod otc;
mod results;
mod web;

use super::Conn;
use crate::app::App;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Extension, Router};
use mobile::{access_settings, identification, identification_result};
use otc::{create_sign_session, generate_otp, sign_session_start, validate_otp};
use results::{result_with_flag, result_without_flag};
use std::sync::Arc;
use web::{create_registration, registration_status, web_start, web_start_without_otc, web_status};

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

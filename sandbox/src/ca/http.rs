//! Where the CA publishes, on the pages port (plain HTTP, as CRL and OCSP are served in
//! practice; both are signed, so transport security adds nothing):
//!
//! - `GET /ca/crl`: the current CRL (`application/pkix-crl`, DER);
//! - `POST /ca/ocsp` with a DER OCSPRequest, or `GET /ca/ocsp/{base64 request}` (RFC 6960
//!   appendix A.1): the OCSPResponse (`application/ocsp-response`);
//! - `GET /ca/ca.crt`: the CA certificate (`application/pkix-cert`, DER).

use crate::app::App;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

/// Where every CA publication point lives (exempt from the pages' `Host` check: see
/// `crate::http`).
pub const PREFIX: &str = "/ca/";
/// Path of the CRL.
pub const CRL_PATH: &str = "/ca/crl";
/// Path of the OCSP responder.
pub const OCSP_PATH: &str = "/ca/ocsp";
/// Path of the CA certificate.
pub const CA_CERT_PATH: &str = "/ca/ca.crt";

/// The CA's routes, merged into the pages router.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(CRL_PATH, get(crl))
        .route(CA_CERT_PATH, get(ca_cert))
        .route(OCSP_PATH, axum::routing::post(ocsp_post))
        .route("/ca/ocsp/{request}", get(ocsp_get))
}

fn der(content_type: &'static str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn crl(State(app): State<Arc<App>>) -> Response {
    match app.seal.authority.crl_der(app.clock.now_ms()) {
        Ok(body) => der("application/pkix-crl", body),
        Err(e) => (axum::http::StatusCode::INTERNAL_SERVER_ERROR, e).into_response(),
    }
}

async fn ca_cert(State(app): State<Arc<App>>) -> Response {
    der(
        "application/pkix-cert",
        app.seal.authority.ca_cert_der.clone(),
    )
}

async fn ocsp_post(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let answer = app.seal.authority.ocsp_response(&body, app.clock.now_ms());
    der("application/ocsp-response", answer)
}

async fn ocsp_get(State(app): State<Arc<App>>, Path(request): Path<String>) -> Response {
    // The path segment is base64 (standard alphabet), URL-decoded by the router already.
    let body = base64_simd::STANDARD
        .decode_to_vec(request.as_bytes())
        .unwrap_or_default();
    let answer = app.seal.authority.ocsp_response(&body, app.clock.now_ms());
    der("application/ocsp-response", answer)
}

//! Test customers' certificates and their revocation:
//!
//! | method | path | effect |
//! |---|---|---|
//! | GET | `/users/{certId}/certificate` | the customer's signing certificate (PEM) |
//! | POST | `/users/{certId}/revoke` | revokes it now (sandbox time): the CA's CRL and OCSP responder on the pages port report it revoked from then on |

use super::S;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

fn unknown(cert_id: &str) -> Response {
    let body = json!({"error": format!("no test customer has certId {cert_id:?}")});
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

pub(super) async fn certificate(State(app): S, Path(cert_id): Path<String>) -> Response {
    let Some(user) = app.users.iter().find(|u| u.config.cert_id == cert_id) else {
        return unknown(&cert_id);
    };
    let b64 = base64_simd::STANDARD.encode_to_string(&user.signer.cert_der);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    ([(header::CONTENT_TYPE, "application/x-pem-file")], pem).into_response()
}

pub(super) async fn revoke(State(app): S, Path(cert_id): Path<String>) -> Response {
    let Some(user) = app.users.iter().find(|u| u.config.cert_id == cert_id) else {
        return unknown(&cert_id);
    };
    let now = app.clock.now_ms();
    match user.signer.authority.revoke(&user.signer.cert_der, now) {
        Ok(true) => Json(json!({"certId": cert_id, "revokedAtMs": now})).into_response(),
        Ok(false) => {
            let body = json!({"error": "this certificate was not issued by the sandbox CA"});
            (StatusCode::CONFLICT, Json(body)).into_response()
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": e}))).into_response(),
    }
}

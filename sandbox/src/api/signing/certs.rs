//! Certificates (by profile id and by identity) and the client calls: a client token for a
//! profile id and its code, and check client.

use super::{read, signer, C, S};
use crate::users;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use cqes_core::btrust::certificates::AuthInfo;
use cqes_core::btrust::SignerIdentity;
use serde_json::json;

pub(super) async fn cert(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(profile_id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getCert");
    let user = app
        .users
        .iter()
        .find(|u| u.config.profile_id == profile_id && u.config.has_cqes);
    let response = match user {
        Some(u) => ctx.ok(
            200,
            "OK",
            json!({"encodedCert": base64_simd::STANDARD.encode_to_string(&u.signer.cert_der)}),
        ),
        None => ctx.fail(404, "NOT_FOUND", "NOT_FOUND", None),
    };
    ctx.finish(response).await
}

pub(super) async fn cert_by_identity(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path((kind, value)): Path<(String, String)>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getCertByIdentity");
    let response = if !["EGN", "LNC", "PHONE", "EMAIL"].contains(&kind.as_str()) {
        ctx.fail(
            400,
            "BAD_REQUEST",
            "BAD_REQUEST",
            Some("identificatorType is EGN, LNC, PHONE or EMAIL.".into()),
        )
    } else {
        match users::find_by(&app.users, &kind, &value).map(|i| &app.users[i]) {
            Some(u) => ctx.ok(
                200,
                "OK",
                json!({
                    "certReqId": u.config.cert_id.parse::<i64>().ok(),
                    "devices": u.config.devices,
                    "encodedCert": base64_simd::STANDARD.encode_to_string(&u.signer.cert_der),
                }),
            ),
            None => ctx.fail(404, "NOT_FOUND", "NOT_FOUND", None),
        }
    };
    ctx.finish(response).await
}

pub(super) async fn auth(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.clientAuth");
    let result = (|| {
        let info: AuthInfo = read(&ctx, &body)?;
        let identity = SignerIdentity::ProfileId {
            id: info.profile_id,
            otp: info.otp,
        };
        let user = users::find(&app.users, &identity, |_| None).map_err(|_| {
            ctx.fail(
                400,
                "BAD_REQUEST",
                "BAD_REQUEST",
                Some("Expired authorization code or wrong profile id.".into()),
            )
        })?;
        let mut state = app
            .state
            .lock()
            .map_err(|_| ctx.fail(500, "ERROR", "ERROR", None))?;
        // The shape of the reference's sample (`TPC` + 32 hex digits), random digits.
        let token = format!("TPC{}", app.ids.hex(16).to_ascii_uppercase());
        state.tokens.insert(token.clone(), user);
        Ok(ctx.ok(200, "OK", json!({"clientToken": token})))
    })();
    ctx.finish(result.unwrap_or_else(|r: Response| r)).await
}

/// Inferred shape (no public schema): the customer is designated by
/// `rpToClientAuthorization`; 200 with `{hasActiveCqes, certId}` or 404.
pub(super) async fn check_client(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.checkClient");
    let response = match signer(&ctx, &headers) {
        Ok(u) => ctx.ok(
            200,
            "OK",
            json!({"hasActiveCqes": true, "certId": app.users[u].config.cert_id}),
        ),
        Err(r) => r,
    };
    ctx.finish(response).await
}

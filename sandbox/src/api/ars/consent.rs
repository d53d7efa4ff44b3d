//! `POST /v2/arsign/consent` and `GET /v2/arsign/consent/{callbackId}`.

use super::{C, S};
use crate::ars::{ConsentRecord, ConsentState};
use crate::users::{self, Lookup};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use cqes_core::btrust::ars::ConsentRequest;
use cqes_core::btrust::SignerIdentity;
use cqes_core::validate::Validate;
use serde_json::json;

pub(super) async fn request(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.sendConsentRequest");
    crate::ars::tick(&app);
    let req: ConsentRequest = match crate::api::signing::read(&ctx, &body) {
        Ok(r) => r,
        Err(r) => return ctx.finish(r).await,
    };
    let identity = headers
        .get("rptoclientauthorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| SignerIdentity::from_header_value(v).ok())
        .filter(|id| id.check().is_ok());
    let Some(identity) = identity else {
        let r = ctx.fail(400, "CLIENT_ID_VALUE_REQUIRED", "BAD_REQUEST", None);
        return ctx.finish(r).await;
    };
    let user = match users::find(&app.users, &identity, |_| None) {
        Ok(u) => u,
        Err(Lookup::NotFound | Lookup::WrongOtp) => {
            let r = ctx.fail(404, "ACTIVE_CERTIFICATE_NOT_FOUND", "NOT_FOUND", None);
            return ctx.finish(r).await;
        }
    };
    let now = app.clock.now_ms();
    let id = app.ids.uuid();
    let validity = now + app.config.validity_ms;
    let response = match app.ars.lock() {
        Ok(mut ars) => {
            let org = req.organisation.org_identifier.clone();
            let active = ars.consents.values().any(|c| {
                c.rp_id == ctx.rp.config.id
                    && c.org_identifier == org
                    && c.user == user
                    && c.state == ConsentState::InProgress
            });
            if active {
                ctx.fail(400, "RP_BASED_CONSENT_ALREADY_EXISTS", "BAD_REQUEST", None)
            } else {
                ars.consents.insert(
                    id.clone(),
                    ConsentRecord {
                        rp_id: ctx.rp.config.id.clone(),
                        user,
                        org_identifier: org,
                        days: req.expiration_time,
                        created_ms: now,
                        validity_ms: validity,
                        state: ConsentState::InProgress,
                        token: None,
                        document: None,
                    },
                );
                ctx.accepted(&id, validity)
            }
        }
        Err(_) => ctx.fail(500, "ERROR", "ERROR", None),
    };
    ctx.finish(response).await
}

pub(super) async fn status(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(callback_id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getConsent");
    crate::ars::tick(&app);
    let found = app.ars.lock().ok().and_then(|ars| {
        let c = ars
            .consents
            .get(&callback_id)
            .filter(|c| c.rp_id == ctx.rp.config.id)?;
        let expires = c
            .token
            .as_ref()
            .and_then(|t| ars.tokens.get(t))
            .map(|t| t.expires_ms);
        Some((c.state, c.token.clone(), c.document.clone(), expires))
    });
    let response = match found {
        None => ctx.fail(404, "NOT_FOUND", "NOT_FOUND", None),
        Some((ConsentState::InProgress, ..)) => ctx.ok(206, "IN_PROGRESS", serde_json::Value::Null),
        Some((ConsentState::Rejected, ..)) => ctx.ok(200, "REJECTED", serde_json::Value::Null),
        Some((ConsentState::Expired, ..)) => ctx.ok(200, "EXPIRED", serde_json::Value::Null),
        Some((ConsentState::Completed, token, doc, expires)) => ctx.ok(
            200,
            "COMPLETED",
            json!({
                "accessToken": token,
                "consent": doc.map(|d| base64_simd::STANDARD.encode_to_string(d)),
                "expirationDate": expires.map(crate::clock::iso),
            }),
        ),
    };
    ctx.finish(response).await
}

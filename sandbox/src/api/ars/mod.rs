//! The ARS (reference §7) and OIDC (§8) surface: consent, token validation, sync and batch
//! signing, and OIDC signing. Bodies are read with cqes-core's own models and rules (as the
//! Signing API's are); the lifecycle is in [`crate::ars`].

mod consent;
mod oidc;
pub use oidc::pages;
mod sign;

use super::{Conn, Ctx};
use crate::app::App;
use crate::ars::TokenState;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;
use std::sync::Arc;

/// Routes below `/signing-api`.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v2/arsign/consent", post(consent::request))
        .route("/v2/arsign/consent/{callback_id}", get(consent::status))
        .route("/v2/arsign/validate/token", get(sign::validate))
        .route("/v2/arsign/sync", post(sign::sync))
        .route("/v2/arsign/batch/async/sign", post(sign::batch))
        .route(
            "/v2/arsign/batch/async/{callback_id}",
            get(sign::batch_status),
        )
        .route("/v2/oidc/sign", post(oidc::sign))
        .route("/v2/oidc/sign/result/{callback_id}", get(oidc::result))
        .route(
            "/v2/oidc/sign/result/user-data/{callback_id}",
            get(oidc::user_data),
        )
}

type S = axum::extract::State<Arc<App>>;
type C = axum::Extension<Conn>;

/// A token that works: its signer and whether a request limit is reached.
struct Usable {
    user: usize,
}

/// Checks `X-ACCESS-TOKEN` for signing: unknown → 404 `AR_SIGN_TOKEN_NOT_FOUND`; expired →
/// 400 `AR_SIGN_TOKEN_VALIDATION_FAILED`; invalidated → 400 with the reason's code; over the
/// request limit → 429 `REQUEST EXCEED LIMIT`. `count` counts the request against the limit.
fn token(ctx: &Ctx, headers: &HeaderMap, count: bool) -> Result<Usable, Response> {
    let value = headers
        .get("x-access-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let now = ctx.app.clock.now_ms();
    let mut ars = ctx
        .app
        .ars
        .lock()
        .map_err(|_| ctx.fail(500, "ERROR", "ERROR", None))?;
    let limit = ars.limits.max_requests_per_token;
    let Some(t) = ars
        .tokens
        .get_mut(value)
        .filter(|t| t.rp_id == ctx.rp.config.id)
    else {
        return Err(ctx.fail(404, "AR_SIGN_TOKEN_NOT_FOUND", "NOT_FOUND", None));
    };
    let code = match t.state {
        TokenState::Active if now >= t.expires_ms => Some("AR_SIGN_TOKEN_VALIDATION_FAILED"),
        TokenState::Active => None,
        TokenState::ConsentRevoke => Some("CONSENT_REVOKE"),
        TokenState::DetachedDevice => Some("DETACHED_DEVICE"),
        TokenState::ChangedPin => Some("CHANGED_PIN"),
    };
    if let Some(code) = code {
        return Err(ctx.fail(400, code, code, None));
    }
    if count {
        if let Some(max) = limit.filter(|m| t.requests >= *m) {
            let body = json!({"responseCode": "REQUEST EXCEED LIMIT", "code": "REQUEST EXCEED LIMIT",
                "message": format!("At most {max} requests per access token."), "data": {"limit": max}});
            return Err(super::json_response(429, &body));
        }
        t.requests += 1;
    }
    Ok(Usable { user: t.user })
}

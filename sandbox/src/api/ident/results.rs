//! The results of web identifications (eID certificate, client identificator, sign session)
//! and of one-time-certificate sign sessions (the signed documents).

use super::{b64, C, S};
use crate::api::Conn;
use crate::app::App;
use crate::ident::Outcome;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use serde_json::json;
use std::sync::Arc;

pub(super) async fn result_with_flag(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path((result_id, process_state, session_id, only)): Path<(String, String, String, String)>,
) -> Response {
    let only = match only.as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    };
    result(
        app,
        conn,
        headers,
        result_id,
        process_state,
        session_id,
        only.or(Some(false)),
        only.is_none(),
    )
    .await
}

pub(super) async fn result_without_flag(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path((result_id, process_state, session_id)): Path<(String, String, String)>,
) -> Response {
    result(
        app,
        conn,
        headers,
        result_id,
        process_state,
        session_id,
        None,
        false,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn result(
    app: Arc<App>,
    conn: Conn,
    headers: HeaderMap,
    result_id: String,
    process_state: String,
    session_id: String,
    only_metadata: Option<bool>,
    bad_flag: bool,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getWebIdentificationResults");
    let response = (|| {
        if bad_flag {
            return Err(ctx.fail(
                400,
                "BAD_REQUEST",
                "BAD_REQUEST",
                Some("onlyMetadata is true or false.".into()),
            ));
        }
        let id = result_id.parse::<u64>().map_err(|_| {
            ctx.fail(
                404,
                "NOT_FOUND_WEB_IDENTIFICATION_RESULT",
                "NOT_FOUND",
                None,
            )
        })?;
        let ident = ctx.ident()?;
        let rp = &ctx.rp.config.id;
        let not_found = || {
            ctx.fail(
                404,
                "NOT_FOUND_WEB_IDENTIFICATION_RESULT",
                "NOT_FOUND",
                None,
            )
        };
        if let Some(w) = ident.web.get(&id).filter(|w| &w.rp_id == rp) {
            let expected_state = if w.without_otc {
                "PROCESS_IS_FINISHED"
            } else {
                "CREATE_SIGN_SESSION_REQUEST"
            };
            if process_state != expected_state || session_id != w.web_session_id {
                return Err(ctx.fail(
                    400,
                    "IDENTIFICATION_REQUEST_FOR_WEB_SESSION_ID_IS_NOT_VALID",
                    "BAD_REQUEST",
                    None,
                ));
            }
            if w.outcome != Outcome::Done {
                return Err(not_found());
            }
            // The guide says metadata only omits the eID certificate (its example disagrees).
            let eid = if only_metadata == Some(true) {
                None
            } else {
                w.eid_pdf.as_deref().map(b64)
            };
            return Ok(ctx.ok(200, "OK", json!({
                "eIDDocAsBase64": eid,
                "clientIdentificator": w.identificator,
                "signSessionId": w.sign_session_id,
                "signSessionIdExpireDate": w.sign_session_id.as_ref().map(|_| crate::clock::iso(w.sign_session_expire_ms)),
            })));
        }
        if let Some(s) = ident.signs.get(&id).filter(|s| &s.rp_id == rp) {
            if process_state != "SIGN_SESSION" || session_id != s.sign_session_id {
                return Err(ctx.fail(
                    400,
                    "IDENTIFICATION_REQUEST_FOR_SIGN_SESSION_ID_IS_NOT_VALID",
                    "BAD_REQUEST",
                    None,
                ));
            }
            if s.outcome != Outcome::Done {
                return Err(not_found());
            }
            let expire = ident
                .web
                .get(&s.web_result_id)
                .map(|w| w.sign_session_expire_ms)
                .unwrap_or(s.expire_ms);
            return Ok(ctx.ok(200, "OK", json!({
                "signDocuments": s.signed.iter().map(|(name, bytes)| json!({"filename": name, "contentAsBase64": b64(bytes)})).collect::<Vec<_>>(),
                "clientIdentificator": s.identificator,
                "signSessionId": s.sign_session_id,
                "signSessionIdExpireDate": crate::clock::iso(expire),
            })));
        }
        Err(not_found())
    })();
    ctx.finish(response.unwrap_or_else(|r| r)).await
}

//! Token validation, sync signing and batches.

use super::{token, C, S};
use crate::ars::{sign_now, signatures, BatchItem, BatchRecord, TokenState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use cqes_core::btrust::ars::{ArsSignRequest, BatchSignRequest};
use serde_json::json;

/// `GET /v2/arsign/validate/token`: `OK`, 400 `AR_SIGN_TOKEN_VALIDATION_FAILED` for a token
/// that no longer works (whatever the reason), 404 `AR_SIGN_TOKEN_NOT_FOUND`.
pub(super) async fn validate(State(app): S, Extension(conn): C, headers: HeaderMap) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.validateAccessToken");
    let response = match token(&ctx, &headers, false) {
        Ok(_) => ctx.ok(200, "OK", serde_json::Value::Null),
        Err(r) if r.status() == 404 => r,
        Err(_) => ctx.fail(
            400,
            "AR_SIGN_TOKEN_VALIDATION_FAILED",
            "AR_SIGN_TOKEN_VALIDATION_FAILED",
            None,
        ),
    };
    ctx.finish(response).await
}

/// `POST /v2/arsign/sync`: signs at once. With `timeoutNextSync` set, signs and answers
/// `REQUEST_TIMEOUT` with the sign request's id (checkable by `GET /v2/sign/{callbackId}`).
pub(super) async fn sync(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.sendSyncSignRequest");
    let usable = match token(&ctx, &headers, true) {
        Ok(u) => u,
        Err(r) => return ctx.finish(r).await,
    };
    let req: ArsSignRequest = match crate::api::signing::read(&ctx, &body) {
        Ok(r) => r,
        Err(r) => return ctx.finish(r).await,
    };
    let n = req.contents.len() as u64;
    let Some(id) = sign_now(&app, &ctx.rp.config.id, usable.user, req.contents) else {
        {
            let r = ctx.fail(500, "ERROR", "ERROR", None);
            return ctx.finish(r).await;
        };
    };
    let timeout = app.ars.lock().is_ok_and(|mut a| {
        a.documents_signed += n;
        a.sync_requests += 1;
        let t = a.limits.timeout_next_sync > 0;
        if t {
            a.limits.timeout_next_sync -= 1;
        }
        t
    });
    let response = if timeout {
        ctx.ok(504, "REQUEST_TIMEOUT", json!({"callbackId": id}))
    } else {
        ctx.ok(200, "OK", json!({"signatures": signatures(&app, &id)}))
    };
    ctx.finish(response).await
}

/// `POST /v2/arsign/batch/async/sign`: refuses batches over `maxBatchSize`; else stores the
/// batch, signed a few items per status poll.
pub(super) async fn batch(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.sendAsyncSignInBatchRequest");
    let req: BatchSignRequest = match crate::api::signing::read(&ctx, &body) {
        Ok(r) => r,
        Err(r) => return ctx.finish(r).await,
    };
    let max = app.ars.lock().map(|a| a.limits.max_batch_size).unwrap_or(0);
    if req.contents.len() > max as usize {
        let body = json!({"responseCode": "BATCH_SIZE_EXCEED", "code": "BAD_REQUEST",
            "message": format!("A batch holds at most {max} documents."), "data": {"limit": max}});
        return ctx.finish(crate::api::json_response(400, &body)).await;
    }
    if let Err(r) = token(&ctx, &headers, true) {
        return ctx.finish(r).await;
    }
    let now = app.clock.now_ms();
    let id = app.ids.uuid();
    let value = headers
        .get("x-access-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if let Ok(mut a) = app.ars.lock() {
        a.batches.insert(
            id.clone(),
            BatchRecord {
                rp_id: ctx.rp.config.id.clone(),
                token: value,
                items: req.contents.into_iter().map(BatchItem::Pending).collect(),
            },
        );
    }
    let response = ctx.accepted(&id, now + app.config.validity_ms);
    ctx.finish(response).await
}

/// `GET /v2/arsign/batch/async/{callbackId}`: signs the next few items while the token works
/// (206 while any remain); once the token stops working, the rest read `REVOKED`; 200 with
/// every item's signature at the end. An unknown batch is 404 `BATCH_NOT_FOUND`.
pub(super) async fn batch_status(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(callback_id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(
        app,
        conn,
        headers,
        "btrust.getSignedBatchOrCheckSigningStatus"
    );
    let now = app.clock.now_ms();
    // Take the next items to sign out of the batch (signing happens without the ARS lock).
    let next = app.ars.lock().ok().and_then(|mut a| {
        let per_poll = a.limits.batch_items_per_poll.max(1) as usize;
        let usable = {
            let b = a
                .batches
                .get(&callback_id)
                .filter(|b| b.rp_id == ctx.rp.config.id)?;
            let t = a.tokens.get(&b.token);
            t.map(|t| (t.user, t.state == TokenState::Active && now < t.expires_ms))
        };
        let b = a.batches.get_mut(&callback_id)?;
        let mut take = Vec::new();
        for (i, item) in b.items.iter_mut().enumerate() {
            if !matches!(item, BatchItem::Pending(_)) {
                continue;
            }
            match usable {
                Some((_, true)) if take.len() < per_poll => {
                    if let BatchItem::Pending(c) = std::mem::replace(item, BatchItem::Revoked) {
                        take.push((i, c));
                    }
                }
                Some((_, true)) => {}
                _ => *item = BatchItem::Revoked,
            }
        }
        Some((usable.map(|u| u.0), take))
    });
    let Some((user, take)) = next else {
        let r = ctx.fail(404, "BATCH_NOT_FOUND", "NOT_FOUND", None);
        return ctx.finish(r).await;
    };
    let mut signed = Vec::new();
    for (i, content) in take {
        if let Some(id) = user.and_then(|u| sign_now(&app, &ctx.rp.config.id, u, vec![content])) {
            signed.push((i, id));
        }
    }
    let view = app.ars.lock().ok().map(|mut a| {
        a.documents_signed += signed.len() as u64;
        let b = a.batches.get_mut(&callback_id);
        let Some(b) = b else {
            return (true, Vec::new());
        };
        for (i, id) in signed {
            b.items[i] = BatchItem::Signed(id);
        }
        let pending = b.items.iter().any(|i| matches!(i, BatchItem::Pending(_)));
        let ids: Vec<Option<String>> = b
            .items
            .iter()
            .map(|i| match i {
                BatchItem::Signed(id) => Some(id.clone()),
                _ => None,
            })
            .collect();
        (pending, ids)
    });
    let response = match view {
        Some((true, _)) => ctx.ok(206, "IN_PROGRESS", serde_json::Value::Null),
        Some((false, ids)) => {
            let sigs: Vec<serde_json::Value> = ids
                .iter()
                .map(|id| match id {
                    Some(id) => signatures(&app, id)
                        .into_iter()
                        .next()
                        .unwrap_or_else(|| json!({"status": "ERROR"})),
                    None => json!({"signature": null, "signatureId": null, "status": "REVOKED"}),
                })
                .collect();
            ctx.ok(200, "OK", json!({"signatures": sigs}))
        }
        None => ctx.fail(500, "ERROR", "ERROR", None),
    };
    ctx.finish(response).await
}

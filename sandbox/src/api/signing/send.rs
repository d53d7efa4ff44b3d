//! New sign requests: by identity, by CMR id and via QR, stored with their items; a reused
//! `relyingPartyCallbackId` is refused.

use super::{read, signer, C, S};
use crate::api::Ctx;
use crate::state::{default_signature_type, item_bytes, ItemRecord, SignKind, SignRecord};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use cqes_core::btrust::signing::{SignRequest, SignRequestViaQr};
use cqes_core::btrust::{Content, SignatureStatus};
use serde_json::json;

/// Refuses, before anything is stored, a PAdES item the sandbox could not sign: not a PDF
/// with a readable cross-reference section, an encrypted PDF, a visible signature on a page
/// the document does not have. The 400 names the item and the document.
fn refuse_unsignable(ctx: &Ctx, contents: &[Content]) -> Result<(), Response> {
    for (i, content) in contents.iter().enumerate() {
        let bytes = item_bytes(content);
        let pades = match &content.signature_type {
            Some(t) => t.is_pades(),
            None => default_signature_type(&bytes).is_pades(),
        };
        if !pades {
            continue;
        }
        let page = crate::docgen::visual_of(content).map(|v| v.page);
        if let Err(e) = crate::docgen::check_pdf(&bytes, page) {
            let name = content.file_name.as_deref().unwrap_or("(no fileName)");
            let detail = format!("contents[{i}] {name:?} cannot be signed as PAdES: {e}.");
            return Err(ctx.fail(400, "BAD_REQUEST", "BAD_REQUEST", Some(detail)));
        }
    }
    Ok(())
}

/// Stores a new sign request; refuses a reused rpCallbackId.
fn create(
    ctx: &Ctx,
    kind: SignKind,
    user: Option<usize>,
    contents: Vec<Content>,
    rp_callback_id: Option<String>,
    callback_url: Option<String>,
) -> Result<(String, u64), Response> {
    refuse_unsignable(ctx, &contents)?;
    let app = &ctx.app;
    let now = app.clock.now_ms();
    let mut state = app
        .state
        .lock()
        .map_err(|_| ctx.fail(500, "ERROR", "ERROR", None))?;
    if let Some(id) = &rp_callback_id {
        if state
            .by_rp_callback
            .contains_key(&(ctx.rp.config.id.clone(), id.clone()))
        {
            drop(state);
            app.count(|s| s.duplicates_refused += 1);
            return Err(ctx.fail(400, "RP_CALLBACK_ID_DUPLICATE", "BAD_REQUEST", None));
        }
    }
    let callback_id = loop {
        let id = app.ids.uuid();
        if !state.requests.contains_key(&id) {
            break id;
        }
    };
    let items = contents
        .into_iter()
        .map(|content| {
            let signature_type = content
                .signature_type
                .clone()
                .unwrap_or_else(|| default_signature_type(&item_bytes(&content)));
            ItemRecord {
                content,
                status: SignatureStatus::InProgress,
                signature: None,
                signature_type,
            }
        })
        .collect();
    let validity = now + app.config.validity_ms;
    if let Some(id) = &rp_callback_id {
        state
            .by_rp_callback
            .insert((ctx.rp.config.id.clone(), id.clone()), callback_id.clone());
    }
    state.requests.insert(
        callback_id.clone(),
        SignRecord {
            callback_id: callback_id.clone(),
            rp_id: ctx.rp.config.id.clone(),
            rp_callback_id,
            kind,
            user,
            items,
            created_ms: now,
            validity_ms: validity,
            callback_url,
            completed: false,
        },
    );
    drop(state);
    app.count(|s| s.sign_requests_created += 1);
    Ok((callback_id, validity))
}

pub(super) async fn send_sign(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.sendSignRequest");
    let result = (|| {
        let request: SignRequest = read(&ctx, &body)?;
        let user = signer(&ctx, &headers)?;
        let (id, validity) = create(
            &ctx,
            SignKind::Sign,
            Some(user),
            request.contents,
            request.relying_party_callback_id,
            request.callback_url,
        )?;
        Ok(ctx.accepted(&id, validity))
    })();
    ctx.finish(result.unwrap_or_else(|r| r)).await
}

pub(super) async fn send_by_cmr_id(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.sendSignRequestByCmrId");
    let result = (|| {
        let request: SignRequest = read(&ctx, &body)?;
        // Inferred: "CMR id" semantics are undocumented; the first customer picks it up.
        let (id, validity) = create(
            &ctx,
            SignKind::CmrId,
            None,
            request.contents,
            request.relying_party_callback_id,
            request.callback_url,
        )?;
        Ok(ctx.accepted(&id, validity))
    })();
    ctx.finish(result.unwrap_or_else(|r| r)).await
}

pub(super) async fn send_via_qr(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.sendSignRequestViaQr");
    let result = (|| {
        let q: SignRequestViaQr = read(&ctx, &body)?;
        let r = q.request;
        let (id, validity) = create(
            &ctx,
            SignKind::Qr,
            None,
            vec![r.content],
            r.relying_party_callback_id,
            r.callback_url,
        )?;
        let link = format!("{}/qr/{id}", ctx.app.base_url);
        let image = match (q.qr_width, q.qr_height) {
            (Some(w), Some(h)) => crate::qr::png(&link, w as u32, h as u32)
                .map(|p| base64_simd::STANDARD.encode_to_string(p)),
            _ => None,
        };
        Ok(ctx.ok(202, "ACCEPTED", json!({"callbackId": id, "qrImage": image, "qrPlain": link, "validity": crate::clock::iso(validity)})))
    })();
    ctx.finish(result.unwrap_or_else(|r| r)).await
}

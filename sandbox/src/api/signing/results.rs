//! What comes back: polls (by callbackId and by rpCallbackId), signed-file downloads and
//! evidence reports, as files with `Content-Disposition`.

use super::{C, S};
use crate::api::{begin, Ctx};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

/// The poll answer: 206 + IN_PROGRESS while pending, 200 + COMPLETED once every item is final.
fn poll_answer(ctx: &Ctx, callback_id: Option<String>) -> Response {
    let state = match ctx.app.state.lock() {
        Ok(s) => s,
        Err(_) => return ctx.fail(500, "ERROR", "ERROR", None),
    };
    let Some(record) = callback_id
        .and_then(|id| state.requests.get(&id))
        .filter(|r| r.rp_id == ctx.rp.config.id)
    else {
        return ctx.fail(404, "NOT_FOUND", "NOT_FOUND", None);
    };
    let signatures: Vec<Value> = record
        .items
        .iter()
        .map(|i| json!({"signature": i.signature, "signatureType": i.signature_type.as_str(), "status": i.status.as_str()}))
        .collect();
    let cert = record
        .has_raw_signature()
        .then(|| record.user.and_then(|u| ctx.app.users.get(u)))
        .flatten()
        .map(|u| base64_simd::STANDARD.encode_to_string(&u.signer.cert_der));
    let data = json!({"signatures": signatures, "cert": cert});
    if record.completed {
        ctx.ok(200, "COMPLETED", data)
    } else {
        ctx.ok(206, "IN_PROGRESS", data)
    }
}

pub(super) async fn poll(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(callback_id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getSignedResult");
    let response = poll_answer(&ctx, Some(callback_id));
    ctx.finish(response).await
}

pub(super) async fn poll_by_rp_id(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(rp_callback_id): Path<String>,
) -> Response {
    let ctx = match begin(
        &app,
        &conn,
        &headers,
        "btrust.getSignedResultByRpCallbackId",
    )
    .await
    {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = app.state.lock().ok().and_then(|s| {
        s.by_rp_callback
            .get(&(ctx.rp.config.id.clone(), rp_callback_id))
            .cloned()
    });
    let response = poll_answer(&ctx, id);
    ctx.finish(response).await
}

/// A file response with `Content-Disposition` (RFC 6266 / 5987).
fn file_response(bytes: Vec<u8>, name: &str, content_type: &'static str) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    cqes_core::http::encode_segment(name, &mut encoded);
    let mut r = Response::new(Body::from(bytes));
    r.headers_mut()
        .insert("content-type", HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    )) {
        r.headers_mut().insert("content-disposition", v);
    }
    r
}

pub(super) async fn download(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getSignedContent");
    let found = id.parse::<i32>().ok().and_then(|id| {
        app.state
            .lock()
            .ok()
            .and_then(|mut s| s.download(&ctx.rp.config.id, id))
    });
    let response = match found {
        Some((bytes, name, ct)) => file_response(bytes, &name, ct),
        None => ctx.fail(404, "NOT_FOUND", "NOT_FOUND", None),
    };
    ctx.finish(response).await
}

pub(super) async fn report(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path((id, report_type)): Path<(String, String)>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getSignedContentReport");
    let archived = id.parse::<i32>().ok().and_then(|n| {
        app.state.lock().ok().and_then(|s| {
            s.contents
                .get(&n)
                .filter(|c| c.rp_id == ctx.rp.config.id && c.archived)
                .map(|c| {
                    (
                        c.file_name.clone(),
                        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&c.bytes)),
                    )
                })
        })
    });
    let response = match (archived, report_type.as_str()) {
        (Some((name, digest)), "SIMPLE" | "DETAILED") => {
            let xml = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{report_type}Report xmlns=\"urn:cqes:sandbox:qsvs\">\n  <Document name=\"{}\" sha256=\"{digest}\"/>\n  <Indication>TOTAL_PASSED</Indication>\n  <Note>Issued by the cqes sandbox; not a qualified validation.</Note>\n</{report_type}Report>\n",
                name.replace(['"', '<', '&'], "_")
            );
            file_response(
                xml.into_bytes(),
                &format!("{id}-{}.xml", report_type.to_ascii_lowercase()),
                "application/xml",
            )
        }
        (Some(_), _) => ctx.fail(
            400,
            "BAD_REQUEST",
            "BAD_REQUEST",
            Some("reportType is SIMPLE or DETAILED.".into()),
        ),
        (None, _) => ctx.fail(404, "NOT_FOUND", "NOT_FOUND", None),
    };
    ctx.finish(response).await
}

//! The Signing API: sign (by identity, via QR, by CMR id), poll (by callbackId and by
//! rpCallbackId), download, evidence report, certificates, client token, check client.
//! Inputs are validated with cqes-core's own models and rules, so the sandbox and the SDK
//! never disagree about what is valid.

use super::{begin, Conn, Ctx};
use crate::app::App;
use crate::state::{default_signature_type, item_bytes, ItemRecord, SignKind, SignRecord};
use crate::users::{self, Lookup};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use cqes_core::btrust::certificates::AuthInfo;
use cqes_core::btrust::signing::{SignRequest, SignRequestViaQr};
use cqes_core::btrust::{registry, Content, SignatureStatus, SignerIdentity};
use cqes_core::validate::{Issue, IssueCode, Validate};
use cqes_core::Error;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::sync::Arc;

/// Routes below `/signing-api`.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v2/sign", post(send_sign))
        .route("/v2/sign/by/cmrid", post(send_by_cmr_id))
        .route("/v2/signviaqr", post(send_via_qr))
        .route("/v2/sign/checkclient", get(check_client))
        .route("/v2/sign/content/{id}", get(download))
        .route("/v2/sign/report/{id}/{report_type}", get(report))
        .route("/v2/sign/{callback_id}", get(poll))
        .route("/v2/rpcallbackid/{rp_callback_id}", get(poll_by_rp_id))
        .route("/v2/cert/identity/{kind}/{value}", get(cert_by_identity))
        .route("/v2/cert/{profile_id}", get(cert))
        .route("/v2/auth", post(auth))
}

type S = State<Arc<App>>;
type C = Extension<Conn>;

/// The service code for the first issue that has one (reference §2.4), else BAD_REQUEST.
fn service_code(issues: &[Issue]) -> &'static str {
    for i in issues {
        let p = i.path.as_str();
        let code = match (&i.code, p) {
            (IssueCode::TooShort, p) if p.ends_with("contents") => "CONTENT_DATA_MISSING",
            (IssueCode::Conflict, p) if p.ends_with("toBeArchived") => "ARCHIVE_SIGNATURE",
            (IssueCode::UnknownValue, p) if p.ends_with("signatureType") => {
                "SIGNATURE_TYPE_NOT_VALID"
            }
            (_, p) if p.contains("signaturePosition") || p.ends_with("padesVisualSignature") => {
                "VISUAL_SIGNATURE_PARAMETERS_VALIDATION_FAILED"
            }
            (IssueCode::TooLarge, _) => "POST_REQUEST_SIZE",
            _ => continue,
        };
        return code;
    }
    "BAD_REQUEST"
}

/// A 400 listing the issues by path and code (values are never echoed).
pub(crate) fn invalid(ctx: &Ctx, error: Error) -> Response {
    let issues = match error {
        Error::Validation { issues } => issues,
        other => vec![Issue {
            path: "$".into(),
            code: IssueCode::InvalidFormat,
            message: other.to_string(),
        }],
    };
    let list: Vec<String> = issues
        .iter()
        .map(|i| format!("{}: {}", i.path, i.code))
        .collect();
    ctx.fail(
        400,
        service_code(&issues),
        "BAD_REQUEST",
        Some(format!("({})", list.join("; "))),
    )
}

/// Reads a JSON body into a cqes-core model and validates it with the core's rules.
pub(crate) fn read<T: DeserializeOwned + Validate>(ctx: &Ctx, body: &[u8]) -> Result<T, Response> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value: T = registry::deserialize_input(&mut de).map_err(|e| invalid(ctx, e))?;
    de.end().map_err(|_| {
        invalid(
            ctx,
            Error::invalid_state("trailing characters after the JSON body"),
        )
    })?;
    value.check().map_err(|e| invalid(ctx, e))?;
    Ok(value)
}

/// The customer designated by `rpToClientAuthorization`.
fn signer(ctx: &Ctx, headers: &HeaderMap) -> Result<usize, Response> {
    let raw = headers
        .get("rptoclientauthorization")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ctx.fail(
                400,
                "CLIENT_ID_VALUE_REQUIRED",
                "BAD_REQUEST",
                Some("rpToClientAuthorization is required.".into()),
            )
        })?;
    let identity = SignerIdentity::from_header_value(raw)
        .and_then(|id| id.check().map(|_| id))
        .map_err(|_| ctx.fail(400, "CLIENT_ID_VALUE_INVALID", "BAD_REQUEST", None))?;
    let state = ctx
        .app
        .state
        .lock()
        .map_err(|_| ctx.fail(500, "ERROR", "ERROR", None))?;
    users::find(&ctx.app.users, &identity, |t| state.tokens.get(t).copied()).map_err(|e| match e {
        Lookup::NotFound => ctx.fail(404, "ACTIVE_CERTIFICATE_NOT_FOUND", "NOT_FOUND", None),
        Lookup::WrongOtp => ctx.fail(
            400,
            "BAD_REQUEST",
            "BAD_REQUEST",
            Some("Invalid authorization code.".into()),
        ),
    })
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
    let callback_id = state.new_callback_id(app.salt);
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

async fn send_sign(State(app): S, Extension(conn): C, headers: HeaderMap, body: Bytes) -> Response {
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

async fn send_by_cmr_id(
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

async fn send_via_qr(
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

async fn poll(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(callback_id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getSignedResult");
    let response = poll_answer(&ctx, Some(callback_id));
    ctx.finish(response).await
}

async fn poll_by_rp_id(
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

async fn download(
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

async fn report(
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

async fn cert(
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

async fn cert_by_identity(
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

async fn auth(State(app): S, Extension(conn): C, headers: HeaderMap, body: Bytes) -> Response {
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
        state.next_token += 1;
        let token = format!(
            "TPC{:016X}{:016X}",
            crate::state::splitmix(app.salt ^ state.next_token),
            crate::state::splitmix(state.next_token)
        );
        state.tokens.insert(token.clone(), user);
        Ok(ctx.ok(200, "OK", json!({"clientToken": token})))
    })();
    ctx.finish(result.unwrap_or_else(|r: Response| r)).await
}

/// Inferred shape (no public schema): the customer is designated by
/// `rpToClientAuthorization`; 200 with `{hasActiveCqes, certId}` or 404.
async fn check_client(State(app): S, Extension(conn): C, headers: HeaderMap) -> Response {
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

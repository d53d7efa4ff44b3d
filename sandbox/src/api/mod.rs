//! The B-Trust HTTP surface: authentication of every call (certificate → relying party,
//! `relyingPartyID`, operation enabled), fault injection around the handlers, the response
//! envelope and structured, redacted request logs.

/// Authenticates the call as `begin` does, or returns its refusal from the handler.
macro_rules! begin_or_return {
    ($app:expr, $conn:expr, $headers:expr, $op:expr) => {
        match $crate::api::begin(&$app, &$conn, &$headers, $op).await {
            Ok(c) => c,
            Err(r) => return r,
        }
    };
}

pub mod ars;
pub mod ident;
pub(crate) mod input;
pub mod signing;

use crate::app::{App, Rp};
use crate::config::FaultKind;
use crate::faults::Fault;
use crate::messages::{message, Lang};
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// What the connection knows about its peer; inserted into every request.
#[derive(Clone, Debug)]
pub struct Conn {
    /// SHA-256 of the client certificate.
    pub fingerprint: Option<String>,
    /// Notified to drop the connection without an answer.
    pub abort: Arc<Notify>,
}

/// One authenticated call.
pub struct Ctx {
    /// Shared state.
    pub app: Arc<App>,
    /// The caller.
    pub rp: Rp,
    /// Message language.
    pub lang: Lang,
    /// The operation's name (as in cqes-core).
    pub op: &'static str,
    fault: Option<Fault>,
    conn: Conn,
    started: Instant,
}

/// An envelope response `{responseCode, code, message, data}`. Absent optional fields inside
/// `data` are left out rather than sent as `null`: the Swagger's schemas cannot say nullable,
/// so a key with `null` is a value the service never documents. `data: null` itself stays
/// (seed 001 shows it on errors).
pub fn envelope(status: u16, response_code: &str, code: &str, lang: Lang, data: Value) -> Response {
    let body = json!({
        "responseCode": response_code,
        "code": code,
        "message": message(response_code, lang),
        "data": without_nulls(data),
    });
    json_response(status, &body)
}

/// `value` with every object member whose value is `null` removed, at any depth.
pub fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// An error envelope; `detail` is appended to the message (never personal data).
pub fn failure(
    status: u16,
    response_code: &str,
    code: &str,
    lang: Lang,
    detail: Option<String>,
) -> Response {
    let mut text = message(response_code, lang).to_owned();
    if let Some(d) = detail {
        text.push(' ');
        text.push_str(&d);
    }
    let body = json!({"responseCode": response_code, "code": code, "message": text, "data": null});
    json_response(status, &body)
}

/// A JSON response.
pub fn json_response(status: u16, body: &Value) -> Response {
    let mut r = Response::new(Body::from(serde_json::to_vec(body).unwrap_or_default()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        "content-type",
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    r
}

/// Drops the connection without an answer; the handler never completes.
async fn drop_connection(conn: &Conn) -> Response {
    conn.abort.notify_one();
    std::future::pending::<()>().await;
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Authenticates a call and applies the faults that strike before any work.
pub async fn begin(
    app: &Arc<App>,
    conn: &Conn,
    headers: &HeaderMap,
    op: &'static str,
) -> Result<Ctx, Response> {
    let lang = Lang::from_header(header(headers, "accept-language"));
    let rp = conn
        .fingerprint
        .as_deref()
        .and_then(|f| app.rp_by_fingerprint(f))
        .cloned();
    let Some(rp) = rp else {
        // The TLS layer already refuses unregistered certificates; this is belt and braces.
        app.count(|s| s.unauthorized += 1);
        return Err(failure(401, "UNAUTHORIZED", "UNAUTHORIZED", lang, None));
    };
    let claimed = header(headers, "relyingpartyid");
    if claimed != Some(rp.config.id.as_str()) {
        app.count(|s| s.unauthorized += 1);
        tracing::info!(target: "cqes_sandbox::request", op, rp = %rp.config.id, status = 401, "relyingPartyID does not belong to the client certificate");
        return Err(failure(
            401,
            "UNAUTHORIZED",
            "UNAUTHORIZED",
            lang,
            Some("relyingPartyID does not match the client certificate.".into()),
        ));
    }
    if !rp.config.allows(op) {
        app.count(|s| s.unauthorized += 1);
        tracing::info!(target: "cqes_sandbox::request", op, rp = %rp.config.id, status = 401, "operation not enabled");
        return Err(failure(
            401,
            "UNAUTHORIZED",
            "UNAUTHORIZED",
            lang,
            Some("The operation is not enabled for this relying party.".into()),
        ));
    }
    app.count(|s| *s.requests.entry(op.to_owned()).or_insert(0) += 1);
    let fault = app.faults.decide(op);
    match fault.map(|f| f.kind) {
        Some(FaultKind::Error) => return Err(failure(500, "ERROR", "ERROR", lang, None)),
        Some(FaultKind::Drop) => return Err(drop_connection(conn).await),
        Some(FaultKind::Redirect) => {
            let mut r = StatusCode::FOUND.into_response();
            r.headers_mut().insert(
                "location",
                HeaderValue::from_static("https://login.example.invalid/"),
            );
            return Err(r);
        }
        Some(FaultKind::Slow) => {
            tokio::time::sleep(Duration::from_millis(fault.map(|f| f.slow_ms).unwrap_or(0))).await
        }
        _ => {}
    }
    app.tick();
    Ok(Ctx {
        app: app.clone(),
        rp,
        lang,
        op,
        fault,
        conn: conn.clone(),
        started: Instant::now(),
    })
}

impl Ctx {
    /// Applies the faults that strike after the work is done, and logs the call.
    pub async fn finish(self, response: Response) -> Response {
        let response = match self.fault.map(|f| f.kind) {
            Some(FaultKind::ErrorAfterCommit) => failure(500, "ERROR", "ERROR", self.lang, None),
            Some(FaultKind::Malformed) => {
                let mut r = Response::new(Body::from("{\"responseCode\":\"OK\",\"da"));
                r.headers_mut()
                    .insert("content-type", HeaderValue::from_static("application/json"));
                r
            }
            Some(FaultKind::Empty) => StatusCode::OK.into_response(),
            Some(FaultKind::CommitThenDrop) => {
                tracing::info!(target: "cqes_sandbox::request", op = self.op, rp = %self.rp.config.id, "fault: committed, dropping the connection");
                return drop_connection(&self.conn).await;
            }
            _ => response,
        };
        tracing::info!(
            target: "cqes_sandbox::request",
            op = self.op,
            rp = %self.rp.config.id,
            status = response.status().as_u16(),
            fault = ?self.fault.map(|f| f.kind),
            ms = self.started.elapsed().as_millis() as u64,
        );
        response
    }

    /// A success envelope in this call's language.
    pub fn ok(&self, status: u16, code: &str, data: Value) -> Response {
        envelope(status, code, code, self.lang, data)
    }

    /// The identification state, or the 500 a poisoned lock deserves.
    pub fn ident(&self) -> Result<std::sync::MutexGuard<'_, crate::ident::IdentState>, Response> {
        self.app
            .ident
            .lock()
            .map_err(|_| self.fail(500, "ERROR", "ERROR", None))
    }

    /// `202 ACCEPTED` with the new request's id and validity (every create operation).
    pub fn accepted(&self, callback_id: &str, validity_ms: u64) -> Response {
        self.ok(
            202,
            "ACCEPTED",
            json!({"callbackId": callback_id, "validity": crate::clock::iso(validity_ms)}),
        )
    }

    /// An error envelope in this call's language.
    pub fn fail(
        &self,
        status: u16,
        response_code: &str,
        code: &str,
        detail: Option<String>,
    ) -> Response {
        failure(status, response_code, code, self.lang, detail)
    }
}

//! What every request meets before and after its handler, on all three listeners (B-Trust
//! over mTLS, control, pages), so a new route inherits it without a line of its own:
//!
//! | step | rule |
//! |---|---|
//! | 1 | `Content-Length` above the limit: 413 at once, `Connection: close`, nothing read |
//! | 2 | the body is read whole (at most the limit; more: 413 and `Connection: close`) *before* routing, so 404, 405 and a body sent to a GET route leave the connection in step |
//! | 3 | control and pages: `Host` must name the listener's own loopback address and `Origin`, when sent, must be that same origin (403 otherwise); the CA's public CRL/OCSP points under `/ca/` are exempt |
//! | 4 | the handler runs |
//! | 5 | a refusal without a JSON or HTML body (axum's 405, a rejection's plain text) gets the service's envelope with a `responseCode` |
//!
//! Why read before routing: hyper does not drain an unread body. It closes the connection after
//! the answer without saying `Connection: close`, and a client still writing its body gets a
//! reset instead of the answer (or an EOF on its next request). The connection loop in
//! [`crate::server`] also lingers after a close: it shuts its side down, then discards what the
//! client still sends for a moment, so the answer is read before the socket goes away.

use crate::api::failure;
use crate::messages::Lang;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use http_body_util::{BodyExt, Limited};
use std::net::SocketAddr;
use std::sync::Arc;

/// The addresses the browser-facing listeners are bound to.
#[derive(Clone, Copy, Debug)]
pub struct LocalAddrs {
    /// The control API.
    pub control: SocketAddr,
    /// The pages (identification, documents, the B-Trust Mobile simulator).
    pub pages: SocketAddr,
}

/// What one listener enforces.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Largest body read, in bytes.
    pub max_body: usize,
    /// The listener's own address: `Host` must name it and `Origin`, when present, must be
    /// `http://` + it. `None` on the mTLS port, where the client certificate authenticates.
    pub local: Option<SocketAddr>,
    /// Language of the envelope: from `Accept-language` (B-Trust) or always English (control).
    pub localized: bool,
}

/// Wraps a router with the steps above.
pub fn guard(router: Router, policy: Policy) -> Router {
    router.layer(axum::middleware::from_fn_with_state(
        Arc::new(policy),
        enforce,
    ))
}

fn lang(policy: &Policy, headers: &HeaderMap) -> Lang {
    if policy.localized {
        Lang::from_header(
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        )
    } else {
        Lang::En
    }
}

/// The envelope this status gets when a handler or the router left it without one.
fn codes(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 | 422 => ("BAD_REQUEST", "BAD_REQUEST"),
        401 => ("UNAUTHORIZED", "UNAUTHORIZED"),
        403 => ("FORBIDDEN", "FORBIDDEN"),
        404 => ("NOT_FOUND", "NOT_FOUND"),
        405 => ("METHOD_NOT_ALLOWED", "METHOD_NOT_ALLOWED"),
        // POST_REQUEST_SIZE is in the service's list of response codes (reference §2.4);
        // that it goes with 413 is inferred.
        413 => ("POST_REQUEST_SIZE", "PAYLOAD_TOO_LARGE"),
        415 => ("UNSUPPORTED_MEDIA_TYPE", "UNSUPPORTED_MEDIA_TYPE"),
        s if s >= 500 => ("ERROR", "ERROR"),
        _ => ("BAD_REQUEST", "BAD_REQUEST"),
    }
}

/// A refusal in the envelope; `close` adds `Connection: close` (the body was not read).
pub fn refusal(status: u16, lang: Lang, detail: Option<String>, close: bool) -> Response {
    let s = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let (response_code, code) = codes(s);
    let mut r = failure(status, response_code, code, lang, detail);
    if close {
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    r
}

fn too_large(policy: &Policy, lang: Lang) -> Response {
    refusal(
        413,
        lang,
        Some(format!(
            "The body is larger than {} bytes.",
            policy.max_body
        )),
        true,
    )
}

/// The host names a loopback listener answers to: its address, and `localhost` with its port.
fn allowed_hosts(addr: SocketAddr) -> Vec<String> {
    let mut hosts = vec![addr.to_string()];
    if addr.ip().is_loopback() {
        hosts.push(format!("localhost:{}", addr.port()));
    }
    hosts
}

/// Why a request may not reach this listener, if it may not: a `Host` that is not the
/// listener's own address (DNS rebinding), or an `Origin` of another site (a page in the
/// developer's browser posting to `/requests/approve-all`). Requests without `Origin` come
/// from programs (curl, tests, the CLI), not from another site's page, and pass.
pub fn origin_problem(local: SocketAddr, headers: &HeaderMap) -> Option<String> {
    let hosts = allowed_hosts(local);
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match host {
        Some(h) if hosts.iter().any(|a| a.eq_ignore_ascii_case(h)) => {}
        Some(_) => {
            return Some(format!(
                "Host is not this listener's address (http://{local}); requests through another name are refused."
            ))
        }
        None => return Some("Host is required.".into()),
    }
    let origin = headers
        .get(header::ORIGIN)
        .map(|v| v.to_str().unwrap_or(""));
    match origin {
        None => None,
        Some(o)
            if hosts
                .iter()
                .any(|h| o.eq_ignore_ascii_case(&format!("http://{h}"))) =>
        {
            None
        }
        Some(_) => Some(format!(
            "Origin is another site; only pages served from http://{local} may send requests here."
        )),
    }
}

async fn enforce(State(policy): State<Arc<Policy>>, req: Request, next: Next) -> Response {
    let lang = lang(&policy, req.headers());
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<u64>());
    match announced {
        Some(Ok(n)) if n > policy.max_body as u64 => return too_large(&policy, lang),
        Some(Err(_)) => {
            return refusal(
                400,
                lang,
                Some("Content-Length is not a number.".into()),
                true,
            )
        }
        _ => {}
    }
    let (parts, body) = req.into_parts();
    let bytes: Bytes = match Limited::new(body, policy.max_body).collect().await {
        Ok(c) => c.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => return too_large(&policy, lang),
        Err(_) => return refusal(400, lang, Some("The body could not be read.".into()), true),
    };
    // The CA's publication points (CRL, OCSP, CA certificate) are public by nature: a
    // validator anywhere fetches them by the URL in a certificate, often with a `Host` that
    // omits the port (OpenSSL's OCSP client), and they change nothing.
    let public = parts.uri.path().starts_with(crate::ca::http::PREFIX);
    if let (Some(local), false) = (policy.local, public) {
        if let Some(why) = origin_problem(local, &parts.headers) {
            // Not the path: the pages' paths carry secret tokens.
            tracing::warn!(target: "cqes_sandbox::http", method = %parts.method, "{why}");
            return refusal(403, lang, Some(why), false);
        }
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if is_bare_refusal(&response) {
        with_envelope(response, lang, !policy.localized).await
    } else {
        response
    }
}

/// A 4xx/5xx whose body is neither JSON nor HTML (axum's empty 405, a rejection's text).
fn is_bare_refusal(response: &Response) -> bool {
    let s = response.status();
    let ct = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    (s.is_client_error() || s.is_server_error())
        && !ct.contains("json")
        && !ct.starts_with("text/html")
}

/// The same refusal in the envelope; its other headers (`Allow`, `Connection`) stay.
async fn with_envelope(response: Response, lang: Lang, keep_text: bool) -> Response {
    let (parts, body) = response.into_parts();
    let text = match body.collect().await {
        Ok(c) => String::from_utf8_lossy(&c.to_bytes()).trim().to_owned(),
        Err(_) => String::new(),
    };
    // Rejection texts can quote the request (a path segment); only the control API, whose
    // inputs are test settings, shows them.
    let detail = (keep_text && !text.is_empty())
        .then(|| format!("({})", text.chars().take(300).collect::<String>()));
    let mut r = refusal(parts.status.as_u16(), lang, detail, false);
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            r.headers_mut().insert(name.clone(), value.clone());
        }
    }
    r
}

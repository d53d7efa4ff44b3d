//! The dumb pipe: sends a core `HttpRequest` exactly once over mutual TLS and returns the
//! response, or the kind of failure the core needs to decide what happened.

use cqes_core::{HttpRequest, HttpResponse, Method, TransportErrorKind};
use std::error::Error as _;

/// Why an exchange failed, and a log-safe description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportFailure {
    /// The kind the core's flows decide on.
    pub kind: TransportErrorKind,
    /// What happened (no URLs with personal data, no headers).
    pub detail: String,
}

impl std::fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.detail, self.kind.as_str())
    }
}

/// A reqwest client configured for mutual TLS, no redirects, no retries.
#[derive(Clone, Debug)]
pub struct Transport {
    pub(crate) http: reqwest::Client,
}

impl Transport {
    /// Wraps a reqwest client you configured yourself (it must not follow redirects).
    pub fn new(http: reqwest::Client) -> Self {
        Transport { http }
    }

    /// Sends `request` once.
    pub async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportFailure> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.http.request(method, &request.url);
        for h in &request.headers {
            builder = builder.header(h.name.as_str(), h.value.as_str());
        }
        if !request.body.is_empty() {
            // Bytes are shared, not copied.
            builder = builder.body(request.body.clone().into_bytes());
        }
        let mut resp = builder
            .send()
            .await
            .map_err(|e| classify(&e, &request.log_url))?;
        let max = request.expect.max_bytes;
        if resp.content_length().is_some_and(|n| n > max) {
            return Err(too_large(max));
        }
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(n, v)| cqes_core::Header::new(n.as_str(), String::from_utf8_lossy(v.as_bytes())))
            .collect();
        let mut body = Vec::with_capacity(resp.content_length().unwrap_or(0).min(max) as usize);
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| classify(&e, &request.log_url))?
        {
            if (body.len() + chunk.len()) as u64 > max {
                return Err(too_large(max));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse {
            status,
            headers,
            body: cqes_core::Blob::from(body),
        })
    }
}

fn too_large(max: u64) -> TransportFailure {
    TransportFailure {
        kind: TransportErrorKind::TooLarge,
        detail: format!("the response exceeded {max} bytes"),
    }
}

/// Maps reqwest's error to the core's kinds. A TLS failure is recognised by rustls in the
/// error chain (it happens during connect, before anything is sent).
fn classify(e: &reqwest::Error, log_url: &str) -> TransportFailure {
    let mut tls = false;
    let mut source = e.source();
    let mut depth = 0;
    while let Some(s) = source {
        if s.downcast_ref::<rustls::Error>().is_some() {
            tls = true;
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
            {
                tls = true;
            }
        }
        source = s.source();
        depth += 1;
        if depth > 16 {
            break;
        }
    }
    let kind = if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if tls {
        TransportErrorKind::Tls
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_request() || e.is_body() || e.is_decode() {
        TransportErrorKind::Io
    } else {
        TransportErrorKind::Other
    };
    let mut detail = e.without_url_string();
    if detail.is_empty() {
        detail = "request failed".to_owned();
    }
    TransportFailure {
        kind,
        detail: format!("{} {log_url}: {detail}", kind_word(kind)),
    }
}

fn kind_word(kind: TransportErrorKind) -> &'static str {
    match kind {
        TransportErrorKind::Connect => "could not connect to",
        TransportErrorKind::Tls => "TLS handshake failed with",
        TransportErrorKind::Timeout => "timed out waiting for",
        TransportErrorKind::Io => "connection broke during",
        TransportErrorKind::TooLarge => "response too large from",
        TransportErrorKind::Other => "request failed:",
    }
}

trait WithoutUrl {
    fn without_url_string(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    /// The error and its causes, without the URL (which may hold personal data).
    fn without_url_string(&self) -> String {
        let mut parts = Vec::new();
        let mut source = self.source();
        while let Some(s) = source {
            parts.push(s.to_string());
            source = s.source();
        }
        cqes_core::json::scrub(&parts.join(": "), 300)
    }
}

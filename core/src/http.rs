//! Plain HTTP values: what the core asks a host to send, and what the host hands back.
//!
//! A host sends [`HttpRequest`] exactly as built (method, absolute URL, headers in order, body)
//! over its own mutual-TLS client, never follows redirects, never retries on its own, enforces
//! [`ResponseExpectation::max_bytes`], and returns the status, headers and body as an
//! [`HttpResponse`]. Retries, polling and reconciliation are decisions of the core's flows.

use crate::blob::Blob;
use crate::secret::REDACTED;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use std::fmt;

/// HTTP method.
#[crate::model]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// What the response body is expected to be.
#[crate::model]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResponseKind {
    /// A JSON document.
    Json,
    /// A file (signed document, report): raw bytes.
    Binary,
}

/// Hints for the host about the response.
#[crate::model]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseExpectation {
    /// Expected body kind.
    pub kind: ResponseKind,
    /// Stop reading and report [`crate::TransportErrorKind::TooLarge`] past this many bytes.
    pub max_bytes: u64,
}

/// Header names whose values are credentials or personal data; [`HttpRequest`]'s `Debug`
/// redacts them.
pub const SENSITIVE_HEADERS: &[&str] =
    &["rpToClientAuthorization", "X-ACCESS-TOKEN", "Authorization"];

/// Whether a header's value must never be logged.
pub fn is_sensitive_header(name: &str) -> bool {
    SENSITIVE_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
}

/// A complete request, ready to send.
#[crate::model]
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL; every path segment is already percent-encoded. May hold personal data
    /// (an EGN in the path): log `log_url` instead.
    #[cfg_attr(feature = "schema", schemars(extend("x-cqes-secret" = true)))]
    pub url: String,
    /// The URL with personal data in the path replaced by `[redacted]`: safe to log.
    pub log_url: String,
    /// Headers in the order they are to be sent.
    #[cfg_attr(feature = "schema", schemars(extend("x-cqes-secret" = true)))]
    pub headers: Vec<Header>,
    /// Body bytes (empty for GET).
    #[cfg_attr(feature = "schema", schemars(extend("x-cqes-secret" = true)))]
    pub body: Blob,
    /// Whether sending it twice is harmless. The core's flows use this; hosts must not retry
    /// on their own either way.
    pub idempotent: bool,
    /// What the response should be.
    pub expect: ResponseExpectation,
}

impl HttpRequest {
    /// The value of the first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|h| {
                let shown = if is_sensitive_header(&h.name) {
                    REDACTED
                } else {
                    h.value.as_str()
                };
                (h.name.as_str(), shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.log_url)
            .field("headers", &headers)
            .field("body", &format_args!("{} bytes", self.body.len()))
            .field("idempotent", &self.idempotent)
            .field("expect", &self.expect)
            .finish()
    }
}

/// A response as received by the host.
#[crate::model]
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Headers as received.
    #[serde(default)]
    pub headers: Vec<Header>,
    /// Body bytes.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("x-cqes-secret" = true)))]
    pub body: Blob,
}

impl HttpResponse {
    /// A response with a body and no headers.
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: Blob::new(body),
        }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push(Header::new(name, value));
        self
    }

    /// The value of the first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}

fn find_header<'a>(headers: &'a [Header], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// One HTTP header. On the JSON wire (vectors, hosts that speak JSON) a `[name, value]` pair;
/// through uniffi a record (FFIs have no tuples).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "[string, string]"))]
pub struct Header {
    /// The name, as sent or received (compare case-insensitively).
    pub name: String,
    /// The value.
    pub value: String,
}

impl Header {
    /// A header from its name and value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Header {
            name: name.into(),
            value: value.into(),
        }
    }
}

impl From<(String, String)> for Header {
    fn from((name, value): (String, String)) -> Self {
        Header { name, value }
    }
}

impl Serialize for Header {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (&self.name, &self.value).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Header {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <(String, String)>::deserialize(d).map(Header::from)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Header {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <(String, String) as schemars::JsonSchema>::schema_name()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <(String, String) as schemars::JsonSchema>::json_schema(g)
    }
}

/// A value for a `{name}` placeholder of a path template ([`UrlBuilder::template`]).
#[derive(Clone, Copy, Debug)]
pub enum PathParam<'a> {
    /// Not personal data: logged as is.
    Public(&'a str),
    /// Personal data (an EGN, a profile id): `[redacted]` in the log URL.
    Secret(&'a str),
}

/// Builds an absolute URL from a base and path segments, percent-encoding each segment, and
/// a log-safe twin in which secret segments read `[redacted]`.
#[derive(Debug, Clone)]
pub struct UrlBuilder {
    url: String,
    log_url: String,
}

impl UrlBuilder {
    /// Starts from a base URL such as `https://host/signing-api` (a trailing `/` is ignored).
    pub fn new(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        UrlBuilder {
            url: base.to_owned(),
            log_url: base.to_owned(),
        }
    }

    /// Appends literal path text such as `/v2/sign` (no encoding: it is ours, not input).
    pub fn path(mut self, literal: &str) -> Self {
        self.url.push_str(literal);
        self.log_url.push_str(literal);
        self
    }

    /// Appends `/` and a percent-encoded segment.
    pub fn segment(mut self, value: &str) -> Self {
        self.url.push('/');
        encode_segment(value, &mut self.url);
        self.log_url.push('/');
        encode_segment(value, &mut self.log_url);
        self
    }

    /// Appends `/` and a percent-encoded segment that is personal data: the log twin reads
    /// `[redacted]` instead.
    pub fn secret_segment(mut self, value: &str) -> Self {
        self.url.push('/');
        encode_segment(value, &mut self.url);
        self.log_url.push('/');
        self.log_url.push_str(REDACTED);
        self
    }

    /// Appends an operation's path template (its `PATH`, e.g. `/v2/cert/{profileId}`), each
    /// `{name}` replaced by its parameter, percent-encoded; a [`PathParam::Secret`] reads
    /// `[redacted]` in the log twin. So the URL is built from the one template the operation
    /// documents. A placeholder without a parameter is a bug in the core: `invalid_state`.
    pub fn template(
        mut self,
        template: &str,
        params: &[(&str, PathParam<'_>)],
    ) -> Result<Self, crate::Error> {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            self = self.path(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or_else(|| {
                crate::Error::invalid_state(format!("unclosed placeholder in {template}"))
            })?;
            let name = &after[..close];
            let param = params
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, p)| *p)
                .ok_or_else(|| {
                    crate::Error::invalid_state(format!("no value for {{{name}}} in {template}"))
                })?;
            match param {
                PathParam::Public(v) => {
                    encode_segment(v, &mut self.url);
                    encode_segment(v, &mut self.log_url);
                }
                PathParam::Secret(v) => {
                    encode_segment(v, &mut self.url);
                    self.log_url.push_str(REDACTED);
                }
            }
            rest = &after[close + 1..];
        }
        Ok(self.path(rest))
    }

    /// The URL and its log-safe twin.
    pub fn finish(self) -> (String, String) {
        (self.url, self.log_url)
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a segment can never
/// change the path (`/`, `?`, `#`, `%` and `..` tricks included).
pub fn encode_segment(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    if value == "." || value == ".." {
        for _ in 0..value.len() {
            out.push_str("%2E");
        }
        return;
    }
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded_and_secrets_hidden_from_logs() {
        let (url, log) = UrlBuilder::new("https://h/api/")
            .path("/v2/cert/identity")
            .segment("EMAIL")
            .secret_segment("ivan+x@example.bg")
            .segment("a/b?c#d %")
            .segment("..")
            .finish();
        assert_eq!(
            url,
            "https://h/api/v2/cert/identity/EMAIL/ivan%2Bx%40example.bg/a%2Fb%3Fc%23d%20%25/%2E%2E"
        );
        assert_eq!(
            log,
            "https://h/api/v2/cert/identity/EMAIL/[redacted]/a%2Fb%3Fc%23d%20%25/%2E%2E"
        );
    }

    #[test]
    fn templates_fill_every_placeholder_or_refuse() {
        let (url, log) = UrlBuilder::new("https://h/api")
            .template(
                "/v2/cert/identity/{t}/{v}/x",
                &[
                    ("t", PathParam::Public("EGN")),
                    ("v", PathParam::Secret("75/01")),
                ],
            )
            .unwrap()
            .finish();
        assert_eq!(url, "https://h/api/v2/cert/identity/EGN/75%2F01/x");
        assert_eq!(log, "https://h/api/v2/cert/identity/EGN/[redacted]/x");
        for bad in ["/v2/{missing}", "/v2/{open"] {
            let e = UrlBuilder::new("https://h")
                .template(bad, &[])
                .err()
                .unwrap();
            assert_eq!(e.code(), "invalid_state", "{bad}");
        }
    }
}

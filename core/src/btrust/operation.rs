//! The [`Operation`] trait: one build/parse pair per B-Trust operation, and the helpers every
//! operation shares.
//!
//! `build` validates the configuration and the input (all issues at once) and emits the complete
//! request; `parse` turns the response into the typed output or an [`Error`]. Names
//! (`btrust.sendSignRequest`, …) follow BORICA's operationIds and are what vectors and hosts use.

use crate::btrust::config::Config;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse, Method, ResponseKind};
use crate::validate::{IssueCode, Validate, Validator};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A B-Trust operation: one request, one response.
pub trait Operation: MaybeSchema {
    /// Stable name, e.g. `btrust.sendSignRequest`.
    const NAME: &'static str;
    /// HTTP method.
    const METHOD: Method;
    /// Path template below the base URL, e.g. `/v2/sign/{callbackId}`.
    const PATH: &'static str;
    /// What the caller supplies; with a binding feature on, it must cross to that host
    /// ([`crate::bindings`]).
    type Input: DeserializeOwned + Validate + crate::bindings::InputBindings + 'static;
    /// What a successful response parses into; with a binding feature on, it must cross to
    /// that host.
    type Output: Serialize + FromResponse + crate::bindings::OutputBindings + 'static;

    /// Validates `config` and `input` and builds the request.
    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error>;
    /// Parses the response: by default as the output type reads itself (an envelope, an
    /// un-enveloped object or a download); an operation overrides it only if its answer is
    /// special.
    fn parse(response: HttpResponse) -> Result<Self::Output, Error> {
        Self::Output::from_response(response)
    }
}

/// An output that knows how to read itself from a response (every envelope, plain response
/// and download type implements it), so operations need no `parse` of their own.
pub trait FromResponse: Sized {
    /// Parses `response`; non-2xx statuses become errors.
    fn from_response(response: HttpResponse) -> Result<Self, Error>;
}

/// With feature `schema`, every operation describes itself (its doc comment becomes the
/// schema's `description`, which host generators turn into method docs); without it, no bound.
#[cfg(feature = "schema")]
pub trait MaybeSchema: schemars::JsonSchema {}
#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> MaybeSchema for T {}
/// With feature `schema`, every operation describes itself; without it, no bound.
#[cfg(not(feature = "schema"))]
pub trait MaybeSchema {}
#[cfg(not(feature = "schema"))]
impl<T> MaybeSchema for T {}

/// Validates the configuration (under `config.`) and the input (at the root) together, so
/// the caller hears about every issue at once.
pub(crate) fn check_all<I: Validate + ?Sized>(config: &Config, input: &I) -> Result<(), Error> {
    let mut v = Validator::new();
    v.field("config", |v| config.validate(v));
    input.validate(&mut v);
    v.finish()
}

/// Writes a JSON body, refusing bodies over the configured limit.
/// The common shape of a create operation: validate, then `POST` the input itself as the
/// JSON body to `path`, expecting a JSON answer.
pub(crate) fn post_json<I: Serialize + Validate>(
    config: &Config,
    path: &str,
    input: &I,
) -> Result<HttpRequest, Error> {
    check_all(config, input)?;
    let body = json_body(config, input, "$")?;
    Ok(config.request(
        Method::Post,
        config.url().path(path),
        Some(body),
        Vec::new(),
        ResponseKind::Json,
    ))
}

pub(crate) fn json_body<T: Serialize + ?Sized>(
    config: &Config,
    body: &T,
    path: &str,
) -> Result<Vec<u8>, Error> {
    let max = config.limits.max_request_body_bytes;
    crate::json::to_vec_limited(body, max).map_err(|e| match e {
        crate::json::LimitedError::TooLarge(n) => {
            let mut v = Validator::new();
            v.field(path, |v| {
                v.issue(
                    IssueCode::TooLarge,
                    format!("the request body would be {n} bytes, over the {max}-byte limit (config.limits.maxRequestBodyBytes)"),
                )
            });
            v.finish().err().unwrap_or_else(|| Error::invalid_state("size check"))
        }
        crate::json::LimitedError::Json(err) => Error::invalid_state(format!(
            "could not encode the request body: {}",
            crate::json::scrub(&err.to_string(), 160)
        )),
    })
}

/// Deserialises `string | number` into a string (ids the service types inconsistently).
pub(crate) fn string_or_number<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    // A visitor rather than an untagged enum: serde buffers untagged input first.
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V)
}

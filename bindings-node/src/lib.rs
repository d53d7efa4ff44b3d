//! The native part of the `cqes` npm package: cqes-core through napi-rs. Deliberately
//! generic, like the Python binding: operations and flows are reached by name through the
//! core's registry, inputs arrive as JS values (objects with the wire's camelCase keys,
//! `Uint8Array`/`Buffer` for byte strings; napi's serde support) or as JSON text when they
//! hold no bytes, and outputs leave as JSON text plus byte strings ([`wire`]), so an
//! operation added to the core needs no code here.
//!
//! Errors: a core error is thrown as a JS `Error` whose message is
//! `cqes:<the error's JSON>\n<its text>`; `index.js` turns it into the matching class. No Rust
//! panic reaches JavaScript (each entry point runs under `catch_unwind`).

mod flow;
mod wire;

use cqes_core::btrust::registry::{self, FLOW_INFO};
use cqes_core::btrust::Config;
use cqes_core::{Blob, Error, Header, HttpResponse};
use napi::bindgen_prelude::{Buffer, Object, Unknown};
use napi::{De, Env, JsValue, Status};
use napi_derive::napi;
use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use wire::{request_wire, wire, wire_of, Wire};

/// The JS exception for a core error (decoded by `index.js`).
pub(crate) fn js_error(e: &Error) -> napi::Error {
    napi::Error::new(
        Status::GenericFailure,
        format!("cqes:{}\n{}", e.to_json(), e),
    )
}

/// napi's serde errors display as `InvalidArg, <serde's text>`, which hides the text the
/// core classifies (`missing field`, `invalid type`, `unknown field`) behind the prefix. Strip
/// it and classify as the core's `issue_from_serde` does. (A core hook taking the inner text
/// would make this unnecessary.)
fn fix_napi_issues(e: Error) -> Error {
    use cqes_core::IssueCode;
    let Error::Validation { mut issues } = e else {
        return e;
    };
    for i in &mut issues {
        let Some(text) = i.message.strip_prefix("InvalidArg, ") else {
            continue;
        };
        let text = text.to_owned();
        if let Some(rest) = text.strip_prefix("missing field `") {
            let field = rest.split('`').next().unwrap_or_default();
            i.path = if i.path == "$" {
                field.to_owned()
            } else {
                format!("{}.{field}", i.path)
            };
            i.code = IssueCode::Required;
        } else if text.starts_with("invalid type") {
            i.code = IssueCode::InvalidType;
        } else if text.starts_with("unknown field") {
            i.code = IssueCode::UnknownField;
        }
        i.message = text;
    }
    Error::Validation { issues }
}

/// Runs `f`, turning core errors into marked JS errors and any panic into `invalid_state`.
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T, Error>) -> napi::Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(js_error(&fix_napi_issues(e))),
        Err(_) => Err(js_error(&Error::invalid_state(
            "internal error in cqes-core (a bug: please report it)",
        ))),
    }
}

pub(crate) fn convert_error(e: impl std::fmt::Display) -> Error {
    Error::invalid_state(format!("could not convert a value: {e}"))
}

/// Any JS value as an `Object` handle, which is what napi's serde `De` takes (it checks the
/// real type itself).
pub(crate) fn de<'e>(env: &Env, value: &Unknown<'e>) -> Object<'e> {
    Object::from_raw(env.raw(), value.raw())
}

fn to_js<'e, T: Serialize>(env: &'e Env, v: &T) -> Result<Unknown<'e>, Error> {
    env.to_js_value(v).map_err(convert_error)
}

/// Reads a configuration object (camelCase keys), reporting problems under `config.`.
pub(crate) fn read_config(env: &Env, obj: &Unknown<'_>) -> Result<Config, Error> {
    let value = de(env, obj);
    registry::deserialize_config(&mut De::new(&value))
}

/// A validated configuration, kept native so calls do not convert the object every time.
#[napi(js_name = "NativeConfig")]
pub struct NativeConfig {
    inner: Config,
}

#[napi]
impl NativeConfig {
    /// Validates a configuration object (camelCase keys); issues have paths under `config.`.
    #[napi(constructor)]
    pub fn new(env: Env, config: Unknown) -> napi::Result<Self> {
        guard(|| {
            let config = read_config(&env, &config)?;
            let mut v = cqes_core::Validator::new();
            v.field("config", |v| cqes_core::Validate::validate(&config, v));
            v.finish()?;
            Ok(NativeConfig { inner: config })
        })
    }

    /// Reads a configuration without validating it: `build` validates it together with each
    /// input (all issues at once), which is what the conformance vectors expect.
    #[napi(factory)]
    pub fn unchecked(env: Env, config: Unknown) -> napi::Result<Self> {
        guard(|| {
            Ok(NativeConfig {
                inner: read_config(&env, &config)?,
            })
        })
    }
}

/// A response from its parts. `headers` is `name\0value\0name\0value…`: one string crosses
/// napi far cheaper than an array of pairs (~0.1 µs per napi value), and neither names nor
/// values can hold a NUL.
pub(crate) fn response(status: u32, headers: &str, body: &[u8]) -> Result<HttpResponse, Error> {
    let status = u16::try_from(status)
        .map_err(|_| Error::invalid_state("an HTTP status must be below 65536"))?;
    let mut parts = headers.split('\0');
    let mut list = Vec::new();
    while let Some(name) = parts.next().filter(|n| !n.is_empty()) {
        let value = parts
            .next()
            .ok_or_else(|| Error::invalid_state("a header must be a name and a value"))?;
        list.push(Header::from((name.to_owned(), value.to_owned())));
    }
    Ok(HttpResponse {
        status,
        headers: list,
        body: Blob::from(body),
    })
}

/// Milliseconds from JS (a number) as the core's u64.
pub(crate) fn ms(now: f64) -> Result<u64, Error> {
    if (0.0..=9.007_199_254_740_991e15).contains(&now) {
        Ok(now as u64)
    } else {
        Err(Error::invalid_state(
            "a time must be a non-negative number of milliseconds",
        ))
    }
}

/// Names of every operation.
#[napi]
pub fn operations() -> Vec<&'static str> {
    registry::OPERATIONS.to_vec()
}

/// Every flow: its name, host method stem (snake_case) and callback kind.
#[napi(ts_return_type = "Array<{ name: string; method: string; callback: string }>")]
pub fn flow_info(env: &Env) -> napi::Result<Unknown<'_>> {
    guard(|| to_js(env, &FLOW_INFO))
}

/// Builds the request of operation `op`.
#[napi(ts_return_type = "Wire")]
pub fn build(env: Env, op: String, config: &NativeConfig, input: Unknown) -> napi::Result<Wire> {
    guard(|| {
        let value = de(&env, &input);
        request_wire(registry::build_request(
            &op,
            &config.inner,
            &mut De::new(&value),
        )?)
    })
}

/// [`build`] for an input without byte strings, as JSON text: reading one string with
/// serde_json is several times cheaper than walking a JS object through napi.
#[napi(ts_return_type = "Wire")]
pub fn build_json(op: String, config: &NativeConfig, input: String) -> napi::Result<Wire> {
    guard(|| {
        let mut de = serde_json::Deserializer::from_str(&input);
        request_wire(registry::build_request(&op, &config.inner, &mut de)?)
    })
}

/// Parses the response of operation `op` (byte strings as Buffers).
#[napi(ts_return_type = "Wire")]
pub fn parse(op: String, status: u32, headers: String, body: &[u8]) -> napi::Result<Wire> {
    guard(|| {
        let resp = response(status, &headers, body)?;
        wire_of(|ser| registry::parse_response(&op, resp, ser)?.map_err(convert_error))
    })
}

/// Parses a callback body (`kind`: `sign` or `identification`); identification callbacks
/// must be addressed to `config`'s relying party.
#[napi(ts_return_type = "Wire")]
pub fn parse_callback(kind: String, config: &NativeConfig, body: &[u8]) -> napi::Result<Wire> {
    use cqes_core::btrust::{identification, signing};
    guard(|| match kind.as_str() {
        "sign" => wire(&signing::parse_sign_callback(body)?),
        "identification" => wire(&identification::parse_identification_callback(
            &config.inner,
            body,
        )?),
        _ => Err(Error::invalid_state("unknown callback kind")),
    })
}

/// Runs one validation rule; returns the issues (`path`, `code`, `message`).
#[napi(ts_return_type = "Array<{ path: string; code: string; message: string }>")]
pub fn check_rule<'e>(env: &'e Env, rule: String, value: Unknown) -> napi::Result<Unknown<'e>> {
    guard(|| {
        let v: serde_json::Value = env.from_js_value(value).map_err(convert_error)?;
        to_js(env, &registry::check_rule(&rule, &v)?)
    })
}

/// The URL a customer opens for web identification.
#[napi]
pub fn identification_link(config: &NativeConfig, session_id: String) -> napi::Result<String> {
    guard(|| cqes_core::btrust::web_identification::identification_link(&config.inner, &session_id))
}

/// The certificate chain and private key of a PKCS#12 file as one PEM document.
#[napi]
pub fn pkcs12_to_pem(der: &[u8], password: String) -> napi::Result<Buffer> {
    guard(|| cqes_core::pkcs12::pkcs12_to_pem(der, &password)).map(Buffer::from)
}

/// For the benchmark only: seconds per `build` of operation `op` inside the core, the input
/// read once beforehand (no JS conversion in the timing): the binding's overhead is the
/// difference to `build`.
#[napi(js_name = "_benchCoreBuild")]
pub fn bench_core_build(
    env: Env,
    op: String,
    config: &NativeConfig,
    input: Unknown,
    iterations: u32,
) -> napi::Result<f64> {
    struct Bench<'a> {
        config: &'a Config,
        input: Object<'a>,
        iterations: u32,
    }
    impl registry::OperationVisitor for Bench<'_> {
        type Output = Result<f64, Error>;
        fn visit<O: cqes_core::btrust::Operation>(self) -> Self::Output {
            let input: O::Input = registry::deserialize_input(&mut De::new(&self.input))?;
            let start = std::time::Instant::now();
            for _ in 0..self.iterations {
                std::hint::black_box(O::build(self.config, &input)?);
            }
            Ok(start.elapsed().as_secs_f64() / f64::from(self.iterations.max(1)))
        }
    }
    guard(|| {
        let visitor = Bench {
            config: &config.inner,
            input: de(&env, &input),
            iterations,
        };
        registry::visit_operation(&op, visitor)
            .unwrap_or_else(|| Err(Error::invalid_state("unknown operation")))
    })
}

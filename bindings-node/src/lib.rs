//! The native part of the `cqes` npm package: cqes-core through napi-rs. Deliberately
//! generic, like the Python binding: operations and flows are reached by name through the
//! core's registry, inputs arrive as JS values (objects with the wire's camelCase keys,
//! `Uint8Array`/`Buffer` for byte strings) and outputs leave the same way (napi's serde
//! support), so an operation added to the core needs no code here.
//!
//! Errors: a core error is thrown as a JS `Error` whose message is
//! `cqes:<the error's JSON>\n<its text>`; `index.js` turns it into the matching class. No Rust
//! panic reaches JavaScript (each entry point runs under `catch_unwind`).

use cqes_core::btrust::registry::{self, AnyFlow, FlowStep, FLOW_INFO};
use cqes_core::btrust::Config;
use cqes_core::flow::FlowOptions;
use cqes_core::{Blob, Error, Header, HttpResponse, TransportErrorKind};
use napi::bindgen_prelude::{Array, Buffer, BufferSlice, Object, ToNapiValue, Unknown};
use napi::{De, Env, JsValue, Status};
use napi_derive::napi;
use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The JS exception for a core error (decoded by `index.js`).
fn js_error(e: &Error) -> napi::Error {
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
fn guard<T>(f: impl FnOnce() -> Result<T, Error>) -> napi::Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(js_error(&fix_napi_issues(e))),
        Err(_) => Err(js_error(&Error::invalid_state(
            "internal error in cqes-core (a bug: please report it)",
        ))),
    }
}

fn convert_error(e: impl std::fmt::Display) -> Error {
    Error::invalid_state(format!("could not convert a value: {e}"))
}

/// Any JS value as an `Object` handle, which is what napi's serde `De` takes (it checks the
/// real type itself).
fn de<'e>(env: &Env, value: &Unknown<'e>) -> Object<'e> {
    Object::from_raw(env.raw(), value.raw())
}

fn to_js<'e, T: Serialize>(env: &'e Env, v: &T) -> Result<Unknown<'e>, Error> {
    env.to_js_value(v).map_err(convert_error)
}

/// A value on its way to JS: compact JSON text with each byte string moved out and replaced
/// by `{"\u0000b": index}`, returned as the array `[text, ...byteStrings]`; `lib/native.js`
/// puts the Buffers back after `JSON.parse`. Creating JS objects property by property
/// through napi costs ~0.1 µs a call, which made a small build + parse take 20 µs; one string
/// and `JSON.parse` take a fraction of that, and numbers past 2^32 (epoch ms) stay numbers
/// rather than becoming BigInts.
pub struct Wire {
    text: String,
    blobs: Vec<Vec<u8>>,
}

impl ToNapiValue for Wire {
    unsafe fn to_napi_value(
        env: napi::sys::napi_env,
        w: Self,
    ) -> napi::Result<napi::sys::napi_value> {
        let env = Env::from_raw(env);
        let mut arr = env.create_array(1 + w.blobs.len() as u32)?;
        arr.set(0, w.text)?;
        for (i, b) in w.blobs.into_iter().enumerate() {
            // Small byte strings are copied into V8's heap (cheap); large ones are handed over
            // without a copy (an external buffer, which costs a finalizer).
            if b.len() < 64 * 1024 {
                arr.set(1 + i as u32, &BufferSlice::copy_from(&env, &b)?)?;
            } else {
                arr.set(1 + i as u32, &BufferSlice::from_data(&env, b)?)?;
            }
        }
        Array::to_napi_value(env.raw(), arr)
    }
}

/// serde_json formatter that moves byte strings out of the text (see [`Wire`]).
struct SideBytes<'a> {
    blobs: &'a mut Vec<Vec<u8>>,
}

impl serde_json::ser::Formatter for SideBytes<'_> {
    fn write_byte_array<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        value: &[u8],
    ) -> std::io::Result<()> {
        write!(writer, "{{\"\\u0000b\":{}}}", self.blobs.len())?;
        self.blobs.push(value.to_vec());
        Ok(())
    }
}

type WireSerializer<'a> = serde_json::Serializer<&'a mut Vec<u8>, SideBytes<'a>>;

fn wire_of(f: impl FnOnce(&mut WireSerializer<'_>) -> Result<(), Error>) -> Result<Wire, Error> {
    let mut text = Vec::with_capacity(512);
    let mut blobs = Vec::new();
    f(&mut serde_json::Serializer::with_formatter(
        &mut text,
        SideBytes { blobs: &mut blobs },
    ))?;
    // serde_json writes UTF-8 only.
    let text = String::from_utf8(text).map_err(convert_error)?;
    Ok(Wire { text, blobs })
}

fn wire<T: Serialize + ?Sized>(value: &T) -> Result<Wire, Error> {
    wire_of(|ser| value.serialize(ser).map_err(convert_error))
}

/// Reads a configuration object (camelCase keys), reporting problems under `config.`.
fn read_config(env: &Env, obj: &Unknown<'_>) -> Result<Config, Error> {
    let value = de(env, obj);
    registry::deserialize_input::<Config, _>(&mut De::new(&value)).map_err(|e| match e {
        Error::Validation { mut issues } => {
            for i in &mut issues {
                i.path = if i.path == "$" {
                    "config".into()
                } else {
                    format!("config.{}", i.path)
                };
            }
            Error::Validation { issues }
        }
        other => other,
    })
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
fn response(status: u32, headers: &str, body: &[u8]) -> Result<HttpResponse, Error> {
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
fn ms(now: f64) -> Result<u64, Error> {
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

fn request_wire(mut req: cqes_core::HttpRequest) -> Result<Wire, Error> {
    // The body (a 10 MiB document's base64, say) is handed over without the copy the
    // serializer would make: it is the request's only byte string, so blob 0.
    let body = std::mem::replace(&mut req.body, Blob::from(Vec::new()));
    let mut w = wire(&req)?;
    w.blobs[0] = Vec::from(body.into_bytes());
    Ok(w)
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

/// A running flow (see cqes-core's flow contract).
#[napi(js_name = "NativeFlow")]
pub struct NativeFlow {
    inner: AnyFlow,
}

#[napi]
impl NativeFlow {
    /// Starts flow `name` (`btrust.sign`, …) with a config, an input and options.
    #[napi(factory)]
    pub fn start(
        env: Env,
        name: String,
        config: &NativeConfig,
        input: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<Self> {
        guard(|| {
            let config = config.inner.clone();
            let options: FlowOptions = match options {
                Some(o)
                    if !matches!(
                        o.get_type(),
                        Ok(napi::ValueType::Undefined | napi::ValueType::Null)
                    ) =>
                {
                    let value = de(&env, &o);
                    registry::deserialize_input(&mut De::new(&value))?
                }
                _ => FlowOptions::default(),
            };
            let value = de(&env, &input);
            AnyFlow::start(&name, config, &mut De::new(&value), options)
                .map(|inner| NativeFlow { inner })
        })
    }

    /// Rebuilds a flow from `snapshot()`'s text.
    #[napi(factory)]
    pub fn restore(snapshot: String) -> napi::Result<Self> {
        guard(|| AnyFlow::restore(&snapshot).map(|inner| NativeFlow { inner }))
    }

    /// The flow's name.
    #[napi(getter)]
    pub fn name(&self) -> &'static str {
        self.inner.name()
    }

    /// What to do next: `{step: "send", id, request}`, `{step: "wait", untilMs}`,
    /// `{step: "done", outcome}` or `{step: "failed", error, message}` (the error's JSON and
    /// text), as a [`Wire`].
    #[napi(ts_return_type = "Wire")]
    pub fn next_wire(&mut self, now_ms: f64) -> napi::Result<Wire> {
        #[derive(Serialize)]
        #[serde(tag = "step", rename_all = "lowercase")]
        enum Out<'a> {
            Send {
                id: u64,
                request: &'a cqes_core::HttpRequest,
            },
            Wait {
                #[serde(rename = "untilMs")]
                until_ms: Option<u64>,
            },
            Done {
                outcome: &'a registry::FlowOutcome,
            },
            Failed {
                error: serde_json::Value,
                message: String,
            },
        }
        guard(|| {
            let step = self.inner.next(ms(now_ms)?);
            wire(&match &step {
                FlowStep::Send(o) => Out::Send {
                    id: o.id,
                    request: &o.request,
                },
                FlowStep::Wait { until_ms } => Out::Wait {
                    until_ms: *until_ms,
                },
                FlowStep::Done(outcome) => Out::Done { outcome },
                FlowStep::Failed(e) => Out::Failed {
                    error: e.to_json(),
                    message: e.to_string(),
                },
            })
        })
    }

    /// Reports the response to request `id`.
    #[napi]
    pub fn handle_response(
        &mut self,
        id: f64,
        status: u32,
        headers: String,
        body: &[u8],
        now_ms: f64,
    ) -> napi::Result<()> {
        guard(|| {
            let resp = response(status, &headers, body)?;
            self.inner.handle_response(ms(id)?, resp, ms(now_ms)?)
        })
    }

    /// Reports that request `id` failed: `kind` is `connect`, `tls`, `timeout`, `io`,
    /// `too_large` or `other`.
    #[napi]
    pub fn handle_transport_error(
        &mut self,
        id: f64,
        kind: String,
        now_ms: f64,
    ) -> napi::Result<()> {
        guard(|| {
            let kind: TransportErrorKind = serde_json::from_value(serde_json::Value::from(kind))
                .map_err(|_| Error::invalid_state("unknown transport error kind"))?;
            self.inner
                .handle_transport_error(ms(id)?, kind, ms(now_ms)?)
        })
    }

    /// Hands a callback body the relying party received to the flow.
    #[napi]
    pub fn handle_callback(&mut self, body: &[u8], now_ms: f64) -> napi::Result<()> {
        guard(|| self.inner.handle_callback_body(body, ms(now_ms)?))
    }

    /// The whole state as versioned JSON text.
    #[napi]
    pub fn snapshot(&self) -> String {
        self.inner.snapshot()
    }

    /// Progress for display (no personal data), as a [`Wire`].
    #[napi(ts_return_type = "Wire")]
    pub fn progress_wire(&self) -> napi::Result<Wire> {
        guard(|| wire(&self.inner.progress()))
    }

    /// Transition-table rows taken since the last call (for the conformance runner).
    #[napi]
    pub fn take_transitions(&mut self) -> Vec<&'static str> {
        self.inner.take_transitions()
    }

    /// Every row of the flow's transition table (for the conformance runner).
    #[napi]
    pub fn table(&self) -> Vec<&'static str> {
        self.inner.table().to_vec()
    }
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

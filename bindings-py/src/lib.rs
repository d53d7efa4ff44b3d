//! `cqes._native`: cqes-core for Python. Deliberately generic: operations and flows are
//! reached by name through the core's registry, inputs arrive as Python objects (dicts with
//! the wire's camelCase keys, `bytes` for byte strings) and outputs leave the same way
//! (pythonize), so an operation added to the core needs no code here. Typed models live in
//! Python and are generated from the core's JSON Schema.
//!
//! Errors become the classes of `cqes.errors`; no Rust panic can reach Python.

use cqes_core::btrust::registry::{self, AnyFlow, FlowStep};
use cqes_core::btrust::Config;
use cqes_core::flow::FlowOptions;
use cqes_core::{Blob, Error, Header, HttpRequest, HttpResponse, TransportErrorKind};
use pyo3::exceptions::PyRuntimeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};
use pythonize::{depythonize, pythonize, Depythonizer, Pythonizer};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A `cqes.errors` exception instance for `e`: `CqesError._from_core(message, fields)` picks
/// the class from the error's stable code (generated from the core's `Error` schema).
fn exception<'py>(py: Python<'py>, e: &Error) -> PyResult<Bound<'py, PyAny>> {
    let base = py.import("cqes.errors")?.getattr("CqesError")?;
    let fields =
        pythonize(py, &e.to_json()).map_err(|err| PyRuntimeError::new_err(err.to_string()))?;
    base.call_method1("_from_core", (e.to_string(), fields))
}

fn to_py_err(py: Python<'_>, e: Error) -> PyErr {
    match exception(py, &e) {
        Ok(obj) => PyErr::from_value(obj),
        Err(err) => err,
    }
}

/// Runs `f`, turning core errors into `cqes.errors` and any panic into `InvalidStateError`.
fn guard<T>(py: Python<'_>, f: impl FnOnce() -> Result<T, Error>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_py_err(py, e)),
        Err(_) => Err(to_py_err(
            py,
            Error::invalid_state("internal error in cqes-core (a bug: please report it)"),
        )),
    }
}

fn py_error(e: impl std::fmt::Display) -> Error {
    Error::invalid_state(format!("could not convert a value: {e}"))
}

/// Reads a configuration dict (camelCase keys), reporting problems under `config.`.
fn read_config(obj: &Bound<'_, PyAny>) -> Result<Config, Error> {
    let mut de = Depythonizer::from_object(obj);
    registry::deserialize_config(&mut de)
}

/// A validated configuration, kept native so calls do not convert the dict every time.
#[pyclass(module = "cqes._native", name = "Config", frozen)]
struct ConfigHandle {
    inner: Config,
}

#[pymethods]
impl ConfigHandle {
    /// Validates a configuration dict (camelCase keys); raises `ValidationError` with paths
    /// under `config.`.
    #[new]
    fn new(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let config = read_config(config)?;
            let mut v = cqes_core::Validator::new();
            v.field("config", |v| cqes_core::Validate::validate(&config, v));
            v.finish()?;
            Ok(ConfigHandle { inner: config })
        })
    }

    /// The normalised configuration (defaults filled in) as a camelCase dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pythonize(py, &self.inner).map_err(|e| to_py_err(py, py_error(e)))
    }
}

/// Runs `f` with the configuration `obj` designates: a `Config` handle (borrowed) or a dict.
fn with_config<T>(
    obj: &Bound<'_, PyAny>,
    f: impl FnOnce(&Config) -> Result<T, Error>,
) -> Result<T, Error> {
    match obj.cast::<ConfigHandle>() {
        Ok(handle) => f(&handle.get().inner),
        Err(_) => f(&read_config(obj)?),
    }
}

/// A request in its wire form (camelCase dict, `body` as `bytes`), which the generated
/// `cqes.models.HttpRequest._from_wire` reads.
///
/// Written out by hand rather than through pythonize because it is on every call's path:
/// interned keys and no serde round trip halve its cost. The keys are the core's serde
/// names (the vectors' `request_json` and the generated reader check them).
fn request_obj<'py>(py: Python<'py>, r: &HttpRequest) -> PyResult<Bound<'py, PyAny>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "method"), r.method.as_str())?;
    d.set_item(intern!(py, "url"), &r.url)?;
    d.set_item(intern!(py, "logUrl"), &r.log_url)?;
    let headers = PyList::empty(py);
    for h in &r.headers {
        headers.append(PyTuple::new(py, [h.name.as_str(), h.value.as_str()])?)?;
    }
    d.set_item(intern!(py, "headers"), headers)?;
    d.set_item(intern!(py, "body"), PyBytes::new(py, r.body.as_bytes()))?;
    d.set_item(intern!(py, "idempotent"), r.idempotent)?;
    let expect = PyDict::new(py);
    let kind = match r.expect.kind {
        cqes_core::ResponseKind::Json => intern!(py, "json"),
        cqes_core::ResponseKind::Binary => intern!(py, "binary"),
    };
    expect.set_item(intern!(py, "kind"), kind)?;
    expect.set_item(intern!(py, "maxBytes"), r.expect.max_bytes)?;
    d.set_item(intern!(py, "expect"), expect)?;
    Ok(d.into_any())
}

fn response(status: u16, headers: Vec<(String, String)>, body: &[u8]) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers.into_iter().map(Header::from).collect(),
        body: Blob::from(body),
    }
}

/// Names of every operation.
#[pyfunction]
fn operations() -> Vec<&'static str> {
    registry::OPERATIONS.to_vec()
}

/// Names of every flow.
#[pyfunction]
fn flows() -> Vec<&'static str> {
    registry::FLOWS.to_vec()
}

/// Builds the request of operation `op`. `config` and `input` are dicts with the wire's
/// camelCase keys; byte strings are `bytes`.
#[pyfunction]
fn build<'py>(
    py: Python<'py>,
    op: &str,
    config: &Bound<'py, PyAny>,
    input: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let req = guard(py, || {
        with_config(config, |config| {
            let mut de = Depythonizer::from_object(input);
            registry::build_request(op, config, &mut de)
        })
    })?;
    request_obj(py, &req)
}

/// Parses the response of operation `op` into plain Python data (dicts, lists, `bytes`;
/// `raw` is the body as `bytes`, which the generated model decodes only when read).
#[pyfunction]
fn parse<'py>(
    py: Python<'py>,
    op: &str,
    status: u16,
    headers: Vec<(String, String)>,
    body: &[u8],
) -> PyResult<Bound<'py, PyAny>> {
    let resp = response(status, headers, body);
    let parsed = guard(py, || {
        registry::parse_response(op, resp, Pythonizer::new(py))
    })?;
    parsed.map_err(|e| to_py_err(py, py_error(e)))
}

/// Parses a callback body (`kind`: `sign` or `identification`); identification callbacks
/// must be addressed to `config`'s relying party.
#[pyfunction]
fn parse_callback<'py>(
    py: Python<'py>,
    kind: &str,
    config: &Bound<'py, PyAny>,
    body: &[u8],
) -> PyResult<Bound<'py, PyAny>> {
    let value = guard(py, || {
        with_config(config, |config| {
            registry::parse_callback_json(kind, config, body)
        })
    })?;
    pythonize(py, &value).map_err(|e| to_py_err(py, py_error(e)))
}

/// Runs one validation rule; returns the issues as dicts (`path`, `code`, `message`).
#[pyfunction]
fn check_rule<'py>(
    py: Python<'py>,
    rule: &str,
    value: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let issues = guard(py, || {
        let v: serde_json::Value = depythonize(value).map_err(py_error)?;
        registry::check_rule(rule, &v)
    })?;
    pythonize(py, &issues).map_err(|e| to_py_err(py, py_error(e)))
}

/// The access token's lifecycle at `now_ms`: expired, renew, days left, the warning threshold
/// reached and when the next warning is due (30/21/14 days, then daily in the last 7).
#[pyfunction]
fn token_advice<'py>(
    py: Python<'py>,
    expires_at_ms: u64,
    now_ms: u64,
) -> PyResult<Bound<'py, PyAny>> {
    let advice = registry::token_advice(expires_at_ms, now_ms);
    pythonize(py, &advice).map_err(|e| to_py_err(py, py_error(e)))
}

/// The URL a customer opens for web identification.
#[pyfunction]
fn identification_link(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    session_id: &str,
) -> PyResult<String> {
    guard(py, || {
        with_config(config, |config| {
            cqes_core::btrust::web_identification::identification_link(config, session_id)
        })
    })
}

/// The certificate chain and private key of a PKCS#12 file as one PEM document (bytes).
#[pyfunction]
fn pkcs12_to_pem<'py>(
    py: Python<'py>,
    der: &[u8],
    password: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let pem = guard(py, || cqes_core::pkcs12::pkcs12_to_pem(der, password))?;
    Ok(PyBytes::new(py, &pem))
}

/// A running flow (see cqes-core's flow contract). Not shared between threads at once.
#[pyclass(module = "cqes._native")]
struct Flow {
    inner: AnyFlow,
}

#[pymethods]
impl Flow {
    /// Starts flow `name` (`btrust.sign`, …) with a config dict, an input dict and options.
    #[staticmethod]
    #[pyo3(signature = (name, config, input, options=None))]
    fn start(
        py: Python<'_>,
        name: &str,
        config: &Bound<'_, PyAny>,
        input: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Flow> {
        guard(py, || {
            let config = with_config(config, |c| Ok(c.clone()))?;
            let options: FlowOptions = match options {
                Some(o) if !o.is_none() => {
                    registry::deserialize_input(&mut Depythonizer::from_object(o))?
                }
                _ => FlowOptions::default(),
            };
            let mut de = Depythonizer::from_object(input);
            AnyFlow::start(name, config, &mut de, options).map(|inner| Flow { inner })
        })
    }

    /// Rebuilds a flow from [`Flow::snapshot`]'s text.
    #[staticmethod]
    fn restore(py: Python<'_>, snapshot: &str) -> PyResult<Flow> {
        guard(py, || {
            AnyFlow::restore(snapshot).map(|inner| Flow { inner })
        })
    }

    /// The flow's name.
    #[getter]
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    /// What to do next: `{"step": "send", "id", "request"}`, `{"step": "wait", "until_ms"}`,
    /// `{"step": "done", "outcome"}` or `{"step": "failed", "error": <exception instance>}`.
    fn next<'py>(&mut self, py: Python<'py>, now_ms: u64) -> PyResult<Bound<'py, PyDict>> {
        let step = guard(py, || Ok(self.inner.next(now_ms)))?;
        let d = PyDict::new(py);
        match step {
            FlowStep::Send(o) => {
                d.set_item("step", "send")?;
                d.set_item("id", o.id)?;
                d.set_item("request", request_obj(py, &o.request)?)?;
            }
            FlowStep::Wait { until_ms } => {
                d.set_item("step", "wait")?;
                d.set_item("until_ms", until_ms)?;
            }
            FlowStep::Done(outcome) => {
                d.set_item("step", "done")?;
                let o = guard(py, || {
                    outcome.serialize(Pythonizer::new(py)).map_err(py_error)
                })?;
                d.set_item("outcome", o)?;
            }
            FlowStep::Failed(e) => {
                d.set_item("step", "failed")?;
                d.set_item("error", exception(py, &e)?)?;
            }
        }
        Ok(d)
    }

    /// Reports the response to request `id`.
    fn handle_response(
        &mut self,
        py: Python<'_>,
        id: u64,
        status: u16,
        headers: Vec<(String, String)>,
        body: &[u8],
        now_ms: u64,
    ) -> PyResult<()> {
        let resp = response(status, headers, body);
        guard(py, || self.inner.handle_response(id, resp, now_ms))
    }

    /// Reports that request `id` failed: `kind` is `connect`, `tls`, `timeout`, `io`,
    /// `too_large` or `other`.
    fn handle_transport_error(
        &mut self,
        py: Python<'_>,
        id: u64,
        kind: &str,
        now_ms: u64,
    ) -> PyResult<()> {
        guard(py, || {
            let kind: TransportErrorKind = serde_json::from_value(serde_json::Value::from(kind))
                .map_err(|_| {
                    Error::invalid_state(format!("unknown transport error kind {kind:?}"))
                })?;
            self.inner.handle_transport_error(id, kind, now_ms)
        })
    }

    /// Hands a callback body the relying party received to the flow.
    fn handle_callback(&mut self, py: Python<'_>, body: &[u8], now_ms: u64) -> PyResult<()> {
        guard(py, || self.inner.handle_callback_body(body, now_ms))
    }

    /// The whole state as versioned JSON text.
    fn snapshot(&self) -> String {
        self.inner.snapshot()
    }

    /// Progress for display (no personal data).
    fn progress<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let p = self.inner.progress();
        guard(py, || p.serialize(Pythonizer::new(py)).map_err(py_error))
    }

    /// Transition-table rows taken since the last call (for the conformance runner).
    fn _take_transitions(&mut self) -> Vec<&'static str> {
        self.inner.take_transitions()
    }

    /// Every row of the flow's transition table (for the conformance runner).
    fn _table(&self) -> Vec<&'static str> {
        self.inner.table().to_vec()
    }

    /// The configuration the flow runs with (camelCase dict).
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pythonize(py, self.inner.config()).map_err(|e| to_py_err(py, py_error(e)))
    }
}

use serde::Serialize;

/// The module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(operations, m)?)?;
    m.add_function(wrap_pyfunction!(flows, m)?)?;
    m.add_function(wrap_pyfunction!(build, m)?)?;
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(parse_callback, m)?)?;
    m.add_function(wrap_pyfunction!(check_rule, m)?)?;
    m.add_function(wrap_pyfunction!(token_advice, m)?)?;
    m.add_function(wrap_pyfunction!(identification_link, m)?)?;
    m.add_function(wrap_pyfunction!(pkcs12_to_pem, m)?)?;
    m.add_class::<ConfigHandle>()?;
    m.add_class::<Flow>()?;
    Ok(())
}

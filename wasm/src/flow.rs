//! Parsing responses and callbacks, and the flows driven by a JS transport (the `full`
//! build only: a form that only validates does not pay for them).

use crate::{bad, json_arg, read_config, string_arg, throw, to_js};
use cqes_core::btrust::registry::{self, AnyFlow};
use cqes_core::flow::FlowOptions;
use cqes_core::{Blob, Header, HttpResponse, TransportErrorKind};
use wasm_bindgen::prelude::*;

/// Names of every flow.
#[wasm_bindgen]
pub fn flows() -> Vec<JsValue> {
    registry::FLOWS
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect()
}

/// `{status, headers: [[name, value]], body: Uint8Array | string}`, read field by field.
fn read_response(v: JsValue) -> Result<HttpResponse, JsValue> {
    let shape = "response must be {status, headers: [[name, value]], body: Uint8Array | string}";
    if !v.is_object() {
        return Err(bad(shape));
    }
    let get = |k: &str| js_sys::Reflect::get(&v, &k.into()).map_err(|_| bad(shape));
    let status = get("status")?
        .as_f64()
        .filter(|s| s.fract() == 0.0 && (100.0..=999.0).contains(s))
        .ok_or_else(|| bad("response.status must be an HTTP status code"))? as u16;
    let mut headers = Vec::new();
    let list = get("headers")?;
    if !list.is_undefined() && !list.is_null() {
        let list = list.dyn_into::<js_sys::Array>().map_err(|_| bad(shape))?;
        for pair in list.iter() {
            let pair = pair.dyn_into::<js_sys::Array>().map_err(|_| bad(shape))?;
            match (
                pair.get(0).as_string(),
                pair.get(1).as_string(),
                pair.length(),
            ) {
                (Some(n), Some(v), 2) => headers.push(Header::from((n, v))),
                _ => return Err(bad("response.headers must be [name, value] string pairs")),
            }
        }
    }
    let body = get("body")?;
    let body = if body.is_undefined() || body.is_null() {
        Vec::new()
    } else {
        body_arg(&body)?
    };
    Ok(HttpResponse {
        status,
        headers,
        body: Blob::from(body),
    })
}

/// A body given as `Uint8Array` (bytes) or a string (its UTF-8 bytes).
fn body_arg(v: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = v.as_string() {
        return Ok(s.into_bytes());
    }
    v.dyn_ref::<js_sys::Uint8Array>()
        .map(|a| a.to_vec())
        .ok_or_else(|| bad("body must be a Uint8Array or a string"))
}

/// Milliseconds since the epoch: a non-negative integer number (Date.now()).
fn now_arg(v: &JsValue) -> Result<u64, JsValue> {
    match v.as_f64() {
        Some(n)
            if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 =>
        {
            Ok(n as u64)
        }
        _ => Err(bad(
            "nowMs must be a non-negative integer number of milliseconds",
        )),
    }
}

/// Parses the response of operation `operation` (`{status, headers, body}`) into its typed
/// output; B-Trust's errors, rejections and malformed bodies are thrown as `CqesError`.
#[wasm_bindgen(js_name = parseResponse)]
pub fn parse_response(op: JsValue, response: JsValue) -> Result<JsValue, JsValue> {
    let op = string_arg(&op, "operation")?;
    let response = read_response(response)?;
    let ser = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    registry::parse_response(&op, response, &ser)
        .map_err(throw)?
        .map_err(|e| bad(&format!("could not convert a result: {e}")))
}

/// Parses a callback body (`kind`: `sign` or `identification`; identification callbacks must
/// be addressed to `config`'s relying party).
#[wasm_bindgen(js_name = parseCallback)]
pub fn parse_callback(kind: JsValue, config: JsValue, body: JsValue) -> Result<JsValue, JsValue> {
    let kind = string_arg(&kind, "kind")?;
    let config = read_config(config)?;
    let body = body_arg(&body)?;
    to_js(&registry::parse_callback_json(&kind, &config, &body).map_err(throw)?)
}

/// 16 bytes from the platform's secure random source (Web Crypto, in browsers, Node ≥ 19,
/// Deno, Bun and Workers): the core derives the flow's ids and jitter from them.
fn entropy() -> Result<cqes_core::Blob, JsValue> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())?;
    let get = js_sys::Reflect::get(&crypto, &"getRandomValues".into())?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| bad("globalThis.crypto.getRandomValues is missing: pass options.entropy"))?;
    let buf = js_sys::Uint8Array::new_with_length(16);
    get.call1(&crypto, &buf)?;
    Ok(cqes_core::Blob::from(buf.to_vec()))
}

/// A running flow. The host sends what `next` hands out and reports back what came in.
#[wasm_bindgen]
pub struct Flow {
    inner: AnyFlow,
}

#[wasm_bindgen]
impl Flow {
    /// Starts flow `name` (`btrust.sign`, …). `options.entropy` defaults to 16 bytes from
    /// `crypto.getRandomValues`.
    pub fn start(
        name: JsValue,
        config: JsValue,
        input: JsValue,
        options: JsValue,
    ) -> Result<Flow, JsValue> {
        let name = string_arg(&name, "name")?;
        let config = read_config(config)?;
        let mut options: FlowOptions = if options.is_undefined() || options.is_null() {
            FlowOptions::default()
        } else {
            registry::input_from_json(&json_arg(&options)?).map_err(throw)?
        };
        if options.entropy.is_none() {
            options.entropy = Some(entropy()?);
        }
        AnyFlow::start_json(&name, config, &json_arg(&input)?, options)
            .map(|inner| Flow { inner })
            .map_err(throw)
    }

    /// Rebuilds a flow from `snapshot()`'s text.
    pub fn restore(snapshot: JsValue) -> Result<Flow, JsValue> {
        let s = string_arg(&snapshot, "snapshot")?;
        AnyFlow::restore(&s)
            .map(|inner| Flow { inner })
            .map_err(throw)
    }

    /// The flow's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.name().to_owned()
    }

    /// What to do next: `{step: "send", id, request}`, `{step: "wait", untilMs}`,
    /// `{step: "done", …outcome}` or `{step: "failed", error, …}`.
    pub fn next(&mut self, now_ms: JsValue) -> Result<JsValue, JsValue> {
        let now = now_arg(&now_ms)?;
        to_js(&self.inner.next(now))
    }

    /// Reports the response to request `id`.
    #[wasm_bindgen(js_name = handleResponse)]
    pub fn handle_response(
        &mut self,
        id: JsValue,
        response: JsValue,
        now_ms: JsValue,
    ) -> Result<(), JsValue> {
        let id = now_arg(&id).map_err(|_| bad("id must be the id `next` handed out"))?;
        let response = read_response(response)?;
        let now = now_arg(&now_ms)?;
        self.inner.handle_response(id, response, now).map_err(throw)
    }

    /// Reports that request `id` failed: `kind` is `connect`, `tls`, `timeout`, `io`,
    /// `too_large` or `other`.
    #[wasm_bindgen(js_name = handleTransportError)]
    pub fn handle_transport_error(
        &mut self,
        id: JsValue,
        kind: JsValue,
        now_ms: JsValue,
    ) -> Result<(), JsValue> {
        let id = now_arg(&id).map_err(|_| bad("id must be the id `next` handed out"))?;
        let kind = string_arg(&kind, "kind")?;
        let quoted = serde_json::to_vec(&kind).map_err(|_| bad("kind"))?;
        let kind: TransportErrorKind = serde_json::from_slice(&quoted)
            .map_err(|_| bad(&format!("unknown transport error kind {kind:?}")))?;
        let now = now_arg(&now_ms)?;
        self.inner
            .handle_transport_error(id, kind, now)
            .map_err(throw)
    }

    /// Hands a callback body the relying party received (bytes or text) to the flow.
    #[wasm_bindgen(js_name = handleCallback)]
    pub fn handle_callback(&mut self, body: JsValue, now_ms: JsValue) -> Result<(), JsValue> {
        let body = body_arg(&body)?;
        let now = now_arg(&now_ms)?;
        self.inner.handle_callback_body(&body, now).map_err(throw)
    }

    /// The whole state as versioned JSON text (store it; `Flow.restore` resumes).
    pub fn snapshot(&self) -> String {
        self.inner.snapshot()
    }

    /// Progress for display (no personal data).
    pub fn progress(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.progress())
    }

    /// The configuration the flow runs with.
    pub fn config(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.config())
    }

    /// Transition-table rows taken since the last call (for the conformance runner).
    #[wasm_bindgen(js_name = takeTransitions)]
    pub fn take_transitions(&mut self) -> Vec<JsValue> {
        self.inner
            .take_transitions()
            .into_iter()
            .map(JsValue::from_str)
            .collect()
    }

    /// Every row of the flow's transition table.
    pub fn table(&self) -> Vec<JsValue> {
        self.inner
            .table()
            .iter()
            .map(|s| JsValue::from_str(s))
            .collect()
    }
}

//! `@cqes/wasm`: cqes-core for browsers and edge runtimes. Deliberately generic, like the
//! Python binding: operations, flows and rules are reached by name through the core's
//! registry, inputs arrive as plain JS values (camelCase keys, `Uint8Array` for byte strings)
//! and outputs leave the same way, so an operation added to the core needs no code here.
//! Typed signatures come from the core's TypeScript declarations (`index.d.ts`).
//!
//! Every export takes `JsValue`s and checks them itself, so junk of any JS type becomes a
//! thrown `CqesError` (`error`, `message`, fields of the core's error), never a trap.

use cqes_core::btrust::registry;
use cqes_core::btrust::Config;
use cqes_core::{Error, Issue};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(feature = "full")]
mod flow;
mod value;
#[cfg(feature = "full")]
pub use flow::*;

/// The serializer every output goes through: plain objects (not `Map`s), `null` for absent
/// optionals (so outputs equal the core's JSON, bytes aside), `Uint8Array` for byte strings.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    value.serialize(&ser).map_err(|e| {
        throw(Error::invalid_state(format!(
            "could not convert a result: {e}"
        )))
    })
}

/// The core's error as a thrown JS `Error` named `CqesError`, carrying the error's JSON fields
/// (`error` is the stable code; `issues` for validation).
pub(crate) fn throw(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("CqesError");
    if let Ok(fields) = to_js_plain(&e.to_json()) {
        if let Ok(obj) = fields.dyn_into::<js_sys::Object>() {
            js_sys::Object::assign(&err, &obj);
        }
    }
    err.into()
}

fn to_js_plain(v: &serde_json::Value) -> Result<JsValue, serde_wasm_bindgen::Error> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

pub(crate) fn bad(what: &str) -> JsValue {
    throw(Error::invalid_state(what.to_owned()))
}

/// A JS argument as JSON text for the core (see [`value`]); junk is a typed error.
pub(crate) fn json_arg(v: &JsValue) -> Result<Vec<u8>, JsValue> {
    value::to_json(v).map_err(|e| bad(&e))
}

pub(crate) fn string_arg(v: &JsValue, what: &str) -> Result<String, JsValue> {
    v.as_string()
        .ok_or_else(|| bad(&format!("{what} must be a string")))
}

/// Reads a configuration object, reporting problems under `config.` (as Python does).
pub(crate) fn read_config(v: JsValue) -> Result<Config, JsValue> {
    let config: Config = registry::config_from_json(&json_arg(&v)?).map_err(throw)?;
    Ok(config)
}

/// Names of every operation.
#[wasm_bindgen]
pub fn operations() -> Vec<JsValue> {
    registry::OPERATIONS
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect()
}

/// Names of every validation rule.
#[wasm_bindgen]
pub fn rules() -> Vec<JsValue> {
    registry::RULES
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect()
}

/// Runs validation rule `rule` on `value` (a string; `{egn, dateOfBirth}` for
/// `egnWithDateOfBirth`); returns the issues (paths relative to the value, `$`).
#[wasm_bindgen(js_name = checkRule)]
pub fn check_rule(rule: JsValue, value: JsValue) -> Result<JsValue, JsValue> {
    let rule = string_arg(&rule, "rule")?;
    // Through the text, as every input: one JS conversion in the module.
    let value: serde_json::Value =
        serde_json::from_slice(&json_arg(&value)?).map_err(|e| bad(&format!("value: {e}")))?;
    let issues = registry::check_rule(&rule, &value).map_err(throw)?;
    to_js(&issues)
}

fn build(op: JsValue, config: JsValue, input: JsValue) -> Result<cqes_core::HttpRequest, JsValue> {
    let op = string_arg(&op, "operation")?;
    let config = read_config(config)?;
    registry::build_request_json(&op, &config, &json_arg(&input)?).map_err(throw)
}

/// Builds the request of operation `operation` (a preview: a browser cannot present the
/// client certificate B-Trust demands). Throws `CqesError` with every issue when invalid.
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(op: JsValue, config: JsValue, input: JsValue) -> Result<JsValue, JsValue> {
    to_js(&build(op, config, input)?)
}

/// Validates `input` for operation `operation` with every rule the core applies, returning all
/// issues at once (`[]` when it would build); other errors (unknown operation) are thrown.
#[wasm_bindgen]
pub fn validate(op: JsValue, config: JsValue, input: JsValue) -> Result<JsValue, JsValue> {
    let op = string_arg(&op, "operation")?;
    let config = match read_config(config) {
        Ok(c) => c,
        Err(e) => return config_issues(e),
    };
    let issues: Vec<Issue> = match registry::build_request_json(&op, &config, &json_arg(&input)?) {
        Ok(_) => Vec::new(),
        Err(Error::Validation { issues }) => issues,
        Err(other) => return Err(throw(other)),
    };
    to_js(&issues)
}

/// A configuration that does not read is a list of issues too, not an exception.
fn config_issues(thrown: JsValue) -> Result<JsValue, JsValue> {
    match js_sys::Reflect::get(&thrown, &"issues".into()) {
        Ok(issues) if issues.is_array() => Ok(issues),
        _ => Err(thrown),
    }
}

/// The request body as text (the exact JSON that would be sent), for previews.
#[wasm_bindgen(js_name = previewBody)]
pub fn preview_body(op: JsValue, config: JsValue, input: JsValue) -> Result<String, JsValue> {
    let req = build(op, config, input)?;
    String::from_utf8(req.body.as_bytes().to_vec()).map_err(|_| bad("the body is not text"))
}

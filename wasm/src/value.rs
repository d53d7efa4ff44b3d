//! JS values into `serde_json::Value`, so every input reaches the core through the same
//! deserializer as in the Rust and vector runners: serde-wasm-bindgen's would read only a
//! struct's known keys (a misspelt field would pass silently) and word its errors differently
//! from the messages the core turns into issue paths. Byte arrays become `{"$bytes": base64}`,
//! which the core's byte-string types read as raw bytes.

use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// How deep a value may nest. Recursion on a cyclic or absurdly deep value would exhaust the
/// wasm stack, which traps and poisons the instance; no real input nests past 10.
const MAX_DEPTH: usize = 64;

/// Converts `v`; `Err` names the offending place (`$.request.contents[0]`).
pub fn to_value(v: &JsValue) -> Result<Value, String> {
    convert(v, 0, &mut |_| "$".to_owned())
}

fn convert(v: &JsValue, depth: usize, at: &mut dyn FnMut(()) -> String) -> Result<Value, String> {
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    if let Some(n) = v.as_f64() {
        return Ok(number(n));
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if v.is_null() || v.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(bytes) = v.dyn_ref::<js_sys::Uint8Array>() {
        let b64 = base64_simd::STANDARD.encode_to_string(bytes.to_vec());
        return Ok(Value::Object(Map::from_iter([(
            "$bytes".to_owned(),
            Value::String(b64),
        )])));
    }
    if v.is_bigint() {
        let text = js_sys::BigInt::from(v.clone())
            .to_string(10)
            .map(String::from)
            .unwrap_or_default();
        return text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .map_err(|_| format!("{}: the BigInt is out of range", at(())));
    }
    if !v.is_object() || v.is_function() || js_sys::ArrayBuffer::is_view(v) {
        return Err(format!(
            "{}: a {} cannot be read as input",
            at(()),
            type_name(v)
        ));
    }
    if depth >= MAX_DEPTH {
        return Err(format!(
            "{}: nested deeper than {MAX_DEPTH} levels (or cyclic)",
            at(())
        ));
    }
    if let Some(a) = v.dyn_ref::<js_sys::Array>() {
        let mut out = Vec::with_capacity(a.length() as usize);
        for (i, x) in a.iter().enumerate() {
            out.push(convert(&x, depth + 1, &mut |_| format!("{}[{i}]", at(())))?);
        }
        return Ok(Value::Array(out));
    }
    let mut out = Map::new();
    for entry in js_sys::Object::entries(v.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let val = pair.get(1);
        if val.is_undefined() {
            continue; // as JSON.stringify: an undefined property is an absent one
        }
        let x = convert(&val, depth + 1, &mut |_| format!("{}.{key}", at(())))?;
        out.insert(key, x);
    }
    Ok(Value::Object(out))
}

/// Integers stay integers (a count of 1 is not 1.0); NaN and infinities have no JSON form.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
        Value::from(n as i64)
    } else {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

fn type_name(v: &JsValue) -> String {
    v.js_typeof()
        .as_string()
        .unwrap_or_else(|| "value".to_owned())
}

//! JS values into JSON text, so every input reaches the core through the same deserializer as
//! responses and snapshots (serde_json's slice reader: each model's code exists once in the
//! module, and a bad field is located from the text). serde-wasm-bindgen's deserializer would
//! read only a struct's known keys (a misspelt field would pass silently) and word its errors
//! differently from the messages the core turns into issue paths. Byte arrays become
//! `{"$bytes": base64}`, which the core's byte-string types read as raw bytes.

use wasm_bindgen::{JsCast, JsValue};

/// How deep a value may nest. Recursion on a cyclic or absurdly deep value would exhaust the
/// wasm stack, which traps and poisons the instance; no real input nests past 10.
const MAX_DEPTH: usize = 64;

/// Converts `v` to JSON text; `Err` names the offending place (`$.request.contents[0]`).
pub fn to_json(v: &JsValue) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    write(v, 0, &mut |_| "$".to_owned(), &mut out)?;
    Ok(out)
}

/// A JSON string: quotes, backslashes and control characters escaped (JSON's whole rule).
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for &b in s.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0..=0x1f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 15)]);
            }
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

fn write(
    v: &JsValue,
    depth: usize,
    at: &mut dyn FnMut(()) -> String,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    if let Some(s) = v.as_string() {
        string(out, &s);
        return Ok(());
    }
    if let Some(n) = v.as_f64() {
        number(out, n);
        return Ok(());
    }
    if let Some(b) = v.as_bool() {
        out.extend_from_slice(if b { b"true" } else { b"false" });
        return Ok(());
    }
    if v.is_null() || v.is_undefined() {
        out.extend_from_slice(b"null");
        return Ok(());
    }
    if let Some(bytes) = v.dyn_ref::<js_sys::Uint8Array>() {
        out.extend_from_slice(b"{\"$bytes\":\"");
        base64_simd::STANDARD.encode_append(bytes.to_vec(), out);
        out.extend_from_slice(b"\"}");
        return Ok(());
    }
    if v.is_bigint() {
        let text: String = js_sys::BigInt::from(v.clone())
            .to_string(10)
            .map(String::from)
            .unwrap_or_default();
        if text.parse::<i64>().is_err() && text.parse::<u64>().is_err() {
            return Err(format!("{}: the BigInt is out of range", at(())));
        }
        out.extend_from_slice(text.as_bytes());
        return Ok(());
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
        out.push(b'[');
        for (i, x) in a.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write(&x, depth + 1, &mut |_| format!("{}[{i}]", at(())), out)?;
        }
        out.push(b']');
        return Ok(());
    }
    out.push(b'{');
    let mut first = true;
    for entry in js_sys::Object::entries(v.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let val = pair.get(1);
        if val.is_undefined() {
            continue; // as JSON.stringify: an undefined property is an absent one
        }
        if !first {
            out.push(b',');
        }
        first = false;
        string(out, &key);
        out.push(b':');
        write(&val, depth + 1, &mut |_| format!("{}.{key}", at(())), out)?;
    }
    out.push(b'}');
    Ok(())
}

/// Integers stay integers (a count of 1 is not 1.0); NaN and infinities have no JSON form.
fn number(out: &mut Vec<u8>, n: f64) {
    if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
        out.extend_from_slice((n as i64).to_string().as_bytes());
    } else if let Some(n) = serde_json::Number::from_f64(n) {
        out.extend_from_slice(n.to_string().as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

fn type_name(v: &JsValue) -> String {
    v.js_typeof()
        .as_string()
        .unwrap_or_else(|| "value".to_owned())
}

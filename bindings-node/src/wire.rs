//! Values on their way to JS: JSON text plus the byte strings, moved out of the text.

use crate::convert_error;
use cqes_core::{Blob, Error, HttpRequest};
use napi::bindgen_prelude::{Array, BufferSlice, ToNapiValue};
use napi::Env;
use serde::Serialize;

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
pub(crate) struct SideBytes<'a> {
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

pub(crate) type WireSerializer<'a> = serde_json::Serializer<&'a mut Vec<u8>, SideBytes<'a>>;

pub(crate) fn wire_of(
    f: impl FnOnce(&mut WireSerializer<'_>) -> Result<(), Error>,
) -> Result<Wire, Error> {
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

pub(crate) fn wire<T: Serialize + ?Sized>(value: &T) -> Result<Wire, Error> {
    wire_of(|ser| value.serialize(ser).map_err(convert_error))
}

/// A request as a [`Wire`].
pub(crate) fn request_wire(mut req: HttpRequest) -> Result<Wire, Error> {
    // The body (a 10 MiB document's base64, say) is handed over without the copy the
    // serializer would make: it is the request's only byte string, so blob 0.
    let body = std::mem::replace(&mut req.body, Blob::from(Vec::new()));
    let mut w = wire(&req)?;
    w.blobs[0] = Vec::from(body.into_bytes());
    Ok(w)
}

//! Byte strings in models: [`Blob`] for bytes the core hands out, [`ContentData`] for the
//! document a caller hands in.
//!
//! On the JSON wire both are standard base64 strings, written by [`crate::json`] straight from
//! the bytes into the request body. In hosts they are native byte strings (`bytes` in Python,
//! `Uint8Array` in JavaScript), because they serialise through `serialize_bytes`. In JSON that
//! has no byte type (test vectors, config files) a byte string may also be spelt
//! `{"$bytes": "<base64>"}`.

use bytes::Bytes;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The key of the JSON spelling of a byte string: `{"$bytes": "<base64>"}`.
pub const BYTES_KEY: &str = "$bytes";

/// Decodes standard base64; tolerates line breaks and missing padding only as a fallback,
/// because some servers wrap long base64 values (MIME style).
pub fn decode_base64_lenient(text: &[u8]) -> Option<Vec<u8>> {
    match base64_simd::STANDARD.decode_to_vec(text) {
        Ok(v) => Some(v),
        Err(_) => base64_simd::forgiving_decode_to_vec(text).ok(),
    }
}

/// An immutable byte string (a downloaded document, a certificate, a QR image).
/// Cloning is cheap: the bytes are shared, never copied.
#[derive(Clone, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "Uint8Array"))]
pub struct Blob(Bytes);

// Hosts get their own byte type (ByteArray, Uint8Array); the copy happens at the FFI edge.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(Blob, Vec<u8>, {
    lower: |b| b.0.to_vec(),
    try_lift: |v| Ok(Blob(Bytes::from(v))),
});

impl Blob {
    /// Wraps bytes without copying them.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Blob(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The shared buffer.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// Standard base64 of the bytes.
    pub fn to_base64(&self) -> String {
        base64_simd::STANDARD.encode_to_string(&self.0)
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Self {
        Blob(Bytes::from(v))
    }
}

impl From<&[u8]> for Blob {
    fn from(v: &[u8]) -> Self {
        Blob(Bytes::copy_from_slice(v))
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

// Documents are personal data: Debug shows the size only.
impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

/// What a byte-string field may arrive as.
enum BytesOrText {
    Bytes(Vec<u8>),
    Text(String),
}

/// `decode`: a string is base64 to decode right here, so a bad one is reported where it
/// stands (a reader that locates errors by position, `crate::de`, then names its field) and
/// is never copied first.
struct BytesOrTextVisitor {
    decode: bool,
}

impl BytesOrTextVisitor {
    fn text<E: de::Error>(
        &self,
        v: &str,
        owned: impl FnOnce() -> String,
    ) -> Result<BytesOrText, E> {
        if self.decode {
            decode_base64_lenient(v.as_bytes())
                .map(BytesOrText::Bytes)
                .ok_or_else(|| E::custom("not valid base64"))
        } else {
            Ok(BytesOrText::Text(owned()))
        }
    }
}

impl<'de> Visitor<'de> for BytesOrTextVisitor {
    type Value = BytesOrText;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a base64 string, a byte string or {\"$bytes\": \"<base64>\"}")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<BytesOrText, E> {
        self.text(v, || v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<BytesOrText, E> {
        self.text(&v, || v.clone())
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<BytesOrText, E> {
        Ok(BytesOrText::Bytes(v.to_vec()))
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<BytesOrText, E> {
        Ok(BytesOrText::Bytes(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<BytesOrText, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(b) = seq.next_element::<u8>()? {
            out.push(b);
        }
        Ok(BytesOrText::Bytes(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BytesOrText, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != BYTES_KEY || found.is_some() {
                return Err(de::Error::custom(
                    "a byte-string object must have exactly one key, \"$bytes\"",
                ));
            }
            let text: String = map.next_value()?;
            found = Some(
                decode_base64_lenient(text.as_bytes())
                    .ok_or_else(|| de::Error::custom("\"$bytes\" is not valid base64"))?,
            );
        }
        found
            .map(BytesOrText::Bytes)
            .ok_or_else(|| de::Error::custom("missing \"$bytes\""))
    }
}

impl<'de> Deserialize<'de> for Blob {
    /// A string is base64 (the wire form); bytes and `{"$bytes": ...}` are taken as they are.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(BytesOrTextVisitor { decode: true })? {
            BytesOrText::Bytes(b) => Ok(Blob::from(b)),
            BytesOrText::Text(t) => decode_base64_lenient(t.as_bytes())
                .map(Blob::from)
                .ok_or_else(|| de::Error::custom("not valid base64")),
        }
    }
}

/// The `data` of a document to sign, as the caller supplies it.
///
/// - [`ContentData::Bytes`]: raw bytes. The core writes them as base64 for `BINARY_BASE64` and
///   `DIGEST` content, and as UTF-8 text for `TEXT` content; the caller never encodes.
/// - [`ContentData::Encoded`]: a string sent exactly as given (base64 you already hold, or the
///   text of `TEXT` content). It is validated, never re-encoded.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "Uint8Array | string"))]
pub enum ContentData {
    /// Raw bytes, encoded by the core as the content format requires.
    Bytes(Blob),
    /// The wire string, sent verbatim.
    Encoded(String),
}

impl ContentData {
    /// Raw bytes to be encoded by the core.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        ContentData::Bytes(Blob::new(bytes))
    }

    /// A wire string sent verbatim (base64, or the text of `TEXT` content).
    pub fn encoded(text: impl Into<String>) -> Self {
        ContentData::Encoded(text.into())
    }
}

impl fmt::Debug for ContentData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContentData::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            ContentData::Encoded(s) => write!(f, "Encoded({} chars)", s.len()),
        }
    }
}

impl Serialize for ContentData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ContentData::Bytes(b) => b.serialize(s),
            ContentData::Encoded(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for ContentData {
    /// A string is the verbatim wire form; bytes and `{"$bytes": ...}` are raw bytes.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(
            match d.deserialize_any(BytesOrTextVisitor { decode: false })? {
                BytesOrText::Bytes(b) => ContentData::Bytes(Blob::from(b)),
                BytesOrText::Text(t) => ContentData::Encoded(t),
            },
        )
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Blob {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Blob".into()
    }
    fn inline_schema() -> bool {
        true
    }
    /// Bytes: base64 in JSON, a native byte string in hosts.
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "contentEncoding": "base64", "x-cqes-bytes": true})
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ContentData {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ContentData".into()
    }
    fn inline_schema() -> bool {
        true
    }
    /// Bytes (encoded by the core) or a string sent verbatim.
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "x-cqes-bytes-or-text": true})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_accepts_every_spelling() {
        let a: Blob = serde_json::from_str("\"aGk=\"").unwrap();
        let b: Blob = serde_json::from_str("{\"$bytes\":\"aGk=\"}").unwrap();
        let c: Blob = serde_json::from_str("[104,105]").unwrap();
        let d: Blob = serde_json::from_str("\"aG\\nk=\"").unwrap();
        assert!([&a, &b, &c, &d].iter().all(|x| x.as_bytes() == b"hi"));
        assert!(serde_json::from_str::<Blob>("\"!!\"").is_err());
        assert!(serde_json::from_str::<Blob>("{\"x\":\"aGk=\"}").is_err());
    }

    #[test]
    fn content_data_keeps_strings_verbatim() {
        let e: ContentData = serde_json::from_str("\"not base64 at all\"").unwrap();
        assert_eq!(e, ContentData::Encoded("not base64 at all".into()));
        let b: ContentData = serde_json::from_str("{\"$bytes\":\"aGk=\"}").unwrap();
        assert_eq!(b, ContentData::bytes(&b"hi"[..]));
        assert_eq!(format!("{b:?}"), "Bytes(2 bytes)");
    }
}

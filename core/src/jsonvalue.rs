//! Free-form JSON inside models: the shapes the service documents only in part (inferred
//! operations keep whatever else arrives, a device fingerprint the caller forwards).
//!
//! `serde_json::Value` itself cannot cross an FFI or carry binding derives, so it travels in
//! these two newtypes: JSON on the wire, `unknown` in TypeScript, JSON text through uniffi
//! (a Kotlin host parses it with the JSON library it already has).

use serde::{Deserialize, Serialize};

/// Any JSON value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "unknown"))]
pub struct JsonValue(pub serde_json::Value);

/// A JSON object: the fields an inferred model passes through as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonObject(pub serde_json::Map<String, serde_json::Value>);

impl JsonValue {
    /// `{}`.
    pub fn empty_object() -> Self {
        JsonValue(serde_json::Value::Object(Default::default()))
    }
}

impl JsonObject {
    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<serde_json::Value> for JsonValue {
    fn from(v: serde_json::Value) -> Self {
        JsonValue(v)
    }
}

/// Written by hand (not `ts(type = …)`) because inferred inputs flatten it
/// (`#[serde(flatten)] additional`), which a type override cannot express.
#[cfg(feature = "ts")]
impl ts_rs::TS for JsonObject {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "Record<string, unknown>".to_owned()
    }
    fn inline(c: &ts_rs::Config) -> String {
        Self::name(c)
    }
    fn inline_flattened(c: &ts_rs::Config) -> String {
        format!("({})", Self::inline(c))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for JsonValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <serde_json::Value as schemars::JsonSchema>::schema_name()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <serde_json::Value as schemars::JsonSchema>::json_schema(g)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for JsonObject {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <serde_json::Map<String, serde_json::Value> as schemars::JsonSchema>::schema_name()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <serde_json::Map<String, serde_json::Value> as schemars::JsonSchema>::json_schema(g)
    }
}

#[cfg(feature = "uniffi")]
fn json_text(v: &impl Serialize) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
}

/// Reads JSON text from a foreign caller. A failure is the core's own validation error, so
/// uniffi hands it to the caller as the function's error (`CqesException.Validation` in
/// Kotlin) rather than as an internal error.
#[cfg(feature = "uniffi")]
fn from_json_text<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> uniffi::Result<T> {
    serde_json::from_str(text).map_err(|_| {
        let mut v = crate::validate::Validator::new();
        v.issue(
            crate::validate::IssueCode::InvalidType,
            format!("{what} is not valid JSON text"),
        );
        let error = v
            .finish()
            .err()
            .unwrap_or_else(|| crate::Error::invalid_state("JSON text"));
        uniffi::deps::anyhow::Error::new(error)
    })
}

#[cfg(feature = "uniffi")]
uniffi::custom_type!(JsonValue, String, {
    lower: |v| json_text(&v.0),
    try_lift: |s| Ok(JsonValue(from_json_text(&s, "a free-form JSON value")?)),
});

#[cfg(feature = "uniffi")]
uniffi::custom_type!(JsonObject, String, {
    lower: |v| json_text(&v.0),
    try_lift: |s| Ok(JsonObject(from_json_text(&s, "a free-form JSON object")?)),
});

//! [`Secret`]: personal data and credentials that must never reach a log.
//!
//! EGN/LNC, OTPs, client and access tokens, phone numbers and e-mail addresses are wrapped in
//! `Secret` as soon as they enter the core. `Debug` and `Display` print `[redacted]`, so a value
//! cannot leak through `{:?}` in an error, a log line or a panic message. Serde sees the real
//! value, because the wire and the hosts need it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The text every secret prints as.
pub const REDACTED: &str = "[redacted]";

/// A value that prints as `[redacted]`. Use [`Secret::expose`] where the real value is needed.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// The real value. Call it only where the value goes on the wire or back to its owner.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the real value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret<String> {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Secret<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Secret)
    }
}

#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Secret<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn inline_schema() -> bool {
        true
    }
    /// The inner schema, marked `x-cqes-secret` (hosts hide it from reprs and logs).
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut s = T::json_schema(g);
        s.insert("x-cqes-secret".into(), true.into());
        s
    }
}

/// The one secret shape of the models: a string (EGN/LNC, OTP, token, phone, e-mail). Named
/// so bindings can map it to a redacting type of their own (uniffi custom type).
pub type SecretString = Secret<String>;

#[cfg(feature = "uniffi")]
uniffi::custom_type!(SecretString, String, {
    lower: |s| s.0,
    try_lift: |s| Ok(Secret(s)),
});

/// In TypeScript a secret is its inner type: JavaScript has no redacting wrapper to offer.
#[cfg(feature = "ts")]
impl<T: ts_rs::TS> ts_rs::TS for Secret<T> {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(c: &ts_rs::Config) -> String {
        T::name(c)
    }
    fn inline(c: &ts_rs::Config) -> String {
        T::inline(c)
    }
    fn visit_dependencies(v: &mut impl ts_rs::TypeVisitor)
    where
        Self: 'static,
    {
        T::visit_dependencies(v)
    }
    fn visit_generics(v: &mut impl ts_rs::TypeVisitor)
    where
        Self: 'static,
    {
        T::visit_generics(v);
        v.visit::<T>();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s: Secret<String> = Secret::from("7705256443");
        assert_eq!(format!("{s:?}"), REDACTED);
        assert_eq!(format!("{s}"), REDACTED);
        assert_eq!(format!("{:?}", Some(&s)), "Some([redacted])");
        assert_eq!(s.expose(), "7705256443");
    }
}

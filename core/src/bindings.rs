//! What the binding features require of every operation's input and output.
//!
//! Models carry [`crate::model`], which derives JSON Schema (`schema`), uniffi (`uniffi`) and
//! TypeScript (`ts`) support. The [`crate::btrust::Operation`] trait bounds its `Input` and
//! `Output` by [`InputBindings`] and [`OutputBindings`], so with a feature on, the core does
//! not compile unless every operation's input and output crosses to that host: the check that
//! no host ever needs a model of its own.

#[cfg(feature = "schema")]
mod schema {
    /// With feature `schema`: described by a JSON Schema.
    pub trait Schema: schemars::JsonSchema {}
    impl<T: schemars::JsonSchema> Schema for T {}
}
#[cfg(not(feature = "schema"))]
mod schema {
    /// Without feature `schema`: no bound.
    pub trait Schema {}
    impl<T> Schema for T {}
}

#[cfg(feature = "ts")]
mod ts {
    /// With feature `ts`: has a TypeScript declaration.
    pub trait Ts: ts_rs::TS {}
    impl<T: ts_rs::TS> Ts for T {}
}
#[cfg(not(feature = "ts"))]
mod ts {
    /// Without feature `ts`: no bound.
    pub trait Ts {}
    impl<T> Ts for T {}
}

#[cfg(feature = "uniffi")]
mod ffi {
    /// With feature `uniffi`: can be received from a foreign language.
    pub trait Lift: uniffi::Lift<crate::UniFfiTag> {}
    impl<T: uniffi::Lift<crate::UniFfiTag>> Lift for T {}
    /// With feature `uniffi`: can be handed to a foreign language.
    pub trait Lower: uniffi::Lower<crate::UniFfiTag> {}
    impl<T: uniffi::Lower<crate::UniFfiTag>> Lower for T {}
}
#[cfg(not(feature = "uniffi"))]
mod ffi {
    /// Without feature `uniffi`: no bound.
    pub trait Lift {}
    impl<T> Lift for T {}
    /// Without feature `uniffi`: no bound.
    pub trait Lower {}
    impl<T> Lower for T {}
}

pub use ffi::{Lift, Lower};
pub use schema::Schema;
pub use ts::Ts;

/// What an operation's input must be under the enabled binding features.
pub trait InputBindings: Schema + Ts + Lift {}
impl<T: Schema + Ts + Lift> InputBindings for T {}

/// What an operation's output must be under the enabled binding features.
pub trait OutputBindings: Schema + Ts + Lower {}
impl<T: Schema + Ts + Lower> OutputBindings for T {}

//! The core alone, as a cdylib with feature `uniffi`. It holds no code: uniffi-bindgen reads
//! the scaffolding and metadata that cqes-core's derives emit (library mode) and writes Kotlin
//! for every model, so the test command can check that every operation's input and output
//! reaches a foreign language without a model written by a host.

pub use cqes_core;

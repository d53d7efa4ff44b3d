//! # cqes-core
//!
//! The sans-IO core of **cqes**, an SDK for cloud qualified electronic signatures (CQES) and
//! remote identification. It builds complete HTTP requests, parses responses, validates every
//! input and advances multi-step flows as serialisable state machines. It owns no sockets, no
//! clock, no randomness and no async runtime: hosts (Rust, Python, Node, Kotlin, the browser)
//! move bytes and pass the current time in.
//!
//! Layout:
//! - shared machinery: [`http`] (request/response values), [`error`] (one error enum with stable
//!   codes), [`secret`] (redacted personal data), [`validate`] (all issues at once, with JSON
//!   paths), [`de`] (typed reads of JSON text, with the path of a problem), [`time`] (lenient date-times), [`blob`] (byte strings), [`json`] (the wire encoder),
//!   [`flow`] (the state-machine call contract);
//! - one namespace per provider: [`btrust`] (BORICA B-Trust).
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

// Scaffolding of the `uniffi` feature: every model deriving `uniffi::Record`/`Enum`/`Error`
// registers itself here, and a host's cdylib (bindings-kotlin) exports it.
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("cqes_core");

#[macro_use]
pub mod enums;
pub mod bindings;
pub mod blob;
pub mod de;
pub mod error;
pub mod flow;
pub mod http;
pub mod json;
pub mod jsonvalue;
#[cfg(feature = "pkcs12")]
pub mod pkcs12;
pub mod secret;
pub mod time;
pub mod validate;

pub mod btrust;

/// The one line of attributes every model carries: the derives of each binding feature
/// (`schema`, `uniffi`, `ts`); see the `cqes-macros` crate.
pub use cqes_macros::model;

pub use blob::{Blob, ContentData};
pub use error::{Error, ItemState, TransportErrorKind};
pub use flow::{FlowOptions, Outgoing, PollPolicy, Step};
pub use http::{Header, HttpRequest, HttpResponse, Method, ResponseExpectation, ResponseKind};
pub use jsonvalue::{JsonObject, JsonValue};
pub use secret::Secret;
pub use time::Timestamp;
pub use validate::{Issue, IssueCode, Validate, Validator};

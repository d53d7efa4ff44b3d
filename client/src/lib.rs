//! # cqes — B-Trust CQES for Rust
//!
//! An async client over [`cqes_core`]: it owns the mutual-TLS connection (reqwest + rustls)
//! and moves bytes; every rule — validation, polling, backoff, reconciliation of lost
//! requests, the per-item decision — is the core's. It never follows redirects and never
//! retries on its own.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cqes_core::Error> {
//! use cqes::{Client, ClientIdentity};
//! use cqes_core::btrust::{Content, Environment, SignRequest, SignerIdentity};
//!
//! let client = Client::builder()
//!     .environment(Environment::Uat)
//!     .relying_party_id("12345678")
//!     .identity(ClientIdentity::pkcs12_file("rp.p12", "secret")?)
//!     .build()?;
//! let request = SignRequest {
//!     contents: vec![Content::document("Please sign the contract", std::fs::read("contract.pdf").unwrap())],
//!     relying_party_callback_id: None, // generated for you
//!     callback_url: None,
//!     payer: None,
//!     is_login: None,
//! };
//! let outcome = client.sign(SignerIdentity::PersonalId("7501010010".into()), request).await?;
//! for item in outcome.items {
//!     if let Some(doc) = item.document {
//!         std::fs::write(doc.file_name.unwrap_or("signed.pdf".into()), doc.content.as_bytes()).unwrap();
//!     }
//! }
//! # Ok(()) }
//! ```

pub mod blocking;
mod client;
mod identity;
mod transport;

pub use client::{now_ms, Client, ClientBuilder};
pub use cqes_core;
pub use identity::ClientIdentity;
pub use transport::{Transport, TransportFailure};

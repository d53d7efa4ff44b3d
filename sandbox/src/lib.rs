//! # cqes-sandbox
//!
//! A local B-Trust: HTTPS with client-certificate authentication, stateful signing requests,
//! a scriptable end user (approve, reject, let expire — by hand through the control API or
//! automatically), callbacks, and deterministic fault injection. Relying-party developers can
//! build and test before BORICA registers their certificate; cqes tests every host against it
//! over real mutual TLS on loopback.
//!
//! Behaviour follows the reference's emulator model (§10): requests live for a validity
//! window, items move `IN_PROGRESS` → `SIGNED`/`REJECTED`/`EXPIRED`, polls answer 206 while
//! pending and 200 `COMPLETED` after, signed files are real files of the requested kind and
//! stay downloadable for the retention period, a reused `relyingPartyCallbackId` is refused.
//!
//! ```no_run
//! # async fn demo() -> Result<(), String> {
//! let sandbox = cqes_sandbox::Sandbox::start(Default::default()).await?;
//! println!("B-Trust at {}, control at {}", sandbox.base_url, sandbox.control_url);
//! sandbox.stop().await;
//! # Ok(()) }
//! ```

// Handlers return an early `Response` as their error: moved once per request, boxing it
// would only add an allocation.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod app;
pub mod ars;
pub mod ca;
pub mod callbacks;
pub mod clock;
pub mod config;
pub mod control;
pub mod docgen;
pub mod faults;
pub mod http;
pub mod ident;
pub mod ids;
pub mod messages;
pub mod pages;
pub mod pdfgen;
pub mod pki;
pub mod qr;
pub mod server;
pub mod simulator;
pub mod state;
pub mod tls;
pub mod users;

pub use config::{
    Behavior, BehaviorMode, FaultConfig, FaultKind, FaultRule, SandboxConfig, DEFAULT_RP,
    LIMITED_RP,
};
pub use pki::Pki;
pub use server::{Options, Sandbox};

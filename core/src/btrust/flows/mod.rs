//! B-Trust flows: serialisable state machines over the operations, following the contract of
//! [`crate::flow`]. Each flow file starts with its transition table, declared in code as a
//! row enum ([`SignRow`], [`MobileRow`], [`WebRow`]).
//!
//! Three engines run the five flows: `signing` ([`SignFlow`], [`QrSignFlow`]),
//! `mobile_engine` ([`MobileIdentificationFlow`]) and `web_engine`
//! ([`WebIdentificationFlow`], [`WebOtcSignFlow`]). They share the contract in `engine`
//! (one forwarding macro writes every flow's public surface) and the waiting machinery in
//! `waiting` (classifying answers, poll schedule, retries), so every flow backs off, retries
//! and gives up by the same rules.

mod ars_common;
#[macro_use]
mod engine;
pub mod auto_sign;
pub mod batch_sign;
pub mod consent;
mod mobile_engine;
pub mod mobile_ident;
pub mod oidc_sign;
pub mod qr_sign;
pub mod sign;
mod signing;
mod snapshot_de;
mod waiting;
mod web_engine;
pub mod web_ident;
pub mod web_otc;

pub use ars_common::ArsItem;
pub use auto_sign::{AutoSignFlow, AutoSignFlowInput, AutoSignOutcome, AutoSignRow};
pub use batch_sign::{BatchRow, BatchSignFlow, BatchSignFlowInput, BatchSignOutcome};
pub use consent::{ConsentFlow, ConsentFlowInput, ConsentOutcome, ConsentRow};
pub use mobile_ident::{MobileIdentificationFlow, MobileIdentificationOutcome, MobileRow};
/// The input of [`MobileIdentificationFlow`]: the identification request itself.
pub type MobileIdentificationFlowInput = crate::btrust::identification::IdentificationRequest;
pub use oidc_sign::{OidcRow, OidcSignFlow, OidcSignFlowInput, OidcSignOutcome};
pub use qr_sign::{QrSignFlow, QrSignFlowInput};
pub use sign::{SignFlow, SignFlowInput, SignOutcome, SignRow, SignedItem};
pub use web_ident::{
    WebIdentificationFlow, WebIdentificationFlowInput, WebIdentificationOutcome, WebRow,
};
pub use web_otc::{WebOtcSignFlow, WebOtcSignFlowInput, WebOtcSignOutcome};

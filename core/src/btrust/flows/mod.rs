//! B-Trust flows: serialisable state machines over the operations, following the contract of
//! [`crate::flow`]. Each flow file starts with its transition table.

pub mod mobile_ident;
pub mod qr_sign;
pub mod sign;
mod signing;
mod waiting;
#[macro_use]
mod web_engine;
pub mod web_ident;
pub mod web_otc;

pub use mobile_ident::{MobileIdentificationFlow, MobileIdentificationOutcome};
/// The input of [`MobileIdentificationFlow`]: the identification request itself.
pub type MobileIdentificationFlowInput = crate::btrust::identification::IdentificationRequest;
pub use qr_sign::{QrSignFlow, QrSignFlowInput};
pub use sign::{SignFlow, SignFlowInput};
pub use signing::{SignOutcome, SignedItem};
pub use web_engine::{WebIdentificationOutcome, WebOtcSignOutcome};
pub use web_ident::{WebIdentificationFlow, WebIdentificationFlowInput};
pub use web_otc::{WebOtcSignFlow, WebOtcSignFlowInput};

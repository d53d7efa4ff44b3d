//! B-Trust flows: serialisable state machines over the operations, following the contract of
//! [`crate::flow`]. Each flow file starts with its transition table.

pub mod qr_sign;
pub mod sign;
mod signing;

pub use qr_sign::{QrSignFlow, QrSignFlowInput};
pub use sign::{SignFlow, SignFlowInput};
pub use signing::{SignOutcome, SignedItem};

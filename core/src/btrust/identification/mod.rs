//! Remote Identification through B-Trust Mobile (seed 001 §1, "Integration guide — Remote
//! Identification"; reference §6), the identification callback, and the enums shared with web
//! identification.
//!
//! Field names are the guide's, typos included (`toBeArhieved`, snake_case
//! `identification_before`, `filename` in results), because that is what the service speaks.
//! Operations the guide only names have inferred shapes, say so in their docs, and pass
//! unknown fields through.

pub mod callback;
pub mod create_access_settings;
pub mod get_identification_result;
// The operation is called `identification` (`POST /v2/identification`), like its group.
#[allow(clippy::module_inception)]
pub mod identification;
pub mod models;

pub use callback::{parse_identification_callback, IdentificationCallback};
pub use create_access_settings::{AccessSettingsInput, CreateAccessSettings};
pub use get_identification_result::{
    GetIdentificationResult, GetIdentificationResultInput, IdentificationResult,
};
pub use identification::{
    Identification, IdentificationAccepted, IdentificationRequest, PersonIdentityData,
    MAX_REASON_CHARS,
};
pub use models::*;

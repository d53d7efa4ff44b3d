//! Web (video) identification (seed 001 §2, §4, §5): start a web session, create the
//! registration, send the customer's browser to the identification page, then read the
//! result after the callback. Registration and its status are not enveloped
//! ([`crate::btrust::plain::PlainResponse`]).

pub mod create_registration;
pub mod get_registration_status;
pub mod get_web_identification_results;
pub mod get_web_identification_status;
pub mod link;
pub mod models;
pub mod start_web_identification;
pub mod start_web_identification_without_otc;

pub use create_registration::{
    CreateRegistration, CreateRegistrationInput, RegistrationCreated, RegistrationRequest,
};
pub use get_registration_status::{
    GetRegistrationStatus, GetRegistrationStatusInput, RegistrationStatusInfo,
};
pub use get_web_identification_results::{
    GetWebIdentificationResults, GetWebIdentificationResultsInput, WebIdentificationResult,
};
pub use get_web_identification_status::{GetWebIdentificationStatus, WebIdentificationStatus};
pub use link::{identification_link, TEST_IDENTIFICATION_URL, UAT_IDENTIFICATION_URL};
pub use models::ResultIdInput;
pub use start_web_identification::{
    StartWebIdentification, StartWebIdentificationRequest, WebSessionStarted,
};
pub use start_web_identification_without_otc::StartWebIdentificationWithoutOtc;

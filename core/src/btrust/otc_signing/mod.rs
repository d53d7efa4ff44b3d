//! Signing with a one-time certificate after web identification (seed 001 §3; seed 000):
//! start a sign session with documents, send the customer to `clientDocumentUrl`, read the
//! signed documents after the callback. Generating and validating the OTP through the API, and
//! creating a sign session, are named by the portal only: their shapes are inferred.

pub mod create_sign_session;
pub mod generate_otp;
pub mod start_sign_session;
pub mod validate_otp;

pub use create_sign_session::{CreateSignSession, CreateSignSessionInput};
pub use generate_otp::GenerateOtp;
pub use start_sign_session::{
    DocumentForSign, SignSessionStarted, StartSignSession, StartSignSessionRequest,
};
pub use validate_otp::{ValidateOtp, ValidateOtpInput};

//! Automatic Remote Signing API (reference §7): an organisation's authorised signer consents
//! once in B-Trust Mobile; the organisation then signs its own documents unattended with the
//! access token (`X-ACCESS-TOKEN`), one request at a time or in batches. One file per
//! operation; models shared by several in [`models`]; the token's lifecycle in [`token`].
//!
//! The consent, token and sync shapes come from public clients (inferred to pass to BORICA
//! unchanged); the batch shapes are inferred. Each file says which.

pub mod get_consent;
pub mod get_signed_batch;
pub mod models;
pub mod send_batch_sign_request;
pub mod send_consent_request;
pub mod send_sync_sign_request;
pub mod token;
pub mod validate_access_token;

pub use get_consent::{ConsentResultResponse, GetConsent, GetConsentInput};
pub use get_signed_batch::{GetSignedBatch, GetSignedBatchInput};
pub use models::*;
pub use send_batch_sign_request::{
    BatchAcceptedResponse, SendBatchSignRequest, SendBatchSignRequestInput,
};
pub use send_consent_request::{
    ConsentAcceptedResponse, SendConsentRequest, SendConsentRequestInput,
};
pub use send_sync_sign_request::{
    ArsSignaturesResponse, SendSyncSignRequest, SendSyncSignRequestInput,
};
pub use token::{token_advice, TokenAdvice};
pub use validate_access_token::{ValidateAccessToken, ValidateAccessTokenInput};

//! OIDC signing API (reference §8): a relying party starts a signing request, sends the user's
//! browser to the authorisation URL where they log in and confirm, then polls the result and
//! reads the signer's data. Only the paths and purposes are published (seed 000): **every
//! model is inferred** and keeps unknown fields ([`models`]).

pub mod get_sign_result;
pub mod get_sign_result_user_data;
pub mod models;
pub mod sign;

pub use get_sign_result::{GetOidcSignResult, OidcSignResultResponse};
pub use get_sign_result_user_data::{GetOidcSignResultUserData, OidcUserDataResponse};
pub use models::*;
pub use sign::{OidcCallbackIdInput, OidcSign, OidcSignAcceptedResponse, OidcSignInput};

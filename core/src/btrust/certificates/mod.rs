//! Finding the signer (reference §5.2): the customer's certificate by profile id or by
//! identity, a client token from profile id + OTP, and whether a customer has an active cloud
//! QES. One file per operation.

pub mod check_client;
pub mod client_auth;
pub mod get_cert;
pub mod get_cert_by_identity;

pub use check_client::{CheckClient, CheckClientInput};
pub use client_auth::{AuthInfo, ClientAuth, ClientToken};
pub use get_cert::{ClientCert, GetCert, GetCertInput};
pub use get_cert_by_identity::{
    CertificateInfo, GetCertByIdentity, GetCertByIdentityInput, IdentificatorType,
};

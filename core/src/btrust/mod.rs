//! BORICA **B-Trust** CQES APIs: Signing API (this module), with Remote Identification,
//! Automatic Remote Signing and OIDC to follow. All four share the base URL
//! `https://<host>/signing-api` and mutual TLS with a client certificate BORICA registered,
//! plus the `relyingPartyID` header on every call.
//!
//! Sources, in order of trust: BORICA's Swagger of the Signing API, the seeds (developer
//! portal, Remote Identification guide), public clients, inference. Where a model is
//! inferred, its doc comment says so. Reference: `btrust-api.md` in the project's shared docs.
//!
//! - [`config`]: environment, relying-party id, language, limits
//! - [`ops`]: one build/parse pair per operation
//! - [`flows`]: [`flows::SignFlow`], [`flows::QrSignFlow`]
//! - [`registry`]: every operation, flow and rule by name (for hosts and test vectors)

pub mod callback;
pub mod codes;
pub mod config;
pub mod envelope;
pub mod flows;
pub mod ident;
pub mod identity;
pub mod models;
pub mod ops;
pub mod registry;
pub mod rules;

pub use callback::{parse_sign_callback, SignCallback};
pub use codes::ResponseCode;
pub use config::{Config, Environment, Language, Limits};
pub use envelope::{ApiResponse, DownloadedFile};
pub use flows::{QrSignFlow, QrSignFlowInput, SignFlow, SignFlowInput, SignOutcome, SignedItem};
pub use identity::SignerIdentity;
pub use models::{
    Content, ContentFormat, HashAlgorithm, Payer, SignRequest, SignRequestViaQr,
    SignRequestWithSingleContent, SignaturePosition, SignatureStatus, SignatureType,
};
pub use ops::Operation;

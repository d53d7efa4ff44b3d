//! BORICA **B-Trust** CQES APIs. All share the base URL `https://<host>/signing-api`, mutual
//! TLS with a client certificate BORICA registered, and the `relyingPartyID` header.
//!
//! Sources, in order of trust: BORICA's Swagger of the Signing API, the seeds (developer
//! portal, Remote Identification guide), public clients, inference. Where a model is
//! inferred, its doc comment says so. Reference: `btrust-api.md` in the project's shared docs.
//!
//! One folder per API group, one file per operation (`<group>/<operation>.rs`), the models
//! several operations share in the group's `models.rs`:
//! - [`signing`]: send, poll, download, QR, by CMR id, report, the sign callback
//! - [`certificates`]: certificates, client token, check client
//! - [`identification`]: identification through B-Trust Mobile, the identification callback
//! - [`web_identification`]: web (video) identification and its registration module
//! - [`otc_signing`]: signing with a one-time certificate after web identification
//! - [`ars`]: automatic remote signing (consent, access token, sync and batch signing)
//! - [`oidc`]: signing through an OpenID Connect redirect (every model inferred)
//!
//! Shared machinery: [`config`], [`envelope`] (and [`plain`] for unenveloped answers),
//! [`codes`], [`signer`] (`rpToClientAuthorization`), [`rules`], [`operation`] (the
//! [`Operation`] trait). [`list`] declares every operation and flow once; [`registry`] reaches
//! them by name; [`flows`] holds the multi-step flows.

#[macro_use]
pub mod list;
pub mod ars;
pub mod certificates;
pub mod codes;
pub mod config;
pub mod download;
pub mod envelope;
pub mod flows;
pub mod identification;
pub mod oidc;
pub mod operation;
pub mod otc_signing;
pub mod plain;
pub mod registry;
pub mod rules;
pub mod signer;
pub mod signing;
pub mod web_identification;

pub use codes::ResponseCode;
pub use config::{Config, Environment, Language, Limits};
pub use download::DownloadedFile;
pub use envelope::JsonResponse;
pub use flows::{QrSignFlow, QrSignFlowInput, SignFlow, SignFlowInput, SignOutcome, SignedItem};
pub use operation::Operation;
pub use signer::SignerIdentity;
pub use signing::{
    parse_sign_callback, Content, ContentFormat, HashAlgorithm, Payer, SignCallback, SignRequest,
    SignRequestViaQr, SignRequestWithSingleContent, SignaturePosition, SignatureStatus,
    SignatureType,
};

//! Models of the OIDC signing operations (reference §8).
//!
//! **Every model here is inferred.** BORICA publishes the three paths and their purposes
//! (seed 000) and nothing else; no public client calls them. The shapes follow the Signing API
//! (a sign request's `contents`, a `callbackId`, a poll that answers 206 while pending) plus the
//! OpenID Connect redirect (`redirectUri`, `state`). Every model keeps the fields it does not
//! know (`additional`), so a richer real answer is kept rather than refused, and the URL the
//! user is sent to is read under each name a service is likely to use.

use crate::blob::Blob;
use crate::btrust::rules;
use crate::btrust::signing::{Content, SignatureResult};
use crate::time::Timestamp;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

/// Largest number of items in one OIDC sign request (inferred guard).
pub const MAX_OIDC_CONTENTS: usize = 50;

/// Body of `POST /v2/oidc/sign` (**inferred**).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OidcSignRequest {
    /// Documents, digests or texts to sign, at least one.
    pub contents: Vec<Content>,
    /// Where the user's browser returns after logging in and confirming.
    pub redirect_uri: String,
    /// An opaque value returned with the redirect, binding it to the user's session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// The relying party's own id for this request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relying_party_callback_id: Option<String>,
    /// Further fields, sent as they are.
    #[serde(flatten)]
    pub additional: crate::JsonObject,
}

impl Validate for OidcSignRequest {
    fn validate(&self, v: &mut Validator) {
        crate::btrust::ars::models::validate_contents(v, &self.contents, MAX_OIDC_CONTENTS);
        v.field("redirectUri", |v| {
            rules::check_callback_url(v, &self.redirect_uri)
        });
        if let Some(state) = &self.state {
            v.field("state", |v| rules::check_token(v, state, 512, "state"));
        }
        if let Some(id) = &self.relying_party_callback_id {
            v.field("relyingPartyCallbackId", |v| {
                rules::check_token(v, id, 128, "relyingPartyCallbackId")
            });
        }
        if self.additional.0.contains_key("contents") {
            v.issue_at("contents", IssueCode::InvalidFormat, "given twice");
        }
    }
}

/// `data` of the answer to an OIDC sign request (**inferred**).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OidcSignAccepted {
    /// The request's id, for the result and user-data paths.
    pub callback_id: String,
    /// The authorisation URL to send the user's browser to (read from `authorizationUrl`,
    /// `redirectUrl`, `url` or `authUrl`).
    #[serde(default, alias = "redirectUrl", alias = "url", alias = "authUrl")]
    pub authorization_url: Option<String>,
    /// Until when the user can confirm.
    #[serde(default)]
    pub validity: Option<Timestamp>,
    /// Fields this model does not know, kept as sent.
    #[serde(flatten)]
    pub additional: crate::JsonObject,
}

/// `data` of `GET /v2/oidc/sign/result/{callbackId}` (**inferred**: like the Signing API's
/// `SignedContentsResponseData`).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OidcSignResult {
    /// One entry per requested item, in request order.
    #[serde(default)]
    pub signatures: Vec<SignatureResult>,
    /// The signing certificate (DER), when sent.
    #[serde(default)]
    pub cert: Option<Blob>,
    /// Fields this model does not know, kept as sent.
    #[serde(flatten)]
    pub additional: crate::JsonObject,
}

/// `data` of `GET /v2/oidc/sign/result/user-data/{callbackId}` (**inferred**: the signer's
/// identity claims). Personal data: `Debug` names the claims, never their values.
#[crate::model]
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", schemars(extend("x-cqes-secret" = true)))]
pub struct OidcUserData {
    /// Every claim, as sent.
    #[serde(flatten)]
    pub claims: crate::JsonObject,
}

impl std::fmt::Debug for OidcUserData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&String> = self.claims.0.keys().collect();
        f.debug_struct("OidcUserData")
            .field("claims", &names)
            .finish_non_exhaustive()
    }
}

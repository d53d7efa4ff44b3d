//! `SignFlow`: sign documents through B-Trust Mobile, end to end.
//!
//! `POST /v2/sign` → (on an ambiguous failure: `GET /v2/rpcallbackid/{id}` before anything is
//! resent) → poll `GET /v2/sign/{callbackId}` with backoff until every item is final or the
//! validity deadline passes → decide **per item** (a rejection also arrives as 200 /
//! `COMPLETED`) → download each signed document (`GET /v2/sign/content/{id}`), or return the
//! raw signatures of `SIGNATURE` items.
//!
//! ## Transition table
//!
//! | # | state | input | → state / effect |
//! |---|---|---|---|
//! | S1 | submitting | `next`, before `notBefore` | `Wait(notBefore)` |
//! | S2 | submitting | `next` | `Send(POST /v2/sign)` (the request is built once; a resend is byte-identical) |
//! | S3 | submitting | 200/202 with `callbackId` | polling; first poll after `firstPollAfterMs`; deadline = `validity` + grace (or `defaultValidityMs`) |
//! | S4 | submitting | 200/202 unreadable | reconciling (the request exists; its answer was garbled) |
//! | S5 | submitting | 5xx | reconciling (the service may have stored it) |
//! | S6 | submitting | 4xx `RP_CALLBACK_ID_DUPLICATE` after an earlier lost submission | reconciling |
//! | S7 | submitting | other 4xx (400, 401, 404 no certificate, a first-time duplicate) | failed(`api`) |
//! | S8 | submitting | transport `connect`/`tls` (nothing sent) | submitting after retry delay; failed(`transport`) after `maxConsecutiveFailures` |
//! | S9 | submitting | transport `timeout`/`io`/`other`/`too_large` (may have been processed) | reconciling |
//! | R1 | reconciling | `next` | `Send(GET /v2/rpcallbackid/{rpCallbackId})` |
//! | R2 | reconciling | 200/206 | polling by rpCallbackId, the answer evaluated at once as a poll result (P2–P7) |
//! | R3 | reconciling | 404 | submitting (the service has no such request: resending cannot duplicate); failed(`transport`) after too many lost submissions |
//! | R4 | reconciling | 5xx, unreadable 2xx, transport error | reconciling after retry delay; after `maxConsecutiveFailures`: failed(`api`, "outcome unknown") when the service answered every submission and lookup with an error, else failed(`transport`, "outcome unknown") |
//! | R5 | reconciling | other 4xx | failed(`api`) |
//! | P1 | polling | `next` before the next poll | `Wait(min(nextPoll, deadline))` |
//! | P2 | polling | `next` | `Send(GET /v2/sign/{callbackId})` (`/v2/rpcallbackid/…` after R2); past the deadline this is the final poll |
//! | P3 | polling | 206, or any item `IN_PROGRESS`/unknown status | polling; interval × `backoffFactor` (≤ `maxIntervalMs`), ± jitter |
//! | P4 | polling | final poll still pending | failed(`expired`) with item states |
//! | P5 | polling | all items final, any `REJECTED` | failed(`rejected`) with item states |
//! | P6 | polling | all items final, any `EXPIRED` | failed(`expired`) |
//! | P7 | polling | all items final, any `ERROR`/`REMOVED`/`REVOKED` | failed(`api`, code = the item status) |
//! | P8 | polling | all items `SIGNED`/`RECEIVED`/`ARCHIVED` | downloading (documents), or done (`SIGNATURE` items only, or `download: false`) |
//! | P9 | polling | item count differs from the request | failed(`unexpected_response`) |
//! | P10 | polling | 404 after the validity | failed(`expired`) |
//! | P11 | polling | 5xx, unreadable 2xx, transport error | polling after retry delay; failed after `maxConsecutiveFailures` |
//! | P12 | polling | other 4xx, transport `too_large` | failed |
//! | P13 | polling | callback | poll now (or right after the poll in flight) |
//! | D1 | downloading | `next` | `Send(GET /v2/sign/content/{id})` for the next signed document |
//! | D2 | downloading | 200 | store the file; done after the last one |
//! | D3 | downloading | 5xx, a 2xx that is no file (JSON, empty), transport error | downloading after retry delay; failed after `maxConsecutiveFailures` |
//! | D4 | downloading | 4xx (404: removed), transport `too_large` | failed |
//! | T1 | done / failed | `next` | the same `Done` / `Failed` again |
//! | X1 | any | response or transport error with an id that is not outstanding | `invalid_state` error, state unchanged |
//! | X2 | any | `next` while a request is outstanding | `Wait(None)` |
//! | X3 | any | callback for another callbackId/rpCallbackId | `invalid_state` error, state unchanged |
//! | X4 | any | `restore` of a snapshot taken with a request in flight | as a transport error `other` for that request (S9, R4, P11, D3) |

use super::engine::validated;
use super::signing::{Engine, Submission};
use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::download::DownloadedFile;
use crate::btrust::operation::Operation;
use crate::btrust::signer::SignerIdentity;
use crate::btrust::signing::SignCallback;
use crate::btrust::signing::{SendSignRequest, SendSignRequestInput};
use crate::btrust::signing::{SignRequest, SignatureStatus, SignatureType};
use crate::error::Error;
use crate::flow::FlowOptions;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

rows! {
    /// A row of the signing table (above), shared by [`SignFlow`] and
    /// [`super::QrSignFlow`]: they run the same engine. `S2`, `S3`, `S4` and `R2` mean
    /// something else for a QR request (see [`super::qr_sign`]).
    pub enum SignRow {
        /// submitting, `next` before `notBefore`: `Wait(notBefore)`.
        S1,
        /// submitting, `next`: `Send(POST /v2/sign)`; the request is built once, so a resend
        /// is byte-identical.
        S2,
        /// submitting, 200/202 with `callbackId`: polling; the first poll after
        /// `firstPollAfterMs`; deadline = `validity` + grace (or `defaultValidityMs`).
        S3,
        /// submitting, 200/202 unreadable: reconciling (the request exists; its answer was
        /// garbled).
        S4,
        /// submitting, 5xx: reconciling (the service may have stored it).
        S5,
        /// submitting, 4xx `RP_CALLBACK_ID_DUPLICATE` after an earlier lost submission:
        /// reconciling.
        S6,
        /// submitting, other 4xx (400, 401, 404 no certificate, a first-time duplicate):
        /// failed(`api`).
        S7,
        /// submitting, transport `connect`/`tls` (nothing sent): submitting after the retry
        /// delay; failed(`transport`) after `maxConsecutiveFailures`.
        S8,
        /// submitting, transport `timeout`/`io`/`other`/`too_large` (may have been
        /// processed): reconciling.
        S9,
        /// reconciling, `next`: `Send(GET /v2/rpcallbackid/{rpCallbackId})`.
        R1,
        /// reconciling, 200/206: polling by rpCallbackId, the answer evaluated at once as a
        /// poll result (P2–P7).
        R2,
        /// reconciling, 404: submitting (the service has no such request: resending cannot
        /// duplicate); failed(`transport`) after too many lost submissions.
        R3,
        /// reconciling, 5xx, unreadable 2xx, transport error: reconciling after the retry
        /// delay; after `maxConsecutiveFailures`, failed(`api`, "outcome unknown") when the
        /// service answered every submission and lookup with an error (the last 5xx), else
        /// failed(`transport`, "outcome unknown").
        R4,
        /// reconciling, other 4xx: failed(`api`).
        R5,
        /// polling, `next` before the next poll: `Wait(min(nextPoll, deadline))`.
        P1,
        /// polling, `next`: `Send(GET /v2/sign/{callbackId})` (`/v2/rpcallbackid/…` after
        /// R2); past the deadline this is the final poll.
        P2,
        /// polling, 206, or any item `IN_PROGRESS`/unknown status: polling; interval ×
        /// `backoffFactor` (≤ `maxIntervalMs`), ± jitter.
        P3,
        /// polling, the final poll still pending: failed(`expired`) with item states.
        P4,
        /// polling, all items final, any `REJECTED`: failed(`rejected`) with item states.
        P5,
        /// polling, all items final, any `EXPIRED`: failed(`expired`).
        P6,
        /// polling, all items final, any `ERROR`/`REMOVED`/`REVOKED`: failed(`api`, code =
        /// the item status).
        P7,
        /// polling, all items `SIGNED`/`RECEIVED`/`ARCHIVED`: downloading (documents), or
        /// done (`SIGNATURE` items only, or `download: false`).
        P8,
        /// polling, the item count differs from the request: failed(`unexpected_response`).
        P9,
        /// polling, 404 after the validity: failed(`expired`).
        P10,
        /// polling, 5xx, unreadable 2xx, transport error: polling after the retry delay;
        /// failed after `maxConsecutiveFailures`.
        P11,
        /// polling, other 4xx, transport `too_large`: failed.
        P12,
        /// polling, callback: poll now (or right after the poll in flight).
        P13,
        /// downloading, `next`: `Send(GET /v2/sign/content/{id})` for the next signed
        /// document.
        D1,
        /// downloading, 200: store the file; done after the last one.
        D2,
        /// downloading, 5xx, a 2xx that is no file (JSON, empty), transport error:
        /// downloading after the retry delay; failed after `maxConsecutiveFailures`.
        D3,
        /// downloading, 4xx (404: removed), transport `too_large`: failed.
        D4,
        /// done / failed, `next`: the same `Done` / `Failed` again.
        T1,
        /// any state, a response or transport error with an id that is not outstanding:
        /// `invalid_state` error, state unchanged.
        X1,
        /// any state, `next` while a request is outstanding: `Wait(None)`.
        X2,
        /// any state, a callback for another callbackId/rpCallbackId: `invalid_state` error,
        /// state unchanged.
        X3,
        /// any state, `restore` of a snapshot taken with a request in flight: as a transport
        /// error `other` for that request (S9, R4, P11, D3).
        X4,
    }
}

/// One signed item of a finished flow.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedItem {
    /// Position in the request's `contents`.
    pub index: u32,
    /// Final status (`SIGNED`, `RECEIVED` or `ARCHIVED`).
    pub status: SignatureStatus,
    /// Output format.
    pub signature_type: Option<SignatureType>,
    /// Id of the signed document at the service (non-`SIGNATURE` items).
    pub content_id: Option<String>,
    /// The raw signature value (`SIGNATURE` items), decoded from base64.
    pub signature: Option<Blob>,
    /// The signed document, when downloaded.
    pub document: Option<DownloadedFile>,
}

/// What a successful signing flow returns.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignOutcome {
    /// The service's id of the request (unknown when the request was found by reconciling).
    pub callback_id: Option<String>,
    /// The relying party's id of the request.
    pub rp_callback_id: String,
    /// One entry per requested item, in request order.
    pub items: Vec<SignedItem>,
    /// The signing certificate (DER), when the service returned it (`SIGNATURE` items).
    pub cert: Option<Blob>,
}

/// Input of [`SignFlow`]: the same as `POST /v2/sign`, with a `relyingPartyCallbackId`
/// required, because only that id lets the flow find out whether a lost request was created.
/// Hosts generate one (a random UUID) when the caller has none.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignFlowInput {
    /// Who signs.
    pub identity: SignerIdentity,
    /// What to sign.
    pub request: SignRequest,
}

impl Validate for SignFlowInput {
    fn validate(&self, v: &mut Validator) {
        v.field("identity", |v| self.identity.validate(v));
        v.field("request", |v| {
            self.request.validate(v);
            require_rp_callback_id(v, self.request.relying_party_callback_id.is_some());
        });
    }
}

/// The rule both signing flows add to their operation's: without the relying party's id a
/// lost answer could not be reconciled. Called inside the `request` field.
pub(crate) fn require_rp_callback_id(v: &mut Validator, present: bool) {
    if !present {
        v.issue_at(
            "relyingPartyCallbackId",
            IssueCode::Required,
            "a flow needs a relyingPartyCallbackId to recover safely from lost answers (give one, or FlowOptions.entropy for the core to derive one)",
        );
    }
}

/// Signs documents through B-Trust Mobile; see the module documentation for the table.
#[derive(Clone, Debug, PartialEq)]
pub struct SignFlow {
    engine: Engine,
}

impl SignFlow {
    /// Validates the input and builds the `POST /v2/sign` request once.
    pub fn new(
        config: Config,
        mut input: SignFlowInput,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        if input.request.relying_party_callback_id.is_none() {
            input.request.relying_party_callback_id = options.new_rp_callback_id();
        }
        validated(&config, &input)?;
        let rp_callback_id = input
            .request
            .relying_party_callback_id
            .clone()
            .unwrap_or_default();
        let item_count = input.request.contents.len();
        let op_input = SendSignRequestInput {
            identity: input.identity,
            request: input.request,
        };
        let submit = SendSignRequest::build(&config, &op_input)?;
        Ok(SignFlow {
            engine: Engine::new(
                Submission::Sign,
                config,
                options,
                submit,
                rp_callback_id,
                item_count,
            ),
        })
    }
}

flow_api!(SignFlow {
    name: "btrust.sign",
    table: SignRow::TABLE,
    outcome: SignOutcome,
    callback: SignCallback,
});

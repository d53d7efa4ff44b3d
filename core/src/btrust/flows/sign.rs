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
//! | R4 | reconciling | 5xx, unreadable 2xx, transport error | reconciling after retry delay; failed(`transport`, "outcome unknown") after `maxConsecutiveFailures` |
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

use super::signing::{Engine, SignOutcome, Submission};
use crate::btrust::config::Config;
use crate::btrust::operation::Operation;
use crate::btrust::signer::SignerIdentity;
use crate::btrust::signing::SignCallback;
use crate::btrust::signing::SignRequest;
use crate::btrust::signing::{SendSignRequest, SendSignRequestInput};
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Flow, FlowOptions, Progress, Step};
use crate::http::HttpResponse;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`SignFlow`]: the same as `POST /v2/sign`, with a `relyingPartyCallbackId`
/// required, because only that id lets the flow find out whether a lost request was created.
/// Hosts generate one (a random UUID) when the caller has none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
            if self.request.relying_party_callback_id.is_none() {
                v.issue_at(
                    "relyingPartyCallbackId",
                    IssueCode::Required,
                    "a flow needs a relyingPartyCallbackId to recover safely from lost answers (hosts generate a UUID)",
                );
            }
        });
    }
}

/// Signs documents through B-Trust Mobile; see the module documentation for the table.
#[derive(Clone, Debug, PartialEq)]
pub struct SignFlow {
    engine: Engine,
}

impl SignFlow {
    /// Flow name in snapshots and vectors.
    pub const NAME: &'static str = "btrust.sign";

    /// Validates the input and builds the `POST /v2/sign` request once.
    pub fn new(config: Config, input: SignFlowInput, options: FlowOptions) -> Result<Self, Error> {
        let mut v = Validator::new();
        v.field("config", |v| config.validate(v));
        input.validate(&mut v);
        v.finish()?;
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

    /// The rows of this flow's transition table (see the module documentation).
    pub const TABLE: &'static [&'static str] = &[
        "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "R1", "R2", "R3", "R4", "R5", "P1",
        "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10", "P11", "P12", "P13", "D1", "D2",
        "D3", "D4", "T1", "X1", "X2", "X3", "X4",
    ];

    /// The configuration the flow was started with.
    pub fn config(&self) -> &crate::btrust::config::Config {
        self.engine.config()
    }

    /// The table rows taken since the last call (for tests and logs: which rule fired).
    pub fn take_transitions(&mut self) -> Vec<&'static str> {
        self.engine.take_rows()
    }

    /// Rebuilds a flow from [`Flow::snapshot`].
    pub fn restore(snapshot: &str) -> Result<Self, Error> {
        let mut engine: Engine = crate::flow::restore(Self::NAME, snapshot)?;
        engine.after_restore();
        Ok(SignFlow { engine })
    }
}

impl Flow for SignFlow {
    type Outcome = SignOutcome;
    type Callback = SignCallback;

    fn next(&mut self, now_ms: u64) -> Step<SignOutcome> {
        self.engine.next(now_ms)
    }
    fn handle_response(
        &mut self,
        id: u64,
        response: HttpResponse,
        now_ms: u64,
    ) -> Result<(), Error> {
        self.engine.handle_response(id, response, now_ms)
    }
    fn handle_transport_error(
        &mut self,
        id: u64,
        kind: TransportErrorKind,
        now_ms: u64,
    ) -> Result<(), Error> {
        self.engine.handle_transport_error(id, kind, now_ms)
    }
    fn handle_callback(&mut self, event: &SignCallback, now_ms: u64) -> Result<(), Error> {
        self.engine.handle_callback(event, now_ms)
    }
    fn snapshot(&self) -> String {
        crate::flow::snapshot(Self::NAME, &self.engine)
    }
    fn progress(&self) -> Progress {
        self.engine.progress(Self::NAME)
    }
}

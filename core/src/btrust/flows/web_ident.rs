//! `WebIdentificationFlow`: web (video) identification (seed 001 §2).
//!
//! `POST …/websession/start` → `POST …/sessions/by-otc-request/{webSessionId}` → hand the
//! identification URL (`<id host>/session/{sessionId}`) to the host → wake on the callback
//! (`CREATE_SIGN_SESSION_REQUEST`), or poll `GET …/web/{resultId}/status` → read the result
//! (`GET …/web/{resultId}/result/{processState}/{sessionId}/{onlyMetadata}`): the customer's
//! identifier, the eID certificate (unless metadata only) and the sign session id.
//!
//! Neither create has a lookup, so an ambiguous failure of either stops the flow with
//! "outcome unknown" (the customer has not been sent anywhere yet).
//!
//! ## Transition table
//!
//! | # | state | input | → state / effect |
//! |---|---|---|---|
//! | S1 | starting | `next` before `notBefore` | `Wait(notBefore)` |
//! | S2 | starting | `next` | `Send(POST …/websession/start)` (or `…/without-otc/start`) |
//! | S3 | starting | 2xx with webSessionId and resultId | registering; deadline from `webSessionExpireDate` |
//! | S4 | starting | 5xx, unreadable 2xx, transport error that may have been processed | failed(`transport`, outcome unknown) |
//! | S5 | starting | 4xx, `too_large` | failed(`api`) |
//! | S6 | starting | transport `connect`/`tls` | starting after retry delay; failed after `maxConsecutiveFailures` |
//! | G1 | registering | `next` | `Send(POST …/sessions/by-otc-request/{webSessionId})` (`Wait` during a retry delay) |
//! | G2 | registering | 2xx with sessionId | waiting for the user; user action `OpenUrl(<id host>/session/{sessionId})`; deadline ≤ `expiredOn` + grace |
//! | G3 | registering | 5xx, unreadable 2xx, transport error that may have been processed | failed(`transport`, outcome unknown) |
//! | G4 | registering | 4xx, `too_large`, no identification host for a custom environment | failed |
//! | G5 | registering | transport `connect`/`tls` | registering after retry delay; failed after the maximum |
//! | W1 | waiting for the user | `next` before the next status poll | `Wait(min(nextPoll, deadline))` |
//! | W2 | waiting for the user | `next` | `Send(GET …/web/{resultId}/status)`; past the deadline, the final poll |
//! | W3 | waiting for the user | a status that is not final | waiting, backoff |
//! | W4 | waiting for the user | `CREATE_SIGN_SESSION_REQUEST` with step `SIGN_SESSION_ID_SUCCESSFULLY_CREATED`, `SIGN_SESSION` or `PROCESS_IS_FINISHED` | fetching with the flow's process state and the webSessionId (inferred: the guide's callback carries these) |
//! | W5 | waiting for the user | `PROCESS_IS_CANCELED_BY_USER` | failed(`rejected`) |
//! | W6 | waiting for the user | a callback with this resultId | fetching with the callback's `processState` and `sessionId` (after the poll in flight, if any); another state (a cancellation): poll now, or right after the poll in flight |
//! | W7 | any | a callback with another resultId | `invalid_state`, unchanged |
//! | W8 | waiting for the user | 5xx, unreadable 2xx, transport error | waiting after retry delay; failed after the maximum |
//! | W9 | waiting for the user | 4xx, `too_large` | failed |
//! | W10 | waiting for the user | the final poll is not final | failed(`expired`) |
//! | F1 | fetching | `next` | `Send(GET …/result/{processState}/{sessionId}/{onlyMetadata})` (`Wait` during a retry delay) |
//! | F2 | fetching | 2xx | done |
//! | F3 | fetching | 5xx, 404 (not ready yet), unreadable 2xx, transport error | fetching after retry delay; failed after the maximum |
//! | F4 | fetching | other 4xx, `too_large` | failed |
//! | T1 | done / failed | `next` | the same `Done` / `Failed` |
//! | X1 | any | an answer under an id that is not outstanding | `invalid_state`, unchanged |
//! | X2 | any | `next` while a request is outstanding | `Wait(None)` |
//! | X4 | any | `restore` with a request in flight | as a transport error `other` for it |

use super::web_engine::{Engine, Kind, WebIdentificationOutcome, WebOutcome};
use crate::btrust::config::Config;
use crate::btrust::identification::IdentificationCallback;
use crate::btrust::operation::Operation;
use crate::btrust::web_identification::{
    RegistrationRequest, StartWebIdentification, StartWebIdentificationRequest,
    StartWebIdentificationWithoutOtc,
};
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Flow, FlowOptions, Progress, Step};
use crate::http::HttpResponse;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`WebIdentificationFlow`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebIdentificationFlowInput {
    /// Where the service POSTs status changes.
    pub request_callback_url: String,
    /// Why the identification is needed.
    pub identification_reason: String,
    /// The registration (redirect URLs, language, verifications).
    pub registration: RegistrationRequest,
    /// Read only metadata, without the eID certificate.
    #[serde(default)]
    pub only_metadata: bool,
    /// Use `…/websession/without-otc/start` (no sign session afterwards; inferred shape).
    #[serde(default)]
    pub without_otc: bool,
}

impl Validate for WebIdentificationFlowInput {
    fn validate(&self, v: &mut Validator) {
        StartWebIdentificationRequest {
            request_callback_url: self.request_callback_url.clone(),
            identification_reason: self.identification_reason.clone(),
        }
        .validate(v);
        v.field("registration", |v| self.registration.validate(v));
    }
}

/// Web (video) identification; see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct WebIdentificationFlow {
    engine: Engine,
}

impl WebIdentificationFlow {
    /// Flow name in snapshots and vectors.
    pub const NAME: &'static str = "btrust.webIdentification";
    /// The rows of the transition table.
    pub const TABLE: &'static [&'static str] = &[
        "S1", "S2", "S3", "S4", "S5", "S6", "G1", "G2", "G3", "G4", "G5", "W1", "W2", "W3", "W4",
        "W5", "W6", "W7", "W8", "W9", "W10", "F1", "F2", "F3", "F4", "T1", "X1", "X2", "X4",
    ];

    /// Validates the input and builds the start request once.
    pub fn new(
        config: Config,
        input: WebIdentificationFlowInput,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        let mut v = Validator::new();
        v.field("config", |v| config.validate(v));
        input.validate(&mut v);
        v.finish()?;
        let body = StartWebIdentificationRequest {
            request_callback_url: input.request_callback_url,
            identification_reason: input.identification_reason,
        };
        let start = if input.without_otc {
            StartWebIdentificationWithoutOtc::build(&config, &body)?
        } else {
            StartWebIdentification::build(&config, &body)?
        };
        let kind = Kind::Identification {
            registration: input.registration,
            only_metadata: Some(input.only_metadata),
            without_otc: input.without_otc,
        };
        Ok(WebIdentificationFlow {
            engine: Engine::new(kind, config, options, start),
        })
    }

    /// The identification page the customer must open, once registered.
    pub fn identification_url(&self) -> Option<&str> {
        self.engine.url()
    }
}

engine_flow!(
    WebIdentificationFlow,
    WebIdentificationOutcome,
    WebOutcome::Identification,
    "a sign outcome in an identification flow"
);

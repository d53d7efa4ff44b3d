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

use super::engine::validated;
use super::web_engine::{Engine, Kind, WebOutcome};
use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::identification::IdentificationCallback;
use crate::btrust::identification::ProcessState;
use crate::btrust::operation::Operation;
use crate::btrust::web_identification::{
    RegistrationRequest, StartWebIdentification, StartWebIdentificationRequest,
    StartWebIdentificationWithoutOtc,
};
use crate::error::Error;
use crate::flow::FlowOptions;
use crate::time::Timestamp;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

rows! {
    /// A row of the web flows' tables: this module's, and [`super::web_otc`]'s, which drops
    /// the registering rows (`G*`), adds `F5`, and reads `S2`, `S3`, `W3`, `W4` and `F2` for
    /// a sign session. Both flows run the same engine; each one's `TABLE` keeps the rows it
    /// can take (`WebRow::in_table`).
    pub enum WebRow {
        /// starting, `next` before `notBefore`: `Wait(notBefore)`.
        S1,
        /// starting, `next`: `Send(POST …/websession/start)` (or `…/without-otc/start`;
        /// `…/signsession/start` for a sign session).
        S2,
        /// starting, 2xx with webSessionId and resultId: registering; deadline from
        /// `webSessionExpireDate`. A sign session: 2xx with clientDocumentUrl and resultId:
        /// waiting for the user, user action `OpenUrl(clientDocumentUrl)`, deadline from
        /// `expireDate`.
        S3,
        /// starting, 5xx, unreadable 2xx, transport error that may have been processed:
        /// failed(`transport`, outcome unknown).
        S4,
        /// starting, 4xx, `too_large`: failed(`api`).
        S5,
        /// starting, transport `connect`/`tls`: starting after the retry delay; failed after
        /// `maxConsecutiveFailures`.
        S6,
        /// registering, `next`: `Send(POST …/sessions/by-otc-request/{webSessionId})`
        /// (`Wait` during a retry delay).
        G1,
        /// registering, 2xx with sessionId: waiting for the user; user action
        /// `OpenUrl(<id host>/session/{sessionId})`; deadline ≤ `expiredOn` + grace.
        G2,
        /// registering, 5xx, unreadable 2xx, transport error that may have been processed:
        /// failed(`transport`, outcome unknown).
        G3,
        /// registering, 4xx, `too_large`, no identification host for a custom environment:
        /// failed.
        G4,
        /// registering, transport `connect`/`tls`: registering after the retry delay; failed
        /// after the maximum.
        G5,
        /// waiting for the user, `next` before the next status poll:
        /// `Wait(min(nextPoll, deadline))`.
        W1,
        /// waiting for the user, `next`: `Send(GET …/web/{resultId}/status)`; past the
        /// deadline, the final poll.
        W2,
        /// waiting for the user, a status that is not final (for a sign session
        /// `SIGN_SESSION` too: it also means "session created, waiting for the code"):
        /// waiting, backoff.
        W3,
        /// waiting for the user, `CREATE_SIGN_SESSION_REQUEST` with step
        /// `SIGN_SESSION_ID_SUCCESSFULLY_CREATED`, `SIGN_SESSION` or `PROCESS_IS_FINISHED`
        /// (a sign session: step `SIGNING_WITH_SIGN_SESSION_SUCCESS` or status
        /// `SIGNED_CLIENT_DOCUMENT`): fetching with the flow's process state and session id
        /// (inferred: the guide's callback carries these).
        W4,
        /// waiting for the user, `PROCESS_IS_CANCELED_BY_USER`: failed(`rejected`).
        W5,
        /// waiting for the user, a callback with this resultId: fetching with the callback's
        /// `processState` and `sessionId` (after the poll in flight, if any); another state
        /// (a cancellation): poll now, or right after the poll in flight.
        W6,
        /// any state, a callback with another resultId: `invalid_state`, unchanged.
        W7,
        /// waiting for the user, 5xx, unreadable 2xx, transport error: waiting after the
        /// retry delay; failed after the maximum.
        W8,
        /// waiting for the user, 4xx, `too_large`: failed.
        W9,
        /// waiting for the user, the final poll is not final: failed(`expired`).
        W10,
        /// fetching, `next`: `Send(GET …/result/{processState}/{sessionId}/{onlyMetadata})`
        /// (`Wait` during a retry delay).
        F1,
        /// fetching, 2xx (a sign session: with signed documents): done.
        F2,
        /// fetching, 5xx, 404 (not ready yet), unreadable 2xx, transport error: fetching
        /// after the retry delay; failed after the maximum.
        F3,
        /// fetching, other 4xx, `too_large`: failed.
        F4,
        /// fetching a sign session's result, 2xx without signed documents:
        /// failed(`unexpected_response`).
        F5,
        /// done / failed, `next`: the same `Done` / `Failed`.
        T1,
        /// any state, an answer under an id that is not outstanding: `invalid_state`,
        /// unchanged.
        X1,
        /// any state, `next` while a request is outstanding: `Wait(None)`.
        X2,
        /// any state, `restore` with a request in flight: as a transport error `other` for
        /// it.
        X4,
    }
}

/// Which of the two web flows a table is for.
#[derive(Clone, Copy)]
pub(crate) enum WebFlow {
    /// [`WebIdentificationFlow`].
    Identification,
    /// [`super::WebOtcSignFlow`].
    OtcSign,
}

impl WebRow {
    /// Whether `flow` can take this row: only identification registers (`G*`, its engine
    /// reaches registering only for [`Kind::Identification`]), and only a sign session's
    /// result must hold signed documents (`F5`, marked only for [`Kind::Sign`]).
    pub(crate) const fn in_table(self, flow: WebFlow) -> bool {
        !matches!(
            (self, flow),
            (
                WebRow::G1 | WebRow::G2 | WebRow::G3 | WebRow::G4 | WebRow::G5,
                WebFlow::OtcSign
            ) | (WebRow::F5, WebFlow::Identification)
        )
    }

    const fn table_len(flow: WebFlow) -> usize {
        let (mut i, mut n) = (0, 0);
        while i < WebRow::ALL.len() {
            if WebRow::ALL[i].in_table(flow) {
                n += 1;
            }
            i += 1;
        }
        n
    }

    const fn table<const N: usize>(flow: WebFlow) -> [&'static str; N] {
        let mut out = [""; N];
        let (mut i, mut n) = (0, 0);
        while i < WebRow::ALL.len() {
            if WebRow::ALL[i].in_table(flow) {
                out[n] = WebRow::ALL[i].as_str();
                n += 1;
            }
            i += 1;
        }
        out
    }

    /// [`WebIdentificationFlow`]'s rows, in table order.
    pub const IDENTIFICATION: &'static [&'static str] =
        &WebRow::table::<{ WebRow::table_len(WebFlow::Identification) }>(WebFlow::Identification);
    /// [`super::WebOtcSignFlow`]'s rows, in table order.
    pub const OTC_SIGN: &'static [&'static str] =
        &WebRow::table::<{ WebRow::table_len(WebFlow::OtcSign) }>(WebFlow::OtcSign);
}

/// What a web identification returns.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebIdentificationOutcome {
    /// The web session.
    pub web_session_id: String,
    /// The identification's result id.
    pub result_id: String,
    /// The registration (for getRegistrationStatus).
    pub registration_id: String,
    /// The page the customer was sent to.
    pub identification_url: String,
    /// The process state the result was read with.
    pub process_state: ProcessState,
    /// The customer's identifier in the relying party's domain.
    pub client_identificator: Option<String>,
    /// The sign session for signing with a one-time certificate next.
    pub sign_session_id: Option<String>,
    /// End of the sign session's validity.
    pub sign_session_id_expire_date: Option<Timestamp>,
    /// The eID certificate (PDF), unless metadata only was asked.
    pub eid_document: Option<Blob>,
}

/// Input of [`WebIdentificationFlow`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Validates the input and builds the start request once.
    pub fn new(
        config: Config,
        input: WebIdentificationFlowInput,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        validated(&config, &input)?;
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

flow_api!(WebIdentificationFlow {
    name: "btrust.webIdentification",
    table: WebRow::IDENTIFICATION,
    outcome: WebIdentificationOutcome,
    callback: IdentificationCallback,
    done: |o| match o {
        WebOutcome::Identification(o) => Ok(o),
        WebOutcome::Sign(_) => Err(Error::invalid_state(
            "a sign outcome in an identification flow"
        )),
    },
});

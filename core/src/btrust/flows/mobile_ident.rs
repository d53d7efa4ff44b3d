//! `MobileIdentificationFlow`: identify a person through B-Trust Mobile (seed 001 §1).
//!
//! `POST /v2/identification` → poll `GET /v2/identification/{callbackId}` (206 while
//! `ON_BOARDING`/`IN_PROGRESS`) until `FINISHED` (200, with the eID certificate and the
//! identifier) or the validity passes.
//!
//! There is no way to look an identification request up by an id of the relying party's, so
//! an ambiguous failure of the POST cannot be reconciled: the flow stops with "outcome
//! unknown" rather than risk prompting the person twice.
//!
//! ## Transition table
//!
//! | # | state | input | → state / effect |
//! |---|---|---|---|
//! | S1 | submitting | `next` before `notBefore` | `Wait(notBefore)` |
//! | S2 | submitting | `next` | `Send(POST /v2/identification)` |
//! | S3 | submitting | 2xx with `callbackId` | polling; deadline = `validity` + grace (or `defaultValidityMs`) |
//! | S4 | submitting | 5xx, unreadable 2xx, transport error that may have been processed | failed(`transport`, outcome unknown) |
//! | S5 | submitting | 4xx | failed(`api`) |
//! | S6 | submitting | transport `connect`/`tls` (nothing sent) | submitting after retry delay; failed after `maxConsecutiveFailures` |
//! | P1 | polling | `next` before the next poll | `Wait(min(nextPoll, deadline))` |
//! | P2 | polling | `next` | `Send(GET /v2/identification/{callbackId})`; past the deadline, the final poll |
//! | P3 | polling | 206, or 200 with a status other than `FINISHED` | polling, backoff |
//! | P4 | polling | the final poll is still pending | failed(`expired`) |
//! | P5 | polling | 200 `FINISHED` with data | done |
//! | P6 | polling | 400/403 with code `REJECTED`, before the validity | failed(`rejected`) (inferred: the guide answers every failure with `REJECTED`; 403 and 400 are read as the person declining) |
//! | P7 | polling | 404 (the service no longer knows the request), or any 4xx after the validity | failed(`expired`) |
//! | P8 | polling | 401 or another 4xx | failed(`api`) |
//! | P9 | polling | 5xx, unreadable 2xx, transport error | polling after retry delay; failed after `maxConsecutiveFailures` |
//! | P10 | polling | transport `too_large`, or 200 `FINISHED` without data | failed |
//! | T1 | done / failed | `next` | the same `Done` / `Failed` |
//! | X1 | any | an answer under an id that is not outstanding | `invalid_state`, unchanged |
//! | X2 | any | `next` while a request is outstanding | `Wait(None)` |
//! | X3 | any | a callback (this scenario has none) | `invalid_state`, unchanged |
//! | X4 | any | `restore` with a request in flight | as a transport error `other` for it |

use super::engine::validated;
use super::mobile_engine::Engine;
use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::identification::IdentificationCallback;
use crate::btrust::identification::{Identification, IdentificationRequest};
use crate::btrust::operation::Operation;
use crate::error::Error;
use crate::flow::FlowOptions;
use serde::{Deserialize, Serialize};

rows! {
    /// A row of [`MobileIdentificationFlow`]'s transition table (above).
    pub enum MobileRow {
        /// submitting, `next` before `notBefore`: `Wait(notBefore)`.
        S1,
        /// submitting, `next`: `Send(POST /v2/identification)`.
        S2,
        /// submitting, 2xx with `callbackId`: polling; deadline = `validity` + grace (or
        /// `defaultValidityMs`).
        S3,
        /// submitting, 5xx, unreadable 2xx, transport error that may have been processed:
        /// failed(`transport`, outcome unknown).
        S4,
        /// submitting, 4xx: failed(`api`).
        S5,
        /// submitting, transport `connect`/`tls` (nothing sent): submitting after the retry
        /// delay; failed after `maxConsecutiveFailures`.
        S6,
        /// polling, `next` before the next poll: `Wait(min(nextPoll, deadline))`.
        P1,
        /// polling, `next`: `Send(GET /v2/identification/{callbackId})`; past the deadline,
        /// the final poll.
        P2,
        /// polling, 206, or 200 with a status other than `FINISHED`: polling, backoff.
        P3,
        /// polling, the final poll is still pending: failed(`expired`).
        P4,
        /// polling, 200 `FINISHED` with data: done.
        P5,
        /// polling, 400/403 with code `REJECTED`, before the validity: failed(`rejected`)
        /// (inferred: the guide answers every failure with `REJECTED`; 403 and 400 are read
        /// as the person declining).
        P6,
        /// polling, 404 (the service no longer knows the request), or any 4xx after the
        /// validity: failed(`expired`).
        P7,
        /// polling, 401 or another 4xx: failed(`api`).
        P8,
        /// polling, 5xx, unreadable 2xx, transport error: polling after the retry delay;
        /// failed after `maxConsecutiveFailures`.
        P9,
        /// polling, transport `too_large`, or 200 `FINISHED` without data: failed.
        P10,
        /// done / failed, `next`: the same `Done` / `Failed`.
        T1,
        /// any state, an answer under an id that is not outstanding: `invalid_state`,
        /// unchanged.
        X1,
        /// any state, `next` while a request is outstanding: `Wait(None)`.
        X2,
        /// any state, a callback (this scenario has none): `invalid_state`, unchanged.
        X3,
        /// any state, `restore` with a request in flight: as a transport error `other` for
        /// it.
        X4,
    }
}

/// What a finished mobile identification returns.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MobileIdentificationOutcome {
    /// The request's id.
    pub callback_id: String,
    /// The eID's unique identifier in the relying party's domain.
    pub identificator: Option<String>,
    /// The eID certificate (PDF).
    pub eid_certificate: Option<Blob>,
    /// The organisation the identification is used before.
    pub identification_before: Option<String>,
    /// The reason given.
    pub identification_reason: Option<String>,
}

/// Identifies a person through B-Trust Mobile; see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct MobileIdentificationFlow {
    engine: Engine,
}

impl MobileIdentificationFlow {
    /// Validates the input and builds `POST /v2/identification` once.
    pub fn new(
        config: Config,
        input: IdentificationRequest,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        validated(&config, &input)?;
        let submit = Identification::build(&config, &input)?;
        Ok(MobileIdentificationFlow {
            engine: Engine::new(config, options, submit),
        })
    }
}

flow_api!(MobileIdentificationFlow {
    name: "btrust.mobileIdentification",
    table: MobileRow::TABLE,
    outcome: MobileIdentificationOutcome,
    callback: IdentificationCallback,
});

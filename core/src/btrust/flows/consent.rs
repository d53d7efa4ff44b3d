//! `ConsentFlow`: obtain an organisation's consent to automatic remote signing (reference §7).
//!
//! `POST /v2/arsign/consent` (to the authorised signer, `certId:`) → poll
//! `GET /v2/arsign/consent/{callbackId}` until the signer approves (the access token, its
//! expiry and the signed consent document), rejects, or the request expires.
//!
//! There is no lookup of a consent request by an id of the relying party's, so an ambiguous
//! failure of the POST cannot be reconciled: the flow stops with "outcome unknown" rather than
//! prompt the signer twice. Where the service puts the consent's progress is inferred
//! ([`crate::btrust::ars::ConsentResultResponse::consent_status`]).
//!
//! ## Transition table
//!
//! | # | state | input | → state / effect |
//! |---|---|---|---|
//! | S1 | submitting | `next` before `notBefore` | `Wait(notBefore)` |
//! | S2 | submitting | `next` | `Send(POST /v2/arsign/consent)` |
//! | S3 | submitting | 2xx with `callbackId` | polling; deadline = `validity` + grace (or `defaultValidityMs`) |
//! | S4 | submitting | 5xx, unreadable 2xx, transport error that may have been processed | failed(`transport`, outcome unknown) |
//! | S5 | submitting | 4xx (`RP_BASED_CONSENT_ALREADY_EXISTS` included) | failed(`api`) |
//! | S6 | submitting | transport `connect`/`tls` (nothing sent) | submitting after the retry delay; failed after `maxConsecutiveFailures` |
//! | P1 | polling | `next` before the next poll | `Wait(min(nextPoll, deadline))` |
//! | P2 | polling | `next` | `Send(GET /v2/arsign/consent/{callbackId})`; past the deadline, the final poll |
//! | P3 | polling | 206, or `IN_PROGRESS` (or an unknown progress) | polling, backoff |
//! | P4 | polling | the final poll is still pending | failed(`expired`) |
//! | P5 | polling | `COMPLETED` with an access token | done |
//! | P6 | polling | `REJECTED` (in a 2xx, or a 4xx with that code) | failed(`rejected`) |
//! | P7 | polling | `EXPIRED`, or 404 | failed(`expired`) |
//! | P8 | polling | another 4xx | failed(`api`) |
//! | P9 | polling | 5xx, unreadable 2xx, transport error | polling after the retry delay; failed after `maxConsecutiveFailures` |
//! | P10 | polling | `COMPLETED` without an access token, or transport `too_large` | failed |
//! | T1 | done / failed | `next` | the same `Done` / `Failed` |
//! | X1 | any | an answer under an id that is not outstanding | `invalid_state`, unchanged |
//! | X2 | any | `next` while a request is outstanding | `Wait(None)` |
//! | X3 | any | a callback (this scenario has none) | `invalid_state`, unchanged |
//! | X4 | any | `restore` with a request in flight | as a transport error `other` for it |

use super::ars_common::has_code;
use super::engine::{validated, FlowEngine};
use super::waiting::{classify, deadline, unknown_outcome, Answer, Retry, Schedule};
use crate::blob::Blob;
use crate::btrust::ars::{
    ConsentStatus, GetConsent, GetConsentInput, SendConsentRequest, SendConsentRequestInput,
};
use crate::btrust::config::Config;
use crate::btrust::operation::Operation;
use crate::btrust::signing::SignCallback;
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Exchange, FlowOptions, Jitter, Progress, Step};
use crate::http::{HttpRequest, HttpResponse};
use crate::secret::Secret;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

rows! {
    /// A row of [`ConsentFlow`]'s transition table (above).
    pub enum ConsentRow {
        /// submitting, `next` before `notBefore`: `Wait(notBefore)`.
        S1,
        /// submitting, `next`: `Send(POST /v2/arsign/consent)`.
        S2,
        /// submitting, 2xx with `callbackId`: polling.
        S3,
        /// submitting, 5xx, unreadable 2xx, transport error that may have been processed:
        /// failed(`transport`, outcome unknown).
        S4,
        /// submitting, 4xx: failed(`api`).
        S5,
        /// submitting, transport `connect`/`tls`: retry; failed after `maxConsecutiveFailures`.
        S6,
        /// polling, `next` before the next poll: `Wait(min(nextPoll, deadline))`.
        P1,
        /// polling, `next`: `Send(GET /v2/arsign/consent/{callbackId})`.
        P2,
        /// polling, 206 or `IN_PROGRESS`: polling, backoff.
        P3,
        /// polling, the final poll is still pending: failed(`expired`).
        P4,
        /// polling, `COMPLETED` with an access token: done.
        P5,
        /// polling, `REJECTED`: failed(`rejected`).
        P6,
        /// polling, `EXPIRED` or 404: failed(`expired`).
        P7,
        /// polling, another 4xx: failed(`api`).
        P8,
        /// polling, 5xx, unreadable 2xx, transport error: retry; failed after
        /// `maxConsecutiveFailures`.
        P9,
        /// polling, `COMPLETED` without an access token, or transport `too_large`: failed.
        P10,
        /// done / failed, `next`: the same `Done` / `Failed`.
        T1,
        /// any state, an answer under an id that is not outstanding: `invalid_state`.
        X1,
        /// any state, `next` while a request is outstanding: `Wait(None)`.
        X2,
        /// any state, a callback: `invalid_state`, unchanged.
        X3,
        /// any state, `restore` with a request in flight: as a transport error `other`.
        X4,
    }
}

/// Input of [`ConsentFlow`]: the consent request and its authorised signer.
pub type ConsentFlowInput = SendConsentRequestInput;

/// What an approved consent returns.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentOutcome {
    /// The consent request's id.
    pub callback_id: String,
    /// The access token for automatic signing (a secret: never printed).
    pub access_token: Secret<String>,
    /// When the access token stops working, when the service said.
    pub expiration_date: Option<Timestamp>,
    /// The signed consent document, when sent.
    pub consent: Option<Blob>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "phase",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
enum Phase {
    Submit {
        #[serde(flatten)]
        retry: Retry,
    },
    Poll {
        schedule: Schedule,
    },
    Done {
        outcome: ConsentOutcome,
    },
    Failed {
        error: Error,
    },
}

/// The whole state, serialised into snapshots.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Engine {
    config: Config,
    options: FlowOptions,
    submit: HttpRequest,
    exchange: Exchange,
    jitter: Jitter,
    phase: Phase,
    callback_id: Option<String>,
    deadline_ms: Option<u64>,
    polls: u32,
    last_now_ms: u64,
    #[serde(skip)]
    rows: Vec<ConsentRow>,
}

/// Obtains consent to automatic remote signing; see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsentFlow {
    engine: Engine,
}

impl ConsentFlow {
    /// Validates the input and builds `POST /v2/arsign/consent` once.
    pub fn new(
        config: Config,
        input: ConsentFlowInput,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        validated(&config, &input)?;
        let submit = SendConsentRequest::build(&config, &input)?;
        Ok(ConsentFlow {
            engine: Engine {
                jitter: Jitter::new(options.effective_jitter_seed()),
                config,
                options: options.without_entropy(),
                submit,
                exchange: Exchange::default(),
                phase: Phase::Submit {
                    retry: Retry::now(),
                },
                callback_id: None,
                deadline_ms: None,
                polls: 0,
                last_now_ms: 0,
                rows: Vec::new(),
            },
        })
    }
}

flow_api!(ConsentFlow {
    name: "btrust.consent",
    table: ConsentRow::TABLE,
    outcome: ConsentOutcome,
    callback: SignCallback,
});

impl Engine {
    fn fail(&mut self, row: ConsentRow, error: Error) {
        self.rows.push(row);
        self.phase = Phase::Failed { error };
    }

    fn on_submit(&mut self, answer: Answer, now: u64) {
        match answer {
            Answer::Success(resp) => match SendConsentRequest::parse(resp) {
                Ok(r) => {
                    self.rows.push(ConsentRow::S3);
                    let p = &self.options.poll;
                    let first = now
                        .saturating_add(self.jitter.spread(p.first_poll_after_ms, p.jitter_ratio));
                    self.deadline_ms = Some(deadline(r.data.validity.as_ref(), now, first, p));
                    self.callback_id = Some(r.data.callback_id);
                    self.phase = Phase::Poll {
                        schedule: Schedule::first(first, p.interval_ms),
                    };
                }
                Err(e) => self.fail(ConsentRow::S4, unknown_outcome(&e.to_string())),
            },
            // No lookup exists: resending could prompt the signer twice.
            Answer::ServerError(e) | Answer::Transport(e) => {
                self.fail(ConsentRow::S4, unknown_outcome(&e.to_string()))
            }
            Answer::NotSent(kind) => {
                self.rows.push(ConsentRow::S6);
                let Phase::Submit { retry } = &mut self.phase else {
                    return;
                };
                if !retry.failed(now, &self.options.poll, &mut self.jitter) {
                    self.phase = Phase::Failed {
                        error: Error::Transport {
                            kind,
                            detail: "could not reach the service to request the consent".into(),
                        },
                    };
                }
            }
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(ConsentRow::S5, e),
        }
    }

    fn ended(&self, status: ConsentStatus) -> Error {
        let request_id = self.callback_id.clone();
        match status {
            ConsentStatus::Rejected => Error::Rejected {
                request_id,
                items: Vec::new(),
            },
            _ => Error::Expired {
                request_id,
                items: Vec::new(),
            },
        }
    }

    fn on_poll(
        &mut self,
        raw: &Result<HttpResponse, TransportErrorKind>,
        answer: Answer,
        now: u64,
    ) {
        match answer {
            Answer::Success(resp) => match GetConsent::parse(resp) {
                Ok(r) => {
                    self.polls = self.polls.saturating_add(1);
                    match r.consent_status() {
                        ConsentStatus::Completed => {
                            let token = r.data.as_ref().and_then(|d| d.access_token.clone());
                            match (token, r.data) {
                                (Some(access_token), Some(d)) => {
                                    self.rows.push(ConsentRow::P5);
                                    self.phase = Phase::Done {
                                        outcome: ConsentOutcome {
                                            callback_id: self
                                                .callback_id
                                                .clone()
                                                .unwrap_or_default(),
                                            access_token,
                                            expiration_date: d.expiration_date,
                                            consent: d.consent,
                                        },
                                    };
                                }
                                _ => self.fail(
                                    ConsentRow::P10,
                                    Error::unexpected(
                                        r.http_status,
                                        "$.data.accessToken",
                                        "COMPLETED without an access token",
                                        b"",
                                    ),
                                ),
                            }
                        }
                        ConsentStatus::Rejected => {
                            let e = self.ended(ConsentStatus::Rejected);
                            self.fail(ConsentRow::P6, e)
                        }
                        ConsentStatus::Expired => {
                            let e = self.ended(ConsentStatus::Expired);
                            self.fail(ConsentRow::P7, e)
                        }
                        ConsentStatus::InProgress | ConsentStatus::Unknown(_) => self.pending(now),
                    }
                }
                Err(e) => self.retry(e, now),
            },
            Answer::ClientError(e) => {
                let resp = raw.as_ref().ok();
                if resp.is_some_and(|r| has_code(r, "REJECTED")) {
                    let e = self.ended(ConsentStatus::Rejected);
                    self.fail(ConsentRow::P6, e)
                } else if resp.is_some_and(|r| r.status == 404 || has_code(r, "EXPIRED")) {
                    let e = self.ended(ConsentStatus::Expired);
                    self.fail(ConsentRow::P7, e)
                } else {
                    self.fail(ConsentRow::P8, e)
                }
            }
            Answer::ServerError(e) | Answer::Transport(e) => self.retry(e, now),
            Answer::NotSent(kind) => self.retry(
                Error::Transport {
                    kind,
                    detail: "polling the consent failed".into(),
                },
                now,
            ),
            Answer::TooLarge(e) => self.fail(ConsentRow::P10, e),
        }
    }

    fn pending(&mut self, now: u64) {
        let expired = self.ended(ConsentStatus::Expired);
        let Phase::Poll { schedule } = &mut self.phase else {
            return;
        };
        if schedule.final_poll {
            self.fail(ConsentRow::P4, expired);
        } else {
            self.rows.push(ConsentRow::P3);
            schedule.pending(now, &self.options.poll, &mut self.jitter);
        }
    }

    fn retry(&mut self, error: Error, now: u64) {
        self.rows.push(ConsentRow::P9);
        let Phase::Poll { schedule } = &mut self.phase else {
            return;
        };
        if let Err(e) = schedule.failed(error, now, &self.options.poll, &mut self.jitter) {
            self.phase = Phase::Failed { error: e };
        }
    }
}

impl FlowEngine for Engine {
    type Outcome = ConsentOutcome;
    type Callback = SignCallback;

    fn next(&mut self, now: u64) -> Step<ConsentOutcome> {
        self.last_now_ms = self.last_now_ms.max(now);
        if self.exchange.busy() {
            self.rows.push(ConsentRow::X2);
            return Step::Wait { until_ms: None };
        }
        let req = match &mut self.phase {
            Phase::Done { outcome } => {
                self.rows.push(ConsentRow::T1);
                return Step::Done(outcome.clone());
            }
            Phase::Failed { error } => {
                self.rows.push(ConsentRow::T1);
                return Step::Failed(error.clone());
            }
            Phase::Submit { retry } => match retry.due(now) {
                Some(until) => {
                    self.rows.push(ConsentRow::S1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(ConsentRow::S2);
                    Ok(self.submit.clone())
                }
            },
            Phase::Poll { schedule } => match schedule.due(now, self.deadline_ms) {
                Some(until) => {
                    self.rows.push(ConsentRow::P1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(ConsentRow::P2);
                    GetConsent::build(
                        &self.config,
                        &GetConsentInput {
                            callback_id: self.callback_id.clone().unwrap_or_default(),
                        },
                    )
                }
            },
        };
        let phase = &mut self.phase;
        super::engine::issue_or_fail(&mut self.exchange, req, |error| {
            *phase = Phase::Failed { error }
        })
    }

    fn handle(
        &mut self,
        id: u64,
        answer: Result<HttpResponse, TransportErrorKind>,
        now: u64,
    ) -> Result<(), Error> {
        if let Err(e) = self.exchange.accept(id) {
            self.rows.push(ConsentRow::X1);
            return Err(e);
        }
        self.last_now_ms = self.last_now_ms.max(now);
        let sorted = classify(answer.clone());
        match self.phase {
            Phase::Submit { .. } => self.on_submit(sorted, now),
            Phase::Poll { .. } => self.on_poll(&answer, sorted, now),
            Phase::Done { .. } | Phase::Failed { .. } => {}
        }
        Ok(())
    }

    fn handle_callback(&mut self, _event: &SignCallback, _now: u64) -> Result<(), Error> {
        self.rows.push(ConsentRow::X3);
        Err(Error::invalid_state(
            "a consent request has no callbacks; poll instead",
        ))
    }

    fn after_restore(&mut self) {
        if let Some(id) = self.exchange.outstanding() {
            self.rows.push(ConsentRow::X4);
            let now = self.last_now_ms;
            let _ = self.handle(id, Err(TransportErrorKind::Other), now);
        }
    }

    fn progress(&self, flow: &str) -> Progress {
        let (state, next) = match &self.phase {
            Phase::Submit { retry } => ("submitting", Some(retry.not_before_ms)),
            Phase::Poll { schedule } => ("polling", Some(schedule.next_at_ms)),
            Phase::Done { .. } => ("done", None),
            Phase::Failed { .. } => ("failed", None),
        };
        Progress {
            flow: flow.to_owned(),
            state: state.to_owned(),
            request_id: self.callback_id.clone(),
            requests_sent: self.exchange.sent,
            polls: self.polls,
            next_request_at_ms: if self.exchange.busy() { None } else { next },
            deadline_ms: self.deadline_ms,
            items_done: None,
            items_total: None,
            user_action: None,
        }
    }

    fn config(&self) -> &Config {
        &self.config
    }

    fn take_rows(&mut self) -> Vec<&'static str> {
        std::mem::take(&mut self.rows)
            .into_iter()
            .map(ConsentRow::as_str)
            .collect()
    }
}

//! `OidcSignFlow`: signing through an OpenID Connect redirect (reference §8; every shape is
//! inferred, see [`crate::btrust::oidc`]).
//!
//! `POST /v2/oidc/sign` → the authorisation URL, which the host sends the user's browser to
//! (progress `userAction: openUrl`) → poll `GET /v2/oidc/sign/result/{callbackId}` (206 while
//! the user has not confirmed) → `GET /v2/oidc/sign/result/user-data/{callbackId}` → done with
//! the signatures and the signer's data.
//!
//! The POST has no lookup by an id of the relying party's that is published, so an ambiguous
//! failure ends with "outcome unknown" and nothing is resent.
//!
//! ## Transition table
//!
//! | # | state | input | → state / effect |
//! |---|---|---|---|
//! | S1 | submitting | `next` before `notBefore` | `Wait(notBefore)` |
//! | S2 | submitting | `next` | `Send(POST /v2/oidc/sign)` |
//! | S3 | submitting | 2xx with `callbackId` and an authorisation URL | polling; progress shows `openUrl`; deadline = `validity` + grace (or `defaultValidityMs`) |
//! | S4 | submitting | 5xx, unreadable 2xx, transport error that may have been processed | failed(`transport`, outcome unknown) |
//! | S5 | submitting | 4xx | failed(`api`) |
//! | S6 | submitting | transport `connect`/`tls` (nothing sent) | submitting after the retry delay; failed after `maxConsecutiveFailures` |
//! | S7 | submitting | 2xx without an authorisation URL | failed(`unexpected_response`): the user cannot be sent anywhere |
//! | P1 | polling | `next` before the next poll | `Wait(min(nextPoll, deadline))` |
//! | P2 | polling | `next` | `Send(GET /v2/oidc/sign/result/{callbackId})`; past the deadline, the final poll |
//! | P3 | polling | 206, or an item still pending | polling, backoff |
//! | P4 | polling | the final poll is still pending | failed(`expired`) |
//! | P5 | polling | 200 with every item signed | fetching the user data |
//! | P6 | polling | 200 with a `REJECTED` item | failed(`rejected`) |
//! | P7 | polling | 200 with another final item state (`EXPIRED`, `ERROR`, …), or 404 | failed(`expired`) |
//! | P8 | polling | another 4xx | failed(`api`) |
//! | P9 | polling | 5xx, unreadable 2xx, transport error | polling after the retry delay; failed after `maxConsecutiveFailures` |
//! | U1 | user data | `next` | `Send(GET /v2/oidc/sign/result/user-data/{callbackId})` (`Wait` during a retry delay) |
//! | U2 | user data | 2xx | done |
//! | U3 | user data | 5xx, transport error | user data after the retry delay; failed after `maxConsecutiveFailures` |
//! | U4 | user data | 4xx | failed(`api`) |
//! | T1 | done / failed | `next` | the same `Done` / `Failed` |
//! | X1 | any | an answer under an id that is not outstanding | `invalid_state`, unchanged |
//! | X2 | any | `next` while a request is outstanding | `Wait(None)` |
//! | X3 | any | a callback (the redirect is the browser's, not a callback) | `invalid_state`, unchanged |
//! | X4 | any | `restore` with a request in flight | as a transport error `other` for it |

use super::engine::{validated, FlowEngine};
use super::waiting::{classify, deadline, unknown_outcome, Answer, Retry, Schedule};
use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::oidc::{
    GetOidcSignResult, GetOidcSignResultUserData, OidcCallbackIdInput, OidcSign, OidcSignRequest,
    OidcUserData,
};
use crate::btrust::operation::Operation;
use crate::btrust::signing::{SignCallback, SignatureResult, SignatureStatus};
use crate::error::{Error, ItemState, TransportErrorKind};
use crate::flow::{count, Exchange, FlowOptions, Jitter, Progress, Step, UserAction};
use crate::http::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

rows! {
    /// A row of [`OidcSignFlow`]'s transition table (above).
    pub enum OidcRow {
        /// submitting, `next` before `notBefore`: `Wait(notBefore)`.
        S1,
        /// submitting, `next`: `Send(POST /v2/oidc/sign)`.
        S2,
        /// submitting, 2xx with `callbackId` and a URL: polling.
        S3,
        /// submitting, ambiguous failure: failed(`transport`, outcome unknown).
        S4,
        /// submitting, 4xx: failed(`api`).
        S5,
        /// submitting, nothing sent: retry; failed after `maxConsecutiveFailures`.
        S6,
        /// submitting, 2xx without an authorisation URL: failed(`unexpected_response`).
        S7,
        /// polling, `next` before the next poll: `Wait`.
        P1,
        /// polling, `next`: `Send(GET /v2/oidc/sign/result/{callbackId})`.
        P2,
        /// polling, 206 or an item pending: backoff.
        P3,
        /// polling, the final poll still pending: failed(`expired`).
        P4,
        /// polling, 200 with every item signed: fetching the user data.
        P5,
        /// polling, 200 with a `REJECTED` item: failed(`rejected`).
        P6,
        /// polling, another final item state, or 404: failed(`expired`).
        P7,
        /// polling, another 4xx: failed(`api`).
        P8,
        /// polling, 5xx or transport: retry; failed after `maxConsecutiveFailures`.
        P9,
        /// user data, `next`: `Send(GET /v2/oidc/sign/result/user-data/{callbackId})`.
        U1,
        /// user data, 2xx: done.
        U2,
        /// user data, 5xx or transport: retry; failed after `maxConsecutiveFailures`.
        U3,
        /// user data, 4xx: failed(`api`).
        U4,
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

/// Input of [`OidcSignFlow`]: the request body itself (inferred shape).
pub type OidcSignFlowInput = OidcSignRequest;

/// What a finished OIDC signing returns (inferred shapes).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OidcSignOutcome {
    /// The request's id.
    pub callback_id: String,
    /// One signature per requested item, in request order (the content ids to download).
    pub signatures: Vec<SignatureResult>,
    /// The signing certificate, when sent.
    pub cert: Option<Blob>,
    /// The signer's identity claims (personal data).
    pub user_data: OidcUserData,
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
    UserData {
        #[serde(flatten)]
        retry: Retry,
    },
    Done {
        outcome: OidcSignOutcome,
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
    authorization_url: Option<String>,
    signatures: Vec<SignatureResult>,
    cert: Option<Blob>,
    deadline_ms: Option<u64>,
    polls: u32,
    last_now_ms: u64,
    #[serde(skip)]
    rows: Vec<OidcRow>,
}

/// Signs through an OpenID Connect redirect; see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct OidcSignFlow {
    engine: Engine,
}

impl OidcSignFlow {
    /// Validates the input and builds `POST /v2/oidc/sign` once.
    pub fn new(
        config: Config,
        input: OidcSignFlowInput,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        validated(&config, &input)?;
        let submit = OidcSign::build(&config, &input)?;
        Ok(OidcSignFlow {
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
                authorization_url: None,
                signatures: Vec::new(),
                cert: None,
                deadline_ms: None,
                polls: 0,
                last_now_ms: 0,
                rows: Vec::new(),
            },
        })
    }
}

flow_api!(OidcSignFlow {
    name: "btrust.signWithOidc",
    table: OidcRow::TABLE,
    outcome: OidcSignOutcome,
    callback: SignCallback,
});

impl Engine {
    fn fail(&mut self, row: OidcRow, error: Error) {
        self.rows.push(row);
        self.phase = Phase::Failed { error };
    }

    fn id_input(&self) -> OidcCallbackIdInput {
        OidcCallbackIdInput {
            callback_id: self.callback_id.clone().unwrap_or_default(),
        }
    }

    fn on_submit(&mut self, answer: Answer, now: u64) {
        match answer {
            Answer::Success(resp) => match OidcSign::parse(resp) {
                Ok(r)
                    if r.data
                        .authorization_url
                        .as_deref()
                        .is_some_and(|u| !u.is_empty()) =>
                {
                    self.rows.push(OidcRow::S3);
                    let p = &self.options.poll;
                    let first = now
                        .saturating_add(self.jitter.spread(p.first_poll_after_ms, p.jitter_ratio));
                    self.deadline_ms = Some(deadline(r.data.validity.as_ref(), now, first, p));
                    self.callback_id = Some(r.data.callback_id);
                    self.authorization_url = r.data.authorization_url;
                    self.phase = Phase::Poll {
                        schedule: Schedule::first(first, p.interval_ms),
                    };
                }
                Ok(r) => self.fail(
                    OidcRow::S7,
                    Error::unexpected(
                        r.http_status,
                        "$.data.authorizationUrl",
                        "no authorisation URL to send the user to",
                        b"",
                    ),
                ),
                Err(e) => self.fail(OidcRow::S4, unknown_outcome(&e.to_string())),
            },
            Answer::ServerError(e) | Answer::Transport(e) => {
                self.fail(OidcRow::S4, unknown_outcome(&e.to_string()))
            }
            Answer::NotSent(kind) => {
                self.rows.push(OidcRow::S6);
                let Phase::Submit { retry } = &mut self.phase else {
                    return;
                };
                if !retry.failed(now, &self.options.poll, &mut self.jitter) {
                    self.phase = Phase::Failed {
                        error: Error::Transport {
                            kind,
                            detail: "could not reach the service to start OIDC signing".into(),
                        },
                    };
                }
            }
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(OidcRow::S5, e),
        }
    }

    fn items(sigs: &[SignatureResult]) -> Vec<ItemState> {
        sigs.iter()
            .enumerate()
            .map(|(i, s)| ItemState {
                index: count(i),
                status: s.status.as_str().to_owned(),
            })
            .collect()
    }

    fn on_poll(
        &mut self,
        raw: &Result<HttpResponse, TransportErrorKind>,
        answer: Answer,
        now: u64,
    ) {
        let request_id = self.callback_id.clone();
        match answer {
            Answer::Success(resp) => match GetOidcSignResult::parse(resp) {
                Ok(r) => {
                    self.polls = self.polls.saturating_add(1);
                    let (sigs, cert) = r.data.map(|d| (d.signatures, d.cert)).unwrap_or_default();
                    if r.http_status == 206
                        || sigs.is_empty()
                        || sigs.iter().any(|s| s.status.is_pending())
                    {
                        return self.pending(now);
                    }
                    if sigs.iter().all(|s| s.status.is_signed()) {
                        self.rows.push(OidcRow::P5);
                        self.signatures = sigs;
                        self.cert = cert;
                        self.phase = Phase::UserData {
                            retry: Retry::now(),
                        };
                    } else if sigs.iter().any(|s| s.status == SignatureStatus::Rejected) {
                        let items = Self::items(&sigs);
                        self.fail(OidcRow::P6, Error::Rejected { request_id, items });
                    } else {
                        let items = Self::items(&sigs);
                        self.fail(OidcRow::P7, Error::Expired { request_id, items });
                    }
                }
                Err(e) => self.retry_poll(e, now),
            },
            Answer::ClientError(e) => {
                if raw.as_ref().is_ok_and(|r| r.status == 404) {
                    let items = Vec::new();
                    self.fail(OidcRow::P7, Error::Expired { request_id, items });
                } else {
                    self.fail(OidcRow::P8, e);
                }
            }
            Answer::TooLarge(e) => self.fail(OidcRow::P8, e),
            Answer::ServerError(e) | Answer::Transport(e) => self.retry_poll(e, now),
            Answer::NotSent(kind) => self.retry_poll(
                Error::Transport {
                    kind,
                    detail: "polling the OIDC result failed".into(),
                },
                now,
            ),
        }
    }

    fn on_user_data(&mut self, answer: Answer, now: u64) {
        match answer {
            Answer::Success(resp) => match GetOidcSignResultUserData::parse(resp) {
                Ok(r) => {
                    self.rows.push(OidcRow::U2);
                    self.phase = Phase::Done {
                        outcome: OidcSignOutcome {
                            callback_id: self.callback_id.clone().unwrap_or_default(),
                            signatures: self.signatures.clone(),
                            cert: self.cert.clone(),
                            user_data: r.data,
                        },
                    };
                }
                Err(e) => self.retry_user_data(e, now),
            },
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(OidcRow::U4, e),
            Answer::ServerError(e) | Answer::Transport(e) => self.retry_user_data(e, now),
            Answer::NotSent(kind) => self.retry_user_data(
                Error::Transport {
                    kind,
                    detail: "fetching the signer's data failed".into(),
                },
                now,
            ),
        }
    }

    fn retry_user_data(&mut self, error: Error, now: u64) {
        self.rows.push(OidcRow::U3);
        let Phase::UserData { retry } = &mut self.phase else {
            return;
        };
        if !retry.failed(now, &self.options.poll, &mut self.jitter) {
            self.phase = Phase::Failed { error };
        }
    }

    fn pending(&mut self, now: u64) {
        let request_id = self.callback_id.clone();
        let Phase::Poll { schedule } = &mut self.phase else {
            return;
        };
        if schedule.final_poll {
            self.fail(
                OidcRow::P4,
                Error::Expired {
                    request_id,
                    items: Vec::new(),
                },
            );
        } else {
            self.rows.push(OidcRow::P3);
            schedule.pending(now, &self.options.poll, &mut self.jitter);
        }
    }

    fn retry_poll(&mut self, error: Error, now: u64) {
        self.rows.push(OidcRow::P9);
        let Phase::Poll { schedule } = &mut self.phase else {
            return;
        };
        if let Err(e) = schedule.failed(error, now, &self.options.poll, &mut self.jitter) {
            self.phase = Phase::Failed { error: e };
        }
    }
}

impl FlowEngine for Engine {
    type Outcome = OidcSignOutcome;
    type Callback = SignCallback;

    fn next(&mut self, now: u64) -> Step<OidcSignOutcome> {
        self.last_now_ms = self.last_now_ms.max(now);
        if self.exchange.busy() {
            self.rows.push(OidcRow::X2);
            return Step::Wait { until_ms: None };
        }
        let req = match &mut self.phase {
            Phase::Done { outcome } => {
                self.rows.push(OidcRow::T1);
                return Step::Done(outcome.clone());
            }
            Phase::Failed { error } => {
                self.rows.push(OidcRow::T1);
                return Step::Failed(error.clone());
            }
            Phase::Submit { retry } => match retry.due(now) {
                Some(until) => {
                    self.rows.push(OidcRow::S1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(OidcRow::S2);
                    Ok(self.submit.clone())
                }
            },
            Phase::Poll { schedule } => match schedule.due(now, self.deadline_ms) {
                Some(until) => {
                    self.rows.push(OidcRow::P1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(OidcRow::P2);
                    let input = self.id_input();
                    GetOidcSignResult::build(&self.config, &input)
                }
            },
            Phase::UserData { retry } => {
                self.rows.push(OidcRow::U1);
                if let Some(until) = retry.due(now) {
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                let input = self.id_input();
                GetOidcSignResultUserData::build(&self.config, &input)
            }
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
            self.rows.push(OidcRow::X1);
            return Err(e);
        }
        self.last_now_ms = self.last_now_ms.max(now);
        let sorted = classify(answer.clone());
        match self.phase {
            Phase::Submit { .. } => self.on_submit(sorted, now),
            Phase::Poll { .. } => self.on_poll(&answer, sorted, now),
            Phase::UserData { .. } => self.on_user_data(sorted, now),
            Phase::Done { .. } | Phase::Failed { .. } => {}
        }
        Ok(())
    }

    fn handle_callback(&mut self, _event: &SignCallback, _now: u64) -> Result<(), Error> {
        self.rows.push(OidcRow::X3);
        Err(Error::invalid_state(
            "OIDC signing has no callbacks (the redirect returns to the browser); poll instead",
        ))
    }

    fn after_restore(&mut self) {
        if let Some(id) = self.exchange.outstanding() {
            self.rows.push(OidcRow::X4);
            let now = self.last_now_ms;
            let _ = self.handle(id, Err(TransportErrorKind::Other), now);
        }
    }

    fn progress(&self, flow: &str) -> Progress {
        let (state, next) = match &self.phase {
            Phase::Submit { retry } => ("submitting", Some(retry.not_before_ms)),
            Phase::Poll { schedule } => ("polling", Some(schedule.next_at_ms)),
            Phase::UserData { retry } => ("user_data", Some(retry.not_before_ms)),
            Phase::Done { .. } => ("done", None),
            Phase::Failed { .. } => ("failed", None),
        };
        let user_action = match (&self.phase, &self.authorization_url) {
            (Phase::Poll { .. }, Some(url)) => Some(UserAction::OpenUrl { url: url.clone() }),
            _ => None,
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
            user_action,
        }
    }

    fn config(&self) -> &Config {
        &self.config
    }

    fn take_rows(&mut self) -> Vec<&'static str> {
        std::mem::take(&mut self.rows)
            .into_iter()
            .map(OidcRow::as_str)
            .collect()
    }
}

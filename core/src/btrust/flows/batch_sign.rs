//! `BatchSignFlow`: sign many documents in the background with an ARS access token
//! (reference §7; the batch shapes are inferred).
//!
//! `POST /v2/arsign/batch/async/sign` → poll `GET /v2/arsign/batch/async/{callbackId}` (206 =
//! still signing) → download every signed item (`GET /v2/sign/content/{id}`). The outcome has
//! one entry per item: a token revoked mid-batch leaves the items signed before it signed and
//! the rest `REVOKED`, and the flow reports both rather than fail.
//!
//! The batch POST has no lookup by an id of the relying party's: an ambiguous failure ends
//! with "outcome unknown" and nothing is resent, so no document is signed twice.
//!
//! ## Transition table
//!
//! | # | state | input | → state / effect |
//! |---|---|---|---|
//! | S1 | submitting | `next` before `notBefore` | `Wait(notBefore)` |
//! | S2 | submitting | `next` | `Send(POST /v2/arsign/batch/async/sign)` |
//! | S3 | submitting | 2xx with `callbackId` | polling; deadline = `validity` + grace (or `defaultValidityMs`) |
//! | S4 | submitting | 5xx, unreadable 2xx, transport error that may have been processed | failed(`transport`, outcome unknown; not resent) |
//! | S5 | submitting | a consent code | failed(`consent_required`) |
//! | S6 | submitting | `BATCH_SIZE_EXCEED` / `REQUEST EXCEED LIMIT` | failed(`limit_exceeded`, with the limit and the batch's size) |
//! | S7 | submitting | another 4xx | failed(`api`) |
//! | S8 | submitting | transport `connect`/`tls` (nothing sent) | submitting after the retry delay; failed after `maxConsecutiveFailures` |
//! | P1 | polling | `next` before the next poll | `Wait(min(nextPoll, deadline))` |
//! | P2 | polling | `next` | `Send(GET /v2/arsign/batch/async/{callbackId})`; past the deadline, the final poll |
//! | P3 | polling | 206, or an item still pending | polling, backoff |
//! | P4 | polling | the final poll is still pending | failed(`expired`) |
//! | P5 | polling | 200 with every item final | downloading the signed items (done when none) |
//! | P6 | polling | a consent code | failed(`consent_required`) |
//! | P7 | polling | 404 (`BATCH_NOT_FOUND`) or another 4xx | failed(`api`) |
//! | P8 | polling | 5xx, unreadable 2xx, transport error | polling after the retry delay; failed after `maxConsecutiveFailures` |
//! | D1 | downloading | `next` | `Send(GET /v2/sign/content/{id})` for the next signed item (`Wait` during a retry delay) |
//! | D2 | downloading | 2xx | the item's document; the next item, done after the last |
//! | D3 | downloading | 5xx, transport error | downloading after the retry delay; failed after `maxConsecutiveFailures` |
//! | D4 | downloading | 4xx, or a body that is not a file | failed |
//! | T1 | done / failed | `next` | the same `Done` / `Failed` |
//! | X1 | any | an answer under an id that is not outstanding | `invalid_state`, unchanged |
//! | X2 | any | `next` while a request is outstanding | `Wait(None)` |
//! | X3 | any | a callback (this scenario has none) | `invalid_state`, unchanged |
//! | X4 | any | `restore` with a request in flight | as a transport error `other` for it |

use super::ars_common::{ars_refusal, ArsItem};
use super::engine::{validated, FlowEngine};
use super::waiting::{classify, deadline, unknown_outcome, Answer, Retry, Schedule};
use crate::btrust::ars::{
    BatchSignRequest, GetSignedBatch, GetSignedBatchInput, SendBatchSignRequest,
    SendBatchSignRequestInput,
};
use crate::btrust::config::Config;
use crate::btrust::operation::Operation;
use crate::btrust::signing::{GetSignedContent, GetSignedContentInput, SignCallback};
use crate::error::{Error, TransportErrorKind};
use crate::flow::{count, Exchange, FlowOptions, Jitter, Progress, Step};
use crate::http::{HttpRequest, HttpResponse};
use crate::secret::Secret;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

rows! {
    /// A row of [`BatchSignFlow`]'s transition table (above).
    pub enum BatchRow {
        /// submitting, `next` before `notBefore`: `Wait(notBefore)`.
        S1,
        /// submitting, `next`: `Send(POST /v2/arsign/batch/async/sign)`.
        S2,
        /// submitting, 2xx with `callbackId`: polling.
        S3,
        /// submitting, ambiguous failure: failed(`transport`, outcome unknown; not resent).
        S4,
        /// submitting, a consent code: failed(`consent_required`).
        S5,
        /// submitting, a limit code: failed(`limit_exceeded`).
        S6,
        /// submitting, another 4xx: failed(`api`).
        S7,
        /// submitting, nothing sent: retry; failed after `maxConsecutiveFailures`.
        S8,
        /// polling, `next` before the next poll: `Wait`.
        P1,
        /// polling, `next`: `Send(GET /v2/arsign/batch/async/{callbackId})`.
        P2,
        /// polling, 206 or an item pending: backoff.
        P3,
        /// polling, the final poll still pending: failed(`expired`).
        P4,
        /// polling, 200 with every item final: downloading.
        P5,
        /// polling, a consent code: failed(`consent_required`).
        P6,
        /// polling, 404 or another 4xx: failed(`api`).
        P7,
        /// polling, 5xx or transport: retry; failed after `maxConsecutiveFailures`.
        P8,
        /// downloading, `next`: `Send(GET /v2/sign/content/{id})`.
        D1,
        /// downloading, 2xx: the item's document.
        D2,
        /// downloading, 5xx or transport: retry; failed after `maxConsecutiveFailures`.
        D3,
        /// downloading, 4xx or not a file: failed.
        D4,
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

/// Input of [`BatchSignFlow`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BatchSignFlowInput {
    /// The access token from the consent.
    pub access_token: Secret<String>,
    /// What to sign (inferred body).
    pub request: BatchSignRequest,
    /// Download the signed documents (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download: Option<bool>,
}

impl Validate for BatchSignFlowInput {
    fn validate(&self, v: &mut Validator) {
        crate::btrust::ars::models::check_access_token(v, &self.access_token);
        v.field("request", |v| self.request.validate(v));
    }
}

/// What a batch returns: every item's outcome, signed or not.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchSignOutcome {
    /// The batch's id.
    pub callback_id: String,
    /// One entry per requested item, in request order.
    pub items: Vec<ArsItem>,
    /// How many items are signed.
    pub signed: u32,
    /// How many are not (`REVOKED`, `ERROR`, …): a new consent or a new batch is needed for
    /// them.
    pub not_signed: u32,
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
    Download {
        #[serde(flatten)]
        retry: Retry,
    },
    Done {
        outcome: BatchSignOutcome,
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
    access_token: Secret<String>,
    download: bool,
    size: u32,
    submit: HttpRequest,
    exchange: Exchange,
    jitter: Jitter,
    phase: Phase,
    callback_id: Option<String>,
    items: Vec<ArsItem>,
    deadline_ms: Option<u64>,
    polls: u32,
    last_now_ms: u64,
    #[serde(skip)]
    rows: Vec<BatchRow>,
}

/// Signs a batch with an access token; see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchSignFlow {
    engine: Engine,
}

impl BatchSignFlow {
    /// Validates the input and builds the batch request once.
    pub fn new(
        config: Config,
        input: BatchSignFlowInput,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        validated(&config, &input)?;
        let size = count(input.request.contents.len());
        let submit = SendBatchSignRequest::build(
            &config,
            &SendBatchSignRequestInput {
                access_token: input.access_token.clone(),
                request: input.request,
            },
        )?;
        Ok(BatchSignFlow {
            engine: Engine {
                jitter: Jitter::new(options.effective_jitter_seed()),
                config,
                options: options.without_entropy(),
                access_token: input.access_token,
                download: input.download.unwrap_or(true),
                size,
                submit,
                exchange: Exchange::default(),
                phase: Phase::Submit {
                    retry: Retry::now(),
                },
                callback_id: None,
                items: Vec::new(),
                deadline_ms: None,
                polls: 0,
                last_now_ms: 0,
                rows: Vec::new(),
            },
        })
    }
}

flow_api!(BatchSignFlow {
    name: "btrust.batchSign",
    table: BatchRow::TABLE,
    outcome: BatchSignOutcome,
    callback: SignCallback,
});

impl Engine {
    fn fail(&mut self, row: BatchRow, error: Error) {
        self.rows.push(row);
        self.phase = Phase::Failed { error };
    }

    fn finish_or_download(&mut self) {
        self.phase = if self.download && self.items.iter().any(ArsItem::wants_download) {
            Phase::Download {
                retry: Retry::now(),
            }
        } else {
            let signed = self.items.iter().filter(|i| i.status.is_signed()).count();
            Phase::Done {
                outcome: BatchSignOutcome {
                    callback_id: self.callback_id.clone().unwrap_or_default(),
                    items: self.items.clone(),
                    signed: count(signed),
                    not_signed: count(self.items.len() - signed),
                },
            }
        };
    }

    fn on_submit(&mut self, raw: &Result<HttpResponse, TransportErrorKind>, now: u64) {
        if let Some(e) = raw
            .as_ref()
            .ok()
            .and_then(|r| ars_refusal(r, Some(self.size)))
        {
            let row = match e {
                Error::ConsentRequired { .. } => BatchRow::S5,
                _ => BatchRow::S6,
            };
            return self.fail(row, e);
        }
        match classify(raw.clone()) {
            Answer::Success(resp) => match SendBatchSignRequest::parse(resp) {
                Ok(r) => {
                    self.rows.push(BatchRow::S3);
                    let p = &self.options.poll;
                    let first = now
                        .saturating_add(self.jitter.spread(p.first_poll_after_ms, p.jitter_ratio));
                    self.deadline_ms = Some(deadline(r.data.validity.as_ref(), now, first, p));
                    self.callback_id = Some(r.data.callback_id);
                    self.phase = Phase::Poll {
                        schedule: Schedule::first(first, p.interval_ms),
                    };
                }
                Err(e) => self.fail(BatchRow::S4, unknown_outcome(&e.to_string())),
            },
            Answer::ServerError(e) | Answer::Transport(e) => {
                self.fail(BatchRow::S4, unknown_outcome(&e.to_string()))
            }
            Answer::NotSent(kind) => {
                self.rows.push(BatchRow::S8);
                let Phase::Submit { retry } = &mut self.phase else {
                    return;
                };
                if !retry.failed(now, &self.options.poll, &mut self.jitter) {
                    self.phase = Phase::Failed {
                        error: Error::Transport {
                            kind,
                            detail: "could not reach the service to submit the batch".into(),
                        },
                    };
                }
            }
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(BatchRow::S7, e),
        }
    }

    fn on_poll(&mut self, raw: &Result<HttpResponse, TransportErrorKind>, now: u64) {
        if let Some(e) = raw.as_ref().ok().and_then(|r| ars_refusal(r, None)) {
            if matches!(e, Error::ConsentRequired { .. }) {
                return self.fail(BatchRow::P6, e);
            }
        }
        match classify(raw.clone()) {
            Answer::Success(resp) => match GetSignedBatch::parse(resp) {
                Ok(r) => {
                    self.polls = self.polls.saturating_add(1);
                    let sigs = r.data.map(|d| d.signatures).unwrap_or_default();
                    let pending = r.http_status == 206
                        || sigs.is_empty()
                        || sigs.iter().any(|s| s.status.is_pending());
                    if pending {
                        return self.pending(now);
                    }
                    self.rows.push(BatchRow::P5);
                    self.items = sigs
                        .iter()
                        .enumerate()
                        .map(|(i, s)| ArsItem::from_signature(i, s))
                        .collect();
                    self.finish_or_download();
                }
                Err(e) => self.retry_poll(e, now),
            },
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(BatchRow::P7, e),
            Answer::ServerError(e) | Answer::Transport(e) => self.retry_poll(e, now),
            Answer::NotSent(kind) => self.retry_poll(
                Error::Transport {
                    kind,
                    detail: "polling the batch failed".into(),
                },
                now,
            ),
        }
    }

    fn on_download(&mut self, raw: &Result<HttpResponse, TransportErrorKind>, now: u64) {
        let Some(pos) = self.items.iter().position(ArsItem::wants_download) else {
            return;
        };
        match classify(raw.clone()) {
            Answer::Success(resp) => match GetSignedContent::parse(resp) {
                Ok(file) => {
                    self.rows.push(BatchRow::D2);
                    self.items[pos].document = Some(file);
                    self.finish_or_download();
                }
                Err(e) => self.fail(BatchRow::D4, e),
            },
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(BatchRow::D4, e),
            Answer::ServerError(e) | Answer::Transport(e) => self.retry_download(e, now),
            Answer::NotSent(kind) => self.retry_download(
                Error::Transport {
                    kind,
                    detail: "downloading a signed document failed".into(),
                },
                now,
            ),
        }
    }

    fn retry_download(&mut self, error: Error, now: u64) {
        self.rows.push(BatchRow::D3);
        let Phase::Download { retry } = &mut self.phase else {
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
                BatchRow::P4,
                Error::Expired {
                    request_id,
                    items: Vec::new(),
                },
            );
        } else {
            self.rows.push(BatchRow::P3);
            schedule.pending(now, &self.options.poll, &mut self.jitter);
        }
    }

    fn retry_poll(&mut self, error: Error, now: u64) {
        self.rows.push(BatchRow::P8);
        let Phase::Poll { schedule } = &mut self.phase else {
            return;
        };
        if let Err(e) = schedule.failed(error, now, &self.options.poll, &mut self.jitter) {
            self.phase = Phase::Failed { error: e };
        }
    }
}

impl FlowEngine for Engine {
    type Outcome = BatchSignOutcome;
    type Callback = SignCallback;

    fn next(&mut self, now: u64) -> Step<BatchSignOutcome> {
        self.last_now_ms = self.last_now_ms.max(now);
        if self.exchange.busy() {
            self.rows.push(BatchRow::X2);
            return Step::Wait { until_ms: None };
        }
        let req = match &mut self.phase {
            Phase::Done { outcome } => {
                self.rows.push(BatchRow::T1);
                return Step::Done(outcome.clone());
            }
            Phase::Failed { error } => {
                self.rows.push(BatchRow::T1);
                return Step::Failed(error.clone());
            }
            Phase::Submit { retry } => match retry.due(now) {
                Some(until) => {
                    self.rows.push(BatchRow::S1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(BatchRow::S2);
                    Ok(self.submit.clone())
                }
            },
            Phase::Poll { schedule } => match schedule.due(now, self.deadline_ms) {
                Some(until) => {
                    self.rows.push(BatchRow::P1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(BatchRow::P2);
                    GetSignedBatch::build(
                        &self.config,
                        &GetSignedBatchInput {
                            access_token: self.access_token.clone(),
                            callback_id: self.callback_id.clone().unwrap_or_default(),
                        },
                    )
                }
            },
            Phase::Download { retry } => {
                self.rows.push(BatchRow::D1);
                if let Some(until) = retry.due(now) {
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                let id = self
                    .items
                    .iter()
                    .find(|i| i.wants_download())
                    .and_then(|i| i.signature_id.clone())
                    .unwrap_or_default();
                GetSignedContent::build(&self.config, &GetSignedContentInput { id })
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
            self.rows.push(BatchRow::X1);
            return Err(e);
        }
        self.last_now_ms = self.last_now_ms.max(now);
        match self.phase {
            Phase::Submit { .. } => self.on_submit(&answer, now),
            Phase::Poll { .. } => self.on_poll(&answer, now),
            Phase::Download { .. } => self.on_download(&answer, now),
            Phase::Done { .. } | Phase::Failed { .. } => {}
        }
        Ok(())
    }

    fn handle_callback(&mut self, _event: &SignCallback, _now: u64) -> Result<(), Error> {
        self.rows.push(BatchRow::X3);
        Err(Error::invalid_state(
            "a batch has no callbacks; poll instead",
        ))
    }

    fn after_restore(&mut self) {
        if let Some(id) = self.exchange.outstanding() {
            self.rows.push(BatchRow::X4);
            let now = self.last_now_ms;
            let _ = self.handle(id, Err(TransportErrorKind::Other), now);
        }
    }

    fn progress(&self, flow: &str) -> Progress {
        let (state, next) = match &self.phase {
            Phase::Submit { retry } => ("submitting", Some(retry.not_before_ms)),
            Phase::Poll { schedule } => ("polling", Some(schedule.next_at_ms)),
            Phase::Download { retry } => ("downloading", Some(retry.not_before_ms)),
            Phase::Done { .. } => ("done", None),
            Phase::Failed { .. } => ("failed", None),
        };
        let done = self
            .items
            .iter()
            .filter(|i| i.status.is_signed() && !i.wants_download())
            .count();
        Progress {
            flow: flow.to_owned(),
            state: state.to_owned(),
            request_id: self.callback_id.clone(),
            requests_sent: self.exchange.sent,
            polls: self.polls,
            next_request_at_ms: if self.exchange.busy() { None } else { next },
            deadline_ms: self.deadline_ms,
            items_done: (!self.items.is_empty()).then(|| count(done)),
            items_total: Some(self.size),
            user_action: None,
        }
    }

    fn config(&self) -> &Config {
        &self.config
    }

    fn take_rows(&mut self) -> Vec<&'static str> {
        std::mem::take(&mut self.rows)
            .into_iter()
            .map(BatchRow::as_str)
            .collect()
    }
}

//! The engine behind [`super::MobileIdentificationFlow`]: submit once, then poll. The
//! transition table is in `mobile_ident.rs` ([`MobileRow`]); waiting is
//! [`super::waiting`]'s.

use super::engine::FlowEngine;
use super::mobile_ident::{MobileIdentificationOutcome, MobileRow};
use super::waiting::{classify, deadline, unknown_outcome, Answer, Retry, Schedule};
use crate::btrust::config::Config;
use crate::btrust::identification::IdentificationCallback;
use crate::btrust::identification::IdentificationStatus;
use crate::btrust::identification::{
    GetIdentificationResult, GetIdentificationResultInput, Identification,
};
use crate::btrust::operation::Operation;
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Exchange, FlowOptions, Jitter, Progress, Step};
use crate::http::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

/// The engine's states; the waiting fields are flattened so snapshots keep their field names.
/// Read back by `snapshot_de`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "phase",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub(super) enum Phase {
    Submit {
        #[serde(flatten)]
        retry: Retry,
    },
    Poll {
        schedule: Schedule,
    },
    Done {
        outcome: MobileIdentificationOutcome,
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
    /// The create request, built once.
    submit: HttpRequest,
    exchange: Exchange,
    jitter: Jitter,
    phase: Phase,
    callback_id: Option<String>,
    deadline_ms: Option<u64>,
    polls: u32,
    last_now_ms: u64,
    #[serde(skip)]
    rows: Vec<MobileRow>,
}

impl Engine {
    pub(crate) fn new(config: Config, options: FlowOptions, submit: HttpRequest) -> Self {
        Engine {
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
        }
    }

    fn fail(&mut self, row: MobileRow, error: Error) {
        self.rows.push(row);
        self.phase = Phase::Failed { error };
    }

    fn on_submit(&mut self, answer: Answer, now: u64) {
        match answer {
            Answer::Success(resp) => match Identification::parse(resp) {
                Ok(r) => {
                    self.rows.push(MobileRow::S3);
                    let p = &self.options.poll;
                    let first = now
                        .saturating_add(self.jitter.spread(p.first_poll_after_ms, p.jitter_ratio));
                    self.deadline_ms = Some(deadline(r.data.validity.as_ref(), now, first, p));
                    self.callback_id = Some(r.data.callback_id);
                    self.phase = Phase::Poll {
                        schedule: Schedule::first(first, p.interval_ms),
                    };
                }
                Err(e) => self.fail(MobileRow::S4, unknown_outcome(&e.to_string())),
            },
            // No lookup exists: resending could prompt the person twice.
            Answer::ServerError(e) | Answer::Transport(e) => {
                self.fail(MobileRow::S4, unknown_outcome(&e.to_string()))
            }
            Answer::NotSent(kind) => {
                self.rows.push(MobileRow::S6);
                let Phase::Submit { retry } = &mut self.phase else {
                    return;
                };
                if !retry.failed(now, &self.options.poll, &mut self.jitter) {
                    self.phase = Phase::Failed {
                        error: Error::Transport {
                            kind,
                            detail:
                                "could not reach the service to submit the identification request"
                                    .into(),
                        },
                    };
                }
            }
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(MobileRow::S5, e),
        }
    }

    fn on_poll(&mut self, answer: Answer, now: u64) {
        let past = self
            .deadline_ms
            .is_some_and(|d| now.saturating_add(self.options.poll.expiry_grace_ms) >= d);
        let request_id = self.callback_id.clone();
        match answer {
            Answer::Success(resp) => match GetIdentificationResult::parse(resp) {
                Ok(r) => {
                    self.polls = self.polls.saturating_add(1);
                    let status = r.status.as_deref().map(IdentificationStatus::parse);
                    let finished =
                        r.http_status != 206 && status == Some(IdentificationStatus::Finished);
                    match (finished, r.data) {
                        (true, Some(d)) => {
                            self.rows.push(MobileRow::P5);
                            self.phase = Phase::Done {
                                outcome: MobileIdentificationOutcome {
                                    callback_id: request_id.unwrap_or_default(),
                                    identificator: d.identificator,
                                    eid_certificate: d.content,
                                    identification_before: d.identification_before,
                                    identification_reason: d.identification_reason,
                                },
                            };
                        }
                        (true, None) => self.fail(
                            MobileRow::P10,
                            Error::unexpected(200, "$.data", "FINISHED without data", b""),
                        ),
                        (false, _) => self.pending(now),
                    }
                }
                Err(e) => self.retry(e, now),
            },
            Answer::ClientError(e) => {
                let status = match &e {
                    Error::Api { http_status, .. } => *http_status,
                    _ => 0,
                };
                let rejected = matches!(&e, Error::Api { code: Some(c), .. } if c == "REJECTED");
                if past || status == 404 {
                    let error = Error::Expired {
                        request_id,
                        items: Vec::new(),
                    };
                    self.fail(MobileRow::P7, error);
                } else if rejected && matches!(status, 400 | 403) {
                    let error = Error::Rejected {
                        request_id,
                        items: Vec::new(),
                    };
                    self.fail(MobileRow::P6, error);
                } else {
                    self.fail(MobileRow::P8, e);
                }
            }
            Answer::ServerError(e) | Answer::Transport(e) => self.retry(e, now),
            Answer::NotSent(kind) => self.retry(
                Error::Transport {
                    kind,
                    detail: "polling failed".into(),
                },
                now,
            ),
            Answer::TooLarge(e) => self.fail(MobileRow::P10, e),
        }
    }

    fn pending(&mut self, now: u64) {
        let request_id = self.callback_id.clone();
        let Phase::Poll { schedule } = &mut self.phase else {
            return;
        };
        if schedule.final_poll {
            let error = Error::Expired {
                request_id,
                items: Vec::new(),
            };
            self.fail(MobileRow::P4, error);
        } else {
            self.rows.push(MobileRow::P3);
            schedule.pending(now, &self.options.poll, &mut self.jitter);
        }
    }

    fn retry(&mut self, error: Error, now: u64) {
        self.rows.push(MobileRow::P9);
        let Phase::Poll { schedule } = &mut self.phase else {
            return;
        };
        if let Err(e) = schedule.failed(error, now, &self.options.poll, &mut self.jitter) {
            self.phase = Phase::Failed { error: e };
        }
    }
}

impl FlowEngine for Engine {
    type Outcome = MobileIdentificationOutcome;
    type Callback = IdentificationCallback;

    fn next(&mut self, now: u64) -> Step<MobileIdentificationOutcome> {
        self.last_now_ms = self.last_now_ms.max(now);
        if self.exchange.busy() {
            self.rows.push(MobileRow::X2);
            return Step::Wait { until_ms: None };
        }
        let req = match &mut self.phase {
            Phase::Done { outcome } => {
                self.rows.push(MobileRow::T1);
                return Step::Done(outcome.clone());
            }
            Phase::Failed { error } => {
                self.rows.push(MobileRow::T1);
                return Step::Failed(error.clone());
            }
            Phase::Submit { retry } => match retry.due(now) {
                Some(until) => {
                    self.rows.push(MobileRow::S1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(MobileRow::S2);
                    Ok(self.submit.clone())
                }
            },
            Phase::Poll { schedule } => match schedule.due(now, self.deadline_ms) {
                Some(until) => {
                    self.rows.push(MobileRow::P1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(MobileRow::P2);
                    GetIdentificationResult::build(
                        &self.config,
                        &GetIdentificationResultInput {
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
            self.rows.push(MobileRow::X1);
            return Err(e);
        }
        self.last_now_ms = self.last_now_ms.max(now);
        let answer = classify(answer);
        match self.phase {
            Phase::Submit { .. } => self.on_submit(answer, now),
            Phase::Poll { .. } => self.on_poll(answer, now),
            Phase::Done { .. } | Phase::Failed { .. } => {}
        }
        Ok(())
    }

    fn handle_callback(&mut self, _event: &IdentificationCallback, _now: u64) -> Result<(), Error> {
        self.rows.push(MobileRow::X3);
        Err(Error::invalid_state(
            "identification through B-Trust Mobile has no callbacks; poll instead",
        ))
    }

    fn after_restore(&mut self) {
        if let Some(id) = self.exchange.outstanding() {
            self.rows.push(MobileRow::X4);
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
            .map(MobileRow::as_str)
            .collect()
    }
}

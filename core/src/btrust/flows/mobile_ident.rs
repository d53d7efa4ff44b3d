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

use super::waiting::{classify, Answer, Schedule};
use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::identification::IdentificationCallback;
use crate::btrust::identification::IdentificationStatus;
use crate::btrust::identification::{
    GetIdentificationResult, GetIdentificationResultInput, Identification, IdentificationRequest,
};
use crate::btrust::operation::Operation;
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Exchange, Flow, FlowOptions, Jitter, Progress, Step};
use crate::http::{HttpRequest, HttpResponse};
use crate::time::Timestamp;
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// What a finished mobile identification returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "phase",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
enum Phase {
    Submit {
        not_before_ms: u64,
        failures: u32,
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct State {
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
    rows: Vec<&'static str>,
}

/// Identifies a person through B-Trust Mobile; see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct MobileIdentificationFlow {
    s: State,
}

impl MobileIdentificationFlow {
    /// Flow name in snapshots and vectors.
    pub const NAME: &'static str = "btrust.mobileIdentification";
    /// The rows of the transition table.
    pub const TABLE: &'static [&'static str] = &[
        "S1", "S2", "S3", "S4", "S5", "S6", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9",
        "P10", "T1", "X1", "X2", "X3", "X4",
    ];

    /// Validates the input and builds `POST /v2/identification` once.
    pub fn new(
        config: Config,
        input: IdentificationRequest,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        let mut v = Validator::new();
        v.field("config", |v| config.validate(v));
        input.validate(&mut v);
        v.finish()?;
        let submit = Identification::build(&config, &input)?;
        Ok(MobileIdentificationFlow {
            s: State {
                jitter: Jitter::new(options.jitter_seed),
                config,
                options,
                submit,
                exchange: Exchange::default(),
                phase: Phase::Submit {
                    not_before_ms: 0,
                    failures: 0,
                },
                callback_id: None,
                deadline_ms: None,
                polls: 0,
                last_now_ms: 0,
                rows: Vec::new(),
            },
        })
    }

    /// Rebuilds a flow from a snapshot.
    pub fn restore(snapshot: &str) -> Result<Self, Error> {
        let s: State = crate::flow::restore(Self::NAME, snapshot)?;
        let mut f = MobileIdentificationFlow { s };
        if let Some(id) = f.s.exchange.outstanding() {
            f.s.rows.push("X4");
            let now = f.s.last_now_ms;
            let _ = f.handle_transport_error(id, TransportErrorKind::Other, now);
        }
        Ok(f)
    }

    /// The configuration the flow was started with.
    pub fn config(&self) -> &Config {
        &self.s.config
    }

    /// The table rows taken since the last call.
    pub fn take_transitions(&mut self) -> Vec<&'static str> {
        std::mem::take(&mut self.s.rows)
    }

    fn fail(&mut self, row: &'static str, error: Error) {
        self.s.rows.push(row);
        self.s.phase = Phase::Failed { error };
    }

    fn request_id(&self) -> Option<String> {
        self.s.callback_id.clone()
    }

    fn on_submit(&mut self, answer: Answer, failures: u32, now: u64) {
        match answer {
            Answer::Success(resp) => match Identification::parse(resp) {
                Ok(r) => {
                    self.s.rows.push("S3");
                    let p = &self.s.options.poll;
                    let first = now + self.s.jitter.spread(p.first_poll_after_ms, p.jitter_ratio);
                    self.s.deadline_ms = Some(deadline(r.data.validity.as_ref(), now, first, p));
                    self.s.callback_id = Some(r.data.callback_id);
                    self.s.phase = Phase::Poll {
                        schedule: Schedule::first(first, p.interval_ms),
                    };
                }
                Err(e) => self.fail("S4", unknown_outcome(&e.to_string())),
            },
            Answer::ServerError(e) | Answer::Transport(e) => {
                self.fail("S4", unknown_outcome(&e.to_string()))
            }
            Answer::NotSent(kind) => {
                self.s.rows.push("S6");
                if failures + 1 >= self.s.options.poll.max_consecutive_failures {
                    self.s.phase = Phase::Failed {
                        error: Error::Transport {
                            kind,
                            detail:
                                "could not reach the service to submit the identification request"
                                    .into(),
                        },
                    };
                } else {
                    let delay = crate::flow::retry_delay(
                        &self.s.options.poll,
                        failures + 1,
                        &mut self.s.jitter,
                    );
                    self.s.phase = Phase::Submit {
                        not_before_ms: now + delay,
                        failures: failures + 1,
                    };
                }
            }
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail("S5", e),
        }
    }

    fn on_poll(&mut self, answer: Answer, now: u64) {
        let past = self
            .s
            .deadline_ms
            .is_some_and(|d| now + self.s.options.poll.expiry_grace_ms >= d);
        let request_id = self.request_id();
        match answer {
            Answer::Success(resp) => match GetIdentificationResult::parse(resp) {
                Ok(r) => {
                    self.s.polls += 1;
                    let status = r.status.as_deref().map(IdentificationStatus::parse);
                    let finished =
                        r.http_status != 206 && status == Some(IdentificationStatus::Finished);
                    match (finished, r.data) {
                        (true, Some(d)) => {
                            self.s.rows.push("P5");
                            self.s.phase = Phase::Done {
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
                            "P10",
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
                    self.fail(
                        "P7",
                        Error::Expired {
                            request_id,
                            items: Vec::new(),
                        },
                    );
                } else if rejected && matches!(status, 400 | 403) {
                    self.fail(
                        "P6",
                        Error::Rejected {
                            request_id,
                            items: Vec::new(),
                        },
                    );
                } else {
                    self.fail("P8", e);
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
            Answer::TooLarge(e) => self.fail("P10", e),
        }
    }

    fn pending(&mut self, now: u64) {
        let request_id = self.request_id();
        let Phase::Poll { schedule } = &mut self.s.phase else {
            return;
        };
        if schedule.final_poll {
            self.s.rows.push("P4");
            self.s.phase = Phase::Failed {
                error: Error::Expired {
                    request_id,
                    items: Vec::new(),
                },
            };
        } else {
            self.s.rows.push("P3");
            schedule.pending(now, &self.s.options.poll, &mut self.s.jitter);
        }
    }

    fn retry(&mut self, error: Error, now: u64) {
        self.s.rows.push("P9");
        let Phase::Poll { schedule } = &mut self.s.phase else {
            return;
        };
        if let Err(e) = schedule.failed(error, now, &self.s.options.poll, &mut self.s.jitter) {
            self.s.phase = Phase::Failed { error: e };
        }
    }
}

/// The deadline: the service's validity plus grace, never before the first poll.
pub(crate) fn deadline(
    validity: Option<&Timestamp>,
    now: u64,
    first: u64,
    p: &crate::flow::PollPolicy,
) -> u64 {
    match validity.and_then(Timestamp::epoch_ms) {
        Some(ms) if ms > 0 => (ms as u64 + p.expiry_grace_ms).max(first),
        _ => now + p.default_validity_ms + p.expiry_grace_ms,
    }
}

/// An ambiguous failure of a create that has no lookup.
pub(crate) fn unknown_outcome(cause: &str) -> Error {
    Error::Transport {
        kind: TransportErrorKind::Other,
        detail: format!(
            "the request may have been created, and the service offers no way to look it up; it was not sent again so the person is not prompted twice ({})",
            crate::json::scrub(cause, 160)
        ),
    }
}

impl Flow for MobileIdentificationFlow {
    type Outcome = MobileIdentificationOutcome;
    type Callback = IdentificationCallback;

    fn next(&mut self, now: u64) -> Step<MobileIdentificationOutcome> {
        let s = &mut self.s;
        s.last_now_ms = s.last_now_ms.max(now);
        if s.exchange.busy() {
            s.rows.push("X2");
            return Step::Wait { until_ms: None };
        }
        let req = match &mut s.phase {
            Phase::Done { outcome } => {
                s.rows.push("T1");
                return Step::Done(outcome.clone());
            }
            Phase::Failed { error } => {
                s.rows.push("T1");
                return Step::Failed(error.clone());
            }
            Phase::Submit { not_before_ms, .. } if now < *not_before_ms => {
                s.rows.push("S1");
                return Step::Wait {
                    until_ms: Some(*not_before_ms),
                };
            }
            Phase::Submit { .. } => {
                s.rows.push("S2");
                Ok(s.submit.clone())
            }
            Phase::Poll { schedule } => match schedule.due(now, s.deadline_ms) {
                Some(until) => {
                    s.rows.push("P1");
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    s.rows.push("P2");
                    GetIdentificationResult::build(
                        &s.config,
                        &GetIdentificationResultInput {
                            callback_id: s.callback_id.clone().unwrap_or_default(),
                        },
                    )
                }
            },
        };
        match req {
            Ok(r) => Step::Send(s.exchange.issue(r)),
            Err(e) => {
                s.phase = Phase::Failed { error: e.clone() };
                Step::Failed(e)
            }
        }
    }

    fn handle_response(&mut self, id: u64, response: HttpResponse, now: u64) -> Result<(), Error> {
        self.handle(id, now, classify(Ok(response)))
    }

    fn handle_transport_error(
        &mut self,
        id: u64,
        kind: TransportErrorKind,
        now: u64,
    ) -> Result<(), Error> {
        self.handle(id, now, classify(Err(kind)))
    }

    fn handle_callback(&mut self, _event: &IdentificationCallback, _now: u64) -> Result<(), Error> {
        self.s.rows.push("X3");
        Err(Error::invalid_state(
            "identification through B-Trust Mobile has no callbacks; poll instead",
        ))
    }

    fn snapshot(&self) -> String {
        crate::flow::snapshot(Self::NAME, &self.s)
    }

    fn progress(&self) -> Progress {
        let s = &self.s;
        let (state, next) = match &s.phase {
            Phase::Submit { not_before_ms, .. } => ("submitting", Some(*not_before_ms)),
            Phase::Poll { schedule } => ("polling", Some(schedule.next_at_ms)),
            Phase::Done { .. } => ("done", None),
            Phase::Failed { .. } => ("failed", None),
        };
        Progress {
            flow: Self::NAME.to_owned(),
            state: state.to_owned(),
            request_id: s.callback_id.clone(),
            requests_sent: s.exchange.sent,
            polls: s.polls,
            next_request_at_ms: if s.exchange.busy() { None } else { next },
            deadline_ms: s.deadline_ms,
            items_done: None,
            items_total: None,
            user_action: None,
        }
    }
}

impl MobileIdentificationFlow {
    fn handle(&mut self, id: u64, now: u64, answer: Answer) -> Result<(), Error> {
        if let Err(e) = self.s.exchange.accept(id) {
            self.s.rows.push("X1");
            return Err(e);
        }
        self.s.last_now_ms = self.s.last_now_ms.max(now);
        match self.s.phase.clone() {
            Phase::Submit { failures, .. } => self.on_submit(answer, failures, now),
            Phase::Poll { .. } => self.on_poll(answer, now),
            Phase::Done { .. } | Phase::Failed { .. } => {}
        }
        Ok(())
    }
}

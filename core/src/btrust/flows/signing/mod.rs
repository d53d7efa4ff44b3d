//! The engine behind [`super::SignFlow`] and [`super::QrSignFlow`]: submit, reconcile, poll,
//! decide per item, download. The transition table is in `sign.rs` ([`SignRow`]); the QR
//! differences in `qr_sign.rs`.
//!
//! This file holds the state and what `next` sends; `submit.rs` decides on the answers to
//! the create and its lookup, `poll.rs` on the polls and downloads. Waiting (backoff, retry
//! delays, the final poll) is [`super::waiting`]'s, as for every flow.

mod poll;
mod submit;

use super::engine::FlowEngine;
use super::sign::{SignOutcome, SignRow, SignedItem};
use super::waiting::{classify, Answer, Retry, Schedule};
use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::operation::Operation;
use crate::btrust::signing::SignCallback;
use crate::btrust::signing::{GetSignedContent, GetSignedContentInput};
use crate::btrust::signing::{
    GetSignedResult, GetSignedResultByRpCallbackId, GetSignedResultByRpCallbackIdInput,
    GetSignedResultInput,
};
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Exchange, FlowOptions, Jitter, Progress, Step, UserAction};
use crate::http::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

/// Which create operation the engine submits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Submission {
    /// `POST /v2/sign` to a designated signer.
    Sign,
    /// `POST /v2/signviaqr`.
    Qr,
}

/// The engine's states. The waiting fields are flattened so snapshots keep the field names
/// they had before the flows shared [`Retry`] and [`Schedule`]. Read back by `snapshot_de`
/// (without serde's buffering of tagged enums).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "phase",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub(super) enum Phase {
    /// Ready to POST the create request (first time, after a refused connection, or after a
    /// reconcile found nothing).
    Submit {
        #[serde(flatten)]
        retry: Retry,
    },
    /// A create's outcome is unknown: ask by rpCallbackId before anything is sent again.
    Reconcile {
        #[serde(flatten)]
        retry: Retry,
    },
    /// Waiting for the user; polling.
    Poll {
        #[serde(flatten)]
        schedule: Schedule,
        /// Polling by rpCallbackId: the request was found by reconciling, its callbackId
        /// is unknown.
        by_rp_id: bool,
    },
    /// Fetching signed documents one by one.
    Download {
        items: Vec<SignedItem>,
        cert: Option<Blob>,
        next: usize,
        #[serde(flatten)]
        retry: Retry,
    },
    Done {
        outcome: SignOutcome,
    },
    Failed {
        error: Error,
    },
}

/// The shared state machine. Serialised whole into snapshots.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Engine {
    submission: Submission,
    config: Config,
    options: FlowOptions,
    /// The create request, built once: a resend is byte-identical.
    submit: HttpRequest,
    rp_callback_id: String,
    item_count: usize,
    exchange: Exchange,
    jitter: Jitter,
    phase: Phase,
    callback_id: Option<String>,
    deadline_ms: Option<u64>,
    started_at_ms: Option<u64>,
    polls: u32,
    /// Create requests handed out; more than one only after a reconcile found nothing.
    submissions: u32,
    /// A callback arrived while a poll was in flight: poll again at once.
    woken: bool,
    /// A submission or lookup got no answer (transport error, not sent, too large). While
    /// false, every failure so far was the service answering with an error, and a reconcile
    /// that gives up reports that answer (`api`) rather than a transport failure. Left out
    /// of snapshots while false, so older snapshots restore and write back unchanged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    unanswered: bool,
    user_action: Option<UserAction>,
    last_now_ms: u64,
    /// Rows of the transition table taken since the last [`FlowEngine::take_rows`]; not part
    /// of snapshots. Lets tests prove every row is exercised, and logs say which rule fired.
    #[serde(skip)]
    rows: Vec<SignRow>,
}

impl Engine {
    pub(crate) fn new(
        submission: Submission,
        config: Config,
        options: FlowOptions,
        submit: HttpRequest,
        rp_callback_id: String,
        item_count: usize,
    ) -> Self {
        Engine {
            submission,
            jitter: Jitter::new(options.effective_jitter_seed()),
            config,
            options: options.without_entropy(),
            submit,
            rp_callback_id,
            item_count,
            exchange: Exchange::default(),
            phase: Phase::Submit {
                retry: Retry::now(),
            },
            callback_id: None,
            deadline_ms: None,
            started_at_ms: None,
            polls: 0,
            submissions: 0,
            woken: false,
            unanswered: false,
            user_action: None,
            last_now_ms: 0,
            rows: Vec::new(),
        }
    }

    fn mark(&mut self, row: SignRow) {
        self.rows.push(row);
    }

    fn fail(&mut self, row: SignRow, error: Error) {
        self.mark(row);
        self.phase = Phase::Failed { error };
    }

    /// The QR code or link, once the service returned it.
    pub(crate) fn user_action(&self) -> Option<&UserAction> {
        self.user_action.as_ref()
    }

    /// `GET /v2/sign/{callbackId}`, or by rpCallbackId when the request was found that way.
    fn poll_request(&self, by_rp_id: bool) -> Result<HttpRequest, Error> {
        match (&self.callback_id, by_rp_id) {
            (Some(callback_id), false) => GetSignedResult::build(
                &self.config,
                &GetSignedResultInput {
                    callback_id: callback_id.clone(),
                },
            ),
            _ => self.lookup_request(),
        }
    }

    fn lookup_request(&self) -> Result<HttpRequest, Error> {
        GetSignedResultByRpCallbackId::build(
            &self.config,
            &GetSignedResultByRpCallbackIdInput {
                rp_callback_id: self.rp_callback_id.clone(),
            },
        )
    }

    fn download_request(&self, content_id: String) -> Result<HttpRequest, Error> {
        GetSignedContent::build(&self.config, &GetSignedContentInput { id: content_id }).map_err(
            |_| {
                Error::unexpected(
                    200,
                    "$.data.signatures[].signature",
                    "the service returned a content id that cannot be used in a URL",
                    b"",
                )
            },
        )
    }
}

impl FlowEngine for Engine {
    type Outcome = SignOutcome;
    type Callback = SignCallback;

    fn next(&mut self, now: u64) -> Step<SignOutcome> {
        self.last_now_ms = self.last_now_ms.max(now);
        if self.exchange.busy() {
            self.mark(SignRow::X2);
            return Step::Wait { until_ms: None };
        }
        if let Phase::Download { .. } = self.phase {
            self.finish_downloads_if_complete();
        }
        let request = match &mut self.phase {
            Phase::Done { outcome } => {
                self.rows.push(SignRow::T1);
                return Step::Done(outcome.clone());
            }
            Phase::Failed { error } => {
                self.rows.push(SignRow::T1);
                return Step::Failed(error.clone());
            }
            Phase::Submit { retry } => {
                if let Some(until) = retry.due(now) {
                    self.rows.push(SignRow::S1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                self.rows.push(SignRow::S2);
                self.started_at_ms.get_or_insert(now);
                self.submissions = self.submissions.saturating_add(1);
                Ok(self.submit.clone())
            }
            Phase::Reconcile { retry } => {
                self.rows.push(SignRow::R1);
                if let Some(until) = retry.due(now) {
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                self.lookup_request()
            }
            Phase::Poll { schedule, by_rp_id } => match schedule.due(now, self.deadline_ms) {
                Some(until) => {
                    self.rows.push(SignRow::P1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    // Due, or past the deadline: then `due` marked this the final poll.
                    self.rows.push(SignRow::P2);
                    let by_rp_id = *by_rp_id;
                    self.poll_request(by_rp_id)
                }
            },
            Phase::Download {
                items, next, retry, ..
            } => {
                self.rows.push(SignRow::D1);
                if let Some(until) = retry.due(now) {
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                let id = items[*next].content_id.clone().unwrap_or_default();
                self.download_request(id)
            }
        };
        let phase = &mut self.phase;
        super::engine::issue_or_fail(&mut self.exchange, request, |error| {
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
            self.mark(SignRow::X1);
            return Err(e);
        }
        self.last_now_ms = self.last_now_ms.max(now);
        let answer = classify(answer);
        match self.phase {
            Phase::Submit { .. } => self.on_submit(answer, now),
            Phase::Reconcile { .. } => self.on_reconcile(answer, now),
            Phase::Poll { .. } => self.on_poll(answer, now),
            Phase::Download { .. } => self.on_download(answer, now),
            Phase::Done { .. } | Phase::Failed { .. } => {}
        }
        Ok(())
    }

    fn handle_callback(&mut self, event: &SignCallback, now: u64) -> Result<(), Error> {
        let other_callback =
            matches!((&event.callback_id, &self.callback_id), (Some(a), Some(b)) if a != b);
        let other_rp = matches!(&event.rp_callback_id, Some(a) if *a != self.rp_callback_id);
        if other_callback || other_rp {
            self.mark(SignRow::X3);
            return Err(Error::invalid_state(
                "the callback is for another sign request (its callbackId or rpCallbackId differs)",
            ));
        }
        self.last_now_ms = self.last_now_ms.max(now);
        if let Phase::Poll { schedule, .. } = &mut self.phase {
            self.rows.push(SignRow::P13);
            // A callback only wakes the flow: the result is always read by polling. During
            // a poll, that poll's answer may predate the change, so poll again after it.
            if self.exchange.busy() {
                self.woken = true;
            } else {
                schedule.wake(now);
            }
        }
        Ok(())
    }

    fn after_restore(&mut self) {
        if let Some(id) = self.exchange.outstanding() {
            self.mark(SignRow::X4);
            let now = self.last_now_ms;
            let _ = self.handle(id, Err(TransportErrorKind::Other), now);
        }
    }

    fn progress(&self, flow: &str) -> Progress {
        let (state, next) = match &self.phase {
            Phase::Submit { retry } => ("submitting", Some(retry.not_before_ms)),
            Phase::Reconcile { retry } => ("reconciling", Some(retry.not_before_ms)),
            Phase::Poll { schedule, .. } => ("polling", Some(schedule.next_at_ms)),
            Phase::Download { retry, .. } => ("downloading", Some(retry.not_before_ms)),
            Phase::Done { .. } => ("done", None),
            Phase::Failed { .. } => ("failed", None),
        };
        let (done, total) = match &self.phase {
            Phase::Download { items, .. } => (
                Some(items.iter().filter(|i| i.document.is_some()).count()),
                Some(items.iter().filter(|i| i.content_id.is_some()).count()),
            ),
            Phase::Done { outcome } => (Some(outcome.items.len()), Some(outcome.items.len())),
            _ => (None, Some(self.item_count)),
        };
        Progress {
            flow: flow.to_owned(),
            state: state.to_owned(),
            request_id: self.callback_id.clone(),
            requests_sent: self.exchange.sent,
            polls: self.polls,
            next_request_at_ms: if self.exchange.busy() { None } else { next },
            deadline_ms: self.deadline_ms,
            items_done: done.map(crate::flow::count),
            items_total: total.map(crate::flow::count),
            user_action: match self.phase {
                Phase::Poll { .. } => self.user_action.clone(),
                _ => None,
            },
        }
    }

    fn config(&self) -> &Config {
        &self.config
    }

    fn take_rows(&mut self) -> Vec<&'static str> {
        std::mem::take(&mut self.rows)
            .into_iter()
            .map(SignRow::as_str)
            .collect()
    }
}

/// The transport error a flow reports for `answer`, worded for the step that failed.
fn transport(answer: &Answer, detail: impl Into<String>) -> Error {
    Error::Transport {
        kind: answer.transport_kind().unwrap_or(TransportErrorKind::Other),
        detail: detail.into(),
    }
}

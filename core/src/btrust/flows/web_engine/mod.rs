//! The engine behind [`super::WebIdentificationFlow`] and [`super::WebOtcSignFlow`]:
//! start (and for identification, register), hand the customer's URL to the host, wake on a
//! callback or poll the status, fetch the result. The transition tables are in
//! `web_ident.rs` ([`WebRow`]) and `web_otc.rs`.
//!
//! This file holds the state and what `next` sends; `answers.rs` decides on the answers.
//! Waiting is [`super::waiting`]'s, as for every flow.

mod answers;

use super::engine::FlowEngine;
use super::waiting::{classify, Retry, Schedule};
use super::web_ident::{WebIdentificationOutcome, WebRow};
use super::web_otc::WebOtcSignOutcome;
use crate::btrust::config::Config;
use crate::btrust::identification::IdentificationCallback;
use crate::btrust::identification::ProcessState;
use crate::btrust::operation::Operation;
use crate::btrust::web_identification::{
    CreateRegistration, CreateRegistrationInput, GetWebIdentificationResults,
    GetWebIdentificationResultsInput, GetWebIdentificationStatus, RegistrationRequest,
    ResultIdInput,
};
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Exchange, FlowOptions, Jitter, Progress, Step, UserAction};
use crate::http::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

/// What either web flow returns (read back by `snapshot_de`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum WebOutcome {
    Identification(WebIdentificationOutcome),
    Sign(WebOtcSignOutcome),
}

/// Which web flow this is (read back by `snapshot_de`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub(crate) enum Kind {
    Identification {
        registration: RegistrationRequest,
        only_metadata: Option<bool>,
        without_otc: bool,
    },
    Sign {
        sign_session_id: String,
    },
}

/// The engine's states; the retry fields are flattened so snapshots keep their field names.
/// Read back by `snapshot_de`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "phase",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub(super) enum Phase {
    Start {
        #[serde(flatten)]
        retry: Retry,
    },
    Register {
        #[serde(flatten)]
        retry: Retry,
    },
    Await {
        schedule: Schedule,
    },
    Fetch {
        process_state: ProcessState,
        session_id: String,
        #[serde(flatten)]
        retry: Retry,
    },
    Done {
        outcome: WebOutcome,
    },
    Failed {
        error: Error,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Engine {
    kind: Kind,
    config: Config,
    options: FlowOptions,
    start: HttpRequest,
    exchange: Exchange,
    jitter: Jitter,
    phase: Phase,
    web_session_id: Option<String>,
    result_id: Option<String>,
    registration_id: Option<String>,
    url: Option<String>,
    deadline_ms: Option<u64>,
    polls: u32,
    /// A callback arrived while a poll was in flight: fetch with these values after it.
    callback: Option<(ProcessState, String)>,
    /// A callback with a state that has nothing to fetch (a cancellation) arrived while a
    /// poll was in flight: poll again at once after it, in case that poll's answer predates
    /// the change.
    #[serde(default)]
    poll_again: bool,
    last_now_ms: u64,
    #[serde(skip)]
    rows: Vec<WebRow>,
}

impl Engine {
    pub(crate) fn new(
        kind: Kind,
        config: Config,
        options: FlowOptions,
        start: HttpRequest,
    ) -> Self {
        Engine {
            kind,
            jitter: Jitter::new(options.effective_jitter_seed()),
            config,
            options: options.without_entropy(),
            start,
            exchange: Exchange::default(),
            phase: Phase::Start {
                retry: Retry::now(),
            },
            web_session_id: None,
            result_id: None,
            registration_id: None,
            url: None,
            deadline_ms: None,
            polls: 0,
            callback: None,
            poll_again: false,
            last_now_ms: 0,
            rows: Vec::new(),
        }
    }

    fn fail(&mut self, row: WebRow, error: Error) {
        self.rows.push(row);
        self.phase = Phase::Failed { error };
    }

    /// The URL the customer must open, once known.
    pub(crate) fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    fn fetch_request(
        &self,
        process_state: &ProcessState,
        session_id: &str,
    ) -> Result<HttpRequest, Error> {
        let only_metadata = match &self.kind {
            Kind::Identification { only_metadata, .. } => *only_metadata,
            Kind::Sign { .. } => None,
        };
        GetWebIdentificationResults::build(
            &self.config,
            &GetWebIdentificationResultsInput {
                result_id: self.result_id.clone().unwrap_or_default(),
                process_state: process_state.clone(),
                session_id: session_id.to_owned(),
                only_metadata,
            },
        )
    }
}

impl FlowEngine for Engine {
    type Outcome = WebOutcome;
    type Callback = IdentificationCallback;

    fn next(&mut self, now: u64) -> Step<WebOutcome> {
        self.last_now_ms = self.last_now_ms.max(now);
        if self.exchange.busy() {
            self.rows.push(WebRow::X2);
            return Step::Wait { until_ms: None };
        }
        let request = match &mut self.phase {
            Phase::Done { outcome } => {
                self.rows.push(WebRow::T1);
                return Step::Done(outcome.clone());
            }
            Phase::Failed { error } => {
                self.rows.push(WebRow::T1);
                return Step::Failed(error.clone());
            }
            Phase::Start { retry } => match retry.due(now) {
                Some(until) => {
                    self.rows.push(WebRow::S1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(WebRow::S2);
                    Ok(self.start.clone())
                }
            },
            Phase::Register { retry } => {
                self.rows.push(WebRow::G1);
                if let Some(until) = retry.due(now) {
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                let Kind::Identification { registration, .. } = &self.kind else {
                    return Step::Failed(Error::invalid_state("registration in a sign flow"));
                };
                CreateRegistration::build(
                    &self.config,
                    &CreateRegistrationInput {
                        web_session_id: self.web_session_id.clone().unwrap_or_default(),
                        registration: registration.clone(),
                    },
                )
            }
            Phase::Await { schedule } => match schedule.due(now, self.deadline_ms) {
                Some(until) => {
                    self.rows.push(WebRow::W1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(WebRow::W2);
                    GetWebIdentificationStatus::build(
                        &self.config,
                        &ResultIdInput {
                            result_id: self.result_id.clone().unwrap_or_default(),
                        },
                    )
                }
            },
            Phase::Fetch {
                process_state,
                session_id,
                retry,
            } => {
                self.rows.push(WebRow::F1);
                if let Some(until) = retry.due(now) {
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                let (process_state, session_id) = (process_state.clone(), session_id.clone());
                self.fetch_request(&process_state, &session_id)
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
            self.rows.push(WebRow::X1);
            return Err(e);
        }
        self.last_now_ms = self.last_now_ms.max(now);
        let answer = classify(answer);
        match self.phase {
            Phase::Start { .. } => self.on_start(answer, now),
            Phase::Register { .. } => self.on_register(answer, now),
            Phase::Await { .. } => self.on_status(answer, now),
            Phase::Fetch { .. } => self.on_fetch(answer, now),
            Phase::Done { .. } | Phase::Failed { .. } => {}
        }
        Ok(())
    }

    fn handle_callback(&mut self, event: &IdentificationCallback, now: u64) -> Result<(), Error> {
        if self.result_id.as_deref() != Some(event.result_id.as_str()) {
            self.rows.push(WebRow::W7);
            return Err(Error::invalid_state(
                "the callback is for another identification or sign session (its resultId differs)",
            ));
        }
        self.last_now_ms = self.last_now_ms.max(now);
        if let Phase::Await { schedule } = &mut self.phase {
            self.rows.push(WebRow::W6);
            // Only a finished identification or signing has results to fetch; for another
            // state (a cancellation, say) the status poll tells what happened. Fetching with
            // a cancelled state is refused by the service.
            let fetchable = event.process_state.is_known()
                || event.process_state.as_str() == "PROCESS_IS_FINISHED";
            let (ps, sid) = (event.process_state.clone(), event.session_id.clone());
            match (self.exchange.busy(), fetchable) {
                (true, true) => self.callback = Some((ps, sid)),
                (true, false) => self.poll_again = true,
                (false, true) => self.fetch(ps, sid),
                (false, false) => schedule.wake(now),
            }
        }
        Ok(())
    }

    fn after_restore(&mut self) {
        if let Some(id) = self.exchange.outstanding() {
            self.rows.push(WebRow::X4);
            let now = self.last_now_ms;
            let _ = self.handle(id, Err(TransportErrorKind::Other), now);
        }
    }

    fn progress(&self, flow: &str) -> Progress {
        let (state, next) = match &self.phase {
            Phase::Start { retry } => ("starting", Some(retry.not_before_ms)),
            Phase::Register { retry } => ("registering", Some(retry.not_before_ms)),
            Phase::Await { schedule } => ("waiting_for_user", Some(schedule.next_at_ms)),
            Phase::Fetch { retry, .. } => ("fetching", Some(retry.not_before_ms)),
            Phase::Done { .. } => ("done", None),
            Phase::Failed { .. } => ("failed", None),
        };
        Progress {
            flow: flow.to_owned(),
            state: state.to_owned(),
            request_id: self.result_id.clone(),
            requests_sent: self.exchange.sent,
            polls: self.polls,
            next_request_at_ms: if self.exchange.busy() { None } else { next },
            deadline_ms: self.deadline_ms,
            items_done: None,
            items_total: None,
            user_action: match (&self.phase, &self.url) {
                (Phase::Await { .. }, Some(url)) => Some(UserAction::OpenUrl { url: url.clone() }),
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
            .map(WebRow::as_str)
            .collect()
    }
}

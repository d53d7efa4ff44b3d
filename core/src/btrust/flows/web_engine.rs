//! The engine behind [`super::WebIdentificationFlow`] and [`super::WebOtcSignFlow`]:
//! start (and for identification, register), hand the customer's URL to the host, wake on a
//! callback or poll the status, fetch the result. The transition tables are in
//! `web_ident.rs` and `web_otc.rs`.

/// The parts of `WebIdentificationFlow` and `WebOtcSignFlow` that only forward to the shared
/// engine: restore, accessors and the `Flow` impl. `$variant` is the engine outcome the flow
/// returns; the other one cannot happen and is reported as `invalid_state`.
macro_rules! engine_flow {
    ($flow:ident, $outcome:ty, $variant:path, $mismatch:literal) => {
        impl $flow {
            /// Rebuilds a flow from a snapshot.
            pub fn restore(snapshot: &str) -> Result<Self, Error> {
                let mut engine: Engine = crate::flow::restore(Self::NAME, snapshot)?;
                engine.after_restore();
                Ok($flow { engine })
            }

            /// The configuration the flow was started with.
            pub fn config(&self) -> &crate::btrust::config::Config {
                self.engine.config()
            }

            /// The table rows taken since the last call.
            pub fn take_transitions(&mut self) -> Vec<&'static str> {
                self.engine.take_rows()
            }
        }

        impl Flow for $flow {
            type Outcome = $outcome;
            type Callback = IdentificationCallback;

            fn next(&mut self, now: u64) -> Step<$outcome> {
                match self.engine.next(now) {
                    Step::Send(o) => Step::Send(o),
                    Step::Wait { until_ms } => Step::Wait { until_ms },
                    Step::Done($variant(o)) => Step::Done(o),
                    Step::Done(_) => Step::Failed(Error::invalid_state($mismatch)),
                    Step::Failed(e) => Step::Failed(e),
                }
            }
            fn handle_response(
                &mut self,
                id: u64,
                response: HttpResponse,
                now: u64,
            ) -> Result<(), Error> {
                self.engine.handle(id, Ok(response), now)
            }
            fn handle_transport_error(
                &mut self,
                id: u64,
                kind: TransportErrorKind,
                now: u64,
            ) -> Result<(), Error> {
                self.engine.handle(id, Err(kind), now)
            }
            fn handle_callback(
                &mut self,
                event: &IdentificationCallback,
                now: u64,
            ) -> Result<(), Error> {
                self.engine.handle_callback(event, now)
            }
            fn snapshot(&self) -> String {
                crate::flow::snapshot(Self::NAME, &self.engine)
            }
            fn progress(&self) -> Progress {
                self.engine.progress(Self::NAME)
            }
        }
    };
}

use super::mobile_ident::{deadline, unknown_outcome};
use super::waiting::{classify, Answer, Schedule};
use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::identification::IdentificationCallback;
use crate::btrust::identification::{ProcessState, SignedDocument, WebStatus, WebStep};
use crate::btrust::operation::Operation;
use crate::btrust::otc_signing::StartSignSession;
use crate::btrust::web_identification::identification_link;
use crate::btrust::web_identification::{
    CreateRegistration, CreateRegistrationInput, GetWebIdentificationResults,
    GetWebIdentificationResultsInput, GetWebIdentificationStatus, RegistrationRequest,
    ResultIdInput, StartWebIdentification, StartWebIdentificationWithoutOtc,
};
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Exchange, FlowOptions, Jitter, Progress, Step, UserAction};
use crate::http::{HttpRequest, HttpResponse};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// What a web identification returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// What signing with a one-time certificate returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebOtcSignOutcome {
    /// The sign session's result id.
    pub result_id: String,
    /// The signed documents.
    pub documents: Vec<SignedDocument>,
    /// The customer's identifier.
    pub client_identificator: Option<String>,
    /// The (possibly renewed) sign session, for the next signing.
    pub sign_session_id: Option<String>,
    /// End of its validity.
    pub sign_session_id_expire_date: Option<Timestamp>,
}

/// What either web flow returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum WebOutcome {
    Identification(WebIdentificationOutcome),
    Sign(WebOtcSignOutcome),
}

/// Which web flow this is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "phase",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
enum Phase {
    Start {
        not_before_ms: u64,
        failures: u32,
    },
    Register {
        not_before_ms: u64,
        failures: u32,
    },
    Await {
        schedule: Schedule,
    },
    Fetch {
        process_state: ProcessState,
        session_id: String,
        not_before_ms: u64,
        failures: u32,
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
    rows: Vec<&'static str>,
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
            jitter: Jitter::new(options.jitter_seed),
            config,
            options,
            start,
            exchange: Exchange::default(),
            phase: Phase::Start {
                not_before_ms: 0,
                failures: 0,
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

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    pub(crate) fn take_rows(&mut self) -> Vec<&'static str> {
        std::mem::take(&mut self.rows)
    }

    fn fail(&mut self, row: &'static str, error: Error) {
        self.rows.push(row);
        self.phase = Phase::Failed { error };
    }

    pub(crate) fn next(&mut self, now: u64) -> Step<WebOutcome> {
        self.last_now_ms = self.last_now_ms.max(now);
        if self.exchange.busy() {
            self.rows.push("X2");
            return Step::Wait { until_ms: None };
        }
        let request = match &mut self.phase {
            Phase::Done { outcome } => {
                self.rows.push("T1");
                return Step::Done(outcome.clone());
            }
            Phase::Failed { error } => {
                self.rows.push("T1");
                return Step::Failed(error.clone());
            }
            Phase::Start { not_before_ms, .. } if now < *not_before_ms => {
                self.rows.push("S1");
                return Step::Wait {
                    until_ms: Some(*not_before_ms),
                };
            }
            Phase::Start { .. } => {
                self.rows.push("S2");
                Ok(self.start.clone())
            }
            Phase::Register { not_before_ms, .. } if now < *not_before_ms => {
                self.rows.push("G1");
                return Step::Wait {
                    until_ms: Some(*not_before_ms),
                };
            }
            Phase::Register { .. } => {
                self.rows.push("G1");
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
                    self.rows.push("W1");
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push("W2");
                    GetWebIdentificationStatus::build(
                        &self.config,
                        &ResultIdInput {
                            result_id: self.result_id.clone().unwrap_or_default(),
                        },
                    )
                }
            },
            Phase::Fetch { not_before_ms, .. } if now < *not_before_ms => {
                self.rows.push("F1");
                return Step::Wait {
                    until_ms: Some(*not_before_ms),
                };
            }
            Phase::Fetch {
                process_state,
                session_id,
                ..
            } => {
                self.rows.push("F1");
                let only_metadata = match &self.kind {
                    Kind::Identification { only_metadata, .. } => *only_metadata,
                    Kind::Sign { .. } => None,
                };
                GetWebIdentificationResults::build(
                    &self.config,
                    &GetWebIdentificationResultsInput {
                        result_id: self.result_id.clone().unwrap_or_default(),
                        process_state: process_state.clone(),
                        session_id: session_id.clone(),
                        only_metadata,
                    },
                )
            }
        };
        match request {
            Ok(r) => Step::Send(self.exchange.issue(r)),
            Err(e) => {
                self.phase = Phase::Failed { error: e.clone() };
                Step::Failed(e)
            }
        }
    }

    pub(crate) fn handle(
        &mut self,
        id: u64,
        r: Result<HttpResponse, TransportErrorKind>,
        now: u64,
    ) -> Result<(), Error> {
        if let Err(e) = self.exchange.accept(id) {
            self.rows.push("X1");
            return Err(e);
        }
        self.last_now_ms = self.last_now_ms.max(now);
        let answer = classify(r);
        match self.phase.clone() {
            Phase::Start { failures, .. } => self.on_start(answer, failures, now),
            Phase::Register { failures, .. } => self.on_register(answer, failures, now),
            Phase::Await { .. } => self.on_status(answer, now),
            Phase::Fetch { failures, .. } => self.on_fetch(answer, failures, now),
            Phase::Done { .. } | Phase::Failed { .. } => {}
        }
        Ok(())
    }

    /// A create without a lookup: only "nothing was sent" may be retried.
    fn create_failed(
        &mut self,
        answer: Answer,
        failures: u32,
        now: u64,
        rows: [&'static str; 3],
        again: fn(u64, u32) -> Phase,
    ) {
        match answer {
            Answer::Success(_) => {}
            Answer::ServerError(e) | Answer::Transport(e) => {
                self.fail(rows[0], unknown_outcome(&e.to_string()))
            }
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(rows[1], e),
            Answer::NotSent(kind) => {
                self.rows.push(rows[2]);
                if failures + 1 >= self.options.poll.max_consecutive_failures {
                    self.phase = Phase::Failed {
                        error: Error::Transport {
                            kind,
                            detail: "could not reach the service".into(),
                        },
                    };
                } else {
                    let delay = crate::flow::retry_delay(
                        &self.options.poll,
                        failures + 1,
                        &mut self.jitter,
                    );
                    self.phase = again(now + delay, failures + 1);
                }
            }
        }
    }

    fn on_start(&mut self, answer: Answer, failures: u32, now: u64) {
        let Answer::Success(resp) = answer else {
            return self.create_failed(answer, failures, now, ["S4", "S5", "S6"], |nb, f| {
                Phase::Start {
                    not_before_ms: nb,
                    failures: f,
                }
            });
        };
        let p = self.options.poll.clone();
        match &self.kind {
            Kind::Identification { without_otc, .. } => {
                let parsed = if *without_otc {
                    StartWebIdentificationWithoutOtc::parse(resp)
                } else {
                    StartWebIdentification::parse(resp)
                };
                match parsed {
                    Ok(r) => {
                        self.rows.push("S3");
                        self.deadline_ms = Some(deadline(
                            r.data.web_session_expire_date.as_ref(),
                            now,
                            now,
                            &p,
                        ));
                        self.web_session_id = Some(r.data.web_session_id);
                        self.result_id = Some(r.data.result_id);
                        self.phase = Phase::Register {
                            not_before_ms: 0,
                            failures: 0,
                        };
                    }
                    Err(e) => self.fail("S4", unknown_outcome(&e.to_string())),
                }
            }
            Kind::Sign { .. } => match StartSignSession::parse(resp) {
                Ok(r) => {
                    self.rows.push("S3");
                    let first = now + self.jitter.spread(p.first_poll_after_ms, p.jitter_ratio);
                    self.deadline_ms = Some(deadline(r.data.expire_date.as_ref(), now, first, &p));
                    self.result_id = Some(r.data.result_id);
                    self.url = Some(r.data.client_document_url);
                    self.phase = Phase::Await {
                        schedule: Schedule::first(first, p.interval_ms),
                    };
                }
                Err(e) => self.fail("S4", unknown_outcome(&e.to_string())),
            },
        }
    }

    fn on_register(&mut self, answer: Answer, failures: u32, now: u64) {
        let Answer::Success(resp) = answer else {
            return self.create_failed(answer, failures, now, ["G3", "G4", "G5"], |nb, f| {
                Phase::Register {
                    not_before_ms: nb,
                    failures: f,
                }
            });
        };
        match CreateRegistration::parse(resp) {
            Ok(r) => match identification_link(&self.config, &r.data.session_id) {
                Ok(link) => {
                    self.rows.push("G2");
                    let p = &self.options.poll;
                    let first = now + self.jitter.spread(p.first_poll_after_ms, p.jitter_ratio);
                    if let Some(exp) = r.data.expired_on.as_ref().and_then(Timestamp::epoch_ms) {
                        let d = (exp.max(0) as u64 + p.expiry_grace_ms).max(first);
                        self.deadline_ms = Some(self.deadline_ms.map_or(d, |cur| cur.min(d)));
                    }
                    self.registration_id = Some(r.data.registration_id);
                    self.url = Some(link);
                    self.phase = Phase::Await {
                        schedule: Schedule::first(first, p.interval_ms),
                    };
                }
                Err(e) => self.fail("G4", e),
            },
            Err(e) => self.fail("G3", unknown_outcome(&e.to_string())),
        }
    }

    /// The process state and session id to fetch with when polling (not a callback) found
    /// the process finished: the guide's callbacks carry the webSessionId after
    /// identification and the signSessionId after signing (inferred for polling).
    fn default_fetch(&self) -> (ProcessState, String) {
        match &self.kind {
            Kind::Identification {
                without_otc: true, ..
            } => (
                ProcessState::parse("PROCESS_IS_FINISHED"),
                self.web_session_id.clone().unwrap_or_default(),
            ),
            Kind::Identification { .. } => (
                ProcessState::CreateSignSessionRequest,
                self.web_session_id.clone().unwrap_or_default(),
            ),
            Kind::Sign { sign_session_id } => (ProcessState::SignSession, sign_session_id.clone()),
        }
    }

    fn finished(&self, status: &WebStatus, step: Option<&WebStep>) -> bool {
        match &self.kind {
            // `CREATE_SIGN_SESSION_REQUEST` means "sign session being created": done only
            // once its step says the sign session exists.
            Kind::Identification { .. } => match status {
                WebStatus::CreateSignSessionRequest => {
                    step == Some(&WebStep::SignSessionIdSuccessfullyCreated)
                }
                WebStatus::SignSession | WebStatus::ProcessIsFinished => true,
                _ => false,
            },
            // `SIGN_SESSION` alone also means "session created, waiting for the code": only
            // the success step or `SIGNED_CLIENT_DOCUMENT` says the documents are signed.
            Kind::Sign { .. } => {
                *status == WebStatus::SignedClientDocument
                    || step == Some(&WebStep::SigningWithSignSessionSuccess)
            }
        }
    }

    fn fetch(&mut self, process_state: ProcessState, session_id: String) {
        self.phase = Phase::Fetch {
            process_state,
            session_id,
            not_before_ms: 0,
            failures: 0,
        };
    }

    fn on_status(&mut self, answer: Answer, now: u64) {
        if let Some((ps, sid)) = self.callback.take() {
            // A callback arrived during this poll: it names what to fetch.
            self.rows.push("W6");
            return self.fetch(ps, sid);
        }
        match answer {
            Answer::Success(resp) => match GetWebIdentificationStatus::parse(resp) {
                Ok(r) => {
                    self.polls += 1;
                    let status = r.data.status;
                    if status == WebStatus::ProcessIsCanceledByUser {
                        let request_id = self.result_id.clone();
                        self.fail(
                            "W5",
                            Error::Rejected {
                                request_id,
                                items: Vec::new(),
                            },
                        );
                    } else if self.finished(&status, r.data.step.as_ref()) {
                        self.rows.push("W4");
                        let (ps, sid) = self.default_fetch();
                        self.fetch(ps, sid);
                    } else {
                        self.pending(now);
                    }
                }
                Err(e) => self.status_failed(e, now),
            },
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail("W9", e),
            Answer::ServerError(e) | Answer::Transport(e) => self.status_failed(e, now),
            Answer::NotSent(kind) => self.status_failed(
                Error::Transport {
                    kind,
                    detail: "polling failed".into(),
                },
                now,
            ),
        }
    }

    fn pending(&mut self, now: u64) {
        let request_id = self.result_id.clone();
        let Phase::Await { schedule } = &mut self.phase else {
            return;
        };
        if schedule.final_poll {
            self.rows.push("W10");
            self.phase = Phase::Failed {
                error: Error::Expired {
                    request_id,
                    items: Vec::new(),
                },
            };
        } else {
            self.rows.push("W3");
            schedule.pending(now, &self.options.poll, &mut self.jitter);
            if std::mem::take(&mut self.poll_again) {
                schedule.wake(now);
            }
        }
    }

    fn status_failed(&mut self, error: Error, now: u64) {
        self.rows.push("W8");
        let Phase::Await { schedule } = &mut self.phase else {
            return;
        };
        if let Err(e) = schedule.failed(error, now, &self.options.poll, &mut self.jitter) {
            self.phase = Phase::Failed { error: e };
        }
    }

    fn on_fetch(&mut self, answer: Answer, failures: u32, now: u64) {
        let retry = |me: &mut Self, e: Error| {
            me.rows.push("F3");
            if failures + 1 >= me.options.poll.max_consecutive_failures {
                me.phase = Phase::Failed { error: e };
            } else if let Phase::Fetch {
                not_before_ms,
                failures: f,
                ..
            } = &mut me.phase
            {
                *f = failures + 1;
                *not_before_ms =
                    now + crate::flow::retry_delay(&me.options.poll, failures + 1, &mut me.jitter);
            }
        };
        match answer {
            Answer::Success(resp) => match GetWebIdentificationResults::parse(resp) {
                Ok(r) => self.done(r.data),
                Err(e) => retry(self, e),
            },
            // 404: the result is not there yet (NOT_FOUND_WEB_IDENTIFICATION_RESULT); ask again.
            Answer::ClientError(
                e @ Error::Api {
                    http_status: 404, ..
                },
            ) => retry(self, e),
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail("F4", e),
            Answer::ServerError(e) | Answer::Transport(e) => retry(self, e),
            Answer::NotSent(kind) => retry(
                self,
                Error::Transport {
                    kind,
                    detail: "fetching the result failed".into(),
                },
            ),
        }
    }

    fn done(&mut self, data: crate::btrust::web_identification::WebIdentificationResult) {
        let Phase::Fetch { process_state, .. } = self.phase.clone() else {
            return;
        };
        let outcome = match &self.kind {
            Kind::Identification { .. } => WebOutcome::Identification(WebIdentificationOutcome {
                web_session_id: self.web_session_id.clone().unwrap_or_default(),
                result_id: self.result_id.clone().unwrap_or_default(),
                registration_id: self.registration_id.clone().unwrap_or_default(),
                identification_url: self.url.clone().unwrap_or_default(),
                process_state,
                client_identificator: data.client_identificator,
                sign_session_id: data.sign_session_id,
                sign_session_id_expire_date: data.sign_session_id_expire_date,
                eid_document: data.eid_doc,
            }),
            Kind::Sign { .. } if data.sign_documents.is_empty() => {
                return self.fail(
                    "F5",
                    Error::unexpected(
                        200,
                        "$.data.signDocuments",
                        "no signed documents in the result",
                        b"",
                    ),
                );
            }
            Kind::Sign { .. } => WebOutcome::Sign(WebOtcSignOutcome {
                result_id: self.result_id.clone().unwrap_or_default(),
                documents: data.sign_documents,
                client_identificator: data.client_identificator,
                sign_session_id: data.sign_session_id,
                sign_session_id_expire_date: data.sign_session_id_expire_date,
            }),
        };
        self.rows.push("F2");
        self.phase = Phase::Done { outcome };
    }

    pub(crate) fn handle_callback(
        &mut self,
        event: &IdentificationCallback,
        now: u64,
    ) -> Result<(), Error> {
        if self.result_id.as_deref() != Some(event.result_id.as_str()) {
            self.rows.push("W7");
            return Err(Error::invalid_state(
                "the callback is for another identification or sign session (its resultId differs)",
            ));
        }
        self.last_now_ms = self.last_now_ms.max(now);
        if let Phase::Await { schedule } = &mut self.phase {
            self.rows.push("W6");
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

    pub(crate) fn after_restore(&mut self) {
        if let Some(id) = self.exchange.outstanding() {
            self.rows.push("X4");
            let now = self.last_now_ms;
            let _ = self.handle(id, Err(TransportErrorKind::Other), now);
        }
    }

    pub(crate) fn progress(&self, flow: &str) -> Progress {
        let (state, next) = match &self.phase {
            Phase::Start { not_before_ms, .. } => ("starting", Some(*not_before_ms)),
            Phase::Register { not_before_ms, .. } => ("registering", Some(*not_before_ms)),
            Phase::Await { schedule } => ("waiting_for_user", Some(schedule.next_at_ms)),
            Phase::Fetch { not_before_ms, .. } => ("fetching", Some(*not_before_ms)),
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

    /// The URL the customer must open, once known.
    pub(crate) fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }
}

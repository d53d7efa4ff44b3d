//! Decisions on the web flows' answers: the creates (start, register), the status polls and
//! the result fetch. Neither create has a lookup, so an ambiguous failure of either ends the
//! flow with "outcome unknown" (the customer has not been sent anywhere yet); only "nothing
//! was sent" is retried.

use super::{Engine, Kind, Phase, WebOutcome};
use crate::btrust::flows::waiting::{deadline, unknown_outcome, Answer, Retry, Schedule};
use crate::btrust::flows::web_ident::{WebIdentificationOutcome, WebRow};
use crate::btrust::flows::web_otc::WebOtcSignOutcome;
use crate::btrust::identification::{ProcessState, WebStatus, WebStep};
use crate::btrust::operation::Operation;
use crate::btrust::otc_signing::StartSignSession;
use crate::btrust::web_identification::identification_link;
use crate::btrust::web_identification::{
    CreateRegistration, GetWebIdentificationResults, GetWebIdentificationStatus,
    StartWebIdentification, StartWebIdentificationWithoutOtc, WebIdentificationResult,
};
use crate::error::Error;
use crate::time::Timestamp;

impl Engine {
    /// A create without a lookup failed: only "nothing was sent" may be retried. `rows` are
    /// the outcome-unknown, refused and not-sent rows of the create.
    fn create_failed(&mut self, answer: Answer, now: u64, rows: [WebRow; 3]) {
        let [unknown, refused, not_sent] = rows;
        match answer {
            Answer::Success(_) => {}
            Answer::ServerError(e) | Answer::Transport(e) => {
                self.fail(unknown, unknown_outcome(&e.to_string()))
            }
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(refused, e),
            Answer::NotSent(kind) => {
                self.rows.push(not_sent);
                let (Phase::Start { retry } | Phase::Register { retry }) = &mut self.phase else {
                    return;
                };
                if !retry.failed(now, &self.options.poll, &mut self.jitter) {
                    self.phase = Phase::Failed {
                        error: Error::Transport {
                            kind,
                            detail: "could not reach the service".into(),
                        },
                    };
                }
            }
        }
    }

    pub(super) fn on_start(&mut self, answer: Answer, now: u64) {
        let Answer::Success(resp) = answer else {
            return self.create_failed(answer, now, [WebRow::S4, WebRow::S5, WebRow::S6]);
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
                        self.rows.push(WebRow::S3);
                        let expires = r.data.web_session_expire_date.as_ref();
                        self.deadline_ms = Some(deadline(expires, now, now, &p));
                        self.web_session_id = Some(r.data.web_session_id);
                        self.result_id = Some(r.data.result_id);
                        self.phase = Phase::Register {
                            retry: Retry::now(),
                        };
                    }
                    Err(e) => self.fail(WebRow::S4, unknown_outcome(&e.to_string())),
                }
            }
            Kind::Sign { .. } => match StartSignSession::parse(resp) {
                Ok(r) => {
                    self.rows.push(WebRow::S3);
                    let first = now
                        .saturating_add(self.jitter.spread(p.first_poll_after_ms, p.jitter_ratio));
                    self.deadline_ms = Some(deadline(r.data.expire_date.as_ref(), now, first, &p));
                    self.result_id = Some(r.data.result_id);
                    self.url = Some(r.data.client_document_url);
                    self.phase = Phase::Await {
                        schedule: Schedule::first(first, p.interval_ms),
                    };
                }
                Err(e) => self.fail(WebRow::S4, unknown_outcome(&e.to_string())),
            },
        }
    }

    pub(super) fn on_register(&mut self, answer: Answer, now: u64) {
        let Answer::Success(resp) = answer else {
            return self.create_failed(answer, now, [WebRow::G3, WebRow::G4, WebRow::G5]);
        };
        match CreateRegistration::parse(resp) {
            Ok(r) => match identification_link(&self.config, &r.data.session_id) {
                Ok(link) => {
                    self.rows.push(WebRow::G2);
                    let p = &self.options.poll;
                    let first = now
                        .saturating_add(self.jitter.spread(p.first_poll_after_ms, p.jitter_ratio));
                    // The registration may expire before the web session: the earlier wins.
                    if let Some(exp) = r.data.expired_on.as_ref().and_then(Timestamp::epoch_ms) {
                        let d = (exp.max(0) as u64)
                            .saturating_add(p.expiry_grace_ms)
                            .max(first);
                        self.deadline_ms = Some(self.deadline_ms.map_or(d, |cur| cur.min(d)));
                    }
                    self.registration_id = Some(r.data.registration_id);
                    self.url = Some(link);
                    self.phase = Phase::Await {
                        schedule: Schedule::first(first, p.interval_ms),
                    };
                }
                Err(e) => self.fail(WebRow::G4, e),
            },
            Err(e) => self.fail(WebRow::G3, unknown_outcome(&e.to_string())),
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

    pub(super) fn fetch(&mut self, process_state: ProcessState, session_id: String) {
        self.phase = Phase::Fetch {
            process_state,
            session_id,
            retry: Retry::now(),
        };
    }

    pub(super) fn on_status(&mut self, answer: Answer, now: u64) {
        if let Some((ps, sid)) = self.callback.take() {
            // A callback arrived during this poll: it names what to fetch.
            self.rows.push(WebRow::W6);
            return self.fetch(ps, sid);
        }
        match answer {
            Answer::Success(resp) => match GetWebIdentificationStatus::parse(resp) {
                Ok(r) => {
                    self.polls = self.polls.saturating_add(1);
                    let status = r.data.status;
                    if status == WebStatus::ProcessIsCanceledByUser {
                        let request_id = self.result_id.clone();
                        self.fail(
                            WebRow::W5,
                            Error::Rejected {
                                request_id,
                                items: Vec::new(),
                            },
                        );
                    } else if self.finished(&status, r.data.step.as_ref()) {
                        self.rows.push(WebRow::W4);
                        let (ps, sid) = self.default_fetch();
                        self.fetch(ps, sid);
                    } else {
                        self.pending(now);
                    }
                }
                Err(e) => self.status_failed(e, now),
            },
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(WebRow::W9, e),
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
            self.rows.push(WebRow::W10);
            self.phase = Phase::Failed {
                error: Error::Expired {
                    request_id,
                    items: Vec::new(),
                },
            };
        } else {
            self.rows.push(WebRow::W3);
            schedule.pending(now, &self.options.poll, &mut self.jitter);
            if std::mem::take(&mut self.poll_again) {
                schedule.wake(now);
            }
        }
    }

    fn status_failed(&mut self, error: Error, now: u64) {
        self.rows.push(WebRow::W8);
        let Phase::Await { schedule } = &mut self.phase else {
            return;
        };
        if let Err(e) = schedule.failed(error, now, &self.options.poll, &mut self.jitter) {
            self.phase = Phase::Failed { error: e };
        }
    }

    pub(super) fn on_fetch(&mut self, answer: Answer, now: u64) {
        let retry = |me: &mut Self, e: Error| {
            me.rows.push(WebRow::F3);
            let Phase::Fetch { retry, .. } = &mut me.phase else {
                return;
            };
            if !retry.failed(now, &me.options.poll, &mut me.jitter) {
                me.phase = Phase::Failed { error: e };
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
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(WebRow::F4, e),
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

    fn done(&mut self, data: WebIdentificationResult) {
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
                    WebRow::F5,
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
        self.rows.push(WebRow::F2);
        self.phase = Phase::Done { outcome };
    }
}

//! Decisions on the answers to the create request and to its lookup by rpCallbackId (rows
//! S3–S9, R2–R5). The rule behind them: a create whose outcome is unknown is never sent
//! again before a lookup proved the service has no such request, so a signer is never
//! prompted twice.

use super::{transport, Engine, Phase, Submission};
use crate::btrust::codes::ResponseCode;
use crate::btrust::flows::sign::SignRow;
use crate::btrust::flows::waiting::{deadline, Answer, Retry, Schedule};
use crate::btrust::operation::Operation;
use crate::btrust::signing::GetSignedResultByRpCallbackId;
use crate::btrust::signing::SendSignRequest;
use crate::btrust::signing::SendSignRequestViaQr;
use crate::error::{Error, TransportErrorKind};
use crate::flow::{retry_delay, UserAction};
use crate::http::HttpResponse;
use crate::time::Timestamp;

impl Engine {
    pub(super) fn on_submit(&mut self, answer: Answer, now: u64) {
        match answer {
            Answer::Success(resp) => self.on_created(resp, now),
            // The service may have stored the request before failing.
            Answer::ServerError(_) => {
                self.mark(SignRow::S5);
                self.start_reconcile(now);
            }
            // An earlier, ambiguous submission landed after all.
            Answer::ClientError(error) if self.submissions > 1 && is_duplicate(&error) => {
                self.mark(SignRow::S6);
                self.start_reconcile(now);
            }
            Answer::ClientError(error) => self.fail(SignRow::S7, error),
            // Nothing reached the service: sending again cannot duplicate anything.
            Answer::NotSent(kind) => {
                self.mark(SignRow::S8);
                self.unanswered = true;
                let Phase::Submit { retry } = &mut self.phase else {
                    return;
                };
                if retry.failed(now, &self.options.poll, &mut self.jitter) {
                    // That submission never arrived: it does not count towards the limit on
                    // lost submissions (R3).
                    self.submissions = self.submissions.saturating_sub(1);
                } else {
                    self.phase = Phase::Failed {
                        error: Error::Transport {
                            kind,
                            detail: "could not reach the service to submit the request".into(),
                        },
                    };
                }
            }
            // It may have been processed: find out before sending anything again.
            Answer::Transport(_) | Answer::TooLarge(_) => {
                self.mark(SignRow::S9);
                self.unanswered = true;
                self.start_reconcile(now);
            }
        }
    }

    fn on_created(&mut self, resp: HttpResponse, now: u64) {
        let accepted = match self.submission {
            Submission::Sign => {
                SendSignRequest::parse(resp).map(|r| (r.data.callback_id, r.data.validity, None))
            }
            Submission::Qr => SendSignRequestViaQr::parse(resp).map(|r| {
                let action = UserAction::ShowQr {
                    qr_plain: r.data.qr_plain,
                    qr_image: r.data.qr_image,
                };
                (r.data.callback_id, r.data.validity, Some(action))
            }),
        };
        match (accepted, self.submission) {
            (Ok((callback_id, validity, action)), _) => {
                self.mark(SignRow::S3);
                self.accepted(callback_id, validity, action, now)
            }
            // Success status but an unreadable answer: the request exists; find it.
            (Err(_), Submission::Sign) => {
                self.mark(SignRow::S4);
                self.start_reconcile(now)
            }
            // The QR code is in that unreadable answer; nothing else can recover it.
            (Err(e), Submission::Qr) => self.fail(SignRow::S4, e),
        }
    }

    fn start_reconcile(&mut self, now: u64) {
        // The first lookup waits a retry delay: the service may still be storing the request.
        let delay = retry_delay(&self.options.poll, 1, &mut self.jitter);
        self.phase = Phase::Reconcile {
            retry: Retry::at(now.saturating_add(delay)),
        };
    }

    fn accepted(
        &mut self,
        callback_id: String,
        validity: Option<Timestamp>,
        action: Option<UserAction>,
        now: u64,
    ) {
        let p = &self.options.poll;
        let first = now.saturating_add(self.jitter.spread(p.first_poll_after_ms, p.jitter_ratio));
        self.deadline_ms = Some(deadline(validity.as_ref(), now, first, p));
        self.callback_id = Some(callback_id);
        self.user_action = action;
        self.phase = Phase::Poll {
            schedule: Schedule::first(first, p.interval_ms),
            by_rp_id: false,
        };
    }

    pub(super) fn on_reconcile(&mut self, answer: Answer, now: u64) {
        match answer {
            // The service has no such request: sending it (again) cannot duplicate it.
            Answer::ClientError(Error::Api {
                http_status: 404, ..
            }) => {
                self.mark(SignRow::R3);
                if self.submissions > self.options.poll.max_consecutive_failures {
                    self.phase = Phase::Failed {
                        error: Error::Transport {
                            kind: TransportErrorKind::Other,
                            detail: format!(
                                "gave up after {} submissions whose answers were lost; relyingPartyCallbackId {}",
                                self.submissions, self.rp_callback_id
                            ),
                        },
                    };
                } else {
                    self.phase = Phase::Submit {
                        retry: Retry::at(now),
                    };
                }
            }
            Answer::Success(resp) => match GetSignedResultByRpCallbackId::parse(resp) {
                Ok(result) => {
                    self.mark(SignRow::R2);
                    self.found_by_reconcile(result, now)
                }
                Err(e) => self.reconcile_failed(e, now),
            },
            Answer::ServerError(e) => self.reconcile_failed(e, now),
            Answer::ClientError(e) => self.fail(SignRow::R5, e),
            Answer::NotSent(_) | Answer::Transport(_) | Answer::TooLarge(_) => {
                self.unanswered = true;
                let error = transport(&answer, "reconciling failed");
                self.reconcile_failed(error, now)
            }
        }
    }

    fn reconcile_failed(&mut self, error: Error, now: u64) {
        self.mark(SignRow::R4);
        let Phase::Reconcile { retry } = &mut self.phase else {
            return;
        };
        if !retry.failed(now, &self.options.poll, &mut self.jitter) {
            let unknown = format!(
                "whether the sign request was created is unknown; look it up later by relyingPartyCallbackId {}",
                self.rp_callback_id
            );
            let error = match error {
                // The service answered every time, with an error: that is what happened (a
                // service error, not a network failure), and the outcome is still unknown.
                Error::Api {
                    http_status,
                    code,
                    response_code,
                    reason,
                } if !self.unanswered => Error::Api {
                    http_status,
                    code,
                    response_code,
                    reason: Some(match reason {
                        Some(r) => format!("{r}; the service answered with an error every time, so {unknown}"),
                        None => format!("the service answered with an error every time, so {unknown}"),
                    }),
                },
                other => Error::Transport {
                    kind: TransportErrorKind::Other,
                    detail: format!("could not learn whether the sign request was created ({other}); look it up later by relyingPartyCallbackId {}", self.rp_callback_id),
                },
            };
            self.phase = Phase::Failed { error };
        }
    }

    fn found_by_reconcile(
        &mut self,
        result: crate::btrust::signing::SignedContentsResponse,
        now: u64,
    ) {
        if self.submission == Submission::Qr {
            self.phase = Phase::Failed {
                error: Error::Transport {
                    kind: TransportErrorKind::Other,
                    detail: format!(
                        "the QR sign request was created but the answer carrying its QR code was lost, and it cannot be recovered; start again with a new relyingPartyCallbackId (request {} will expire unused)",
                        self.rp_callback_id
                    ),
                },
            };
            return;
        }
        // The service's validity was in the lost answer: count from the first submission.
        let p = &self.options.poll;
        let started = self.started_at_ms.unwrap_or(now);
        self.deadline_ms = Some(
            started
                .saturating_add(p.default_validity_ms)
                .saturating_add(p.expiry_grace_ms),
        );
        self.phase = Phase::Poll {
            schedule: Schedule::first(now, p.interval_ms),
            by_rp_id: true,
        };
        self.evaluate(result, now);
    }
}

/// Whether the service refused a create because its rpCallbackId is already taken.
fn is_duplicate(error: &Error) -> bool {
    let dup = |c: &Option<String>| {
        c.as_deref().map(ResponseCode::parse) == Some(ResponseCode::RpCallbackIdDuplicate)
    };
    matches!(error, Error::Api { code, response_code, .. } if dup(code) || dup(response_code))
}

//! The engine behind [`super::SignFlow`] and [`super::QrSignFlow`]: submit, reconcile, poll,
//! decide per item, download. The transition tables are in `sign.rs` and `qr_sign.rs`.

use crate::blob::Blob;
use crate::btrust::codes::ResponseCode;
use crate::btrust::config::Config;
use crate::btrust::envelope::{error_for_status, ApiResponse, DownloadedFile};
use crate::btrust::operation::Operation;
use crate::btrust::signing::SendSignRequest;
use crate::btrust::signing::SendSignRequestViaQr;
use crate::btrust::signing::SignCallback;
use crate::btrust::signing::{GetSignedContent, GetSignedContentInput};
use crate::btrust::signing::{
    GetSignedResult, GetSignedResultByRpCallbackId, GetSignedResultByRpCallbackIdInput,
    GetSignedResultInput, SignedContents,
};
use crate::btrust::signing::{SignatureStatus, SignatureType};
use crate::error::{Error, ItemState, TransportErrorKind};
use crate::flow::{
    grow_interval, retry_delay, Exchange, FlowOptions, Jitter, Progress, Step, UserAction,
};
use crate::http::{HttpRequest, HttpResponse};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// One signed item of a finished flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignedItem {
    /// Position in the request's `contents`.
    pub index: usize,
    /// Final status (`SIGNED`, `RECEIVED` or `ARCHIVED`).
    pub status: SignatureStatus,
    /// Output format.
    pub signature_type: Option<SignatureType>,
    /// Id of the signed document at the service (non-`SIGNATURE` items).
    pub content_id: Option<String>,
    /// The raw signature value (`SIGNATURE` items), decoded from base64.
    pub signature: Option<Blob>,
    /// The signed document, when downloaded.
    pub document: Option<DownloadedFile>,
}

/// What a successful signing flow returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignOutcome {
    /// The service's id of the request (unknown when the request was found by reconciling).
    pub callback_id: Option<String>,
    /// The relying party's id of the request.
    pub rp_callback_id: String,
    /// One entry per requested item, in request order.
    pub items: Vec<SignedItem>,
    /// The signing certificate (DER), when the service returned it (`SIGNATURE` items).
    pub cert: Option<Blob>,
}

/// Which create operation the engine submits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Submission {
    /// `POST /v2/sign` to a designated signer.
    Sign,
    /// `POST /v2/signviaqr`.
    Qr,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "phase",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
enum Phase {
    /// Ready to POST the create request (first time, after a refused connection, or after a
    /// reconcile found nothing).
    Submit {
        not_before_ms: u64,
        failures: u32,
    },
    /// A create's outcome is unknown: ask by rpCallbackId before anything is sent again.
    Reconcile {
        not_before_ms: u64,
        failures: u32,
    },
    /// Waiting for the user; polling.
    Poll {
        next_at_ms: u64,
        interval_ms: u64,
        failures: u32,
        final_poll: bool,
        by_rp_id: bool,
    },
    /// Fetching signed documents one by one.
    Download {
        items: Vec<SignedItem>,
        cert: Option<Blob>,
        next: usize,
        not_before_ms: u64,
        failures: u32,
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
    user_action: Option<UserAction>,
    last_now_ms: u64,
    /// Rows of the transition table taken since the last [`Engine::take_rows`]; not part of
    /// snapshots. Lets tests prove every row is exercised, and logs say which rule fired.
    #[serde(skip)]
    rows: Vec<&'static str>,
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
            jitter: Jitter::new(options.jitter_seed),
            config,
            options,
            submit,
            rp_callback_id,
            item_count,
            exchange: Exchange::default(),
            phase: Phase::Submit {
                not_before_ms: 0,
                failures: 0,
            },
            callback_id: None,
            deadline_ms: None,
            started_at_ms: None,
            polls: 0,
            submissions: 0,
            woken: false,
            user_action: None,
            last_now_ms: 0,
            rows: Vec::new(),
        }
    }

    fn mark(&mut self, row: &'static str) {
        self.rows.push(row);
    }

    /// The transition-table rows taken since the last call.
    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    pub(crate) fn take_rows(&mut self) -> Vec<&'static str> {
        std::mem::take(&mut self.rows)
    }

    fn fail(&mut self, error: Error) {
        self.phase = Phase::Failed { error };
    }

    fn request_id(&self) -> Option<String> {
        self.callback_id.clone()
    }

    // ----- next -------------------------------------------------------------------------

    pub(crate) fn next(&mut self, now: u64) -> Step<SignOutcome> {
        self.last_now_ms = self.last_now_ms.max(now);
        if self.exchange.busy() {
            self.mark("X2");
            return Step::Wait { until_ms: None };
        }
        if let Phase::Download { .. } = self.phase {
            self.finish_downloads_if_complete();
        }
        let row = match &self.phase {
            Phase::Done { .. } | Phase::Failed { .. } => "T1",
            Phase::Submit { not_before_ms, .. } if now < *not_before_ms => "S1",
            Phase::Submit { .. } => "S2",
            Phase::Reconcile { .. } => "R1",
            Phase::Poll { next_at_ms, .. }
                if now < *next_at_ms && now < self.deadline_ms.unwrap_or(u64::MAX) =>
            {
                "P1"
            }
            Phase::Poll { .. } => "P2",
            Phase::Download { .. } => "D1",
        };
        self.mark(row);
        let request = match &mut self.phase {
            Phase::Done { outcome } => return Step::Done(outcome.clone()),
            Phase::Failed { error } => return Step::Failed(error.clone()),
            Phase::Submit { not_before_ms, .. } => {
                if now < *not_before_ms {
                    return Step::Wait {
                        until_ms: Some(*not_before_ms),
                    };
                }
                self.started_at_ms.get_or_insert(now);
                self.submissions += 1;
                Ok(self.submit.clone())
            }
            Phase::Reconcile { not_before_ms, .. } => {
                if now < *not_before_ms {
                    return Step::Wait {
                        until_ms: Some(*not_before_ms),
                    };
                }
                GetSignedResultByRpCallbackId::build(
                    &self.config,
                    &GetSignedResultByRpCallbackIdInput {
                        rp_callback_id: self.rp_callback_id.clone(),
                    },
                )
            }
            Phase::Poll {
                next_at_ms,
                final_poll,
                by_rp_id,
                ..
            } => {
                let deadline = self.deadline_ms.unwrap_or(u64::MAX);
                if now >= deadline {
                    // One last look after the deadline, then give up.
                    *final_poll = true;
                } else if now < *next_at_ms {
                    return Step::Wait {
                        until_ms: Some((*next_at_ms).min(deadline)),
                    };
                }
                let by_rp_id = *by_rp_id;
                self.poll_request(by_rp_id)
            }
            Phase::Download {
                items,
                next,
                not_before_ms,
                ..
            } => {
                if now < *not_before_ms {
                    return Step::Wait {
                        until_ms: Some(*not_before_ms),
                    };
                }
                let id = items[*next].content_id.clone().unwrap_or_default();
                GetSignedContent::build(&self.config, &GetSignedContentInput { id }).map_err(|_| {
                    Error::unexpected(
                        200,
                        "$.data.signatures[].signature",
                        "the service returned a content id that cannot be used in a URL",
                        b"",
                    )
                })
            }
        };
        match request {
            Ok(req) => Step::Send(self.exchange.issue(req)),
            Err(e) => {
                self.fail(e.clone());
                Step::Failed(e)
            }
        }
    }

    fn poll_request(&self, by_rp_id: bool) -> Result<HttpRequest, Error> {
        match (&self.callback_id, by_rp_id) {
            (Some(callback_id), false) => GetSignedResult::build(
                &self.config,
                &GetSignedResultInput {
                    callback_id: callback_id.clone(),
                },
            ),
            _ => GetSignedResultByRpCallbackId::build(
                &self.config,
                &GetSignedResultByRpCallbackIdInput {
                    rp_callback_id: self.rp_callback_id.clone(),
                },
            ),
        }
    }

    // ----- responses --------------------------------------------------------------------

    pub(crate) fn handle_response(
        &mut self,
        id: u64,
        resp: HttpResponse,
        now: u64,
    ) -> Result<(), Error> {
        if let Err(e) = self.exchange.accept(id) {
            self.mark("X1");
            return Err(e);
        }
        self.last_now_ms = self.last_now_ms.max(now);
        match self.phase {
            Phase::Submit { .. } => self.on_submit_response(resp, now),
            Phase::Reconcile { failures, .. } => self.on_reconcile_response(resp, failures, now),
            Phase::Poll { .. } => self.on_poll_response(resp, now),
            Phase::Download { .. } => self.on_download_response(resp, now),
            Phase::Done { .. } | Phase::Failed { .. } => {}
        }
        Ok(())
    }

    fn on_submit_response(&mut self, resp: HttpResponse, now: u64) {
        let status = resp.status;
        if (200..300).contains(&status) {
            let accepted = match self.submission {
                Submission::Sign => SendSignRequest::parse(resp)
                    .map(|r| (r.data.callback_id, r.data.validity, None)),
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
                    self.mark("S3");
                    self.accepted(callback_id, validity, action, now)
                }
                // Success status but an unreadable answer: the request exists; find it.
                (Err(_), Submission::Sign) => {
                    self.mark("S4");
                    self.start_reconcile(now)
                }
                // The QR code is in that unreadable answer; nothing else can recover it.
                (Err(e), Submission::Qr) => {
                    self.mark("S4");
                    self.fail(e)
                }
            }
            return;
        }
        let error = error_for_status(&resp);
        if status >= 500 {
            // The service may have stored the request before failing.
            self.mark("S5");
            self.start_reconcile(now);
        } else if self.submissions > 1 && is_duplicate(&error) {
            // An earlier, ambiguous submission landed after all.
            self.mark("S6");
            self.start_reconcile(now);
        } else {
            self.mark("S7");
            self.fail(error);
        }
    }

    fn start_reconcile(&mut self, now: u64) {
        let delay = retry_delay(&self.options.poll, 1, &mut self.jitter);
        self.phase = Phase::Reconcile {
            not_before_ms: now + delay,
            failures: 0,
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
        let first = now + self.jitter.spread(p.first_poll_after_ms, p.jitter_ratio);
        let deadline = match validity.as_ref().and_then(Timestamp::epoch_ms) {
            Some(ms) if ms > 0 => (ms as u64 + p.expiry_grace_ms).max(first),
            _ => now + p.default_validity_ms + p.expiry_grace_ms,
        };
        self.callback_id = Some(callback_id);
        self.deadline_ms = Some(deadline);
        self.user_action = action;
        self.phase = Phase::Poll {
            next_at_ms: first,
            interval_ms: p.interval_ms,
            failures: 0,
            final_poll: false,
            by_rp_id: false,
        };
    }

    fn on_reconcile_response(&mut self, resp: HttpResponse, failures: u32, now: u64) {
        let status = resp.status;
        if status == 404 {
            self.mark("R3");
            // The service has no such request: sending it (again) cannot duplicate it.
            if self.submissions > self.options.poll.max_consecutive_failures {
                self.fail(Error::Transport {
                    kind: TransportErrorKind::Other,
                    detail: format!(
                        "gave up after {} submissions whose answers were lost; relyingPartyCallbackId {}",
                        self.submissions, self.rp_callback_id
                    ),
                });
            } else {
                self.phase = Phase::Submit {
                    not_before_ms: now,
                    failures: 0,
                };
            }
            return;
        }
        if (200..300).contains(&status) {
            match GetSignedResultByRpCallbackId::parse(resp) {
                Ok(result) => {
                    self.mark("R2");
                    self.found_by_reconcile(result, now)
                }
                Err(e) => self.reconcile_failed(e, failures, now),
            }
            return;
        }
        let error = error_for_status(&resp);
        if status >= 500 {
            self.reconcile_failed(error, failures, now);
        } else {
            self.mark("R5");
            self.fail(error);
        }
    }

    fn reconcile_failed(&mut self, error: Error, failures: u32, now: u64) {
        self.mark("R4");
        let failures = failures + 1;
        if failures >= self.options.poll.max_consecutive_failures {
            self.fail(Error::Transport {
                kind: TransportErrorKind::Other,
                detail: format!(
                    "could not learn whether the sign request was created ({error}); look it up later by relyingPartyCallbackId {}",
                    self.rp_callback_id
                ),
            });
        } else {
            let delay = retry_delay(&self.options.poll, failures, &mut self.jitter);
            self.phase = Phase::Reconcile {
                not_before_ms: now + delay,
                failures,
            };
        }
    }

    fn found_by_reconcile(&mut self, result: ApiResponse<SignedContents>, now: u64) {
        if self.submission == Submission::Qr {
            self.fail(Error::Transport {
                kind: TransportErrorKind::Other,
                detail: format!(
                    "the QR sign request was created but the answer carrying its QR code was lost, and it cannot be recovered; start again with a new relyingPartyCallbackId (request {} will expire unused)",
                    self.rp_callback_id
                ),
            });
            return;
        }
        let p = &self.options.poll;
        let started = self.started_at_ms.unwrap_or(now);
        self.deadline_ms = Some(started + p.default_validity_ms + p.expiry_grace_ms);
        self.phase = Phase::Poll {
            next_at_ms: now,
            interval_ms: p.interval_ms,
            failures: 0,
            final_poll: false,
            by_rp_id: true,
        };
        self.evaluate(result, now);
    }

    fn on_poll_response(&mut self, resp: HttpResponse, now: u64) {
        let status = resp.status;
        let by_rp_id = matches!(self.phase, Phase::Poll { by_rp_id: true, .. });
        if (200..300).contains(&status) {
            let parsed = if by_rp_id {
                GetSignedResultByRpCallbackId::parse(resp)
            } else {
                GetSignedResult::parse(resp)
            };
            match parsed {
                Ok(result) => {
                    self.polls += 1;
                    self.evaluate(result, now);
                }
                Err(e) => self.poll_failed(e, None, now),
            }
            return;
        }
        let error = error_for_status(&resp);
        let past_deadline = self
            .deadline_ms
            .is_some_and(|d| now + self.options.poll.expiry_grace_ms >= d);
        if status == 404 && past_deadline {
            // The service forgets requests after their validity (NOT_FOUND_VALIDITY_EXPIRED).
            self.mark("P10");
            let request_id = self.request_id();
            self.fail(Error::Expired {
                request_id,
                items: Vec::new(),
            });
        } else if status >= 500 {
            self.poll_failed(error, None, now);
        } else {
            self.mark("P12");
            self.fail(error);
        }
    }

    fn poll_failed(&mut self, error: Error, kind: Option<TransportErrorKind>, now: u64) {
        self.mark("P11");
        let Phase::Poll {
            failures,
            next_at_ms,
            ..
        } = &mut self.phase
        else {
            return;
        };
        *failures += 1;
        if *failures >= self.options.poll.max_consecutive_failures {
            let failed = *failures;
            let error = match kind {
                Some(kind) => Error::Transport {
                    kind,
                    detail: format!("polling failed {failed} times in a row"),
                },
                None => error,
            };
            self.fail(error);
        } else {
            let f = *failures;
            *next_at_ms = now + retry_delay(&self.options.poll, f, &mut self.jitter);
        }
    }

    /// Decides on a poll result: still pending, or final — by each item's status, because a
    /// rejection also arrives as HTTP 200 / `COMPLETED`.
    fn evaluate(&mut self, result: ApiResponse<SignedContents>, now: u64) {
        let items = &result.data.signatures;
        let pending = result.http_status == 206
            || items.is_empty()
            || items.iter().any(|i| i.status.is_pending());
        if pending {
            self.still_pending(items, now);
            return;
        }
        let states: Vec<ItemState> = items
            .iter()
            .enumerate()
            .map(|(index, i)| ItemState {
                index,
                status: i.status.as_str().to_owned(),
            })
            .collect();
        let request_id = self.request_id();
        if items.len() != self.item_count {
            self.mark("P9");
            self.fail(Error::unexpected(
                result.http_status,
                "$.data.signatures",
                &format!(
                    "{} items were requested but the service reported {}",
                    self.item_count,
                    items.len()
                ),
                b"",
            ));
        } else if items.iter().any(|i| i.status == SignatureStatus::Rejected) {
            self.mark("P5");
            self.fail(Error::Rejected {
                request_id,
                items: states,
            });
        } else if items.iter().any(|i| i.status == SignatureStatus::Expired) {
            self.mark("P6");
            self.fail(Error::Expired {
                request_id,
                items: states,
            });
        } else if let Some((index, bad)) = items
            .iter()
            .enumerate()
            .find(|(_, i)| !i.status.is_signed())
        {
            self.mark("P7");
            self.fail(Error::Api {
                http_status: result.http_status,
                code: Some(bad.status.as_str().to_owned()),
                response_code: result.response_code.as_ref().map(|c| c.as_str().to_owned()),
                message: Some(format!("item #{index} ended with status {}", bad.status)),
            });
        } else {
            self.mark("P8");
            self.signed(result.data, result.http_status);
        }
    }

    fn still_pending(&mut self, items: &[crate::btrust::signing::SignatureResult], now: u64) {
        let final_poll = matches!(
            self.phase,
            Phase::Poll {
                final_poll: true,
                ..
            }
        );
        self.mark(if final_poll { "P4" } else { "P3" });
        let woken = std::mem::take(&mut self.woken);
        let request_id = self.request_id();
        let Phase::Poll {
            next_at_ms,
            interval_ms,
            failures,
            final_poll,
            ..
        } = &mut self.phase
        else {
            return;
        };
        if *final_poll {
            let items = items
                .iter()
                .enumerate()
                .map(|(index, i)| ItemState {
                    index,
                    status: i.status.as_str().to_owned(),
                })
                .collect();
            self.phase = Phase::Failed {
                error: Error::Expired { request_id, items },
            };
            return;
        }
        *failures = 0;
        let delay = self
            .jitter
            .spread(*interval_ms, self.options.poll.jitter_ratio);
        *next_at_ms = if woken { now } else { now + delay };
        *interval_ms = grow_interval(&self.options.poll, *interval_ms);
    }

    fn signed(&mut self, data: SignedContents, status: u16) {
        let mut items = Vec::with_capacity(data.signatures.len());
        for (index, s) in data.signatures.into_iter().enumerate() {
            let raw_signature = s.signature_type == Some(SignatureType::Signature);
            let mut item = SignedItem {
                index,
                status: s.status,
                signature_type: s.signature_type,
                content_id: None,
                signature: None,
                document: None,
            };
            match (s.signature, raw_signature) {
                (Some(sig), true) => match crate::blob::decode_base64_lenient(sig.as_bytes()) {
                    Some(bytes) => item.signature = Some(Blob::from(bytes)),
                    None => {
                        return self.fail(Error::unexpected(
                            status,
                            format!("$.data.signatures[{index}].signature"),
                            "a SIGNATURE value is not base64",
                            b"",
                        ))
                    }
                },
                (Some(id), false) if !id.is_empty() => item.content_id = Some(id),
                _ => {
                    return self.fail(Error::unexpected(
                        status,
                        format!("$.data.signatures[{index}].signature"),
                        "a signed item has no signature or content id",
                        b"",
                    ))
                }
            }
            items.push(item);
        }
        let needs_download = self.options.download && items.iter().any(|i| i.content_id.is_some());
        if needs_download {
            self.phase = Phase::Download {
                items,
                cert: data.cert,
                next: 0,
                not_before_ms: 0,
                failures: 0,
            };
            self.finish_downloads_if_complete();
        } else {
            self.phase = Phase::Done {
                outcome: self.outcome(items, data.cert),
            };
        }
    }

    fn outcome(&self, items: Vec<SignedItem>, cert: Option<Blob>) -> SignOutcome {
        SignOutcome {
            callback_id: self.callback_id.clone(),
            rp_callback_id: self.rp_callback_id.clone(),
            items,
            cert,
        }
    }

    /// Skips items with nothing to download; finishes the flow after the last one.
    fn finish_downloads_if_complete(&mut self) {
        let Phase::Download { items, next, .. } = &mut self.phase else {
            return;
        };
        while *next < items.len()
            && (items[*next].content_id.is_none() || items[*next].document.is_some())
        {
            *next += 1;
        }
        if *next >= items.len() {
            let Phase::Download { items, cert, .. } = std::mem::replace(
                &mut self.phase,
                Phase::Submit {
                    not_before_ms: 0,
                    failures: 0,
                },
            ) else {
                return;
            };
            self.phase = Phase::Done {
                outcome: self.outcome(items, cert),
            };
        }
    }

    fn on_download_response(&mut self, resp: HttpResponse, now: u64) {
        let status = resp.status;
        if (200..300).contains(&status) {
            match GetSignedContent::parse(resp) {
                Ok(file) => {
                    self.mark("D2");
                    if let Phase::Download {
                        items,
                        next,
                        failures,
                        ..
                    } = &mut self.phase
                    {
                        items[*next].document = Some(file);
                        *next += 1;
                        *failures = 0;
                    }
                    self.finish_downloads_if_complete();
                }
                // A garbled answer to an idempotent GET: ask again (bounded).
                Err(e) => self.download_failed(e, None, now),
            }
            return;
        }
        let error = error_for_status(&resp);
        if status >= 500 {
            self.download_failed(error, None, now);
        } else {
            self.mark("D4");
            self.fail(error);
        }
    }

    fn download_failed(&mut self, error: Error, kind: Option<TransportErrorKind>, now: u64) {
        self.mark("D3");
        let max = self.options.poll.max_consecutive_failures;
        let Phase::Download {
            failures,
            not_before_ms,
            ..
        } = &mut self.phase
        else {
            return;
        };
        *failures += 1;
        if *failures >= max {
            let failed = *failures;
            self.fail(match kind {
                Some(kind) => Error::Transport {
                    kind,
                    detail: format!("downloading a signed document failed {failed} times in a row"),
                },
                None => error,
            });
        } else {
            let f = *failures;
            *not_before_ms = now + retry_delay(&self.options.poll, f, &mut self.jitter);
        }
    }

    // ----- transport errors -------------------------------------------------------------

    pub(crate) fn handle_transport_error(
        &mut self,
        id: u64,
        kind: TransportErrorKind,
        now: u64,
    ) -> Result<(), Error> {
        if let Err(e) = self.exchange.accept(id) {
            self.mark("X1");
            return Err(e);
        }
        self.last_now_ms = self.last_now_ms.max(now);
        self.on_transport_error(kind, now);
        Ok(())
    }

    fn on_transport_error(&mut self, kind: TransportErrorKind, now: u64) {
        let transport = |detail: &str| Error::Transport {
            kind,
            detail: detail.to_owned(),
        };
        match self.phase {
            Phase::Submit { failures, .. } => {
                self.mark(if kind.may_have_been_processed() {
                    "S9"
                } else {
                    "S8"
                });
                if kind.may_have_been_processed() {
                    self.start_reconcile(now);
                } else if failures + 1 >= self.options.poll.max_consecutive_failures {
                    self.fail(transport(
                        "could not reach the service to submit the request",
                    ));
                } else {
                    // Nothing reached the service: sending again cannot duplicate anything.
                    let delay = retry_delay(&self.options.poll, failures + 1, &mut self.jitter);
                    self.submissions = self.submissions.saturating_sub(1);
                    self.phase = Phase::Submit {
                        not_before_ms: now + delay,
                        failures: failures + 1,
                    };
                }
            }
            Phase::Reconcile { failures, .. } => {
                self.reconcile_failed(transport("reconciling failed"), failures, now)
            }
            Phase::Poll { .. } if kind == TransportErrorKind::TooLarge => {
                self.mark("P12");
                self.fail(transport("a poll answer exceeded the size limit"))
            }
            Phase::Poll { .. } => self.poll_failed(transport("polling failed"), Some(kind), now),
            Phase::Download { .. } if kind == TransportErrorKind::TooLarge => {
                self.mark("D4");
                self.fail(transport(
                    "a signed document exceeded the download limit (config.limits.maxDownloadBytes)",
                ))
            }
            Phase::Download { .. } => {
                self.download_failed(transport("downloading failed"), Some(kind), now)
            }
            Phase::Done { .. } | Phase::Failed { .. } => {}
        }
    }

    // ----- callbacks, snapshots, progress -------------------------------------------------

    pub(crate) fn handle_callback(&mut self, event: &SignCallback, now: u64) -> Result<(), Error> {
        let other_callback =
            matches!((&event.callback_id, &self.callback_id), (Some(a), Some(b)) if a != b);
        let other_rp = matches!(&event.rp_callback_id, Some(a) if *a != self.rp_callback_id);
        if other_callback || other_rp {
            self.mark("X3");
            return Err(Error::invalid_state(
                "the callback is for another sign request (its callbackId or rpCallbackId differs)",
            ));
        }
        self.last_now_ms = self.last_now_ms.max(now);
        if matches!(self.phase, Phase::Poll { .. }) {
            self.mark("P13");
        }
        if let Phase::Poll { next_at_ms, .. } = &mut self.phase {
            if self.exchange.busy() {
                self.woken = true;
            } else {
                *next_at_ms = (*next_at_ms).min(now);
            }
        }
        Ok(())
    }

    /// After a restore: a request that was in flight when the snapshot was taken will never
    /// be answered; treat it as lost in transit (POSTs are reconciled, GETs repeated).
    pub(crate) fn after_restore(&mut self) {
        if let Some(id) = self.exchange.outstanding() {
            self.mark("X4");
            let now = self.last_now_ms;
            let _ = self.handle_transport_error(id, TransportErrorKind::Other, now);
        }
    }

    pub(crate) fn progress(&self, flow: &str) -> Progress {
        let (state, next) = match &self.phase {
            Phase::Submit { not_before_ms, .. } => ("submitting", Some(*not_before_ms)),
            Phase::Reconcile { not_before_ms, .. } => ("reconciling", Some(*not_before_ms)),
            Phase::Poll { next_at_ms, .. } => ("polling", Some(*next_at_ms)),
            Phase::Download { not_before_ms, .. } => ("downloading", Some(*not_before_ms)),
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
            items_done: done,
            items_total: total,
            user_action: match self.phase {
                Phase::Poll { .. } => self.user_action.clone(),
                _ => None,
            },
        }
    }

    /// The QR code or link, once the service returned it.
    pub(crate) fn user_action(&self) -> Option<&UserAction> {
        self.user_action.as_ref()
    }
}

/// Whether the service refused a create because its rpCallbackId is already taken.
fn is_duplicate(error: &Error) -> bool {
    let dup = |c: &Option<String>| {
        c.as_deref().map(ResponseCode::parse) == Some(ResponseCode::RpCallbackIdDuplicate)
    };
    matches!(error, Error::Api { code, response_code, .. } if dup(code) || dup(response_code))
}

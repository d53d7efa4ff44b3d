//! `AutoSignFlow`: sign documents at once with an ARS access token (reference §7).
//!
//! Validate the token first when its age says so (`GET /v2/arsign/validate/token`), then
//! `POST /v2/arsign/sync`, then download every signed document (`GET /v2/sign/content/{id}`,
//! inferred: the ARS collection downloads "by signatureID").
//!
//! `DETACHED_DEVICE`, `CHANGED_PIN`, `CONSENT_REVOKE` and an invalid or unknown token end the
//! flow with `consent_required`: only a new consent helps. The sync request is not idempotent
//! and has no lookup of its own: after `REQUEST_TIMEOUT` the document may be signed already,
//! so the flow reconciles through the `callbackId` the refusal carries (`GET
//! /v2/sign/{callbackId}`, reference §7 "check by callbackId") and sends the same request again
//! only if the service kept nothing (404), once. Any other ambiguous failure (a lost answer, a
//! 5xx) ends with "outcome unknown" and nothing is resent, so no document is signed twice.
//!
//! ## Transition table
//!
//! | # | state | input | → state / effect |
//! |---|---|---|---|
//! | V1 | start | `next` with the token past its known expiry | failed(`consent_required`, `TOKEN_EXPIRED`) |
//! | V2 | start | `next`, validation due (never validated, or longer ago than `revalidateAfterMs`) | `Send(GET /v2/arsign/validate/token)` (`Wait` during a retry delay) |
//! | V3 | start | `next`, validated recently | signing (no request yet) |
//! | V4 | validating | 2xx | signing |
//! | V5 | validating | a consent code (`AR_SIGN_TOKEN_*`, `DETACHED_DEVICE`, `CHANGED_PIN`, `CONSENT_REVOKE`) | failed(`consent_required`) |
//! | V6 | validating | another 4xx | failed(`api`) |
//! | V7 | validating | 5xx, unreadable 2xx, transport error | validating after the retry delay; failed after `maxConsecutiveFailures` |
//! | S1 | signing | `next` before `notBefore` | `Wait(notBefore)` |
//! | S2 | signing | `next` | `Send(POST /v2/arsign/sync)`, the request built once |
//! | S3 | signing | 2xx with the signatures | downloading (done when nothing is to download) |
//! | S4 | signing | a consent code | failed(`consent_required`) |
//! | S5 | signing | `REQUEST_TIMEOUT` with `data.callbackId` | reconciling |
//! | S6 | signing | `REQUEST_TIMEOUT` without a `callbackId`, 5xx, unreadable 2xx, transport error that may have been processed | failed(`transport`, outcome unknown; not resent) |
//! | S7 | signing | transport `connect`/`tls` (nothing sent) | signing after the retry delay; failed after `maxConsecutiveFailures` |
//! | S8 | signing | `BATCH_SIZE_EXCEED` / `REQUEST EXCEED LIMIT` | failed(`limit_exceeded`) |
//! | S9 | signing | another 4xx | failed(`api`) |
//! | R1 | reconciling | `next` before the next poll | `Wait(nextPoll)` |
//! | R2 | reconciling | `next` | `Send(GET /v2/sign/{callbackId})`; past the deadline, the final poll |
//! | R3 | reconciling | 206, or an item still pending | reconciling, backoff |
//! | R4 | reconciling | 200 with every item final | downloading, the items as the poll reports them |
//! | R5 | reconciling | 404 (nothing was kept) | signing: the same request once more; a second 404 fails (`transport`, outcome unknown) |
//! | R6 | reconciling | 5xx, unreadable 2xx, transport error | reconciling after the retry delay; failed after `maxConsecutiveFailures` |
//! | R7 | reconciling | another 4xx, or the final poll still pending | failed(`api` / `expired`) |
//! | D1 | downloading | `next` | `Send(GET /v2/sign/content/{id})` for the next signed item (`Wait` during a retry delay) |
//! | D2 | downloading | 2xx | the item's document; the next item, done after the last |
//! | D3 | downloading | 5xx, transport error | downloading after the retry delay; failed after `maxConsecutiveFailures` |
//! | D4 | downloading | 4xx, or a body that is not a file | failed |
//! | T1 | done / failed | `next` | the same `Done` / `Failed` |
//! | X1 | any | an answer under an id that is not outstanding | `invalid_state`, unchanged |
//! | X2 | any | `next` while a request is outstanding | `Wait(None)` |
//! | X3 | any | a callback (this scenario has none) | `invalid_state`, unchanged |
//! | X4 | any | `restore` with a request in flight | as a transport error `other` for it |

use super::ars_common::{ars_refusal, has_code, ArsItem};
use super::engine::{validated, FlowEngine};
use super::waiting::{classify, unknown_outcome, Answer, Retry, Schedule};
use crate::btrust::ars::token::needs_validation;
use crate::btrust::ars::{
    ArsSignRequest, ArsSignature, SendSyncSignRequest, SendSyncSignRequestInput,
    ValidateAccessToken, ValidateAccessTokenInput,
};
use crate::btrust::config::Config;
use crate::btrust::operation::Operation;
use crate::btrust::signing::{
    GetSignedContent, GetSignedContentInput, GetSignedResult, GetSignedResultInput, SignCallback,
};
use crate::error::{Error, TransportErrorKind};
use crate::flow::{count, Exchange, FlowOptions, Jitter, Progress, Step};
use crate::http::{HttpRequest, HttpResponse};
use crate::secret::Secret;
use crate::validate::{IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

rows! {
    /// A row of [`AutoSignFlow`]'s transition table (above).
    pub enum AutoSignRow {
        /// start, token past its known expiry: failed(`consent_required`).
        V1,
        /// start, validation due: `Send(GET /v2/arsign/validate/token)` (`Wait` during a
        /// retry delay).
        V2,
        /// start, validated recently: signing.
        V3,
        /// validating, 2xx: signing.
        V4,
        /// validating, a consent code: failed(`consent_required`).
        V5,
        /// validating, another 4xx: failed(`api`).
        V6,
        /// validating, 5xx or transport: retry; failed after `maxConsecutiveFailures`.
        V7,
        /// signing, `next` before `notBefore`: `Wait(notBefore)`.
        S1,
        /// signing, `next`: `Send(POST /v2/arsign/sync)`.
        S2,
        /// signing, 2xx with the signatures: downloading.
        S3,
        /// signing, a consent code: failed(`consent_required`).
        S4,
        /// signing, `REQUEST_TIMEOUT` with a `callbackId`: reconciling.
        S5,
        /// signing, ambiguous failure: failed(`transport`, outcome unknown; not resent).
        S6,
        /// signing, nothing sent: retry; failed after `maxConsecutiveFailures`.
        S7,
        /// signing, a limit code: failed(`limit_exceeded`).
        S8,
        /// signing, another 4xx: failed(`api`).
        S9,
        /// reconciling, `next` before the next poll: `Wait`.
        R1,
        /// reconciling, `next`: `Send(GET /v2/sign/{callbackId})`.
        R2,
        /// reconciling, 206 or an item pending: backoff.
        R3,
        /// reconciling, 200 with every item final: downloading.
        R4,
        /// reconciling, 404: signing again once; a second 404 fails.
        R5,
        /// reconciling, 5xx or transport: retry; failed after `maxConsecutiveFailures`.
        R6,
        /// reconciling, another 4xx or the final poll pending: failed.
        R7,
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

/// Default longest age of a token validation before the flow validates again (one hour).
pub const DEFAULT_REVALIDATE_AFTER_MS: u64 = 3_600_000;

/// Input of [`AutoSignFlow`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AutoSignFlowInput {
    /// The access token from the consent.
    pub access_token: Secret<String>,
    /// What to sign.
    pub request: ArsSignRequest,
    /// When the token expires (epoch ms), when known: past it the flow sends nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_expires_at_ms: Option<u64>,
    /// When the token was last confirmed valid (epoch ms); none: validate first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_validated_at_ms: Option<u64>,
    /// Longest trusted age of that confirmation (default one hour).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revalidate_after_ms: Option<u64>,
    /// Download the signed documents (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download: Option<bool>,
}

impl Validate for AutoSignFlowInput {
    fn validate(&self, v: &mut Validator) {
        crate::btrust::ars::models::check_access_token(v, &self.access_token);
        v.field("request", |v| self.request.validate(v));
        if self.revalidate_after_ms == Some(0) {
            v.issue_at(
                "revalidateAfterMs",
                IssueCode::OutOfRange,
                "must be greater than 0 (leave it out for the default)",
            );
        }
    }
}

/// What an automatic signing returns.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoSignOutcome {
    /// One entry per requested item, in request order.
    pub items: Vec<ArsItem>,
    /// Set when the result was found by reconciling after `REQUEST_TIMEOUT`: the id polled.
    pub reconciled_callback_id: Option<String>,
    /// When the token was confirmed valid by this flow (epoch ms), for the next run's
    /// `tokenValidatedAtMs`.
    pub token_validated_at_ms: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "phase",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
enum Phase {
    Start,
    Validate {
        #[serde(flatten)]
        retry: Retry,
    },
    Sign {
        #[serde(flatten)]
        retry: Retry,
    },
    Reconcile {
        schedule: Schedule,
    },
    Download {
        #[serde(flatten)]
        retry: Retry,
    },
    Done {
        outcome: AutoSignOutcome,
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
    token_expires_at_ms: Option<u64>,
    token_validated_at_ms: Option<u64>,
    revalidate_after_ms: u64,
    download: bool,
    /// The sync request, built once: a resend after reconciling is byte-identical.
    submit: HttpRequest,
    exchange: Exchange,
    jitter: Jitter,
    phase: Phase,
    items: Vec<ArsItem>,
    reconcile_id: Option<String>,
    resent: bool,
    deadline_ms: Option<u64>,
    polls: u32,
    last_now_ms: u64,
    #[serde(skip)]
    rows: Vec<AutoSignRow>,
}

/// Signs at once with an access token; see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct AutoSignFlow {
    engine: Engine,
}

impl AutoSignFlow {
    /// Validates the input and builds `POST /v2/arsign/sync` once.
    pub fn new(
        config: Config,
        input: AutoSignFlowInput,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        validated(&config, &input)?;
        let submit = SendSyncSignRequest::build(
            &config,
            &SendSyncSignRequestInput {
                access_token: input.access_token.clone(),
                request: input.request,
            },
        )?;
        Ok(AutoSignFlow {
            engine: Engine {
                jitter: Jitter::new(options.effective_jitter_seed()),
                config,
                options: options.without_entropy(),
                access_token: input.access_token,
                token_expires_at_ms: input.token_expires_at_ms,
                token_validated_at_ms: input.token_validated_at_ms,
                revalidate_after_ms: input
                    .revalidate_after_ms
                    .unwrap_or(DEFAULT_REVALIDATE_AFTER_MS),
                download: input.download.unwrap_or(true),
                submit,
                exchange: Exchange::default(),
                phase: Phase::Start,
                items: Vec::new(),
                reconcile_id: None,
                resent: false,
                deadline_ms: None,
                polls: 0,
                last_now_ms: 0,
                rows: Vec::new(),
            },
        })
    }
}

flow_api!(AutoSignFlow {
    name: "btrust.autoSign",
    table: AutoSignRow::TABLE,
    outcome: AutoSignOutcome,
    callback: SignCallback,
});

/// The `data.callbackId` of a `REQUEST_TIMEOUT` refusal, if it has one.
fn timeout_callback_id(resp: &HttpResponse) -> Option<String> {
    let body: serde_json::Value = serde_json::from_slice(resp.body.as_bytes()).ok()?;
    body.get("data")?
        .get("callbackId")?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl Engine {
    fn fail(&mut self, row: AutoSignRow, error: Error) {
        self.rows.push(row);
        self.phase = Phase::Failed { error };
    }

    fn outcome(&self) -> AutoSignOutcome {
        AutoSignOutcome {
            items: self.items.clone(),
            reconciled_callback_id: self.reconcile_id.clone(),
            token_validated_at_ms: self.token_validated_at_ms,
        }
    }

    /// Signed items known: download them, or finish.
    fn signed(&mut self, items: Vec<ArsItem>) {
        self.items = items;
        self.phase = if self.download && self.items.iter().any(ArsItem::wants_download) {
            Phase::Download {
                retry: Retry::now(),
            }
        } else {
            Phase::Done {
                outcome: self.outcome(),
            }
        };
    }

    fn on_validate(&mut self, raw: &Result<HttpResponse, TransportErrorKind>, now: u64) {
        if let Some(e) = raw.as_ref().ok().and_then(|r| ars_refusal(r, None)) {
            return self.fail(AutoSignRow::V5, e);
        }
        match classify(raw.clone()) {
            Answer::Success(resp) => match ValidateAccessToken::parse(resp) {
                Ok(_) => {
                    self.rows.push(AutoSignRow::V4);
                    self.token_validated_at_ms = Some(now);
                    self.phase = Phase::Sign {
                        retry: Retry::now(),
                    };
                }
                Err(e) => self.retry_one(AutoSignRow::V7, e, now),
            },
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(AutoSignRow::V6, e),
            Answer::ServerError(e) | Answer::Transport(e) => {
                self.retry_one(AutoSignRow::V7, e, now)
            }
            Answer::NotSent(kind) => self.retry_one(
                AutoSignRow::V7,
                Error::Transport {
                    kind,
                    detail: "could not reach the service to validate the access token".into(),
                },
                now,
            ),
        }
    }

    fn on_sign(&mut self, raw: &Result<HttpResponse, TransportErrorKind>, now: u64) {
        let requested = None;
        if let Ok(resp) = raw {
            if has_code(resp, "REQUEST_TIMEOUT") {
                return match timeout_callback_id(resp) {
                    Some(id) => {
                        self.rows.push(AutoSignRow::S5);
                        let p = &self.options.poll;
                        let first = now.saturating_add(
                            self.jitter.spread(p.first_poll_after_ms, p.jitter_ratio),
                        );
                        self.deadline_ms = Some(
                            now.saturating_add(p.default_validity_ms)
                                .saturating_add(p.expiry_grace_ms),
                        );
                        self.reconcile_id = Some(id);
                        self.phase = Phase::Reconcile {
                            schedule: Schedule::first(first, p.interval_ms),
                        };
                    }
                    None => self.fail(
                        AutoSignRow::S6,
                        unknown_outcome("REQUEST_TIMEOUT without a callbackId to check"),
                    ),
                };
            }
            if let Some(e) = ars_refusal(resp, requested) {
                let row = match e {
                    Error::ConsentRequired { .. } => AutoSignRow::S4,
                    _ => AutoSignRow::S8,
                };
                return self.fail(row, e);
            }
        }
        match classify(raw.clone()) {
            Answer::Success(resp) => match SendSyncSignRequest::parse(resp) {
                Ok(r) => {
                    self.rows.push(AutoSignRow::S3);
                    let sigs: Vec<ArsSignature> = r.data.map(|d| d.signatures).unwrap_or_default();
                    let items = sigs
                        .iter()
                        .enumerate()
                        .map(|(i, s)| ArsItem::from_signature(i, s))
                        .collect();
                    self.signed(items);
                }
                Err(e) => self.fail(AutoSignRow::S6, unknown_outcome(&e.to_string())),
            },
            Answer::ServerError(e) | Answer::Transport(e) => {
                self.fail(AutoSignRow::S6, unknown_outcome(&e.to_string()))
            }
            Answer::NotSent(kind) => self.retry_one(
                AutoSignRow::S7,
                Error::Transport {
                    kind,
                    detail: "could not reach the service to sign".into(),
                },
                now,
            ),
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(AutoSignRow::S9, e),
        }
    }

    fn on_reconcile(&mut self, raw: &Result<HttpResponse, TransportErrorKind>, now: u64) {
        match classify(raw.clone()) {
            Answer::Success(resp) => match GetSignedResult::parse(resp) {
                Ok(r) => {
                    self.polls = self.polls.saturating_add(1);
                    let pending = r.http_status == 206
                        || r.data.signatures.is_empty()
                        || r.data.signatures.iter().any(|s| s.status.is_pending());
                    if pending {
                        return self.pending(now);
                    }
                    self.rows.push(AutoSignRow::R4);
                    let items = r
                        .data
                        .signatures
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            ArsItem::from_signature(
                                i,
                                &ArsSignature {
                                    signature: s.signature.clone(),
                                    signature_id: None,
                                    signature_type: s.signature_type.clone(),
                                    status: s.status.clone(),
                                },
                            )
                        })
                        .collect();
                    self.signed(items);
                }
                Err(e) => self.retry_poll(e, now),
            },
            Answer::ClientError(e) => {
                let not_found = raw.as_ref().is_ok_and(|r| r.status == 404);
                if not_found && !self.resent {
                    self.rows.push(AutoSignRow::R5);
                    self.resent = true;
                    self.phase = Phase::Sign {
                        retry: Retry::now(),
                    };
                } else if not_found {
                    self.fail(
                        AutoSignRow::R5,
                        unknown_outcome("the service kept nothing of two timed-out requests"),
                    );
                } else {
                    self.fail(AutoSignRow::R7, e);
                }
            }
            Answer::ServerError(e) | Answer::Transport(e) => self.retry_poll(e, now),
            Answer::NotSent(kind) => self.retry_poll(
                Error::Transport {
                    kind,
                    detail: "checking the timed-out request failed".into(),
                },
                now,
            ),
            Answer::TooLarge(e) => self.fail(AutoSignRow::R7, e),
        }
    }

    fn on_download(&mut self, raw: &Result<HttpResponse, TransportErrorKind>, now: u64) {
        let Some(pos) = self.items.iter().position(ArsItem::wants_download) else {
            return;
        };
        match classify(raw.clone()) {
            Answer::Success(resp) => match GetSignedContent::parse(resp) {
                Ok(file) => {
                    self.rows.push(AutoSignRow::D2);
                    self.items[pos].document = Some(file);
                    let items = std::mem::take(&mut self.items);
                    self.signed(items);
                }
                Err(e) => self.fail(AutoSignRow::D4, e),
            },
            Answer::ClientError(e) | Answer::TooLarge(e) => self.fail(AutoSignRow::D4, e),
            Answer::ServerError(e) | Answer::Transport(e) => {
                self.retry_one(AutoSignRow::D3, e, now)
            }
            Answer::NotSent(kind) => self.retry_one(
                AutoSignRow::D3,
                Error::Transport {
                    kind,
                    detail: "downloading a signed document failed".into(),
                },
                now,
            ),
        }
    }

    /// A transient failure of a one-off request (validate, sign before sending, download).
    fn retry_one(&mut self, row: AutoSignRow, error: Error, now: u64) {
        self.rows.push(row);
        let (Phase::Validate { retry } | Phase::Sign { retry } | Phase::Download { retry }) =
            &mut self.phase
        else {
            return;
        };
        if !retry.failed(now, &self.options.poll, &mut self.jitter) {
            self.phase = Phase::Failed { error };
        }
    }

    fn pending(&mut self, now: u64) {
        let request_id = self.reconcile_id.clone();
        let Phase::Reconcile { schedule } = &mut self.phase else {
            return;
        };
        if schedule.final_poll {
            self.fail(
                AutoSignRow::R7,
                Error::Expired {
                    request_id,
                    items: Vec::new(),
                },
            );
        } else {
            self.rows.push(AutoSignRow::R3);
            schedule.pending(now, &self.options.poll, &mut self.jitter);
        }
    }

    fn retry_poll(&mut self, error: Error, now: u64) {
        self.rows.push(AutoSignRow::R6);
        let Phase::Reconcile { schedule } = &mut self.phase else {
            return;
        };
        if let Err(e) = schedule.failed(error, now, &self.options.poll, &mut self.jitter) {
            self.phase = Phase::Failed { error: e };
        }
    }

    /// The first `next`: expired, validate, or sign straight away.
    fn start(&mut self, now: u64) {
        if self.token_expires_at_ms.is_some_and(|t| now >= t) {
            return self.fail(
                AutoSignRow::V1,
                Error::ConsentRequired {
                    code: "TOKEN_EXPIRED".into(),
                    http_status: 0,
                },
            );
        }
        if needs_validation(self.token_validated_at_ms, now, self.revalidate_after_ms) {
            self.phase = Phase::Validate {
                retry: Retry::now(),
            };
        } else {
            self.rows.push(AutoSignRow::V3);
            self.phase = Phase::Sign {
                retry: Retry::now(),
            };
        }
    }
}

impl FlowEngine for Engine {
    type Outcome = AutoSignOutcome;
    type Callback = SignCallback;

    fn next(&mut self, now: u64) -> Step<AutoSignOutcome> {
        self.last_now_ms = self.last_now_ms.max(now);
        if self.exchange.busy() {
            self.rows.push(AutoSignRow::X2);
            return Step::Wait { until_ms: None };
        }
        if self.phase == Phase::Start {
            self.start(now);
        }
        let req = match &mut self.phase {
            Phase::Done { outcome } => {
                self.rows.push(AutoSignRow::T1);
                return Step::Done(outcome.clone());
            }
            Phase::Failed { error } => {
                self.rows.push(AutoSignRow::T1);
                return Step::Failed(error.clone());
            }
            Phase::Start => {
                return Step::Wait {
                    until_ms: Some(now),
                }
            }
            Phase::Validate { retry } => match retry.due(now) {
                Some(until) => {
                    self.rows.push(AutoSignRow::V2);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(AutoSignRow::V2);
                    ValidateAccessToken::build(
                        &self.config,
                        &ValidateAccessTokenInput {
                            access_token: self.access_token.clone(),
                        },
                    )
                }
            },
            Phase::Sign { retry } => match retry.due(now) {
                Some(until) => {
                    self.rows.push(AutoSignRow::S1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(AutoSignRow::S2);
                    Ok(self.submit.clone())
                }
            },
            Phase::Reconcile { schedule } => match schedule.due(now, self.deadline_ms) {
                Some(until) => {
                    self.rows.push(AutoSignRow::R1);
                    return Step::Wait {
                        until_ms: Some(until),
                    };
                }
                None => {
                    self.rows.push(AutoSignRow::R2);
                    GetSignedResult::build(
                        &self.config,
                        &GetSignedResultInput {
                            callback_id: self.reconcile_id.clone().unwrap_or_default(),
                        },
                    )
                }
            },
            Phase::Download { retry } => {
                self.rows.push(AutoSignRow::D1);
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
            self.rows.push(AutoSignRow::X1);
            return Err(e);
        }
        self.last_now_ms = self.last_now_ms.max(now);
        match self.phase {
            Phase::Validate { .. } => self.on_validate(&answer, now),
            Phase::Sign { .. } => self.on_sign(&answer, now),
            Phase::Reconcile { .. } => self.on_reconcile(&answer, now),
            Phase::Download { .. } => self.on_download(&answer, now),
            Phase::Start | Phase::Done { .. } | Phase::Failed { .. } => {}
        }
        Ok(())
    }

    fn handle_callback(&mut self, _event: &SignCallback, _now: u64) -> Result<(), Error> {
        self.rows.push(AutoSignRow::X3);
        Err(Error::invalid_state(
            "automatic signing has no callbacks; it answers at once",
        ))
    }

    fn after_restore(&mut self) {
        if let Some(id) = self.exchange.outstanding() {
            self.rows.push(AutoSignRow::X4);
            let now = self.last_now_ms;
            let _ = self.handle(id, Err(TransportErrorKind::Other), now);
        }
    }

    fn progress(&self, flow: &str) -> Progress {
        let (state, next) = match &self.phase {
            Phase::Start => ("starting", None),
            Phase::Validate { retry } => ("validating", Some(retry.not_before_ms)),
            Phase::Sign { retry } => ("signing", Some(retry.not_before_ms)),
            Phase::Reconcile { schedule } => ("reconciling", Some(schedule.next_at_ms)),
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
            request_id: self.reconcile_id.clone(),
            requests_sent: self.exchange.sent,
            polls: self.polls,
            next_request_at_ms: if self.exchange.busy() { None } else { next },
            deadline_ms: self.deadline_ms,
            items_done: (!self.items.is_empty()).then(|| count(done)),
            items_total: (!self.items.is_empty()).then(|| count(self.items.len())),
            user_action: None,
        }
    }

    fn config(&self) -> &Config {
        &self.config
    }

    fn take_rows(&mut self) -> Vec<&'static str> {
        std::mem::take(&mut self.rows)
            .into_iter()
            .map(AutoSignRow::as_str)
            .collect()
    }
}

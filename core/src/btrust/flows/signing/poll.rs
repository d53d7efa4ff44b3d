//! Decisions on polls (rows P3–P12) and downloads (D2–D4). A poll result is decided **per
//! item**, because a rejection also arrives as HTTP 200 / `COMPLETED`.

use super::{transport, Engine, Phase};
use crate::blob::Blob;
use crate::btrust::flows::sign::{SignOutcome, SignRow, SignedItem};
use crate::btrust::flows::waiting::{Answer, Retry};
use crate::btrust::operation::Operation;
use crate::btrust::signing::GetSignedContent;
use crate::btrust::signing::{
    GetSignedResult, GetSignedResultByRpCallbackId, SignatureResult, SignedContents,
};
use crate::btrust::signing::{SignatureStatus, SignatureType};
use crate::error::{Error, ItemState};

impl Engine {
    pub(super) fn on_poll(&mut self, answer: Answer, now: u64) {
        let by_rp_id = matches!(self.phase, Phase::Poll { by_rp_id: true, .. });
        match answer {
            Answer::Success(resp) => {
                let parsed = if by_rp_id {
                    GetSignedResultByRpCallbackId::parse(resp)
                } else {
                    GetSignedResult::parse(resp)
                };
                match parsed {
                    Ok(result) => {
                        self.polls = self.polls.saturating_add(1);
                        self.evaluate(result, now);
                    }
                    Err(e) => self.poll_failed(e, now),
                }
            }
            // The service forgets requests after their validity (NOT_FOUND_VALIDITY_EXPIRED).
            Answer::ClientError(Error::Api {
                http_status: 404, ..
            }) if self.past_deadline(now) => {
                let request_id = self.callback_id.clone();
                self.fail(
                    SignRow::P10,
                    Error::Expired {
                        request_id,
                        items: Vec::new(),
                    },
                );
            }
            Answer::ClientError(e) => self.fail(SignRow::P12, e),
            Answer::TooLarge(_) => {
                let error = transport(&answer, "a poll answer exceeded the size limit");
                self.fail(SignRow::P12, error)
            }
            Answer::ServerError(e) => self.poll_failed(e, now),
            Answer::NotSent(_) | Answer::Transport(_) => {
                // Given up on, a broken exchange says how often it broke, with the host's kind.
                let failed = match &self.phase {
                    Phase::Poll { schedule, .. } => schedule.failures + 1,
                    _ => 1,
                };
                let error = transport(&answer, format!("polling failed {failed} times in a row"));
                self.poll_failed(error, now)
            }
        }
    }

    /// Whether `now` is past the deadline by the grace (the service forgets a request after
    /// its validity; a 404 then means it expired).
    fn past_deadline(&self, now: u64) -> bool {
        self.deadline_ms
            .is_some_and(|d| now.saturating_add(self.options.poll.expiry_grace_ms) >= d)
    }

    /// A transient failure: poll again after the retry delay, or give up with `error`.
    fn poll_failed(&mut self, error: Error, now: u64) {
        self.mark(SignRow::P11);
        let Phase::Poll { schedule, .. } = &mut self.phase else {
            return;
        };
        if let Err(error) = schedule.failed(error, now, &self.options.poll, &mut self.jitter) {
            self.phase = Phase::Failed { error };
        }
    }

    /// Decides on a poll result: still pending, or final — by each item's status.
    pub(super) fn evaluate(
        &mut self,
        result: crate::btrust::signing::SignedContentsResponse,
        now: u64,
    ) {
        let items = &result.data.signatures;
        let pending = result.http_status == 206
            || items.is_empty()
            || items.iter().any(|i| i.status.is_pending());
        if pending {
            return self.still_pending(items, now);
        }
        let states = item_states(items);
        let request_id = self.callback_id.clone();
        if items.len() != self.item_count {
            let error = Error::unexpected(
                result.http_status,
                "$.data.signatures",
                &format!(
                    "{} items were requested but the service reported {}",
                    self.item_count,
                    items.len()
                ),
                b"",
            );
            self.fail(SignRow::P9, error);
        } else if items.iter().any(|i| i.status == SignatureStatus::Rejected) {
            self.fail(
                SignRow::P5,
                Error::Rejected {
                    request_id,
                    items: states,
                },
            );
        } else if items.iter().any(|i| i.status == SignatureStatus::Expired) {
            self.fail(
                SignRow::P6,
                Error::Expired {
                    request_id,
                    items: states,
                },
            );
        } else if let Some((index, bad)) = items
            .iter()
            .enumerate()
            .find(|(_, i)| !i.status.is_signed())
        {
            let error = Error::Api {
                http_status: result.http_status,
                code: Some(bad.status.as_str().to_owned()),
                response_code: result.response_code.as_ref().map(|c| c.as_str().to_owned()),
                reason: Some(format!("item #{index} ended with status {}", bad.status)),
            };
            self.fail(SignRow::P7, error);
        } else {
            self.mark(SignRow::P8);
            self.signed(result.data, result.http_status);
        }
    }

    fn still_pending(&mut self, items: &[SignatureResult], now: u64) {
        let woken = std::mem::take(&mut self.woken);
        let request_id = self.callback_id.clone();
        let Phase::Poll { schedule, .. } = &mut self.phase else {
            return;
        };
        if schedule.final_poll {
            let items = item_states(items);
            return self.fail(SignRow::P4, Error::Expired { request_id, items });
        }
        self.rows.push(SignRow::P3);
        schedule.pending(now, &self.options.poll, &mut self.jitter);
        if woken {
            schedule.wake(now);
        }
    }

    fn signed(&mut self, data: SignedContents, status: u16) {
        let mut items = Vec::with_capacity(data.signatures.len());
        for (index, s) in data.signatures.into_iter().enumerate() {
            let raw_signature = s.signature_type == Some(SignatureType::Signature);
            let mut item = SignedItem {
                index: crate::flow::count(index),
                status: s.status,
                signature_type: s.signature_type,
                content_id: None,
                signature: None,
                document: None,
            };
            let unusable = |reason: &str| {
                Error::unexpected(
                    status,
                    format!("$.data.signatures[{index}].signature"),
                    reason,
                    b"",
                )
            };
            match (s.signature, raw_signature) {
                (Some(sig), true) => match crate::blob::decode_base64_lenient(sig.as_bytes()) {
                    Some(bytes) => item.signature = Some(Blob::from(bytes)),
                    None => {
                        self.phase = Phase::Failed {
                            error: unusable("a SIGNATURE value is not base64"),
                        };
                        return;
                    }
                },
                (Some(id), false) if !id.is_empty() => item.content_id = Some(id),
                _ => {
                    self.phase = Phase::Failed {
                        error: unusable("a signed item has no signature or content id"),
                    };
                    return;
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
                retry: Retry::now(),
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
    pub(super) fn finish_downloads_if_complete(&mut self) {
        let Phase::Download { items, next, .. } = &mut self.phase else {
            return;
        };
        while *next < items.len()
            && (items[*next].content_id.is_none() || items[*next].document.is_some())
        {
            *next += 1;
        }
        if *next >= items.len() {
            let (items, cert) = (std::mem::take(items), self.take_cert());
            self.phase = Phase::Done {
                outcome: self.outcome(items, cert),
            };
        }
    }

    fn take_cert(&mut self) -> Option<Blob> {
        match &mut self.phase {
            Phase::Download { cert, .. } => cert.take(),
            _ => None,
        }
    }

    pub(super) fn on_download(&mut self, answer: Answer, now: u64) {
        match answer {
            Answer::Success(resp) => match GetSignedContent::parse(resp) {
                Ok(file) => {
                    self.mark(SignRow::D2);
                    if let Phase::Download {
                        items, next, retry, ..
                    } = &mut self.phase
                    {
                        items[*next].document = Some(file);
                        *next += 1;
                        // Only the failure count restarts: the next document is due at once.
                        retry.failures = 0;
                    }
                    self.finish_downloads_if_complete();
                }
                // A garbled answer to an idempotent GET: ask again (bounded).
                Err(e) => self.download_failed(e, now),
            },
            Answer::ServerError(e) => self.download_failed(e, now),
            Answer::ClientError(e) => self.fail(SignRow::D4, e),
            Answer::TooLarge(_) => {
                let error = transport(
                    &answer,
                    "a signed document exceeded the download limit (config.limits.maxDownloadBytes)",
                );
                self.fail(SignRow::D4, error)
            }
            Answer::NotSent(_) | Answer::Transport(_) => {
                let failed = match &self.phase {
                    Phase::Download { retry, .. } => retry.failures + 1,
                    _ => 1,
                };
                let error = transport(
                    &answer,
                    format!("downloading a signed document failed {failed} times in a row"),
                );
                self.download_failed(error, now)
            }
        }
    }

    /// A transient failure: download again after the retry delay, or give up with `error`.
    fn download_failed(&mut self, error: Error, now: u64) {
        self.mark(SignRow::D3);
        let Phase::Download { retry, .. } = &mut self.phase else {
            return;
        };
        if !retry.failed(now, &self.options.poll, &mut self.jitter) {
            self.phase = Phase::Failed { error };
        }
    }
}

/// Each item's status, for an error that reports them (`rejected`, `expired`).
fn item_states(items: &[SignatureResult]) -> Vec<ItemState> {
    items
        .iter()
        .enumerate()
        .map(|(index, i)| ItemState {
            index: crate::flow::count(index),
            status: i.status.as_str().to_owned(),
        })
        .collect()
}

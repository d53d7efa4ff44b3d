//! The waiting machinery every flow shares: sorting an answer into what a flow decides on
//! ([`classify`]), the poll schedule ([`Schedule`]: backoff, bounded retries, the final poll
//! at the deadline), and the retry of a one-off request ([`Retry`]: a create, a lookup, a
//! download). Flows decide *what* an answer means; how long to wait is decided only here, so
//! every flow backs off and gives up the same way.
//!
//! Snapshots keep the fields the flows wrote before they shared this code, so stored
//! snapshots keep restoring: [`Retry`] is flattened into the phases (`notBeforeMs`,
//! `failures`), and so is the signing flows' [`Schedule`] (`nextAtMs`, `intervalMs`,
//! `failures`, `finalPoll`); the identification flows always kept it under `schedule`.

use crate::btrust::envelope::error_for_status;
use crate::error::{Error, TransportErrorKind};
use crate::flow::{grow_interval, retry_delay, Jitter, PollPolicy};
use crate::http::HttpResponse;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// An answer, sorted.
#[derive(Debug)]
pub(crate) enum Answer {
    /// 2xx: parse it.
    Success(HttpResponse),
    /// 4xx (or 1xx/3xx): definite.
    ClientError(Error),
    /// 5xx: the service failed; it may have acted.
    ServerError(Error),
    /// Nothing reached the service (connect/TLS).
    NotSent(TransportErrorKind),
    /// The exchange broke after sending; it may have been processed.
    Transport(Error),
    /// The answer exceeded the size limit.
    TooLarge(Error),
}

impl Answer {
    /// The transport error kind, for the variants that are one: flows word their own
    /// transport errors ("polling failed …") and keep the host's kind.
    pub fn transport_kind(&self) -> Option<TransportErrorKind> {
        match self {
            Answer::NotSent(kind) => Some(*kind),
            Answer::Transport(Error::Transport { kind, .. })
            | Answer::TooLarge(Error::Transport { kind, .. }) => Some(*kind),
            Answer::Transport(_) | Answer::TooLarge(_) => Some(TransportErrorKind::Other),
            Answer::Success(_) | Answer::ClientError(_) | Answer::ServerError(_) => None,
        }
    }
}

/// Sorts a response or a transport error.
pub(crate) fn classify(r: Result<HttpResponse, TransportErrorKind>) -> Answer {
    match r {
        Ok(resp) if (200..300).contains(&resp.status) => Answer::Success(resp),
        Ok(resp) if resp.status >= 500 => Answer::ServerError(error_for_status(&resp)),
        Ok(resp) => Answer::ClientError(error_for_status(&resp)),
        Err(TransportErrorKind::TooLarge) => Answer::TooLarge(Error::Transport {
            kind: TransportErrorKind::TooLarge,
            detail: "the answer exceeded the size limit".into(),
        }),
        Err(kind) if !kind.may_have_been_processed() => Answer::NotSent(kind),
        Err(kind) => Answer::Transport(Error::Transport {
            kind,
            detail: "the exchange broke".into(),
        }),
    }
}

/// When to poll next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Schedule {
    pub next_at_ms: u64,
    pub interval_ms: u64,
    pub failures: u32,
    pub final_poll: bool,
}

impl Schedule {
    pub fn first(at: u64, interval_ms: u64) -> Self {
        Schedule {
            next_at_ms: at,
            interval_ms,
            failures: 0,
            final_poll: false,
        }
    }

    /// `Some(until)` to wait, `None` to poll now (past the deadline: the final poll).
    pub fn due(&mut self, now: u64, deadline: Option<u64>) -> Option<u64> {
        let deadline = deadline.unwrap_or(u64::MAX);
        if now >= deadline {
            self.final_poll = true;
            None
        } else if now < self.next_at_ms {
            Some(self.next_at_ms.min(deadline))
        } else {
            None
        }
    }

    /// A poll found the request pending: back off.
    pub fn pending(&mut self, now: u64, p: &PollPolicy, jitter: &mut Jitter) {
        self.failures = 0;
        self.next_at_ms = now.saturating_add(jitter.spread(self.interval_ms, p.jitter_ratio));
        self.interval_ms = grow_interval(p, self.interval_ms);
    }

    /// Poll now (a callback arrived).
    pub fn wake(&mut self, now: u64) {
        self.next_at_ms = self.next_at_ms.min(now);
    }

    /// A transient failure: retry later, or give up with `error` after too many.
    pub fn failed(
        &mut self,
        error: Error,
        now: u64,
        p: &PollPolicy,
        jitter: &mut Jitter,
    ) -> Result<(), Error> {
        self.failures = self.failures.saturating_add(1);
        if self.failures >= p.max_consecutive_failures {
            return Err(error);
        }
        self.next_at_ms = now.saturating_add(retry_delay(p, self.failures, jitter));
        Ok(())
    }
}

/// When a one-off request may be sent (again), and how many times in a row it failed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Retry {
    pub not_before_ms: u64,
    pub failures: u32,
}

impl Retry {
    /// Send at once.
    pub fn now() -> Self {
        Retry::default()
    }

    /// Send at `at` (no failure yet: a first attempt that must wait, like a lookup).
    pub fn at(at: u64) -> Self {
        Retry {
            not_before_ms: at,
            failures: 0,
        }
    }

    /// `Some(until)` to wait, `None` to send now.
    pub fn due(&self, now: u64) -> Option<u64> {
        (now < self.not_before_ms).then_some(self.not_before_ms)
    }

    /// A transient failure: `true` to try again after the retry delay, `false` to give up
    /// (after `maxConsecutiveFailures` in a row). The same rule as [`Schedule::failed`].
    pub fn failed(&mut self, now: u64, p: &PollPolicy, jitter: &mut Jitter) -> bool {
        self.failures = self.failures.saturating_add(1);
        if self.failures >= p.max_consecutive_failures {
            return false;
        }
        self.not_before_ms = now.saturating_add(retry_delay(p, self.failures, jitter));
        true
    }
}

/// The deadline of a request the service accepted: its `validity` plus grace, never before
/// the first poll; without a readable validity, `defaultValidityMs` plus grace from now.
pub(crate) fn deadline(validity: Option<&Timestamp>, now: u64, first: u64, p: &PollPolicy) -> u64 {
    match validity.and_then(Timestamp::epoch_ms) {
        Some(ms) if ms > 0 => (ms as u64).saturating_add(p.expiry_grace_ms).max(first),
        _ => now
            .saturating_add(p.default_validity_ms)
            .saturating_add(p.expiry_grace_ms),
    }
}

/// The error of an ambiguous failure of a create that has no lookup: the request may exist,
/// and it is not sent again, so the person is not prompted twice.
pub(crate) fn unknown_outcome(cause: &str) -> Error {
    Error::Transport {
        kind: TransportErrorKind::Other,
        detail: format!(
            "the request may have been created, and the service offers no way to look it up; it was not sent again so the person is not prompted twice ({})",
            crate::json::scrub(cause, 160)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A poll and a one-off request give up after the same number of failures, with the
    /// same delays: the flows differ in what an answer means, never in how long they wait.
    #[test]
    fn polls_and_one_off_requests_retry_alike() {
        let p = PollPolicy {
            jitter_ratio: 0.0,
            ..PollPolicy::default()
        };
        let (mut j1, mut j2) = (Jitter::new(1), Jitter::new(1));
        let mut schedule = Schedule::first(0, p.interval_ms);
        let mut retry = Retry::now();
        for n in 1..=p.max_consecutive_failures {
            let now = 1_000 * u64::from(n);
            let polled = schedule.failed(Error::invalid_state("x"), now, &p, &mut j1);
            let retried = retry.failed(now, &p, &mut j2);
            assert_eq!(polled.is_ok(), retried, "failure {n}");
            if retried {
                assert_eq!(schedule.next_at_ms, retry.not_before_ms);
                assert_eq!(retry.due(now), Some(retry.not_before_ms));
                assert_eq!(retry.due(retry.not_before_ms), None);
            }
        }
        assert_eq!(retry.failures, p.max_consecutive_failures);
    }
}

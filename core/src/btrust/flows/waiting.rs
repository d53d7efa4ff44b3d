//! Pieces shared by the identification flows: sorting an answer into what a flow decides on,
//! and the poll schedule (backoff, bounded retries, the final poll at the deadline).

use crate::btrust::envelope::error_for_status;
use crate::error::{Error, TransportErrorKind};
use crate::flow::{grow_interval, retry_delay, Jitter, PollPolicy};
use crate::http::HttpResponse;
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
        self.next_at_ms = now + jitter.spread(self.interval_ms, p.jitter_ratio);
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
        self.failures += 1;
        if self.failures >= p.max_consecutive_failures {
            return Err(error);
        }
        self.next_at_ms = now + retry_delay(p, self.failures, jitter);
        Ok(())
    }
}

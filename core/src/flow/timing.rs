//! The one outstanding request ([`Exchange`]) and the timing of retries and polls: seeded
//! jitter, retry delays, growing intervals.

use super::{Outgoing, PollPolicy};
use crate::error::Error;
use crate::http::HttpRequest;
use serde::{Deserialize, Serialize};

/// Tracks the one outstanding request and hands out ids.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Exchange {
    next_id: u64,
    in_flight: Option<u64>,
    /// Requests handed out so far.
    pub sent: u32,
}

impl Exchange {
    /// Hands out a request under a fresh id and marks it outstanding.
    pub fn issue(&mut self, request: HttpRequest) -> Outgoing {
        self.next_id = self.next_id.wrapping_add(1);
        self.in_flight = Some(self.next_id);
        self.sent = self.sent.saturating_add(1);
        Outgoing {
            id: self.next_id,
            request,
        }
    }

    /// Whether a request is outstanding.
    pub fn busy(&self) -> bool {
        self.in_flight.is_some()
    }

    /// The outstanding id, if any.
    pub fn outstanding(&self) -> Option<u64> {
        self.in_flight
    }

    /// Accepts the answer to `id`, or reports a contract violation without changing anything.
    pub fn accept(&mut self, id: u64) -> Result<(), Error> {
        match self.in_flight {
            Some(expected) if expected == id => {
                self.in_flight = None;
                Ok(())
            }
            Some(expected) => Err(Error::invalid_state(format!(
                "an answer was reported for request {id}, but the outstanding request is {expected}"
            ))),
            None => Err(Error::invalid_state(format!(
                "an answer was reported for request {id}, but no request is outstanding"
            ))),
        }
    }
}

/// Deterministic jitter from the host's seed (splitmix64): no randomness source in the core.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Jitter {
    state: u64,
}

impl Jitter {
    /// Starts from the host's seed.
    pub fn new(seed: u64) -> Self {
        Jitter { state: seed }
    }

    /// The next raw value (splitmix64).
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// The next value in [0, 1).
    pub fn next_unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `base_ms` spread by ±`ratio`.
    pub fn spread(&mut self, base_ms: u64, ratio: f64) -> u64 {
        let ratio = if ratio.is_finite() {
            ratio.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let factor = 1.0 + ratio * (2.0 * self.next_unit() - 1.0);
        (base_ms as f64 * factor).round().max(0.0) as u64
    }
}

/// The delay before attempt `failures + 1` after `failures` transient failures in a row.
pub fn retry_delay(policy: &PollPolicy, failures: u32, jitter: &mut Jitter) -> u64 {
    let exp = failures.saturating_sub(1).min(16);
    let base = policy
        .retry_delay_ms
        .saturating_mul(1u64 << exp)
        .min(policy.max_interval_ms.max(policy.retry_delay_ms));
    jitter.spread(base, policy.jitter_ratio)
}

/// The next polling interval after one that found the request pending.
pub fn grow_interval(policy: &PollPolicy, current_ms: u64) -> u64 {
    let factor = if policy.backoff_factor.is_finite() && policy.backoff_factor >= 1.0 {
        policy.backoff_factor
    } else {
        1.0
    };
    ((current_ms as f64 * factor) as u64).min(policy.max_interval_ms.max(policy.interval_ms))
}

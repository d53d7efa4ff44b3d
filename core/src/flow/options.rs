//! Options every flow accepts: poll timing, download, and the host's entropy from which the
//! core derives ids and the jitter seed.

use super::Jitter;
use serde::{Deserialize, Serialize};

/// Timing of polls and retries. Defaults follow what peers do with B-Trust (2–5 s polls).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct PollPolicy {
    /// Delay between acceptance and the first poll.
    pub first_poll_after_ms: u64,
    /// Delay between polls at first.
    pub interval_ms: u64,
    /// The delay between polls never grows beyond this.
    pub max_interval_ms: u64,
    /// Each poll that finds the request still pending multiplies the delay by this.
    pub backoff_factor: f64,
    /// Each delay is spread by up to ±this fraction (0.2 = ±20 %), from the host's seed.
    pub jitter_ratio: f64,
    /// First delay after a transient failure (5xx, timeout); doubles per failure.
    pub retry_delay_ms: u64,
    /// After this many transient failures in a row the flow fails.
    pub max_consecutive_failures: u32,
    /// Polling goes on this long past the service's `validity` to absorb clock skew.
    pub expiry_grace_ms: u64,
    /// Deadline used when the service gave no readable `validity`.
    pub default_validity_ms: u64,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            first_poll_after_ms: 2_000,
            interval_ms: 2_000,
            max_interval_ms: 15_000,
            backoff_factor: 1.5,
            jitter_ratio: 0.2,
            retry_delay_ms: 1_000,
            max_consecutive_failures: 5,
            expiry_grace_ms: 30_000,
            default_validity_ms: 15 * 60_000,
        }
    }
}

/// Options every flow accepts.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct FlowOptions {
    /// Poll and retry timing.
    pub poll: PollPolicy,
    /// Seed of the backoff jitter. 0 (the default) derives it from [`FlowOptions::entropy`];
    /// set it only to replay a flow exactly (test vectors).
    pub jitter_seed: u64,
    /// At least 16 random bytes from the host's secure random source, handed over once per
    /// flow. The core derives from them everything a flow needs to be unique: the
    /// `relyingPartyCallbackId` of a sign request that has none (a UUID v4), and the jitter
    /// seed. Hosts never generate ids or seeds themselves.
    #[cfg_attr(feature = "schema", schemars(extend("x-cqes-secret" = true)))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entropy: Option<crate::Blob>,
    /// Whether to download signed documents at the end (default true).
    pub download: bool,
}

impl Default for FlowOptions {
    fn default() -> Self {
        FlowOptions {
            poll: PollPolicy::default(),
            jitter_seed: 0,
            entropy: None,
            download: true,
        }
    }
}

impl FlowOptions {
    /// The host's entropy, when it gave at least 16 bytes.
    fn entropy16(&self) -> Option<[u8; 16]> {
        self.entropy
            .as_ref()
            .and_then(|b| b.as_ref().get(..16))
            .and_then(|b| <[u8; 16]>::try_from(b).ok())
    }

    /// These options as a flow keeps them: the entropy is spent once the flow has derived its
    /// id and seed, so it never reaches a snapshot.
    pub fn without_entropy(mut self) -> Self {
        self.entropy = None;
        self
    }

    /// The jitter seed: [`FlowOptions::jitter_seed`] when set, else mixed from the entropy
    /// (0 when neither is given: no jitter spread between hosts, but still correct).
    pub fn effective_jitter_seed(&self) -> u64 {
        if self.jitter_seed != 0 {
            return self.jitter_seed;
        }
        self.entropy16().map_or(0, |e| {
            let (hi, lo) = e.split_at(8);
            let word = |b: &[u8]| b.iter().fold(0u64, |acc, &x| acc << 8 | u64::from(x));
            // Mixed rather than the id's bytes as they are; jitter needs no secrecy.
            Jitter::new(word(hi) ^ word(lo).rotate_left(29)).next_u64()
        })
    }

    /// A new `relyingPartyCallbackId` (UUID v4, RFC 9562 §5.4) from the host's entropy, or
    /// `None` when the host gave none.
    pub fn new_rp_callback_id(&self) -> Option<String> {
        let mut b = self.entropy16()?;
        b[6] = (b[6] & 0x0f) | 0x40; // version 4
        b[8] = (b[8] & 0x3f) | 0x80; // RFC 9562 variant
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        Some(format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        ))
    }
}

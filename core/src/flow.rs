//! The call contract shared by every multi-step flow.
//!
//! A flow is a serialisable state machine. The host drives it with four calls and moves the
//! bytes itself:
//!
//! ```text
//! loop {
//!     match flow.next(now) {
//!         Step::Send(out)        => match host.send(out.request) {      // exactly once
//!             Ok(resp)  => flow.handle_response(out.id, resp, now)?,
//!             Err(kind) => flow.handle_transport_error(out.id, kind, now)?,
//!         },
//!         Step::Wait { until_ms } => sleep until `until_ms` (or until a callback arrives,
//!                                    then `flow.handle_callback(event, now)`),
//!         Step::Done(outcome)    => break Ok(outcome),
//!         Step::Failed(error)    => break Err(error),
//!     }
//! }
//! ```
//!
//! Rules (quinn-proto style, "call X after Y"):
//! - [`Step::Send`] hands out at most **one** request at a time. Until its answer is reported
//!   through `handle_response` or `handle_transport_error` with the same id, `next` returns
//!   `Wait { until_ms: None }`.
//! - Reporting an id that is not outstanding is a host bug: the call returns
//!   [`Error::InvalidState`] and the flow is unchanged. Server faults never produce it.
//! - Time only enters as `now_ms` (milliseconds on any monotonic or wall clock, as long as it
//!   is the same clock as the deadlines the flow derives from the service's `validity`, i.e.
//!   Unix epoch milliseconds).
//! - Retries, backoff, polling and reconciliation are decided here; hosts never retry.
//!   Backoff jitter comes from [`FlowOptions::jitter_seed`], supplied by the host, so the
//!   core holds no source of randomness and a vector can replay a flow exactly.
//! - `snapshot` returns versioned JSON; `restore` rebuilds the flow in another process. A
//!   request that was in flight at snapshot time is treated as lost: idempotent requests are
//!   sent again, non-idempotent ones are reconciled first.
//! - `Done` and `Failed` are final: `next` keeps returning them.

use crate::error::{Error, TransportErrorKind};
use crate::http::HttpRequest;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Version of the snapshot format written by [`snapshot`].
pub const SNAPSHOT_VERSION: u32 = 1;

/// A request for the host to send, with the id to report its answer under.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outgoing {
    /// Id to pass to `handle_response` / `handle_transport_error`.
    pub id: u64,
    /// The request, complete.
    pub request: HttpRequest,
}

/// Declares a step enum: the generic [`Step`] of typed flows, and concrete ones (one per
/// outcome type) for hosts whose FFI has no generics (`FlowStep` in the registry). One
/// definition of the variants for both.
#[macro_export]
macro_rules! declare_step {
    ($(#[$meta:meta])* $name:ident $(<$t:ident>)?, $done:ty) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        #[serde(
            tag = "step",
            rename_all = "snake_case",
            rename_all_fields = "camelCase"
        )]
        pub enum $name $(<$t>)? {
            /// Send this request once and report its answer.
            Send($crate::flow::Outgoing),
            /// Nothing to send before `until_ms` (epoch ms); `None` means "waiting for the
            /// answer to the outstanding request". A callback may arrive earlier: pass it to
            /// `handle_callback` and call `next` again.
            Wait {
                /// When to call `next` again.
                until_ms: Option<u64>,
            },
            /// The flow finished successfully.
            Done($done),
            /// The flow ended with an error.
            Failed($crate::Error),
        }
    };
}

declare_step!(
    /// What the host should do next.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(serde::Deserialize)]
    Step<T>,
    T
);

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

/// Something the end user must be shown before the flow can go on.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "action",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum UserAction {
    /// Show a QR code for the user to scan with the provider's mobile app.
    ShowQr {
        /// The link encoded in the QR code, when the service returned it.
        qr_plain: Option<String>,
        /// The QR image, when the service rendered one.
        qr_image: Option<crate::Blob>,
    },
    /// Send the user's browser to this URL.
    OpenUrl {
        /// The URL.
        url: String,
    },
}

/// A flow's state for progress displays and logs; contains no personal data.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Flow name, e.g. `btrust.sign`.
    pub flow: String,
    /// State name, e.g. `submitting`, `polling`, `downloading`, `done`, `failed`.
    pub state: String,
    /// The service's id of the request, once known.
    pub request_id: Option<String>,
    /// Requests handed out so far.
    pub requests_sent: u32,
    /// Polls answered so far.
    pub polls: u32,
    /// When `next` will hand out the next request, if waiting on time.
    pub next_request_at_ms: Option<u64>,
    /// When the flow gives up waiting for the user.
    pub deadline_ms: Option<u64>,
    /// Items finished / total (documents signed or downloaded), when meaningful.
    pub items_done: Option<u32>,
    /// Total items.
    pub items_total: Option<u32>,
    /// What the user must be shown now, if anything.
    pub user_action: Option<UserAction>,
}

/// A count or position as the `u32` hosts receive (FFIs have no `usize`); saturates, which no
/// real request reaches.
pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The contract every flow implements; see the module documentation.
pub trait Flow {
    /// What a successful flow returns.
    type Outcome;
    /// The provider's callback event type.
    type Callback;

    /// What to do next. Call it first, after every `handle_*`, and whenever a `Wait` ends.
    fn next(&mut self, now_ms: u64) -> Step<Self::Outcome>;
    /// Reports the response to the outstanding request `id`.
    fn handle_response(
        &mut self,
        id: u64,
        response: crate::HttpResponse,
        now_ms: u64,
    ) -> Result<(), Error>;
    /// Reports that the outstanding request `id` could not be completed.
    fn handle_transport_error(
        &mut self,
        id: u64,
        kind: TransportErrorKind,
        now_ms: u64,
    ) -> Result<(), Error>;
    /// Reports a callback the service POSTed to the relying party. Callbacks only wake the
    /// flow up; results are always confirmed by polling.
    fn handle_callback(&mut self, event: &Self::Callback, now_ms: u64) -> Result<(), Error>;
    /// The whole state as versioned JSON.
    fn snapshot(&self) -> String;
    /// Progress for display.
    fn progress(&self) -> Progress;
}

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
        self.next_id += 1;
        self.in_flight = Some(self.next_id);
        self.sent += 1;
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

#[derive(Serialize)]
struct SnapshotOut<'a, S> {
    version: u32,
    flow: &'a str,
    state: &'a S,
}

#[derive(Deserialize)]
struct SnapshotIn<S> {
    version: u32,
    flow: String,
    state: S,
}

/// Writes a flow's state as versioned JSON (byte strings as base64).
pub fn snapshot<S: Serialize>(flow: &str, state: &S) -> String {
    crate::json::to_string(&SnapshotOut {
        version: SNAPSHOT_VERSION,
        flow,
        state,
    })
    // Flow states hold only serialisable data; a failure here is a bug in the core, and
    // an empty snapshot is refused by `restore` rather than panicking across FFI.
    .unwrap_or_default()
}

/// Reads a snapshot written by [`snapshot`] for the flow named `flow`.
pub fn restore<S: DeserializeOwned>(flow: &str, text: &str) -> Result<S, Error> {
    let header: serde_json::Value =
        serde_json::from_str(text).map_err(|_| Error::invalid_state("the snapshot is not JSON"))?;
    let version = header.get("version").and_then(|v| v.as_u64());
    if version != Some(SNAPSHOT_VERSION as u64) {
        return Err(Error::invalid_state(format!(
            "snapshot version {version:?} is not supported (this build reads version {SNAPSHOT_VERSION})"
        )));
    }
    let parsed: SnapshotIn<S> = serde_json::from_value(header).map_err(|e| {
        Error::invalid_state(format!(
            "the snapshot is corrupt: {}",
            crate::json::scrub(&e.to_string(), 160)
        ))
    })?;
    if parsed.flow != flow || parsed.version != SNAPSHOT_VERSION {
        return Err(Error::invalid_state(format!(
            "the snapshot belongs to flow {:?}, not {flow:?}",
            parsed.flow
        )));
    }
    Ok(parsed.state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_is_deterministic_and_bounded() {
        let mut a = Jitter::new(42);
        let mut b = Jitter::new(42);
        for _ in 0..1000 {
            let x = a.spread(1000, 0.2);
            assert_eq!(x, b.spread(1000, 0.2));
            assert!((800..=1200).contains(&x));
        }
    }

    #[test]
    fn entropy_gives_a_uuid_v4_and_a_seed_and_is_spent() {
        let opts = FlowOptions {
            entropy: Some(crate::Blob::from((0u8..16).collect::<Vec<u8>>())),
            ..FlowOptions::default()
        };
        let id = opts.new_rp_callback_id().unwrap();
        assert_eq!(id, "00010203-0405-4607-8809-0a0b0c0d0e0f");
        assert_ne!(opts.effective_jitter_seed(), 0);
        let explicit = FlowOptions {
            jitter_seed: 9,
            ..opts.clone()
        };
        assert_eq!(explicit.effective_jitter_seed(), 9);
        assert_eq!(opts.without_entropy().entropy, None);
        let short = FlowOptions {
            entropy: Some(crate::Blob::from(vec![1u8; 8])),
            ..FlowOptions::default()
        };
        assert_eq!(short.new_rp_callback_id(), None);
        assert_eq!(FlowOptions::default().effective_jitter_seed(), 0);
    }

    #[test]
    fn wrong_ids_are_refused_without_change() {
        let mut ex = Exchange::default();
        assert!(ex.accept(1).is_err());
        let cfg = crate::btrust::Config::new(crate::btrust::Environment::Uat, "1");
        let req = crate::btrust::registry::build_request(
            "btrust.getSignedResult",
            &cfg,
            &serde_json::json!({"callbackId": "x"}),
        )
        .unwrap();
        let out = ex.issue(req);
        assert_eq!(
            ex.accept(out.id + 1).map_err(|e| e.code()),
            Err("invalid_state")
        );
        assert!(ex.busy());
        assert!(ex.accept(out.id).is_ok());
        assert!(!ex.busy());
    }
}

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

mod options;
mod snapshot;
mod timing;

pub use options::{FlowOptions, PollPolicy};
pub use snapshot::{restore, snapshot, SNAPSHOT_VERSION};
pub use timing::{grow_interval, retry_delay, Exchange, Jitter};

use crate::error::{Error, TransportErrorKind};
use crate::http::HttpRequest;
use serde::{Deserialize, Serialize};

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

/// Something the end user must be shown before the flow can go on.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize)]
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

/// Every member of either [`UserAction`].
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserActionFields {
    qr_plain: Option<String>,
    qr_image: Option<crate::Blob>,
    url: Option<String>,
}

/// Read without serde's buffer for tagged enums (see [`crate::de::Tagged`]).
impl crate::de::Tagged for UserAction {
    const TAG: &'static str = "action";
    const VARIANTS: &'static [&'static str] = &["show_qr", "open_url"];

    fn variant<'de, D: serde::Deserializer<'de>>(tag: &str, rest: D) -> Result<Self, D::Error> {
        let f = UserActionFields::deserialize(rest)?;
        Ok(match tag {
            "show_qr" => UserAction::ShowQr {
                qr_plain: f.qr_plain,
                qr_image: f.qr_image,
            },
            _ => UserAction::OpenUrl {
                url: f
                    .url
                    .ok_or_else(|| serde::de::Error::missing_field("url"))?,
            },
        })
    }
}

impl<'de> Deserialize<'de> for UserAction {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::de::deserialize_tagged(d)
    }
}

/// A variant added to [`UserAction`] stops the build here until its reader knows it.
#[allow(dead_code)]
fn read_back_knows_every_variant(a: &UserAction) {
    match a {
        UserAction::ShowQr { .. } | UserAction::OpenUrl { .. } => {}
    }
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

#[cfg(test)]
mod tests {

    #[test]
    fn user_actions_read_back_from_their_json() {
        for a in [
            UserAction::ShowQr {
                qr_plain: Some("https://q".into()),
                qr_image: Some(crate::Blob::from(vec![1, 2, 3])),
            },
            UserAction::ShowQr {
                qr_plain: None,
                qr_image: None,
            },
            UserAction::OpenUrl {
                url: "https://u".into(),
            },
        ] {
            let text = crate::json::to_vec(&a).expect("serialise");
            let back: UserAction = serde_json::from_slice(&text).expect("read back");
            assert_eq!(back, a);
        }
        assert!(serde_json::from_slice::<UserAction>(br#"{"action":"open_url"}"#).is_err());
    }

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

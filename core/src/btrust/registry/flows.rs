//! [`AnyFlow`]: every B-Trust flow behind one type, driven by name. Generated from the one
//! list in [`crate::btrust_flows`], so a new flow needs no code here.

use super::deserialize_input;
use super::unknown;
use crate::btrust::config::Config;
use crate::btrust::flows::*;
use crate::btrust::identification::parse_identification_callback;
use crate::btrust::signing::parse_sign_callback;
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Flow, FlowOptions, Progress, Step};
use crate::http::HttpResponse;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt::Display;

/// What a host needs to know about a flow to offer it: its name, its method stem and which
/// callback body it accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FlowInfo {
    /// Stable name, e.g. `btrust.sign`.
    pub name: &'static str,
    /// Host-side method stem in snake_case, e.g. `sign_via_qr` (hosts convert the case and
    /// add `start_` / `resume_`).
    pub method: &'static str,
    /// The callback kind the flow accepts: `sign` or `identification`.
    pub callback: &'static str,
}

fn sign_callback<F: Flow<Callback = crate::btrust::signing::SignCallback>>(
    flow: &mut F,
    _config: &Config,
    body: &[u8],
    now_ms: u64,
) -> Result<(), Error> {
    flow.handle_callback(&parse_sign_callback(body)?, now_ms)
}

fn identification_callback<
    F: Flow<Callback = crate::btrust::identification::IdentificationCallback>,
>(
    flow: &mut F,
    config: &Config,
    body: &[u8],
    now_ms: u64,
) -> Result<(), Error> {
    flow.handle_callback(&parse_identification_callback(config, body)?, now_ms)
}

crate::declare_step!(
    /// What the host should do next, for any flow: [`Step`] with [`FlowOutcome`].
    #[crate::model]
    FlowStep,
    FlowOutcome
);

fn map_step<T>(step: Step<T>, f: impl FnOnce(T) -> FlowOutcome) -> FlowStep {
    match step {
        Step::Send(o) => FlowStep::Send(o),
        Step::Wait { until_ms } => FlowStep::Wait { until_ms },
        Step::Done(outcome) => FlowStep::Done(f(outcome)),
        Step::Failed(e) => FlowStep::Failed(e),
    }
}

macro_rules! registry_flows {
    ($( $variant:ident: $flow:ident, $input:ident, $outcome:ident, $cb:ident, $method:literal; )*) => {
        /// Names of every flow.
        pub const FLOWS: &[&str] = &[$($flow::NAME),*];

        /// Every flow's name, method stem and callback kind.
        pub const FLOW_INFO: &[FlowInfo] = &[$(FlowInfo {
            name: $flow::NAME,
            method: $method,
            callback: stringify!($cb),
        }),*];

        /// What any flow can end with: one variant per flow, serialised as the flow's own
        /// outcome (untagged).
        #[crate::model]
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(untagged)]
        pub enum FlowOutcome {
            $(
                /// The outcome of the flow of the same name.
                $variant($outcome),
            )*
        }

        /// Any B-Trust flow, driven by name.
        #[derive(Clone, Debug, PartialEq)]
        pub enum AnyFlow {
            $(
                /// The flow of the same name.
                $variant($flow),
            )*
        }

        impl AnyFlow {
            /// Starts flow `name` with an input in any serde format.
            pub fn start<'de, D>(
                name: &str,
                config: Config,
                input: D,
                options: FlowOptions,
            ) -> Result<Self, Error>
            where
                D: Deserializer<'de>,
                D::Error: Display,
            {
                $( if name == $flow::NAME {
                    let input: $input = deserialize_input(input)?;
                    return $flow::new(config, input, options).map(AnyFlow::$variant);
                } )*
                Err(unknown("flow", name))
            }

            /// [`AnyFlow::start`] with an input given as JSON text (see
            /// [`super::input_from_json`]).
            pub fn start_json(
                name: &str,
                config: Config,
                input: &[u8],
                options: FlowOptions,
            ) -> Result<Self, Error> {
                $( if name == $flow::NAME {
                    let input: $input = super::input_from_json(input)?;
                    return $flow::new(config, input, options).map(AnyFlow::$variant);
                } )*
                Err(unknown("flow", name))
            }

            /// Rebuilds whichever flow wrote `snapshot`.
            pub fn restore(snapshot: &str) -> Result<Self, Error> {
                #[derive(Deserialize)]
                struct Head {
                    flow: String,
                }
                let head: Head = serde_json::from_slice(snapshot.as_bytes())
                    .map_err(|_| Error::invalid_state("the snapshot is not a flow snapshot"))?;
                $( if head.flow == $flow::NAME {
                    return $flow::restore(snapshot).map(AnyFlow::$variant);
                } )*
                // The name comes from the snapshot, which may hold anything: scrubbed.
                Err(unknown("flow", &crate::json::scrub(&head.flow, 60)))
            }

            /// The flow's name.
            pub fn name(&self) -> &'static str {
                match self { $( AnyFlow::$variant(_) => $flow::NAME, )* }
            }

            /// The rows of this flow's transition table.
            pub fn table(&self) -> &'static [&'static str] {
                match self { $( AnyFlow::$variant(_) => $flow::TABLE, )* }
            }

            /// See [`Flow::next`].
            pub fn next(&mut self, now_ms: u64) -> FlowStep {
                match self { $( AnyFlow::$variant(f) => map_step(f.next(now_ms), FlowOutcome::$variant), )* }
            }

            /// Parses a callback body as this flow's callback type (identification callbacks
            /// are checked against the flow's own relying party) and hands it to the flow.
            pub fn handle_callback_body(&mut self, body: &[u8], now_ms: u64) -> Result<(), Error> {
                let config = self.config().clone();
                match self {
                    $( AnyFlow::$variant(f) => paste_callback!($cb)(f, &config, body, now_ms), )*
                }
            }
        }

        macro_rules! each_flow {
            ($self:expr, $f:ident => $body:expr) => {
                match $self { $( AnyFlow::$variant($f) => $body, )* }
            };
        }
    };
}

macro_rules! paste_callback {
    (sign) => {
        sign_callback
    };
    (identification) => {
        identification_callback
    };
}

crate::btrust_flows!(registry_flows);

impl AnyFlow {
    /// See [`Flow::handle_response`].
    pub fn handle_response(
        &mut self,
        id: u64,
        response: HttpResponse,
        now_ms: u64,
    ) -> Result<(), Error> {
        each_flow!(self, f => f.handle_response(id, response, now_ms))
    }

    /// See [`Flow::handle_transport_error`].
    pub fn handle_transport_error(
        &mut self,
        id: u64,
        kind: TransportErrorKind,
        now_ms: u64,
    ) -> Result<(), Error> {
        each_flow!(self, f => f.handle_transport_error(id, kind, now_ms))
    }

    /// The configuration the flow was started with.
    pub fn config(&self) -> &Config {
        each_flow!(self, f => f.config())
    }

    /// The transition-table rows taken since the last call.
    pub fn take_transitions(&mut self) -> Vec<&'static str> {
        each_flow!(self, f => f.take_transitions())
    }

    /// See [`Flow::snapshot`].
    pub fn snapshot(&self) -> String {
        each_flow!(self, f => f.snapshot())
    }

    /// See [`Flow::progress`].
    pub fn progress(&self) -> Progress {
        each_flow!(self, f => f.progress())
    }
}

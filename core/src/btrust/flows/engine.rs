//! What every B-Trust flow shares: the [`FlowEngine`] contract its engine implements, the
//! `rows!` macro that declares a transition table as an enum, the `flow_api!` macro that
//! writes a flow's public surface by forwarding to its engine, and [`validated`], the one
//! place a constructor checks its configuration and input.
//!
//! A flow type is a thin wrapper (`struct SignFlow { engine }`): the engine is what a
//! snapshot holds, so the wrapper adds nothing to the snapshot format.

use crate::btrust::config::Config;
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Progress, Step};
use crate::http::HttpResponse;
use crate::validate::Validate;

/// The state machine behind one or more flows. Flows forward to it through `flow_api!`.
pub(crate) trait FlowEngine {
    /// What the engine finishes with (for a shared engine, the union of its flows').
    type Outcome;
    /// The provider's callback event.
    type Callback;

    /// [`crate::flow::Flow::next`].
    fn next(&mut self, now: u64) -> Step<Self::Outcome>;
    /// The answer to request `id`: a response, or the transport error that replaced it.
    fn handle(
        &mut self,
        id: u64,
        answer: Result<HttpResponse, TransportErrorKind>,
        now: u64,
    ) -> Result<(), Error>;
    /// [`crate::flow::Flow::handle_callback`].
    fn handle_callback(&mut self, event: &Self::Callback, now: u64) -> Result<(), Error>;
    /// Called once after a restore: a request that was in flight at snapshot time will never
    /// be answered, so it is reported as lost in transit (row X4 of every table).
    fn after_restore(&mut self);
    /// [`crate::flow::Flow::progress`] for the flow named `flow`.
    fn progress(&self, flow: &str) -> Progress;
    /// The configuration the flow was started with.
    fn config(&self) -> &Config;
    /// The row ids taken since the last call.
    fn take_rows(&mut self) -> Vec<&'static str>;
}

/// Validates the configuration (under `config.`) and a flow's input together, so a caller
/// hears about every issue at once. Every flow constructor goes through here, before it
/// builds its first request.
/// The last move of every engine's `next`: hand out the request it chose, or, when the request
/// could not be built, end the flow with that error (`fail` records it in the engine's phase).
pub(crate) fn issue_or_fail<T>(
    exchange: &mut crate::flow::Exchange,
    request: Result<crate::http::HttpRequest, Error>,
    fail: impl FnOnce(Error),
) -> Step<T> {
    match request {
        Ok(r) => Step::Send(exchange.issue(r)),
        Err(e) => {
            fail(e.clone());
            Step::Failed(e)
        }
    }
}

pub(crate) fn validated<I: Validate + ?Sized>(config: &Config, input: &I) -> Result<(), Error> {
    crate::btrust::operation::check_all(config, input)
}

/// Declares a transition table as an enum: one variant per row, its `///` saying what the row
/// means. Rows are marked in code through the enum, so the code cannot take a row that is
/// not in the table, and `TABLE` is derived from the same list, so the two cannot drift.
macro_rules! rows {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$row_meta:meta])* $row:ident, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$row_meta])* $row, )+
        }

        impl $name {
            /// Every row, in table order.
            pub const ALL: &'static [$name] = &[$($name::$row),+];
            /// Every row id, in table order: what `take_transitions` reports.
            pub const TABLE: &'static [&'static str] = &[$(stringify!($row)),+];

            /// The row id as written in the table (`"S1"`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$row => stringify!($row),)+
                }
            }
        }
    };
}

/// Writes a flow's public surface by forwarding to its engine: `NAME`, `TABLE`, `restore`,
/// `config`, `take_transitions` and the [`crate::flow::Flow`] impl. `done` maps the engine's
/// outcome to the flow's when the engine is shared by flows with different outcomes; an
/// outcome of the other flow cannot happen and is reported as `invalid_state`.
macro_rules! flow_api {
    (
        $flow:ident {
            name: $name:literal,
            table: $table:expr,
            outcome: $outcome:ty,
            callback: $callback:ty $(,)?
        }
    ) => {
        flow_api!(@impl $flow, $name, $table, $outcome, $callback, |o| Ok(o));
    };
    (
        $flow:ident {
            name: $name:literal,
            table: $table:expr,
            outcome: $outcome:ty,
            callback: $callback:ty,
            done: |$o:ident| $done:expr $(,)?
        }
    ) => {
        flow_api!(@impl $flow, $name, $table, $outcome, $callback, |$o| $done);
    };
    (@impl $flow:ident, $name:literal, $table:expr, $outcome:ty, $callback:ty,
        |$o:ident| $done:expr) => {
        impl $flow {
            /// Flow name in snapshots and vectors.
            pub const NAME: &'static str = $name;
            /// The row ids of this flow's transition table (see the module documentation).
            pub const TABLE: &'static [&'static str] = $table;

            /// Rebuilds a flow from [`crate::flow::Flow::snapshot`]. A request that was in
            /// flight when the snapshot was taken is treated as lost in transit (row X4).
            pub fn restore(snapshot: &str) -> Result<Self, crate::error::Error> {
                let mut flow = $flow {
                    engine: crate::flow::restore(Self::NAME, snapshot)?,
                };
                $crate::btrust::flows::engine::FlowEngine::after_restore(&mut flow.engine);
                Ok(flow)
            }

            /// The configuration the flow was started with.
            pub fn config(&self) -> &crate::btrust::config::Config {
                $crate::btrust::flows::engine::FlowEngine::config(&self.engine)
            }

            /// The table rows taken since the last call (for tests and logs: which rule
            /// fired).
            pub fn take_transitions(&mut self) -> Vec<&'static str> {
                $crate::btrust::flows::engine::FlowEngine::take_rows(&mut self.engine)
            }
        }

        impl crate::flow::Flow for $flow {
            type Outcome = $outcome;
            type Callback = $callback;

            fn next(&mut self, now_ms: u64) -> crate::flow::Step<$outcome> {
                use crate::flow::Step;
                match $crate::btrust::flows::engine::FlowEngine::next(&mut self.engine, now_ms) {
                    Step::Send(o) => Step::Send(o),
                    Step::Wait { until_ms } => Step::Wait { until_ms },
                    Step::Done($o) => {
                        let done: Result<$outcome, crate::error::Error> = $done;
                        match done {
                            Ok(o) => Step::Done(o),
                            Err(e) => Step::Failed(e),
                        }
                    }
                    Step::Failed(e) => Step::Failed(e),
                }
            }
            fn handle_response(
                &mut self,
                id: u64,
                response: crate::http::HttpResponse,
                now_ms: u64,
            ) -> Result<(), crate::error::Error> {
                $crate::btrust::flows::engine::FlowEngine::handle(
                    &mut self.engine,
                    id,
                    Ok(response),
                    now_ms,
                )
            }
            fn handle_transport_error(
                &mut self,
                id: u64,
                kind: crate::error::TransportErrorKind,
                now_ms: u64,
            ) -> Result<(), crate::error::Error> {
                $crate::btrust::flows::engine::FlowEngine::handle(
                    &mut self.engine,
                    id,
                    Err(kind),
                    now_ms,
                )
            }
            fn handle_callback(
                &mut self,
                event: &$callback,
                now_ms: u64,
            ) -> Result<(), crate::error::Error> {
                $crate::btrust::flows::engine::FlowEngine::handle_callback(
                    &mut self.engine,
                    event,
                    now_ms,
                )
            }
            fn snapshot(&self) -> String {
                crate::flow::snapshot(Self::NAME, &self.engine)
            }
            fn progress(&self) -> crate::flow::Progress {
                $crate::btrust::flows::engine::FlowEngine::progress(&self.engine, Self::NAME)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::super::web_ident::WebFlow;
    use super::super::*;
    use std::collections::BTreeSet;

    /// Rows are marked in code only through the row enums, so "every row the code can mark is
    /// in the table" reduces to: every variant is in `ALL`, and `TABLE` is `ALL` spelled out.
    /// `rows!` builds all three from one list; this checks that it does, without duplicates.
    fn derived(all: &[&'static str], table: &[&'static str]) {
        assert_eq!(all, table);
        assert_eq!(all.iter().collect::<BTreeSet<_>>().len(), all.len());
    }

    #[test]
    fn every_row_the_code_can_mark_is_in_its_table() {
        let names = |all: &[SignRow]| all.iter().map(|r| r.as_str()).collect::<Vec<_>>();
        derived(&names(SignRow::ALL), SignRow::TABLE);
        let names = |all: &[MobileRow]| all.iter().map(|r| r.as_str()).collect::<Vec<_>>();
        derived(&names(MobileRow::ALL), MobileRow::TABLE);
        let names = |all: &[WebRow]| all.iter().map(|r| r.as_str()).collect::<Vec<_>>();
        derived(&names(WebRow::ALL), WebRow::TABLE);

        // Both signing flows run one engine: each can take every signing row.
        assert_eq!(SignFlow::TABLE, SignRow::TABLE);
        assert_eq!(QrSignFlow::TABLE, SignRow::TABLE);
        assert_eq!(MobileIdentificationFlow::TABLE, MobileRow::TABLE);

        // The web engine is shared too, but registering (G*) happens only in an
        // identification and F5 only for a sign session: each table is WebRow::ALL filtered
        // by `in_table`, and together they cover every row.
        for (flow, table) in [
            (WebFlow::Identification, WebIdentificationFlow::TABLE),
            (WebFlow::OtcSign, WebOtcSignFlow::TABLE),
        ] {
            let expected: Vec<_> = WebRow::ALL
                .iter()
                .filter(|r| r.in_table(flow))
                .map(|r| r.as_str())
                .collect();
            assert_eq!(table, expected.as_slice());
        }
        for row in WebRow::ALL {
            assert!(
                WebIdentificationFlow::TABLE.contains(&row.as_str())
                    || WebOtcSignFlow::TABLE.contains(&row.as_str()),
                "{row:?} is in no web flow's table"
            );
        }
    }

    /// The row ids are an interface (vectors, logs, every binding's conformance runner): the
    /// enums must spell exactly the ids the tables had as string lists.
    #[test]
    fn row_ids_are_the_strings_of_the_tables() {
        let sign = "S1 S2 S3 S4 S5 S6 S7 S8 S9 R1 R2 R3 R4 R5 P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11 \
                    P12 P13 D1 D2 D3 D4 T1 X1 X2 X3 X4";
        let mobile = "S1 S2 S3 S4 S5 S6 P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 T1 X1 X2 X3 X4";
        let web = "S1 S2 S3 S4 S5 S6 G1 G2 G3 G4 G5 W1 W2 W3 W4 W5 W6 W7 W8 W9 W10 F1 F2 F3 F4 \
                   T1 X1 X2 X4";
        let otc = "S1 S2 S3 S4 S5 S6 W1 W2 W3 W4 W5 W6 W7 W8 W9 W10 F1 F2 F3 F4 F5 T1 X1 X2 X4";
        let ids = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(SignFlow::TABLE, ids(sign));
        assert_eq!(MobileIdentificationFlow::TABLE, ids(mobile));
        assert_eq!(WebIdentificationFlow::TABLE, ids(web));
        assert_eq!(WebOtcSignFlow::TABLE, ids(otc));
        assert_eq!(SignRow::P10.as_str(), "P10");
        assert_eq!(WebRow::W10.as_str(), "W10");
    }
}

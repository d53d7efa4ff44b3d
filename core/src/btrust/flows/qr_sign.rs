//! `QrSignFlow`: the user scans a QR code with B-Trust Mobile and picks the certificate.
//!
//! `POST /v2/signviaqr` → expose the QR payload ([`QrSignFlow::user_action`], and in
//! [`Progress::user_action`] while polling) → poll → decide per item → download.
//!
//! ## Transition table
//!
//! The same as [`super::sign`]'s table (S1–S9, R1–R5, P1–P13, D1–D4, T1, X1–X4), with these
//! rows replaced:
//!
//! | # | state | input | → state / effect |
//! |---|---|---|---|
//! | S2 | submitting | `next` | `Send(POST /v2/signviaqr)` |
//! | S3 | submitting | 200/202 with `callbackId` | polling; the QR link/image becomes the user action |
//! | S4 | submitting | 200/202 unreadable | failed(`unexpected_response`): the QR code was in that answer |
//! | R2 | reconciling | 200/206 | failed(`transport`): the request exists but its QR code was lost with the answer and cannot be fetched again; the user could never scan it |
//!
//! R3 (404 → resubmit) is unchanged, so a lost answer to a request that never arrived is
//! simply sent again and yields a fresh QR code.

use super::signing::{Engine, SignOutcome, Submission};
use crate::btrust::config::Config;
use crate::btrust::operation::Operation;
use crate::btrust::signing::SendSignRequestViaQr;
use crate::btrust::signing::SignCallback;
use crate::btrust::signing::SignRequestViaQr;
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Flow, FlowOptions, Progress, Step, UserAction};
use crate::http::HttpResponse;
use crate::validate::{IssueCode, Validate, Validator};

/// Input of [`QrSignFlow`]: `POST /v2/signviaqr`'s body with `relyingPartyCallbackId` required.
pub type QrSignFlowInput = SignRequestViaQr;

/// Signs one document picked up by QR code; see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct QrSignFlow {
    engine: Engine,
}

impl QrSignFlow {
    /// Flow name in snapshots and vectors.
    pub const NAME: &'static str = "btrust.qrSign";

    /// Validates the input and builds the `POST /v2/signviaqr` request once.
    pub fn new(
        config: Config,
        input: QrSignFlowInput,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        let mut v = Validator::new();
        v.field("config", |v| config.validate(v));
        input.validate(&mut v);
        if input.request.relying_party_callback_id.is_none() {
            v.field("request", |v| {
                v.issue_at(
                    "relyingPartyCallbackId",
                    IssueCode::Required,
                    "a flow needs a relyingPartyCallbackId to recover safely from lost answers (hosts generate a UUID)",
                )
            });
        }
        v.finish()?;
        let rp_callback_id = input
            .request
            .relying_party_callback_id
            .clone()
            .unwrap_or_default();
        let submit = SendSignRequestViaQr::build(&config, &input)?;
        Ok(QrSignFlow {
            engine: Engine::new(Submission::Qr, config, options, submit, rp_callback_id, 1),
        })
    }

    /// The rows of this flow's transition table (see the module documentation).
    pub const TABLE: &'static [&'static str] = &["S2", "S3", "S4", "R2", "R3"];

    /// The configuration the flow was started with.
    pub fn config(&self) -> &crate::btrust::config::Config {
        self.engine.config()
    }

    /// The table rows taken since the last call (for tests and logs: which rule fired).
    pub fn take_transitions(&mut self) -> Vec<&'static str> {
        self.engine.take_rows()
    }

    /// Rebuilds a flow from [`Flow::snapshot`].
    pub fn restore(snapshot: &str) -> Result<Self, Error> {
        let mut engine: Engine = crate::flow::restore(Self::NAME, snapshot)?;
        engine.after_restore();
        Ok(QrSignFlow { engine })
    }

    /// The QR code to show, once the service has returned it.
    pub fn user_action(&self) -> Option<&UserAction> {
        self.engine.user_action()
    }
}

impl Flow for QrSignFlow {
    type Outcome = SignOutcome;
    type Callback = SignCallback;

    fn next(&mut self, now_ms: u64) -> Step<SignOutcome> {
        self.engine.next(now_ms)
    }
    fn handle_response(
        &mut self,
        id: u64,
        response: HttpResponse,
        now_ms: u64,
    ) -> Result<(), Error> {
        self.engine.handle_response(id, response, now_ms)
    }
    fn handle_transport_error(
        &mut self,
        id: u64,
        kind: TransportErrorKind,
        now_ms: u64,
    ) -> Result<(), Error> {
        self.engine.handle_transport_error(id, kind, now_ms)
    }
    fn handle_callback(&mut self, event: &SignCallback, now_ms: u64) -> Result<(), Error> {
        self.engine.handle_callback(event, now_ms)
    }
    fn snapshot(&self) -> String {
        crate::flow::snapshot(Self::NAME, &self.engine)
    }
    fn progress(&self) -> Progress {
        self.engine.progress(Self::NAME)
    }
}

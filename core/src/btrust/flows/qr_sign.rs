//! `QrSignFlow`: the user scans a QR code with B-Trust Mobile and picks the certificate.
//!
//! `POST /v2/signviaqr` → expose the QR payload ([`QrSignFlow::user_action`], and in
//! [`crate::flow::Progress::user_action`] while polling) → poll → decide per item → download.
//!
//! ## Transition table
//!
//! The same engine and table as [`super::sign`] ([`SignRow`]: S1–S9, R1–R5, P1–P13, D1–D4,
//! T1, X1–X4), so every row can be taken here too; these rows mean something else:
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

use super::engine::validated;
use super::sign::{require_rp_callback_id, SignOutcome, SignRow};
use super::signing::{Engine, Submission};
use crate::btrust::config::Config;
use crate::btrust::operation::Operation;
use crate::btrust::signing::SendSignRequestViaQr;
use crate::btrust::signing::SignCallback;
use crate::btrust::signing::SignRequestViaQr;
use crate::error::Error;
use crate::flow::{FlowOptions, UserAction};
use crate::validate::{Validate, Validator};

/// Input of [`QrSignFlow`]: `POST /v2/signviaqr`'s body with `relyingPartyCallbackId` required.
pub type QrSignFlowInput = SignRequestViaQr;

/// The operation's rules plus the flow's own (`relyingPartyCallbackId` required), checked
/// together so the caller hears about every issue at once.
struct FlowRules<'a>(&'a QrSignFlowInput);

impl Validate for FlowRules<'_> {
    fn validate(&self, v: &mut Validator) {
        self.0.validate(v);
        let present = self.0.request.relying_party_callback_id.is_some();
        if !present {
            v.field("request", |v| require_rp_callback_id(v, present));
        }
    }
}

/// Signs one document picked up by QR code; see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct QrSignFlow {
    engine: Engine,
}

impl QrSignFlow {
    /// Validates the input and builds the `POST /v2/signviaqr` request once.
    pub fn new(
        config: Config,
        mut input: QrSignFlowInput,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        if input.request.relying_party_callback_id.is_none() {
            input.request.relying_party_callback_id = options.new_rp_callback_id();
        }
        validated(&config, &FlowRules(&input))?;
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

    /// The QR code to show, once the service has returned it.
    pub fn user_action(&self) -> Option<&UserAction> {
        self.engine.user_action()
    }
}

flow_api!(QrSignFlow {
    name: "btrust.qrSign",
    table: SignRow::TABLE,
    outcome: SignOutcome,
    callback: SignCallback,
});

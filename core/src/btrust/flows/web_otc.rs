//! `WebOtcSignFlow`: sign documents with a one-time certificate after web identification
//! (seed 001 §3).
//!
//! `POST …/signsession/start` with the documents → hand `clientDocumentUrl` to the host (the
//! customer reads the documents and enters the SMS code there) → wake on the callback
//! (`SIGN_SESSION`) or poll `GET …/web/{resultId}/status` → read the signed documents
//! (`GET …/web/{resultId}/result/SIGN_SESSION/{sessionId}`, the path without
//! `onlyMetadata`, as the guide uses it after signing).
//!
//! ## Transition table
//!
//! The rows of [`super::web_ident`] without the registering rows (G1–G5), with these
//! differences:
//!
//! | # | state | input | → state / effect |
//! |---|---|---|---|
//! | S2 | starting | `next` | `Send(POST …/signsession/start)` |
//! | S3 | starting | 2xx with clientDocumentUrl and resultId | waiting for the user; user action `OpenUrl(clientDocumentUrl)`; deadline from `expireDate` |
//! | W3 | waiting for the user | any other status, `SIGN_SESSION` included (it also means "session created, waiting for the code") | waiting, backoff |
//! | W4 | waiting for the user | step `SIGNING_WITH_SIGN_SESSION_SUCCESS`, or status `SIGNED_CLIENT_DOCUMENT` | fetching with `SIGN_SESSION` and the signSessionId (inferred: the guide's callback carries these) |
//! | F2 | fetching | 2xx with signed documents | done |
//! | F5 | fetching | 2xx without signed documents | failed(`unexpected_response`) |

use super::web_engine::{Engine, Kind, WebOtcSignOutcome, WebOutcome};
use crate::btrust::config::Config;
use crate::btrust::identification::IdentificationCallback;
use crate::btrust::operation::Operation;
use crate::btrust::otc_signing::{StartSignSession, StartSignSessionRequest};
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Flow, FlowOptions, Progress, Step};
use crate::http::HttpResponse;
use crate::validate::{Validate, Validator};

/// Input of [`WebOtcSignFlow`]: the body of `POST …/signsession/start`.
pub type WebOtcSignFlowInput = StartSignSessionRequest;

/// Signs documents with a one-time certificate; see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct WebOtcSignFlow {
    engine: Engine,
}

impl WebOtcSignFlow {
    /// Flow name in snapshots and vectors.
    pub const NAME: &'static str = "btrust.webOtcSign";
    /// The rows of the transition table.
    pub const TABLE: &'static [&'static str] = &[
        "S1", "S2", "S3", "S4", "S5", "S6", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9",
        "W10", "F1", "F2", "F3", "F4", "F5", "T1", "X1", "X2", "X4",
    ];

    /// Validates the input and builds `POST …/signsession/start` once.
    pub fn new(
        config: Config,
        input: WebOtcSignFlowInput,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        let mut v = Validator::new();
        v.field("config", |v| config.validate(v));
        input.validate(&mut v);
        v.finish()?;
        let start = StartSignSession::build(&config, &input)?;
        let kind = Kind::Sign {
            sign_session_id: input.sign_session_id,
        };
        Ok(WebOtcSignFlow {
            engine: Engine::new(kind, config, options, start),
        })
    }

    /// The document page the customer must open, once the session started.
    pub fn document_url(&self) -> Option<&str> {
        self.engine.url()
    }
}

engine_flow!(
    WebOtcSignFlow,
    WebOtcSignOutcome,
    WebOutcome::Sign,
    "an identification outcome in a sign flow"
);

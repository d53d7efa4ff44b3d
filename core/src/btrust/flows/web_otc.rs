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
//! The rows of [`super::web_ident`] ([`WebRow`]) without the registering rows (G1–G5), with
//! these differences:
//!
//! | # | state | input | → state / effect |
//! |---|---|---|---|
//! | S2 | starting | `next` | `Send(POST …/signsession/start)` |
//! | S3 | starting | 2xx with clientDocumentUrl and resultId | waiting for the user; user action `OpenUrl(clientDocumentUrl)`; deadline from `expireDate` |
//! | W3 | waiting for the user | any other status, `SIGN_SESSION` included (it also means "session created, waiting for the code") | waiting, backoff |
//! | W4 | waiting for the user | step `SIGNING_WITH_SIGN_SESSION_SUCCESS`, or status `SIGNED_CLIENT_DOCUMENT` | fetching with `SIGN_SESSION` and the signSessionId (inferred: the guide's callback carries these) |
//! | F2 | fetching | 2xx with signed documents | done |
//! | F5 | fetching | 2xx without signed documents | failed(`unexpected_response`) |

use super::engine::validated;
use super::web_engine::{Engine, Kind, WebOutcome};
use super::web_ident::WebRow;
use crate::btrust::config::Config;
use crate::btrust::identification::IdentificationCallback;
use crate::btrust::identification::SignedDocument;
use crate::btrust::operation::Operation;
use crate::btrust::otc_signing::{StartSignSession, StartSignSessionRequest};
use crate::error::Error;
use crate::flow::FlowOptions;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// What signing with a one-time certificate returns.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebOtcSignOutcome {
    /// The sign session's result id.
    pub result_id: String,
    /// The signed documents.
    pub documents: Vec<SignedDocument>,
    /// The customer's identifier.
    pub client_identificator: Option<String>,
    /// The (possibly renewed) sign session, for the next signing.
    pub sign_session_id: Option<String>,
    /// End of its validity.
    pub sign_session_id_expire_date: Option<Timestamp>,
}

/// Input of [`WebOtcSignFlow`]: the body of `POST …/signsession/start`.
pub type WebOtcSignFlowInput = StartSignSessionRequest;

/// Signs documents with a one-time certificate; see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct WebOtcSignFlow {
    engine: Engine,
}

impl WebOtcSignFlow {
    /// Validates the input and builds `POST …/signsession/start` once.
    pub fn new(
        config: Config,
        input: WebOtcSignFlowInput,
        options: FlowOptions,
    ) -> Result<Self, Error> {
        validated(&config, &input)?;
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

flow_api!(WebOtcSignFlow {
    name: "btrust.webOtcSign",
    table: WebRow::OTC_SIGN,
    outcome: WebOtcSignOutcome,
    callback: IdentificationCallback,
    done: |o| match o {
        WebOutcome::Sign(o) => Ok(o),
        WebOutcome::Identification(_) => Err(Error::invalid_state(
            "an identification outcome in a sign flow"
        )),
    },
});

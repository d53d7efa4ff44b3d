//! `POST /v2/signviaqr` (sendSignRequestViaQRUsingPOST): a sign request the user picks up by
//! scanning a QR code with B-Trust Mobile. No `rpToClientAuthorization`: the user chooses the
//! certificate after scanning. Poll and download as for `POST /v2/sign`.

use crate::blob::Blob;
use crate::btrust::config::Config;
use crate::btrust::operation::{post_json, Operation};
use crate::btrust::signing::models::*;
use crate::error::Error;
use crate::http::{HttpRequest, Method};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// `data` of the answer (Swagger `SendSignResponseViaQrData`).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QrSignRequestAccepted {
    /// The service's id of the request.
    pub callback_id: String,
    /// The QR image (decoded from base64), when a size was requested.
    #[serde(default)]
    pub qr_image: Option<Blob>,
    /// The link encoded in the QR code.
    #[serde(default)]
    pub qr_plain: Option<String>,
    /// Until when the request is valid.
    #[serde(default)]
    pub validity: Option<Timestamp>,
}

/// `POST /v2/signviaqr`.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SendSignRequestViaQr;

impl Operation for SendSignRequestViaQr {
    const NAME: &'static str = "btrust.sendSignRequestViaQr";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/v2/signviaqr";
    type Input = SignRequestViaQr;
    type Output = QrSignRequestAcceptedResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        post_json(config, Self::PATH, input)
    }
}

crate::btrust::envelope::api_response!(
    /// The answer of [`SendSignRequestViaQr`].
    QrSignRequestAcceptedResponse(QrSignRequestAccepted)
);

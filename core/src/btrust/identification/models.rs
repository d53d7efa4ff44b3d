//! Enums and models shared by the Remote Identification operations (mobile and web), with every
//! value seed 001 names (each open: unknown values are kept).

use crate::blob::Blob;
use crate::secret::Secret;
use serde::{Deserialize, Deserializer, Serialize};

open_enum! {
    /// Progress of a B-Trust Mobile identification (`status` of `GET /v2/identification/{callbackId}`).
    pub enum IdentificationStatus {
        /// The person is being onboarded into B-Trust Mobile (inferred meaning).
        OnBoarding = "ON_BOARDING",
        /// In progress.
        InProgress = "IN_PROGRESS",
        /// Finished: the eID certificate and identifier can be read.
        Finished = "FINISHED",
    }
}

open_enum! {
    /// `status` of a web identification (`GET /v2/identification/web/{resultId}/status`).
    pub enum WebStatus {
        /// Client onboarding started.
        OnBoarding = "ON_BOARDING",
        /// The client is being validated against national registers.
        Regix = "REGIX",
        /// The client's certificate has been issued.
        IssuedCertificate = "ISSUED_CERTIFICATE",
        /// The identification request is in progress.
        InProgress = "IN_PROGRESS",
        /// The client's documents are being signed.
        SigningClientDocument = "SIGNING_CLIENT_DOCUMENT",
        /// The client's documents have been signed.
        SignedClientDocument = "SIGNED_CLIENT_DOCUMENT",
        /// The identification certificate is being sealed with BORICA's seal.
        AutomaticAgentSigningClientDocument = "AUTOMATIC_AGENT_SIGNING_CLIENT_DOCUMENT",
        /// The identification certificate is being composed.
        AutomaticAgentComposeClientDocument = "AUTOMATIC_AGENT_COMPOSE_CLIENT_DOCUMENT",
        /// The identification certificate has been sealed with BORICA's seal.
        AutomaticAgentSignedClientDocument = "AUTOMATIC_AGENT_SIGNED_CLIENT_DOCUMENT",
        /// The identification process is finished.
        ProcessIsFinished = "PROCESS_IS_FINISHED",
        /// The web session is started.
        StartWebSession = "START_WEB_SESSION",
        /// The sign session is being created (identification done).
        CreateSignSessionRequest = "CREATE_SIGN_SESSION_REQUEST",
        /// The sign session is created (documents signed, for a sign session).
        SignSession = "SIGN_SESSION",
        /// The user cancelled.
        ProcessIsCanceledByUser = "PROCESS_IS_CANCELED_BY_USER",
        /// The identification data as JSON is created.
        IdentificationRequestDataAsJson = "IDENTIFICATION_REQUEST_DATA_AS_JSON",
    }
}

open_enum! {
    /// `step` of a web identification: one status can run several steps.
    pub enum WebStep {
        /// The certificate signing request is generated.
        Pkcs10ReqGenerated = "PKCS10_REQ_GENERATED",
        /// The client's documents are being signed.
        SigningClientDocuments = "SIGNING_CLIENT_DOCUMENTS",
        /// The identification certificate is being sealed.
        BoricaSealForClientDocuments = "BORICA_SEAL_FOR_CLIENT_DOCUMENTS",
        /// Adding the client's data to the identification certificate (failed, by its name).
        UpdateDocumentsWithCertificateDataFailed = "UPDATE_DOCUMENTS_WITH_CERTIFICATE_DATA_FAILED",
        /// Video identification started.
        WebIdvRegistration = "WEB_IDV_REGISTRATION",
        /// Video identification failed.
        WebIdvRegistrationFailed = "WEB_IDV_REGISTRATION_FAILED",
        /// Process started.
        Start = "START",
        /// Validating the SMS one-time code.
        Login = "LOGIN",
        /// Generating/sending the one-time code.
        Otp = "OTP",
        /// Creating the sign session id.
        CreateSignSessionId = "CREATE_SIGN_SESSION_ID",
        /// The sign session id has been created.
        SignSessionIdSuccessfullyCreated = "SIGN_SESSION_ID_SUCCESSFULLY_CREATED",
        /// The client's documents are signed.
        SigningWithSignSessionSuccess = "SIGNING_WITH_SIGN_SESSION_SUCCESS",
    }
}

open_enum! {
    /// Status of a registration in the registration module.
    pub enum RegistrationStatus {
        /// Started.
        Started = "STARTED",
        /// All data gathered.
        Completed = "COMPLETED",
        /// Confirmed: the client is registered.
        Finalized = "FINALIZED",
        /// Rejected.
        Rejected = "REJECTED",
        /// Expired.
        Expired = "EXPIRED",
    }
}

open_enum! {
    /// The agent's review status of a registration.
    pub enum ReviewStatus {
        /// Not completed (always while `STARTED`).
        NA = "N_A",
        /// An agent must approve or reject (manual review).
        FinalizeReject = "FINALIZE_REJECT",
        /// Approved automatically; an agent may still deny.
        AllowDeny = "ALLOW_DENY",
        /// Approved by an agent.
        Allowed = "ALLOWED",
        /// Rejected by an agent.
        Denied = "DENIED",
    }
}

open_enum! {
    /// `processState` of callbacks and of the result path. Its values are web statuses; these
    /// two are the ones the guide shows.
    pub enum ProcessState {
        /// Identification done; the sign session is being created.
        CreateSignSessionRequest = "CREATE_SIGN_SESSION_REQUEST",
        /// Signing with the one-time certificate done.
        SignSession = "SIGN_SESSION",
    }
}

open_enum! {
    /// Kind of identifier of the person to identify.
    pub enum DocType {
        /// Bulgarian personal number.
        Egn = "EGN",
        /// Personal number of a foreigner.
        Lnc = "LNC",
        /// E-mail address.
        Email = "EMAIL",
        /// Phone number (E.164).
        Phone = "PHONE",
    }
}

/// Reads a string or a JSON number as text (the guide shows ids and identifiers both ways).
pub(crate) fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    crate::btrust::operation::string_or_number(d)?
        .ok_or_else(|| serde::de::Error::custom("a string or a number is required"))
}

/// [`text_or_number`] into a [`Secret`].
pub(crate) fn secret_text_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Secret<String>, D::Error> {
    text_or_number(d).map(Secret::new)
}

/// A signed document returned after signing with a one-time certificate.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedDocument {
    /// File name (`filename` on the wire, lower-case n; `fileName` is accepted too).
    #[serde(rename = "filename", alias = "fileName", default)]
    pub filename: Option<String>,
    /// The signed PDF.
    pub content_as_base64: Blob,
}

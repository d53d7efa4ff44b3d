//! Every B-Trust operation, flow and validation rule by name, so hosts and test vectors can
//! reach them without code per operation.
//!
//! Inputs come through any serde `Deserializer` (JSON text, a `serde_json::Value`, a Python
//! object through pythonize, a JS value), outputs go to any `Serializer`. Byte strings travel
//! natively where the host has a byte type and as base64 in JSON.

use super::callback::parse_sign_callback;
use super::config::Config;
use super::flows::{
    MobileIdentificationFlow, MobileIdentificationOutcome, QrSignFlow, SignFlow, SignOutcome,
    WebIdentificationFlow, WebIdentificationOutcome, WebOtcSignFlow, WebOtcSignOutcome,
};
use super::ident::callback::parse_identification_callback;
use super::ident::mobile::{CreateAccessSettings, GetIdentificationResult, Identification};
use super::ident::otc::{CreateSignSession, GenerateOtp, StartSignSession, ValidateOtp};
use super::ident::web::{
    CreateRegistration, GetRegistrationStatus, GetWebIdentificationResults,
    GetWebIdentificationStatus, StartWebIdentification, StartWebIdentificationWithoutOtc,
};
use super::identity::{check_otp, check_profile_id};
use super::ops::cert::{CheckClient, ClientAuth, GetCert, GetCertByIdentity};
use super::ops::content::{GetSignedContent, GetSignedContentReport};
use super::ops::qr::SendSignRequestViaQr;
use super::ops::result::{GetSignedResult, GetSignedResultByRpCallbackId};
use super::ops::sign::{SendSignRequest, SendSignRequestByCmrId};
use super::ops::Operation;
use super::rules;
use crate::error::{Error, TransportErrorKind};
use crate::flow::{Flow, FlowOptions, Progress, Step};
use crate::http::{HttpRequest, HttpResponse};
use crate::validate::{issue_from_serde, Issue, IssueCode, Validator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt::Display;

/// Something that can act on any operation type; see [`visit_operation`].
pub trait OperationVisitor {
    /// What the visit returns.
    type Output;
    /// Called with the operation the name designates.
    fn visit<O: Operation>(self) -> Self::Output;
}

/// Calls `visitor` with the operation named `name`; `None` for an unknown name.
pub fn visit_operation<V: OperationVisitor>(name: &str, visitor: V) -> Option<V::Output> {
    macro_rules! dispatch {
        ($($op:ty),* $(,)?) => {
            $( if name == <$op as Operation>::NAME { return Some(visitor.visit::<$op>()); } )*
        };
    }
    dispatch!(
        SendSignRequest,
        GetSignedResult,
        GetSignedResultByRpCallbackId,
        GetSignedContent,
        SendSignRequestViaQr,
        SendSignRequestByCmrId,
        GetSignedContentReport,
        GetCert,
        GetCertByIdentity,
        ClientAuth,
        CheckClient,
        Identification,
        GetIdentificationResult,
        CreateAccessSettings,
        StartWebIdentification,
        StartWebIdentificationWithoutOtc,
        CreateRegistration,
        GetRegistrationStatus,
        GetWebIdentificationStatus,
        GetWebIdentificationResults,
        CreateSignSession,
        StartSignSession,
        GenerateOtp,
        ValidateOtp,
    );
    None
}

/// Names of every operation, in the order of the developer portal.
pub const OPERATIONS: &[&str] = &[
    CheckClient::NAME,
    GetCert::NAME,
    GetCertByIdentity::NAME,
    ClientAuth::NAME,
    SendSignRequest::NAME,
    GetSignedResult::NAME,
    GetSignedResultByRpCallbackId::NAME,
    GetSignedContent::NAME,
    SendSignRequestViaQr::NAME,
    SendSignRequestByCmrId::NAME,
    GetSignedContentReport::NAME,
    Identification::NAME,
    GetIdentificationResult::NAME,
    CreateAccessSettings::NAME,
    StartWebIdentification::NAME,
    StartWebIdentificationWithoutOtc::NAME,
    CreateRegistration::NAME,
    GetRegistrationStatus::NAME,
    GetWebIdentificationStatus::NAME,
    GetWebIdentificationResults::NAME,
    CreateSignSession::NAME,
    StartSignSession::NAME,
    GenerateOtp::NAME,
    ValidateOtp::NAME,
];

/// Names of every flow.
pub const FLOWS: &[&str] = &[
    SignFlow::NAME,
    QrSignFlow::NAME,
    MobileIdentificationFlow::NAME,
    WebIdentificationFlow::NAME,
    WebOtcSignFlow::NAME,
];

/// Names of every validation rule [`check_rule`] knows.
pub const RULES: &[&str] = &[
    "egn",
    "lnc",
    "personalId",
    "dateOfBirth",
    "egnWithDateOfBirth",
    "phone",
    "email",
    "callbackUrl",
    "base64",
    "fileName",
    "profileId",
    "otp",
];

fn unknown(kind: &str, name: &str) -> Error {
    Error::invalid_state(format!("unknown {kind} {name:?}"))
}

/// Reads an input, turning serde errors into a validation error with the JSON path.
pub fn deserialize_input<'de, T, D>(input: D) -> Result<T, Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
    D::Error: Display,
{
    serde_path_to_error::deserialize(input)
        .map_err(|e| Error::validation(issue_from_serde(e.path(), e.inner())))
}

/// Builds the request of operation `name` from an input in any serde format.
pub fn build_request<'de, D>(name: &str, config: &Config, input: D) -> Result<HttpRequest, Error>
where
    D: Deserializer<'de>,
    D::Error: Display,
{
    struct Build<'c, D> {
        config: &'c Config,
        input: D,
    }
    impl<'de, D: Deserializer<'de>> OperationVisitor for Build<'_, D>
    where
        D::Error: Display,
    {
        type Output = Result<HttpRequest, Error>;
        fn visit<O: Operation>(self) -> Self::Output {
            let input: O::Input = deserialize_input(self.input)?;
            O::build(self.config, &input)
        }
    }
    visit_operation(name, Build { config, input })
        .unwrap_or_else(|| Err(unknown("operation", name)))
}

/// Parses the response of operation `name` and writes the output to `serializer`.
/// The outer `Result` is the parse, the inner one the serializer's.
pub fn parse_response<S: Serializer>(
    name: &str,
    response: HttpResponse,
    serializer: S,
) -> Result<Result<S::Ok, S::Error>, Error> {
    struct Parse<S> {
        response: HttpResponse,
        serializer: S,
    }
    impl<S: Serializer> OperationVisitor for Parse<S> {
        type Output = Result<Result<S::Ok, S::Error>, Error>;
        fn visit<O: Operation>(self) -> Self::Output {
            O::parse(self.response).map(|out| out.serialize(self.serializer))
        }
    }
    visit_operation(
        name,
        Parse {
            response,
            serializer,
        },
    )
    .unwrap_or_else(|| Err(unknown("operation", name)))
}

/// [`parse_response`] into JSON (byte strings as base64).
pub fn parse_response_json(name: &str, response: HttpResponse) -> Result<serde_json::Value, Error> {
    struct Parse(HttpResponse);
    impl OperationVisitor for Parse {
        type Output = Result<serde_json::Value, Error>;
        fn visit<O: Operation>(self) -> Self::Output {
            to_json_value(&O::parse(self.0)?)
        }
    }
    visit_operation(name, Parse(response)).unwrap_or_else(|| Err(unknown("operation", name)))
}

/// Any serialisable value as JSON, byte strings as base64 (not arrays of numbers).
pub fn to_json_value<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, Error> {
    crate::json::to_vec(value)
        .and_then(|v| serde_json::from_slice(&v))
        .map_err(|e| {
            Error::invalid_state(format!(
                "could not encode a result: {}",
                crate::json::scrub(&e.to_string(), 120)
            ))
        })
}

/// Kinds of callbacks [`parse_callback_json`] knows.
pub const CALLBACKS: &[&str] = &["sign", "identification"];

/// Parses a callback body of `kind` (`sign` or `identification`) into JSON; identification
/// callbacks are checked against `config`'s relying party.
pub fn parse_callback_json(
    kind: &str,
    config: &Config,
    body: &[u8],
) -> Result<serde_json::Value, Error> {
    match kind {
        "sign" => to_json_value(&parse_sign_callback(body)?),
        "identification" => to_json_value(&parse_identification_callback(config, body)?),
        other => Err(unknown("callback kind", other)),
    }
}

/// Runs validation rule `name` on a value (a string, or for `egnWithDateOfBirth` an object
/// `{"egn": …, "dateOfBirth": …}`); returns the issues, paths relative to the value (`$`).
pub fn check_rule(name: &str, value: &serde_json::Value) -> Result<Vec<Issue>, Error> {
    let mut v = Validator::new();
    if name == "egnWithDateOfBirth" {
        let field = |k: &str| {
            value
                .get(k)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let (egn, dob) = (field("egn"), field("dateOfBirth"));
        let e = v.field("egn", |v| rules::check_egn(v, &egn));
        let d = v.field("dateOfBirth", |v| rules::check_date_of_birth(v, &dob));
        if let (Some(e), Some(d)) = (e, d) {
            v.field("dateOfBirth", |v| rules::check_birth_date_agrees(v, e, d));
        }
        return Ok(v.into_issues());
    }
    let Some(s) = value.as_str() else {
        if RULES.contains(&name) {
            v.issue(IssueCode::InvalidType, "expected a string");
            return Ok(v.into_issues());
        }
        return Err(unknown("rule", name));
    };
    match name {
        "egn" => {
            rules::check_egn(&mut v, s);
        }
        "lnc" => rules::check_lnc(&mut v, s),
        "personalId" => rules::check_personal_id(&mut v, s),
        "dateOfBirth" => {
            rules::check_date_of_birth(&mut v, s);
        }
        "phone" => rules::check_phone(&mut v, s),
        "email" => rules::check_email(&mut v, s),
        "callbackUrl" => rules::check_callback_url(&mut v, s),
        "base64" => {
            rules::check_base64(&mut v, s);
        }
        "fileName" => rules::check_file_name(&mut v, s),
        "profileId" => check_profile_id(&mut v, s),
        "otp" => check_otp(&mut v, s),
        _ => return Err(unknown("rule", name)),
    }
    Ok(v.into_issues())
}

/// What any flow can end with.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum FlowOutcome {
    /// A signing flow's outcome.
    Sign(SignOutcome),
    /// A mobile identification's outcome.
    MobileIdentification(MobileIdentificationOutcome),
    /// A web identification's outcome.
    WebIdentification(WebIdentificationOutcome),
    /// A one-time-certificate signing's outcome.
    WebOtcSign(WebOtcSignOutcome),
}

/// Any B-Trust flow, driven by name.
#[derive(Clone, Debug, PartialEq)]
pub enum AnyFlow {
    /// [`SignFlow`]
    Sign(SignFlow),
    /// [`QrSignFlow`]
    QrSign(QrSignFlow),
    /// [`MobileIdentificationFlow`]
    MobileIdentification(MobileIdentificationFlow),
    /// [`WebIdentificationFlow`]
    WebIdentification(WebIdentificationFlow),
    /// [`WebOtcSignFlow`]
    WebOtcSign(WebOtcSignFlow),
}

macro_rules! each_flow {
    ($self:expr, $f:ident => $body:expr) => {
        match $self {
            AnyFlow::Sign($f) => $body,
            AnyFlow::QrSign($f) => $body,
            AnyFlow::MobileIdentification($f) => $body,
            AnyFlow::WebIdentification($f) => $body,
            AnyFlow::WebOtcSign($f) => $body,
        }
    };
}

fn map_step<T>(step: Step<T>, f: impl FnOnce(T) -> FlowOutcome) -> Step<FlowOutcome> {
    match step {
        Step::Send(o) => Step::Send(o),
        Step::Wait { until_ms } => Step::Wait { until_ms },
        Step::Done(outcome) => Step::Done(f(outcome)),
        Step::Failed(e) => Step::Failed(e),
    }
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
        match name {
            SignFlow::NAME => {
                SignFlow::new(config, deserialize_input(input)?, options).map(AnyFlow::Sign)
            }
            QrSignFlow::NAME => {
                QrSignFlow::new(config, deserialize_input(input)?, options).map(AnyFlow::QrSign)
            }
            MobileIdentificationFlow::NAME => {
                MobileIdentificationFlow::new(config, deserialize_input(input)?, options)
                    .map(AnyFlow::MobileIdentification)
            }
            WebIdentificationFlow::NAME => {
                WebIdentificationFlow::new(config, deserialize_input(input)?, options)
                    .map(AnyFlow::WebIdentification)
            }
            WebOtcSignFlow::NAME => WebOtcSignFlow::new(config, deserialize_input(input)?, options)
                .map(AnyFlow::WebOtcSign),
            _ => Err(unknown("flow", name)),
        }
    }

    /// Rebuilds whichever flow wrote `snapshot`.
    pub fn restore(snapshot: &str) -> Result<Self, Error> {
        #[derive(Deserialize)]
        struct Head {
            flow: String,
        }
        let head: Head = serde_json::from_str(snapshot)
            .map_err(|_| Error::invalid_state("the snapshot is not a flow snapshot"))?;
        match head.flow.as_str() {
            SignFlow::NAME => SignFlow::restore(snapshot).map(AnyFlow::Sign),
            QrSignFlow::NAME => QrSignFlow::restore(snapshot).map(AnyFlow::QrSign),
            MobileIdentificationFlow::NAME => {
                MobileIdentificationFlow::restore(snapshot).map(AnyFlow::MobileIdentification)
            }
            WebIdentificationFlow::NAME => {
                WebIdentificationFlow::restore(snapshot).map(AnyFlow::WebIdentification)
            }
            WebOtcSignFlow::NAME => WebOtcSignFlow::restore(snapshot).map(AnyFlow::WebOtcSign),
            other => Err(unknown("flow", other)),
        }
    }

    /// The flow's name.
    pub fn name(&self) -> &'static str {
        match self {
            AnyFlow::Sign(_) => SignFlow::NAME,
            AnyFlow::QrSign(_) => QrSignFlow::NAME,
            AnyFlow::MobileIdentification(_) => MobileIdentificationFlow::NAME,
            AnyFlow::WebIdentification(_) => WebIdentificationFlow::NAME,
            AnyFlow::WebOtcSign(_) => WebOtcSignFlow::NAME,
        }
    }

    /// See [`Flow::next`].
    pub fn next(&mut self, now_ms: u64) -> Step<FlowOutcome> {
        match self {
            AnyFlow::Sign(f) => map_step(f.next(now_ms), FlowOutcome::Sign),
            AnyFlow::QrSign(f) => map_step(f.next(now_ms), FlowOutcome::Sign),
            AnyFlow::MobileIdentification(f) => {
                map_step(f.next(now_ms), FlowOutcome::MobileIdentification)
            }
            AnyFlow::WebIdentification(f) => {
                map_step(f.next(now_ms), FlowOutcome::WebIdentification)
            }
            AnyFlow::WebOtcSign(f) => map_step(f.next(now_ms), FlowOutcome::WebOtcSign),
        }
    }

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

    /// Parses a callback body as this flow's callback type (identification callbacks are
    /// checked against the flow's own relying party) and hands it to the flow.
    pub fn handle_callback_body(&mut self, body: &[u8], now_ms: u64) -> Result<(), Error> {
        let config = self.config().clone();
        let config = &config;
        match self {
            AnyFlow::Sign(f) => f.handle_callback(&parse_sign_callback(body)?, now_ms),
            AnyFlow::QrSign(f) => f.handle_callback(&parse_sign_callback(body)?, now_ms),
            AnyFlow::MobileIdentification(f) => {
                f.handle_callback(&parse_identification_callback(config, body)?, now_ms)
            }
            AnyFlow::WebIdentification(f) => {
                f.handle_callback(&parse_identification_callback(config, body)?, now_ms)
            }
            AnyFlow::WebOtcSign(f) => {
                f.handle_callback(&parse_identification_callback(config, body)?, now_ms)
            }
        }
    }

    /// The transition-table rows taken since the last call.
    pub fn take_transitions(&mut self) -> Vec<&'static str> {
        each_flow!(self, f => f.take_transitions())
    }

    /// The rows of this flow's transition table.
    pub fn table(&self) -> &'static [&'static str] {
        match self {
            AnyFlow::Sign(_) => SignFlow::TABLE,
            AnyFlow::QrSign(_) => QrSignFlow::TABLE,
            AnyFlow::MobileIdentification(_) => MobileIdentificationFlow::TABLE,
            AnyFlow::WebIdentification(_) => WebIdentificationFlow::TABLE,
            AnyFlow::WebOtcSign(_) => WebOtcSignFlow::TABLE,
        }
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

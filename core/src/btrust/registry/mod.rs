//! Every B-Trust operation, flow and validation rule by name, so hosts and test vectors can
//! reach them without code per operation. The names come from the one list in
//! [`super::list`].
//!
//! Inputs come through any serde `Deserializer` (JSON text, a `serde_json::Value`, a Python
//! object through pythonize, a JS value), outputs go to any `Serializer`. Byte strings travel
//! natively where the host has a byte type and as base64 in JSON.

mod flows;
mod rules;

/// The access token's lifecycle (renew? warn when?), pure, for hosts as for the rules.
pub use crate::btrust::ars::token::{needs_validation, token_advice, TokenAdvice};
pub use flows::{AnyFlow, FlowInfo, FlowOutcome, FlowStep, FLOWS, FLOW_INFO};
pub use rules::{check_rule, RULES};

use super::config::Config;
use super::identification::parse_identification_callback;
use super::operation::Operation;
use super::signing::parse_sign_callback;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::validate::issue_from_serde;
use serde::{Deserializer, Serialize, Serializer};
use std::fmt::Display;

/// Something that can act on any operation type; see [`visit_operation`].
pub trait OperationVisitor {
    /// What the visit returns.
    type Output;
    /// Called with the operation the name designates.
    fn visit<O: Operation>(self) -> Self::Output;
}

macro_rules! registry_operations {
    ($($group:ident::$op:ident),* $(,)?) => {
        /// Calls `visitor` with the operation named `name`; `None` for an unknown name.
        pub fn visit_operation<V: OperationVisitor>(name: &str, visitor: V) -> Option<V::Output> {
            $( if name == <super::$group::$op as Operation>::NAME {
                return Some(visitor.visit::<super::$group::$op>());
            } )*
            None
        }

        /// Names of every operation, in the order of the developer portal.
        pub const OPERATIONS: &[&str] = &[$(<super::$group::$op as Operation>::NAME),*];
    };
}
crate::btrust_operations!(registry_operations);

pub(crate) fn unknown(kind: &str, name: &str) -> Error {
    Error::invalid_state(format!("unknown {kind} {name:?}"))
}

/// Reads an input, turning serde errors into a validation error with the JSON path.
#[cfg(feature = "error-paths")]
pub fn deserialize_input<'de, T, D>(input: D) -> Result<T, Error>
where
    T: serde::de::DeserializeOwned,
    D: Deserializer<'de>,
    D::Error: Display,
{
    serde_path_to_error::deserialize(input).map_err(|e| {
        Error::validation(issue_from_serde(
            &e.path().to_string(),
            &e.inner().to_string(),
        ))
    })
}

/// Reads an input, turning serde errors into a validation error with the JSON path. Without
/// the `error-paths` feature the input is read as JSON first and located from its text
/// ([`input_from_json`]): one instantiation of each model's code, not one per deserializer.
#[cfg(not(feature = "error-paths"))]
pub fn deserialize_input<'de, T, D>(input: D) -> Result<T, Error>
where
    T: serde::de::DeserializeOwned,
    D: Deserializer<'de>,
    D::Error: Display,
{
    let value = <serde_json::Value as serde::Deserialize>::deserialize(input)
        .map_err(|e| Error::validation(issue_from_serde(".", &e.to_string())))?;
    let text = serde_json::to_vec(&value)
        .map_err(|e| Error::invalid_state(format!("could not re-encode an input: {e}")))?;
    input_from_json(&text)
}

/// Reads an input given as JSON text (byte strings as base64 or `{"$bytes": base64}`), turning
/// serde errors into a validation error with the JSON path.
pub fn input_from_json<T: serde::de::DeserializeOwned>(text: &[u8]) -> Result<T, Error> {
    crate::de::from_json(text).map_err(|e| Error::validation(issue_from_serde(&e.path, &e.message)))
}

/// Reads a [`Config`] from any serde format, reporting problems under `config.` (the path every
/// host shows for a bad setting).
pub fn deserialize_config<'de, D>(input: D) -> Result<Config, Error>
where
    D: Deserializer<'de>,
    D::Error: Display,
{
    under_config(deserialize_input::<Config, D>(input))
}

/// [`deserialize_config`] from JSON text.
pub fn config_from_json(text: &[u8]) -> Result<Config, Error> {
    under_config(input_from_json(text))
}

fn under_config(read: Result<Config, Error>) -> Result<Config, Error> {
    read.map_err(|e| match e {
        Error::Validation { mut issues } => {
            for i in &mut issues {
                i.path = if i.path == "$" {
                    "config".into()
                } else {
                    format!("config.{}", i.path)
                };
            }
            Error::Validation { issues }
        }
        other => other,
    })
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

/// [`build_request`] from an input given as JSON text (see [`input_from_json`]).
pub fn build_request_json(name: &str, config: &Config, input: &[u8]) -> Result<HttpRequest, Error> {
    struct Build<'c, 'i> {
        config: &'c Config,
        input: &'i [u8],
    }
    impl OperationVisitor for Build<'_, '_> {
        type Output = Result<HttpRequest, Error>;
        fn visit<O: Operation>(self) -> Self::Output {
            let input: O::Input = input_from_json(self.input)?;
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

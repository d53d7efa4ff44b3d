//! `libcqes_kotlin`: cqes-core for Kotlin/JVM and Android through uniffi.
//!
//! The models, `CqesError` and the custom types come from the core's own derives (namespace
//! `cqes_core`); this crate adds only the functions a host calls, typed from the core's one
//! list of operations and flows (`btrust_operations!`, `btrust_flows!`), so an operation added
//! to the core reaches Kotlin with no code here. Every export runs inside [`guard`]: no Rust
//! panic unwinds into the JVM; it becomes `CqesException.InvalidState`.
//!
//! The `*_json` functions take and give JSON text, for the conformance vectors and for hosts
//! that hold wire JSON already; the typed functions are what the Kotlin layer uses.

use cqes_core::btrust::registry::{self, AnyFlow, FlowOutcome, FlowStep};
use cqes_core::btrust::{Config, Environment, Operation};
use cqes_core::flow::{FlowOptions, Progress};
use cqes_core::{Error, HttpRequest, HttpResponse, Issue, TransportErrorKind};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

uniffi::setup_scaffolding!("cqes_kotlin");

/// Runs `f`; a panic becomes `InvalidState` instead of unwinding into the JVM.
fn guard<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::invalid_state(
            "internal error in cqes-core (a bug: please report it)",
        ))
    })
}

fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Error> {
    registry::deserialize_input(&mut serde_json::Deserializer::from_str(json))
}

fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    Ok(registry::to_json_value(value)?.to_string())
}

macro_rules! typed_operations {
    ($($group:ident::$op:ident),* $(,)?) => {
        /// Every B-Trust operation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
        pub enum OperationKind {
            $(
                /// The operation of the same name.
                $op,
            )*
        }

        /// The input of any operation: the variant names the operation.
        #[derive(Clone, Debug, PartialEq, uniffi::Enum)]
        pub enum OperationInput {
            $(
                /// The input of the operation of the same name.
                $op(<cqes_core::btrust::$group::$op as Operation>::Input),
            )*
        }

        /// The parsed answer of any operation: the variant names the operation.
        #[derive(Clone, Debug, PartialEq, uniffi::Enum)]
        pub enum OperationOutput {
            $(
                /// The answer to the operation of the same name.
                $op(<cqes_core::btrust::$group::$op as Operation>::Output),
            )*
        }

        fn kind_name(kind: OperationKind) -> &'static str {
            match kind { $( OperationKind::$op => <cqes_core::btrust::$group::$op as Operation>::NAME, )* }
        }

        fn input_kind(input: &OperationInput) -> OperationKind {
            match input { $( OperationInput::$op(_) => OperationKind::$op, )* }
        }

        fn build_typed(config: &Config, input: &OperationInput) -> Result<HttpRequest, Error> {
            match input { $( OperationInput::$op(i) => <cqes_core::btrust::$group::$op as Operation>::build(config, i), )* }
        }

        fn parse_typed(kind: OperationKind, response: HttpResponse) -> Result<OperationOutput, Error> {
            match kind { $(
                OperationKind::$op => <cqes_core::btrust::$group::$op as Operation>::parse(response)
                    .map(OperationOutput::$op),
            )* }
        }

        fn input_of(name: &str, json: &str) -> Result<OperationInput, Error> {
            $( if name == <cqes_core::btrust::$group::$op as Operation>::NAME {
                return from_json(json).map(OperationInput::$op);
            } )*
            Err(Error::invalid_state(format!("unknown operation {name:?}")))
        }

        fn output_json_text(output: &OperationOutput) -> Result<String, Error> {
            match output { $( OperationOutput::$op(o) => json_text(o), )* }
        }
    };
}
cqes_core::btrust_operations!(typed_operations);

macro_rules! typed_flows {
    ($( $variant:ident: $flow:ident, $input:ident, $outcome:ident, $cb:ident, $method:literal; )*) => {
        /// The input of any flow: the variant names the flow.
        #[derive(Clone, Debug, PartialEq, uniffi::Enum)]
        pub enum FlowInput {
            $(
                /// Starts the flow of the same name.
                $variant(cqes_core::btrust::flows::$input),
            )*
        }

        fn start_typed(config: Config, input: FlowInput, options: FlowOptions) -> Result<AnyFlow, Error> {
            match input { $(
                FlowInput::$variant(i) => cqes_core::btrust::flows::$flow::new(config, i, options)
                    .map(AnyFlow::$variant),
            )* }
        }

        fn flow_input_of(name: &str, json: &str) -> Result<FlowInput, Error> {
            $( if name == cqes_core::btrust::flows::$flow::NAME {
                return from_json(json).map(FlowInput::$variant);
            } )*
            Err(Error::invalid_state(format!("unknown flow {name:?}")))
        }
    };
}
cqes_core::btrust_flows!(typed_flows);

/// The stable name of an operation (`btrust.getCert`, …).
#[uniffi::export]
pub fn operation_name(kind: OperationKind) -> String {
    kind_name(kind).to_owned()
}

/// Which operation an input belongs to.
#[uniffi::export]
pub fn operation_of(input: &OperationInput) -> OperationKind {
    input_kind(input)
}

/// Names of every operation, in the order of the developer portal.
#[uniffi::export]
pub fn operations() -> Vec<String> {
    registry::OPERATIONS
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// Names of every flow.
#[uniffi::export]
pub fn flows() -> Vec<String> {
    registry::FLOWS.iter().map(|s| (*s).to_owned()).collect()
}

/// A configuration with the core's defaults (limits, no language, no identification URL).
#[uniffi::export]
pub fn new_config(environment: Environment, relying_party_id: String) -> Config {
    Config::new(environment, relying_party_id)
}

/// The core's default flow options (poll policy, download on). Hosts add `entropy`.
#[uniffi::export]
pub fn default_flow_options() -> FlowOptions {
    FlowOptions::default()
}

/// Checks a configuration; issues have paths under `config`.
#[uniffi::export]
pub fn validate_config(config: &Config) -> Result<(), Error> {
    guard(|| {
        let mut v = cqes_core::Validator::new();
        v.field("config", |v| cqes_core::Validate::validate(config, v));
        v.finish()
    })
}

/// Reads a configuration from wire JSON (camelCase); issues have paths under `config`.
#[uniffi::export]
pub fn config_from_json(json: String) -> Result<Config, Error> {
    guard(|| {
        from_json::<Config>(&json).map_err(|e| match e {
            Error::Validation { mut issues } => {
                for i in &mut issues {
                    i.path = match i.path.as_str() {
                        "$" => "config".into(),
                        p => format!("config.{p}"),
                    };
                }
                Error::Validation { issues }
            }
            other => other,
        })
    })
}

/// Reads flow options from wire JSON.
#[uniffi::export]
pub fn flow_options_from_json(json: String) -> Result<FlowOptions, Error> {
    guard(|| from_json(&json))
}

/// Builds the complete request of an operation; validates the configuration and the input
/// together (every issue at once).
#[uniffi::export]
pub fn build(config: &Config, input: &OperationInput) -> Result<HttpRequest, Error> {
    guard(|| build_typed(config, input))
}

/// Parses the answer to an operation.
#[uniffi::export]
pub fn parse(kind: OperationKind, response: HttpResponse) -> Result<OperationOutput, Error> {
    guard(|| parse_typed(kind, response))
}

/// Reads the input of operation `name` from wire JSON (byte strings as base64).
#[uniffi::export]
pub fn operation_input_from_json(name: String, json: String) -> Result<OperationInput, Error> {
    guard(|| input_of(&name, &json))
}

/// Builds the request of operation `name` from wire JSON (the registry's path, which the
/// vectors' paths of type errors are written for).
#[uniffi::export]
pub fn build_request_json(
    name: String,
    config: &Config,
    input_json: String,
) -> Result<HttpRequest, Error> {
    guard(|| {
        let mut de = serde_json::Deserializer::from_str(&input_json);
        registry::build_request(&name, config, &mut de)
    })
}

/// Parses the answer to operation `name` into wire JSON (byte strings as base64).
#[uniffi::export]
pub fn parse_response_json(name: String, response: HttpResponse) -> Result<String, Error> {
    guard(|| Ok(registry::parse_response_json(&name, response)?.to_string()))
}

/// An operation's output as wire JSON.
#[uniffi::export]
pub fn operation_output_json(output: &OperationOutput) -> Result<String, Error> {
    guard(|| output_json_text(output))
}

/// A flow's outcome as wire JSON.
#[uniffi::export]
pub fn flow_outcome_json(outcome: &FlowOutcome) -> Result<String, Error> {
    guard(|| json_text(outcome))
}

/// Progress as wire JSON.
#[uniffi::export]
pub fn progress_json(progress: &Progress) -> Result<String, Error> {
    guard(|| json_text(progress))
}

/// An error as wire JSON (`{"error": "validation", "issues": …}`), as every host writes it.
#[uniffi::export]
pub fn error_json(error: &Error) -> String {
    error.to_json().to_string()
}

/// Parses a sign callback body (B-Trust's POST to the relying party's callback URL).
#[uniffi::export]
pub fn parse_sign_callback(
    body: Vec<u8>,
) -> Result<cqes_core::btrust::signing::SignCallback, Error> {
    guard(|| cqes_core::btrust::signing::parse_sign_callback(&body))
}

/// Parses an identification callback body and checks that it is addressed to `config`'s
/// relying party.
#[uniffi::export]
pub fn parse_identification_callback(
    config: &Config,
    body: Vec<u8>,
) -> Result<cqes_core::btrust::identification::IdentificationCallback, Error> {
    guard(|| cqes_core::btrust::identification::parse_identification_callback(config, &body))
}

/// Parses a callback body of `kind` (`sign` or `identification`) into wire JSON.
#[uniffi::export]
pub fn parse_callback_json(kind: String, config: &Config, body: Vec<u8>) -> Result<String, Error> {
    guard(|| Ok(registry::parse_callback_json(&kind, config, &body)?.to_string()))
}

/// Runs one validation rule (`egn`, `phone`, …) on a JSON value; returns the issues.
#[uniffi::export]
pub fn check_rule(rule: String, value_json: String) -> Result<Vec<Issue>, Error> {
    guard(|| {
        let value: serde_json::Value = serde_json::from_str(&value_json)
            .map_err(|_| Error::invalid_state("the value is not JSON"))?;
        registry::check_rule(&rule, &value)
    })
}

/// The URL a customer opens for web identification.
#[uniffi::export]
pub fn identification_link(config: &Config, session_id: String) -> Result<String, Error> {
    guard(|| cqes_core::btrust::web_identification::identification_link(config, &session_id))
}

/// Reads the input of flow `name` from wire JSON.
#[uniffi::export]
pub fn flow_input_from_json(name: String, json: String) -> Result<FlowInput, Error> {
    guard(|| flow_input_of(&name, &json))
}

/// A running flow (the core's flow contract: `next`, then report what happened). Calls are
/// serialised by a lock, so callbacks may arrive from any thread.
#[derive(uniffi::Object)]
pub struct NativeFlow {
    inner: Mutex<AnyFlow>,
}

impl NativeFlow {
    fn with<T>(&self, f: impl FnOnce(&mut AnyFlow) -> Result<T, Error>) -> Result<T, Error> {
        guard(|| {
            // A poisoned lock means a call panicked half-way: the state cannot be trusted.
            let mut flow = self.inner.lock().map_err(|_| {
                Error::invalid_state("the flow is unusable after an internal error")
            })?;
            f(&mut flow)
        })
    }

    fn wrap(flow: Result<AnyFlow, Error>) -> Result<Arc<Self>, Error> {
        flow.map(|f| {
            Arc::new(NativeFlow {
                inner: Mutex::new(f),
            })
        })
    }
}

#[uniffi::export]
impl NativeFlow {
    /// Starts a flow; `options.entropy` must carry 16 bytes from a secure random source.
    #[uniffi::constructor]
    pub fn start(
        config: Config,
        input: FlowInput,
        options: FlowOptions,
    ) -> Result<Arc<Self>, Error> {
        guard(|| Self::wrap(start_typed(config, input, options)))
    }

    /// Starts flow `name` (`btrust.sign`, …) with an input in wire JSON.
    #[uniffi::constructor]
    pub fn start_json(
        name: String,
        config: Config,
        input_json: String,
        options: FlowOptions,
    ) -> Result<Arc<Self>, Error> {
        guard(|| {
            let mut de = serde_json::Deserializer::from_str(&input_json);
            Self::wrap(AnyFlow::start(&name, config, &mut de, options))
        })
    }

    /// Rebuilds a flow from [`NativeFlow::snapshot`]'s text.
    #[uniffi::constructor]
    pub fn restore(snapshot: String) -> Result<Arc<Self>, Error> {
        guard(|| Self::wrap(AnyFlow::restore(&snapshot)))
    }

    /// The flow's name (`btrust.sign`, …).
    pub fn name(&self) -> Result<String, Error> {
        self.with(|f| Ok(f.name().to_owned()))
    }

    /// What to do next.
    pub fn next(&self, now_ms: u64) -> Result<FlowStep, Error> {
        self.with(|f| Ok(f.next(now_ms)))
    }

    /// Reports the response to request `id`.
    pub fn handle_response(
        &self,
        id: u64,
        response: HttpResponse,
        now_ms: u64,
    ) -> Result<(), Error> {
        self.with(|f| f.handle_response(id, response, now_ms))
    }

    /// Reports that request `id` got no complete response.
    pub fn handle_transport_error(
        &self,
        id: u64,
        kind: TransportErrorKind,
        now_ms: u64,
    ) -> Result<(), Error> {
        self.with(|f| f.handle_transport_error(id, kind, now_ms))
    }

    /// Hands a callback body the relying party received to the flow (identification
    /// callbacks are checked against the flow's relying party).
    pub fn handle_callback(&self, body: Vec<u8>, now_ms: u64) -> Result<(), Error> {
        self.with(|f| f.handle_callback_body(&body, now_ms))
    }

    /// The whole state as versioned JSON text (holds personal data: store it like any).
    pub fn snapshot(&self) -> Result<String, Error> {
        self.with(|f| Ok(f.snapshot()))
    }

    /// Progress for display (no personal data).
    pub fn progress(&self) -> Result<Progress, Error> {
        self.with(|f| Ok(f.progress()))
    }

    /// The configuration the flow runs with.
    pub fn config(&self) -> Result<Config, Error> {
        self.with(|f| Ok(f.config().clone()))
    }

    /// Transition-table rows taken since the last call (for the conformance runner).
    pub fn take_transitions(&self) -> Result<Vec<String>, Error> {
        self.with(|f| {
            Ok(f.take_transitions()
                .into_iter()
                .map(str::to_owned)
                .collect())
        })
    }

    /// Every row of the flow's transition table (for the conformance runner).
    pub fn table(&self) -> Result<Vec<String>, Error> {
        self.with(|f| Ok(f.table().iter().map(|s| (*s).to_owned()).collect()))
    }
}

//! `NativeFlow`: any flow of the core, driven by name (see cqes-core's flow contract).

use crate::wire::{wire, Wire};
use crate::{de, guard, ms, response, NativeConfig};
use cqes_core::btrust::registry::{self, AnyFlow, FlowStep};
use cqes_core::flow::FlowOptions;
use cqes_core::{Error, TransportErrorKind};
use napi::bindgen_prelude::Unknown;
use napi::{De, Env};
use napi_derive::napi;
use serde::Serialize;

/// A running flow (see cqes-core's flow contract).
#[napi(js_name = "NativeFlow")]
pub struct NativeFlow {
    inner: AnyFlow,
}

#[napi]
impl NativeFlow {
    /// Starts flow `name` (`btrust.sign`, …) with a config, an input and options.
    #[napi(factory)]
    pub fn start(
        env: Env,
        name: String,
        config: &NativeConfig,
        input: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<Self> {
        guard(|| {
            let config = config.inner.clone();
            let options: FlowOptions = match options {
                Some(o)
                    if !matches!(
                        o.get_type(),
                        Ok(napi::ValueType::Undefined | napi::ValueType::Null)
                    ) =>
                {
                    let value = de(&env, &o);
                    registry::deserialize_input(&mut De::new(&value))?
                }
                _ => FlowOptions::default(),
            };
            let value = de(&env, &input);
            AnyFlow::start(&name, config, &mut De::new(&value), options)
                .map(|inner| NativeFlow { inner })
        })
    }

    /// Rebuilds a flow from `snapshot()`'s text.
    #[napi(factory)]
    pub fn restore(snapshot: String) -> napi::Result<Self> {
        guard(|| AnyFlow::restore(&snapshot).map(|inner| NativeFlow { inner }))
    }

    /// The flow's name.
    #[napi(getter)]
    pub fn name(&self) -> &'static str {
        self.inner.name()
    }

    /// What to do next: `{step: "send", id, request}`, `{step: "wait", untilMs}`,
    /// `{step: "done", outcome}` or `{step: "failed", error, message}` (the error's JSON and
    /// text), as a [`Wire`].
    #[napi(ts_return_type = "Wire")]
    pub fn next_wire(&mut self, now_ms: f64) -> napi::Result<Wire> {
        #[derive(Serialize)]
        #[serde(tag = "step", rename_all = "lowercase")]
        enum Out<'a> {
            Send {
                id: u64,
                request: &'a cqes_core::HttpRequest,
            },
            Wait {
                #[serde(rename = "untilMs")]
                until_ms: Option<u64>,
            },
            Done {
                outcome: &'a registry::FlowOutcome,
            },
            Failed {
                error: serde_json::Value,
                message: String,
            },
        }
        guard(|| {
            let step = self.inner.next(ms(now_ms)?);
            wire(&match &step {
                FlowStep::Send(o) => Out::Send {
                    id: o.id,
                    request: &o.request,
                },
                FlowStep::Wait { until_ms } => Out::Wait {
                    until_ms: *until_ms,
                },
                FlowStep::Done(outcome) => Out::Done { outcome },
                FlowStep::Failed(e) => Out::Failed {
                    error: e.to_json(),
                    message: e.to_string(),
                },
            })
        })
    }

    /// Reports the response to request `id`.
    #[napi]
    pub fn handle_response(
        &mut self,
        id: f64,
        status: u32,
        headers: String,
        body: &[u8],
        now_ms: f64,
    ) -> napi::Result<()> {
        guard(|| {
            let resp = response(status, &headers, body)?;
            self.inner.handle_response(ms(id)?, resp, ms(now_ms)?)
        })
    }

    /// Reports that request `id` failed: `kind` is `connect`, `tls`, `timeout`, `io`,
    /// `too_large` or `other`.
    #[napi]
    pub fn handle_transport_error(
        &mut self,
        id: f64,
        kind: String,
        now_ms: f64,
    ) -> napi::Result<()> {
        guard(|| {
            let kind: TransportErrorKind = serde_json::from_value(serde_json::Value::from(kind))
                .map_err(|_| Error::invalid_state("unknown transport error kind"))?;
            self.inner
                .handle_transport_error(ms(id)?, kind, ms(now_ms)?)
        })
    }

    /// Hands a callback body the relying party received to the flow.
    #[napi]
    pub fn handle_callback(&mut self, body: &[u8], now_ms: f64) -> napi::Result<()> {
        guard(|| self.inner.handle_callback_body(body, ms(now_ms)?))
    }

    /// The whole state as versioned JSON text.
    #[napi]
    pub fn snapshot(&self) -> String {
        self.inner.snapshot()
    }

    /// Progress for display (no personal data), as a [`Wire`].
    #[napi(ts_return_type = "Wire")]
    pub fn progress_wire(&self) -> napi::Result<Wire> {
        guard(|| wire(&self.inner.progress()))
    }

    /// Transition-table rows taken since the last call (for the conformance runner).
    #[napi]
    pub fn take_transitions(&mut self) -> Vec<&'static str> {
        self.inner.take_transitions()
    }

    /// Every row of the flow's transition table (for the conformance runner).
    #[napi]
    pub fn table(&self) -> Vec<&'static str> {
        self.inner.table().to_vec()
    }
}

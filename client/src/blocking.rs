//! A blocking facade over [`crate::Client`] for programs without an async runtime. It owns a
//! small current-thread runtime; each call blocks until done. Do not call it from inside an
//! async runtime.

use cqes_core::btrust::flows::SignOutcome;
use cqes_core::btrust::{Operation, SignRequest, SignerIdentity};
use cqes_core::Error;

/// The blocking client.
#[derive(Debug)]
pub struct Client {
    inner: crate::Client,
    runtime: tokio::runtime::Runtime,
}

impl Client {
    /// Wraps an async client.
    pub fn new(inner: crate::Client) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::invalid_state(format!("cannot start a runtime: {e}")))?;
        Ok(Client { inner, runtime })
    }

    /// See [`crate::Client::call`].
    pub fn call<O: Operation>(&self, input: &O::Input) -> Result<O::Output, Error> {
        self.runtime.block_on(self.inner.call::<O>(input))
    }

    /// See [`crate::Client::sign`].
    pub fn sign(
        &self,
        identity: SignerIdentity,
        request: SignRequest,
    ) -> Result<SignOutcome, Error> {
        self.runtime.block_on(self.inner.sign(identity, request))
    }
}

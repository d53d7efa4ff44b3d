//! Snapshots: a flow's state as versioned JSON, and reading it back in another process.

use crate::error::Error;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Version of the snapshot format written by [`snapshot`].
pub const SNAPSHOT_VERSION: u32 = 1;

#[derive(Serialize)]
struct SnapshotOut<'a, S> {
    version: u32,
    flow: &'a str,
    state: &'a S,
}

#[derive(Deserialize)]
struct SnapshotIn<S> {
    version: u32,
    flow: String,
    state: S,
}

/// Writes a flow's state as versioned JSON (byte strings as base64).
pub fn snapshot<S: Serialize>(flow: &str, state: &S) -> String {
    crate::json::to_string(&SnapshotOut {
        version: SNAPSHOT_VERSION,
        flow,
        state,
    })
    // Flow states hold only serialisable data; a failure here is a bug in the core, and
    // an empty snapshot is refused by `restore` rather than panicking across FFI.
    .unwrap_or_default()
}

/// Reads a snapshot written by [`snapshot`] for the flow named `flow`.
pub fn restore<S: DeserializeOwned>(flow: &str, text: &str) -> Result<S, Error> {
    let header: serde_json::Value = serde_json::from_slice(text.as_bytes())
        .map_err(|_| Error::invalid_state("the snapshot is not JSON"))?;
    let version = header.get("version").and_then(|v| v.as_u64());
    if version != Some(SNAPSHOT_VERSION as u64) {
        // The number is quoted only when it can be a version: the text is the host's input,
        // and a long digit run there may be anything (an EGN pasted into the wrong field).
        let found = match version {
            Some(v) if v < 1000 => format!("version {v}"),
            Some(_) => "a version number this build never wrote".to_owned(),
            None => "no version".to_owned(),
        };
        return Err(Error::invalid_state(format!(
            "the snapshot has {found}; this build reads version {SNAPSHOT_VERSION}"
        )));
    }
    // The state is read from the text again, not from `header`: every typed read of the core
    // goes through serde_json's slice reader, so each model's code exists once.
    let parsed: SnapshotIn<S> = serde_json::from_slice(text.as_bytes()).map_err(|e| {
        Error::invalid_state(format!(
            "the snapshot is corrupt: {}",
            crate::json::scrub(&e.to_string(), 160)
        ))
    })?;
    if parsed.flow != flow || parsed.version != SNAPSHOT_VERSION {
        return Err(Error::invalid_state(format!(
            "the snapshot belongs to flow {:?}, not {flow:?}",
            crate::json::scrub(&parsed.flow, 60)
        )));
    }
    Ok(parsed.state)
}

//! Snapshots are stored by hosts between processes (a flow outlives a deploy), so a snapshot
//! written by an earlier build must still restore. `snapshots/v1-legacy.json` holds one
//! snapshot per flow and state, taken before the flow engines were unified; this test
//! restores each, and checks that one without a request in flight is written back byte for
//! byte (the state format did not drift). One with a request in flight restores as that
//! request lost (row X4), so it is only checked to restore.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cqes_core::btrust::registry::AnyFlow;
use serde_json::Value;
use std::path::Path;

#[test]
fn legacy_snapshots_restore_unchanged() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/v1-legacy.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = file["snapshots"].as_array().unwrap();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let snapshot = case["snapshot"].as_str().unwrap();
        let mut flow = match AnyFlow::restore(snapshot) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let in_flight: Value = serde_json::from_str(snapshot).unwrap();
        if in_flight["state"]["exchange"]["inFlight"].is_null() {
            if flow.snapshot() != snapshot {
                failures.push(format!("{name}: written back differently"));
            }
        } else if flow.take_transitions().first() != Some(&"X4") {
            failures.push(format!(
                "{name}: a request in flight is not restored as lost"
            ));
        }
    }
    eprintln!("legacy snapshots: {} restored", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

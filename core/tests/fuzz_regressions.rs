//! Regressions found by the fuzz targets (core/fuzz, docs/fuzzing.md). Each test replays what
//! the fuzzer found, through the registry as hosts call it.
//!
//! `flow_drive` found that times near the end of the clock overflowed when a flow scheduled
//! its next poll, retry or deadline (`now + delay`: a panic in debug builds, a deadline in the
//! past after wrapping in release builds); `restore` reaches the same code with counters at
//! their maximum from an edited snapshot. Both now saturate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use cqes_core::btrust::registry::{AnyFlow, FlowStep, FLOWS};
use cqes_core::btrust::Config;
use cqes_core::flow::FlowOptions;
use cqes_core::{HttpResponse, TransportErrorKind};
use serde_json::Value;

const FLOW_VECTORS: &[&str] = &[
    include_str!("../../tests/vectors/flows/sign.json"),
    include_str!("../../tests/vectors/flows/qr-sign.json"),
    include_str!("../../tests/vectors/flows/mobile-identification.json"),
    include_str!("../../tests/vectors/flows/web-identification.json"),
    include_str!("../../tests/vectors/flows/web-otc-sign.json"),
    include_str!("../../tests/vectors/flows/consent.json"),
    include_str!("../../tests/vectors/flows/auto-sign.json"),
    include_str!("../../tests/vectors/flows/batch-sign.json"),
    include_str!("../../tests/vectors/flows/oidc-sign.json"),
];

/// The first case of every flow vector file: the flow, its config and input, and the body of
/// every response its steps give, in order.
fn cases() -> Vec<(AnyFlow, Vec<HttpResponse>)> {
    let mut out = Vec::new();
    for text in FLOW_VECTORS {
        let file: Value = serde_json::from_str(text).unwrap();
        let case = &file["cases"][0];
        let config: Config = serde_json::from_value(file["config"].clone()).unwrap();
        let options: FlowOptions =
            serde_json::from_value(case["options"].clone()).unwrap_or_default();
        let name = case["flow"].as_str().unwrap();
        let flow = AnyFlow::start(name, config, &case["input"], options).unwrap();
        let responses = case["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s.get("respond"))
            .map(|r| {
                let status = r["status"].as_u64().unwrap() as u16;
                let body = match (r.get("bodyJson"), r.get("body")) {
                    (Some(j), _) => serde_json::to_vec(j).unwrap(),
                    (None, Some(Value::String(b))) => b.clone().into_bytes(),
                    _ => Vec::new(),
                };
                let mut resp = HttpResponse::new(status, body);
                for h in r["headers"].as_array().into_iter().flatten() {
                    resp = resp.with_header(h[0].as_str().unwrap(), h[1].as_str().unwrap());
                }
                resp
            })
            .collect();
        out.push((flow, responses));
    }
    assert_eq!(out.len(), FLOWS.len(), "a flow vector file per flow");
    out
}

/// Drives `flow` at time `now`: answers each request with the vectors' responses in turn and
/// a timeout after them, and checks every wait lies at or after `now`.
fn drive(flow: &mut AnyFlow, responses: &[HttpResponse], now: u64) {
    let mut answers = responses.iter();
    for _ in 0..12 {
        match flow.next(now) {
            FlowStep::Send(o) => match answers.next() {
                Some(r) => flow.handle_response(o.id, r.clone(), now).unwrap(),
                None => flow
                    .handle_transport_error(o.id, TransportErrorKind::Timeout, now)
                    .unwrap(),
            },
            FlowStep::Wait { until_ms: Some(t) } => assert!(t >= now, "a wait in the past"),
            FlowStep::Wait { until_ms: None } => panic!("waiting with nothing outstanding"),
            FlowStep::Done(_) | FlowStep::Failed(_) => return,
        }
    }
}

#[test]
fn times_at_the_end_of_the_clock_saturate() {
    for (mut flow, responses) in cases() {
        drive(&mut flow, &responses, u64::MAX - 5);
    }
}

#[test]
fn counters_at_their_maximum_in_a_snapshot_saturate() {
    fn max_out(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    match k.as_str() {
                        "nextId" => *x = Value::from(u64::MAX),
                        "sent" | "polls" | "failures" | "submissions" => *x = Value::from(u32::MAX),
                        _ => max_out(x),
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(max_out),
            _ => {}
        }
    }
    for (mut flow, responses) in cases() {
        // Past the submission, so polls and retries are counted too.
        let now = 1_700_000_000_000;
        if let FlowStep::Send(o) = flow.next(now) {
            flow.handle_response(o.id, responses[0].clone(), now)
                .unwrap();
        }
        let mut snap: Value = serde_json::from_str(&flow.snapshot()).unwrap();
        max_out(&mut snap);
        let mut restored = AnyFlow::restore(&snap.to_string()).unwrap();
        drive(&mut restored, &responses[1..], now + 1);
    }
}

/// `restore` found a snapshot's flow name quoted back unscrubbed (`unknown flow "0442291233"`).
#[test]
fn an_unknown_flow_name_in_a_snapshot_is_not_quoted() {
    let e = AnyFlow::restore(r#"{"version":1,"flow":"0442291233","state":{}}"#).unwrap_err();
    assert_eq!(e.code(), "invalid_state");
    assert!(!e.to_string().contains("0442291233"), "{e}");
}

/// `restore` (the fuzz target) found the snapshot's version quoted back whatever it was: a
/// long digit run there may be personal data pasted into the wrong place. Small numbers,
/// which can be versions, are still quoted.
#[test]
fn a_long_version_number_in_a_snapshot_is_not_quoted() {
    let e =
        AnyFlow::restore(r#"{"version":7501010010,"flow":"btrust.sign","state":{}}"#).unwrap_err();
    assert_eq!(e.code(), "invalid_state");
    assert!(!e.to_string().contains("7501010010"), "{e}");
    let e = AnyFlow::restore(r#"{"version":2,"flow":"btrust.sign","state":{}}"#).unwrap_err();
    assert!(e.to_string().contains("version 2"), "{e}");
}

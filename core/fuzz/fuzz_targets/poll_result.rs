//! Poll results fed to the parser and to a running SignFlow: no panic, and the flow always
//! answers with a step (never an inconsistent state). The flow in its polling state is built
//! once per process and cloned per input (building it from JSON every time cost 98% of the
//! run).
#![no_main]
use cqes_core::btrust::signing::GetSignedResult;
use cqes_core::btrust::{Config, Environment, Operation, SignFlow};
use cqes_core::flow::{Flow, FlowOptions, Step};
use cqes_core::HttpResponse;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// A two-document sign flow whose submission was accepted, ready to poll.
fn polling() -> &'static SignFlow {
    static FLOW: OnceLock<SignFlow> = OnceLock::new();
    FLOW.get_or_init(|| {
        let config = Config::new(Environment::Uat, "12345678");
        let input = serde_json::from_value(serde_json::json!({
            "identity": {"personalId": "7501010010"},
            "request": {"contents": [
                {"confirmText": "a", "contentFormat": "BINARY_BASE64", "data": "aGVsbG8="},
                {"confirmText": "b", "contentFormat": "BINARY_BASE64", "data": "aGVsbG8="}
            ], "relyingPartyCallbackId": "rp-1"}
        }))
        .expect("the fixed input reads");
        let mut f = SignFlow::new(config, input, FlowOptions::default()).expect("the flow starts");
        let Step::Send(submit) = f.next(0) else {
            panic!("first step sends")
        };
        let accepted =
            br#"{"code":"ACCEPTED","data":{"callbackId":"cb","validity":"2030-01-01T00:00:00Z"}}"#;
        f.handle_response(submit.id, HttpResponse::new(202, accepted.to_vec()), 1)
            .expect("the submission is accepted");
        f
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let status = [200u16, 206, 404, 500][(sel % 4) as usize];
    let _ = GetSignedResult::parse(HttpResponse::new(status, body.to_vec()));

    let mut f = polling().clone();
    let mut now = 2;
    for _ in 0..3 {
        match f.next(now + 10_000_000) {
            Step::Send(poll) => {
                f.handle_response(poll.id, HttpResponse::new(status, body.to_vec()), now)
                    .expect("the answer to the outstanding poll is accepted");
            }
            Step::Wait { .. } | Step::Done(_) | Step::Failed(_) => {}
        }
        now += 20_000_000;
        let _ = f.snapshot();
        let _ = f.progress();
    }
});

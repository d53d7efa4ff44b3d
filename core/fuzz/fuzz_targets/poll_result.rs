//! Poll results fed to the parser and to a running SignFlow: no panic, and the flow always
//! answers with a step (never an inconsistent state).
#![no_main]
use cqes_core::btrust::signing::GetSignedResult;
use cqes_core::btrust::{Config, Environment, Operation, SignFlow};
use cqes_core::flow::{Flow, FlowOptions, Step};
use cqes_core::HttpResponse;
use libfuzzer_sys::fuzz_target;

fn flow() -> SignFlow {
    let config = Config::new(Environment::Uat, "12345678");
    let input = serde_json::from_value(serde_json::json!({
        "identity": {"personalId": "7501010010"},
        "request": {"contents": [
            {"confirmText": "a", "contentFormat": "BINARY_BASE64", "data": "aGVsbG8="},
            {"confirmText": "b", "contentFormat": "BINARY_BASE64", "data": "aGVsbG8="}
        ], "relyingPartyCallbackId": "rp-1"}
    }))
    .unwrap();
    SignFlow::new(config, input, FlowOptions::default()).unwrap()
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else { return };
    let status = [200u16, 206, 404, 500][(sel % 4) as usize];
    let _ = GetSignedResult::parse(HttpResponse::new(status, body.to_vec()));

    let mut f = flow();
    let Step::Send(submit) = f.next(0) else { panic!("first step sends") };
    let accepted = br#"{"code":"ACCEPTED","data":{"callbackId":"cb","validity":"2030-01-01T00:00:00Z"}}"#;
    f.handle_response(submit.id, HttpResponse::new(202, accepted.to_vec()), 1).unwrap();
    let mut now = 2;
    for _ in 0..3 {
        match f.next(now + 10_000_000) {
            Step::Send(poll) => {
                f.handle_response(poll.id, HttpResponse::new(status, body.to_vec()), now).unwrap();
            }
            Step::Wait { .. } | Step::Done(_) | Step::Failed(_) => {}
        }
        now += 20_000_000;
        let _ = f.snapshot();
        let _ = f.progress();
    }
});

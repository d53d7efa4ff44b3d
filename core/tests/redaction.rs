//! Personal data and credentials never appear in Debug output, Display or error messages.
#![allow(clippy::unwrap_used, missing_docs)]

use cqes_core::btrust::{registry, Config, Environment, SignFlow};
use cqes_core::flow::{Flow, FlowOptions, Step};
use cqes_core::HttpResponse;
use serde_json::json;

const EGN: &str = "7501010010";
const OTP: &str = "523112";
const EMAIL: &str = "ivan.petrov@example.bg";
const TOKEN: &str = "TPC7416DC60EEEC8252E2531413010AD170";

fn assert_clean(text: &str) {
    for secret in [EGN, OTP, EMAIL, TOKEN, "032-552574"] {
        assert!(!text.contains(secret), "{secret} leaked into: {text}");
    }
}

fn cfg() -> Config {
    Config::new(Environment::Uat, "12345678")
}

#[test]
fn requests_hide_identity_headers_and_path_segments() {
    for identity in [
        json!({"personalId": EGN}),
        json!({"profileId": {"id": "032-552574", "otp": OTP}}),
        json!({"clientToken": TOKEN}),
    ] {
        let input = json!({"identity": identity, "request": {"contents": [
            {"confirmText": "x", "contentFormat": "TEXT", "data": "hello"}]}});
        let req = registry::build_request("btrust.sendSignRequest", &cfg(), &input).unwrap();
        assert_clean(&format!("{req:?}"));
        let parsed: cqes_core::btrust::signing::SendSignRequestInput =
            serde_json::from_value(input).unwrap();
        assert_clean(&format!("{parsed:?}"));
    }
    let req = registry::build_request(
        "btrust.getCertByIdentity",
        &cfg(),
        &json!({"identificatorType": "EMAIL", "identityValue": EMAIL}),
    )
    .unwrap();
    assert!(req.url.contains("example.bg"));
    assert_clean(&format!("{req:?}"));
    assert_clean(&req.log_url);
}

#[test]
fn validation_errors_never_quote_values() {
    let input = json!({"identity": {"personalId": "7501010011"}, "request": {"contents": [
        {"confirmText": "x", "contentFormat": "BINARY_BASE64", "data": "!!", "fileName": EMAIL.repeat(20)}],
        "callbackURL": format!("http://{EMAIL}/cb")}});
    let err = registry::build_request("btrust.sendSignRequest", &cfg(), &input).unwrap_err();
    assert_clean(&err.to_string());
    assert_clean(&format!("{err:?}"));
    assert_clean(&err.to_json().to_string());
    assert!(err.to_string().contains("identity.personalId"));
    // A value of the wrong type: serde would quote it; the issue must not.
    let err = registry::build_request(
        "btrust.getCertByIdentity",
        &cfg(),
        &json!({"identificatorType": "EGN", "identityValue": 7501010010u64}),
    )
    .unwrap_err();
    assert_clean(&err.to_json().to_string());
}

#[test]
fn api_errors_and_excerpts_are_scrubbed() {
    let body = format!(
        r#"{{"code":"BAD_REQUEST","message":"Client {EGN} / {EMAIL} / token {TOKEN} unknown"}}"#
    );
    let err = registry::parse_response_json(
        "btrust.getSignedResult",
        HttpResponse::new(400, body.clone()),
    )
    .unwrap_err();
    assert_clean(&err.to_json().to_string());
    let err = registry::parse_response_json(
        "btrust.getSignedResult",
        HttpResponse::new(200, format!("<p>{EGN} {EMAIL}</p>")),
    )
    .unwrap_err();
    assert_clean(&err.to_json().to_string());
}

#[test]
fn flows_and_client_tokens_hide_secrets() {
    let input = serde_json::from_value(json!({"identity": {"personalId": EGN}, "request": {"contents": [
        {"confirmText": "x", "contentFormat": "TEXT", "data": "hello"}], "relyingPartyCallbackId": "rp-1"}})).unwrap();
    let mut flow = SignFlow::new(cfg(), input, FlowOptions::default()).unwrap();
    let Step::Send(out) = flow.next(0) else {
        panic!()
    };
    assert_clean(&format!("{out:?} {flow:?}"));
    assert_clean(&serde_json::to_string(&flow.progress()).unwrap());
    let ok = HttpResponse::new(
        200,
        format!(r#"{{"code":"OK","data":{{"clientToken":"{TOKEN}"}}}}"#),
    );
    let parsed = cqes_core::btrust::certificates::ClientAuth::parse_debug(ok);
    assert_clean(&parsed);
}

trait ParseDebug {
    fn parse_debug(resp: HttpResponse) -> String;
}
impl<O: cqes_core::btrust::Operation> ParseDebug for O
where
    O::Output: std::fmt::Debug,
{
    fn parse_debug(resp: HttpResponse) -> String {
        format!("{:?}", O::parse(resp).unwrap())
    }
}

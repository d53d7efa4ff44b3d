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

/// The ARS access token travels only in `X-ACCESS-TOKEN`: never in a request's Debug, an
/// input's or a flow's Debug, an outcome's Debug, or an error; the OIDC signer's claims are
/// named, never shown.
#[test]
fn ars_tokens_and_oidc_claims_stay_hidden() {
    use cqes_core::btrust::flows::{AutoSignFlow, AutoSignFlowInput, ConsentFlow};
    let content = json!({"confirmText": "x", "contentFormat": "TEXT", "data": "hello"});
    for (op, input) in [
        ("btrust.validateAccessToken", json!({"accessToken": TOKEN})),
        (
            "btrust.sendSyncSignRequest",
            json!({"accessToken": TOKEN, "request": {"contents": [content]}}),
        ),
        (
            "btrust.sendAsyncSignInBatchRequest",
            json!({"accessToken": TOKEN, "request": {"contents": [content]}}),
        ),
        (
            "btrust.getSignedBatchOrCheckSigningStatus",
            json!({"accessToken": TOKEN, "callbackId": "b-1"}),
        ),
    ] {
        let req = registry::build_request(op, &cfg(), &input).unwrap();
        assert_eq!(req.header("X-ACCESS-TOKEN"), Some(TOKEN), "{op}");
        assert_clean(&format!("{req:?}"));
        assert!(!req.log_url.contains(TOKEN));
    }
    let input: AutoSignFlowInput =
        serde_json::from_value(json!({"accessToken": TOKEN, "request": {"contents": [content]}}))
            .unwrap();
    assert_clean(&format!("{input:?}"));
    let mut flow = AutoSignFlow::new(cfg(), input, FlowOptions::default()).unwrap();
    assert_clean(&format!("{flow:?}"));
    let Step::Send(out) = flow.next(1_700_000_000_000) else {
        panic!("validates first")
    };
    // The service refuses: the typed error names the reason, never the token.
    let body =
        json!({"code": "CONSENT_REVOKE", "responseCode": "CONSENT_REVOKE", "message": TOKEN});
    flow.handle_response(
        out.id,
        HttpResponse::new(400, serde_json::to_vec(&body).unwrap()),
        1,
    )
    .unwrap();
    let Step::Failed(e) = flow.next(2) else {
        panic!("consent needed")
    };
    assert_eq!(e.code(), "consent_required");
    assert_clean(&format!("{e} {e:?} {}", e.to_json()));

    // An approved consent: the outcome's Debug hides the token.
    let consent = json!({"identity": {"certId": "22222"}, "request": {"expirationTime": 365,
        "organisation": {"orgIdentifier": "121234567", "orgIdentifierType": "BULSTAT", "orgName": "O"},
        "role": "r", "subject": "s"}});
    let mut flow = ConsentFlow::new(
        cfg(),
        serde_json::from_value(consent).unwrap(),
        FlowOptions::default(),
    )
    .unwrap();
    let Step::Send(out) = flow.next(0) else {
        panic!()
    };
    let accepted = json!({"code": "ACCEPTED", "data": {"callbackId": "c-1"}});
    flow.handle_response(
        out.id,
        HttpResponse::new(202, serde_json::to_vec(&accepted).unwrap()),
        0,
    )
    .unwrap();
    let Step::Send(out) = flow.next(10_000) else {
        panic!()
    };
    let done = json!({"code": "COMPLETED", "data": {"accessToken": TOKEN, "expirationDate": "2027-01-01T00:00:00Z"}});
    flow.handle_response(
        out.id,
        HttpResponse::new(200, serde_json::to_vec(&done).unwrap()),
        10_001,
    )
    .unwrap();
    let Step::Done(outcome) = flow.next(10_002) else {
        panic!()
    };
    assert_eq!(outcome.access_token.expose(), TOKEN);
    assert_clean(&format!("{outcome:?} {flow:?}"));

    let claims: cqes_core::btrust::oidc::OidcUserData =
        serde_json::from_value(json!({"sub": format!("PNOBG-{EGN}"), "email": EMAIL})).unwrap();
    assert_clean(&format!("{claims:?}"));
}

//! OIDC signing against the sandbox over mutual TLS: the authorisation URL from the flow's
//! progress, the sandbox's login page driven as a browser would (form post, redirect not
//! followed), the result and the signer's data; and a cancellation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::*;
use cqes_core::btrust::flows::OidcSignFlowInput;
use cqes_core::btrust::oidc::OidcSignRequest;
use cqes_core::flow::UserAction;
use cqes_core::Error;
use cqes_sandbox::SandboxConfig;

fn input() -> OidcSignFlowInput {
    OidcSignRequest {
        contents: vec![pdf_content()],
        redirect_uri: "https://rp.example.bg/oidc/return".into(),
        state: Some("st-1".into()),
        relying_party_callback_id: None,
        additional: Default::default(),
    }
}

/// Runs the flow; when the authorisation URL appears, "the browser" opens it and presses
/// `button` as the first customer. Returns the outcome and the redirect's Location.
async fn run(
    button: &'static str,
) -> (
    Result<cqes_core::btrust::flows::OidcSignOutcome, Error>,
    String,
    u64,
) {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let browser = tokio::spawn(async move {
        let url = rx.recv().await.unwrap();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let page = http.get(&url).send().await.unwrap().text().await.unwrap();
        assert!(
            page.contains("contract.pdf"),
            "the page lists the documents"
        );
        let cert = page
            .split("option value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let r = http
            .post(format!("{url}/{button}"))
            .form(&[("certId", cert)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        r.headers()["location"].to_str().unwrap().to_owned()
    });
    let mut flow = c.start_sign_with_oidc(input()).unwrap();
    let mut sent = false;
    let outcome = c
        .run(
            &mut flow,
            |p| {
                if let (false, Some(UserAction::OpenUrl { url })) = (sent, &p.user_action) {
                    sent = true;
                    tx.send(url.clone()).unwrap();
                }
            },
            None,
        )
        .await;
    let location = browser.await.unwrap();
    let docs = sb
        .stats()
        .requests
        .get("btrust.getOidcSignResultUserData")
        .copied()
        .unwrap_or(0);
    sb.stop().await;
    (outcome, location, docs)
}

#[tokio::test]
async fn the_user_logs_in_and_confirms_then_the_result_and_user_data_arrive() {
    let (outcome, location, user_data_calls) = run("confirm").await;
    let o = outcome.expect("signed");
    assert!(
        location.starts_with("https://rp.example.bg/oidc/return?callbackId="),
        "{location}"
    );
    assert!(
        location.contains(&o.callback_id) && location.contains("state=st-1"),
        "{location}"
    );
    assert_eq!(o.signatures.len(), 1);
    assert!(o.signatures[0].status.is_signed());
    assert!(o.user_data.claims.0["sub"]
        .as_str()
        .unwrap()
        .starts_with("PNOBG-"));
    assert!(
        !format!("{:?}", o.user_data).contains("PNOBG"),
        "claims never reach Debug"
    );
    assert_eq!(user_data_calls, 1);
}

#[tokio::test]
async fn the_user_cancels_and_the_flow_says_rejected() {
    let (outcome, location, user_data_calls) = run("cancel").await;
    assert!(location.contains("error=access_denied"), "{location}");
    assert!(
        matches!(outcome, Err(Error::Rejected { .. })),
        "{outcome:?}"
    );
    assert_eq!(user_data_calls, 0);
}

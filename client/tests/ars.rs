//! Automatic Remote Signing against the sandbox over real mutual TLS: consent (approved and
//! rejected through the control API), automatic signing of real documents, every reason a
//! token stops working, the limits, `REQUEST_TIMEOUT` reconciled and a lost answer never
//! resent.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::field_reassign_with_default,
    missing_docs
)]

mod common;

use common::*;
use cqes::Client;
use cqes_core::btrust::ars::{
    ArsSignRequest, BatchSignRequest, ConsentRequest, OrgIdentifierType, Organisation,
};
use cqes_core::btrust::flows::{
    AutoSignFlowInput, BatchSignFlowInput, ConsentFlowInput, ConsentOutcome,
};
use cqes_core::btrust::{Content, SignerIdentity};
use cqes_core::flow::{Flow, Step};
use cqes_core::Error;
use cqes_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

/// The sandbox's first customer's certificate id (see the default users).
async fn cert_id(sb: &Sandbox) -> String {
    let users = control(sb, "GET", "/users", None).await;
    users.as_array().unwrap()[0]["certId"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn consent_input(sb: &Sandbox) -> ConsentFlowInput {
    ConsentFlowInput {
        identity: SignerIdentity::CertId(cert_id(sb).await.into()),
        request: ConsentRequest {
            expiration_time: 365,
            organisation: Organisation {
                org_identifier: "121234567".into(),
                org_identifier_type: OrgIdentifierType::Bulstat,
                org_name: "Пример ООД".into(),
            },
            role: "Управител".into(),
            subject: "Фактури".into(),
        },
    }
}

/// The pending consent's id, once the sandbox has it.
async fn pending_consent(sb: &Sandbox) -> String {
    for _ in 0..200 {
        let v = control(sb, "GET", "/ars", None).await;
        if let Some(c) = v["consents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["state"] == "IN_PROGRESS")
        {
            return c["callbackId"].as_str().unwrap().to_owned();
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no consent request reached the sandbox");
}

/// Consent approved by the signer through the control API.
async fn consent(sb: &Sandbox, c: &Client) -> (String, ConsentOutcome) {
    let input = consent_input(sb).await;
    let c2 = c.clone();
    let task = tokio::spawn(async move { c2.request_consent(input).await });
    let id = pending_consent(sb).await;
    let r = control(sb, "POST", &format!("/ars/consents/{id}/approve"), None).await;
    assert_eq!(r["state"], "COMPLETED");
    (id, task.await.unwrap().expect("consent approved"))
}

fn invoice(n: usize) -> Content {
    let mut c = Content::document(format!("Invoice {n}"), pdf());
    c.file_name = Some(format!("invoice-{n}.pdf"));
    c.signature_type = Some("PADES_BASELINE_B".into());
    c
}

fn auto(outcome: &ConsentOutcome, contents: Vec<Content>) -> AutoSignFlowInput {
    AutoSignFlowInput {
        access_token: outcome.access_token.clone(),
        request: ArsSignRequest { contents },
        token_expires_at_ms: outcome
            .expiration_date
            .as_ref()
            .and_then(|t| t.epoch_ms())
            .map(|t| t as u64),
        token_validated_at_ms: None,
        revalidate_after_ms: None,
        download: None,
    }
}

async fn ars(sb: &Sandbox) -> Value {
    control(sb, "GET", "/ars", None).await
}

#[tokio::test]
async fn consent_then_three_documents_signed_automatically() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let (_, outcome) = consent(&sb, &c).await;
    assert!(!outcome.access_token.expose().is_empty());
    assert!(
        !format!("{outcome:?}").contains(outcome.access_token.expose().as_str()),
        "the token never reaches Debug"
    );
    let doc = outcome.consent.as_ref().expect("signed consent document");
    assert!(doc.as_bytes().starts_with(b"%PDF"));
    // A PAdES signature field: `/ByteRange` over the file, a detached CAdES in `/Contents`.
    let has = |m: &[u8]| doc.as_bytes().windows(m.len()).any(|w| w == m);
    assert!(
        has(b"/ByteRange") && has(b"/ETSI.CAdES.detached"),
        "the consent is a signed PDF"
    );
    let expires = outcome
        .expiration_date
        .as_ref()
        .and_then(|t| t.epoch_ms())
        .unwrap() as u64;
    let days = (expires - cqes::now_ms()) / 86_400_000;
    assert!(
        (363..=365).contains(&days),
        "the token lives the days asked for: {days}"
    );

    let signed = c
        .auto_sign(auto(&outcome, (1..=3).map(invoice).collect()))
        .await
        .expect("signed");
    assert_eq!(signed.items.len(), 3);
    for (i, item) in signed.items.iter().enumerate() {
        assert_eq!(item.status.as_str(), "SIGNED", "item {i}");
        let d = item.document.as_ref().expect("downloaded");
        assert!(d.content.as_bytes().starts_with(b"%PDF"));
        assert_ne!(d.content.as_bytes(), &pdf()[..], "signed, not echoed");
    }
    assert!(
        signed.token_validated_at_ms.is_some(),
        "validated first: never validated before"
    );
    let v = ars(&sb).await;
    assert_eq!(v["documentsSigned"], 3);
    assert_eq!(v["syncRequests"], 1);
    let stats = sb.stats();
    assert_eq!(stats.requests["btrust.validateAccessToken"], 1);
    assert_eq!(stats.requests["btrust.getSignedContent"], 3);
    sb.stop().await;
}

#[tokio::test]
async fn a_consent_rejected_by_the_signer_is_a_typed_error() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let input = consent_input(&sb).await;
    let c2 = c.clone();
    let task = tokio::spawn(async move { c2.request_consent(input).await });
    let id = pending_consent(&sb).await;
    control(&sb, "POST", &format!("/ars/consents/{id}/reject"), None).await;
    let err = task.await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Rejected { .. }), "{err}");
    sb.stop().await;
}

#[tokio::test]
async fn every_reason_a_token_stops_working_asks_for_a_new_consent() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    for (action, code) in [
        ("revoke", "CONSENT_REVOKE"),
        ("detach-device", "DETACHED_DEVICE"),
        ("change-pin", "CHANGED_PIN"),
    ] {
        let (id, outcome) = consent(&sb, &c).await;
        // Recently validated: the flow signs straight away and hears the reason itself.
        let mut input = auto(&outcome, vec![invoice(1)]);
        input.token_validated_at_ms = Some(cqes::now_ms());
        c.auto_sign(input.clone()).await.expect("works before");
        control(&sb, "POST", &format!("/ars/consents/{id}/{action}"), None).await;
        let err = c.auto_sign(input).await.unwrap_err();
        assert!(
            matches!(&err, Error::ConsentRequired { code: c, .. } if c == code),
            "{action}: {err}"
        );
        // Validating first says the same, as a failed validation.
        let err = c
            .auto_sign(auto(&outcome, vec![invoice(2)]))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::ConsentRequired { code: c, .. } if c == "AR_SIGN_TOKEN_VALIDATION_FAILED"),
            "{action}: {err}"
        );
    }
    assert_eq!(
        ars(&sb).await["documentsSigned"],
        3,
        "only the three before invalidation"
    );
    sb.stop().await;
}

#[tokio::test]
async fn a_token_expires_with_the_sandbox_clock() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let (_, outcome) = consent(&sb, &c).await;
    control(
        &sb,
        "POST",
        "/clock/advance",
        Some(json!({"ms": 366u64 * 86_400_000})),
    )
    .await;
    let mut input = auto(&outcome, vec![invoice(1)]);
    input.token_expires_at_ms = None; // the flow does not know: the service must say so
    let err = c.auto_sign(input).await.unwrap_err();
    assert!(matches!(err, Error::ConsentRequired { .. }), "{err}");
    assert_eq!(ars(&sb).await["documentsSigned"], 0);
    sb.stop().await;
}

#[tokio::test]
async fn the_request_limit_is_a_typed_error_with_the_limit() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let (_, outcome) = consent(&sb, &c).await;
    let limits = json!({"maxBatchSize": 100, "maxRequestsPerToken": 1, "batchItemsPerPoll": 4, "timeoutNextSync": 0});
    control(&sb, "PUT", "/ars/limits", Some(limits)).await;
    c.auto_sign(auto(&outcome, vec![invoice(1)]))
        .await
        .expect("the first request");
    let err = c
        .auto_sign(auto(&outcome, vec![invoice(2)]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::LimitExceeded { code, limit: Some(1), .. } if code == "REQUEST EXCEED LIMIT"),
        "{err}"
    );
    sb.stop().await;
}

#[tokio::test]
async fn request_timeout_is_reconciled_and_the_document_is_not_signed_twice() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let (_, outcome) = consent(&sb, &c).await;
    let limits = json!({"maxBatchSize": 100, "maxRequestsPerToken": null, "batchItemsPerPoll": 4, "timeoutNextSync": 1});
    control(&sb, "PUT", "/ars/limits", Some(limits)).await;
    let signed = c
        .auto_sign(auto(&outcome, vec![invoice(1)]))
        .await
        .expect("found signed");
    assert!(signed.reconciled_callback_id.is_some());
    let d = signed.items[0].document.as_ref().expect("downloaded");
    assert!(d.content.as_bytes().starts_with(b"%PDF"));
    let v = ars(&sb).await;
    assert_eq!(v["syncRequests"], 1, "never resent");
    assert_eq!(v["documentsSigned"], 1);
    assert!(
        sb.stats().requests["btrust.getSignedResult"] >= 1,
        "checked by callbackId"
    );
    sb.stop().await;
}

#[tokio::test]
async fn a_lost_sync_answer_is_never_resent() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let (_, outcome) = consent(&sb, &c).await;
    let fault = json!({"seed": 1, "rules": [{"operation": "btrust.sendSyncSignRequest", "rate": 1.0, "kinds": ["commit_then_drop"], "limit": null}]});
    control(&sb, "PUT", "/faults", Some(fault)).await;
    let err = c
        .auto_sign(auto(&outcome, vec![invoice(1), invoice(2)]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err}");
    let v = ars(&sb).await;
    assert_eq!(v["syncRequests"], 1, "sent once");
    assert_eq!(v["documentsSigned"], 2, "each document signed once");
    assert_eq!(sb.stats().requests["btrust.sendSyncSignRequest"], 1);
    sb.stop().await;
}

fn batch(outcome: &ConsentOutcome, n: usize) -> BatchSignFlowInput {
    BatchSignFlowInput {
        access_token: outcome.access_token.clone(),
        request: BatchSignRequest {
            contents: (1..=n).map(invoice).collect(),
            additional: Default::default(),
        },
        download: None,
    }
}

#[tokio::test]
async fn a_batch_of_ten_is_signed_over_several_polls_and_downloaded() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let (_, outcome) = consent(&sb, &c).await;
    let done = c
        .sign_batch(batch(&outcome, 10))
        .await
        .expect("batch signed");
    assert_eq!((done.signed, done.not_signed), (10, 0));
    for item in &done.items {
        let d = item.document.as_ref().expect("downloaded");
        assert!(d.content.as_bytes().starts_with(b"%PDF"));
        assert_ne!(d.content.as_bytes(), &pdf()[..]);
    }
    let stats = sb.stats();
    assert!(
        stats.requests["btrust.getSignedBatchOrCheckSigningStatus"] >= 3,
        "4 items per poll: 206 twice, then 200"
    );
    assert_eq!(ars(&sb).await["documentsSigned"], 10);
    sb.stop().await;
}

#[tokio::test]
async fn a_batch_over_the_limit_is_refused_with_the_limit() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let (_, outcome) = consent(&sb, &c).await;
    let limits = json!({"maxBatchSize": 5, "maxRequestsPerToken": null, "batchItemsPerPoll": 4, "timeoutNextSync": 0});
    control(&sb, "PUT", "/ars/limits", Some(limits)).await;
    let err = c.sign_batch(batch(&outcome, 6)).await.unwrap_err();
    assert!(
        matches!(&err, Error::LimitExceeded { code, limit: Some(5), requested: Some(6), .. } if code == "BATCH_SIZE_EXCEED"),
        "{err}"
    );
    assert_eq!(ars(&sb).await["documentsSigned"], 0);
    sb.stop().await;
}

#[tokio::test]
async fn a_token_revoked_mid_batch_keeps_what_was_signed_and_reports_the_rest() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let (consent_id, outcome) = consent(&sb, &c).await;
    let limits = json!({"maxBatchSize": 100, "maxRequestsPerToken": null, "batchItemsPerPoll": 3, "timeoutNextSync": 0});
    control(&sb, "PUT", "/ars/limits", Some(limits)).await;
    let mut flow = c.start_batch_sign(batch(&outcome, 10)).unwrap();
    // Drive the flow by hand: revoke right after the first poll signed the first three.
    let mut revoked = false;
    let result = loop {
        match flow.next(cqes::now_ms()) {
            Step::Send(out) => {
                let is_poll = out.request.url.contains("/batch/async/")
                    && !out.request.url.ends_with("/sign");
                match c.transport().send(&out.request).await {
                    Ok(r) => flow.handle_response(out.id, r, cqes::now_ms()).unwrap(),
                    Err(f) => flow
                        .handle_transport_error(out.id, f.kind, cqes::now_ms())
                        .unwrap(),
                }
                if is_poll && !revoked {
                    control(
                        &sb,
                        "POST",
                        &format!("/ars/consents/{consent_id}/revoke"),
                        None,
                    )
                    .await;
                    revoked = true;
                }
            }
            Step::Wait { until_ms: Some(t) } => {
                tokio::time::sleep(std::time::Duration::from_millis(
                    t.saturating_sub(cqes::now_ms()),
                ))
                .await
            }
            Step::Wait { until_ms: None } => panic!("waiting for nothing"),
            Step::Done(o) => break o,
            Step::Failed(e) => panic!("{e}"),
        }
    };
    assert_eq!((result.signed, result.not_signed), (3, 7));
    for (i, item) in result.items.iter().enumerate() {
        if i < 3 {
            assert!(item.status.is_signed(), "item {i}");
            assert!(item.document.is_some(), "item {i} downloaded");
        } else {
            assert_eq!(item.status.as_str(), "REVOKED", "item {i}");
            assert!(item.document.is_none());
        }
    }
    assert_eq!(
        ars(&sb).await["documentsSigned"],
        3,
        "nothing signed after the revocation"
    );
    sb.stop().await;
}

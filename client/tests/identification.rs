//! Remote Identification end to end against the sandbox over mutual TLS: B-Trust Mobile
//! identification, web identification woken by callbacks, signing with a one-time
//! certificate, the customer pages driven over HTTP, and the operations with inferred shapes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::field_reassign_with_default,
    missing_docs
)]

mod common;

use common::*;
use cqes_core::btrust::otc_signing::{CreateSignSession, GenerateOtp, ValidateOtp};
use cqes_core::btrust::web_identification::{GetRegistrationStatus, GetWebIdentificationStatus};
use cqes_core::flow::{Flow, UserAction};
use cqes_core::Error;
use cqes_sandbox::SandboxConfig;
use serde_json::json;

fn mobile_request(
    egn: &str,
    dob: &str,
) -> cqes_core::btrust::identification::IdentificationRequest {
    serde_json::from_value(json!({"personIdentityData": {"docType": "EGN", "identificatorValue": egn, "dateOfBirth": dob},
        "phoneNumber": "+359888133443", "email": "ivan.petrov@example.bg", "payer": "RELYING_PARTY", "identificationReason": "Opening an account"}))
    .unwrap()
}

#[tokio::test]
async fn mobile_identification_returns_the_sealed_eid_certificate() {
    let sb = sandbox(approve_after(200)).await;
    let out = client(&sb)
        .identify_mobile(mobile_request(EGN, "01-01-1975"))
        .await
        .expect("identified");
    let pdf = out.eid_certificate.expect("eID certificate");
    assert!(pdf.as_bytes().starts_with(b"%PDF"));
    assert!(
        String::from_utf8_lossy(pdf.as_bytes()).contains("cqes sandbox"),
        "sealed by the sandbox's BORICA seal"
    );
    assert_eq!(out.identificator.as_ref().map(|i| i.len()), Some(64));
    assert_eq!(out.identification_before.as_deref(), Some("Demo Bank"));
    sb.stop().await;
}

#[tokio::test]
async fn mobile_identification_declined_and_expired() {
    let mut cfg = approve_after(100);
    cfg.behavior.mode = cqes_sandbox::BehaviorMode::Reject;
    let sb = sandbox(cfg).await;
    let err = client(&sb)
        .identify_mobile(mobile_request(EGN, "01-01-1975"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "rejected", "{err}");
    sb.stop().await;

    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let mut flow = c
        .start_mobile_identification(mobile_request("0442291233", "29-02-2004"))
        .unwrap();
    let task = {
        let c = c.clone();
        tokio::spawn(async move { c.run(&mut flow, |_| {}, None).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    control(
        &sb,
        "POST",
        "/clock/advance",
        Some(json!({"ms": 3_600_000})),
    )
    .await;
    assert_eq!(task.await.unwrap().unwrap_err().code(), "expired");
    sb.stop().await;
}

#[tokio::test]
async fn a_person_unknown_to_b_trust_is_onboarded_first() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let req = serde_json::from_value(json!({"personIdentityData": {"docType": "EMAIL", "identificatorValue": "new.person@example.bg", "dateOfBirth": "10-10-1990"}, "identificationReason": "KYC"})).unwrap();
    let accepted = c
        .call::<cqes_core::btrust::identification::Identification>(&req)
        .await
        .unwrap();
    let input = serde_json::from_value(json!({"callbackId": accepted.data.callback_id})).unwrap();
    let poll = c
        .call::<cqes_core::btrust::identification::GetIdentificationResult>(&input)
        .await
        .unwrap();
    assert_eq!(
        (poll.http_status, poll.status.as_deref()),
        (206, Some("ON_BOARDING"))
    );
    control(
        &sb,
        "POST",
        &format!("/identifications/{}/approve", accepted.data.callback_id),
        None,
    )
    .await;
    let done = c
        .call::<cqes_core::btrust::identification::GetIdentificationResult>(&input)
        .await
        .unwrap();
    assert_eq!(
        (done.http_status, done.status.as_deref()),
        (200, Some("FINISHED"))
    );
    sb.stop().await;
}

#[tokio::test]
async fn web_identification_then_one_time_signing_woken_by_callbacks() {
    let sb = sandbox(approve_after(300)).await;
    let c = client(&sb);
    let (port, mut callbacks, _) = receiver(c.config().clone()).await;
    let input = serde_json::from_value(json!({
        "requestCallbackUrl": format!("http://127.0.0.1:{port}/cb"),
        "identificationReason": "Opening an account",
        "registration": {"cancelUrl": format!("http://127.0.0.1:{port}/cancel"), "externalRef": "order-1",
            "successUrl": format!("http://127.0.0.1:{port}/ok"), "userLanguage": "en", "verifyEmailAddress": true, "verifyPhoneNumber": true}
    }))
    .unwrap();
    let mut flow = c.start_web_identification(input).unwrap();
    // Slow polls: finishing in time proves the callback woke the flow.
    let mut link = None;
    let ident = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        c.run(
            &mut flow,
            |p| {
                if let Some(UserAction::OpenUrl { url }) = &p.user_action {
                    link = Some(url.clone());
                }
            },
            Some(&mut callbacks),
        ),
    )
    .await
    .expect("done in time")
    .expect("identified");
    assert!(link
        .unwrap()
        .starts_with(&format!("{}/session/", sb.pages_url)));
    assert_eq!(ident.process_state.as_str(), "CREATE_SIGN_SESSION_REQUEST");
    assert!(ident
        .eid_document
        .as_ref()
        .unwrap()
        .as_bytes()
        .starts_with(b"%PDF"));
    let identificator = ident.client_identificator.clone().unwrap();
    assert_eq!(identificator.len(), 64);
    // The registration module: not enveloped.
    let reg = c
        .call::<GetRegistrationStatus>(
            &serde_json::from_value(json!({"registrationId": ident.registration_id})).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            reg.data.status.as_str(),
            reg.data.review_status.as_ref().map(|r| r.as_str())
        ),
        ("FINALIZED", Some("ALLOWED"))
    );

    // Sign two documents with a one-time certificate.
    let doc = |name: &str| {
        json!({"contentAsBase64": {"$bytes": cqes_core::Blob::from(pdf()).to_base64()}, "fileName": name, "legalFileName": format!("Document {name}"),
        "padesVisualSignature": true, "signaturePosition": {"imageHeight": 50, "imageWidth": 150, "imageXAxis": 40.0, "imageYAxis": 700.0, "pageNumber": 1}, "toBeArchived": false})
    };
    let sign_input = serde_json::from_value(json!({"identificator": identificator, "signSessionId": ident.sign_session_id.clone().unwrap(),
        "documentsForSign": [doc("a.pdf"), doc("b.pdf")], "sendSignedDocumentsByEmail": false,
        "cancelUrl": format!("http://127.0.0.1:{port}/cancel"), "successUrl": format!("http://127.0.0.1:{port}/ok")})).unwrap();
    let mut sign = c.start_web_otc_sign(sign_input).unwrap();
    let signed = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        c.run(&mut sign, |_| {}, Some(&mut callbacks)),
    )
    .await
    .expect("done in time")
    .expect("signed");
    assert_eq!(signed.documents.len(), 2);
    for d in &signed.documents {
        let bytes = d.content_as_base64.as_bytes();
        assert!(
            bytes.starts_with(&pdf()),
            "an incremental update of the original"
        );
        assert!(bytes.len() > pdf().len());
    }
    assert_eq!(
        signed.documents[0].filename.as_deref(),
        Some("a-signed.pdf")
    );
    // The sandbox counts a delivery once the receiver has answered, which can be after the
    // woken flow finished: give the count a moment.
    let mut delivered = 0;
    for _ in 0..100 {
        delivered = sb.stats().callbacks_delivered;
        if delivered >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(delivered >= 2, "{delivered} callbacks delivered");
    let _ = sign.progress();
    sb.stop().await;
}

/// Drives the two pages a customer opens, over plain HTTP, as a browser would (form posts,
/// 303 redirects to the relying party's URLs).
#[tokio::test]
async fn the_customer_pages_complete_identification_and_signing() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let (port, mut callbacks, landed) = receiver(c.config().clone()).await;
    let input = serde_json::from_value(json!({"requestCallbackUrl": format!("http://127.0.0.1:{port}/cb"), "identificationReason": "KYC",
        "registration": {"cancelUrl": format!("http://127.0.0.1:{port}/cancel"), "externalRef": "x", "successUrl": format!("http://127.0.0.1:{port}/ok"),
            "userLanguage": "bg", "verifyEmailAddress": false, "verifyPhoneNumber": false}})).unwrap();
    let mut flow = c.start_web_identification(input).unwrap();
    let browser = reqwest::Client::new();
    let c2 = c.clone();
    let task = tokio::spawn(async move {
        let r = c2.run(&mut flow, |_| {}, Some(&mut callbacks)).await;
        (r, callbacks)
    });
    // Wait for the registration, then act as the customer.
    let mut url = None;
    for _ in 0..100 {
        let list = control(&sb, "GET", "/identifications", None).await;
        if let Some(u) = list["web"][0]["identificationUrl"].as_str() {
            url = Some(u.to_owned());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let url = url.expect("registered");
    let page = browser
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Видео идентификация"),
        "the page speaks the registration's language"
    );
    let done = browser
        .post(format!("{url}/complete"))
        .form(&[("user", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        done.text().await.unwrap(),
        "landed",
        "redirected to successUrl"
    );
    let (ident, mut callbacks) = task.await.unwrap();
    let ident = ident.unwrap();
    assert_eq!(landed.lock().unwrap().as_slice(), ["ok"]);

    let sign_input = serde_json::from_value(json!({"identificator": ident.client_identificator.unwrap(), "signSessionId": ident.sign_session_id.unwrap(),
        "documentsForSign": [{"contentAsBase64": {"$bytes": cqes_core::Blob::from(pdf()).to_base64()}, "fileName": "c.pdf", "legalFileName": "Contract"}],
        "cancelUrl": format!("http://127.0.0.1:{port}/cancel"), "successUrl": format!("http://127.0.0.1:{port}/signed")})).unwrap();
    let mut sign = c.start_web_otc_sign(sign_input).unwrap();
    let c3 = c.clone();
    let task = tokio::spawn(async move { c3.run(&mut sign, |_| {}, Some(&mut callbacks)).await });
    let mut doc_url = None;
    for _ in 0..100 {
        let list = control(&sb, "GET", "/identifications", None).await;
        if let Some(u) = list["signSessions"][0]["documentUrl"].as_str() {
            doc_url = Some(u.to_owned());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let doc_url = doc_url.unwrap();
    let page = browser
        .get(&doc_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Contract"));
    let otp = page
        .split("id=\"otp\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let wrong = browser
        .post(format!("{doc_url}/sign"))
        .form(&[("otp", "000000x")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    assert!(wrong.text().await.unwrap().contains("id=\"error\""));
    let ok = browser
        .post(format!("{doc_url}/sign"))
        .form(&[("otp", otp.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.text().await.unwrap(), "landed");
    let signed = task.await.unwrap().unwrap();
    assert_eq!(signed.documents.len(), 1);
    assert_eq!(landed.lock().unwrap().as_slice(), ["ok", "signed"]);
    sb.stop().await;
}

#[tokio::test]
async fn cancelling_on_the_page_is_a_rejection() {
    let mut cfg = SandboxConfig::default();
    cfg.behavior = cqes_sandbox::Behavior {
        mode: cqes_sandbox::BehaviorMode::Reject,
        after_ms: 100,
    };
    let sb = sandbox(cfg).await;
    let c = client(&sb);
    let (port, mut callbacks, _) = receiver(c.config().clone()).await;
    let input = serde_json::from_value(json!({"requestCallbackUrl": format!("http://127.0.0.1:{port}/cb"), "identificationReason": "KYC",
        "registration": {"cancelUrl": "https://rp.example.bg/c", "externalRef": "x", "successUrl": "https://rp.example.bg/s",
            "userLanguage": "en", "verifyEmailAddress": false, "verifyPhoneNumber": false}})).unwrap();
    let mut flow = c.start_web_identification(input).unwrap();
    let err = c
        .run(&mut flow, |_| {}, Some(&mut callbacks))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Rejected { .. }), "{err}");
    sb.stop().await;
}

#[tokio::test]
async fn web_identification_without_otc_and_the_api_otp_path() {
    let sb = sandbox(approve_after(100)).await;
    let c = client(&sb);
    let (port, mut callbacks, _) = receiver(c.config().clone()).await;
    let reg = json!({"cancelUrl": "https://rp.example.bg/c", "externalRef": "x", "successUrl": "https://rp.example.bg/s", "userLanguage": "en", "verifyEmailAddress": false, "verifyPhoneNumber": false});
    let input = serde_json::from_value(json!({"requestCallbackUrl": format!("http://127.0.0.1:{port}/cb"), "identificationReason": "KYC", "registration": reg, "withoutOtc": true, "onlyMetadata": true})).unwrap();
    let mut flow = c.start_web_identification(input).unwrap();
    let out = c
        .run(&mut flow, |_| {}, Some(&mut callbacks))
        .await
        .unwrap();
    assert_eq!(out.process_state.as_str(), "PROCESS_IS_FINISHED");
    assert!(
        out.sign_session_id.is_none() && out.eid_document.is_none(),
        "no sign session, metadata only"
    );

    // With OTC, then the API-based code path (generate, validate) instead of the page.
    let input = serde_json::from_value(json!({"requestCallbackUrl": format!("http://127.0.0.1:{port}/cb"), "identificationReason": "KYC", "registration": reg})).unwrap();
    let mut flow = c.start_web_identification(input).unwrap();
    let out = c
        .run(&mut flow, |_| {}, Some(&mut callbacks))
        .await
        .unwrap();
    let renewed = c
        .call::<CreateSignSession>(
            &serde_json::from_value(
                json!({"identificator": out.client_identificator.clone().unwrap()}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let new_session = renewed.data.unwrap().0["signSessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(Some(new_session.clone()), out.sign_session_id);
    control(&sb, "PUT", "/behavior", Some(json!({"mode": "ignore"}))).await;
    // A document the sandbox could not sign is refused at submission, named.
    let tiny = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec();
    let refused = c.call::<cqes_core::btrust::otc_signing::StartSignSession>(&serde_json::from_value(json!({
        "identificator": out.client_identificator.clone().unwrap(), "signSessionId": new_session,
        "documentsForSign": [{"contentAsBase64": {"$bytes": cqes_core::Blob::from(tiny).to_base64()}, "fileName": "tiny.pdf", "legalFileName": "T"}],
        "cancelUrl": "https://rp.example.bg/c", "successUrl": "https://rp.example.bg/s"})).unwrap()).await.unwrap_err();
    assert!(
        matches!(&refused, Error::Api { http_status: 400, reason: Some(r), .. } if r.contains("tiny.pdf") && r.contains("cross-reference")),
        "{refused:?}"
    );
    let started = c.call::<cqes_core::btrust::otc_signing::StartSignSession>(&serde_json::from_value(json!({
        "identificator": out.client_identificator.unwrap(), "signSessionId": new_session,
        "documentsForSign": [{"contentAsBase64": {"$bytes": cqes_core::Blob::from(pdf()).to_base64()}, "fileName": "d.pdf", "legalFileName": "D"}],
        "cancelUrl": "https://rp.example.bg/c", "successUrl": "https://rp.example.bg/s"})).unwrap()).await.unwrap();
    let rid = started.data.result_id.clone();
    c.call::<GenerateOtp>(&serde_json::from_value(json!({"resultId": rid})).unwrap())
        .await
        .unwrap();
    let otp = control(&sb, "GET", &format!("/identifications/{rid}/otp"), None).await["otp"]
        .as_str()
        .unwrap()
        .to_owned();
    let bad = c
        .call::<ValidateOtp>(
            &serde_json::from_value(json!({"resultId": rid, "otp": "999999"})).unwrap(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&bad, Error::Api { response_code: Some(rc), .. } if rc == "WEB_IDENTIFICATION_REQUEST_VALIDATION_OF_OTP_FAILED"),
        "{bad}"
    );
    c.call::<ValidateOtp>(&serde_json::from_value(json!({"resultId": rid, "otp": otp})).unwrap())
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    let status = c
        .call::<GetWebIdentificationStatus>(
            &serde_json::from_value(json!({"resultId": rid})).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        status.data.step.as_ref().map(|s| s.as_str()),
        Some("SIGNING_WITH_SIGN_SESSION_SUCCESS")
    );
    sb.stop().await;
}

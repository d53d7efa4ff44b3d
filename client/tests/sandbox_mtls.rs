//! The Rust driver against the sandbox over real mutual TLS on loopback.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::field_reassign_with_default,
    missing_docs
)]

mod common;

use common::*;
use cqes::Transport;
use cqes_core::btrust::certificates::{CheckClient, ClientAuth, GetCert, GetCertByIdentity};
use cqes_core::btrust::signing::{GetSignedContent, GetSignedContentReport};
use cqes_core::btrust::signing::{GetSignedResult, GetSignedResultByRpCallbackId};
use cqes_core::btrust::signing::{SendSignRequest, SendSignRequestByCmrId, SendSignRequestInput};
use cqes_core::btrust::{registry, Config, Environment, Operation, SignerIdentity};
use cqes_core::flow::{Flow, UserAction};
use cqes_core::{Error, TransportErrorKind};
use cqes_sandbox::{SandboxConfig, DEFAULT_RP, LIMITED_RP};
use serde_json::json;

fn egn() -> SignerIdentity {
    SignerIdentity::PersonalId(EGN.into())
}

#[tokio::test]
async fn happy_path_signs_and_downloads_a_real_different_pdf() {
    let sb = sandbox(approve_after(150)).await;
    let c = client(&sb);
    let outcome = c
        .sign(egn(), request(vec![pdf_content()]))
        .await
        .expect("signed");
    let item = &outcome.items[0];
    assert_eq!(item.status.as_str(), "SIGNED");
    let doc = item.document.as_ref().expect("downloaded");
    let bytes = doc.content.as_bytes();
    assert!(bytes.starts_with(b"%PDF"), "a PDF comes back");
    assert_ne!(bytes, &pdf()[..], "not the input echoed back");
    assert!(bytes.len() > pdf().len());
    assert_eq!(doc.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(doc.file_name.as_deref(), Some("contract-signed.pdf"));
    assert_eq!(sb.stats().sign_requests_created, 1);
    // Downloaded once: the service now says RECEIVED.
    let polled = c
        .call::<GetSignedResultByRpCallbackId>(
            &serde_json::from_value(json!({"rpCallbackId": outcome.rp_callback_id})).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(polled.data.signatures[0].status.as_str(), "RECEIVED");
    sb.stop().await;
}

#[tokio::test]
async fn rejection_is_a_typed_error_not_a_completion() {
    let mut cfg = approve_after(100);
    cfg.behavior.mode = cqes_sandbox::BehaviorMode::Reject;
    let sb = sandbox(cfg).await;
    let err = client(&sb)
        .sign(egn(), request(vec![pdf_content()]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Rejected { items, .. } if items[0].status == "REJECTED"),
        "{err}"
    );
    sb.stop().await;
}

#[tokio::test]
async fn expiry_when_the_user_does_nothing() {
    let mut cfg = SandboxConfig::default();
    cfg.validity_ms = 600;
    let sb = sandbox(cfg).await;
    let err = client(&sb)
        .sign(egn(), request(vec![pdf_content()]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Expired { items, .. } if items[0].status == "EXPIRED"),
        "{err}"
    );
    sb.stop().await;
}

#[tokio::test]
async fn expiry_by_advancing_the_sandbox_clock() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let mut flow = c.start_sign(egn(), request(vec![pdf_content()])).unwrap();
    let task = {
        let c = c.clone();
        tokio::spawn(async move { c.run(&mut flow, |_| {}, None).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    control(&sb, "POST", "/clock/advance", Some(json!({"ms": 600_000}))).await;
    let err = task.await.unwrap().unwrap_err();
    assert_eq!(err.code(), "expired");
    sb.stop().await;
}

#[tokio::test]
async fn qr_flow_exposes_the_code_and_completes_when_scanned() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let input = serde_json::from_value(json!({
        "qrHeight": 160, "qrWidth": 160,
        "request": {"content": {"confirmText": "Scan and sign", "contentFormat": "BINARY_BASE64",
            "data": {"$bytes": cqes_core::Blob::from(pdf()).to_base64()}, "signatureType": "PADES_BASELINE_B"}}
    }))
    .unwrap();
    let mut flow = c.start_sign_via_qr(input).unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seen2 = seen.clone();
    let c2 = c.clone();
    let task = tokio::spawn(async move {
        c2.run(
            &mut flow,
            move |p| {
                if let Some(UserAction::ShowQr { qr_plain, qr_image }) = &p.user_action {
                    *seen2.lock().unwrap() = Some((qr_plain.clone(), qr_image.clone()));
                }
            },
            None,
        )
        .await
    });
    // The "user" scans once the QR code is out.
    for _ in 0..100 {
        if seen.lock().unwrap().is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (plain, image) = seen.lock().unwrap().clone().expect("QR shown");
    assert!(plain.unwrap().contains("/qr/"));
    assert!(image.unwrap().as_bytes().starts_with(b"\x89PNG"));
    let approved = control(&sb, "POST", "/requests/approve-all", None).await;
    assert_eq!(approved["requests"], 1);
    let outcome = task.await.unwrap().expect("signed via QR");
    assert!(outcome.items[0]
        .document
        .as_ref()
        .unwrap()
        .content
        .as_bytes()
        .starts_with(b"%PDF"));
    sb.stop().await;
}

/// A reqwest client that trusts the sandbox but presents `identity` (or none).
fn raw_transport(
    sb: &cqes_sandbox::Sandbox,
    identity: Option<&cqes_sandbox::pki::Identity>,
) -> Transport {
    let mut b = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(
            reqwest::Certificate::from_pem(sb.pki.ca_cert_pem.as_bytes()).unwrap(),
        )
        .redirect(reqwest::redirect::Policy::none());
    if let Some(id) = identity {
        b = b.identity(
            reqwest::Identity::from_pem(format!("{}{}", id.cert_pem, id.key_pem).as_bytes())
                .unwrap(),
        );
    }
    Transport::new(b.build().unwrap())
}

#[tokio::test]
async fn a_client_without_a_certificate_or_with_an_unregistered_one_is_refused_at_the_handshake() {
    let sb = sandbox(SandboxConfig::default()).await;
    let cfg = Config::new(Environment::Custom(sb.base_url.clone()), DEFAULT_RP);
    let req = registry::build_request("btrust.getSignedResult", &cfg, &json!({"callbackId": "x"}))
        .unwrap();
    let unregistered = sb.pki.unregistered.clone();
    for identity in [None, Some(&unregistered)] {
        let failure = raw_transport(&sb, identity)
            .send(&req)
            .await
            .expect_err("refused");
        assert_eq!(failure.kind, TransportErrorKind::Tls, "{failure}");
    }
    // Nothing reached the API layer.
    assert!(sb.stats().requests.is_empty());
    // The registered certificate works over the same path.
    let ok = raw_transport(&sb, sb.pki.client(DEFAULT_RP))
        .send(&req)
        .await
        .unwrap();
    assert_eq!(ok.status, 404);
    sb.stop().await;
}

#[tokio::test]
async fn a_relying_party_id_that_is_not_the_certificates_gets_401() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client_as(&sb, DEFAULT_RP, LIMITED_RP);
    let err = c
        .call::<GetSignedResult>(&serde_json::from_value(json!({"callbackId": "x"})).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 401, code: Some(c), .. } if c == "UNAUTHORIZED"),
        "{err}"
    );
    sb.stop().await;
}

#[tokio::test]
async fn an_operation_not_enabled_gets_401() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client_as(&sb, LIMITED_RP, LIMITED_RP);
    // Allowed for this relying party:
    let ok = c
        .call::<GetSignedResult>(&serde_json::from_value(json!({"callbackId": "nope"})).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(
        ok,
        Error::Api {
            http_status: 404,
            ..
        }
    ));
    // Not allowed:
    let err = c
        .sign(egn(), request(vec![pdf_content()]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Api {
                http_status: 401,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(sb.stats().sign_requests_created, 0);
    sb.stop().await;
}

fn send_input(rp_callback_id: &str) -> SendSignRequestInput {
    let mut r = request(vec![pdf_content()]);
    r.relying_party_callback_id = Some(rp_callback_id.into());
    SendSignRequestInput {
        identity: egn(),
        request: r,
    }
}

#[tokio::test]
async fn a_reused_rp_callback_id_is_refused_and_206_is_a_normal_answer() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let accepted = c
        .call::<SendSignRequest>(&send_input("dup-1"))
        .await
        .unwrap();
    assert_eq!(accepted.http_status, 202);
    let err = c
        .call::<SendSignRequest>(&send_input("dup-1"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 400, response_code: Some(rc), .. } if rc == "RP_CALLBACK_ID_DUPLICATE"),
        "{err}"
    );
    assert_eq!(sb.sign_requests_with("dup-1"), 1);
    // Still pending: 206 with IN_PROGRESS, parsed as a result, not an error.
    let polled = c
        .call::<GetSignedResult>(
            &serde_json::from_value(json!({"callbackId": accepted.data.callback_id})).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(polled.http_status, 206);
    assert_eq!(polled.code.unwrap().as_str(), "IN_PROGRESS");
    assert_eq!(polled.data.signatures[0].status.as_str(), "IN_PROGRESS");
    sb.stop().await;
}

fn fault(op: &str, kind: &str, limit: Option<u64>) -> serde_json::Value {
    json!({"seed": 1, "rules": [{"operation": op, "rate": 1.0, "kinds": [kind], "limit": limit}]})
}

#[tokio::test]
async fn commit_then_drop_on_submit_is_reconciled_and_never_sent_twice() {
    let sb = sandbox(approve_after(200)).await;
    control(
        &sb,
        "PUT",
        "/faults",
        Some(fault("btrust.sendSignRequest", "commit_then_drop", None)),
    )
    .await;
    let c = client(&sb);
    let mut flow = c.start_sign(egn(), request(vec![pdf_content()])).unwrap();
    let outcome = c
        .run(&mut flow, |_| {}, None)
        .await
        .expect("reconciled and signed");
    assert_eq!(sb.sign_requests_with(&outcome.rp_callback_id), 1);
    let stats = sb.stats();
    assert_eq!(
        stats.requests["btrust.sendSignRequest"], 1,
        "the POST was sent exactly once"
    );
    assert!(
        stats.requests["btrust.getSignedResultByRpCallbackId"] >= 1,
        "it asked before anything else"
    );
    assert_eq!(
        outcome.callback_id, None,
        "found by rpCallbackId, the answer with callbackId was lost"
    );
    sb.stop().await;
}

#[tokio::test]
async fn a_drop_before_commit_is_reconciled_then_sent_again_once() {
    let sb = sandbox(approve_after(100)).await;
    control(
        &sb,
        "PUT",
        "/faults",
        Some(fault("btrust.sendSignRequest", "drop", Some(1))),
    )
    .await;
    let c = client(&sb);
    let outcome = c
        .sign(egn(), request(vec![pdf_content()]))
        .await
        .expect("signed");
    assert_eq!(sb.sign_requests_with(&outcome.rp_callback_id), 1);
    assert_eq!(
        sb.stats().requests["btrust.sendSignRequest"],
        2,
        "resent only after the service said it had nothing"
    );
    sb.stop().await;
}

#[tokio::test]
async fn redirects_are_never_followed() {
    let sb = sandbox(SandboxConfig::default()).await;
    control(
        &sb,
        "PUT",
        "/faults",
        Some(fault("btrust.getSignedResult", "redirect", None)),
    )
    .await;
    let err = client(&sb)
        .call::<GetSignedResult>(&serde_json::from_value(json!({"callbackId": "x"})).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnexpectedResponse {
                http_status: 302,
                ..
            }
        ),
        "{err}"
    );
    sb.stop().await;
}

#[tokio::test]
async fn every_other_operation_works_end_to_end() {
    let sb = sandbox(approve_after(50)).await;
    let c = client(&sb);
    // Certificates by profile and by identity.
    let cert = c
        .call::<GetCert>(&serde_json::from_value(json!({"profileId": "032-552574"})).unwrap())
        .await
        .unwrap();
    assert_eq!(
        cert.data.encoded_cert.as_bytes()[0],
        0x30,
        "DER certificate"
    );
    for (t, v) in [
        ("EGN", EGN),
        ("EMAIL", "ivan.petrov@example.bg"),
        ("PHONE", "+359888133443"),
        ("LNC", "1234567893"),
    ] {
        let by = c
            .call::<GetCertByIdentity>(
                &serde_json::from_value(json!({"identificatorType": t, "identityValue": v}))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert!(by.data.cert_req_id.is_some(), "{t}");
    }
    let missing = c
        .call::<GetCertByIdentity>(
            &serde_json::from_value(
                json!({"identificatorType": "EGN", "identityValue": "8001010008"}),
            )
            .unwrap(),
        )
        .await
        .unwrap_err();
    assert!(matches!(
        missing,
        Error::Api {
            http_status: 404,
            ..
        }
    ));
    // Client token, then sign with it.
    let token = c
        .call::<ClientAuth>(
            &serde_json::from_value(json!({"profileId": "032-552574", "otp": "523112"})).unwrap(),
        )
        .await
        .unwrap();
    let t = token.data.client_token.expose().clone();
    let out = c
        .sign(
            SignerIdentity::ClientToken(t.into()),
            request(vec![pdf_content()]),
        )
        .await
        .unwrap();
    assert!(out.items[0].document.is_some());
    let bad = c
        .call::<ClientAuth>(
            &serde_json::from_value(json!({"profileId": "032-552574", "otp": "000000"})).unwrap(),
        )
        .await
        .unwrap_err();
    assert!(matches!(
        bad,
        Error::Api {
            http_status: 400,
            ..
        }
    ));
    // profileId with OTP, and certId.
    c.sign(
        SignerIdentity::ProfileId {
            id: "100-200300".into(),
            otp: "523112".into(),
        },
        request(vec![pdf_content()]),
    )
    .await
    .unwrap();
    c.sign(
        SignerIdentity::CertId("7744".into()),
        request(vec![pdf_content()]),
    )
    .await
    .unwrap();
    // A customer without CQES: 404 from the service, a typed API error here.
    let none = c
        .sign(
            SignerIdentity::PersonalId("8001010008".into()),
            request(vec![pdf_content()]),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            none,
            Error::Api {
                http_status: 404,
                ..
            }
        ),
        "{none}"
    );
    // Check client (inferred shape).
    let cc = c
        .call::<CheckClient>(
            &serde_json::from_value(json!({"identity": {"personalId": EGN}})).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(cc.data.unwrap().0["hasActiveCqes"], true);
    // By CMR id, archived, then the evidence report.
    let mut content = pdf_content();
    content.to_be_archived = Some(true);
    let acc = c
        .call::<SendSignRequestByCmrId>(&request(vec![content]))
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let res = c
        .call::<GetSignedResult>(
            &serde_json::from_value(json!({"callbackId": acc.data.callback_id})).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.data.signatures[0].status.as_str(), "ARCHIVED");
    let id = res.data.signatures[0].signature.clone().unwrap();
    let file = c
        .call::<GetSignedContent>(&serde_json::from_value(json!({"id": id})).unwrap())
        .await
        .unwrap();
    assert!(file.content.as_bytes().starts_with(b"%PDF"));
    let report = c
        .call::<GetSignedContentReport>(
            &serde_json::from_value(json!({"id": id, "reportType": "SIMPLE"})).unwrap(),
        )
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(report.content.as_bytes()).contains("TOTAL_PASSED"));
    sb.stop().await;
}

#[tokio::test]
async fn raw_signatures_for_digests_verify_against_the_returned_certificate() {
    let sb = sandbox(approve_after(50)).await;
    let c = client(&sb);
    let digest = [7u8; 32];
    let content = serde_json::from_value(json!({"confirmText": "Invoice 7", "contentFormat": "DIGEST",
        "data": {"$bytes": cqes_core::Blob::from(&digest[..]).to_base64()}, "hashAlgorithm": "SHA256", "signatureType": "SIGNATURE"})).unwrap();
    let out = c.sign(egn(), request(vec![content])).await.unwrap();
    assert!(out.items[0]
        .signature
        .as_ref()
        .is_some_and(|s| !s.is_empty()));
    assert!(
        out.cert.is_some(),
        "the certificate comes with SIGNATURE results"
    );
    assert!(out.items[0].document.is_none());
    sb.stop().await;
}

#[tokio::test]
async fn callbacks_reach_the_relying_party_and_wake_the_flow() {
    use axum::routing::post;
    let sb = sandbox(approve_after(300)).await;
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    let app = axum::Router::new().route(
        "/cb",
        post(move |body: axum::body::Bytes| {
            let tx = tx.clone();
            async move {
                let _ = tx
                    .send(cqes_core::btrust::parse_sign_callback(&body).unwrap())
                    .await;
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let c = client(&sb);
    let mut req = request(vec![pdf_content()]);
    req.callback_url = Some(format!("http://127.0.0.1:{port}/cb"));
    // Slow polling: without the callback this flow would not finish within the deadline below.
    let mut opts = fast();
    opts.poll.first_poll_after_ms = 20_000;
    let mut flow = cqes_core::btrust::SignFlow::new(
        c.config().clone(),
        cqes_core::btrust::SignFlowInput {
            identity: egn(),
            request: {
                req.relying_party_callback_id = Some("cb-test".into());
                req
            },
        },
        opts,
    )
    .unwrap();
    let out = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        c.run(&mut flow, |_| {}, Some(&mut rx)),
    )
    .await
    .expect("the callback woke the flow up")
    .unwrap();
    assert_eq!(out.rp_callback_id, "cb-test");
    assert!(sb.stats().callbacks_delivered >= 1);
    let _ = flow.progress();
    sb.stop().await;
}

#[tokio::test]
async fn messages_follow_accept_language() {
    let sb = sandbox(SandboxConfig::default()).await;
    for (lang, expected) in [("bg", "Не е намерено."), ("en", "Not found.")] {
        let mut cfg = Config::new(Environment::Custom(sb.base_url.clone()), DEFAULT_RP);
        cfg.language = Some(lang.into());
        let req = GetSignedResult::build(
            &cfg,
            &serde_json::from_value(json!({"callbackId": "x"})).unwrap(),
        )
        .unwrap();
        let resp = raw_transport(&sb, sb.pki.client(DEFAULT_RP))
            .send(&req)
            .await
            .unwrap();
        let err = GetSignedResult::parse(resp).unwrap_err();
        assert!(
            matches!(&err, Error::Api { reason: Some(m), .. } if m == expected),
            "{err}"
        );
    }
    sb.stop().await;
}

//! The sandbox answers like a well-behaved service, measured with real clients over mTLS:
//! refusals at routing level leave a keep-alive connection usable, an announced oversized body
//! is refused before it is read, every refusal carries the envelope, absent fields are left
//! out, an empty string is called empty, unknown fields are ignored (or named, in strict mode).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cqes_sandbox::{Options, Sandbox, SandboxConfig, DEFAULT_RP};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn start(config: SandboxConfig) -> Sandbox {
    Sandbox::start(Options {
        config,
        ..Default::default()
    })
    .await
    .expect("sandbox starts")
}

/// A reqwest client with the relying party's certificate, one connection per host at most.
fn mtls(sb: &Sandbox) -> Client {
    let id = sb.pki.client(DEFAULT_RP).unwrap();
    let pem = format!("{}{}", id.cert_pem, id.key_pem);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("relyingPartyID", DEFAULT_RP.parse().unwrap());
    headers.insert("Accept-language", "en".parse().unwrap());
    Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(
            reqwest::Certificate::from_pem(sb.pki.ca_cert_pem.as_bytes()).unwrap(),
        )
        .identity(reqwest::Identity::from_pem(pem.as_bytes()).unwrap())
        .default_headers(headers)
        .pool_max_idle_per_host(1)
        .http1_only()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn json_of(r: reqwest::Response) -> (StatusCode, Option<String>, Value) {
    let status = r.status();
    let connection = r
        .headers()
        .get("connection")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = r.bytes().await.expect("the whole answer arrives");
    let v: Value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| panic!("{status}: not JSON: {:?}", String::from_utf8_lossy(&body)));
    (status, connection, v)
}

fn pdf_b64() -> String {
    base64_simd::STANDARD.encode_to_string(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n")
}

fn sign_body(extra_top: Option<(&str, Value)>, extra_item: Option<(&str, Value)>) -> Value {
    let mut item = json!({"confirmText": "Please sign", "contentFormat": "BINARY_BASE64",
        "data": pdf_b64(), "fileName": "a.pdf", "signatureType": "SIGNATURE"});
    if let Some((k, v)) = extra_item {
        item[k] = v;
    }
    let mut body = json!({"contents": [item]});
    if let Some((k, v)) = extra_top {
        body[k] = v;
    }
    body
}

async fn send_sign(c: &Client, sb: &Sandbox, body: &Value) -> (StatusCode, Value) {
    let r = c
        .post(format!("{}/v2/sign", sb.base_url))
        .header("rpToClientAuthorization", "personalId:7501010010")
        .json(body)
        .send()
        .await
        .unwrap();
    let (s, _, v) = json_of(r).await;
    (s, v)
}

#[tokio::test]
async fn routing_refusals_with_2mb_bodies_leave_one_keep_alive_connection_usable() {
    let sb = start(SandboxConfig::default()).await;
    let c = mtls(&sb);
    let big = vec![b'x'; 2 << 20];
    for round in 0..10 {
        for (method, path, want, code) in [
            (Method::POST, "/v2/no-such-route", 404, "NOT_FOUND"),
            (Method::PUT, "/v2/sign", 405, "METHOD_NOT_ALLOWED"),
            (
                Method::GET,
                "/v2/sign/00000000-0000-4000-8000-000000000000",
                404,
                "NOT_FOUND",
            ),
        ] {
            let r = c
                .request(method.clone(), format!("{}{path}", sb.base_url))
                .body(big.clone())
                .send()
                .await
                .unwrap_or_else(|e| panic!("round {round}, {method} {path}: {e:?}"));
            let (status, connection, v) = json_of(r).await;
            assert_eq!(status.as_u16(), want, "round {round}, {method} {path}: {v}");
            assert_eq!(v["responseCode"], code, "{v}");
            assert_eq!(connection, None, "the connection stays open");
        }
    }
    assert_eq!(
        sb.stats().tls_connections,
        1,
        "30 answers on one connection"
    );
    sb.stop().await;
}

/// Raw mTLS to the sandbox, for what a polite client would never send.
async fn raw(sb: &Sandbox) -> tokio_rustls::client::TlsStream<tokio::net::TcpStream> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName};
    let id = sb.pki.client(DEFAULT_RP).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(sb.pki.ca_cert_pem.as_bytes()).unwrap())
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_client_auth_cert(
        vec![CertificateDer::from_pem_slice(id.cert_pem.as_bytes()).unwrap()],
        PrivateKeyDer::from_pem_slice(id.key_pem.as_bytes()).unwrap(),
    )
    .unwrap();
    let addr = sb
        .base_url
        .trim_start_matches("https://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("127.0.0.1").unwrap().to_owned(), tcp)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_announced_oversized_body_gets_413_before_a_byte_of_it_is_read() {
    let sb = start(SandboxConfig {
        max_body_bytes: 1 << 20,
        ..SandboxConfig::default()
    })
    .await;
    let mut tls = raw(&sb).await;
    // 200 MB announced, nothing sent: the answer must come anyway.
    tls.write_all(
        b"POST /signing-api/v2/sign HTTP/1.1\r\nHost: 127.0.0.1\r\nrelyingPartyID: 12345678\r\nContent-Type: application/json\r\nContent-Length: 209715200\r\n\r\n",
    )
    .await
    .unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), tls.read_to_end(&mut answer))
        .await
        .expect("answered at once, without waiting for the body")
        .ok();
    let text = String::from_utf8_lossy(&answer).to_string();
    let (head, body) = text.split_once("\r\n\r\n").expect("a whole answer");
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(
        head.to_ascii_lowercase().contains("connection: close"),
        "{head}"
    );
    let v: Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["responseCode"], "POST_REQUEST_SIZE", "{v}");

    // A chunked body that grows past the limit: 413 as soon as the limit is passed.
    let mut tls = raw(&sb).await;
    tls.write_all(b"POST /signing-api/v2/sign HTTP/1.1\r\nHost: 127.0.0.1\r\nrelyingPartyID: 12345678\r\nTransfer-Encoding: chunked\r\n\r\n").await.unwrap();
    let chunk = vec![b'a'; 64 << 10];
    for _ in 0..20 {
        let _ = tls
            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await;
        let _ = tls.write_all(&chunk).await;
        let _ = tls.write_all(b"\r\n").await;
    }
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), tls.read_to_end(&mut answer))
        .await
        .expect("answered")
        .ok();
    let text = String::from_utf8_lossy(&answer).to_string();
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(
        text.contains("\"responseCode\":\"POST_REQUEST_SIZE\""),
        "{text}"
    );

    // A real client sending 3 MB to a 1 MB sandbox reads the 413, five times in a row.
    let c = mtls(&sb);
    for _ in 0..5 {
        let r = c
            .post(format!("{}/v2/sign", sb.base_url))
            .body(vec![b'{'; 3 << 20])
            .send()
            .await
            .expect("the client reads the answer, not a reset");
        let (status, connection, v) = json_of(r).await;
        assert_eq!(status, 413);
        assert_eq!(connection.as_deref(), Some("close"));
        assert_eq!(v["code"], "PAYLOAD_TOO_LARGE");
    }
    sb.stop().await;
}

#[tokio::test]
async fn poll_results_leave_absent_fields_out_instead_of_null() {
    let sb = start(SandboxConfig::default()).await;
    let c = mtls(&sb);
    let (status, v) = send_sign(&c, &sb, &sign_body(None, None)).await;
    assert_eq!(status, 202, "{v}");
    let id = v["data"]["callbackId"].as_str().unwrap().to_owned();
    let r = c
        .get(format!("{}/v2/sign/{id}", sb.base_url))
        .send()
        .await
        .unwrap();
    let (status, _, v) = json_of(r).await;
    assert_eq!(status, 206, "{v}");
    let data = v["data"].as_object().unwrap();
    assert!(!data.contains_key("cert"), "no `cert: null`: {v}");
    let item = v["data"]["signatures"][0].as_object().unwrap();
    assert!(!item.contains_key("signature"), "no `signature: null`: {v}");
    assert_eq!(item["status"], "IN_PROGRESS");
    // Error envelopes keep `data: null`, as seed 001 shows.
    let r = c
        .get(format!("{}/v2/sign/unknown", sb.base_url))
        .send()
        .await
        .unwrap();
    let (_, _, v) = json_of(r).await;
    assert!(
        v.as_object().unwrap().contains_key("data") && v["data"].is_null(),
        "{v}"
    );
    sb.stop().await;
}

#[tokio::test]
async fn an_empty_string_is_reported_as_empty_not_as_missing() {
    let sb = start(SandboxConfig::default()).await;
    let c = mtls(&sb);
    let auth = |body: Value| {
        c.post(format!("{}/v2/auth", sb.base_url))
            .json(&body)
            .send()
    };
    let (status, _, v) = json_of(
        auth(json!({"profileId": "032-552574", "otp": ""}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    let m = v["message"].as_str().unwrap();
    assert!(m.contains("otp: empty"), "{m}");
    assert!(!m.contains("otp: required"), "{m}");
    let (_, _, v) = json_of(auth(json!({"profileId": "032-552574"})).await.unwrap()).await;
    assert!(
        v["message"].as_str().unwrap().contains("otp: required"),
        "{v}"
    );
    let (_, _, v) = json_of(
        auth(json!({"profileId": "032-552574", "otp": "   "}))
            .await
            .unwrap(),
    )
    .await;
    let m = v["message"].as_str().unwrap();
    assert!(!m.contains("otp: required"), "{m}");
    sb.stop().await;
}

#[tokio::test]
async fn unknown_fields_are_ignored_by_default_and_named_in_strict_mode() {
    let body = sign_body(
        Some(("colour", json!("blue"))),
        Some(("fooBar", json!({"nested": 1}))),
    );
    let lax = start(SandboxConfig::default()).await;
    let (status, v) = send_sign(&mtls(&lax), &lax, &body).await;
    assert_eq!(status, 202, "ignored, as Spring does: {v}");
    lax.stop().await;

    let strict = start(SandboxConfig {
        strict_json: true,
        ..SandboxConfig::default()
    })
    .await;
    let c = mtls(&strict);
    let (status, v) = send_sign(&c, &strict, &body).await;
    assert_eq!(status, 400, "{v}");
    let m = v["message"].as_str().unwrap();
    assert!(m.contains("colour: unknown_field"), "{m}");
    assert!(m.contains("contents[0].fooBar: unknown_field"), "{m}");
    let (status, v) = send_sign(&c, &strict, &sign_body(None, None)).await;
    assert_eq!(status, 202, "a clean body passes in strict mode: {v}");
    strict.stop().await;
}

#[tokio::test]
async fn refusals_of_the_router_and_of_extractors_carry_the_envelope() {
    let sb = start(SandboxConfig::default()).await;
    let c = mtls(&sb);
    let r = c
        .delete(format!("{}/v2/sign", sb.base_url))
        .send()
        .await
        .unwrap();
    let allow = r.headers().get("allow").cloned();
    let (status, _, v) = json_of(r).await;
    assert_eq!(status, 405);
    assert_eq!(v["responseCode"], "METHOD_NOT_ALLOWED");
    assert!(allow.is_some(), "405 says what is allowed");
    let r = c
        .get(format!("{}/nowhere", sb.base_url))
        .send()
        .await
        .unwrap();
    let (status, _, v) = json_of(r).await;
    assert_eq!(
        (status.as_u16(), v["responseCode"].as_str()),
        (404, Some("NOT_FOUND"))
    );
    // Control API and pages: the same envelope.
    let plain = Client::new();
    for url in [
        format!("{}/nowhere", sb.control_url),
        format!("{}/nowhere", sb.pages_url),
    ] {
        let (status, _, v) =
            json_of(plain.post(&url).body(vec![0u8; 1000]).send().await.unwrap()).await;
        assert_eq!(status, 404, "{url}");
        assert_eq!(v["responseCode"], "NOT_FOUND", "{url}");
    }
    let (status, _, v) = json_of(
        plain
            .delete(format!("{}/faults", sb.control_url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status.as_u16(), v["responseCode"].as_str()),
        (405, Some("METHOD_NOT_ALLOWED"))
    );
    sb.stop().await;
}

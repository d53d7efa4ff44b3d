//! Shared helpers: start a sandbox on an ephemeral loopback port and build clients for it.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::field_reassign_with_default
)]

use cqes::{Client, ClientIdentity};
use cqes_core::btrust::{Content, Environment, SignRequest};
use cqes_core::flow::{FlowOptions, PollPolicy};
use cqes_sandbox::{Options, Sandbox, SandboxConfig, DEFAULT_RP};
use serde_json::Value;
use std::time::Duration;

pub const EGN: &str = "7501010010";

pub async fn sandbox(config: SandboxConfig) -> Sandbox {
    Sandbox::start(Options {
        config,
        ..Default::default()
    })
    .await
    .expect("sandbox starts")
}

pub fn approve_after(ms: u64) -> SandboxConfig {
    let mut c = SandboxConfig::default();
    c.behavior = cqes_sandbox::Behavior {
        mode: cqes_sandbox::BehaviorMode::Approve,
        after_ms: ms,
    };
    c
}

/// Fast polling so tests take milliseconds, not seconds.
pub fn fast() -> FlowOptions {
    FlowOptions {
        poll: PollPolicy {
            first_poll_after_ms: 50,
            interval_ms: 50,
            max_interval_ms: 200,
            backoff_factor: 1.5,
            jitter_ratio: 0.2,
            retry_delay_ms: 50,
            max_consecutive_failures: 5,
            expiry_grace_ms: 1_000,
            default_validity_ms: 60_000,
        },
        jitter_seed: 1,
        entropy: None,
        download: true,
    }
}

pub fn client_as(sb: &Sandbox, cert_rp: &str, claimed_rp: &str) -> Client {
    let id = sb.pki.client(cert_rp).expect("client identity");
    Client::builder()
        .environment(Environment::Custom(sb.base_url.clone()))
        .relying_party_id(claimed_rp)
        .identity(ClientIdentity::pem(id.cert_pem.as_bytes(), id.key_pem.as_bytes()).unwrap())
        .add_ca_pem(sb.pki.ca_cert_pem.as_bytes())
        .only_custom_ca(true)
        .identification_url(sb.pages_url.clone())
        .timeout(Duration::from_secs(10))
        .flow_options(fast())
        .build()
        .unwrap()
}

pub fn client(sb: &Sandbox) -> Client {
    client_as(sb, DEFAULT_RP, DEFAULT_RP)
}

pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n".to_vec()
}

pub fn request(contents: Vec<Content>) -> SignRequest {
    SignRequest {
        contents,
        relying_party_callback_id: None,
        callback_url: None,
        payer: None,
        is_login: None,
    }
}

pub fn pdf_content() -> Content {
    let mut c = Content::document("Please sign the contract", pdf());
    c.file_name = Some("contract.pdf".into());
    c.signature_type = Some("PADES_BASELINE_B".into());
    c
}

/// Calls the control API.
pub async fn control(sb: &Sandbox, method: &str, path: &str, body: Option<Value>) -> Value {
    let http = reqwest::Client::new();
    let url = format!("{}{path}", sb.control_url);
    let req = match method {
        "POST" => http.post(url),
        "PUT" => http.put(url),
        _ => http.get(url),
    };
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    req.send().await.unwrap().json().await.unwrap()
}

/// A local HTTP server that records callbacks and redirect landings. Callbacks are parsed
/// as identification callbacks for `config` and sent on the returned channel.
pub async fn receiver(
    config: cqes_core::btrust::Config,
) -> (
    u16,
    tokio::sync::mpsc::Receiver<cqes_core::btrust::identification::IdentificationCallback>,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    use axum::routing::{get, post};
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    let landed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let l2 = landed.clone();
    let app = axum::Router::new()
        .route(
            "/cb",
            post(move |body: axum::body::Bytes| {
                let tx = tx.clone();
                let config = config.clone();
                async move {
                    if let Ok(event) =
                        cqes_core::btrust::identification::parse_identification_callback(
                            &config, &body,
                        )
                    {
                        let _ = tx.send(event).await;
                    }
                    "ok"
                }
            }),
        )
        .route(
            "/{page}",
            get(
                move |axum::extract::Path(page): axum::extract::Path<String>| {
                    let l = l2.clone();
                    async move {
                        l.lock().unwrap().push(page);
                        "landed"
                    }
                },
            ),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, rx, landed)
}

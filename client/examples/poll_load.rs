//! Load benchmark (not a test): requests/s and latency percentiles of poll requests
//! (`GET /v2/sign/{callbackId}`, answered 206) over keep-alive mutual TLS against an
//! in-process sandbox. Client and server share this machine's cores.
//!
//! `cargo run --release -p cqes --example poll_load -- [workers] [seconds]`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cqes::{Client, ClientIdentity};
use cqes_core::btrust::signing::GetSignedResult;
use cqes_core::btrust::signing::{SendSignRequest, SendSignRequestInput};
use cqes_core::btrust::{Content, Environment, Operation, SignRequest, SignerIdentity};
use cqes_sandbox::{Options, Sandbox, DEFAULT_RP};
use std::time::{Duration, Instant};

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let workers: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(16);
    let seconds: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10);

    let sb = Sandbox::start(Options::default()).await.unwrap();
    let id = sb.pki.client(DEFAULT_RP).unwrap();
    let client = Client::builder()
        .environment(Environment::Custom(sb.base_url.clone()))
        .relying_party_id(DEFAULT_RP)
        .identity(ClientIdentity::pem(id.cert_pem.as_bytes(), id.key_pem.as_bytes()).unwrap())
        .add_ca_pem(sb.pki.ca_cert_pem.as_bytes())
        .only_custom_ca(true)
        .build()
        .unwrap();
    let accepted = client
        .call::<SendSignRequest>(&SendSignRequestInput {
            identity: SignerIdentity::PersonalId("7501010010".into()),
            request: SignRequest {
                contents: vec![Content::document(
                    "load test",
                    cqes_sandbox::pdfgen::simple_pdf("load test", &[]),
                )],
                relying_party_callback_id: Some("load-1".into()),
                callback_url: None,
                payer: None,
                is_login: None,
            },
        })
        .await
        .unwrap();
    let input =
        serde_json::from_value(serde_json::json!({"callbackId": accepted.data.callback_id}))
            .unwrap();
    let request = GetSignedResult::build(client.config(), &input).unwrap();

    // Warm up: one connection per worker.
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let client = client.clone();
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(100_000);
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                match client.transport().send(&request).await {
                    Ok(r) if r.status == 206 => lat.push(t.elapsed().as_micros() as u64),
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let started = Instant::now();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    println!(
        "poll load over keep-alive mTLS: {workers} concurrent workers, {seconds} s, {} cores",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    println!("  requests: {} ok, {errors} errors", all.len());
    println!("  throughput: {:.0} requests/s", all.len() as f64 / elapsed);
    println!(
        "  latency: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(0.50) as f64 / 1000.0,
        pct(0.90) as f64 / 1000.0,
        pct(0.99) as f64 / 1000.0,
        all.last().copied().unwrap_or(0) as f64 / 1000.0
    );
    sb.stop().await;
}

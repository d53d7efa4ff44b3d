//! The native core beside the wasm module, so the tests and the benchmark compare against the
//! Rust build itself rather than a copy of its rules:
//!
//! - `body`: reads `{"operation", "config", "input"}` (JSON, byte strings as `{"$bytes"}`) on
//!   stdin and writes the request body the core builds, byte for byte.
//! - `bench <MiB> <rounds>`: builds a sign request for a PDF of that size; prints the median
//!   milliseconds of validate + build.

use cqes_core::btrust::registry;
use cqes_core::btrust::Config;
use std::io::{Read, Write};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("body") => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            let v: serde_json::Value = serde_json::from_str(&text)?;
            let op = v["operation"].as_str().ok_or("operation")?;
            let config: Config = serde_json::from_value(v["config"].clone())?;
            let req = registry::build_request(op, &config, &v["input"])?;
            std::io::stdout().write_all(req.body.as_bytes())?;
        }
        Some("bench") => {
            let mib: usize = args.get(1).map_or(Ok(10), |s| s.parse())?;
            let rounds: usize = args.get(2).map_or(Ok(15), |s| s.parse())?;
            println!("{:.2}", bench(mib, rounds)?);
        }
        _ => {
            return Err("usage: cqes-wasm-native body < request.json | bench <MiB> <rounds>".into())
        }
    }
    Ok(())
}

/// A PDF-looking document of `mib` MiB (the same bytes wasm/bench.mjs builds).
pub fn pdf(mib: usize) -> Vec<u8> {
    let mut doc = b"%PDF-1.7\n".to_vec();
    doc.extend((0..mib * 1024 * 1024).map(|i| (i % 251) as u8));
    doc.extend_from_slice(b"\n%%EOF\n");
    doc
}

fn bench(mib: usize, rounds: usize) -> Result<f64, Box<dyn std::error::Error>> {
    let config: Config = serde_json::from_value(serde_json::json!({
        "environment": "uat", "relyingPartyId": "12345678"
    }))?;
    let doc = cqes_core::ContentData::bytes(pdf(mib));
    let input = serde_json::json!({
        "identity": {"personalId": "7501010010"},
        "request": {"contents": [{"confirmText": "Contract", "contentFormat": "BINARY_BASE64",
            "fileName": "contract.pdf", "signatureType": "PADES_BASELINE_B", "data": "AA=="}]}
    });
    let mut input: cqes_core::btrust::signing::SendSignRequestInput =
        serde_json::from_value(input)?;
    input.request.contents[0].data = doc;
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        let req =
            <cqes_core::btrust::signing::SendSignRequest as cqes_core::btrust::Operation>::build(
                &config, &input,
            )?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(req);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[rounds / 2])
}

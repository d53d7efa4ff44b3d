//! Benchmarks of the hot paths, with a printed summary.
//!
//! 1. Building `POST /v2/sign` around a 10 MiB PDF, against plain base64 encoding of the same
//!    bytes with the fastest encoder available (base64-simd, AVX2/SSSE3 when the CPU has
//!    them). Targets: build ≥ 0.5× the plain encode and ≥ 1 GiB/s; extra memory ≤ 1.5× the
//!    document (measured with a counting allocator: peak bytes allocated during one build).
//! 2. Parsing a poll result with 1 item and with 200 items.
//!
//! Run: `cargo bench -p cqes-core --bench build_parse`. Criterion prints its own statistics;
//! the summary at the end prints MiB/s, the ratio and the memory figure.
#![allow(clippy::unwrap_used)]

use cqes_core::btrust::signing::GetSignedResult;
use cqes_core::btrust::signing::{SendSignRequest, SendSignRequestInput};
use cqes_core::btrust::{Config, Content, Environment, Operation, SignRequest, SignerIdentity};
use cqes_core::HttpResponse;
use criterion::{black_box, Criterion, Throughput};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts live heap bytes and their peak.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const DOC_BYTES: usize = 10 * 1024 * 1024;

fn pdf(n: usize) -> Vec<u8> {
    // Incompressible bytes behind a PDF header: what matters is the size.
    let mut doc = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    while doc.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        doc.extend_from_slice(&x.to_le_bytes());
    }
    doc.truncate(n);
    doc
}

fn sign_input(doc: Vec<u8>) -> SendSignRequestInput {
    let mut content = Content::document("Моля, подпишете договора", doc);
    content.file_name = Some("contract.pdf".into());
    content.signature_type = Some("PADES_BASELINE_B".into());
    SendSignRequestInput {
        identity: SignerIdentity::PersonalId("7501010010".into()),
        request: SignRequest {
            contents: vec![content],
            relying_party_callback_id: Some("bench-1".into()),
            callback_url: None,
            payer: None,
            is_login: None,
        },
    }
}

fn poll_body(items: usize) -> Vec<u8> {
    let sigs: Vec<String> = (0..items)
        .map(|i| {
            format!(
                r#"{{"signature":"{}","signatureType":"PADES_BASELINE_B","status":"SIGNED"}}"#,
                1000 + i
            )
        })
        .collect();
    format!(
        r#"{{"responseCode":"COMPLETED","code":"COMPLETED","message":"Sign request is completed","data":{{"signatures":[{}],"cert":null}}}}"#,
        sigs.join(",")
    )
    .into_bytes()
}

/// Median wall time of `runs` calls.
fn median<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn mib_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / (1024.0 * 1024.0) / d.as_secs_f64()
}

fn main() {
    let config = Config::new(Environment::Uat, "12345678");
    let doc = pdf(DOC_BYTES);
    let input = sign_input(doc.clone());
    let poll1 = HttpResponse::new(200, poll_body(1));
    let poll200 = HttpResponse::new(200, poll_body(200));

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .measurement_time(Duration::from_secs(4));
    {
        let mut g = c.benchmark_group("sign_request_10MiB");
        g.throughput(Throughput::Bytes(DOC_BYTES as u64));
        g.bench_function("cqes: build POST /v2/sign", |b| {
            b.iter(|| SendSignRequest::build(black_box(&config), black_box(&input)).unwrap())
        });
        g.bench_function("floor: base64-simd encode", |b| {
            b.iter(|| base64_simd::STANDARD.encode_to_string(black_box(&doc)))
        });
        g.finish();
    }
    {
        let mut g = c.benchmark_group("parse_poll_result");
        g.bench_function("1 item", |b| {
            b.iter(|| GetSignedResult::parse(black_box(poll1.clone())).unwrap())
        });
        g.bench_function("200 items", |b| {
            b.iter(|| GetSignedResult::parse(black_box(poll200.clone())).unwrap())
        });
        g.finish();
    }
    c.final_summary();

    // The summary: our own medians, so the ratio comes from one process and one data set.
    let build = median(41, || {
        black_box(SendSignRequest::build(&config, &input).unwrap());
    });
    let floor = median(41, || {
        black_box(base64_simd::STANDARD.encode_to_string(&doc));
    });
    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let req = SendSignRequest::build(&config, &input).unwrap();
    let extra = PEAK.load(Ordering::Relaxed) - baseline;
    let body_len = req.body.len();
    drop(req);
    let p1 = median(2001, || {
        black_box(GetSignedResult::parse(poll1.clone()).unwrap());
    });
    let p200 = median(201, || {
        black_box(GetSignedResult::parse(poll200.clone()).unwrap());
    });

    let gib = mib_s(DOC_BYTES, build) / 1024.0;
    let ratio = floor.as_secs_f64() / build.as_secs_f64();
    let mem = extra as f64 / DOC_BYTES as f64;
    println!();
    println!("== cqes-core benchmark summary ==");
    println!(
        "document: {} bytes (10 MiB); request body: {body_len} bytes",
        DOC_BYTES
    );
    println!(
        "build POST /v2/sign:        {:>8.2} ms  {:>8.0} MiB/s  ({gib:.2} GiB/s; target ≥ 1 GiB/s: {})",
        build.as_secs_f64() * 1e3,
        mib_s(DOC_BYTES, build),
        if gib >= 1.0 { "met" } else { "NOT met" }
    );
    println!(
        "plain base64-simd encode:   {:>8.2} ms  {:>8.0} MiB/s",
        floor.as_secs_f64() * 1e3,
        mib_s(DOC_BYTES, floor)
    );
    println!(
        "ratio build / plain encode: {ratio:.2}× (target ≥ 0.5×: {})",
        if ratio >= 0.5 { "met" } else { "NOT met" }
    );
    println!(
        "extra memory during build:  {extra} bytes = {mem:.2}× the document (target ≤ 1.5×: {}; the body itself is {:.2}×)",
        if mem <= 1.5 { "met" } else { "NOT met" },
        body_len as f64 / DOC_BYTES as f64
    );
    println!(
        "parse poll result, 1 item:    {:>8.2} µs",
        p1.as_secs_f64() * 1e6
    );
    println!(
        "parse poll result, 200 items: {:>8.2} µs",
        p200.as_secs_f64() * 1e6
    );
}

//! The control API and the pages cannot be driven by another site, every control input is
//! checked with the field named, and ids cannot be predicted (unless a test asks for a seed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cqes_sandbox::{Options, Sandbox, SandboxConfig, DEFAULT_RP};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

async fn start(config: SandboxConfig) -> Sandbox {
    Sandbox::start(Options {
        config,
        ..Default::default()
    })
    .await
    .expect("sandbox starts")
}

fn mtls(sb: &Sandbox) -> Client {
    let id = sb.pki.client(DEFAULT_RP).unwrap();
    let pem = format!("{}{}", id.cert_pem, id.key_pem);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("relyingPartyID", DEFAULT_RP.parse().unwrap());
    Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(
            reqwest::Certificate::from_pem(sb.pki.ca_cert_pem.as_bytes()).unwrap(),
        )
        .identity(reqwest::Identity::from_pem(pem.as_bytes()).unwrap())
        .default_headers(headers)
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn answer(r: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let r = r.send().await.unwrap();
    let s = r.status();
    let body = r.bytes().await.unwrap();
    let v = serde_json::from_slice(&body)
        .unwrap_or_else(|_| panic!("{s}: not JSON: {}", String::from_utf8_lossy(&body)));
    (s, v)
}

/// Creates a pending sign request for customer 7501010010; returns its callbackId.
async fn pending(sb: &Sandbox) -> String {
    let data = base64_simd::STANDARD.encode_to_string(b"hello");
    let (s, v) = answer(
        mtls(sb)
            .post(format!("{}/v2/sign", sb.base_url))
            .header("rpToClientAuthorization", "personalId:7501010010")
            .json(
                &json!({"contents": [{"confirmText": "Sign", "contentFormat": "BINARY_BASE64",
                "data": data, "fileName": "a.txt", "signatureType": "CADES_BASELINE_B_DETACHED"}]}),
            ),
    )
    .await;
    assert_eq!(s, 202, "{v}");
    v["data"]["callbackId"].as_str().unwrap().to_owned()
}

fn host_of(url: &str) -> String {
    url.trim_start_matches("http://").to_owned()
}

#[tokio::test]
async fn another_site_cannot_approve_requests() {
    let sb = start(SandboxConfig::default()).await;
    let id = pending(&sb).await;
    let c = Client::new();
    let approve_all = format!("{}/requests/approve-all", sb.control_url);
    let pages_origin = sb.pages_url.clone();
    for (origin, host) in [
        (Some("https://evil.example"), None),
        (Some("null"), None),
        (Some(pages_origin.as_str()), None), // the pages port is another origin
        (None, Some("evil.example".to_owned())), // DNS rebinding: our address, their name
        (
            None,
            Some(format!(
                "evil.example:{}",
                host_of(&sb.control_url).split(':').nth(1).unwrap()
            )),
        ),
    ] {
        let mut r = c.post(&approve_all);
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        if let Some(h) = &host {
            r = r.header("host", h);
        }
        let (s, v) = answer(r).await;
        assert_eq!(s, 403, "origin {origin:?}, host {host:?}: {v}");
        assert_eq!(v["responseCode"], "FORBIDDEN");
    }
    // Nothing was approved.
    let (_, list) = answer(c.get(format!("{}/requests?state=pending", sb.control_url))).await;
    assert_eq!(list["requests"][0]["callbackId"], id.as_str());
    // Its own origin and programs without an Origin pass; so does `localhost` with its port.
    let port = host_of(&sb.control_url)
        .split(':')
        .nth(1)
        .unwrap()
        .to_owned();
    let (s, v) = answer(
        c.get(format!("{}/requests", sb.control_url))
            .header("origin", format!("http://localhost:{port}"))
            .header("host", format!("localhost:{port}")),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = answer(
        c.post(&approve_all)
            .header("origin", sb.control_url.clone()),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["requests"], 1);
    // The pages: the simulator's POST passes from its own origin, not from another.
    let scan = format!("{}/mobile/api/scan", sb.pages_url);
    let body = json!({"user": 0, "link": "https://x/qr/y"});
    let (s, v) = answer(
        c.post(&scan)
            .header("origin", "https://evil.example")
            .json(&body),
    )
    .await;
    assert_eq!(s, 403, "{v}");
    let (s, v) = answer(
        c.post(&scan)
            .header("origin", sb.pages_url.clone())
            .json(&body),
    )
    .await;
    assert_eq!(s, 400, "reaches the handler, which refuses the link: {v}");
    assert_eq!(v["data"]["field"], "link");
    let (s, _) = answer(
        c.post(&scan)
            .header("origin", sb.control_url.clone())
            .json(&body),
    )
    .await;
    assert_eq!(s, 403, "the control port is another origin for the pages");
    sb.stop().await;
}

#[tokio::test]
async fn control_inputs_are_checked_and_the_field_is_named() {
    let sb = start(SandboxConfig::default()).await;
    let c = Client::new();
    let faults = format!("{}/faults", sb.control_url);
    let rule = |extra: Value| {
        let mut r = json!({"operation": "*", "rate": 0.5, "kinds": ["error"]});
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        json!({"seed": 1, "rules": [r]})
    };
    for (body, field, says) in [
        (rule(json!({"rate": 5})), "rules[0].rate", "between 0 and 1"),
        (
            rule(json!({"rate": -1})),
            "rules[0].rate",
            "between 0 and 1",
        ),
        (
            rule(json!({"kinds": ["explode"]})),
            "rules[0].kinds[0]",
            "unknown variant",
        ),
        (rule(json!({"kinds": []})), "rules[0].kinds", "at least one"),
        (
            rule(json!({"operation": "btrust.noSuchThing"})),
            "rules[0].operation",
            "unknown operation",
        ),
        (
            rule(json!({"slowMs": 86_400_000u64})),
            "rules[0].slowMs",
            "at most",
        ),
        (
            rule(json!({"rate": "half"})),
            "rules[0].rate",
            "invalid type",
        ),
        (
            json!({"rules": [{"rate": 0.5, "kinds": ["error"]}]}),
            "rules[0].operation",
            "missing field",
        ),
    ] {
        let (s, v) = answer(c.put(&faults).json(&body)).await;
        assert_eq!(s, 400, "{body}: {v}");
        assert_eq!(v["data"]["field"], field, "{body}: {v}");
        assert!(v["message"].as_str().unwrap().contains(says), "{body}: {v}");
        assert_eq!(v["responseCode"], "BAD_REQUEST");
    }
    let (s, v) = answer(c.put(&faults).json(&rule(json!({"rate": 1})))).await;
    assert_eq!(s, 200, "a valid rule is taken: {v}");
    let behavior = format!("{}/behavior", sb.control_url);
    for (body, field) in [
        (json!({"mode": "dance"}), "mode"),
        (json!({"mode": "approve", "afterMs": -1}), "afterMs"),
        (
            json!({"mode": "approve", "afterMs": 999_999_999_999u64}),
            "afterMs",
        ),
        (json!({"mode": "approve", "typo": 1}), "typo"),
    ] {
        let (s, v) = answer(c.put(&behavior).json(&body)).await;
        assert_eq!(s, 400, "{body}: {v}");
        assert_eq!(v["data"]["field"], field, "{body}: {v}");
    }
    let advance = format!("{}/clock/advance", sb.control_url);
    for body in [json!({"ms": -5}), json!({}), json!({"ms": 1u64 << 62})] {
        let (s, v) = answer(c.post(&advance).json(&body)).await;
        assert_eq!(s, 400, "{body}: {v}");
        assert_eq!(v["data"]["field"], "ms", "{body}: {v}");
    }
    let (s, v) = answer(c.post(&advance).body("{not json")).await;
    assert_eq!(s, 400, "{v}");
    let (s, v) = answer(c.get(format!("{}/requests?state=weird", sb.control_url))).await;
    assert_eq!(
        (s.as_u16(), v["data"]["field"].as_str()),
        (400, Some("state"))
    );
    let (s, v) = answer(c.post(format!("{}/requests/some-id/dance", sb.control_url))).await;
    assert_eq!(
        (s.as_u16(), v["data"]["field"].as_str()),
        (400, Some("action"))
    );
    let (s, v) = answer(c.post(format!("{}/requests/dance-all", sb.control_url))).await;
    assert_eq!(
        (s.as_u16(), v["data"]["field"].as_str()),
        (400, Some("action"))
    );
    let (s, v) = answer(c.post(format!("{}/requests/no-such-id/approve", sb.control_url))).await;
    assert_eq!(
        (s.as_u16(), v["responseCode"].as_str()),
        (404, Some("NOT_FOUND"))
    );
    let (s, v) = answer(c.post(format!("{}/identifications/x/dance", sb.control_url))).await;
    assert_eq!(
        (s.as_u16(), v["data"]["field"].as_str()),
        (400, Some("action"))
    );
    sb.stop().await;

    // The same rules hold for a configuration given at start.
    let config = SandboxConfig {
        faults: serde_json::from_value(rule(json!({"rate": 2}))).unwrap(),
        ..SandboxConfig::default()
    };
    let err = Sandbox::start(Options {
        config,
        ..Default::default()
    })
    .await
    .unwrap_err();
    assert!(err.contains("faults.rules[0].rate"), "{err}");
}

/// What a relying party gets back: a callbackId and a clientToken.
async fn ids(sb: &Sandbox) -> (String, String) {
    let callback_id = pending(sb).await;
    let (s, v) = answer(
        mtls(sb)
            .post(format!("{}/v2/auth", sb.base_url))
            .json(&json!({"profileId": "032-552574", "otp": "523112"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    (
        callback_id,
        v["data"]["clientToken"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn two_sandboxes_on_the_same_clock_mint_different_ids_unless_seeded() {
    let at = |seed: Option<u64>| SandboxConfig {
        clock_start_ms: Some(1_717_171_717_000),
        id_seed: seed,
        ..SandboxConfig::default()
    };
    let (a, b) = (start(at(None)).await, start(at(None)).await);
    let (ia, ib) = (ids(&a).await, ids(&b).await);
    assert_ne!(ia.0, ib.0, "callbackIds");
    assert_ne!(ia.1, ib.1, "clientTokens");
    // Within one sandbox, consecutive ids share nothing predictable either.
    let (next, _) = ids(&a).await;
    assert_ne!(next, ia.0);
    let same_prefix = next
        .chars()
        .zip(ia.0.chars())
        .take_while(|(x, y)| x == y)
        .count();
    assert!(same_prefix < 8, "{next} vs {}", ia.0);
    for id in [&ia.0, &ib.0, &next] {
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4", "a version-4 UUID: {id}");
    }
    assert!(ia.1.starts_with("TPC") && ia.1.len() == 35, "{}", ia.1);
    a.stop().await;
    b.stop().await;

    let (a, b) = (start(at(Some(42))).await, start(at(Some(42))).await);
    assert_eq!(
        ids(&a).await,
        ids(&b).await,
        "a seed makes them reproducible"
    );
    assert_eq!(ids(&a).await, ids(&b).await);
    let c = start(at(Some(43))).await;
    assert_ne!(ids(&c).await.0, ids(&start(at(Some(42))).await).await.0);
    a.stop().await;
    b.stop().await;
    c.stop().await;
}

#[tokio::test]
async fn the_mobile_simulator_scans_a_qr_request_and_approves_it_through_decide() {
    let sb = start(SandboxConfig::default()).await;
    let rp = mtls(&sb);
    let data = base64_simd::STANDARD.encode_to_string(b"hello");
    let (s, v) = answer(rp.post(format!("{}/v2/signviaqr", sb.base_url)).json(&json!({
        "request": {"content": {"confirmText": "Sign at the counter", "contentFormat": "BINARY_BASE64",
            "data": data, "fileName": "a.txt", "signatureType": "CADES_BASELINE_B_DETACHED"}}})))
    .await;
    assert_eq!(s, 202, "{v}");
    let id = v["data"]["callbackId"].as_str().unwrap().to_owned();
    let link = v["data"]["qrPlain"].as_str().unwrap().to_owned();
    let pages = Client::new();
    let origin = sb.pages_url.clone();
    let post = |path: String, body: Value| {
        pages
            .post(format!("{}{path}", sb.pages_url))
            .header("origin", origin.clone())
            .json(&body)
    };
    let list = |user: u64| pages.get(format!("{}/mobile/api/requests?user={user}", sb.pages_url));
    // Before the scan nobody sees it; a QR request cannot be acted on unscanned.
    let (_, v) = answer(list(1)).await;
    assert_eq!(v["requests"].as_array().unwrap().len(), 0, "{v}");
    let (s, _) = answer(post(
        format!("/mobile/api/requests/{id}/approve"),
        json!({"user": 1}),
    ))
    .await;
    assert_eq!(s, 409);
    // Bad inputs name their field.
    for (body, field) in [
        (json!({"user": 1, "link": ""}), "link"),
        (
            json!({"user": 1, "link": "https://elsewhere.example/qr/x"}),
            "link",
        ),
        (json!({"link": link}), "user"),
        (json!({"user": 3, "link": link}), "user"), // a customer without a cloud QES
        (json!({"user": 1}), "link"),
    ] {
        let (s, v) = answer(post("/mobile/api/scan".into(), body.clone())).await;
        assert_eq!(
            (s.as_u16(), v["data"]["field"].as_str()),
            (400, Some(field)),
            "{body}: {v}"
        );
    }
    // Customer 1 scans it: it is theirs, with what B-Trust Mobile shows.
    let (s, v) = answer(post(
        "/mobile/api/scan".into(),
        json!({"user": 1, "link": link}),
    ))
    .await;
    assert_eq!(s, 200, "{v}");
    let (_, v) = answer(list(1)).await;
    let r = &v["requests"][0];
    assert_eq!(r["callbackId"], id.as_str());
    assert_eq!(r["relyingParty"], "Demo Bank");
    assert_eq!(r["documents"][0]["confirmText"], "Sign at the counter");
    assert!(r["validityMs"].as_u64().unwrap() > v["nowMs"].as_u64().unwrap());
    let doc = pages
        .get(format!(
            "{}{}",
            sb.pages_url,
            r["documents"][0]["href"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(doc.headers()["x-content-type-options"], "nosniff");
    assert!(doc.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    assert_eq!(doc.bytes().await.unwrap().as_ref(), b"hello");
    // Customer 0 cannot take or act on it.
    let (s, _) = answer(post(
        "/mobile/api/scan".into(),
        json!({"user": 0, "link": link}),
    ))
    .await;
    assert_eq!(s, 409);
    let (s, _) = answer(post(
        format!("/mobile/api/requests/{id}/approve"),
        json!({"user": 0}),
    ))
    .await;
    assert_eq!(s, 409);
    // Customer 1 approves: signed, as the control API would have done it.
    let (s, v) = answer(post(
        format!("/mobile/api/requests/{id}/approve"),
        json!({"user": 1}),
    ))
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["items"], json!(["SIGNED"]));
    let (s, v) = answer(rp.get(format!("{}/v2/sign/{id}", sb.base_url))).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["code"], "COMPLETED");
    let (_, v) = answer(list(1)).await;
    assert_eq!(v["requests"].as_array().unwrap().len(), 0);
    let (s, _) = answer(post(
        format!("/mobile/api/requests/{id}/reject"),
        json!({"user": 1}),
    ))
    .await;
    assert_eq!(s, 409, "final");
    sb.stop().await;
}

#[tokio::test]
async fn content_ids_are_random_not_counted() {
    let sb = start(SandboxConfig::default()).await;
    let (a, b) = (pending(&sb).await, pending(&sb).await);
    let (s, _) =
        answer(Client::new().post(format!("{}/requests/approve-all", sb.control_url))).await;
    assert_eq!(s, 200);
    let rp = mtls(&sb);
    let mut ids = Vec::new();
    for id in [a, b] {
        let (s, v) = answer(rp.get(format!("{}/v2/sign/{id}", sb.base_url))).await;
        assert_eq!(s, 200, "{v}");
        let content: i64 = v["data"]["signatures"][0]["signature"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(content > 0);
        ids.push(content);
    }
    assert!((ids[0] - ids[1]).abs() > 1, "{ids:?}");
    // Each still downloads.
    for id in ids {
        let r = rp
            .get(format!("{}/v2/sign/content/{id}", sb.base_url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    sb.stop().await;
}

//! `cqes demo identify`: an embedded sandbox, a loopback receiver for the callbacks, web
//! identification, then signing the sample contract with a one-time certificate.

use super::web::{print_identified, web_identification};
use super::write;
use crate::output::Live;
use cqes::{Client, ClientIdentity};
use cqes_core::btrust::identification::{parse_identification_callback, IdentificationCallback};
use cqes_core::btrust::{Config, Environment};
use cqes_core::flow::UserAction;
use cqes_core::Error;
use cqes_sandbox::{
    pki::P12_PASSWORD, Behavior, BehaviorMode, Options, Sandbox, SandboxConfig, DEFAULT_RP,
};
use serde_json::json;
use std::path::PathBuf;
use tokio::sync::mpsc;

/// Options of `cqes demo identify`.
#[derive(clap::Args, Debug)]
pub struct IdentifyDemoArgs {
    /// Where to write the eID certificate and the signed document
    #[arg(long, default_value = "cqes-demo-out")]
    pub out: PathBuf,
    /// The simulated customer acts this many milliseconds after each step
    #[arg(long, default_value_t = 3000)]
    pub act_after_ms: u64,
    /// Do not simulate the customer: open the printed URLs in a browser and complete them
    #[arg(long)]
    pub manual: bool,
}

/// Receives callbacks on loopback and hands them to the running flow.
async fn callback_receiver(
    config: Config,
) -> Result<(String, mpsc::Receiver<IdentificationCallback>), Error> {
    use axum::routing::post;
    let (tx, rx) = mpsc::channel(16);
    let app = axum::Router::new()
        .route(
            "/cqes/callback",
            post(move |body: axum::body::Bytes| {
                let tx = tx.clone();
                let config = config.clone();
                async move {
                    if let Ok(event) = parse_identification_callback(&config, &body) {
                        let _ = tx.send(event).await;
                    }
                    "ok"
                }
            }),
        )
        .route(
            "/done",
            axum::routing::get(|| async {
                axum::response::Html(
                    "<h1>Back at the relying party.</h1><p>You can close this tab.</p>",
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| Error::invalid_state(e.to_string()))?;
    let base = format!(
        "http://{}",
        listener
            .local_addr()
            .map_err(|e| Error::invalid_state(e.to_string()))?
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((base, rx))
}

/// `cqes demo identify`: web identification, then signing with a one-time certificate.
pub async fn demo(args: IdentifyDemoArgs, as_json: bool) -> Result<(), Error> {
    let fail = |m: String| Error::invalid_state(m);
    let behavior = Behavior {
        mode: if args.manual {
            BehaviorMode::Ignore
        } else {
            BehaviorMode::Approve
        },
        after_ms: args.act_after_ms,
    };
    let mut config = SandboxConfig {
        behavior,
        ..SandboxConfig::default()
    };
    config.validity_ms = config.validity_ms.max(15 * 60_000);
    if !as_json {
        eprintln!("Starting an embedded B-Trust sandbox (mutual TLS on loopback)…");
    }
    let sb = Sandbox::start(Options {
        config,
        ..Default::default()
    })
    .await
    .map_err(fail)?;
    let result = demo_steps(&sb, &args, as_json).await;
    sb.stop().await;
    let summary = result?;
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
    }
    Ok(())
}

async fn demo_steps(
    sb: &Sandbox,
    args: &IdentifyDemoArgs,
    as_json: bool,
) -> Result<serde_json::Value, Error> {
    let fail = |m: String| Error::invalid_state(m);
    let certs = std::env::temp_dir().join(format!("cqes-demo-identify-{}", std::process::id()));
    sb.pki.write_to(&certs).map_err(fail)?;
    let client = Client::builder()
        .environment(Environment::Custom(sb.base_url.clone()))
        .relying_party_id(DEFAULT_RP)
        .identity(ClientIdentity::pkcs12_file(
            &certs.join(format!("rp-{DEFAULT_RP}.p12")).to_string_lossy(),
            P12_PASSWORD,
        )?)
        .add_ca_pem(sb.pki.ca_cert_pem.as_bytes())
        .only_custom_ca(true)
        .identification_url(sb.pages_url.clone())
        .build()?;
    let _ = std::fs::remove_dir_all(&certs);
    let (rp_base, mut callbacks) = callback_receiver(client.config().clone()).await?;
    if !as_json {
        eprintln!("  B-Trust API      {}", sb.base_url);
        eprintln!("  customer pages   {}", sb.pages_url);
        eprintln!("  your callbacks   {rp_base}/cqes/callback");
        if args.manual {
            eprintln!("Open each URL below in a browser and act as the customer.");
        } else {
            eprintln!(
                "The simulated customer acts {} ms after each step; or open the URLs yourself.",
                args.act_after_ms
            );
        }
        eprintln!("1) Web identification");
    }
    let input = cqes_core::btrust::registry::deserialize_input(&json!({
        "requestCallbackUrl": format!("{rp_base}/cqes/callback"), "identificationReason": "cqes demo: opening an account",
        "registration": {"cancelUrl": format!("{rp_base}/done"), "externalRef": "demo-1", "successUrl": format!("{rp_base}/done"),
            "userLanguage": "en", "verifyEmailAddress": true, "verifyPhoneNumber": true}
    }))?;
    let ident = web_identification(&client, input, Some(&mut callbacks), as_json).await?;
    let eid = match &ident.eid_document {
        Some(pdf) => Some(write(&args.out, "eid-certificate.pdf", pdf.as_bytes())?),
        None => None,
    };
    print_identified(&ident, eid.as_deref(), as_json);
    if !as_json {
        eprintln!("2) Signing the sample contract with a one-time certificate");
    }
    let sign_input = cqes_core::btrust::registry::deserialize_input(&json!({
        "identificator": ident.client_identificator, "signSessionId": ident.sign_session_id,
        "documentsForSign": [{"contentAsBase64": {"$bytes": cqes_core::Blob::from(crate::demo::SAMPLE_PDF).to_base64()},
            "fileName": "sample-contract.pdf", "legalFileName": "cqes demo contract", "padesVisualSignature": true,
            "signaturePosition": {"imageHeight": 60, "imageWidth": 180, "imageXAxis": 72.0, "imageYAxis": 600.0, "pageNumber": 1}}],
        "sendSignedDocumentsByEmail": false, "cancelUrl": format!("{rp_base}/done"), "successUrl": format!("{rp_base}/done")
    }))?;
    let mut flow = client.start_web_otc_sign(sign_input)?;
    let mut live = Live::new(!as_json);
    let mut shown = false;
    let signed = client
        .run(
            &mut flow,
            |p| {
                if let (Some(UserAction::OpenUrl { url }), false) = (&p.user_action, shown) {
                    live.println(&format!("  the customer opens: {url}"));
                    shown = true;
                }
                live.update(p)
            },
            Some(&mut callbacks),
        )
        .await;
    live.finish();
    let signed = signed?;
    let mut files = Vec::new();
    for d in &signed.documents {
        files.push(write(
            &args.out,
            d.filename.as_deref().unwrap_or("signed.pdf"),
            d.content_as_base64.as_bytes(),
        )?);
    }
    if !as_json {
        println!("signed ✔ (resultId {})", signed.result_id);
        for f in &files {
            println!("  signed document      → {f}");
        }
    }
    Ok(json!({
        "identificationUrl": ident.identification_url,
        "clientIdentificator": ident.client_identificator,
        "signSessionId": ident.sign_session_id,
        "eidCertificate": eid,
        "signResultId": signed.result_id,
        "signedDocuments": files,
    }))
}

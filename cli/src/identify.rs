//! `cqes identify mobile|web` and `cqes demo identify`.

use crate::output::Live;
use crate::settings::Connection;
use cqes::{Client, ClientIdentity};
use cqes_core::btrust::identification::{parse_identification_callback, IdentificationCallback};
use cqes_core::btrust::{Config, Environment};
use cqes_core::flow::UserAction;
use cqes_core::Error;
use cqes_sandbox::{
    pki::P12_PASSWORD, Behavior, BehaviorMode, Options, Sandbox, SandboxConfig, DEFAULT_RP,
};
use serde_json::json;
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;

/// `cqes identify …`
#[derive(clap::Subcommand, Debug)]
pub enum IdentifyCmd {
    /// Identify a person through B-Trust Mobile
    Mobile {
        #[command(flatten)]
        who: Who,
        /// Date of birth, dd-MM-yyyy
        #[arg(long)]
        dob: String,
        /// Why the identification is needed
        #[arg(long)]
        reason: String,
        /// Phone (E.164), for onboarding
        #[arg(long)]
        phone_number: Option<String>,
        /// E-mail, for onboarding
        #[arg(long)]
        email_address: Option<String>,
        /// Where to write the eID certificate (PDF)
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// Web (video) identification: prints the URL to send the customer to, waits for the end
    Web {
        /// Where BORICA POSTs status changes (your endpoint)
        #[arg(long)]
        callback_url: String,
        /// Where the customer lands after identification
        #[arg(long)]
        success_url: String,
        /// Where the customer lands after cancelling
        #[arg(long)]
        cancel_url: String,
        /// Why the identification is needed
        #[arg(long)]
        reason: String,
        /// Your reference of this identification
        #[arg(long, default_value = "cqes-cli")]
        external_ref: String,
        /// Language of the pages: bg or en
        #[arg(long, default_value = "bg")]
        lang: String,
        /// Only metadata: no eID certificate
        #[arg(long)]
        metadata_only: bool,
        /// Where to write the eID certificate (PDF)
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
}

/// The person to identify through B-Trust Mobile (exactly one).
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct Who {
    /// By EGN
    #[arg(long)]
    egn: Option<String>,
    /// By LNC
    #[arg(long)]
    lnc: Option<String>,
    /// By e-mail
    #[arg(long)]
    email: Option<String>,
    /// By phone (E.164)
    #[arg(long)]
    phone: Option<String>,
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<String, Error> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::invalid_state(format!("cannot create {}: {e}", dir.display())))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes)
        .map_err(|e| Error::invalid_state(format!("cannot write {}: {e}", path.display())))?;
    Ok(path.display().to_string())
}

/// Runs `cqes identify …`.
pub async fn run(conn: &Connection, cmd: IdentifyCmd, as_json: bool) -> Result<(), Error> {
    let client = conn.client()?;
    match cmd {
        IdentifyCmd::Mobile {
            who,
            dob,
            reason,
            phone_number,
            email_address,
            out,
        } => {
            let (doc_type, value) = match (who.egn, who.lnc, who.email, who.phone) {
                (Some(v), ..) => ("EGN", v),
                (_, Some(v), ..) => ("LNC", v),
                (_, _, Some(v), _) => ("EMAIL", v),
                (_, _, _, Some(v)) => ("PHONE", v),
                _ => ("EGN", String::new()),
            };
            let mut body = json!({"personIdentityData": {"docType": doc_type, "identificatorValue": value, "dateOfBirth": dob}, "identificationReason": reason});
            if let Some(p) = phone_number {
                body["phoneNumber"] = json!(p);
            }
            if let Some(e) = email_address {
                body["email"] = json!(e);
            }
            let request = cqes_core::btrust::registry::deserialize_input(&body)?;
            let mut flow = client.start_mobile_identification(request)?;
            let mut live = Live::new(!as_json);
            let outcome = client.run(&mut flow, |p| live.update(p), None).await;
            live.finish();
            let outcome = outcome?;
            let file = match &outcome.eid_certificate {
                Some(pdf) => Some(write(&out, "eid-certificate.pdf", pdf.as_bytes())?),
                None => None,
            };
            if as_json {
                println!(
                    "{}",
                    json!({"callbackId": outcome.callback_id, "identificator": outcome.identificator, "eidCertificate": file})
                );
            } else {
                println!("identified ✔");
                println!(
                    "  identificator {}",
                    outcome.identificator.as_deref().unwrap_or("-")
                );
                if let Some(f) = file {
                    println!("  eID certificate → {f}");
                }
            }
            Ok(())
        }
        IdentifyCmd::Web {
            callback_url,
            success_url,
            cancel_url,
            reason,
            external_ref,
            lang,
            metadata_only,
            out,
        } => {
            let input = cqes_core::btrust::registry::deserialize_input(&json!({
                "requestCallbackUrl": callback_url, "identificationReason": reason, "onlyMetadata": metadata_only,
                "registration": {"cancelUrl": cancel_url, "externalRef": external_ref, "successUrl": success_url, "userLanguage": lang,
                    "verifyEmailAddress": true, "verifyPhoneNumber": true}
            }))?;
            let outcome = web_identification(&client, input, None, as_json).await?;
            let file = match &outcome.eid_document {
                Some(pdf) => Some(write(&out, "eid-certificate.pdf", pdf.as_bytes())?),
                None => None,
            };
            print_identified(&outcome, file.as_deref(), as_json);
            Ok(())
        }
    }
}

/// Runs a web identification, printing the URL the customer must open.
async fn web_identification(
    client: &Client,
    input: cqes_core::btrust::flows::WebIdentificationFlowInput,
    callbacks: Option<&mut mpsc::Receiver<IdentificationCallback>>,
    as_json: bool,
) -> Result<cqes_core::btrust::flows::WebIdentificationOutcome, Error> {
    let mut flow = client.start_web_identification(input)?;
    let mut live = Live::new(!as_json);
    let mut shown = false;
    let outcome = client
        .run(
            &mut flow,
            |p| {
                if let (Some(UserAction::OpenUrl { url }), false) = (&p.user_action, shown) {
                    live.println(&format!("  the customer opens: {url}"));
                    shown = true;
                }
                live.update(p)
            },
            callbacks,
        )
        .await;
    live.finish();
    outcome
}

fn print_identified(
    o: &cqes_core::btrust::flows::WebIdentificationOutcome,
    file: Option<&str>,
    as_json: bool,
) {
    if as_json {
        return;
    }
    println!("identified ✔");
    println!("  identification URL   {}", o.identification_url);
    println!(
        "  clientIdentificator  {}",
        o.client_identificator.as_deref().unwrap_or("-")
    );
    println!(
        "  signSessionId        {}",
        o.sign_session_id.as_deref().unwrap_or("-")
    );
    if let Some(f) = file {
        println!("  eID certificate      → {f}");
    }
}

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

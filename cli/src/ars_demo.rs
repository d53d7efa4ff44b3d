//! `cqes demo ars`: automatic remote signing end to end on an embedded sandbox over mutual
//! TLS — the authorised signer consents (the simulated user approves), three invoices are
//! signed at once with the access token, then a batch of ten in the background.

use crate::ars::{sign_files, TokenFile};
use cqes::{Client, ClientIdentity};
use cqes_core::btrust::ars::{ConsentRequest, OrgIdentifierType, Organisation};
use cqes_core::btrust::flows::{ArsItem, ConsentFlowInput};
use cqes_core::btrust::{Content, Environment, SignatureType, SignerIdentity};
use cqes_core::Error;
use cqes_sandbox::{Behavior, BehaviorMode, Options, Sandbox, SandboxConfig, DEFAULT_RP};
use serde_json::json;
use std::path::PathBuf;

/// Options of `cqes demo ars`.
#[derive(clap::Args, Debug)]
pub struct ArsDemoArgs {
    /// Where to write the signed files and the consent
    #[arg(long, default_value = "cqes-demo-ars")]
    pub out: PathBuf,
    /// The simulated signer consents this many milliseconds after the request arrives
    #[arg(long, default_value_t = 1500)]
    pub approve_after_ms: u64,
    /// No simulated signer: consent yourself in the sandbox's B-Trust Mobile simulator (its
    /// address is printed), where the consent waits beside sign requests
    #[arg(long, conflicts_with = "approve_after_ms")]
    pub manual: bool,
}

fn invoices(from: usize, n: usize) -> Vec<Content> {
    (from..from + n)
        .map(|i| {
            let pdf = cqes_sandbox::pdfgen::simple_pdf(
                &format!("Invoice {i}"),
                &[
                    format!("Invoice number {i}"),
                    "Amount due: 120.00 BGN".into(),
                ],
            );
            let mut c = Content::document(format!("Invoice {i}"), pdf);
            c.file_name = Some(format!("invoice-{i}.pdf"));
            c.signature_type = Some(SignatureType::PadesBaselineB);
            c
        })
        .collect()
}

/// Runs the demo.
pub async fn run(args: ArsDemoArgs, as_json: bool) -> Result<(), Error> {
    let fail = |m: String| Error::invalid_state(m);
    let config = SandboxConfig {
        behavior: Behavior {
            mode: if args.manual {
                BehaviorMode::Ignore
            } else {
                BehaviorMode::Approve
            },
            after_ms: args.approve_after_ms,
        },
        ..SandboxConfig::default()
    };
    let say = |s: &str| {
        if !as_json {
            eprintln!("{s}");
        }
    };
    say("Starting an embedded B-Trust sandbox (fresh test PKI, mutual TLS on loopback)…");
    let sandbox = Sandbox::start(Options {
        config,
        ..Default::default()
    })
    .await
    .map_err(fail)?;
    let result = demo(&sandbox, &args, as_json).await;
    let stats = sandbox.stats();
    sandbox.stop().await;
    let (consent, sync, batch) = result?;
    let signed = |items: &[ArsItem]| {
        items
            .iter()
            .filter(|i| i.status.is_signed() && i.document.is_some())
            .count()
    };
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "consent": consent,
                "syncSigned": signed(&sync),
                "batchSigned": signed(&batch),
                "out": args.out.display().to_string(),
                "sandboxRequests": stats.requests,
            }))
            .unwrap_or_default()
        );
    } else {
        println!("  consent       {consent}");
        println!("  auto-signed   {} of 3 documents at once", signed(&sync));
        println!(
            "  batch         {} of 10 documents in the background",
            signed(&batch)
        );
        println!("  written to    {}", args.out.display());
        let calls: u64 = stats.requests.values().sum();
        println!(
            "  sandbox saw   {calls} API calls over mTLS: {:?}",
            stats.requests
        );
    }
    Ok(())
}

async fn demo(
    sandbox: &Sandbox,
    args: &ArsDemoArgs,
    as_json: bool,
) -> Result<(String, Vec<ArsItem>, Vec<ArsItem>), Error> {
    let fail = |m: String| Error::invalid_state(m);
    let id = sandbox
        .pki
        .client(DEFAULT_RP)
        .ok_or_else(|| fail("no client identity for the relying party".into()))?;
    let client = Client::builder()
        .environment(Environment::Custom(sandbox.base_url.clone()))
        .relying_party_id(DEFAULT_RP)
        .language("en".into())
        .identity(ClientIdentity::pem(
            id.cert_pem.as_bytes(),
            id.key_pem.as_bytes(),
        )?)
        .add_ca_pem(sandbox.pki.ca_cert_pem.as_bytes())
        .only_custom_ca(true)
        .build()?;
    let cert_id = sandbox
        .app
        .users
        .iter()
        .find(|u| u.config.has_cqes)
        .map(|u| u.config.cert_id.clone())
        .ok_or_else(|| fail("the sandbox has no customer with a CQES".into()))?;
    if !as_json {
        eprintln!("Asking the authorised signer (certId {cert_id}) to consent to automatic signing for Пример ООД…");
    }
    if args.manual {
        // Also with --json (on stderr): a script or a browser test acts on this line.
        eprintln!(
            "Consent as the authorised signer in B-Trust Mobile: the customer opens: {}/mobile",
            sandbox.pages_url
        );
    }
    let mut flow = client.start_consent(ConsentFlowInput {
        identity: SignerIdentity::CertId(cert_id.into()),
        request: ConsentRequest {
            expiration_time: 365,
            organisation: Organisation {
                org_identifier: "121234567".into(),
                org_identifier_type: OrgIdentifierType::Bulstat,
                org_name: "Пример ООД".into(),
            },
            role: "Управител".into(),
            subject: "Automatic signing of invoices".into(),
        },
    })?;
    let mut live = crate::output::Live::new(!as_json);
    let outcome = client.run(&mut flow, |p| live.update(p), None).await;
    live.finish();
    let outcome = outcome?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| fail(format!("cannot create {}: {e}", args.out.display())))?;
    if let Some(doc) = &outcome.consent {
        std::fs::write(args.out.join("consent-signed.pdf"), doc.as_bytes())
            .map_err(|e| fail(e.to_string()))?;
    }
    let mut token = TokenFile {
        access_token: outcome.access_token.clone(),
        expires_at_ms: outcome
            .expiration_date
            .as_ref()
            .and_then(|t| t.epoch_ms())
            .map(|t| t.max(0) as u64),
        validated_at_ms: None,
    };
    let consent = format!(
        "approved; token valid until {}",
        outcome
            .expiration_date
            .as_ref()
            .map(|t| t.raw())
            .unwrap_or("?")
    );
    if !as_json {
        eprintln!("Consent {consent}. Signing three invoices at once…");
    }
    let sync = sign_files(&client, &mut token, invoices(1, 3), false).await?;
    if !as_json {
        eprintln!("Signing a batch of ten in the background…");
    }
    let batch = sign_files(&client, &mut token, invoices(4, 10), true).await?;
    for item in sync.iter().chain(&batch) {
        if let Some(doc) = &item.document {
            let name = doc
                .file_name
                .clone()
                .unwrap_or_else(|| format!("signed-{}.pdf", item.index));
            std::fs::write(args.out.join(name), doc.content.as_bytes())
                .map_err(|e| fail(e.to_string()))?;
        }
    }
    Ok((consent, sync, batch))
}

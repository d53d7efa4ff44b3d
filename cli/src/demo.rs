//! `cqes demo`: the whole signing flow against an embedded sandbox over real mutual TLS —
//! fresh certificates, a bundled sample PDF, a simulated user who approves after a short
//! delay, live progress, and the signed file written to disk.

use crate::output::{save, summary, Live};
use cqes::{Client, ClientIdentity};
use cqes_core::btrust::{Content, Environment, SignRequest, SignaturePosition, SignerIdentity};
use cqes_core::Error;
use cqes_sandbox::{
    pki::P12_PASSWORD, Behavior, BehaviorMode, Options, Sandbox, SandboxConfig, DEFAULT_RP,
};
use serde_json::json;
use std::path::PathBuf;

/// The bundled sample document.
pub const SAMPLE_PDF: &[u8] = include_bytes!("../assets/sample-contract.pdf");
/// The demo signer (a sandbox customer).
pub const DEMO_EGN: &str = "7501010010";

/// Options of the demo.
#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Where to write the signed file
    #[arg(long, default_value = "cqes-demo-out")]
    pub out: PathBuf,
    /// The simulated user approves this many milliseconds after the request arrives
    #[arg(long, default_value_t = 2500)]
    pub approve_after_ms: u64,
    /// Let the simulated user reject instead (to see a rejection end to end)
    #[arg(long)]
    pub reject: bool,
    /// PAdES baseline level: B, T, LT or LTA (LT and LTA embed the revocation data, so the
    /// file validates after the sandbox has stopped)
    #[arg(long, default_value = "LTA", value_parser = ["B", "T", "LT", "LTA"])]
    pub level: String,
    /// No simulated user: be the customer yourself in the sandbox's B-Trust Mobile simulator
    /// (its address is printed), then approve, reject or let the request expire there
    #[arg(long, conflicts_with_all = ["reject", "approve_after_ms"])]
    pub manual: bool,
}

/// Runs the demo.
pub async fn run(args: DemoArgs, as_json: bool) -> Result<(), Error> {
    let fail = |m: String| Error::invalid_state(m);
    let mode = if args.manual {
        BehaviorMode::Ignore
    } else if args.reject {
        BehaviorMode::Reject
    } else {
        BehaviorMode::Approve
    };
    let config = SandboxConfig {
        behavior: Behavior {
            mode,
            after_ms: args.approve_after_ms,
        },
        ..SandboxConfig::default()
    };
    if !as_json {
        eprintln!("Starting an embedded B-Trust sandbox (fresh test PKI, mutual TLS on loopback)…");
    }
    let sandbox = Sandbox::start(Options {
        config,
        ..Default::default()
    })
    .await
    .map_err(fail)?;
    let result = sign(&sandbox, &args, as_json).await;
    let stats = sandbox.stats();
    sandbox.stop().await;
    let (outcome, items, certs_dir) = result?;
    let _ = std::fs::remove_dir_all(&certs_dir);
    summary(
        &outcome,
        &items,
        as_json,
        json!({
            "signer": "Ivan Petrov (sandbox customer)",
            "sandboxRequests": stats.requests,
        }),
    );
    if !as_json {
        let calls: u64 = stats.requests.values().sum();
        println!(
            "  sandbox saw   {calls} API calls over mTLS: {:?}",
            stats.requests
        );
    }
    Ok(())
}

async fn sign(
    sandbox: &Sandbox,
    args: &DemoArgs,
    as_json: bool,
) -> Result<
    (
        cqes_core::btrust::SignOutcome,
        Vec<serde_json::Value>,
        PathBuf,
    ),
    Error,
> {
    let fail = |m: String| Error::invalid_state(m);
    // The client authenticates with the PKCS#12 file, as a relying party would.
    let certs = std::env::temp_dir().join(format!("cqes-demo-{}", std::process::id()));
    sandbox.pki.write_to(&certs).map_err(fail)?;
    let p12 = certs.join(format!("rp-{DEFAULT_RP}.p12"));
    let client = Client::builder()
        .environment(Environment::Custom(sandbox.base_url.clone()))
        .relying_party_id(DEFAULT_RP)
        .language("en".into())
        .identity(ClientIdentity::pkcs12_file(
            &p12.to_string_lossy(),
            P12_PASSWORD,
        )?)
        .add_ca_pem(sandbox.pki.ca_cert_pem.as_bytes())
        .only_custom_ca(true)
        .build()?;
    if args.manual {
        // Also with --json (on stderr): a script or a browser test acts on this line.
        eprintln!(
            "Act as the customer (Ivan Petrov) in B-Trust Mobile: the customer opens: {}/mobile",
            sandbox.pages_url
        );
    }
    if !as_json && !args.manual {
        eprintln!("  B-Trust API   {}", sandbox.base_url);
        eprintln!("  control API   {}", sandbox.control_url);
        eprintln!("  client cert   {} (PKCS#12)", p12.display());
        eprintln!(
            "Sending sample-contract.pdf ({} bytes) to the sandbox customer with EGN {DEMO_EGN}; the simulated user {} after {} ms…",
            SAMPLE_PDF.len(),
            if args.reject { "rejects" } else { "approves" },
            args.approve_after_ms
        );
    }
    let mut content = Content::document("Please sign the cqes demo contract", SAMPLE_PDF.to_vec());
    content.file_name = Some("sample-contract.pdf".into());
    content.signature_type = Some(format!("PADES_BASELINE_{}", args.level).as_str().into());
    content.pades_visual_signature = Some(true);
    content.signature_position = Some(SignaturePosition {
        image_height: 60,
        image_width: 180,
        image_x_axis: 72.0,
        image_y_axis: 600.0,
        page_number: 1,
    });
    let request = SignRequest {
        contents: vec![content],
        relying_party_callback_id: None,
        callback_url: None,
        payer: None,
        is_login: None,
    };
    let mut flow = client.start_sign(SignerIdentity::PersonalId(DEMO_EGN.into()), request)?;
    let mut live = Live::new(!as_json);
    let outcome = client.run(&mut flow, |p| live.update(p), None).await;
    live.finish();
    let outcome = outcome?;
    let items = save(&outcome, &args.out)?;
    // The trust root a validator needs (the sandbox CA is not in any trust store).
    let ca = args.out.join("sandbox-ca.pem");
    std::fs::write(&ca, &sandbox.pki.ca_cert_pem)
        .map_err(|e| fail(format!("{}: {e}", ca.display())))?;
    if !as_json {
        // pyhanko's CLI fetches revocation data online (the sandbox is gone by then): at
        // LT/LTA the file carries it, which sandbox/tests/validators/pades.py checks offline.
        eprintln!(
            "  trust root    {} (pyhanko sign validate --trust-replace --trust {} --no-revocation-check <signed.pdf>)",
            ca.display(),
            ca.display()
        );
    }
    Ok((outcome, items, certs))
}

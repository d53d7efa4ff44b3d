//! `cqes sign`, `cqes status`, `cqes download`, `cqes cert`.

use crate::output::{save, summary, Live};
use crate::settings::Connection;
use cqes_core::btrust::certificates::{
    GetCert, GetCertByIdentity, GetCertByIdentityInput, GetCertInput, IdentificatorType,
};
use cqes_core::btrust::signing::{GetSignedContent, GetSignedContentInput};
use cqes_core::btrust::signing::{
    GetSignedResult, GetSignedResultByRpCallbackId, GetSignedResultByRpCallbackIdInput,
    GetSignedResultInput,
};
use cqes_core::btrust::{Content, SignRequest, SignatureType, SignerIdentity};
use cqes_core::validate::{Issue, IssueCode};
use cqes_core::{Blob, Error, Secret};
use serde_json::json;
use std::path::PathBuf;

/// Who signs (exactly one).
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct Signer {
    /// The signer's EGN or LNC
    #[arg(long, env = "CQES_PERSONAL_ID", hide_env_values = true)]
    personal_id: Option<String>,
    /// The signer's B-Trust profile id (with --otp)
    #[arg(long, requires = "otp")]
    profile_id: Option<String>,
    /// A client token from `POST /v2/auth`
    #[arg(long, env = "CQES_CLIENT_TOKEN", hide_env_values = true)]
    client_token: Option<String>,
    /// The signer's certificate id
    #[arg(long)]
    cert_id: Option<String>,
}

/// `cqes sign`
#[derive(clap::Args, Debug)]
pub struct SignArgs {
    /// Files to sign (one content each)
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    signer: Signer,
    /// The authorization code, with --profile-id
    #[arg(long, hide_env_values = true, env = "CQES_OTP")]
    otp: Option<String>,
    /// Output format (default: PADES_BASELINE_B for PDF, XADES_BASELINE_B_ENVELOPED for XML, else CADES_BASELINE_B_DETACHED)
    #[arg(long = "type")]
    signature_type: Option<String>,
    /// Text of the confirmation dialog in B-Trust Mobile
    #[arg(long, default_value = "Please sign")]
    confirm_text: String,
    /// Your own id of the request (default: a random UUID)
    #[arg(long)]
    rp_callback_id: Option<String>,
    /// Archive the signed documents in BORICA's long-term preservation service
    #[arg(long)]
    archive: bool,
    /// Where to write signed files
    #[arg(long, default_value = ".")]
    out: PathBuf,
    /// Stop at the signatures' ids; do not download
    #[arg(long)]
    no_download: bool,
    // Connection flags given after the command.
    #[command(flatten)]
    pub conn: Connection,
}

fn file_error(path: &std::path::Path, e: std::io::Error) -> Error {
    Error::validation(Issue {
        path: "files".into(),
        code: IssueCode::Required,
        message: format!("cannot read {}: {}", path.display(), e.kind()),
    })
}

fn default_type(bytes: &[u8]) -> SignatureType {
    if cqes_core::btrust::rules::looks_like_pdf(bytes) {
        SignatureType::PadesBaselineB
    } else if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<') {
        SignatureType::XadesBaselineBEnveloped
    } else {
        SignatureType::CadesBaselineBDetached
    }
}

impl Signer {
    fn identity(&self, otp: Option<String>) -> SignerIdentity {
        if let Some(p) = &self.personal_id {
            SignerIdentity::PersonalId(Secret::new(p.clone()))
        } else if let Some(id) = &self.profile_id {
            SignerIdentity::ProfileId {
                id: Secret::new(id.clone()),
                otp: Secret::new(otp.unwrap_or_default()),
            }
        } else if let Some(t) = &self.client_token {
            SignerIdentity::ClientToken(Secret::new(t.clone()))
        } else {
            SignerIdentity::CertId(Secret::new(self.cert_id.clone().unwrap_or_default()))
        }
    }
}

/// Signs files end to end.
pub async fn sign(conn: &Connection, args: SignArgs, as_json: bool) -> Result<(), Error> {
    let options = cqes_core::flow::FlowOptions {
        download: !args.no_download,
        ..Default::default()
    };
    let client = conn.builder()?.flow_options(options).build()?;
    let mut contents = Vec::new();
    for path in &args.files {
        let bytes = std::fs::read(path).map_err(|e| file_error(path, e))?;
        let kind = match &args.signature_type {
            Some(t) => SignatureType::parse(t),
            None => default_type(&bytes),
        };
        let mut c = Content::document(args.confirm_text.clone(), bytes);
        c.file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        c.signature_type = Some(kind);
        c.to_be_archived = args.archive.then_some(true);
        contents.push(c);
    }
    let request = SignRequest {
        contents,
        relying_party_callback_id: args.rp_callback_id.clone(),
        callback_url: None,
        payer: None,
        is_login: None,
    };
    let mut flow = client.start_sign(args.signer.identity(args.otp.clone()), request)?;
    let mut live = Live::new(!as_json);
    let outcome = client.run(&mut flow, |p| live.update(p), None).await;
    live.finish();
    let outcome = outcome?;
    let items = save(&outcome, &args.out)?;
    summary(&outcome, &items, as_json, json!({}));
    Ok(())
}

/// Shows a request's state.
pub async fn status(
    conn: &Connection,
    callback_id: Option<String>,
    rp_callback_id: Option<String>,
    as_json: bool,
) -> Result<(), Error> {
    let client = conn.client()?;
    let result = match (callback_id, rp_callback_id) {
        (Some(id), _) => {
            client
                .call::<GetSignedResult>(&GetSignedResultInput { callback_id: id })
                .await?
        }
        (None, Some(id)) => {
            client
                .call::<GetSignedResultByRpCallbackId>(&GetSignedResultByRpCallbackIdInput {
                    rp_callback_id: id,
                })
                .await?
        }
        (None, None) => {
            return Err(Error::validation(Issue {
                path: "callback-id".into(),
                code: IssueCode::Required,
                message: "give a callbackId or --rp-callback-id".into(),
            }))
        }
    };
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&cqes_core::btrust::registry::to_json_value(&result)?)
                .unwrap_or_default()
        );
        return Ok(());
    }
    let state = if result.in_progress() {
        "in progress (206)"
    } else {
        "final (200)"
    };
    println!(
        "{state}, code {}",
        result.code.as_ref().map(|c| c.as_str()).unwrap_or("-")
    );
    for (i, s) in result.data.signatures.iter().enumerate() {
        println!(
            "  item #{i}: {} {} {}",
            s.status,
            s.signature_type.as_ref().map(|t| t.as_str()).unwrap_or(""),
            s.signature.as_deref().unwrap_or("")
        );
    }
    Ok(())
}

/// Downloads a signed document.
pub async fn download(
    conn: &Connection,
    id: String,
    out: Option<PathBuf>,
    as_json: bool,
) -> Result<(), Error> {
    let client = conn.client()?;
    let file = client
        .call::<GetSignedContent>(&GetSignedContentInput { id: id.clone() })
        .await?;
    let path = out.unwrap_or_else(|| {
        PathBuf::from(
            file.file_name
                .clone()
                .unwrap_or_else(|| format!("signed-{id}")),
        )
    });
    std::fs::write(&path, file.content.as_bytes())
        .map_err(|e| Error::invalid_state(format!("cannot write {}: {e}", path.display())))?;
    if as_json {
        println!(
            "{}",
            json!({"file": path.display().to_string(), "bytes": file.content.len(), "contentType": file.content_type})
        );
    } else {
        println!(
            "wrote {} ({} bytes, {})",
            path.display(),
            file.content.len(),
            file.content_type.as_deref().unwrap_or("?")
        );
    }
    Ok(())
}

/// How to look a certificate up.
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct CertBy {
    /// By B-Trust profile id
    #[arg(long)]
    profile_id: Option<String>,
    /// By EGN
    #[arg(long)]
    egn: Option<String>,
    /// By LNC
    #[arg(long)]
    lnc: Option<String>,
    /// By phone (E.164)
    #[arg(long)]
    phone: Option<String>,
    /// By e-mail
    #[arg(long)]
    email: Option<String>,
}

fn pem(der: &Blob) -> String {
    let b64 = der.to_base64();
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

/// Looks a customer's certificate up.
pub async fn cert(
    conn: &Connection,
    by: CertBy,
    out: Option<PathBuf>,
    as_json: bool,
) -> Result<(), Error> {
    let client = conn.client()?;
    let (cert_id, devices, der) = if let Some(p) = by.profile_id {
        let r = client
            .call::<GetCert>(&GetCertInput {
                profile_id: Secret::new(p),
            })
            .await?;
        (None, Vec::new(), Some(r.data.encoded_cert))
    } else {
        let (kind, value) = match (by.egn, by.lnc, by.phone, by.email) {
            (Some(v), ..) => (IdentificatorType::Egn, v),
            (_, Some(v), ..) => (IdentificatorType::Lnc, v),
            (_, _, Some(v), _) => (IdentificatorType::Phone, v),
            (_, _, _, Some(v)) => (IdentificatorType::Email, v),
            // clap's group makes one of them required; keep a typed error regardless.
            _ => {
                return Err(Error::validation(Issue {
                    path: "cert".into(),
                    code: IssueCode::Required,
                    message: "give --profile-id, --egn, --lnc, --phone or --email".into(),
                }))
            }
        };
        let r = client
            .call::<GetCertByIdentity>(&GetCertByIdentityInput {
                identificator_type: kind,
                identity_value: Secret::new(value),
            })
            .await?;
        (r.data.cert_req_id, r.data.devices, r.data.encoded_cert)
    };
    if let (Some(path), Some(der)) = (&out, &der) {
        std::fs::write(path, pem(der))
            .map_err(|e| Error::invalid_state(format!("cannot write {}: {e}", path.display())))?;
    }
    if as_json {
        println!(
            "{}",
            json!({"certId": cert_id, "devices": devices, "certificateBytes": der.as_ref().map(|d| d.len()),
            "file": out.as_ref().map(|p| p.display().to_string())})
        );
    } else {
        println!(
            "certificate found{}",
            cert_id.map(|c| format!(": certId {c}")).unwrap_or_default()
        );
        if !devices.is_empty() {
            println!("  devices: {}", devices.join(", "));
        }
        match (&out, &der) {
            (Some(p), Some(_)) => println!("  written to {}", p.display()),
            (None, Some(d)) => print!("{}", pem(d)),
            _ => {}
        }
    }
    Ok(())
}

//! Automatic remote signing from the shell: `cqes consent request|status`, `cqes autosign`,
//! `cqes token check`, and `cqes demo ars` (consent → three documents → a batch of ten on an
//! embedded sandbox).
//!
//! The access token lives in a token file (JSON `{accessToken, expiresAtMs, validatedAtMs}`,
//! created readable by its owner only); it is never printed.

use crate::settings::Connection;
use cqes::Client;
use cqes_core::btrust::ars::{
    token_advice, ArsSignRequest, BatchSignRequest, ConsentRequest, GetConsent, GetConsentInput,
    OrgIdentifierType, Organisation, ValidateAccessToken, ValidateAccessTokenInput,
};
use cqes_core::btrust::flows::{
    ArsItem, AutoSignFlowInput, BatchSignFlowInput, ConsentFlowInput, ConsentOutcome,
};
use cqes_core::btrust::{Content, SignatureType, SignerIdentity};
use cqes_core::secret::Secret;
use cqes_core::validate::{Issue, IssueCode};
use cqes_core::Error;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// `cqes consent …`
#[derive(clap::Subcommand, Debug)]
pub enum ConsentCmd {
    /// Ask an organisation's authorised signer to consent to automatic signing; wait for the
    /// answer and write the access token to --token-file
    Request(ConsentArgs),
    /// Show the state of a consent request
    Status {
        /// The consent request's callbackId
        callback_id: String,
    },
}

/// Options of `cqes consent request`.
#[derive(clap::Args, Debug)]
pub struct ConsentArgs {
    /// Certificate id of the authorised signer (`certId:` addressing)
    #[arg(long)]
    pub cert_id: String,
    /// The organisation's identifier (UIC/BULSTAT)
    #[arg(long)]
    pub org_id: String,
    /// Kind of the identifier
    #[arg(long, default_value = "BULSTAT")]
    pub org_id_type: String,
    /// The organisation's name
    #[arg(long)]
    pub org_name: String,
    /// The signer's role
    #[arg(long)]
    pub role: String,
    /// What the consent covers (shown to the signer)
    #[arg(long)]
    pub subject: String,
    /// Token validity in days
    #[arg(long, default_value_t = 365)]
    pub days: u32,
    /// Where to write the access token
    #[arg(long)]
    pub token_file: PathBuf,
    /// Where to write the signed consent document
    #[arg(long)]
    pub consent_out: Option<PathBuf>,
}

/// Options of `cqes autosign`.
#[derive(clap::Args, Debug)]
pub struct AutoSignArgs {
    /// Files to sign
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The token file `cqes consent request` wrote
    #[arg(long)]
    pub token_file: PathBuf,
    /// Output format (default: PAdES for PDFs, CAdES detached otherwise)
    #[arg(long)]
    pub signature_type: Option<String>,
    /// Where to write the signed files
    #[arg(long, default_value = "cqes-signed")]
    pub out: PathBuf,
    /// Send the files as one batch instead of one synchronous request
    #[arg(long)]
    pub batch: bool,
}

/// `cqes token …`
#[derive(clap::Subcommand, Debug)]
pub enum TokenCmd {
    /// When the token expires, whether to renew the consent and when to warn; with --remote
    /// also ask the service whether it still works
    Check {
        /// The token file
        #[arg(long)]
        token_file: PathBuf,
        /// Also validate the token with the service
        #[arg(long)]
        remote: bool,
    },
}

/// The token file.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenFile {
    /// The access token.
    pub access_token: Secret<String>,
    /// Expiry (epoch ms), when the service said.
    pub expires_at_ms: Option<u64>,
    /// Last confirmed valid (epoch ms).
    pub validated_at_ms: Option<u64>,
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::validation(Issue {
        path: path.display().to_string(),
        code: IssueCode::InvalidFormat,
        message: format!("cannot use the file: {}", e.kind()),
    })
}

impl TokenFile {
    fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read(path).map_err(|e| io_error(path, e))?;
        serde_json::from_slice(&text).map_err(|_| {
            Error::validation(Issue {
                path: path.display().to_string(),
                code: IssueCode::InvalidFormat,
                message: "not a cqes token file".into(),
            })
        })
    }

    /// Writes the file readable by its owner only (it holds a credential).
    fn write(&self, path: &Path) -> Result<(), Error> {
        let text =
            serde_json::to_vec_pretty(self).map_err(|e| Error::invalid_state(e.to_string()))?;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(path).map_err(|e| io_error(path, e))?;
        std::io::Write::write_all(&mut f, &text).map_err(|e| io_error(path, e))
    }

    fn from_outcome(o: &ConsentOutcome) -> Self {
        TokenFile {
            access_token: o.access_token.clone(),
            expires_at_ms: o
                .expiration_date
                .as_ref()
                .and_then(|t| t.epoch_ms())
                .map(|t| t.max(0) as u64),
            validated_at_ms: None,
        }
    }
}

fn print(as_json: bool, v: &Value, text: impl FnOnce() -> String) {
    if as_json {
        println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
    } else {
        println!("{}", text());
    }
}

/// `cqes consent request|status`.
pub async fn consent(conn: &Connection, cmd: ConsentCmd, as_json: bool) -> Result<(), Error> {
    let client = conn.client()?;
    match cmd {
        ConsentCmd::Request(a) => {
            let input = ConsentFlowInput {
                identity: SignerIdentity::CertId(a.cert_id.into()),
                request: ConsentRequest {
                    expiration_time: a.days,
                    organisation: Organisation {
                        org_identifier: a.org_id,
                        org_identifier_type: OrgIdentifierType::parse(&a.org_id_type),
                        org_name: a.org_name,
                    },
                    role: a.role,
                    subject: a.subject,
                },
            };
            let mut flow = client.start_consent(input)?;
            let mut live = crate::output::Live::new(!as_json);
            let outcome = client.run(&mut flow, |p| live.update(p), None).await;
            live.finish();
            let outcome = outcome?;
            save_consent(&outcome, &a.token_file, a.consent_out.as_deref(), as_json)
        }
        ConsentCmd::Status { callback_id } => {
            let r = client
                .call::<GetConsent>(&GetConsentInput { callback_id })
                .await?;
            let status = r.consent_status();
            let expires = r
                .data
                .as_ref()
                .and_then(|d| d.expiration_date.as_ref())
                .map(|t| t.raw().to_owned());
            let v = json!({"status": status.as_str(), "httpStatus": r.http_status, "expirationDate": expires});
            print(as_json, &v, || match expires {
                Some(e) => format!("consent {} (token expires {e})", status.as_str()),
                None => format!("consent {}", status.as_str()),
            });
            Ok(())
        }
    }
}

fn save_consent(
    o: &ConsentOutcome,
    token_file: &Path,
    consent_out: Option<&Path>,
    as_json: bool,
) -> Result<(), Error> {
    TokenFile::from_outcome(o).write(token_file)?;
    if let (Some(path), Some(doc)) = (consent_out, &o.consent) {
        std::fs::write(path, doc.as_bytes()).map_err(|e| io_error(path, e))?;
    }
    let v = json!({
        "callbackId": o.callback_id,
        "tokenFile": token_file.display().to_string(),
        "expirationDate": o.expiration_date.as_ref().map(|t| t.raw().to_owned()),
        "consentDocument": consent_out.map(|p| p.display().to_string()),
    });
    print(as_json, &v, || {
        format!(
            "consent given: token written to {} (expires {})",
            token_file.display(),
            o.expiration_date.as_ref().map(|t| t.raw()).unwrap_or("?")
        )
    });
    Ok(())
}

fn contents(files: &[PathBuf], kind: &Option<String>) -> Result<Vec<Content>, Error> {
    let mut out = Vec::new();
    for path in files {
        let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
        let pdf = bytes.starts_with(b"%PDF");
        let mut c = Content::document("Automatic signing", bytes);
        c.file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        c.signature_type = Some(match kind {
            Some(k) => SignatureType::parse(k),
            None if pdf => SignatureType::PadesBaselineB,
            None => SignatureType::CadesBaselineBDetached,
        });
        out.push(c);
    }
    Ok(out)
}

/// Writes every downloaded document into `dir`; returns a JSON line per item.
fn save_items(items: &[ArsItem], dir: &Path) -> Result<Vec<Value>, Error> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let mut out = Vec::new();
    for item in items {
        let mut v = json!({"index": item.index, "status": item.status.as_str()});
        if let Some(doc) = &item.document {
            let name = doc
                .file_name
                .clone()
                .unwrap_or_else(|| format!("signed-{}", item.index));
            let path = dir.join(name);
            std::fs::write(&path, doc.content.as_bytes()).map_err(|e| io_error(&path, e))?;
            v["file"] = json!(path.display().to_string());
        }
        out.push(v);
    }
    Ok(out)
}

/// Signs files with the token: one sync request, or a batch. Returns the items and updates
/// the token file's validation time.
pub async fn sign_files(
    client: &Client,
    token: &mut TokenFile,
    contents: Vec<Content>,
    batch: bool,
) -> Result<Vec<ArsItem>, Error> {
    if batch {
        let input = BatchSignFlowInput {
            access_token: token.access_token.clone(),
            request: BatchSignRequest {
                contents,
                additional: Default::default(),
            },
            download: None,
        };
        return Ok(client.sign_batch(input).await?.items);
    }
    let input = AutoSignFlowInput {
        access_token: token.access_token.clone(),
        request: ArsSignRequest { contents },
        token_expires_at_ms: token.expires_at_ms,
        token_validated_at_ms: token.validated_at_ms,
        revalidate_after_ms: None,
        download: None,
    };
    let outcome = client.auto_sign(input).await?;
    token.validated_at_ms = outcome.token_validated_at_ms.or(token.validated_at_ms);
    Ok(outcome.items)
}

/// `cqes autosign FILE… --token-file`.
pub async fn autosign(conn: &Connection, a: AutoSignArgs, as_json: bool) -> Result<(), Error> {
    let client = conn.client()?;
    let mut token = TokenFile::read(&a.token_file)?;
    let items = sign_files(
        &client,
        &mut token,
        contents(&a.files, &a.signature_type)?,
        a.batch,
    )
    .await?;
    token.write(&a.token_file)?;
    let saved = save_items(&items, &a.out)?;
    let signed = items.iter().filter(|i| i.status.is_signed()).count();
    print(as_json, &json!({"items": saved, "signed": signed}), || {
        format!(
            "{signed} of {} signed, written to {}",
            items.len(),
            a.out.display()
        )
    });
    Ok(())
}

/// `cqes token check`.
pub async fn token(conn: &Connection, cmd: TokenCmd, as_json: bool) -> Result<(), Error> {
    let TokenCmd::Check { token_file, remote } = cmd;
    let token = TokenFile::read(&token_file)?;
    let now = cqes::now_ms();
    let advice = token.expires_at_ms.map(|e| token_advice(e, now));
    let mut v = json!({"expiresAtMs": token.expires_at_ms, "advice": advice});
    if remote {
        let client = conn.client()?;
        let valid = client
            .call::<ValidateAccessToken>(&ValidateAccessTokenInput {
                access_token: token.access_token.clone(),
            })
            .await;
        v["valid"] = json!(valid.is_ok());
        if let Err(e) = valid {
            v["reason"] = json!(e.to_string());
        }
    }
    print(as_json, &v, || match &advice {
        None => "the token file has no expiry; use --remote to ask the service".into(),
        Some(a) if a.expired => "the token has expired: request a new consent".into(),
        Some(a) => format!(
            "{} days left{}{}",
            a.days_left,
            if a.renew {
                "; renew the consent now"
            } else {
                ""
            },
            match v.get("valid") {
                Some(Value::Bool(false)) => "; the service no longer accepts it",
                Some(Value::Bool(true)) => "; the service accepts it",
                _ => "",
            }
        ),
    });
    if v.get("valid") == Some(&Value::Bool(false)) {
        return Err(Error::ConsentRequired {
            code: "AR_SIGN_TOKEN_VALIDATION_FAILED".into(),
            http_status: 0,
        });
    }
    Ok(())
}

//! `cqes identify mobile|web` and `cqes demo identify`.
//!
//! This module holds the commands and `cqes identify …` itself; the web identification the
//! command and the demo share lives in `web`, and `cqes demo identify` in `demo`.

mod demo;
mod web;

pub use demo::{demo, IdentifyDemoArgs};

use crate::output::Live;
use crate::settings::Connection;
use cqes_core::Error;
use serde_json::json;
use std::path::{Path, PathBuf};
use web::{print_identified, web_identification};

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
        #[command(flatten)]
        conn: Connection,
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
        #[command(flatten)]
        conn: Connection,
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
    let after = match &cmd {
        IdentifyCmd::Mobile { conn, .. } | IdentifyCmd::Web { conn, .. } => conn,
    };
    let client = conn.or(after).client()?;
    match cmd {
        IdentifyCmd::Mobile {
            who,
            dob,
            reason,
            phone_number,
            email_address,
            out,
            ..
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
            ..
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

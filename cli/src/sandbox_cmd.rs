//! `cqes sandbox serve|certs`.

use cqes_core::Error;
use cqes_sandbox::{Behavior, BehaviorMode, Options, Pki, Sandbox, SandboxConfig};
use std::net::SocketAddr;
use std::path::PathBuf;

/// `cqes sandbox …`
#[derive(clap::Subcommand, Debug)]
pub enum SandboxCmd {
    /// Run a sandbox until Ctrl-C
    Serve {
        /// Certificate folder: reused if it holds pki.json, else a fresh set is written there
        #[arg(long)]
        certs: Option<PathBuf>,
        /// Sandbox configuration (JSON; see cqes-sandbox's SandboxConfig)
        #[arg(long)]
        config: Option<PathBuf>,
        /// mTLS port (0: any free port)
        #[arg(long, default_value_t = 8443)]
        port: u16,
        /// Control API port (loopback only)
        #[arg(long, default_value_t = 8444)]
        control_port: u16,
        /// Port of the pages customers open (identification, documents; loopback only)
        #[arg(long, default_value_t = 8445)]
        pages_port: u16,
        /// The simulated user approves every request after this many milliseconds
        #[arg(long)]
        approve_after_ms: Option<u64>,
        /// Refuse JSON fields an operation does not know (400 naming them) instead of
        /// ignoring them as B-Trust's Spring stack would; catches typos
        #[arg(long)]
        strict_json: bool,
        /// Make ids and tokens reproducible from this seed (tests only; without it they come
        /// from the operating system's CSPRNG)
        #[arg(long)]
        id_seed: Option<u64>,
    },
    /// Write a fresh test PKI (CA, server and relying-party certificates, PEM and PKCS#12)
    Certs {
        /// Output folder
        #[arg(long)]
        out: PathBuf,
    },
}

fn fail(m: String) -> Error {
    Error::invalid_state(m)
}

fn rp_ids(config: &SandboxConfig) -> Vec<&str> {
    config
        .relying_parties
        .iter()
        .map(|r| r.id.as_str())
        .collect()
}

/// Runs a sandbox command.
pub async fn run(cmd: SandboxCmd, as_json: bool) -> Result<(), Error> {
    match cmd {
        SandboxCmd::Certs { out } => {
            let pki = Pki::mint(&rp_ids(&SandboxConfig::default())).map_err(fail)?;
            let files = pki.write_to(&out).map_err(fail)?;
            if as_json {
                println!(
                    "{}",
                    serde_json::json!({"dir": out.display().to_string(), "files": files})
                );
            } else {
                println!(
                    "wrote {} files to {}: {}",
                    files.len(),
                    out.display(),
                    files.join(", ")
                );
                println!("PKCS#12 password: {}", cqes_sandbox::pki::P12_PASSWORD);
            }
            Ok(())
        }
        SandboxCmd::Serve {
            certs,
            config,
            port,
            control_port,
            pages_port,
            approve_after_ms,
            strict_json,
            id_seed,
        } => {
            let mut cfg: SandboxConfig = match &config {
                Some(p) => {
                    let text =
                        std::fs::read(p).map_err(|e| fail(format!("{}: {e}", p.display())))?;
                    serde_json::from_slice(&text)
                        .map_err(|e| fail(format!("{}: {e}", p.display())))?
                }
                None => SandboxConfig::default(),
            };
            if strict_json {
                cfg.strict_json = true;
            }
            if id_seed.is_some() {
                cfg.id_seed = id_seed;
            }
            if let Some(ms) = approve_after_ms {
                cfg.behavior = Behavior {
                    mode: BehaviorMode::Approve,
                    after_ms: ms,
                };
            }
            let pki = match &certs {
                Some(dir) if dir.join("pki.json").exists() => Pki::read_from(dir).map_err(fail)?,
                Some(dir) => {
                    let pki = Pki::mint(&rp_ids(&cfg)).map_err(fail)?;
                    pki.write_to(dir).map_err(fail)?;
                    pki
                }
                None => Pki::mint(&rp_ids(&cfg)).map_err(fail)?,
            };
            let sb = Sandbox::start(Options {
                config: cfg,
                pki: Some(pki),
                addr: SocketAddr::from(([127, 0, 0, 1], port)),
                control_addr: SocketAddr::from(([127, 0, 0, 1], control_port)),
                pages_addr: SocketAddr::from(([127, 0, 0, 1], pages_port)),
            })
            .await
            .map_err(fail)?;
            if as_json {
                println!(
                    "{}",
                    serde_json::json!({"baseUrl": sb.base_url, "controlUrl": sb.control_url, "pagesUrl": sb.pages_url,
                    "certs": certs.as_ref().map(|c| c.display().to_string())})
                );
            } else {
                println!("B-Trust sandbox");
                println!("  API (mTLS)   {}", sb.base_url);
                println!("  control      {}", sb.control_url);
                println!("  pages        {} (identification and document pages; pass --identification-url)", sb.pages_url);
                println!("  B-Trust Mobile simulator  {}/mobile", sb.pages_url);
                match &certs {
                    Some(dir) => {
                        println!(
                            "  certificates {} (PKCS#12 password: {})",
                            dir.display(),
                            cqes_sandbox::pki::P12_PASSWORD
                        );
                        println!("try:  cqes --env {} --rp-id 12345678 --p12 {}/rp-12345678.p12 --p12-password cqes --ca {}/ca.pem cert --egn 7501010010",
                            sb.base_url, dir.display(), dir.display());
                    }
                    None => {
                        println!("  certificates: in memory only (pass --certs DIR to write them)")
                    }
                }
                println!("Ctrl-C stops it.");
            }
            let _ = tokio::signal::ctrl_c().await;
            sb.stop().await;
            Ok(())
        }
    }
}

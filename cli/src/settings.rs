//! Where the CLI's connection settings come from: flags, then `CQES_*` environment
//! variables (clap reads both), then an optional TOML config file (`--config`,
//! `CQES_CONFIG`, or `./cqes.toml` when present).

use clap::Args;
use cqes::{Client, ClientBuilder, ClientIdentity};
use cqes_core::btrust::{Environment, Language};
use cqes_core::validate::{Issue, IssueCode};
use cqes_core::Error;
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// Connection flags shared by the commands that talk to B-Trust. They are accepted before the
/// command (`cqes --env … sign`) and after it (`cqes sign … --env …`), and only by the
/// commands that connect: `cqes sandbox` and `cqes demo` neither list nor accept them (they
/// are not `global`, which would copy them into every command's help).
#[derive(Args, Debug, Clone, Default)]
pub struct Connection {
    /// `uat`, `test`, or a base URL such as https://127.0.0.1:8443/signing-api
    #[arg(long = "env", env = "CQES_ENV")]
    pub environment: Option<String>,
    /// The relying-party id BORICA issued
    #[arg(long = "rp-id", env = "CQES_RP_ID")]
    pub rp_id: Option<String>,
    /// Client certificate (PEM)
    #[arg(long, env = "CQES_CERT")]
    pub cert: Option<PathBuf>,
    /// Client private key (PEM)
    #[arg(long, env = "CQES_KEY")]
    pub key: Option<PathBuf>,
    /// Client certificate and key as PKCS#12 (instead of --cert/--key)
    #[arg(long, env = "CQES_P12")]
    pub p12: Option<PathBuf>,
    /// Password of the PKCS#12 file
    #[arg(
        long = "p12-password",
        env = "CQES_P12_PASSWORD",
        hide_env_values = true
    )]
    pub p12_password: Option<String>,
    /// Extra CA to trust (PEM), e.g. the sandbox's ca.pem
    #[arg(long, env = "CQES_CA")]
    pub ca: Option<PathBuf>,
    /// Message language: bg or en
    #[arg(long = "lang", env = "CQES_LANG")]
    pub language: Option<String>,
    /// Timeout of one exchange, in seconds
    #[arg(long = "timeout", env = "CQES_TIMEOUT")]
    pub timeout_secs: Option<u64>,
    /// HTTPS proxy URL
    #[arg(long, env = "CQES_PROXY")]
    pub proxy: Option<String>,
    /// Host customers are sent to for web identification (required for custom environments;
    /// the sandbox's pages URL)
    #[arg(long = "identification-url", env = "CQES_IDENTIFICATION_URL")]
    pub identification_url: Option<String>,
    /// Config file (TOML)
    #[arg(long, env = "CQES_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    environment: Option<String>,
    relying_party_id: Option<String>,
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    p12: Option<PathBuf>,
    p12_password: Option<String>,
    ca: Option<PathBuf>,
    language: Option<String>,
    timeout_secs: Option<u64>,
    proxy: Option<String>,
    identification_url: Option<String>,
}

fn usage(path: &str, message: impl Into<String>) -> Error {
    Error::validation(Issue {
        path: path.into(),
        code: IssueCode::Required,
        message: message.into(),
    })
}

impl Connection {
    /// These flags (given before the command) with the ones given after it (`other`): a flag
    /// after the command wins, as it is the nearer to what it configures.
    pub fn or(&self, other: &Connection) -> Connection {
        let o = other.clone();
        Connection {
            environment: o.environment.or(self.environment.clone()),
            rp_id: o.rp_id.or(self.rp_id.clone()),
            cert: o.cert.or(self.cert.clone()),
            key: o.key.or(self.key.clone()),
            p12: o.p12.or(self.p12.clone()),
            p12_password: o.p12_password.or(self.p12_password.clone()),
            ca: o.ca.or(self.ca.clone()),
            language: o.language.or(self.language.clone()),
            timeout_secs: o.timeout_secs.or(self.timeout_secs),
            proxy: o.proxy.or(self.proxy.clone()),
            identification_url: o.identification_url.or(self.identification_url.clone()),
            config: o.config.or(self.config.clone()),
        }
    }

    /// Fills unset values from the config file.
    fn merged(&self) -> Result<Connection, Error> {
        let path = self.config.clone().or_else(|| {
            let p = PathBuf::from("cqes.toml");
            p.exists().then_some(p)
        });
        let Some(path) = path else {
            return Ok(self.clone());
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| usage("config", format!("cannot read {}: {e}", path.display())))?;
        let f: FileSettings = toml::from_str(&text)
            .map_err(|e| usage("config", format!("{}: {}", path.display(), e.message())))?;
        // Paths in the file are relative to the file.
        let base = path.parent().map(PathBuf::from).unwrap_or_default();
        let rel = |p: Option<PathBuf>| p.map(|p| if p.is_absolute() { p } else { base.join(p) });
        let mut m = self.clone();
        m.environment = m.environment.or(f.environment);
        m.rp_id = m.rp_id.or(f.relying_party_id);
        m.cert = m.cert.or(rel(f.cert));
        m.key = m.key.or(rel(f.key));
        m.p12 = m.p12.or(rel(f.p12));
        m.p12_password = m.p12_password.or(f.p12_password);
        m.ca = m.ca.or(rel(f.ca));
        m.language = m.language.or(f.language);
        m.timeout_secs = m.timeout_secs.or(f.timeout_secs);
        m.proxy = m.proxy.or(f.proxy);
        m.identification_url = m.identification_url.or(f.identification_url);
        Ok(m)
    }

    /// Builds a client, or explains what is missing.
    pub fn client(&self) -> Result<Client, Error> {
        self.builder()?.build()
    }

    /// A client builder with everything from flags, environment and config file.
    pub fn builder(&self) -> Result<ClientBuilder, Error> {
        let s = self.merged()?;
        let env = s
            .environment
            .ok_or_else(|| usage("env", "set --env (uat, test or a base URL) or CQES_ENV"))?;
        let environment = serde_json::from_value::<Environment>(serde_json::Value::String(env))
            .map_err(|_| usage("env", "not an environment"))?;
        let rp = s
            .rp_id
            .ok_or_else(|| usage("rp-id", "set --rp-id or CQES_RP_ID"))?;
        let identity = match (&s.p12, &s.cert, &s.key) {
            (Some(p12), _, _) => ClientIdentity::pkcs12_file(
                &p12.to_string_lossy(),
                s.p12_password.as_deref().unwrap_or(""),
            )?,
            (None, Some(c), Some(k)) => {
                ClientIdentity::pem_files(&c.to_string_lossy(), &k.to_string_lossy())?
            }
            _ => {
                return Err(usage(
                    "cert",
                    "give --p12 (and --p12-password), or --cert and --key",
                ))
            }
        };
        let mut b = Client::builder()
            .environment(environment)
            .relying_party_id(rp)
            .identity(identity);
        if let Some(ca) = &s.ca {
            let pem = std::fs::read(ca)
                .map_err(|e| usage("ca", format!("cannot read {}: {e}", ca.display())))?;
            b = b.add_ca_pem(&pem);
        }
        if let Some(l) = &s.language {
            b = b.language(Language::parse(l));
        }
        if let Some(t) = s.timeout_secs {
            b = b.timeout(Duration::from_secs(t));
        }
        if let Some(p) = &s.proxy {
            b = b.proxy(p.clone());
        }
        if let Some(u) = &s.identification_url {
            b = b.identification_url(u.clone());
        }
        Ok(b)
    }
}

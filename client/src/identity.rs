//! The relying party's client certificate: PEM certificate + key, or PKCS#12.

use cqes_core::validate::{Issue, IssueCode};
use cqes_core::Error;

/// The certificate BORICA registered for the relying party, with its private key.
#[derive(Clone)]
pub struct ClientIdentity {
    /// Certificate chain and PKCS#8 key, PEM, as rustls wants them.
    pem: Vec<u8>,
}

impl std::fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientIdentity([redacted])")
    }
}

fn bad(path: &str, message: String) -> Error {
    Error::validation(Issue {
        path: path.to_owned(),
        code: IssueCode::InvalidFormat,
        message,
    })
}

fn read(path: &str, what: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| bad(what, format!("cannot read {what} file: {}", e.kind())))
}

impl ClientIdentity {
    /// From a PEM certificate (chain) and a PEM private key.
    pub fn pem(cert_pem: &[u8], key_pem: &[u8]) -> Result<Self, Error> {
        let mut pem = cert_pem.to_vec();
        if !pem.ends_with(b"\n") {
            pem.push(b'\n');
        }
        pem.extend_from_slice(key_pem);
        let id = ClientIdentity { pem };
        id.check()?;
        Ok(id)
    }

    /// From PEM files.
    pub fn pem_files(cert_path: &str, key_path: &str) -> Result<Self, Error> {
        Self::pem(&read(cert_path, "cert")?, &read(key_path, "key")?)
    }

    /// From a PKCS#12 (`.p12`/`.pfx`) file's bytes and its password.
    pub fn pkcs12(der: &[u8], password: &str) -> Result<Self, Error> {
        let id = ClientIdentity {
            pem: cqes_core::pkcs12::pkcs12_to_pem(der, password)?,
        };
        id.check()?;
        Ok(id)
    }

    /// From a PKCS#12 file.
    pub fn pkcs12_file(path: &str, password: &str) -> Result<Self, Error> {
        Self::pkcs12(&read(path, "pkcs12")?, password)
    }

    fn check(&self) -> Result<(), Error> {
        reqwest::Identity::from_pem(&self.pem)
            .map(|_| ())
            .map_err(|_| {
                bad(
                    "identity",
                    "the certificate or key is not valid PEM (PKCS#8, RSA or EC keys)".into(),
                )
            })
    }

    pub(crate) fn reqwest(&self) -> Result<reqwest::Identity, Error> {
        reqwest::Identity::from_pem(&self.pem)
            .map_err(|_| bad("identity", "invalid client identity".into()))
    }
}

//! Client identities in the form every host's TLS stack accepts (feature `pkcs12`).
//!
//! Relying parties often receive their BORICA client certificate as a PKCS#12 file, but
//! Python's `ssl`, Node's `tls`, rustls and OkHttp's PEM helpers all take PEM. Converting here
//! keeps one implementation (and one set of error messages) for every host. Pure: bytes in,
//! bytes out.

use crate::validate::{Issue, IssueCode};
use crate::{Blob, Error};

fn bad(message: &str) -> Error {
    Error::validation(Issue {
        path: "pkcs12".to_owned(),
        code: IssueCode::InvalidFormat,
        message: message.to_owned(),
    })
}

/// The certificate chain and the PKCS#8 private key of a PKCS#12 (`.p12`/`.pfx`) file, as
/// one PEM document (certificates first, leaf first, then `PRIVATE KEY`). The result holds
/// a private key: hosts keep it in memory or in owner-only files and never log it.
pub fn pkcs12_to_pem(der: &[u8], password: &str) -> Result<Vec<u8>, Error> {
    let store = p12_keystore::KeyStore::from_pkcs12(der, password)
        .map_err(|_| bad("cannot open the PKCS#12 file (wrong password or not PKCS#12)"))?;
    let (_, chain) = store
        .private_key_chain()
        .ok_or_else(|| bad("the PKCS#12 file holds no private key"))?;
    let mut pem = String::new();
    for cert in chain.chain() {
        pem.push_str(&pem_block("CERTIFICATE", cert.as_der()));
    }
    pem.push_str(&pem_block("PRIVATE KEY", chain.key()));
    Ok(pem.into_bytes())
}

/// One PEM block with 64-character lines.
pub fn pem_block(label: &str, der: &[u8]) -> String {
    let b64 = Blob::from(der).to_base64();
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        // base64 is ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn garbage_is_a_validation_error_naming_the_field() {
        let e = pkcs12_to_pem(b"not a pfx", "pw").unwrap_err();
        let json = e.to_json();
        assert_eq!(json["issues"][0]["path"], "pkcs12");
    }

    #[test]
    fn pem_lines_are_64_characters() {
        let pem = pem_block("CERTIFICATE", &[7u8; 100]);
        let lines: Vec<&str> = pem.lines().collect();
        assert_eq!(lines[0], "-----BEGIN CERTIFICATE-----");
        assert_eq!(lines[1].len(), 64);
        assert_eq!(lines.last().copied(), Some("-----END CERTIFICATE-----"));
    }
}

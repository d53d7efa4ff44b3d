//! The sandbox's certification authority as a validator sees it: the certificates it issues
//! name where its revocation data lives (CRL distribution points, authority information
//! access), and the pages port serves that data ([`http`]): a CRL ([`crl`]) and an OCSP
//! responder ([`ocsp`]), both signed by the CA key. It also runs the sandbox's time-stamping
//! authority (the TSA certificate is issued here; tokens are made in `docgen::tsa`).
//!
//! Keys: rcgen (on ring) mints every key pair and certificate, as for the rest of the test
//! PKI ([`crate::pki`]); the CA's own signatures on CRLs and OCSP responses, and every
//! signature inside a signed file, are made with the `p256` crate, whose ECDSA uses RFC 6979
//! deterministic nonces (ring cannot load a key for deterministic signing).

pub mod crl;
pub mod http;
pub mod ocsp;
mod qualified;

use crate::pki::{pem_body, Identity, Pki};
use der::Decode;
use p256::ecdsa::SigningKey;
use p256::pkcs8::DecodePrivateKey;
use std::sync::Mutex;
use x509_cert::Certificate;

pub use qualified::Holder;

/// A revoked certificate: its serial number (DER INTEGER contents) and when it was revoked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revoked {
    /// Serial number bytes, as in the certificate.
    pub serial: Vec<u8>,
    /// Sandbox time of the revocation, Unix epoch ms.
    pub at_ms: u64,
}

/// The CA, its TSA and its revocation list.
pub struct Authority {
    /// The CA certificate, DER.
    pub ca_cert_der: Vec<u8>,
    ca_cert: Certificate,
    ca_cert_pem: String,
    ca_key_pem: String,
    ca_key: SigningKey,
    /// The TSA's certificate (DER) and key (PKCS#8 DER).
    pub tsa: (Vec<u8>, Vec<u8>),
    /// `http://127.0.0.1:<pages port>`.
    pages_url: String,
    issued: Mutex<Vec<Vec<u8>>>,
    revoked: Mutex<Vec<Revoked>>,
}

impl std::fmt::Debug for Authority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authority")
            .field("pages_url", &self.pages_url)
            .finish_non_exhaustive()
    }
}

impl Authority {
    /// The authority of a test PKI whose revocation data is served at `pages_url`
    /// (`http://127.0.0.1:<port>`); issues the TSA certificate.
    pub fn new(pki: &Pki, pages_url: &str) -> Result<Self, String> {
        let ca_cert_der = pem_body(&pki.ca_cert_pem, "CERTIFICATE").ok_or("CA certificate PEM")?;
        let ca_cert = Certificate::from_der(&ca_cert_der).map_err(|e| format!("CA: {e}"))?;
        let key_der = pem_body(&pki.ca_key_pem, "PRIVATE KEY").ok_or("CA key PEM")?;
        let ca_key = SigningKey::from_pkcs8_der(&key_der).map_err(|e| format!("CA key: {e}"))?;
        let mut authority = Authority {
            ca_cert_der,
            ca_cert,
            ca_cert_pem: pki.ca_cert_pem.clone(),
            ca_key_pem: pki.ca_key_pem.clone(),
            ca_key,
            tsa: (Vec::new(), Vec::new()),
            pages_url: pages_url.trim_end_matches('/').to_owned(),
            issued: Mutex::new(Vec::new()),
            revoked: Mutex::new(Vec::new()),
        };
        let tsa = authority.issue(&Holder::Tsa)?;
        authority.tsa = (tsa.cert_der(), tsa.key_der());
        Ok(authority)
    }

    /// Issues a certificate for a holder (see [`Holder`]) and records its serial number.
    pub fn issue(&self, holder: &Holder<'_>) -> Result<Identity, String> {
        let id = qualified::issue(self, holder)?;
        let cert = Certificate::from_der(&id.cert_der()).map_err(|e| e.to_string())?;
        if let Ok(mut issued) = self.issued.lock() {
            issued.push(cert.tbs_certificate.serial_number.as_bytes().to_vec());
        }
        Ok(id)
    }

    /// Where the CRL is published.
    pub fn crl_url(&self) -> String {
        format!("{}{}", self.pages_url, http::CRL_PATH)
    }

    /// Where the OCSP responder answers.
    pub fn ocsp_url(&self) -> String {
        format!("{}{}", self.pages_url, http::OCSP_PATH)
    }

    /// Where the CA certificate is published (AIA caIssuers).
    pub fn ca_issuers_url(&self) -> String {
        format!("{}{}", self.pages_url, http::CA_CERT_PATH)
    }

    /// Marks a certificate revoked from `at_ms` on; revoking twice keeps the first time.
    /// Returns whether this CA issued it.
    pub fn revoke(&self, cert_der: &[u8], at_ms: u64) -> Result<bool, String> {
        let cert = Certificate::from_der(cert_der).map_err(|e| e.to_string())?;
        let serial = cert.tbs_certificate.serial_number.as_bytes().to_vec();
        if !self.was_issued(&serial) {
            return Ok(false);
        }
        let mut revoked = self
            .revoked
            .lock()
            .map_err(|_| "revocation list poisoned")?;
        if !revoked.iter().any(|r| r.serial == serial) {
            revoked.push(Revoked { serial, at_ms });
        }
        Ok(true)
    }

    /// The revocations in force at `now_ms`.
    pub fn revoked_at(&self, now_ms: u64) -> Vec<Revoked> {
        self.revoked
            .lock()
            .map(|r| r.iter().filter(|r| r.at_ms <= now_ms).cloned().collect())
            .unwrap_or_default()
    }

    fn was_issued(&self, serial: &[u8]) -> bool {
        self.issued
            .lock()
            .map(|i| i.iter().any(|s| s == serial))
            .unwrap_or(false)
    }

    /// The CA certificate, parsed.
    pub fn ca_cert(&self) -> &Certificate {
        &self.ca_cert
    }

    /// Signs `tbs` (DER) with the CA key: ECDSA P-256 over SHA-256, DER signature.
    pub(crate) fn ca_sign(&self, tbs: &[u8]) -> Vec<u8> {
        use p256::ecdsa::signature::Signer as _;
        let sig: p256::ecdsa::Signature = self.ca_key.sign(tbs);
        sig.to_der().as_bytes().to_vec()
    }
}

/// `ecdsa-with-SHA256` without parameters (RFC 5758 §3.2).
pub(crate) fn ecdsa_sha256() -> spki::AlgorithmIdentifierOwned {
    spki::AlgorithmIdentifierOwned {
        oid: const_oid::db::rfc5912::ECDSA_WITH_SHA_256,
        parameters: None,
    }
}

/// An RFC 5280 time from Unix epoch ms (whole seconds, as DER requires): UTCTime through
/// 2049, GeneralizedTime from 2050 (§4.1.2.5; CMS signing-time likewise, RFC 5652 §11.3).
pub(crate) fn x509_time(ms: u64) -> Result<x509_cert::time::Time, String> {
    let d = std::time::Duration::from_secs(ms / 1000);
    match der::asn1::UtcTime::from_unix_duration(d) {
        Ok(t) => Ok(x509_cert::time::Time::UtcTime(t)),
        Err(_) => Ok(x509_cert::time::Time::GeneralTime(generalized_time(ms)?)),
    }
}

/// A DER GeneralizedTime from Unix epoch ms (whole seconds).
pub(crate) fn generalized_time(ms: u64) -> Result<der::asn1::GeneralizedTime, String> {
    der::asn1::GeneralizedTime::from_unix_duration(std::time::Duration::from_secs(ms / 1000))
        .map_err(|e| e.to_string())
}

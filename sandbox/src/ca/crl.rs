//! The CA's certificate revocation list (RFC 5280 §5): v2, signed by the CA key, with an
//! authority key identifier and a CRL number (the issue time in seconds, so it grows), valid
//! for a week; every revocation in force at the time it is made.

use super::{ecdsa_sha256, x509_time, Authority};
use der::asn1::{BitString, OctetString, Uint};
use der::Encode;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, CrlNumber, SubjectKeyIdentifier};
use x509_cert::ext::{AsExtension, Extension};
use x509_cert::serial_number::SerialNumber;
use x509_cert::Version;

/// How long a CRL is valid (its nextUpdate).
pub const CRL_VALIDITY_MS: u64 = 7 * 24 * 3600 * 1000;

/// The subject key identifier of the CA certificate (its CRLs' authority key identifier).
pub(crate) fn ca_key_id(ca: &Authority) -> Option<OctetString> {
    ca.ca_cert()
        .tbs_certificate
        .get::<SubjectKeyIdentifier>()
        .ok()
        .flatten()
        .map(|(_, ski)| ski.0)
}

fn extension(ca: &Authority, value: &impl AsExtension) -> Result<Extension, String> {
    value
        .to_extension(&ca.ca_cert().tbs_certificate.subject, &[])
        .map_err(|e| e.to_string())
}

impl Authority {
    /// The CRL as of `now_ms`, DER. Its thisUpdate is a minute earlier, so that a signature
    /// made at `now_ms` finds it already issued when a validator checks freshness.
    pub fn crl_der(&self, now_ms: u64) -> Result<Vec<u8>, String> {
        let this_update = now_ms.saturating_sub(60_000);
        let revoked: Vec<RevokedCert> = self
            .revoked_at(now_ms)
            .into_iter()
            .map(|r| {
                Ok(RevokedCert {
                    serial_number: SerialNumber::new(&r.serial).map_err(|e| e.to_string())?,
                    revocation_date: x509_time(r.at_ms)?,
                    crl_entry_extensions: None,
                })
            })
            .collect::<Result<_, String>>()?;
        let number =
            CrlNumber(Uint::new(&(this_update / 1000).to_be_bytes()).map_err(|e| e.to_string())?);
        let mut extensions = vec![extension(self, &number)?];
        if let Some(key_id) = ca_key_id(self) {
            let aki = AuthorityKeyIdentifier {
                key_identifier: Some(key_id),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            };
            extensions.push(extension(self, &aki)?);
        }
        let tbs = TbsCertList {
            version: Version::V2,
            signature: ecdsa_sha256(),
            issuer: self.ca_cert().tbs_certificate.subject.clone(),
            this_update: x509_time(this_update)?,
            next_update: Some(x509_time(this_update + CRL_VALIDITY_MS)?),
            revoked_certificates: (!revoked.is_empty()).then_some(revoked),
            crl_extensions: Some(extensions),
        };
        let tbs_der = tbs.to_der().map_err(|e| e.to_string())?;
        let signature =
            BitString::from_bytes(&self.ca_sign(&tbs_der)).map_err(|e| e.to_string())?;
        CertificateList {
            tbs_cert_list: tbs,
            signature_algorithm: ecdsa_sha256(),
            signature,
        }
        .to_der()
        .map_err(|e| e.to_string())
    }
}

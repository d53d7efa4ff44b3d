//! The sandbox's test PKI: a CA, a server certificate for loopback, and client certificates
//! for relying parties (PEM and PKCS#12). The simulated users' signing certificates, the seal
//! and the TSA are issued from the same CA by [`crate::ca`], which also publishes its CRL and
//! OCSP answers.
//!
//! Everything is minted with rcgen (ECDSA P-256). A fresh set can be written to a folder
//! (`cqes sandbox certs --out DIR`) and read back, so a long-running sandbox and its clients
//! can share files.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Password of the PKCS#12 files the sandbox writes.
pub const P12_PASSWORD: &str = "cqes";

/// A certificate with its private key, both PEM, plus the DER of the certificate.
#[derive(Clone, Serialize, Deserialize)]
pub struct Identity {
    /// Certificate, PEM.
    pub cert_pem: String,
    /// PKCS#8 private key, PEM.
    pub key_pem: String,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("sha256", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// DER of the certificate.
    pub fn cert_der(&self) -> Vec<u8> {
        pem_body(&self.cert_pem, "CERTIFICATE").unwrap_or_default()
    }

    /// DER of the PKCS#8 private key.
    pub fn key_der(&self) -> Vec<u8> {
        pem_body(&self.key_pem, "PRIVATE KEY").unwrap_or_default()
    }

    /// Lower-case hex SHA-256 of the certificate's DER: how relying parties are registered.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.cert_der())
    }

    /// The identity as PKCS#12 (AES-256, HMAC-SHA256), with the CA in the chain.
    pub fn to_pkcs12(&self, ca_pem: &str, password: &str) -> Result<Vec<u8>, String> {
        let ca_der = pem_body(ca_pem, "CERTIFICATE").ok_or("CA PEM")?;
        let cert =
            p12_keystore::Certificate::from_der(&self.cert_der()).map_err(|e| e.to_string())?;
        let ca = p12_keystore::Certificate::from_der(&ca_der).map_err(|e| e.to_string())?;
        let chain = p12_keystore::PrivateKeyChain::new(
            self.key_der(),
            *b"cqes-sandbox-key",
            vec![cert, ca],
        );
        let mut store = p12_keystore::KeyStore::new();
        store.add_entry("cqes", p12_keystore::KeyStoreEntry::PrivateKeyChain(chain));
        store.writer(password).write().map_err(|e| e.to_string())
    }
}

/// Lower-case hex SHA-256 of DER bytes.
pub fn fingerprint(der: &[u8]) -> String {
    hex::encode(Sha256::digest(der))
}

/// The DER inside the first PEM block with this label.
pub fn pem_body(pem: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin)? + begin.len();
    let stop = start + pem[start..].find(&end)?;
    let b64: String = pem[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    base64_simd::STANDARD.decode_to_vec(b64.as_bytes()).ok()
}

/// A relying party's client certificate.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClientIdentity {
    /// The relying-party id it is registered for (empty for the unregistered one).
    pub relying_party_id: String,
    /// Certificate and key.
    pub identity: Identity,
}

/// The whole test PKI.
#[derive(Clone, Serialize, Deserialize)]
pub struct Pki {
    /// The CA certificate, PEM.
    pub ca_cert_pem: String,
    /// The CA key, PEM (the sandbox mints user certificates with it).
    pub ca_key_pem: String,
    /// The server certificate (localhost, 127.0.0.1, ::1).
    pub server: Identity,
    /// Registered relying-party client certificates.
    pub clients: Vec<ClientIdentity>,
    /// A client certificate from the same CA that no relying party is registered with.
    pub unregistered: Identity,
}

impl std::fmt::Debug for Pki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pki")
            .field("clients", &self.clients)
            .finish_non_exhaustive()
    }
}

fn dn(cn: &str) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    d.push(DnType::CommonName, cn);
    d.push(DnType::OrganizationName, "cqes sandbox");
    d
}

fn err(e: rcgen::Error) -> String {
    e.to_string()
}

impl Pki {
    /// Mints a CA, a server certificate and one client certificate per relying-party id.
    pub fn mint(relying_party_ids: &[&str]) -> Result<Pki, String> {
        let ca_key = KeyPair::generate().map_err(err)?;
        let mut ca = CertificateParams::default();
        ca.distinguished_name = dn("cqes sandbox CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key).map_err(err)?;
        let ca_cert_pem = ca_cert.pem();
        let ca_key_pem = ca_key.serialize_pem();

        let mut pki = Pki {
            server: Identity {
                cert_pem: String::new(),
                key_pem: String::new(),
            },
            clients: Vec::new(),
            unregistered: Identity {
                cert_pem: String::new(),
                key_pem: String::new(),
            },
            ca_cert_pem,
            ca_key_pem,
        };
        pki.server = pki.issue("localhost", Leaf::Server)?;
        for id in relying_party_ids {
            let identity = pki.issue(&format!("relying party {id}"), Leaf::Client)?;
            pki.clients.push(ClientIdentity {
                relying_party_id: (*id).to_owned(),
                identity,
            });
        }
        pki.unregistered = pki.issue("unregistered client", Leaf::Client)?;
        Ok(pki)
    }

    /// Issues a leaf certificate from the CA.
    pub fn issue(&self, cn: &str, kind: Leaf) -> Result<Identity, String> {
        let ca_key = KeyPair::from_pem(&self.ca_key_pem).map_err(err)?;
        let issuer = Issuer::from_ca_cert_pem(&self.ca_cert_pem, ca_key).map_err(err)?;
        let key = KeyPair::generate().map_err(err)?;
        let mut p = CertificateParams::default();
        p.distinguished_name = dn(cn);
        // Strict X.509 checking (Python 3.13's default context, OpenSSL's -x509_strict)
        // wants an authority key identifier and key usages on every leaf.
        p.use_authority_key_identifier_extension = true;
        match kind {
            Leaf::Server => {
                p.subject_alt_names = vec![
                    SanType::DnsName("localhost".try_into().map_err(err)?),
                    SanType::IpAddress("127.0.0.1".parse().map_err(|_| "ip")?),
                    SanType::IpAddress("::1".parse().map_err(|_| "ip")?),
                ];
                p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
                p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            }
            Leaf::Client => {
                p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
                p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            }
            Leaf::Signer => {
                p.key_usages = vec![
                    KeyUsagePurpose::DigitalSignature,
                    KeyUsagePurpose::ContentCommitment,
                ];
            }
        }
        let cert = p.signed_by(&key, &issuer).map_err(err)?;
        Ok(Identity {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        })
    }

    /// The client identity registered for a relying-party id.
    pub fn client(&self, relying_party_id: &str) -> Option<&Identity> {
        self.clients
            .iter()
            .find(|c| c.relying_party_id == relying_party_id)
            .map(|c| &c.identity)
    }

    /// Writes every file a client or a separate sandbox process needs:
    /// `ca.pem`, `server.pem`/`server.key`, `rp-<id>.pem`/`.key`/`.p12` (password `cqes`),
    /// `unregistered.pem`/`.key`, and `pki.json` (everything, for `sandbox serve --certs`).
    pub fn write_to(&self, dir: &Path) -> Result<Vec<String>, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let mut written = Vec::new();
        let mut put = |name: &str, data: &[u8]| -> Result<(), String> {
            std::fs::write(dir.join(name), data).map_err(|e| format!("{name}: {e}"))?;
            written.push(name.to_owned());
            Ok(())
        };
        put("ca.pem", self.ca_cert_pem.as_bytes())?;
        put("server.pem", self.server.cert_pem.as_bytes())?;
        put("server.key", self.server.key_pem.as_bytes())?;
        for c in &self.clients {
            let id = &c.relying_party_id;
            put(&format!("rp-{id}.pem"), c.identity.cert_pem.as_bytes())?;
            put(&format!("rp-{id}.key"), c.identity.key_pem.as_bytes())?;
            put(
                &format!("rp-{id}.p12"),
                &c.identity.to_pkcs12(&self.ca_cert_pem, P12_PASSWORD)?,
            )?;
        }
        put("unregistered.pem", self.unregistered.cert_pem.as_bytes())?;
        put("unregistered.key", self.unregistered.key_pem.as_bytes())?;
        let json = serde_json::to_vec_pretty(self).map_err(|e| e.to_string())?;
        put("pki.json", &json)?;
        Ok(written)
    }

    /// Reads `pki.json` written by [`Pki::write_to`].
    pub fn read_from(dir: &Path) -> Result<Pki, String> {
        let text = std::fs::read(dir.join("pki.json")).map_err(|e| format!("pki.json: {e}"))?;
        serde_json::from_slice(&text).map_err(|e| format!("pki.json: {e}"))
    }
}

/// Kinds of leaf certificates.
#[derive(Clone, Copy, Debug)]
pub enum Leaf {
    /// TLS server (localhost, 127.0.0.1, ::1).
    Server,
    /// TLS client (a relying party).
    Client,
    /// A simulated user's signing certificate.
    Signer,
}

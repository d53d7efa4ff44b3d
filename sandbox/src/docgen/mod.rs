//! Signed-file generator for the cqes B-Trust sandbox.
//!
//! When the sandbox's simulated user approves a signing request, this turns the document into
//! a *real* signed file of the requested family and level (see [`sign_document`]), one that
//! independent validators accept: pyHanko for PAdES, `openssl cms` for CAdES, `xmlsec1` for
//! XAdES (the sandbox's test suite runs them).
//!
//! Built on maintained crates: `cms`, `x509-cert`, `der`, `x509-tsp` for the ASN.1, `lopdf`
//! for the PDF structure, `chrono` for dates, `p256` for ECDSA. Hand-written code remains
//! only for exclusive XML canonicalization (`c14n.rs`: no maintained Rust crate does it).
//!
//! Levels (ETSI baseline profiles): B-B is the signature with its signed attributes; B-T adds
//! a signature time-stamp from the sandbox TSA ([`tsa`]); B-LT adds the validation data (CA
//! and TSA certificates, the CA's CRL and OCSP answers); B-LTA adds an archive time-stamp
//! over all of it (for PAdES a document time-stamp). See each family's module for what it
//! implements of each level.
//!
//! Determinism: ECDSA uses RFC 6979 nonces and times come from `signing_time_ms`, so the same
//! request signed with the same keys gives the same bytes.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// The sandbox must answer with an error, never crash, whatever bytes a client uploads.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo
    )
)]

mod c14n;
mod cades;
mod pdf;
mod pdf_field;
pub(crate) mod tsa;
mod xades;
mod xml;

pub use pdf::check_pdf;

use crate::ca::Authority;
use der::Decode;
use p256::ecdsa::signature::hazmat::PrehashSigner;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use p256::pkcs8::DecodePrivateKey;
use std::sync::Arc;
use x509_cert::Certificate;

/// The simulated signer's key material: an ECDSA P-256 key (PKCS#8 DER), its X.509
/// certificate (DER), and the authority that issued it (for time-stamps and validation data).
#[derive(Clone)]
pub struct Signer {
    /// X.509 certificate, DER.
    pub cert_der: Vec<u8>,
    /// ECDSA P-256 private key, PKCS#8 DER.
    pub key_pkcs8_der: Vec<u8>,
    /// The CA that issued `cert_der`, with its TSA and revocation data.
    pub authority: Arc<Authority>,
}

/// What the sandbox produces for one approved item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDoc {
    /// The signed file.
    pub bytes: Vec<u8>,
    /// Suggested name of the signed file.
    pub file_name: String,
    /// MIME type of `bytes`.
    pub content_type: &'static str,
}

/// Where a visible PAdES signature goes (the request's `signaturePosition`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Visual {
    /// Page, counted from 1.
    pub page: u32,
    /// X of the box's upper-left corner, PDF points from the page's left edge.
    pub x: f64,
    /// Y of the box's upper-left corner, PDF points from the page's bottom edge (PDF user
    /// space; inferred: BORICA does not document the origin).
    pub y: f64,
    /// Width, points.
    pub width: f64,
    /// Height, points.
    pub height: f64,
}

/// Options beyond the signature type.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Options {
    /// PAdES: a visible signature at this place (`padesVisualSignature` with
    /// `signaturePosition`); `None` gives an invisible signature field.
    pub visual: Option<Visual>,
}

/// The visible signature a content asks for (`padesVisualSignature: true`): at its
/// `signaturePosition`, else a 180 × 50 pt box near the bottom left of page 1.
pub fn visual_of(content: &cqes_core::btrust::Content) -> Option<Visual> {
    visual_at(
        content.pades_visual_signature,
        content.signature_position.as_ref(),
    )
}

/// [`visual_of`] from the two fields (a sign request's content, a sign session's document).
pub fn visual_at(
    pades_visual_signature: Option<bool>,
    position: Option<&cqes_core::btrust::SignaturePosition>,
) -> Option<Visual> {
    if pades_visual_signature != Some(true) {
        return None;
    }
    Some(match position {
        Some(p) => Visual {
            page: u32::try_from(p.page_number).unwrap_or(u32::MAX),
            x: p.image_x_axis,
            y: p.image_y_axis,
            width: p.image_width as f64,
            height: p.image_height as f64,
        },
        None => Visual {
            page: 1,
            x: 36.0,
            y: 86.0,
            width: 180.0,
            height: 50.0,
        },
    })
}

/// Why a document could not be signed.
#[derive(Debug)]
pub enum DocError {
    /// PAdES was requested but the input is not a PDF this generator can update.
    NotPdf(String),
    /// XAdES enveloped was requested but the input is not well-formed XML.
    NotXml(String),
    /// Key, certificate, signing or parameter problem.
    Crypto(String),
}

impl std::fmt::Display for DocError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotPdf(m) => write!(f, "not a usable PDF: {m}"),
            Self::NotXml(m) => write!(f, "not well-formed XML: {m}"),
            Self::Crypto(m) => write!(f, "signing failed: {m}"),
        }
    }
}

impl std::error::Error for DocError {}

pub(crate) fn crypto(e: impl std::fmt::Display) -> DocError {
    DocError::Crypto(e.to_string())
}

/// Baseline level of a signature (ETSI EN 319 1x2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    B,
    T,
    Lt,
    Lta,
}

/// A UTC date-time from Unix epoch ms.
pub(crate) fn utc(ms: u64) -> Result<chrono::DateTime<chrono::Utc>, DocError> {
    i64::try_from(ms)
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .ok_or_else(|| DocError::Crypto(format!("time {ms} ms is out of range")))
}

/// Loaded and cross-checked signer material shared by all builders.
pub(crate) struct Keys<'a> {
    pub(crate) key: SigningKey,
    pub(crate) cert: Certificate,
    pub(crate) cert_der: &'a [u8],
    pub(crate) authority: &'a Authority,
}

impl<'a> Keys<'a> {
    pub(crate) fn load(signer: &'a Signer) -> Result<Self, DocError> {
        Self::from_parts(&signer.cert_der, &signer.key_pkcs8_der, &signer.authority)
    }

    pub(crate) fn from_parts(
        cert_der: &'a [u8],
        key_der: &[u8],
        authority: &'a Authority,
    ) -> Result<Self, DocError> {
        let key = SigningKey::from_pkcs8_der(key_der)
            .map_err(|e| DocError::Crypto(format!("signer key is not a PKCS#8 P-256 key: {e}")))?;
        let cert = Certificate::from_der(cert_der)
            .map_err(|e| DocError::Crypto(format!("signer certificate: {e}")))?;
        // A mismatched pair would produce signatures no verifier accepts; fail loudly instead.
        let spki = cert
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes();
        let cert_key = VerifyingKey::from_sec1_bytes(spki)
            .map_err(|_| DocError::Crypto("certificate does not hold a P-256 public key".into()))?;
        if &cert_key != key.verifying_key() {
            return Err(DocError::Crypto(
                "certificate public key does not match the signing key".into(),
            ));
        }
        Ok(Self {
            key,
            cert,
            cert_der,
            authority,
        })
    }

    fn sign(&self, msg: &[u8]) -> Result<Signature, DocError> {
        // RFC 6979 deterministic ECDSA over SHA-256(msg).
        self.key
            .try_sign(msg)
            .map_err(|e| DocError::Crypto(format!("ECDSA signing failed: {e}")))
    }

    /// ECDSA-Sig-Value DER (CMS, raw SIGNATURE).
    pub(crate) fn sign_der(&self, msg: &[u8]) -> Result<Vec<u8>, DocError> {
        Ok(self.sign(msg)?.to_der().as_bytes().to_vec())
    }

    /// `r || s`, 64 bytes: the XML-DSig encoding of ECDSA (RFC 4050 / XMLDSig 1.1 §6.4.3).
    pub(crate) fn sign_rs(&self, msg: &[u8]) -> Result<Vec<u8>, DocError> {
        Ok(self.sign(msg)?.to_bytes().to_vec())
    }
}

/// The signature families, parsed from BORICA's wire value.
enum Kind {
    Raw,
    Cades { attached: bool, level: Level },
    Pades(Level),
    Xades(xades::Packaging, Level),
}

/// Parses `SIGNATURE` and `{CADES,PADES,XADES}_BASELINE_{B,T,LT,LTA}[_PACKAGING]`.
/// BORICA spells attached as `ATACHED`; the correct spelling is accepted too.
fn parse_kind(signature_type: &str) -> Option<Kind> {
    if signature_type == "SIGNATURE" {
        return Some(Kind::Raw);
    }
    let mut parts = signature_type.split('_');
    let family = parts.next()?;
    if parts.next()? != "BASELINE" {
        return None;
    }
    let level = match parts.next()? {
        "B" => Level::B,
        "T" => Level::T,
        "LT" => Level::Lt,
        "LTA" => Level::Lta,
        _ => return None,
    };
    let packaging = parts.next();
    if parts.next().is_some() {
        return None;
    }
    match (family, packaging) {
        ("PADES", None) => Some(Kind::Pades(level)),
        ("CADES", Some("ATACHED" | "ATTACHED" | "ENVELOPED")) => Some(Kind::Cades {
            attached: true,
            level,
        }),
        ("CADES", Some("DETACHED")) => Some(Kind::Cades {
            attached: false,
            level,
        }),
        ("XADES", Some("ENVELOPED")) => Some(Kind::Xades(xades::Packaging::Enveloped, level)),
        ("XADES", Some("ENVELOPING")) => Some(Kind::Xades(xades::Packaging::Enveloping, level)),
        ("XADES", Some("DETACHED")) => Some(Kind::Xades(xades::Packaging::Detached, level)),
        _ => None,
    }
}

/// Names the signed output: `-signed` goes before the extension when the input already has
/// the output's extension (`contract.pdf` → `contract-signed.pdf`), otherwise the output
/// extension is appended (`data.bin` → `data.bin-signed.xml`, `contract` →
/// `contract-signed.pdf`); no name → `signed.<ext>`.
pub(crate) fn signed_name(file_name: Option<&str>, ext: &str) -> String {
    let Some(name) = file_name.filter(|n| !n.is_empty()) else {
        return format!("signed.{ext}");
    };
    match name.rsplit_once('.') {
        // A leading dot (".pdf") marks a hidden file, not an extension.
        Some((stem, e)) if !stem.is_empty() && e.eq_ignore_ascii_case(ext) => {
            format!("{stem}-signed.{e}")
        }
        _ => format!("{name}-signed.{ext}"),
    }
}

/// `signature_type` is one of BORICA's 26 wire values:
/// SIGNATURE; CADES_BASELINE_{B,T,LT,LTA}_ATACHED (sic); CADES_BASELINE_LTA_ENVELOPED; CADES_BASELINE_{B,T,LT,LTA}_DETACHED;
/// PADES_BASELINE_{B,T,LT,LTA}; XADES_BASELINE_{B,T,LT,LTA}_{ENVELOPED,ENVELOPING,DETACHED}.
/// `content` is the document bytes. `file_name` is the name the relying party gave (may be None).
/// `signing_time_ms` is Unix epoch ms (the sandbox's simulated clock).
///
/// Output names and types:
/// - `SIGNATURE`: raw DER ECDSA signature ([`sign_raw`]), `<name>.sig` / `signature.sig`,
///   `application/octet-stream`.
/// - `PADES_*`: incremental update of the PDF, `<stem>-signed.pdf` (a name without a `.pdf`
///   extension gets `-signed.pdf` appended), `application/pdf`.
/// - `CADES_*_ATACHED`/`_ENVELOPED`: `<name>.p7m`, `application/pkcs7-mime`;
///   `CADES_*_DETACHED`: `<name>.p7s`, `application/pkcs7-signature` (`signed.p7m`/`.p7s`
///   without a name).
/// - `XADES_*_ENVELOPED`/`_ENVELOPING`: `<stem>-signed.xml` (`data.bin` →
///   `data.bin-signed.xml`); `XADES_*_DETACHED`:
///   `<name>.xades.xml` (`signed.xades.xml` without a name); all `application/xml`.
pub fn sign_document(
    signature_type: &str,
    content: &[u8],
    file_name: Option<&str>,
    signer: &Signer,
    signing_time_ms: u64,
) -> Result<SignedDoc, DocError> {
    sign_document_with(
        signature_type,
        content,
        file_name,
        signer,
        signing_time_ms,
        &Options::default(),
    )
}

/// [`sign_document`] with [`Options`] (a visible PAdES signature).
pub fn sign_document_with(
    signature_type: &str,
    content: &[u8],
    file_name: Option<&str>,
    signer: &Signer,
    signing_time_ms: u64,
    options: &Options,
) -> Result<SignedDoc, DocError> {
    let kind = parse_kind(signature_type).ok_or_else(|| {
        DocError::Crypto(format!("unsupported signature type {signature_type:?}"))
    })?;
    let name = file_name.filter(|n| !n.is_empty());
    // PAdES and XAdES load the key only after validating the document, so a bad upload is
    // rejected without any elliptic-curve work.
    let doc = match kind {
        Kind::Raw => SignedDoc {
            bytes: sign_raw(content, signer)?,
            file_name: format!("{}.sig", name.unwrap_or("signature")),
            content_type: "application/octet-stream",
        },
        Kind::Pades(level) => SignedDoc {
            bytes: pdf::sign_pdf(content, signer, signing_time_ms, level, options.visual)?,
            file_name: signed_name(name, "pdf"),
            content_type: "application/pdf",
        },
        Kind::Cades { attached, level } => {
            let (ext, content_type) = if attached {
                ("p7m", "application/pkcs7-mime")
            } else {
                ("p7s", "application/pkcs7-signature")
            };
            SignedDoc {
                bytes: cades::signed_data(
                    &Keys::load(signer)?,
                    &cades::Cms {
                        content,
                        attached,
                        signing_time: Some(signing_time_ms),
                        level,
                        now: signing_time_ms,
                    },
                )?,
                file_name: format!("{}.{ext}", name.unwrap_or("signed")),
                content_type,
            }
        }
        Kind::Xades(packaging, level) => SignedDoc {
            bytes: xades::sign_xml(packaging, level, content, name, signer, signing_time_ms)?,
            file_name: match packaging {
                xades::Packaging::Detached => format!("{}.xades.xml", name.unwrap_or("signed")),
                _ => signed_name(name, "xml"),
            },
            content_type: "application/xml",
        },
    };
    Ok(doc)
}

/// SIGNATURE over a DIGEST content: the raw ECDSA P-256 signature (DER-encoded ECDSA-Sig-Value)
/// over the given pre-computed hash (32 bytes for SHA-256, 48 for SHA-384 or 64 for SHA-512;
/// signed as a prehash, i.e. truncated to the curve order's bit length per FIPS 186).
pub fn sign_digest(digest: &[u8], signer: &Signer) -> Result<Vec<u8>, DocError> {
    if !matches!(digest.len(), 32 | 48 | 64) {
        return Err(DocError::Crypto(format!(
            "digest must be 32, 48 or 64 bytes, got {}",
            digest.len()
        )));
    }
    let keys = Keys::load(signer)?;
    let sig: Signature = keys
        .key
        .sign_prehash(digest)
        .map_err(|e| DocError::Crypto(format!("ECDSA signing failed: {e}")))?;
    Ok(sig.to_der().as_bytes().to_vec())
}

/// SIGNATURE over full content (BINARY_BASE64 or TEXT with signatureType SIGNATURE): ECDSA P-256 over SHA-256(content), DER.
pub fn sign_raw(content: &[u8], signer: &Signer) -> Result<Vec<u8>, DocError> {
    Keys::load(signer)?.sign_der(content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_26_wire_values_parse() {
        let mut n = 1; // SIGNATURE
        assert!(matches!(parse_kind("SIGNATURE"), Some(Kind::Raw)));
        for lvl in ["B", "T", "LT", "LTA"] {
            for t in [
                format!("CADES_BASELINE_{lvl}_ATACHED"),
                format!("CADES_BASELINE_{lvl}_DETACHED"),
                format!("PADES_BASELINE_{lvl}"),
                format!("XADES_BASELINE_{lvl}_ENVELOPED"),
                format!("XADES_BASELINE_{lvl}_ENVELOPING"),
                format!("XADES_BASELINE_{lvl}_DETACHED"),
            ] {
                assert!(parse_kind(&t).is_some(), "{t}");
                n += 1;
            }
        }
        assert!(parse_kind("CADES_BASELINE_LTA_ENVELOPED").is_some());
        assert_eq!(n + 1, 26);
        for bad in [
            "",
            "PADES",
            "PADES_BASELINE_X",
            "PADES_BASELINE_B_DETACHED",
            "XADES_BASELINE_B",
        ] {
            assert!(parse_kind(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(
            signed_name(Some("contract.pdf"), "pdf"),
            "contract-signed.pdf"
        );
        assert_eq!(signed_name(Some("SCAN.PDF"), "pdf"), "SCAN-signed.PDF");
        assert_eq!(signed_name(Some("a.b.xml"), "xml"), "a.b-signed.xml");
        assert_eq!(signed_name(Some("data.bin"), "xml"), "data.bin-signed.xml");
        assert_eq!(signed_name(Some("notes"), "pdf"), "notes-signed.pdf");
        assert_eq!(signed_name(Some(".pdf"), "pdf"), ".pdf-signed.pdf");
        assert_eq!(signed_name(None, "pdf"), "signed.pdf");
        assert_eq!(signed_name(Some(""), "xml"), "signed.xml");
    }
}

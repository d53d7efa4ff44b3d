//! PAdES (ETSI EN 319 142-1 baseline) on ISO 32000-1 §12.8 signatures, built with `lopdf`.
//!
//! Each signature is one incremental update (§7.5.6) that keeps every original byte: a
//! signature field (a widget merged with its field, in `/AcroForm /Fields` and the page's
//! `/Annots`) whose value is a `/Sig` dictionary — `/Filter /Adobe.PPKLite`, `/SubFilter
//! /ETSI.CAdES.detached`, `/ByteRange` covering the whole file but `/Contents`, and
//! `/Contents` holding the CAdES signature ([`super::cades`]) over those ranges.
//!
//! Levels: B-B is that signature; B-T adds the signature time-stamp inside the CMS; B-LT adds
//! a second update with a `/DSS` dictionary in the catalog (the signer, CA and TSA
//! certificates, the CA's CRL and its OCSP answers for the signer and the TSA); B-LTA adds a
//! third update with a document time-stamp (`/Type /DocTimeStamp`, `/SubFilter
//! /ETSI.RFC3161`) over everything before it.
//!
//! Refused (also at submission, see [`check_pdf`]): a file that does not start with `%PDF-`,
//! one whose cross-reference data cannot be read as written (lopdf would have to rebuild it:
//! an update appended to such a file would point at offsets that are wrong), an encrypted
//! file (new strings would have to be encrypted with its key), a page that does not exist.

use super::pdf_field::{self, SigField};
use super::{cades, crypto, tsa, DocError, Keys, Level, Signer, Visual};
use lopdf::{Dictionary, Document, IncrementalDocument, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

/// Room for the DER signature in `/Contents`: a signer certificate, a time-stamp token with
/// the TSA certificate, and slack.
const CONTENTS_BYTES: usize = 12 * 1024;
/// The `/ByteRange` placeholder numbers (ten digits: any offset we patch in fits).
const PLACEHOLDER: i64 = 9_999_999_999;

fn not_pdf(msg: impl Into<String>) -> DocError {
    DocError::NotPdf(msg.into())
}

/// Loads a PDF this module can update, or says why not.
fn load(bytes: &[u8]) -> Result<Document, DocError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(not_pdf("the file does not start with %PDF-"));
    }
    let doc = Document::load_mem(bytes).map_err(|e| {
        let e = e.to_string();
        let lower = e.to_ascii_lowercase();
        if find(bytes, b"/Encrypt").is_some() {
            not_pdf("the PDF is encrypted")
        } else if ["xref", "cross reference", "cross-reference", "trailer"]
            .iter()
            .any(|w| lower.contains(w))
        {
            not_pdf(format!(
                "the PDF has no readable cross-reference section ({e})"
            ))
        } else {
            not_pdf(format!("the PDF cannot be read ({e})"))
        }
    })?;
    if doc.was_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err(not_pdf("the PDF is encrypted"));
    }
    if doc.xref_recovery.is_some() || doc.xref_start == 0 {
        return Err(not_pdf(
            "the PDF has no readable cross-reference section (startxref does not lead to one)",
        ));
    }
    doc.catalog()
        .map_err(|e| not_pdf(format!("the PDF has no document catalog ({e})")))?;
    Ok(doc)
}

fn page_id(doc: &Document, page: u32) -> Result<ObjectId, DocError> {
    let pages = doc.get_pages();
    pages.get(&page).copied().ok_or_else(|| {
        not_pdf(format!(
            "page {page} does not exist (the document has {} page{})",
            pages.len(),
            if pages.len() == 1 { "" } else { "s" }
        ))
    })
}

/// Whether `bytes` is a PDF the sandbox can sign (and `page`, when given, one of its pages):
/// what the sign request handlers check before accepting a PAdES item.
pub fn check_pdf(bytes: &[u8], page: Option<u32>) -> Result<(), DocError> {
    let doc = load(bytes)?;
    page_id(&doc, page.unwrap_or(1)).map(|_| ())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Signs `original` at `level` (see the module docs).
pub(crate) fn sign_pdf(
    original: &[u8],
    signer: &Signer,
    signing_time_ms: u64,
    level: Level,
    visual: Option<Visual>,
) -> Result<Vec<u8>, DocError> {
    let keys = Keys::load(signer)?;
    let cms_level = level.min(Level::T);
    let name = pdf_field::common_name(&keys.cert);
    let field = SigField {
        sig_type: "Sig",
        sub_filter: "ETSI.CAdES.detached",
        field_prefix: "Signature",
        time_ms: Some(signing_time_ms),
        visual,
        signer_name: name,
    };
    let mut out = add_signature(original, &field, |signed| {
        cades::signed_data(
            &keys,
            &cades::Cms {
                content: signed,
                attached: false,
                signing_time: None,
                level: cms_level,
                now: signing_time_ms,
            },
        )
    })?;
    if level >= Level::Lt {
        out = add_dss(&out, &keys, signing_time_ms)?;
    }
    if level >= Level::Lta {
        let at = signing_time_ms + 1000;
        let field = SigField {
            sig_type: "DocTimeStamp",
            sub_filter: "ETSI.RFC3161",
            field_prefix: "DocTimeStamp",
            time_ms: None,
            visual: None,
            signer_name: String::new(),
        };
        out = add_signature(&out, &field, |signed| {
            tsa::token(keys.authority, &Sha256::digest(signed), at)
        })?;
    }
    Ok(out)
}

/// Appends one update with a signature field; `sign` gets the bytes `/ByteRange` covers and
/// returns the DER for `/Contents`.
fn add_signature(
    prev: &[u8],
    field: &SigField,
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, DocError>,
) -> Result<Vec<u8>, DocError> {
    let doc = load(prev)?;
    let page = page_id(&doc, field.visual.map_or(1, |v| v.page))?;
    let mut inc = IncrementalDocument::create_from(prev.to_vec(), doc);
    let mut sig = Dictionary::new();
    sig.set("Type", Object::Name(field.sig_type.into()));
    sig.set("Filter", Object::Name(b"Adobe.PPKLite".to_vec()));
    sig.set("SubFilter", Object::Name(field.sub_filter.into()));
    sig.set(
        "ByteRange",
        Object::Array(vec![
            Object::Integer(0),
            Object::Integer(PLACEHOLDER),
            Object::Integer(PLACEHOLDER),
            Object::Integer(PLACEHOLDER),
        ]),
    );
    sig.set(
        "Contents",
        Object::String(vec![0; CONTENTS_BYTES], StringFormat::Hexadecimal),
    );
    if let Some(ms) = field.time_ms {
        let date = super::utc(ms)?.format("D:%Y%m%d%H%M%SZ").to_string();
        sig.set("M", Object::string_literal(date));
    }
    let sig_id = inc.new_document.add_object(sig);
    pdf_field::attach(&mut inc, page, sig_id, field)?;
    let mut out = Vec::new();
    inc.save_to(&mut out)
        .map_err(|e| not_pdf(format!("the update cannot be written ({e})")))?;
    fill(&mut out, prev.len(), sign)?;
    Ok(out)
}

/// Patches `/ByteRange` and `/Contents` in the update appended after `start`.
fn fill(
    out: &mut [u8],
    start: usize,
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, DocError>,
) -> Result<(), DocError> {
    let missing = || crypto("signature placeholders not found in the written update");
    let appended = out.get(start..).ok_or_else(missing)?;
    let hole = [&b"<"[..], &vec![b'0'; CONTENTS_BYTES * 2], b">"].concat();
    let a = start + find(appended, &hole).ok_or_else(missing)?;
    let b = a + hole.len();
    let ph = format!("{PLACEHOLDER} {PLACEHOLDER} {PLACEHOLDER}");
    let ph_at = start + find(appended, ph.as_bytes()).ok_or_else(missing)?;
    // Rewrite "[0 9999999999 9999999999 9999999999" in place, padded with spaces.
    let open = out
        .get(..ph_at)
        .and_then(|h| h.iter().rposition(|&c| c == b'['))
        .ok_or_else(missing)?;
    let close = ph_at + ph.len();
    let len = out.len();
    let text = format!("[0 {a} {b} {}", len - b);
    let width = close - open;
    let mut patched = format!("{text:<width$}").into_bytes();
    patched.truncate(width);
    if text.len() > width {
        return Err(crypto("byte range does not fit its placeholder"));
    }
    out.get_mut(open..close)
        .ok_or_else(missing)?
        .copy_from_slice(&patched);
    let mut signed = Vec::with_capacity(len);
    signed.extend_from_slice(out.get(..a).ok_or_else(missing)?);
    signed.extend_from_slice(out.get(b..).ok_or_else(missing)?);
    let der = sign(&signed)?;
    if der.len() > CONTENTS_BYTES {
        return Err(crypto(format!(
            "signature of {} bytes does not fit /Contents ({CONTENTS_BYTES})",
            der.len()
        )));
    }
    let hex = hex::encode_upper(&der);
    out.get_mut(a + 1..a + 1 + hex.len())
        .ok_or_else(missing)?
        .copy_from_slice(hex.as_bytes());
    Ok(())
}

/// Appends the update that adds the validation data (`/DSS`, ISO 32000-2 §12.8.4.3). A DSS
/// the document already had is replaced, not merged (the sandbox signs each file once).
fn add_dss(prev: &[u8], keys: &Keys<'_>, now: u64) -> Result<Vec<u8>, DocError> {
    let ca = keys.authority;
    let doc = load(prev)?;
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| not_pdf("the trailer has no /Root"))?;
    let mut inc = IncrementalDocument::create_from(prev.to_vec(), doc);
    let tsa_cert = x509_cert::Certificate::from_der_bytes(&ca.tsa.0)?;
    let certs = [
        keys.cert_der.to_vec(),
        ca.ca_cert_der.clone(),
        ca.tsa.0.clone(),
    ];
    let crls = [ca.crl_der(now).map_err(DocError::Crypto)?];
    let ocsps = [
        ca.ocsp_for(&keys.cert, now).map_err(DocError::Crypto)?,
        ca.ocsp_for(&tsa_cert, now).map_err(DocError::Crypto)?,
    ];
    let mut streams = |items: &[Vec<u8>]| -> Object {
        Object::Array(
            items
                .iter()
                .map(|d| {
                    Object::Reference(
                        inc.new_document
                            .add_object(Stream::new(Dictionary::new(), d.clone())),
                    )
                })
                .collect(),
        )
    };
    let mut dss = Dictionary::new();
    dss.set("Type", Object::Name(b"DSS".to_vec()));
    dss.set("Certs", streams(&certs));
    dss.set("CRLs", streams(&crls));
    dss.set("OCSPs", streams(&ocsps));
    let dss_id = inc.new_document.add_object(dss);
    inc.opt_clone_object_to_new_document(root)
        .map_err(|e| not_pdf(format!("catalog: {e}")))?;
    inc.new_document
        .get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .map_err(|e| not_pdf(format!("catalog: {e}")))?
        .set("DSS", Object::Reference(dss_id));
    let mut out = Vec::new();
    inc.save_to(&mut out)
        .map_err(|e| not_pdf(format!("the update cannot be written ({e})")))?;
    Ok(out)
}

/// Parses DER into a certificate with this module's error type.
trait FromDerBytes: Sized {
    fn from_der_bytes(der: &[u8]) -> Result<Self, DocError>;
}

impl FromDerBytes for x509_cert::Certificate {
    fn from_der_bytes(der: &[u8]) -> Result<Self, DocError> {
        <Self as der::Decode>::from_der(der).map_err(crypto)
    }
}

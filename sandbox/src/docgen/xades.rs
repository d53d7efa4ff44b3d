//! XAdES (XML-DSig + ETSI qualifying properties) in the three packagings BORICA offers.
//!
//! What we build needs no canonicalizer: every element of ours whose canonical form is hashed
//! or signed (`ds:SignedInfo`, `xades:SignedProperties`) is *written* already in Exclusive XML
//! Canonicalization form — explicit namespace declarations exactly where exc-c14n renders them,
//! attributes in canonical order, no empty-element tags, canonical escaping. The bytes we hash
//! are therefore the bytes a verifier's exc-c14n produces, and the signatures verify with a real
//! XML-DSig implementation (the tests run `xmlsec1` when it is installed).
//!
//! What each document Reference digests (DigestValue = base64(SHA-256(...))):
//! - ENVELOPED: `URI=""` + enveloped-signature + exc-c14n transforms, i.e. the Exclusive
//!   Canonical form (without comments) of the input document, computed by `c14n.rs`; the
//!   signature is spliced in without touching any other byte, so this is exactly what a
//!   verifier recomputes. SIMPLIFICATION: that canonicalizer is not a full C14N (no DTD
//!   processing); for a document outside its scope (a DOCTYPE internal subset, custom entity
//!   references) we hash the input bytes exactly as given, and a strict verifier will then
//!   report a reference digest mismatch while the SignedInfo signature itself still verifies.
//! - ENVELOPING: the content is base64 text in a `ds:Object`; the Reference points at it with
//!   the XML-DSig base64 transform, so the digest is SHA-256 of the original input bytes.
//! - DETACHED: `URI` is the percent-encoded file name (no URI at all when there is none), no
//!   transforms, digest of the input bytes; the output holds only the signature.
//!
//! Levels (ETSI EN 319 132-1): B-B is the structure above; B-T adds
//! `xades:SignatureTimeStamp`, an RFC 3161 token from the sandbox TSA over the exc-c14n form
//! of `ds:SignatureValue` (written canonical, like the signed parts); B-LT adds
//! `xades:CertificateValues` (the CA and TSA certificates) and `xades:RevocationValues` (the
//! CA's CRL and its OCSP answers for the signer and the TSA). B-LTA is produced as B-LT: the
//! XAdES 1.4.1 `ArchiveTimeStamp` is not implemented.

use der::Encode;
use sha2::{Digest, Sha256};

use super::c14n;
use super::cades::IssuerSerial;
use super::xml::{self, c14n_attr, c14n_text};
use super::{crypto, tsa, utc, DocError, Keys, Level, Signer};

const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
const XADES: &str = "http://uri.etsi.org/01903/v1.3.2#";
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ECDSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
const SHA256_URI: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const ENVELOPED_SIGNATURE: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const BASE64_TRANSFORM: &str = "http://www.w3.org/2000/09/xmldsig#base64";
const SIGNED_PROPERTIES_TYPE: &str = "http://uri.etsi.org/01903#SignedProperties";

/// How the signature relates to the signed data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Packaging {
    Enveloped,
    Enveloping,
    Detached,
}

fn b64(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

/// `<ds:DigestMethod ...></ds:DigestMethod>`, optionally re-declaring `ds` (needed where the
/// element is the first `ds:` element inside a non-`ds` canonicalized subtree).
fn digest_method(declare_ds: bool) -> String {
    let ns = if declare_ds {
        format!(" xmlns:ds=\"{DS}\"")
    } else {
        String::new()
    };
    format!("<ds:DigestMethod{ns} Algorithm=\"{SHA256_URI}\"></ds:DigestMethod>")
}

/// RFC 3986 percent-encoding of everything but unreserved characters, so any file name is a
/// valid relative URI reference.
fn uri_escape(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn mime_for(file_name: Option<&str>) -> &'static str {
    let ext = file_name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("xml") => "text/xml",
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain",
        _ => "application/octet-stream",
    }
}

/// Base64 wrapped at 76 columns; the base64 transform ignores the line breaks.
fn b64_wrapped(bytes: &[u8]) -> String {
    let flat = b64(bytes);
    let mut out = String::with_capacity(flat.len() + flat.len() / 76 + 2);
    for (i, c) in flat.chars().enumerate() {
        if i % 76 == 0 {
            out.push('\n');
        }
        out.push(c);
    }
    out.push('\n');
    out
}

/// The `xades:SignedProperties` element in exc-c14n form (it is the apex of what its
/// Reference hashes, hence the explicit `xmlns:xades` and per-element `xmlns:ds`).
fn signed_properties(
    ids: &Ids,
    mime: &str,
    time: &str,
    keys: &Keys<'_>,
) -> Result<String, DocError> {
    let cert_digest = b64(&Sha256::digest(keys.cert_der));
    let issuer_serial = b64(&IssuerSerial::of(&keys.cert).to_der().map_err(crypto)?);
    Ok(format!(
        "<xades:SignedProperties xmlns:xades=\"{XADES}\" Id=\"{props}\">\
         <xades:SignedSignatureProperties>\
         <xades:SigningTime>{time}</xades:SigningTime>\
         <xades:SigningCertificateV2><xades:Cert><xades:CertDigest>{dm}\
         <ds:DigestValue xmlns:ds=\"{DS}\">{cert_digest}</ds:DigestValue>\
         </xades:CertDigest><xades:IssuerSerialV2>{issuer_serial}</xades:IssuerSerialV2>\
         </xades:Cert></xades:SigningCertificateV2></xades:SignedSignatureProperties>\
         <xades:SignedDataObjectProperties>\
         <xades:DataObjectFormat ObjectReference=\"#{reference}\">\
         <xades:MimeType>{mime}</xades:MimeType></xades:DataObjectFormat>\
         </xades:SignedDataObjectProperties></xades:SignedProperties>",
        props = ids.props,
        time = time,
        dm = digest_method(true),
        reference = ids.reference,
        mime = c14n_text(mime),
    ))
}

/// Deterministic element IDs, salted with a hash of the input so that signing an already
/// signed document does not produce duplicate `Id` values.
struct Ids {
    value: String,
    timestamp: String,
    signature: String,
    reference: String,
    props: String,
    object: String,
}

impl Ids {
    fn new(content: &[u8], signing_time_ms: u64) -> Self {
        let h = Sha256::new()
            .chain_update(content)
            .chain_update(signing_time_ms.to_be_bytes())
            .finalize();
        let tag: String = h.iter().take(6).map(|b| format!("{b:02x}")).collect();
        Self {
            value: format!("cqes-sigval-{tag}"),
            timestamp: format!("cqes-ts-{tag}"),
            signature: format!("cqes-sig-{tag}"),
            reference: format!("cqes-ref-{tag}"),
            props: format!("cqes-props-{tag}"),
            object: format!("cqes-obj-{tag}"),
        }
    }
}

fn reference(attrs: &str, transforms: &[&str], digest_b64: &str) -> String {
    let transforms = if transforms.is_empty() {
        String::new()
    } else {
        let inner: String = transforms
            .iter()
            .map(|t| format!("<ds:Transform Algorithm=\"{t}\"></ds:Transform>"))
            .collect();
        format!("<ds:Transforms>{inner}</ds:Transforms>")
    };
    format!(
        "<ds:Reference{attrs}>{transforms}{dm}<ds:DigestValue>{digest_b64}</ds:DigestValue></ds:Reference>",
        dm = digest_method(false)
    )
}

/// Builds the signed XML for `packaging` (see the module docs for what is referenced).
pub(crate) fn sign_xml(
    packaging: Packaging,
    level: Level,
    content: &[u8],
    file_name: Option<&str>,
    signer: &Signer,
    signing_time_ms: u64,
) -> Result<Vec<u8>, DocError> {
    // Validate before doing any crypto so malformed input fails fast with NotXml.
    let insertion = match packaging {
        Packaging::Enveloped => Some(xml::check_and_locate(content)?),
        _ => None,
    };
    let keys = &Keys::load(signer)?;
    let time = utc(signing_time_ms)?
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let ids = Ids::new(content, signing_time_ms);
    let mime = match packaging {
        Packaging::Enveloped => "text/xml",
        _ => mime_for(file_name),
    };

    let props = signed_properties(&ids, mime, &time, keys)?;
    let doc_digest = match packaging {
        Packaging::Enveloped => match c14n::canonicalize(content) {
            Some(canonical) => b64(&Sha256::digest(&canonical)),
            None => b64(&Sha256::digest(content)),
        },
        _ => b64(&Sha256::digest(content)),
    };
    // Attribute order is canonical: unqualified attributes sorted by name (Id < Type < URI).
    let doc_ref = match packaging {
        Packaging::Enveloped => reference(
            &format!(" Id=\"{}\" URI=\"\"", ids.reference),
            &[ENVELOPED_SIGNATURE, EXC_C14N],
            &doc_digest,
        ),
        Packaging::Enveloping => reference(
            &format!(" Id=\"{}\" URI=\"#{}\"", ids.reference, ids.object),
            &[BASE64_TRANSFORM],
            &doc_digest,
        ),
        Packaging::Detached => {
            let uri = file_name
                .map(|n| format!(" URI=\"{}\"", c14n_attr(&uri_escape(n))))
                .unwrap_or_default();
            reference(&format!(" Id=\"{}\"{uri}", ids.reference), &[], &doc_digest)
        }
    };
    let props_ref = reference(
        &format!(" Type=\"{SIGNED_PROPERTIES_TYPE}\" URI=\"#{}\"", ids.props),
        &[EXC_C14N],
        &b64(&Sha256::digest(props.as_bytes())),
    );
    let signed_info = format!(
        "<ds:SignedInfo xmlns:ds=\"{DS}\">\
         <ds:CanonicalizationMethod Algorithm=\"{EXC_C14N}\"></ds:CanonicalizationMethod>\
         <ds:SignatureMethod Algorithm=\"{ECDSA_SHA256}\"></ds:SignatureMethod>\
         {doc_ref}{props_ref}</ds:SignedInfo>"
    );
    let signature_value = b64(&keys.sign_rs(signed_info.as_bytes())?);

    let content_object = match packaging {
        Packaging::Enveloping => format!(
            "<ds:Object Id=\"{}\" MimeType=\"{}\">{}</ds:Object>",
            ids.object,
            c14n_attr(mime),
            b64_wrapped(content)
        ),
        _ => String::new(),
    };
    let unsigned = unsigned_properties(level, &ids, &signature_value, keys, signing_time_ms)?;
    let signature = format!(
        "<ds:Signature xmlns:ds=\"{DS}\" Id=\"{sig}\">{signed_info}\
         <ds:SignatureValue Id=\"{value_id}\">{signature_value}</ds:SignatureValue>\
         <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>\
         <ds:Object><xades:QualifyingProperties xmlns:xades=\"{XADES}\" Target=\"#{sig}\">{props}\
         {unsigned}</xades:QualifyingProperties></ds:Object>{content_object}</ds:Signature>",
        sig = ids.signature,
        value_id = ids.value,
        cert = b64(keys.cert_der),
    );

    Ok(match insertion {
        Some(at) => xml::insert(content, &at, signature.as_bytes()),
        None => format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{signature}\n").into_bytes(),
    })
}

/// The exc-c14n form of our `ds:SignatureValue` element: the apex of the canonicalized
/// subtree declares the `ds` prefix it uses; its one attribute follows.
pub(crate) fn canonical_signature_value(id: &str, value_b64: &str) -> String {
    format!("<ds:SignatureValue xmlns:ds=\"{DS}\" Id=\"{id}\">{value_b64}</ds:SignatureValue>")
}

/// `xades:UnsignedProperties` for B-T and up (empty for B-B).
fn unsigned_properties(
    level: Level,
    ids: &Ids,
    signature_value: &str,
    keys: &Keys<'_>,
    now: u64,
) -> Result<String, DocError> {
    if level < Level::T {
        return Ok(String::new());
    }
    let canonical = canonical_signature_value(&ids.value, signature_value);
    let token = tsa::token(keys.authority, &Sha256::digest(canonical.as_bytes()), now)?;
    let mut out = format!(
        "<xades:UnsignedProperties><xades:UnsignedSignatureProperties>\
         <xades:SignatureTimeStamp Id=\"{id}\">\
         <ds:CanonicalizationMethod Algorithm=\"{EXC_C14N}\"></ds:CanonicalizationMethod>\
         <xades:EncapsulatedTimeStamp>{token}</xades:EncapsulatedTimeStamp>\
         </xades:SignatureTimeStamp>",
        id = ids.timestamp,
        token = b64(&token),
    );
    if level >= Level::Lt {
        let ca = keys.authority;
        let tsa_cert =
            <x509_cert::Certificate as der::Decode>::from_der(&ca.tsa.0).map_err(crypto)?;
        let crl = ca.crl_der(now).map_err(DocError::Crypto)?;
        let ocsps = [
            ca.ocsp_for(&keys.cert, now).map_err(DocError::Crypto)?,
            ca.ocsp_for(&tsa_cert, now).map_err(DocError::Crypto)?,
        ];
        out.push_str(&format!(
            "<xades:CertificateValues>\
             <xades:EncapsulatedX509Certificate>{}</xades:EncapsulatedX509Certificate>\
             <xades:EncapsulatedX509Certificate>{}</xades:EncapsulatedX509Certificate>\
             </xades:CertificateValues><xades:RevocationValues><xades:CRLValues>\
             <xades:EncapsulatedCRLValue>{}</xades:EncapsulatedCRLValue></xades:CRLValues>\
             <xades:OCSPValues>",
            b64(&ca.ca_cert_der),
            b64(&ca.tsa.0),
            b64(&crl)
        ));
        for o in ocsps {
            out.push_str(&format!(
                "<xades:EncapsulatedOCSPValue>{}</xades:EncapsulatedOCSPValue>",
                b64(&o)
            ));
        }
        out.push_str("</xades:OCSPValues></xades:RevocationValues>");
    }
    out.push_str("</xades:UnsignedSignatureProperties></xades:UnsignedProperties>");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escaping_and_mime() {
        assert_eq!(uri_escape("my file#1.xml"), "my%20file%231.xml");
        assert_eq!(uri_escape("ж.txt"), "%D0%B6.txt");
        assert_eq!(mime_for(Some("A.PDF")), "application/pdf");
        assert_eq!(mime_for(None), "application/octet-stream");
    }

    #[test]
    fn wrapped_base64_decodes() {
        let data = vec![0xA5u8; 200];
        let wrapped = b64_wrapped(&data);
        assert!(wrapped.lines().all(|l| l.len() <= 76));
        let flat: String = wrapped.split_whitespace().collect();
        assert_eq!(base64_simd::STANDARD.decode_to_vec(flat).unwrap(), data);
    }
}
